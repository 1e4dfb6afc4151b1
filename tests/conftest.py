"""Shared fixtures: Alice owns an organisation, Bob is a viewer in it, Charlie is an outsider.

Charlie owns an organisation of his own, so "another organisation's ids" are real ids.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from sonae.orgs.choices import Role
from sonae.orgs.models import Membership
from sonae.orgs.services import organisation_create

from support import PASSWORD, make_user  # noqa: F401 - re-exported for older imports


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Argon2 is slow on purpose; tests that are not about hashing use a fast hasher.

    tests/orgs/test_accounts.py checks that the real setting is Argon2.
    """
    from django.conf import settings as real

    settings.SONAE_REAL_PASSWORD_HASHERS = list(real.PASSWORD_HASHERS)
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def alice(db):
    return make_user("alice@example.jp")


@pytest.fixture
def bob(db):
    return make_user("bob@example.jp")


@pytest.fixture
def charlie(db):
    return make_user("charlie@example.jp")


@pytest.fixture
def org(alice, bob):
    org = organisation_create(
        owner=alice, name="株式会社横浜精工", corporate_number="", industry="E", employee_band="6-20", prefecture="神奈川県"
    )
    Membership.objects.create(user=bob, org=org, role=Role.VIEWER)
    return org


@pytest.fixture
def other_org(charlie):
    return organisation_create(
        owner=charlie, name="川崎商事株式会社", corporate_number="", industry="I", employee_band="21-50", prefecture="神奈川県"
    )


def _client_for(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def alice_client(alice, org):
    return _client_for(alice)


@pytest.fixture
def bob_client(bob, org):
    return _client_for(bob)


@pytest.fixture
def charlie_client(charlie, other_org):
    return _client_for(charlie)
