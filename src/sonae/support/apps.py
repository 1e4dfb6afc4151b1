from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "sonae.support"
    label = "support"
    verbose_name = "支援策ナビ"
