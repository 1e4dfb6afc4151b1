from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import Role
from .models import Invitation, Organisation
from .validators import normalise_city, validate_city_in_prefecture, validate_plain_text


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name", "corporate_number", "industry", "employee_band", "prefecture", "city"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            choices = getattr(field, "choices", None)
            if choices and list(choices)[0][0] == "":
                field.choices = [("", _("選択してください"))] + list(choices)[1:]

    def clean_corporate_number(self) -> str:
        # Accept full-width digits and hyphens as people type them, store 13 plain digits.
        import unicodedata

        value = unicodedata.normalize("NFKC", self.cleaned_data.get("corporate_number") or "")
        return value.replace("-", "").replace(" ", "").strip()

    def clean_city(self) -> str:
        value = self.cleaned_data.get("city") or ""
        return normalise_city(value) if value.strip() else ""

    def clean(self):
        cleaned = super().clean()
        city, prefecture = cleaned.get("city"), cleaned.get("prefecture")
        if city and prefecture:
            try:
                validate_city_in_prefecture(city, prefecture)
            except forms.ValidationError as exc:
                self.add_error("city", exc)
        return cleaned


class OrganisationSettingsForm(OrganisationForm):
    class Meta(OrganisationForm.Meta):
        fields = OrganisationForm.Meta.fields + ["require_mfa"]


class InvitationForm(forms.Form):
    role = forms.ChoiceField(label=_("役割"), choices=Role.choices, initial=Role.VIEWER)
    note = forms.CharField(label=_("メモ（宛先など）"), max_length=200, required=False, validators=[validate_plain_text])


class AdvisorInvitationForm(forms.Form):
    role = forms.ChoiceField(
        label=_("権限"), choices=[(Role.VIEWER, _("閲覧のみ")), (Role.EDITOR, _("編集可"))], initial=Role.VIEWER
    )
    note = forms.CharField(label=_("メモ（支援者の氏名・所属など）"), max_length=200, required=False, validators=[validate_plain_text])


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("役割"), choices=Role.choices)


class AcceptInvitationForm(forms.Form):
    advisor_org_name = forms.CharField(
        label=_("所属する支援機関名（支援者の場合）"), max_length=100, required=False, validators=[validate_plain_text]
    )


__all__ = ["OrganisationForm", "OrganisationSettingsForm", "InvitationForm", "AdvisorInvitationForm", "RoleForm", "AcceptInvitationForm", "Invitation"]
