"""Writes: the policy, gateway tokens, the upstream and usage records (audited where a person acts)."""

from __future__ import annotations

import secrets

from django.db import transaction
from django.utils import timezone

from sonae.orgs.models import AuditEntry, hash_token
from sonae.orgs.services import audit

from .models import AiPolicy, AiUsage, GatewayToken, GatewayUpstream
from .secretbox import encrypt
from .selectors import gateway_cache_clear

GATEWAY_TOKEN_PREFIX = "sgw_"
MAX_GATEWAY_TOKENS_PER_MEMBER = 10


def ai_policy_save(*, org, by, actions: dict[str, str], custom_terms: str, log_page_checks: bool, log_prompt_text: bool) -> AiPolicy:
    with transaction.atomic():
        policy, _created = AiPolicy.objects.select_for_update().get_or_create(org=org)
        changes = {}
        if policy.actions != actions:
            changes["actions"] = [policy.actions, actions]
        if policy.custom_terms != custom_terms:
            # Count only: the terms themselves are confidential (customer and project names).
            changes["custom_terms"] = [len(policy.term_list()), len([t for t in custom_terms.splitlines() if t.strip()])]
        for name, value in (("log_page_checks", log_page_checks), ("log_prompt_text", log_prompt_text)):
            if getattr(policy, name) != value:
                changes[name] = [getattr(policy, name), value]
        policy.actions = actions
        policy.custom_terms = custom_terms
        policy.log_page_checks = log_page_checks
        policy.log_prompt_text = log_prompt_text
        policy.updated_by = by
        policy.save()
        audit(org=org, actor=by, action=AuditEntry.Action.UPDATE, obj=policy, changes=changes)
    gateway_cache_clear(org.pk)
    return policy


def gateway_token_create(*, org, user, name: str) -> tuple[GatewayToken, str]:
    plain = GATEWAY_TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = GatewayToken.objects.create(org=org, user=user, name=name, prefix=plain[:10], token_hash=hash_token(plain))
        audit(org=org, actor=user, action=AuditEntry.Action.CREATE, obj=token, changes={"name": name})
    return token, plain


def gateway_token_revoke(*, token: GatewayToken, by) -> None:
    if token.revoked_at is not None:
        return
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit(org=token.org, actor=by, action=AuditEntry.Action.UPDATE, obj=token, changes={"revoked": True})


def gateway_upstream_save(*, org, by, base_url: str, api_key: str | None, allowed_models: str) -> GatewayUpstream:
    """`api_key=None` keeps the stored key; an empty string removes it."""
    with transaction.atomic():
        upstream, _created = GatewayUpstream.objects.select_for_update().get_or_create(org=org)
        changes = {}
        if upstream.base_url != base_url:
            changes["base_url"] = [upstream.base_url, base_url]
        if upstream.allowed_models != allowed_models:
            changes["allowed_models"] = [upstream.allowed_models, allowed_models]
        upstream.base_url = base_url
        upstream.allowed_models = allowed_models
        if api_key is not None:
            upstream.api_key_encrypted = encrypt(api_key)
            upstream.api_key_last4 = api_key[-4:] if api_key else ""
            changes["api_key"] = "changed (not recorded)"
        upstream.save()
        audit(org=org, actor=by, action=AuditEntry.Action.UPDATE, obj=upstream, changes=changes)
    gateway_cache_clear(org.pk)
    return upstream


def _usage_values(
    *,
    channel: str,
    outcome: str,
    found: dict[str, int] | None = None,
    model: str = "",
    prompt_tokens: int = 0,
    completion_tokens: int = 0,
    tokens_estimated: bool = False,
    status_code: int | None = None,
    duration_ms: int = 0,
    prompt_text: str = "",
    store_text: bool = False,
    use_case: str = "",
    department: str = "",
) -> dict:
    """The columns of a usage row; the one place that decides what is kept (never the text unless opted in)."""
    return {
        "created_at": timezone.now(),
        "channel": channel,
        "outcome": outcome,
        "found": dict(found or {}),
        "model": model[:200],
        "prompt_tokens": max(0, int(prompt_tokens or 0)),
        "completion_tokens": max(0, int(completion_tokens or 0)),
        "tokens_estimated": tokens_estimated,
        "status_code": status_code,
        "duration_ms": max(0, int(duration_ms)),
        "prompt_text": prompt_text[:200_000] if store_text else "",
        "use_case": use_case[:64],
        "department": department[:32],
    }


def usage_record(*, org, user, channel: str, **fields) -> AiUsage:
    """One line of the usage log (`fields` as `_usage_values` takes them). `prompt_text` is kept only
    when `store_text` (the organisation opted in)."""
    return AiUsage.objects.create(
        org=org,
        user=user if getattr(user, "is_authenticated", False) else None,
        **_usage_values(channel=channel, **fields),
    )


def gateway_usage_record(*, org_id: int, user_id: int, **fields) -> None:
    """`usage_record` for the gateway, which knows the caller by ids (no objects loaded per call)."""
    AiUsage.objects.create(org_id=org_id, user_id=user_id, **_usage_values(channel=AiUsage.Channel.GATEWAY, **fields))
