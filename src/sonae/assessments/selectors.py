"""Reads for diagnoses: results, history, next due date, peer benchmark, SECURITY ACTION readiness."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.apps import apps
from django.db.models import Count, Max
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from sonae.catalog.instruments import Instrument, get_instrument, load_instruments
from sonae.engines.scoring import (
    DiagnosisResult,
    PeerAverage,
    Readiness,
    RunScore,
    five_committed,
    next_due,
    peer_average_of,
    run_score,
    score,
    security_action_readiness,
)
from sonae.orgs.access import OrgAccess

from .models import Answer, Diagnosis, PolicyEvidence

IPA_ID = "ipa-5min"
SECURITY_ACTION_ID = "security-action-5"


def get_diagnosis_for_user(access: OrgAccess, diagnosis_id: int) -> Diagnosis:
    return get_object_or_404(Diagnosis, org=access.org, id=diagnosis_id)


def get_policy_evidence_for_user(access: OrgAccess, evidence_id: int) -> PolicyEvidence:
    return get_object_or_404(PolicyEvidence, org=access.org, id=evidence_id)


def get_instrument_or_404(instrument_id: str) -> Instrument:
    from django.http import Http404

    if instrument_id not in load_instruments():
        raise Http404
    return get_instrument(instrument_id)


def answers_of(diagnosis: Diagnosis) -> dict[str, int]:
    cached = getattr(diagnosis, "_prefetched_objects_cache", {}).get("answers")
    rows = cached if cached is not None else diagnosis.answers.all()
    return {a.item_id: a.points for a in rows}


def instrument_of(diagnosis: Diagnosis) -> Instrument:
    """The instrument as the run was answered: its recorded version when the catalog keeps it
    (catalog/data/instruments/archive), else the current version."""
    return get_instrument(diagnosis.instrument_id, diagnosis.instrument_version)


def diagnosis_result(diagnosis: Diagnosis) -> DiagnosisResult:
    """Score a run against the version it was answered with. If that version is no longer kept,
    answers to items the current version dropped are left out (the submission snapshot keeps the
    total as it was)."""
    instrument = instrument_of(diagnosis)
    answers = {k: v for k, v in answers_of(diagnosis).items() if k in instrument.items_by_id}
    return score(instrument, answers)


def band_title(instrument: Instrument, band_id: str, lang: str) -> str:
    """The title of a stored band id (a band an older version had shows as its id)."""
    for band in instrument.bands:
        if band.id == band_id:
            return band.title.get(lang)
    return band_id


def diagnosis_history(*, org, instrument_id: str) -> list[Diagnosis]:
    """Submitted runs of one instrument, oldest first."""
    return list(
        Diagnosis.objects.filter(org=org, instrument_id=instrument_id, status=Diagnosis.Status.SUBMITTED)
        .select_related("submitted_by")  # the history table names who submitted each run
        .order_by("submitted_at", "id")
    )


def latest_submitted(*, org, instrument_id: str) -> Diagnosis | None:
    return (
        Diagnosis.objects.filter(org=org, instrument_id=instrument_id, status=Diagnosis.Status.SUBMITTED)
        .order_by("-submitted_at", "-id")
        .first()
    )


def open_draft(*, org, instrument_id: str) -> Diagnosis | None:
    return Diagnosis.objects.filter(org=org, instrument_id=instrument_id, status=Diagnosis.Status.DRAFT).first()


def next_due_date(*, org, instrument_id: str) -> dt.date | None:
    """定期的に診断する: the last submission plus the instrument's recheck_months (default six)."""
    last = latest_submitted(org=org, instrument_id=instrument_id)
    if last is None:
        return None
    return next_due(last.run_date, get_instrument(instrument_id).recheck_months)


@dataclass(frozen=True)
class InstrumentStatus:
    instrument: Instrument
    latest: Diagnosis | None
    draft: Diagnosis | None
    draft_answered: int
    due: dt.date | None

    @property
    def band_title(self) -> str:
        from sonae.i18n import ui_language

        return band_title(self.instrument, self.latest.band, ui_language()) if self.latest else ""

    @property
    def overdue(self) -> bool:
        return self.due is not None and self.due <= timezone.localdate()


def instrument_overview(*, org) -> list[InstrumentStatus]:
    """Every shipped instrument with the organisation's last submitted run, open draft and due date."""
    runs = Diagnosis.objects.filter(org=org)
    latest_ids = (
        runs.filter(status=Diagnosis.Status.SUBMITTED).values("instrument_id").annotate(last=Max("id")).values_list("last", flat=True)
    )
    latest = {d.instrument_id: d for d in Diagnosis.objects.filter(id__in=list(latest_ids))}
    drafts = {
        d.instrument_id: d for d in runs.filter(status=Diagnosis.Status.DRAFT).annotate(answered=Count("answers"))
    }
    counts = {d.id: d.answered for d in drafts.values()}
    overview = []
    for instrument in load_instruments():
        last = latest.get(instrument.id)
        due = next_due(last.run_date, instrument.recheck_months) if last else None
        draft = drafts.get(instrument.id)
        overview.append(InstrumentStatus(instrument, last, draft, counts.get(draft.id, 0) if draft else 0, due))
    # IPA first: it is the first step the product recommends.
    overview.sort(key=lambda s: (s.instrument.id != IPA_ID, s.instrument.id))
    return overview


# -- peer benchmark ---------------------------------------------------------------------


