from django.apps import AppConfig


class BackupsConfig(AppConfig):
    name = "sonae.backups"
    label = "backups"
    verbose_name = "バックアップ"
