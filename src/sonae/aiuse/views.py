"""Pages of 生成AIの活用: the use-case catalogue, a use case, its prompt templates, adoption, and who uses what."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from sonae.aicheck.gateway import UsageTags, complete_chat
from sonae.aicheck.present import check_result_context
from sonae.aicheck.selectors import effective_policy_of, month_bounds, upstream_of
from sonae.aicheck.views import _month_of
from sonae.catalog.instruments import get_instrument
from sonae.catalog.risk_templates import get_risk_template
from sonae.catalog.use_cases import RISK_TEMPLATES, PromptTemplate, UseCase, load_use_cases
from sonae.documents.services import DocumentError
from sonae.engines.textscan import LABELS, TextScanError, scan
from sonae.i18n import pick
from sonae.orgs.choices import Role
from sonae.orgs.access import org_view
from sonae.risks.selectors import adopted_template_ids

from .forms import TemplateForm, fill_template
from .qa import model_for
from .selectors import adoption_of, use_case_usage
from .services import template_use_record, use_case_adopt

GROUPS = ("general", "front", "back", "middle")  # the seminar's table: 汎用業務, then フロント・バックオフィス・ミドル
SESSION_DEPARTMENT = "aiuse_department"


def get_use_case(use_case_id: str) -> UseCase:
    """A use case of the catalogue (shared by every organisation), or 404."""
    use_case = load_use_cases().get(use_case_id)
    if use_case is None:
        raise Http404
    return use_case


def get_template(use_case: UseCase, template_id: str) -> PromptTemplate:
    template = use_case.template(template_id)
    if template is None:
        raise Http404
    return template


def _group_label(group: str) -> str:
    return {"general": _("汎用業務（全部門）"), "front": _("フロント業務"), "back": _("バックオフィス業務"), "middle": _("ミドル業務")}[group]


def _risks(use_case: UseCase, adopted: set[str] | None = None) -> list[dict]:
    """The use case's risks with their label, countermeasures and register template."""
    tags = get_instrument("genai-use").tags
    out = []
    for risk in use_case.risks:
        template_id = RISK_TEMPLATES[risk]
        out.append({
            "tag": risk, "label": pick(tags[risk]), "countermeasures": use_case.countermeasures_for(risk),
            "template": get_risk_template(template_id), "in_register": adopted is not None and template_id in adopted,
        })
    return out


@org_view(read=Role.VIEWER, write=Role.EDITOR)
def aiuse_catalogue(request: HttpRequest, org) -> HttpResponse:
    catalogue = load_use_cases()
    department = request.GET.get("department", "")
    risk = request.GET.get("risk", "")
    chosen = catalogue.department(department)
    tags = get_instrument("genai-use").tags
    adoption = adoption_of(org)
    groups = []
    for group in GROUPS:
        departments = []
        for dep in (d for d in catalogue.departments if d.group == group):
            if chosen is not None and dep.id != chosen.id:
                continue
            cases = [u for u in catalogue.of_department(dep.id) if not risk or risk in u.risks]
            if cases:
                departments.append({"department": dep, "cases": [
                    {"use_case": u, "status": adoption.status_of(u), "risks": [pick(tags[r]) for r in u.risks]} for u in cases]})
        if departments:
            groups.append({"label": _group_label(group), "departments": departments})
    return render(request, "aiuse/catalogue.html", {
        "org": org, "groups": groups, "departments": catalogue.departments, "department": department if chosen else "",
        "risk": risk if risk in tags else "", "risk_tags": [(t, pick(label)) for t, label in tags.items()],
        "as_of": catalogue.as_of, "adoption": adoption, "is_owner": request.org_access.is_owner,
        "count": sum(len(d["cases"]) for g in groups for d in g["departments"]),
    })


@org_view(read=Role.VIEWER, write=Role.EDITOR)
def aiuse_use_case(request: HttpRequest, org, use_case_id: str) -> HttpResponse:
    use_case = get_use_case(use_case_id)
    catalogue = load_use_cases()
    adoption = adoption_of(org)
    return render(request, "aiuse/use_case.html", {
        "org": org, "use_case": use_case, "department": catalogue.department(use_case.department),
        "risks": _risks(use_case, adopted_template_ids(org=org)), "status": adoption.status_of(use_case), "adoption": adoption,
        "can_write": request.org_access.can_write,
    })


