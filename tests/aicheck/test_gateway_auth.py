"""Who may use the gateway: the one-query caller lookup, and that nothing about the caller is cached.

The gateway keeps the organisation's policy and upstream for a few seconds per process in
production (settings.TESTING turns that off in tests); these tests switch it back on, so a
revocation or removal is shown to stop the very next request even with the cache warm.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.http import Http404
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.db import connection
from django.utils import timezone

from sonae.aicheck.models import AiUsage, GatewayToken
from sonae.aicheck.selectors import gateway_cache_clear, gateway_caller
from sonae.aicheck.services import (
    gateway_token_create,
    gateway_token_revoke,
    gateway_upstream_save,
    gateway_usage_record,
    usage_record,
)
from sonae.orgs.access import get_org_access
from sonae.orgs.choices import Role
from sonae.orgs.models import AdvisorGrant, Membership, hash_token
from sonae.orgs.services import advisor_grant_revoke
from support import make_user


def _chat(text="こんにちは"):
    return json.dumps({"model": "fake-model", "messages": [{"role": "user", "content": text}]}, ensure_ascii=False)


def _post(client):
    return client.post("/v1/chat/completions", data=_chat(), content_type="application/json")


@pytest.fixture
def cached(settings):
    """Production behaviour: the policy/upstream cache is on (5 s)."""
    settings.TESTING = False
    gateway_cache_clear()
    yield
    gateway_cache_clear()


@pytest.fixture
def upstream(org, alice, upstream_server):
    gateway_upstream_save(org=org, by=alice, base_url=upstream_server.url("ok"), api_key="sk-upstream-secret-9876", allowed_models="")
    gateway_cache_clear()


def _client_for(org, user, name="t"):
    _token, plain = gateway_token_create(org=org, user=user, name=name)
    return Client(HTTP_AUTHORIZATION=f"Bearer {plain}"), plain


def test_revoked_token_stops_next_request_with_cache_warm(cached, upstream, org, bob):
    client, _plain = _client_for(org, bob)
    assert _post(client).status_code == 200
    assert client.get("/v1/models").status_code == 200
    gateway_token_revoke(token=GatewayToken.objects.get(user=bob), by=bob)
    assert _post(client).status_code == 401
    assert client.get("/v1/models").status_code == 401


def test_removed_member_stops_next_request_with_cache_warm(cached, upstream, org, bob, alice_client):
    client, _plain = _client_for(org, bob)
    assert _post(client).status_code == 200
    membership = Membership.objects.get(org=org, user=bob)
    alice_client.post(f"/o/{org.id}/members/{membership.id}/remove/")  # the owner's page, not the ORM
    assert not Membership.objects.filter(org=org, user=bob).exists()
    assert _post(client).status_code == 401
    assert client.get("/v1/models").status_code == 401


def test_deactivated_user_stops_next_request(cached, upstream, org, bob):
    client, _plain = _client_for(org, bob)
    assert _post(client).status_code == 200
    bob.is_active = False
    bob.save(update_fields=["is_active"])
    assert _post(client).status_code == 401


def test_advisor_works_until_the_grant_is_revoked(cached, upstream, org, alice):
    advisor = make_user("advisor@example.jp")
    grant = AdvisorGrant.objects.create(org=org, advisor=advisor, role=Role.VIEWER, granted_by=alice)
    client, _plain = _client_for(org, advisor)
    assert _post(client).status_code == 200
    advisor_grant_revoke(grant=grant, by=alice)
    assert _post(client).status_code == 401


def test_token_of_one_org_does_not_open_another(cached, upstream, org, other_org, charlie, bob):
    # Charlie's token is for his own organisation; a membership there does not reach Alice's org.
    client, _plain = _client_for(other_org, charlie)
    _post(client)
    assert AiUsage.objects.filter(org=org).count() == 0
    # Bob made a token in Alice's org and is later removed from it; joining Charlie's org does not revive it.
    bob_client, _plain = _client_for(org, bob)
    Membership.objects.filter(org=org, user=bob).delete()
    Membership.objects.create(org=other_org, user=bob, role=Role.OWNER)
    assert _post(bob_client).status_code == 401


def test_caller_agrees_with_get_org_access(org, other_org, alice, bob, charlie):
    """The gateway's single statement applies get_org_access's rules (member, else live advisor grant)."""
    advisor = make_user("advisor@example.jp")
    revoked_advisor = make_user("revoked-advisor@example.jp")
    twice = make_user("twice@example.jp")  # a revoked grant and a live one
    AdvisorGrant.objects.create(org=org, advisor=advisor, role=Role.EDITOR, granted_by=alice)
    AdvisorGrant.objects.create(org=org, advisor=revoked_advisor, role=Role.EDITOR, granted_by=alice, revoked_at=timezone.now())
    AdvisorGrant.objects.create(org=org, advisor=twice, role=Role.EDITOR, granted_by=alice, revoked_at=timezone.now())
    AdvisorGrant.objects.create(org=org, advisor=twice, role=Role.VIEWER, granted_by=alice)
    cases = []
    for user in (alice, bob, charlie, advisor, revoked_advisor, twice):
        for target in (org, other_org):
            _token, plain = gateway_token_create(org=target, user=user, name="x")
            cases.append((user, target, plain))
    for user, target, plain in cases:
        caller = gateway_caller(hash_token(plain))
        try:
            access = get_org_access(user, target.id)
        except Http404:
            access = None
        assert (caller is None) == (access is None), (user.email, target.name)
        if caller:
            assert (caller.org_id, caller.user_id, caller.role, caller.is_advisor) == (target.id, user.id, access.role, access.is_advisor)
    assert gateway_caller(hash_token("sgw_unknown")) is None


def test_caller_refuses_revoked_token_and_inactive_user(org, bob):
    token, plain = gateway_token_create(org=org, user=bob, name="x")
    assert gateway_caller(hash_token(plain)).user_id == bob.id
    bob.is_active = False
    bob.save(update_fields=["is_active"])
    assert gateway_caller(hash_token(plain)) is None
    bob.is_active = True
    bob.save(update_fields=["is_active"])
    gateway_token_revoke(token=token, by=bob)
    assert gateway_caller(hash_token(plain)) is None


def test_last_used_is_written_at_most_once_a_minute(cached, upstream, org, bob):
    client, _plain = _client_for(org, bob)
    token = GatewayToken.objects.get(user=bob)
    assert token.last_used_at is None
    assert _post(client).status_code == 200
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None
    assert _post(client).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at == first  # within the minute: not written again
    GatewayToken.objects.filter(pk=token.pk).update(last_used_at=first - dt.timedelta(seconds=61))
    assert _post(client).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at > first


def test_a_warm_gateway_call_makes_two_queries(cached, upstream, org, bob):
    """The caller lookup and the usage row; the policy and upstream come from the per-process cache."""
    client, _plain = _client_for(org, bob)
    assert _post(client).status_code == 200  # warms the cache, writes last_used_at
    with CaptureQueriesContext(connection) as queries:
        assert _post(client).status_code == 200
    statements = [q["sql"].split()[0].upper() for q in queries.captured_queries]
    assert statements == ["SELECT", "INSERT"], [q["sql"][:120] for q in queries.captured_queries]


def test_gateway_usage_row_matches_usage_record(org, bob):
    """The gateway's usage row is the same as the service's (text only when opted in)."""
    found = {"phone": 2, "email": 1}
    common = dict(outcome="masked", found=found, model="m" * 250, prompt_tokens=-5, completion_tokens=7,
                  tokens_estimated=True, status_code=200, duration_ms=12, prompt_text="<電話番号_1> です")
    usage_record(org=org, user=bob, channel=AiUsage.Channel.GATEWAY, **common)
    gateway_usage_record(org_id=org.id, user_id=bob.id, **common)
    gateway_usage_record(org_id=org.id, user_id=bob.id, **{**common, "store_text": True})
    columns = [f.attname for f in AiUsage._meta.concrete_fields if f.attname not in ("id", "created_at")]
    orm, fast, opted_in = (AiUsage.objects.order_by("id").values(*columns))
    assert fast == orm
    assert fast["found"] == found and fast["prompt_text"] == "" and fast["prompt_tokens"] == 0 and len(fast["model"]) == 200
    assert opted_in["prompt_text"] == "<電話番号_1> です"
    created = list(AiUsage.objects.order_by("id").values_list("created_at", flat=True))
    assert all(timezone.is_aware(c) for c in created) and abs(created[1] - created[0]) < dt.timedelta(minutes=1)
