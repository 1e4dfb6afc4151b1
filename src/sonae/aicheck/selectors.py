"""Reads: the organisation's effective policy, its upstream, and the usage summaries."""

from __future__ import annotations

import datetime as dt
import logging
import os
import time
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.db.models import Count, Sum
from django.utils import timezone

from sonae.engines.textscan import DEFAULT_ACTIONS, Policy, TextScanError

from .models import AiPolicy, AiUsage, GatewayUpstream
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


# The gateway reads the policy and upstream on every call; keep them for a few seconds per process
# (a policy change reaches every server process within GATEWAY_CACHE_SECONDS; saving here clears it at once).
GATEWAY_CACHE_SECONDS = 5.0
_gateway_cache: dict[int, tuple[float, EffectivePolicy, Upstream | None]] = {}


def gateway_config_of(org, *, ttl: float | None = None) -> tuple[EffectivePolicy, Upstream | None]:
    from django.conf import settings

    if ttl is None:
        ttl = 0.0 if getattr(settings, "TESTING", False) else GATEWAY_CACHE_SECONDS
    now = time.monotonic()
    cached = _gateway_cache.get(org.pk)
    if cached and cached[0] > now:
        return cached[1], cached[2]
    effective, upstream = effective_policy_of(org), upstream_of(org)
    if ttl > 0:
        _gateway_cache[org.pk] = (now + ttl, effective, upstream)
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
