"""Diagnosis pages: choose an instrument, answer (autosave or plain form), submit, results,
history and comparison, exports, and the published-policy evidence for SECURITY ACTION ★★."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sonae.catalog.instruments import get_instrument
from sonae.engines import reports
from sonae.engines.scoring import compare, next_due
from sonae.i18n import ui_language
from sonae.orgs.access import org_view
from sonae.orgs.choices import Role
from sonae.orgs.services import audited_save

from . import selectors
from .forms import PolicyEvidenceForm
from .models import Diagnosis
from .services import DiagnosisError, answers_save, diagnosis_discard, diagnosis_start, diagnosis_submit, policy_evidence_delete


def _lang() -> str:
    return ui_language()


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


@org_view(read=Role.VIEWER, write=Role.EDITOR)
def diagnoses_home(request: HttpRequest, org) -> HttpResponse:
    return render(request, "assessments/home.html", {
        "org": org,
        "overview": selectors.instrument_overview(org=org),
        "readiness": selectors.security_action_status(org=org),
        "lang": _lang(),
    })


@org_view(read=Role.EDITOR, write=Role.EDITOR)
@require_POST
def diagnosis_start_view(request: HttpRequest, org) -> HttpResponse:
    try:
        diagnosis = diagnosis_start(org=org, instrument_id=request.POST.get("instrument_id", ""), by=request.user)
    except DiagnosisError as exc:
        messages.error(request, exc.message)
        return redirect("diagnoses_home", org_id=org.id)
    return redirect("diagnosis_answer", org_id=org.id, diagnosis_id=diagnosis.id)


def _answer_context(request, org, diagnosis: Diagnosis, *, error: str = "") -> dict:
    instrument = selectors.instrument_of(diagnosis)
    answers = selectors.answers_of(diagnosis)
    lang = _lang()
    groups = []
    if instrument.parts:
        for part in instrument.parts:
            groups.append((part.title.get(lang), instrument.items_in_part(part.id)))
    else:
        groups.append(("", instrument.items))
    scale = [(o.points, o.label.get(lang), o.unknown) for o in instrument.scale]
    sections = [
        (title, [{"item": item, "text": item.text.get(lang), "points": answers.get(item.id)} for item in items])
        for title, items in groups
    ]
    return {
        "org": org,
        "diagnosis": diagnosis,
        "instrument": instrument,
        "title": instrument.title.get(lang),
        "description": instrument.description.get(lang) if instrument.description else "",
        "sections": sections,
        "scale": scale,
        "answered": sum(1 for item in instrument.items if item.id in answers),
        "count": len(instrument.items),
        "can_write": request.org_access.can_write,
        "error": error,
        "outdated": diagnosis.instrument_version != get_instrument(diagnosis.instrument_id).version,
    }


@org_view(read=Role.VIEWER, write=Role.EDITOR)
def diagnosis_answer(request: HttpRequest, org, diagnosis_id: int) -> HttpResponse:
    """The questionnaire. POST saves the posted answers; htmx posts one item at a time (autosave)
    and gets the progress count back; the plain form saves all and may submit."""
    diagnosis = selectors.get_diagnosis_for_user(request.org_access, diagnosis_id)
    if diagnosis.is_submitted:
        if request.method == "POST":
            message = _("この診断は提出済みのため、回答を変更できません。新しく診断を始めてください。")
            if _is_htmx(request):
                return render(request, "assessments/_progress.html", {**_answer_context(request, org, diagnosis), "error": message})
            messages.error(request, message)
        return redirect("diagnosis_results", org_id=org.id, diagnosis_id=diagnosis.id)
    if request.method == "POST":
        values = {key[len("item-"):]: value for key, value in request.POST.items() if key.startswith("item-")}
        autosave = request.POST.get("autosave")
        if autosave is not None:
            values = {autosave: request.POST.get(f"item-{autosave}")}
        try:
            answers_save(diagnosis=diagnosis, values=values, by=request.user)
        except DiagnosisError as exc:
            if _is_htmx(request):
                return render(request, "assessments/_progress.html", {**_answer_context(request, org, diagnosis), "error": exc.message})
            messages.error(request, exc.message)
            return redirect("diagnosis_answer", org_id=org.id, diagnosis_id=diagnosis.id)
        if _is_htmx(request):
            return render(request, "assessments/_progress.html", {**_answer_context(request, org, diagnosis), "saved": True})
        if request.POST.get("action") == "submit":
            try:
                diagnosis_submit(diagnosis=diagnosis, by=request.user)
            except DiagnosisError as exc:
                messages.error(request, exc.message)
                return redirect("diagnosis_answer", org_id=org.id, diagnosis_id=diagnosis.id)
            messages.success(request, _("診断を提出しました。結果をご確認ください。"))
            return redirect("diagnosis_results", org_id=org.id, diagnosis_id=diagnosis.id)
        messages.success(request, _("回答を保存しました。続きはいつでも再開できます。"))
        return redirect("diagnosis_answer", org_id=org.id, diagnosis_id=diagnosis.id)
    return render(request, "assessments/answer.html", _answer_context(request, org, diagnosis))


@org_view(read=Role.EDITOR, write=Role.EDITOR)
@require_POST
def diagnosis_discard_view(request: HttpRequest, org, diagnosis_id: int) -> HttpResponse:
    diagnosis = selectors.get_diagnosis_for_user(request.org_access, diagnosis_id)
    try:
        diagnosis_discard(diagnosis=diagnosis, by=request.user)
    except DiagnosisError as exc:
        messages.error(request, exc.message)
        return redirect("diagnosis_results", org_id=org.id, diagnosis_id=diagnosis.id)
    messages.success(request, _("回答中の診断を削除しました。"))
    return redirect("diagnoses_home", org_id=org.id)


def _results_context(request, org, diagnosis: Diagnosis) -> dict:
    from sonae.actions.models import ActionItem

    lang = _lang()
    instrument = selectors.instrument_of(diagnosis)
    result = selectors.diagnosis_result(diagnosis)
    peer = selectors.peer_benchmark(org=org, instrument_id=instrument.id)
    peer_label = _("同業・同規模の平均") if peer else None
    history = selectors.diagnosis_history(org=org, instrument_id=instrument.id)
    latest = history[-1] if history else diagnosis
    due = next_due(latest.run_date, instrument.recheck_months)
    answer_ids = dict(diagnosis.answers.values_list("item_id", "id"))
    actions = {
        a.source_id: a
        for a in ActionItem.objects.filter(org=org, source_type=ActionItem.SOURCE_ANSWER, source_id__in=answer_ids.values())
    }
    fix_first = [
        {
            "fix": fix,
            "text": fix.text.get(lang),
            "label": fix.label.get(lang),
            "advice": fix.advice.get(lang),
            "answer_id": answer_ids.get(fix.item_id),
            "action": actions.get(answer_ids.get(fix.item_id)),
        }
        for fix in result.fix_first
    ]
    groups = [
        {"title": g.title.get(lang), "score": g.score, "max": g.max, "percent": round(g.ratio * 100),
         "peer": peer.parts.get(g.id) if peer else None}
        for g in result.chart_groups
    ]
    return {
        "org": org,
        "diagnosis": diagnosis,
        "instrument": instrument,
        "title": instrument.title.get(lang),
        "result": result,
        "band_title": result.band.title.get(lang),
        "band_message": result.band.message.get(lang),
        "groups": groups,
        "groups_are_parts": bool(result.parts),
        "radar_svg": mark_safe(  # built by reports.svg_radar_chart, which escapes every text
            reports.svg_radar_chart(result, lang=lang, compare_to=peer.parts if peer and peer.parts else None, compare_label=peer_label)
        ),
        "fix_first": fix_first,
        "peer": peer,
        "due": due,
        "overdue": due <= timezone.localdate(),
        "is_latest": latest.id == diagnosis.id,
        "history_count": len(history),
        "can_write": request.org_access.can_write,
        # An older version than the current one; `archived_shown` when that very version is still kept.
        "outdated": diagnosis.instrument_version != get_instrument(diagnosis.instrument_id).version,
        "archived_shown": diagnosis.instrument_version == instrument.version,
        "items": [
            {"item": s, "text": s.text.get(lang), "label": s.label.get(lang)} for s in result.items
        ],
    }


@org_view(read=Role.VIEWER, write=Role.EDITOR)
def diagnosis_results(request: HttpRequest, org, diagnosis_id: int) -> HttpResponse:
    diagnosis = selectors.get_diagnosis_for_user(request.org_access, diagnosis_id)
    if not diagnosis.is_submitted:
        return redirect("diagnosis_answer", org_id=org.id, diagnosis_id=diagnosis.id)
    return render(request, "assessments/results.html", _results_context(request, org, diagnosis))


@org_view(read=Role.VIEWER, write=Role.EDITOR)
def diagnosis_print(request: HttpRequest, org, diagnosis_id: int) -> HttpResponse:
    diagnosis = selectors.get_diagnosis_for_user(request.org_access, diagnosis_id)
    if not diagnosis.is_submitted:
        return redirect("diagnosis_answer", org_id=org.id, diagnosis_id=diagnosis.id)
    return render(request, "assessments/print.html", _results_context(request, org, diagnosis))


def _export(request, org, diagnosis_id: int):
    diagnosis = selectors.get_diagnosis_for_user(request.org_access, diagnosis_id)
    if not diagnosis.is_submitted:
        raise Http404
    return diagnosis, selectors.diagnosis_result(diagnosis), f"sonae-{diagnosis.instrument_id}-{diagnosis.run_date:%Y%m%d}-{diagnosis.id}"


@org_view(read=Role.VIEWER, write=Role.EDITOR)
def diagnosis_pdf(request: HttpRequest, org, diagnosis_id: int) -> HttpResponse:
    diagnosis, result, name = _export(request, org, diagnosis_id)
    peer = selectors.peer_benchmark(org=org, instrument_id=diagnosis.instrument_id)
    instrument = selectors.instrument_of(diagnosis)
    body = reports.render_pdf(
        result,
        generated_on=diagnosis.run_date,
        lang=_lang(),
        organisation=org.name,
        next_due=next_due(diagnosis.run_date, instrument.recheck_months),
        compare_to=peer.parts if peer and peer.parts else None,
        compare_label=_("同業・同規模の平均") if peer else None,
    )
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    return response


@org_view(read=Role.VIEWER, write=Role.EDITOR)
def diagnosis_xlsx(request: HttpRequest, org, diagnosis_id: int) -> HttpResponse:
    diagnosis, result, name = _export(request, org, diagnosis_id)
    body = reports.render_xlsx(result, generated_on=diagnosis.run_date, lang=_lang(), organisation=org.name)
    response = HttpResponse(body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


@org_view(read=Role.VIEWER, write=Role.EDITOR)
def diagnosis_csv(request: HttpRequest, org, diagnosis_id: int) -> HttpResponse:
    diagnosis, result, name = _export(request, org, diagnosis_id)
    response = HttpResponse(reports.render_csv(result, lang=_lang()).encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


@org_view(read=Role.VIEWER, write=Role.EDITOR)
def diagnosis_history(request: HttpRequest, org, instrument_id: str) -> HttpResponse:
    instrument = selectors.get_instrument_or_404(instrument_id)
    lang = _lang()
    runs = selectors.diagnosis_history(org=org, instrument_id=instrument.id)
    due = next_due(runs[-1].run_date, instrument.recheck_months) if runs else None
    trend = None
    if runs:
        trend = mark_safe(  # reports.svg_trend_chart escapes its texts; the data are numbers and dates
            reports.svg_trend_chart(
                [(run.run_date, run.total) for run in runs], maximum=instrument.max_score,
                minimum=min(0, instrument.min_score), lang=lang, due=due,
            )
        )
    rows = [
        {"run": run, "band": selectors.band_title(instrument, run.band, lang)}
        for run in reversed(runs)
    ]
    return render(request, "assessments/history.html", {
        "org": org, "instrument": instrument, "title": instrument.title.get(lang), "rows": rows, "trend": trend,
        "due": due, "overdue": bool(due and due <= timezone.localdate()),
        "draft": selectors.open_draft(org=org, instrument_id=instrument.id),
        "can_write": request.org_access.can_write,
    })


@org_view(read=Role.VIEWER, write=Role.EDITOR)
def diagnosis_compare(request: HttpRequest, org, instrument_id: str) -> HttpResponse:
    instrument = selectors.get_instrument_or_404(instrument_id)
    lang = _lang()
    runs = selectors.diagnosis_history(org=org, instrument_id=instrument.id)
    by_id = {run.id: run for run in runs}
    context = {"org": org, "instrument": instrument, "title": instrument.title.get(lang), "runs": runs}
    if len(runs) < 2:
        context["error"] = _("比較するには、提出済みの診断が2回分以上必要です。")
        return render(request, "assessments/compare.html", context)
    try:
        a_id, b_id = int(request.GET.get("a", runs[-2].id)), int(request.GET.get("b", runs[-1].id))
    except (TypeError, ValueError):
        a_id = b_id = -1
    if a_id not in by_id or b_id not in by_id:
        context["error"] = _("比較する回を一覧から選び直してください。")
        a_id, b_id = runs[-2].id, runs[-1].id
    before_run, after_run = by_id[a_id], by_id[b_id]
    if before_run.run_date > after_run.run_date or (before_run.run_date == after_run.run_date and before_run.id > after_run.id):
        before_run, after_run = after_run, before_run
    before, after = selectors.diagnosis_result(before_run), selectors.diagnosis_result(after_run)
    comparison = compare(before, after)
    # Item texts as each run was answered (the newer run's wording wins for items both versions hold).
    items = {**selectors.instrument_of(before_run).items_by_id, **selectors.instrument_of(after_run).items_by_id}
    scale = {o.points: o.label.get(lang) for o in instrument.scale}
    before_label = _("%(date)s の回") % {"date": before_run.run_date.strftime("%Y/%m/%d")}
    context.update({
        "a": before_run, "b": after_run, "comparison": comparison,
        "before_total": before_run.total, "after_total": after_run.total,
        "delta": (after_run.total or 0) - (before_run.total or 0),
        "parts": [{"title": p.title.get(lang), "before": p.before, "after": p.after, "delta": p.delta} for p in comparison.parts],
        "changed": [
            {"number": c.number, "text": items[c.item_id].text.get(lang) if c.item_id in items else c.item_id,
             "before": scale.get(c.before, "—") if c.before is not None else _("未回答"),
             "after": scale.get(c.after, "—") if c.after is not None else _("未回答"),
             "better": (c.after or 0) > (c.before or 0)}
            for c in comparison.changed
        ],
        "radar_svg": mark_safe(  # escaped by the report engine
            reports.svg_radar_chart(after, lang=lang, compare_to={g.id: g.score for g in before.chart_groups}, compare_label=before_label)
        ),
    })
    return render(request, "assessments/compare.html", context)


# -- published security policy (SECURITY ACTION ★★) --------------------------------------------


@org_view(read=Role.VIEWER, write=Role.OWNER)
def policy_evidence(request: HttpRequest, org) -> HttpResponse:
    form = PolicyEvidenceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        audited_save(form=form, org=org, actor=request.user, org_id=org.id, recorded_by=request.user)
        messages.success(request, _("公開済みの情報セキュリティ基本方針を記録しました。"))
        return redirect("policy_evidence", org_id=org.id)
    return render(request, "assessments/policy.html", {
        "org": org, "form": form, "evidence": org.policy_evidence.all(),
        "is_owner": request.org_access.is_owner,
        "readiness": selectors.security_action_status(org=org),
    })


@org_view(read=Role.OWNER, write=Role.OWNER)
@require_POST
def policy_evidence_delete_view(request: HttpRequest, org, evidence_id: int) -> HttpResponse:
    evidence = selectors.get_policy_evidence_for_user(request.org_access, evidence_id)
    policy_evidence_delete(evidence=evidence, by=request.user)
    messages.success(request, _("記録を削除しました。"))
    return redirect("policy_evidence", org_id=org.id)


@org_view(read=Role.VIEWER, write=Role.OWNER)
def policy_evidence_file(request: HttpRequest, org, evidence_id: int) -> HttpResponse:
    evidence = selectors.get_policy_evidence_for_user(request.org_access, evidence_id)
    if not evidence.file:
        raise Http404
    # Always a download, never shown inline: an uploaded file must not run in our origin.
    return FileResponse(evidence.file.open("rb"), as_attachment=True, filename=evidence.file.name.rsplit("/", 1)[-1])


# -- dashboard -----------------------------------------------------------------------------------


def dashboard_panel(request: HttpRequest, org) -> str:
    return render_to_string("assessments/_panel.html", {
        "org": org,
        "overview": [s for s in selectors.instrument_overview(org=org) if s.latest or s.draft],
        "readiness": selectors.security_action_status(org=org),
        "lang": _lang(),
        "today": timezone.localdate(),
    }, request=request)


def results_url(diagnosis: Diagnosis) -> str:
    return reverse("diagnosis_results", kwargs={"org_id": diagnosis.org_id, "diagnosis_id": diagnosis.id})
