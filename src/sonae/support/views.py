"""Pages: 支援策ナビ (what fits, why, what to do next), the owner's answers, and the 「支援策の候補」 sheet."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from sonae.catalog.support import load_support
from sonae.engines.support import AFTER_STEP, NO, UNKNOWN, YES
from sonae.engines.support_sheet import build_sheet, render_sheet
from sonae.i18n import pick
from sonae.orgs.access import org_view
from sonae.orgs.choices import Role

from . import selectors
from .forms import AnswerForm
from .present import show_fit
from .services import support_answer_set

SECTIONS = (
    (YES, "fits"), (AFTER_STEP, "after_step"), (UNKNOWN, "unknown"), (NO, "no"),
)
REGION_ORDER = {"national": 0}


def _regions() -> list[str]:
    catalog = load_support()
    return sorted(catalog.regions(), key=lambda key: (REGION_ORDER.get(key, 1 if key in catalog.prefectures else 2), key))


def _questions(fits, answers: dict[str, bool], rows) -> list[dict]:
    """Every question some entry depends on, unanswered first, each once."""
    catalog = load_support()
    wanted: dict[str, None] = {}
    for fit in fits:
        for question_id in fit.questions:
            wanted.setdefault(question_id, None)
    for question_id in answers:  # answered ones stay changeable even when nothing depends on them now
        wanted.setdefault(question_id, None)
    wanted.pop("jigyokei_certified", None)  # shown in "what sonae knows"
    items = []
    for question_id in wanted:
        question = catalog.questions[question_id]
        row = rows.get(question_id)
        items.append({"id": question_id, "text": pick(question.text), "answer": answers.get(question_id), "row": row})
    return sorted(items, key=lambda q: q["answer"] is not None)


@org_view(read=Role.VIEWER, write=Role.EDITOR)
@require_safe
def support_home(request: HttpRequest, org) -> HttpResponse:
    region = request.GET.get("region", "")
    regions = _regions()
    if region not in regions:
        region = ""
    rows = selectors.answer_rows_of(org)
    answers = {key: row.value for key, row in rows.items()}
    fits = selectors.support_fits_for_org(org=org, answers=answers)
    shown = [f for f in fits if not region or f.entry.region.key == region]
    sections = [(fit_name, css, [show_fit(f) for f in shown if f.fit == fit_name]) for fit_name, css in SECTIONS]
    profile = selectors.profile_of(org, answers)
    return render(request, "support/home.html", {
        "org": org,
        "sections": sections,
        "regions": regions,
        "region": region,
        "questions": _questions(fits, answers, rows),
        "certified": answers.get("jigyokei_certified"),
        "certified_row": rows.get("jigyokei_certified"),
        "jigyokei_in_sonae": profile.state.get("jigyokei_in_sonae"),
        "security_policy_in_sonae": selectors.security_policy_in_sonae(org),
        "state": profile.state,
        "can_answer": request.org_access.can_write,
        "can_edit_profile": request.org_access.is_owner,
        "today": selectors.today_tokyo(),
        "counts": {name: sum(1 for f in fits if f.fit == name) for name, _css in SECTIONS},
    })


@org_view(read=Role.EDITOR, write=Role.EDITOR)
@require_POST
def support_answer(request: HttpRequest, org) -> HttpResponse:
    form = AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("回答を保存できませんでした。もう一度選んでください。"))
        return redirect("support_home", org_id=org.id)
    support_answer_set(org=org, by=request.user, question_id=form.cleaned_data["question"], value=form.answer)
    messages.success(request, _("回答を保存しました。支援策の判定を更新しました。"))
    url = reverse("support_home", args=[org.id])
    region = request.POST.get("region", "")
    if region in _regions():
        url += "?" + urlencode({"region": region})
    return redirect(url + "#questions")


def _profile_rows(org) -> list[tuple[str, str]]:
    return [
        ("会社名", org.name),
        ("所在地", f"{org.prefecture}{org.city}" if org.city else (org.prefecture or "未登録")),
        ("業種", org.get_industry_display() if org.industry else "未登録"),
        ("従業員数", org.get_employee_band_display() if org.employee_band else "未登録"),
    ]


@org_view(read=Role.VIEWER, write=Role.EDITOR)
@require_safe
def support_sheet(request: HttpRequest, org) -> HttpResponse:
    """「支援策の候補」 as PDF (?format=pdf, the default) or Word (?format=docx). Japanese, like the plans."""
    fmt = request.GET.get("format", "pdf")
    if fmt not in ("pdf", "docx"):
        return HttpResponseBadRequest(_("形式は pdf か docx を指定してください。"))
    catalog = load_support()
    rows = selectors.answer_rows_of(org)
    answers = {key: row.value for key, row in rows.items()}
    fits = selectors.support_fits_for_org(org=org, answers=answers)
    asked = {q for f in fits if f.fit != NO for q in f.questions} | set(answers)
    question_rows = [
        (catalog.questions[q].text.ja, {True: "はい", False: "いいえ", None: "未回答"}[answers.get(q)])
        for q in catalog.questions if q in asked
    ]
    built = build_sheet(
        org_name=org.name, profile_rows=_profile_rows(org), fits=fits, questions=question_rows,
        today=selectors.today_tokyo(),
        sonae_has={"jigyokei": selectors.jigyokei_in_sonae(org), "security_policy": selectors.security_policy_in_sonae(org)},
    )
    data = render_sheet(built, fmt)
    content_type = {
        "pdf": "application/pdf",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    }[fmt]
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="support-candidates-{org.id}.{fmt}"'
    return response


def dashboard_panel(request: HttpRequest, org) -> str:
    """次の一歩: the support that opens after one step, and how much fits already."""
    fits = selectors.support_fits_for_org(org=org)
    return render_to_string("support/_panel.html", {
        "org": org,
        "fits": [f for f in fits if f.fit == YES],
        "next_steps": [show_fit(f) for f in fits if f.fit == AFTER_STEP][:3],
        "unknown": sum(1 for f in fits if f.fit == UNKNOWN),
        "no_city": not org.city,
    }, request=request)
