from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from sonae.formfields import https_by_default

from .models import ActionItem


class ActionItemForm(forms.ModelForm):
    class Meta:
        formfield_callback = https_by_default
        model = ActionItem
        fields = ["title", "owner", "due_date", "status", "description", "note", "evidence_url"]
        widgets = {
            "due_date": forms.DateInput(attrs={"type": "date"}),
            "description": forms.Textarea(attrs={"rows": 4}),
            "note": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "owner": _("この組織のメンバーから選びます。"),
            "evidence_url": _("対応したことが分かる資料や画面のURL（任意）。"),
        }

    def __init__(self, *args, org, **kwargs):
        super().__init__(*args, **kwargs)
        # Only members of this organisation can own its action items.
        self.fields["owner"].queryset = get_user_model().objects.filter(memberships__org=org).order_by("email")
        self.fields["owner"].label_from_instance = lambda user: user.email
        self.fields["owner"].empty_label = _("（未定）")
