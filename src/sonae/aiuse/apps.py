from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AiuseConfig(AppConfig):
    name = "sonae.aiuse"
    label = "aiuse"
    verbose_name = _("生成AIの活用")
    default_auto_field = "django.db.models.BigAutoField"
