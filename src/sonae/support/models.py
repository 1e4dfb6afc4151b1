"""The owner's answers to the support questions (支援策ナビ), remembered per organisation.

The questions themselves live in the catalogue (catalog/data/support/_definitions.yaml); a row here is
one yes/no answer, changeable at any time, each change in the audit log. Deleting the row means
"not answered" again.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SupportAnswer(models.Model):
    org = models.ForeignKey("orgs.Organisation", on_delete=models.CASCADE, related_name="support_answers")
    question_id = models.CharField(_("質問"), max_length=60)
    value = models.BooleanField(_("回答"))
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    answered_at = models.DateTimeField(_("回答した日時"), default=timezone.now)

    class Meta:
        verbose_name = _("支援策の質問への回答")
        ordering = ["question_id"]
        constraints = [models.UniqueConstraint(fields=["org", "question_id"], name="support_one_answer_per_question")]

    def __str__(self) -> str:
        from sonae.catalog.support import load_support
        from sonae.i18n import pick

        question = load_support().questions.get(self.question_id)
        return pick((question.text.ja, question.text.en))[:120] if question else self.question_id
