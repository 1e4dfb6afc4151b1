"""Reads: the organisation's effective policy, its upstream, and the usage summaries."""

from __future__ import annotations

import datetime as dt
import logging
import os
import time
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count, Sum
from django.utils import timezone

from sonae.engines.textscan import DEFAULT_ACTIONS, Policy, TextScanError
from sonae.orgs.access import access_roles_sql
from sonae.orgs.models import Organisation

from .models import AiPolicy, AiUsage, GatewayToken, GatewayUpstream
from .secretbox import decrypt

log = logging.getLogger(__name__)


def ai_policy_of(org) -> AiPolicy:
    """The stored policy, or an unsaved one with the engine's defaults."""
    try:
        return org.ai_policy
    except AiPolicy.DoesNotExist:
        return AiPolicy(org=org)


def guideline_terms_of(org) -> list[str]:
    """入力禁止情報 from the latest approved 生成AI利用ガイドライン, when the documents area is installed."""
    if not apps.is_installed("sonae.documents"):
        return []
    try:
        from sonae.documents.selectors import forbidden_terms_for_org
    except ImportError:
        return []
    try:
        return list(forbidden_terms_for_org(org) or [])
    except Exception:  # a broken guideline must not stop the checker; the owner sees own terms
        log.exception("could not read the AI guideline's forbidden terms for org %s", org.pk)
        return []


@dataclass(frozen=True)
class EffectivePolicy:
    stored: AiPolicy
    policy: Policy
    own_terms: list[str]
    guideline_terms: list[str]


def effective_policy_of(org) -> EffectivePolicy:
    stored = ai_policy_of(org)
    own = stored.term_list()
    guideline = guideline_terms_of(org)
    actions = {t: a for t, a in (stored.actions or {}).items() if t in DEFAULT_ACTIONS and a in ("block", "mask", "warn")}
    terms = list(dict.fromkeys(own + guideline))
    try:
        policy = Policy(actions=actions, custom_terms=tuple(terms))
    except TextScanError:  # e.g. an over-long guideline term: keep the organisation's own list
        policy = Policy(actions=actions, custom_terms=tuple(t for t in own if len(t) <= 200)[:2000])
    return EffectivePolicy(stored, policy, own, guideline)


@dataclass(frozen=True)
class Upstream:
    base_url: str
    api_key: str
    allowed_models: tuple[str, ...]
    source: str  # "org" or "env"


def _env_key() -> str:
    if os.environ.get("SONAE_GATEWAY_UPSTREAM_KEY_FILE"):
        try:
            return Path(os.environ["SONAE_GATEWAY_UPSTREAM_KEY_FILE"]).read_text(encoding="utf-8").strip()
        except OSError:
            log.error("SONAE_GATEWAY_UPSTREAM_KEY_FILE cannot be read")
            return ""
    return os.environ.get("SONAE_GATEWAY_UPSTREAM_KEY", "")


def upstream_of(org) -> Upstream | None:
    """The organisation's own upstream, else the installation's (SONAE_GATEWAY_UPSTREAM_URL), else None."""
    configured = GatewayUpstream.objects.filter(org=org).first()
    if configured and configured.base_url:
        key = decrypt(configured.api_key_encrypted)
        if key is None:
            return None
        return Upstream(configured.base_url.rstrip("/"), key, tuple(configured.model_list()), "org")
    env_url = os.environ.get("SONAE_GATEWAY_UPSTREAM_URL", "").strip()
    if env_url:
        models = tuple(configured.model_list()) if configured else ()
        return Upstream(env_url.rstrip("/"), _env_key(), models, "env")
    return None


# --- who is calling the gateway: one query per request, never cached ----------------------------------


@dataclass(frozen=True)
class GatewayCaller:
    token_id: int
    user_id: int
    org_id: int
    role: str  # the member's role, else the advisor grant's
    is_advisor: bool
    seen_recently: bool  # last_used_at within the last minute (so it need not be written again)


LAST_USED_RESOLUTION_SECONDS = 60
_caller_sql: dict[str, str] = {}


def _gateway_caller_sql() -> str:
    """The statement behind `gateway_caller`, built once from the models' tables and columns.

    The token's own rules (not revoked, the user active) plus `get_org_access`'s, taken from
    `sonae.orgs.access.access_roles_sql` (a membership, else an advisor grant that is not revoked).
    The ORM needed two queries and ~0.7 ms of Python to compile them on every gateway call; this
    is one statement and ~0.03 ms. tests/aicheck/test_gateway_auth.py checks it agrees with
    get_org_access.
    """
    vendor = connection.vendor
    if vendor not in _caller_sql:
        q = connection.ops.quote_name

        def col(model, name: str) -> str:
            return q(model._meta.get_field(name).column)

        T, U = GatewayToken, get_user_model()
        user_ref, org_ref = f"t.{col(T, 'user')}", f"t.{col(T, 'org')}"
        _caller_sql[vendor] = (
            f"SELECT t.{col(T, 'id')}, {user_ref}, {org_ref}, {access_roles_sql(user_ref, org_ref)}, "
            f"CASE WHEN t.{col(T, 'last_used_at')} IS NOT NULL AND t.{col(T, 'last_used_at')} >= %s THEN 1 ELSE 0 END "
            f"FROM {q(T._meta.db_table)} t "
            f"INNER JOIN {q(U._meta.db_table)} u ON u.{col(U, 'id')} = {user_ref} "
            f"WHERE t.{col(T, 'token_hash')} = %s AND t.{col(T, 'revoked_at')} IS NULL AND u.{col(U, 'is_active')} = %s "
            f"LIMIT 1"
        )
    return _caller_sql[vendor]


