from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "sonae.documents"
    label = "documents"
    verbose_name = "ルール・計画"
    default_auto_field = "django.db.models.BigAutoField"
