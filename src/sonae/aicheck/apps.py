from django.apps import AppConfig


class AicheckConfig(AppConfig):
    name = "sonae.aicheck"
    label = "aicheck"
    verbose_name = "生成AI入力チェック・ゲートウェイ"
