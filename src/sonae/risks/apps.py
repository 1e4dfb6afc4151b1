from django.apps import AppConfig


class RisksConfig(AppConfig):
    name = "sonae.risks"
    label = "risks"
    verbose_name = "リスク台帳"

    def ready(self) -> None:
        # Action items made from a risk link back to it.
        from sonae.actions.sources import register_source

        from .selectors import risk_source_url

        register_source("risks.risk", risk_source_url)