def peer_benchmark(*, org, instrument_id: str) -> PeerAverage | None:
    """Average of the latest submitted run of every *other* organisation of this installation with
    the same industry and employee band. None below the minimum group size (scoring.MIN_PEER_GROUP),
    so no single organisation can be read from it.

    One query reads the latest runs' submission snapshots (total and part subtotals, taken by the same
    scoring engine under the run's own version); only a run whose version the catalog no longer keeps,
    or without a snapshot, is scored again from its answers, as the results page shows it. Scoring
    every peer's answers on each results page cost ~50 ms at 10,000 organisations (bench/README.md).
    """
    from sonae.orgs.models import Organisation

    peers = Organisation.objects.filter(industry=org.industry, employee_band=org.employee_band).exclude(id=org.id)
    latest_ids = (
        Diagnosis.objects.filter(org__in=peers, instrument_id=instrument_id, status=Diagnosis.Status.SUBMITTED)
        .order_by()
        .values("org_id")
        .annotate(last=Max("id"))
        .values("last")
    )
    rows = Diagnosis.objects.filter(id__in=latest_ids).order_by("id").values_list(
        "id", "instrument_version", "total", "part_scores"
    )
    registry = load_instruments()
    scores: dict[int, RunScore] = {}
    rescore: list[int] = []
    for run_id, version, total, part_scores in rows:
        if total is None or not registry.keeps(instrument_id, version):
            rescore.append(run_id)
            continue
        instrument = registry.get(instrument_id, version)
        parts = {part.id: part_scores[part.id] for part in instrument.parts if part.id in (part_scores or {})}
        scores[run_id] = RunScore(instrument_id, total, parts)
    if rescore:
        for run in Diagnosis.objects.filter(id__in=rescore).prefetch_related("answers"):
            scores[run.id] = run_score(diagnosis_result(run))
    return peer_average_of([scores[run_id] for run_id in sorted(scores)])


# -- SECURITY ACTION (宣言, self-declaration) -------------------------------------------


def has_published_security_policy(org) -> bool:
    """True when the organisation has recorded a published 情報セキュリティ基本方針 here
    (PolicyEvidence), or when the documents area, if installed, holds an approved and published
    security policy."""
    if PolicyEvidence.objects.filter(org=org).exists():
        return True
    if not apps.is_installed("sonae.documents"):
        return False
    try:  # imported lazily: the documents area is optional and may change shape
        from sonae.documents.selectors import published_security_policy
    except ImportError:
        return False
    return published_security_policy(org) is not None


def security_action_status(*, org) -> Readiness:
    """★ when the latest security-action-5 run commits to all five; ★★ when an ipa-5min run is
    submitted complete and a published security policy exists."""
    sa = latest_submitted(org=org, instrument_id=SECURITY_ACTION_ID)
    committed = bool(sa) and five_committed(diagnosis_result(sa))
    ipa_done = Diagnosis.objects.filter(org=org, instrument_id=IPA_ID, status=Diagnosis.Status.SUBMITTED).exists()
    return security_action_readiness(
        five_committed=committed, ipa_diagnosis_complete=ipa_done, policy_published=has_published_security_policy(org)
    )


# -- links from action items ------------------------------------------------------------


def answer_source_url(item) -> str | None:
    return answer_source_urls([item]).get(item.id)


def answer_source_urls(items) -> dict[int, str]:
    """{action item id: link to the answer it was made from} in one query, for answers that still
    exist in the item's own organisation."""
    wanted = {(item.org_id, item.source_id) for item in items}
    answers = {
        (org_id, answer_id): (diagnosis_id, item_id)
        for answer_id, org_id, diagnosis_id, item_id in Answer.objects.filter(
            id__in={answer_id for _org, answer_id in wanted}, diagnosis__org_id__in={org_id for org_id, _a in wanted}
        ).values_list("id", "diagnosis__org_id", "diagnosis_id", "item_id")
    }
    urls = {}
    for item in items:
        found = answers.get((item.org_id, item.source_id))
        if found is not None:
            url = reverse("diagnosis_results", kwargs={"org_id": item.org_id, "diagnosis_id": found[0]})
            urls[item.id] = f"{url}#item-{found[1]}"
    return urls


def action_prefill_for_answer(*, org, answer_id: object, lang: str = "ja") -> dict | None:
    """Title, description and source link for an action item made from a weak answer of `org`
    (None when the answer does not exist in this organisation)."""
    try:
        answer_id = int(answer_id)
    except (TypeError, ValueError):
        return None
    answer = Answer.objects.select_related("diagnosis").filter(id=answer_id, diagnosis__org=org).first()
    if answer is None or answer.diagnosis.instrument_id not in load_instruments():
        return None
    instrument = instrument_of(answer.diagnosis)
    item = instrument.items_by_id.get(answer.item_id)
    if item is None:
        return None
    advice = item.advice.get(lang)
    # The advice's first sentence makes a short title; the whole advice goes to the description.
    first = advice.split("。")[0].strip()
    title = (first + ("。" if lang == "ja" and "。" in advice else ""))[:120] if first else item.text.get(lang)[:120]
    label = f"{instrument.title.get(lang)} No.{item.number} {item.text.get(lang)}"
    return {
        "title": title,
        "description": f"{item.text.get(lang)}\n\n{advice}\n\n{item.source.url}",
        "source_type": "assessments.answer",
        "source_id": answer.id,
        "source_label": label[:200],
    }
