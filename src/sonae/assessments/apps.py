from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "sonae.assessments"
    label = "assessments"
    verbose_name = "診断"

    def ready(self) -> None:
        # Action items made from a weak answer link back to that answer's result page.
        from sonae.actions.sources import register_source

        from .selectors import answer_source_url, answer_source_urls

        register_source("assessments.answer", answer_source_url, many=answer_source_urls)
