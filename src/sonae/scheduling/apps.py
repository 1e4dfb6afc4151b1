from django.apps import AppConfig


class SchedulingConfig(AppConfig):
    name = "sonae.scheduling"
    label = "scheduling"
    verbose_name = "定期処理"

    def ready(self) -> None:
        # Every process that may run tasks (sonae up's in-process worker, sonae worker) gets the hooks.
        from . import hooks  # noqa: F401
