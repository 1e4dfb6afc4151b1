from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "sonae.api"
    label = "api"
    verbose_name = "API"
