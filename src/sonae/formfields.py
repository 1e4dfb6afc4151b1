"""Form field defaults shared by the apps' ModelForms."""

from __future__ import annotations

from django.db import models


def https_by_default(db_field: models.Field, **kwargs):
    """ModelForm `formfield_callback`: a URL typed without a scheme is read as https://, not http://.

    This is Django 6's default; saying it here also keeps Django 5.2 from warning about the change.
    """
    if isinstance(db_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return db_field.formfield(**kwargs)
