"""Fixtures for diagnosis tests: an editor (Dora), and a maker of submitted runs."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from sonae.assessments.services import answers_save, diagnosis_start, diagnosis_submit
from sonae.catalog.instruments import get_instrument
from sonae.orgs.choices import Role
from sonae.orgs.models import Membership


def submitted_run(org, user, points_by_number=None, default=None, instrument_id="ipa-5min"):
    """A submitted run; every item gets `default` (the best answer if None) unless
    `points_by_number` names its number."""
    instrument = get_instrument(instrument_id)
    diagnosis = diagnosis_start(org=org, instrument_id=instrument_id, by=user)
    overrides = points_by_number or {}
    best = instrument.best_points if default is None else default
    values = {item.id: overrides.get(item.number, best) for item in instrument.items}
    answers_save(diagnosis=diagnosis, values=values, by=user)
    return diagnosis_submit(diagnosis=diagnosis, by=user)


@pytest.fixture
def run_maker():
    return submitted_run


@pytest.fixture
def ipa_ids():
    return [item.id for item in get_instrument("ipa-5min").items]


@pytest.fixture
def make_editor(org):
    user = get_user_model().objects.create_user(username="dora", email="dora@example.jp", password="x-Very-long-pass-1")
    Membership.objects.create(user=user, org=org, role=Role.EDITOR)
    client = Client()
    client.force_login(user)
    return client, user
