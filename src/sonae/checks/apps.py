from django.apps import AppConfig


class ChecksConfig(AppConfig):
    name = "sonae.checks"
    label = "checks"
    verbose_name = "偽メール・偽SMS・偽サイトの確認"
