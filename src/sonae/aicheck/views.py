"""Pages: the AI input checker, the organisation's AI policy, gateway tokens/upstream, usage (活用状況)."""

from __future__ import annotations

import csv
import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sonae.catalog.use_cases import load_use_cases
from sonae.engines.textscan import DEFAULT_ACTIONS, LABELS, TYPES, TextScanError, scan
from sonae.i18n import pick
from sonae.orgs.access import OrgAccess, org_view
from sonae.orgs.choices import Role

from .forms import PAGE_MAX_CHARS, CheckForm, GatewayTokenForm, PolicyForm, UpstreamForm
from .models import AiUsage, GatewayToken, GatewayUpstream
from .present import ACTION_LABELS, ADVICE, check_result_context
from .present import finding_label as _label
from .selectors import effective_policy_of, month_bounds, upstream_of, usage_by_member, usage_month_counts, usage_rows
from .services import (
    MAX_GATEWAY_TOKENS_PER_MEMBER,
    ai_policy_save,
    gateway_token_create,
    gateway_token_revoke,
    gateway_upstream_save,
    usage_record,
)

@org_view(read=Role.VIEWER, write=Role.VIEWER)
def aicheck_home(request: HttpRequest, org) -> HttpResponse:
    effective = effective_policy_of(org)
    form = CheckForm(request.POST or None)
    context = {"org": org, "form": form, "page_max_chars": PAGE_MAX_CHARS, "logging": effective.stored.log_page_checks,
               "is_owner": request.org_access.is_owner}
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["text"]
        try:
            result = scan(text, effective.policy)
        except TextScanError as exc:
            form.add_error("text", pick(exc))
        else:
            context.update(check_result_context(text, result))
            if effective.stored.log_page_checks:
                usage_record(
                    org=org, user=request.user, channel=AiUsage.Channel.PAGE, outcome=AiUsage.Outcome.CHECKED,
                    found=result.counts, prompt_text=result.policy_masked, store_text=effective.stored.log_prompt_text,
                )
    return render(request, "aicheck/check.html", context)


@org_view(read=Role.VIEWER, write=Role.OWNER)
def aicheck_policy(request: HttpRequest, org) -> HttpResponse:
    effective = effective_policy_of(org)
    stored = effective.stored
    initial = {f"action_{t}": effective.policy.action_for(t) for t in TYPES}
    initial.update(custom_terms=stored.custom_terms, log_page_checks=stored.log_page_checks, log_prompt_text=stored.log_prompt_text)
    form = PolicyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        ai_policy_save(
            org=org, by=request.user, actions=form.actions(), custom_terms=form.cleaned_data["custom_terms"],
            log_page_checks=form.cleaned_data["log_page_checks"], log_prompt_text=form.cleaned_data["log_prompt_text"],
        )
        messages.success(request, _("生成AIの入力ルールを保存しました。"))
        return redirect("aicheck_policy", org_id=org.id)
    rules = [{"type": t, "label": _label(t), "action": effective.policy.action_for(t), "action_label": ACTION_LABELS[effective.policy.action_for(t)],
              "default": DEFAULT_ACTIONS[t], "advice": ADVICE[t]} for t in TYPES]
    return render(request, "aicheck/policy.html", {
        "org": org, "form": form, "rules": rules, "can_edit": request.org_access.is_owner,
        "own_terms_count": len(effective.own_terms), "guideline_terms": effective.guideline_terms, "stored": stored,
    })


def get_gateway_token_for_user(request: HttpRequest, access: OrgAccess, token_id: int) -> GatewayToken:
    """A member sees and revokes their own gateway tokens; an owner every token of the organisation."""
    tokens = GatewayToken.objects.filter(org=access.org)
    if not access.is_owner:
        tokens = tokens.filter(user=request.user)
    return get_object_or_404(tokens, id=token_id)


@org_view(read=Role.VIEWER, write=Role.VIEWER)
def gateway_settings(request: HttpRequest, org) -> HttpResponse:
    access = request.org_access
    form = GatewayTokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        mine = GatewayToken.objects.filter(org=org, user=request.user, revoked_at=None).count()
        if mine >= MAX_GATEWAY_TOKENS_PER_MEMBER:
            messages.error(request, _("ゲートウェイのトークンは一人10個までです。使っていないものを取り消してください。"))
        else:
            _token, new_token = gateway_token_create(org=org, user=request.user, name=form.cleaned_data["name"])
            form = GatewayTokenForm()
    tokens = GatewayToken.objects.filter(org=org).select_related("user")
    if not access.is_owner:
        tokens = tokens.filter(user=request.user)
    stored = GatewayUpstream.objects.filter(org=org).first()
    upstream = upstream_of(org)
    return render(request, "aicheck/gateway.html", {
        "org": org, "form": form, "tokens": tokens, "new_token": new_token, "is_owner": access.is_owner,
        "upstream": upstream, "stored_upstream": stored,
        "key_unreadable": bool(stored and stored.base_url and upstream is None),
        "upstream_form": UpstreamForm(initial={"base_url": stored.base_url if stored else "", "allowed_models": stored.allowed_models if stored else ""}),
        "gateway_url": settings.SITE_URL + "/v1",
    })


