from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "sonae.learning"
    label = "learning"
    verbose_name = "学習"
