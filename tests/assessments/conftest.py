"""Fixtures for diagnosis tests: an editor (Dora), and a maker of submitted runs."""

import shutil

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from sonae.catalog import instruments as catalog

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


def revised_catalog(directory, edit, *, archive_old=True):
    """A copy of the shipped instruments where ipa-5min is at version 2027.1, its text changed by
    `edit(raw_yaml) -> raw_yaml`; the old version kept under archive/ when `archive_old`."""
    directory.mkdir()
    for path in catalog.INSTRUMENTS_DIR.glob("*.yaml"):
        shutil.copy(path, directory / path.name)
    current = directory / "ipa-5min.yaml"
    raw = current.read_text(encoding="utf-8")
    if archive_old:
        (directory / "archive" / "ipa-5min").mkdir(parents=True)
        shutil.copy(current, directory / "archive" / "ipa-5min" / "2019.1.yaml")
    assert 'version: "2019.1"' in raw
    revised = edit(raw)
    assert revised != raw
    current.write_text(revised.replace('version: "2019.1"', 'version: "2027.1"'), encoding="utf-8")
    return directory


@pytest.fixture
def use_catalog(monkeypatch):
    """Switch the instrument catalog to another folder for one test."""
    def switch(directory):
        monkeypatch.setattr(catalog, "INSTRUMENTS_DIR", directory)
        catalog.load_instruments.cache_clear()
    yield switch
    catalog.load_instruments.cache_clear()