@org_view(read=Role.OWNER, write=Role.OWNER)
@require_POST
def gateway_upstream(request: HttpRequest, org) -> HttpResponse:
    form = UpstreamForm(request.POST)
    if not form.is_valid():
        stored = GatewayUpstream.objects.filter(org=org).first()
        return render(request, "aicheck/gateway.html", {
            "org": org, "form": GatewayTokenForm(), "tokens": GatewayToken.objects.filter(org=org).select_related("user"),
            "is_owner": True, "upstream": upstream_of(org), "stored_upstream": stored, "upstream_form": form,
            "gateway_url": settings.SITE_URL + "/v1",
        }, status=400)
    key = form.cleaned_data["api_key"]
    api_key = "" if form.cleaned_data["remove_key"] else (key or None)
    gateway_upstream_save(org=org, by=request.user, base_url=form.cleaned_data["base_url"], api_key=api_key,
                          allowed_models=form.cleaned_data["allowed_models"])
    messages.success(request, _("接続先を保存しました。"))
    return redirect("aicheck_gateway", org_id=org.id)


@org_view(read=Role.VIEWER, write=Role.VIEWER)
@require_POST
def gateway_token_revoke_view(request: HttpRequest, org, gateway_token_id: int) -> HttpResponse:
    token = get_gateway_token_for_user(request, request.org_access, gateway_token_id)
    gateway_token_revoke(token=token, by=request.user)
    messages.success(request, _("トークンを取り消しました。"))
    return redirect("aicheck_gateway", org_id=org.id)


def _month_of(request: HttpRequest) -> tuple[int, int]:
    today = timezone.localdate()
    raw = request.GET.get("month", "")
    try:
        year, month = (int(part) for part in raw.split("-", 1))
        if 2000 <= year <= 2100 and 1 <= month <= 12:
            return year, month
    except ValueError:
        pass
    return today.year, today.month


@org_view(read=Role.OWNER, write=Role.OWNER)
def aicheck_usage(request: HttpRequest, org) -> HttpResponse:
    year, month = _month_of(request)
    start, end = month_bounds(year, month)
    previous = (start - dt.timedelta(days=1))
    members = usage_by_member(org=org, start=start, end=end)
    for entry in members:
        entry["found_labels"] = [(_label(t), n) for t, n in sorted(entry["found"].items(), key=lambda kv: -kv[1]) if t in LABELS]
    return render(request, "aicheck/usage.html", {
        "org": org, "year": year, "month": month, "month_value": f"{year:04d}-{month:02d}",
        "previous": f"{previous.year:04d}-{previous.month:02d}",
        "next": f"{end.year:04d}-{end.month:02d}" if end <= timezone.now() else "",
        "members": members, "totals": usage_month_counts(org=org, start=start, end=end),
        "recent": usage_rows(org=org, start=start, end=end)[:50],
        "labels": {t: _label(t) for t in TYPES},
    })


@org_view(read=Role.OWNER, write=Role.OWNER)
def aicheck_usage_csv(request: HttpRequest, org) -> HttpResponse:
    year, month = _month_of(request)
    start, end = month_bounds(year, month)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="ai-usage-{year:04d}-{month:02d}.csv"'
    response.write("\ufeff")  # BOM so Excel opens UTF-8 Japanese correctly
    writer = csv.writer(response)
    writer.writerow([_("日時"), _("利用者"), _("経路"), _("結果"), _("モデル"), _("入力トークン"), _("出力トークン"), _("推定"), _("見つかった種類"),
                     _("用途"), _("部署")])
    catalogue = load_use_cases()
    for row in usage_rows(org=org, start=start, end=end).order_by("created_at"):
        found = " ".join(f"{_label(t) if t in LABELS else t}×{n}" for t, n in (row.found or {}).items())
        use_case, department = catalogue.get(row.use_case), catalogue.department(row.department)
        writer.writerow([
            timezone.localtime(row.created_at).strftime("%Y-%m-%d %H:%M:%S"), _csv_safe(row.user.email if row.user else ""),
            row.get_channel_display(), row.get_outcome_display(), _csv_safe(row.model), row.prompt_tokens, row.completion_tokens,
            _("はい") if row.tokens_estimated else "", found,
            pick(use_case.title) if use_case else row.use_case, pick(department.name) if department else row.department,
        ])
    return response


def _csv_safe(value: str) -> str:
    # A cell starting with = + - @ would run as a formula in Excel (CSV injection).
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def dashboard_panel(request: HttpRequest, org) -> str:
    access = getattr(request, "org_access", None)
    context = {"org": org, "is_owner": bool(access and access.is_owner)}
    if context["is_owner"]:
        today = timezone.localdate()
        start, end = month_bounds(today.year, today.month)
        context["totals"] = usage_month_counts(org=org, start=start, end=end)
    return render_to_string("aicheck/_panel.html", context, request=request)
