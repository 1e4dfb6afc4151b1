from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from sonae.actions.models import ActionItem

from .models import Risk


class RiskForm(forms.ModelForm):
    class Meta:
        model = Risk
        fields = ["title", "category", "description", "likelihood", "impact", "owner", "review_date", "status", "countermeasures", "actions"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "countermeasures": forms.Textarea(attrs={"rows": 4}),
            "review_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "actions": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "likelihood": _("1＝まれ、3＝ときどき起こりうる、5＝ほぼ確実"),
            "impact": _("1＝軽微、3＝業務に支障、5＝事業の継続が危うい"),
            "review_date": _("この日までにリスクと対策を見直します。"),
        }

    def __init__(self, *args, org, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.org_id is None:
            self.instance.org = org
        self.fields["owner"].queryset = get_user_model().objects.filter(memberships__org=org).order_by("email")
        self.fields["owner"].label_from_instance = lambda user: user.email
        self.fields["actions"].queryset = ActionItem.objects.filter(org=org).order_by("status", "id")
        self.fields["actions"].required = False