@org_view(read=Role.EDITOR, write=Role.EDITOR)
@require_POST
def aiuse_adopt(request: HttpRequest, org, use_case_id: str) -> HttpResponse:
    use_case = get_use_case(use_case_id)
    try:
        draft, added = use_case_adopt(org=org, use_case=use_case, by=request.user)
    except DocumentError as error:
        messages.error(request, error.message)
        return redirect("aiuse_use_case", org_id=org.id, use_case_id=use_case.id)
    if added:
        messages.success(request, _("生成AI利用ガイドラインの下書き（第%(n)d版）の「業務で認める用途」に追加しました。"
                                    "オーナーが承認すると、社内ルールとして有効になります。") % {"n": draft.number})
    else:
        messages.info(request, _("この用途は、ガイドラインの下書き（第%(n)d版）にすでにあります。") % {"n": draft.number})
    return redirect("aiuse_use_case", org_id=org.id, use_case_id=use_case.id)


@org_view(read=Role.VIEWER, write=Role.VIEWER)
def aiuse_template(request: HttpRequest, org, use_case_id: str, template_id: str) -> HttpResponse:
    """Fill a template; the prompt is then checked with the organisation's policy before it can be copied or sent."""
    use_case = get_use_case(use_case_id)
    template = get_template(use_case, template_id)
    catalogue = load_use_cases()
    initial_department = request.session.get(SESSION_DEPARTMENT) or use_case.department
    form = TemplateForm(request.POST or None, template=template, catalogue=catalogue,
                        initial={"department": initial_department if catalogue.department(initial_department) else "all"})
    effective = effective_policy_of(org)
    can_send = bool(upstream_of(org)) and bool(model_for(org))
    context = {
        "org": org, "use_case": use_case, "template": template, "form": form, "risks": _risks(use_case),
        "can_send": can_send, "log_text": effective.stored.log_prompt_text, "is_owner": request.org_access.is_owner,
    }
    if request.method == "POST" and form.is_valid():
        department = form.cleaned_data["department"]
        request.session[SESSION_DEPARTMENT] = department
        try:
            prompt = fill_template(template, form.values())
            result = scan(prompt, effective.policy)
        except TextScanError as exc:
            form.add_error(None, pick(exc))
            return render(request, "aiuse/template.html", context, status=400)
        except forms.ValidationError as exc:  # the filled prompt is too long
            form.add_error(None, exc.messages[0])
            return render(request, "aiuse/template.html", context, status=400)
        context.update(check_result_context(prompt, result), prompt=prompt)
        if request.POST.get("action") == "send" and can_send:
            outcome = complete_chat(org_id=org.id, user_id=request.user.id, model=model_for(org),
                                    messages=[{"role": "user", "content": prompt}], tags=UsageTags(use_case.id, department))
            context.update(sent=True, answer=outcome.answer_text() if outcome.ok else "",
                           send_blocked=pgettext("list separator", "、").join(pick(LABELS[t]) for t in outcome.blocked_types if t in LABELS),
                           send_failed=not outcome.ok and not outcome.blocked_types)
        else:
            template_use_record(org=org, user=request.user, use_case=use_case, department=department, found=result.counts,
                                masked_text=result.policy_masked, store_text=effective.stored.log_prompt_text)
    return render(request, "aiuse/template.html", context, status=400 if form.errors else 200)


@org_view(read=Role.OWNER, write=Role.OWNER)
def aiuse_usage(request: HttpRequest, org) -> HttpResponse:
    """活用状況 by use case and department, from the usage log (template checks, gateway calls, Q&A answers)."""
    year, month = _month_of(request)
    start, end = month_bounds(year, month)
    previous = start - dt.timedelta(days=1)
    return render(request, "aiuse/usage.html", {
        "org": org, "year": year, "month": month, "month_value": f"{year:04d}-{month:02d}",
        "previous": f"{previous.year:04d}-{previous.month:02d}",
        "next": f"{end.year:04d}-{end.month:02d}" if end <= timezone.now() else "",
        "matrix": use_case_usage(org=org, start=start, end=end),
    })


def dashboard_panel(request: HttpRequest, org) -> str:
    adoption = adoption_of(org)
    catalogue = load_use_cases()
    allowed = sum(1 for u in catalogue.use_cases if adoption.status_of(u) == "approved")
    waiting = sum(1 for u in catalogue.use_cases if adoption.status_of(u) == "draft")
    return render_to_string("aiuse/_panel.html", {
        "org": org, "allowed": allowed, "waiting": waiting, "total": len(catalogue.use_cases),
        "qa_url": reverse("rules_ask", args=[org.id]),
    }, request=request)
