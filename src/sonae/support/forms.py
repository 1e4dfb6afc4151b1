from __future__ import annotations

from django import forms

from sonae.catalog.support import load_support


class AnswerForm(forms.Form):
    """One answer: yes, no, or clear (back to unanswered). The question must be in the catalogue."""

    question = forms.CharField(max_length=60)
    value = forms.ChoiceField(choices=[("yes", "yes"), ("no", "no"), ("clear", "clear")])

    def clean_question(self) -> str:
        value = self.cleaned_data["question"]
        if value not in load_support().questions:
            raise forms.ValidationError("unknown question")
        return value

    @property
    def answer(self) -> bool | None:
        return {"yes": True, "no": False, "clear": None}[self.cleaned_data["value"]]
