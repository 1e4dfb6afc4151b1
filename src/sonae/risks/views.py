"""Pages of the risk register: list with heat map, create/edit/close, adopt templates."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sonae.catalog.risk_templates import get_risk_template, load_risk_templates
from sonae.i18n import ui_language
from sonae.orgs.access import OrgAccess, org_view
from sonae.orgs.choices import Role
from sonae.orgs.services import audited_save

from .forms import RiskForm
from .models import Risk
from .selectors import adopted_template_ids, heat_map, overdue_reviews, risks_of
from .services import risk_action_create, risk_adopt_template, risk_close


def get_risk_for_user(access: OrgAccess, risk_id: int) -> Risk:
    return get_object_or_404(Risk.objects.select_related("owner"), org=access.org, id=risk_id)


@org_view(read=Role.VIEWER, write=Role.EDITOR)
def risks_home(request: HttpRequest, org) -> HttpResponse:
    show_closed = request.GET.get("closed") == "1"
    risks = list(risks_of(org=org, include_closed=show_closed).order_by("status", "-likelihood", "-impact", "id"))
    risks.sort(key=lambda r: (r.is_closed, -r.score, r.id))
    today = timezone.localdate()
    adopted = adopted_template_ids(org=org)
    language = ui_language()
    templates = [
        {"t": t, "title": t.title.get(language), "adopted": t.id in adopted}
        for t in load_risk_templates().templates
    ]
    return render(request, "risks/list.html", {
        "org": org,
        "rows": [{"risk": r, "overdue": r.review_overdue(today)} for r in risks],
        "grid": heat_map([r for r in risks if not r.is_closed]),
        "show_closed": show_closed,
        "can_write": request.org_access.can_write,
        "genai_templates": [t for t in templates if t["t"].category == "genai"],
        "cyber_templates": [t for t in templates if t["t"].category == "cyber"],
        "catalog_as_of": load_risk_templates().as_of,
        "catalog": load_risk_templates(),
    })


@org_view(read=Role.EDITOR, write=Role.EDITOR)
def risk_new(request: HttpRequest, org) -> HttpResponse:
    form = RiskForm(request.POST or None, org=org)
    if request.method == "POST" and form.is_valid():
        risk = audited_save(form=form, org=org, actor=request.user, created_by=request.user)
        messages.success(request, _("リスクを登録しました。"))
        return redirect("risk_detail", org_id=org.id, risk_id=risk.id)
    return render(request, "risks/form.html", {"org": org, "form": form, "creating": True})


@org_view(read=Role.VIEWER, write=Role.EDITOR)
def risk_detail(request: HttpRequest, org, risk_id: int) -> HttpResponse:
    risk = get_risk_for_user(request.org_access, risk_id)
    form = RiskForm(request.POST or None, instance=risk, org=org)
    if request.method == "POST" and form.is_valid():
        audited_save(form=form, org=org, actor=request.user)
        messages.success(request, _("リスクを更新しました。"))
        return redirect("risk_detail", org_id=org.id, risk_id=risk.id)
    template = get_risk_template(risk.template_id) if risk.template_id else None
    return render(request, "risks/form.html", {
        "org": org, "form": form, "risk": risk, "creating": False, "can_write": request.org_access.can_write,
        "linked": risk.actions.all(), "template": template, "overdue": risk.review_overdue(),
    })


@org_view(read=Role.EDITOR, write=Role.EDITOR)
@require_POST
def risk_close_view(request: HttpRequest, org, risk_id: int) -> HttpResponse:
    risk = get_risk_for_user(request.org_access, risk_id)
    risk_close(risk=risk, by=request.user)
    messages.success(request, _("リスクを終了にしました。"))
    return redirect("risks_home", org_id=org.id)


@org_view(read=Role.EDITOR, write=Role.EDITOR)
@require_POST
def risk_action_new(request: HttpRequest, org, risk_id: int) -> HttpResponse:
    risk = get_risk_for_user(request.org_access, risk_id)
    item = risk_action_create(risk=risk, by=request.user)
    messages.success(request, _("対策リストに追加しました。担当者と期限を確認してください。"))
    return redirect("action_detail", org_id=org.id, action_id=item.id)


@org_view(read=Role.EDITOR, write=Role.EDITOR)
@require_POST
def risk_adopt(request: HttpRequest, org) -> HttpResponse:
    """Adopt one template (`template`) or every template of a category (`category`)."""
    wanted = request.POST.get("template", "")
    category = request.POST.get("category", "")
    templates = load_risk_templates().templates
    if wanted:
        chosen = [t for t in templates if t.id == wanted]
    elif category in ("genai", "cyber"):
        chosen = [t for t in templates if t.category == category]
    else:
        chosen = []
    if not chosen:
        messages.error(request, _("選んだひな形が見つかりません。一覧から選び直してください。"))
        return redirect("risks_home", org_id=org.id)
    language = ui_language()
    added = [r for r in (risk_adopt_template(org=org, template=t, by=request.user, language=language) for t in chosen) if r]
    if added:
        messages.success(request, _("%(n)d件のリスクを台帳に追加しました。起こりやすさ・影響・責任者を自社に合わせて見直してください。") % {"n": len(added)})
    else:
        messages.info(request, _("選んだリスクはすでに台帳にあります。"))
    return redirect("risks_home", org_id=org.id)


def dashboard_panel(request: HttpRequest, org) -> str:
    risks = list(risks_of(org=org))
    overdue = list(overdue_reviews(org=org)[:5])
    return render_to_string("risks/_panel.html", {
        "org": org, "open_count": len(risks), "high_count": sum(1 for r in risks if r.level == "high"),
        "overdue": overdue, "overdue_count": overdue_reviews(org=org).count(),
    }, request=request)
