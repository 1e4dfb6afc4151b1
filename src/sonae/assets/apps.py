from django.apps import AppConfig


class AssetsConfig(AppConfig):
    name = "sonae.assets"
    label = "assets"
    verbose_name = "IT資産と脆弱性情報"