def gateway_caller(token_hash: str, *, now: dt.datetime | None = None) -> GatewayCaller | None:
    """The caller behind a gateway token's digest, or None: unknown or revoked token, inactive user,
    or no longer a member (nor an advisor with a live grant) of the token's organisation.

    Read from the database on every call, so a revocation or removal stops the very next request.
    """
    cutoff = (now or timezone.now()) - dt.timedelta(seconds=LAST_USED_RESOLUTION_SECONDS)
    cutoff_param = GatewayToken._meta.get_field("last_used_at").get_db_prep_value(cutoff, connection)
    with connection.cursor() as cursor:
        cursor.execute(_gateway_caller_sql(), [cutoff_param, token_hash, True])
        row = cursor.fetchone()
    if row is None:
        return None
    token_id, user_id, org_id, member_role, grant_role, seen_recently = row
    if member_role is None and grant_role is None:
        return None
    return GatewayCaller(
        token_id=token_id, user_id=user_id, org_id=org_id, role=member_role or grant_role,
        is_advisor=member_role is None, seen_recently=bool(seen_recently),
    )


# The gateway reads the policy and upstream on every call; keep them for a few seconds per process
# (a policy change reaches every server process within GATEWAY_CACHE_SECONDS; saving here clears it at once).
GATEWAY_CACHE_SECONDS = 5.0
_gateway_cache: dict[int, tuple[float, EffectivePolicy, Upstream | None]] = {}


def gateway_config_of(org, *, ttl: float | None = None) -> tuple[EffectivePolicy, Upstream | None]:
    return gateway_config_for(org.pk, org=org, ttl=ttl)


def gateway_config_for(org_id: int, *, org=None, ttl: float | None = None) -> tuple[EffectivePolicy, Upstream | None]:
    """The policy and upstream of organisation `org_id` (loaded only when not cached)."""
    from django.conf import settings

    if ttl is None:
        ttl = 0.0 if getattr(settings, "TESTING", False) else GATEWAY_CACHE_SECONDS
    now = time.monotonic()
    cached = _gateway_cache.get(org_id)
    if cached and cached[0] > now:
        return cached[1], cached[2]
    if org is None:
        org = Organisation.objects.get(pk=org_id)
    effective, upstream = effective_policy_of(org), upstream_of(org)
    if ttl > 0:
        _gateway_cache[org_id] = (now + ttl, effective, upstream)
    return effective, upstream


def gateway_cache_clear(org_id: int | None = None) -> None:
    if org_id is None:
        _gateway_cache.clear()
    else:
        _gateway_cache.pop(org_id, None)


def month_bounds(year: int, month: int) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    start = dt.datetime(year, month, 1, tzinfo=tz)
    end = dt.datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=tz)
    return start, end


def usage_rows(*, org, start: dt.datetime, end: dt.datetime):
    return AiUsage.objects.filter(org=org, created_at__gte=start, created_at__lt=end).select_related("user")


def usage_by_member(*, org, start: dt.datetime, end: dt.datetime) -> list[dict]:
    """Per member: requests, blocked, masked, warned, tokens and the types found (活用状況)."""
    rows = usage_rows(org=org, start=start, end=end)
    summary: dict[object, dict] = {}
    for row in rows.values("user__email", "outcome", "prompt_tokens", "completion_tokens", "found"):
        email = row["user__email"] or "—"
        entry = summary.setdefault(
            email,
            {"email": email, "requests": 0, "blocked": 0, "masked": 0, "warned": 0, "prompt_tokens": 0, "completion_tokens": 0, "found": {}},
        )
        entry["requests"] += 1
        if row["outcome"] in ("blocked", "masked", "warned"):
            entry[row["outcome"]] += 1
        entry["prompt_tokens"] += row["prompt_tokens"]
        entry["completion_tokens"] += row["completion_tokens"]
        for type_, count in (row["found"] or {}).items():
            entry["found"][type_] = entry["found"].get(type_, 0) + int(count)
    return sorted(summary.values(), key=lambda e: (-e["requests"], e["email"]))


def usage_month_counts(*, org, start: dt.datetime, end: dt.datetime) -> dict:
    rows = usage_rows(org=org, start=start, end=end)
    totals = rows.aggregate(n=Count("id"), p=Sum("prompt_tokens"), c=Sum("completion_tokens"))
    blocked = rows.filter(outcome=AiUsage.Outcome.BLOCKED).count()
    return {"requests": totals["n"] or 0, "prompt_tokens": totals["p"] or 0, "completion_tokens": totals["c"] or 0, "blocked": blocked}
