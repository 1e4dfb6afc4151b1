from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "sonae.orgs"
    label = "orgs"
    verbose_name = "組織"
