from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Asset


class AssetForm(forms.ModelForm):
    class Meta:
        model = Asset
        fields = ["kind", "name", "vendor", "product", "version", "cpe", "caretaker", "note"]

    def clean_cpe(self) -> str:
        value = (self.cleaned_data.get("cpe") or "").strip()
        if value and not value.lower().startswith(("cpe:/", "cpe:2.3:")):
            raise forms.ValidationError(_("CPE名は cpe:/ または cpe:2.3: で始まります。分からなければ空欄のままで構いません。"))
        return value


class AssetImportForm(forms.Form):
    file = forms.FileField(label=_("資産の一覧（CSV または Excel）"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
                           error_messages={"required": _("ファイルを選んでください。"), "empty": _("ファイルが空です。")})
