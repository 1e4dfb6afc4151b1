from django import forms
from django.utils.translation import gettext_lazy as _

from sonae.orgs.validators import validate_plain_text


class ApiTokenForm(forms.Form):
    name = forms.CharField(label=_("名前（用途）"), max_length=100, validators=[validate_plain_text])
