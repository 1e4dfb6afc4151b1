from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from sonae.formfields import https_by_default

from .models import PolicyEvidence

MAX_EVIDENCE_BYTES = 5 * 1024 * 1024


class PolicyEvidenceForm(forms.ModelForm):
    class Meta:
        formfield_callback = https_by_default
        model = PolicyEvidence
        fields = ["title", "published_url", "file", "published_on"]
        widgets = {"published_on": forms.DateInput(attrs={"type": "date"})}
        help_texts = {
            "published_url": _("ホームページなどで公開している場合はそのURL。"),
            "file": _("公開している文書のファイル（PDF・Word・画像など、5MBまで）。"),
        }

    def clean_file(self):
        file = self.cleaned_data.get("file")
        if file and getattr(file, "size", 0) > MAX_EVIDENCE_BYTES:
            raise forms.ValidationError(_("ファイルが大きすぎます。5MB以下にしてください。"))
        return file

    def clean(self):
        data = super().clean()
        if not data.get("published_url") and not data.get("file"):
            raise forms.ValidationError(_("公開しているURLかファイルのどちらかを指定してください。"))
        return data


class CompareForm(forms.Form):
    a = forms.IntegerField(label=_("比べる回（前）"), min_value=1)
    b = forms.IntegerField(label=_("比べる回（後）"), min_value=1)
