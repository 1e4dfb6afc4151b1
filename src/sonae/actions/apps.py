from django.apps import AppConfig


class ActionsConfig(AppConfig):
    name = "sonae.actions"
    label = "actions"
    verbose_name = "対策リスト"
