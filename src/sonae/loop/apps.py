from django.apps import AppConfig


class LoopConfig(AppConfig):
    name = "sonae.loop"
    label = "loop"
    verbose_name = "備えの点検"
