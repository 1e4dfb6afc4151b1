"""REST API for diagnoses: instruments, runs with results, answers, submission.
Same rules as the pages: the token's organisation only (404 otherwise); writes need editor."""

from __future__ import annotations

import datetime as dt

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from sonae.api.auth import access_of
from sonae.catalog.instruments import load_instruments
from sonae.orgs.access import require_role
from sonae.orgs.choices import Role

from . import selectors
from .models import Diagnosis
from .services import DiagnosisError, answers_save, diagnosis_start, diagnosis_submit

router = Router(tags=["diagnoses"])


class ScaleOptionOut(Schema):
    id: str
    label: str
    points: int
    unknown: bool


class ItemOut(Schema):
    id: str
    number: int
    part: str | None
    text: str


class InstrumentOut(Schema):
    id: str
    version: str
    title: str
    recheck_months: int
    max_total: int
    scale: list[ScaleOptionOut]
    items: list[ItemOut]


class PartOut(Schema):
    score: int
    max: int


class DiagnosisOut(Schema):
    id: int
    instrument_id: str
    instrument_version: str
    status: str
    started_at: dt.datetime
    submitted_at: dt.datetime | None
    answers: dict[str, int]
    answered: int
    item_count: int
    total: int | None = None
    max: int | None = None
    band: str | None = None
    band_title: str | None = None
    parts: dict[str, PartOut] = {}
    unanswered: list[str] = []
    fix_first: list[dict] = []
    next_due: dt.date | None = None


class DiagnosisCreate(Schema):
    instrument_id: str


class AnswersIn(Schema):
    # Item id → points (4, 2, 0, -1) or label ("done", "実施している").
    answers: dict[str, int | str]


class ErrorOut(Schema):
    detail: str
    item_id: str | None = None


def _instrument_out(instrument) -> dict:
    return {
        "id": instrument.id, "version": instrument.version, "title": instrument.title.ja,
        "recheck_months": instrument.recheck_months, "max_total": instrument.max_score,
        "scale": [{"id": o.id, "label": o.label.ja, "points": o.points, "unknown": o.unknown} for o in instrument.scale],
        "items": [{"id": i.id, "number": i.number, "part": i.part, "text": i.text.ja} for i in instrument.items],
    }


def _diagnosis_out(diagnosis: Diagnosis) -> dict:
    answers = selectors.answers_of(diagnosis)
    result = selectors.diagnosis_result(diagnosis)
    out = {
        "id": diagnosis.id, "instrument_id": diagnosis.instrument_id, "instrument_version": diagnosis.instrument_version,
        "status": diagnosis.status, "started_at": diagnosis.started_at, "submitted_at": diagnosis.submitted_at,
        "answers": answers, "answered": len(answers), "item_count": len(result.items) + len(result.unanswered),
        "unanswered": list(result.unanswered),
    }
    if diagnosis.is_submitted:
        summary = result.summary()
        out.update({
            "total": diagnosis.total, "max": diagnosis.max_total, "band": diagnosis.band,
            "band_title": result.band.title.ja, "parts": summary["parts"], "fix_first": summary["fix_first"],
            "next_due": selectors.next_due(diagnosis.run_date, result.recheck_months),
        })
    return out


def _get(request, diagnosis_id: int) -> Diagnosis:
    return get_object_or_404(Diagnosis.objects.prefetch_related("answers"), org=access_of(request).org, id=diagnosis_id)


@router.get("/instruments", response=list[InstrumentOut], summary="Instruments (questionnaires) that can be answered")
def list_instruments(request):
    return [_instrument_out(i) for i in load_instruments()]


@router.get("", response=list[DiagnosisOut], summary="The organisation's diagnoses, newest first, with results")
def list_diagnoses(request, instrument_id: str | None = None, status: str | None = None):
    runs = Diagnosis.objects.filter(org=access_of(request).org).prefetch_related("answers")
    if instrument_id:
        runs = runs.filter(instrument_id=instrument_id)
    if status:
        runs = runs.filter(status=status)
    return [_diagnosis_out(d) for d in runs[:200]]


@router.post("", response={201: DiagnosisOut, 200: DiagnosisOut, 403: ErrorOut, 422: ErrorOut},
             summary="Start a diagnosis (or get the open draft of that instrument)")
def create_diagnosis(request, payload: DiagnosisCreate):
    access = access_of(request)
    require_role(access, Role.EDITOR)
    existing = selectors.open_draft(org=access.org, instrument_id=payload.instrument_id)
    try:
        diagnosis = diagnosis_start(org=access.org, instrument_id=payload.instrument_id, by=request.user)
    except DiagnosisError as exc:
        return Status(422, {"detail": exc.message})
    return Status(200 if existing else 201, _diagnosis_out(diagnosis))


@router.get("/{diagnosis_id}", response={200: DiagnosisOut, 404: ErrorOut}, summary="One diagnosis with its result")
def get_diagnosis(request, diagnosis_id: int):
    return _diagnosis_out(_get(request, diagnosis_id))


@router.put("/{diagnosis_id}/answers", response={200: DiagnosisOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
            summary="Save answers (all or nothing); other answers stay as they are")
def put_answers(request, diagnosis_id: int, payload: AnswersIn):
    require_role(access_of(request), Role.EDITOR)
    diagnosis = _get(request, diagnosis_id)
    if diagnosis.is_submitted:
        return Status(409, {"detail": _("この診断は提出済みのため、回答を変更できません。新しく診断を始めてください。")})
    try:
        answers_save(diagnosis=diagnosis, values=payload.answers, by=request.user)
    except DiagnosisError as exc:
        return Status(422, {"detail": exc.message, "item_id": exc.item_id})
    return _diagnosis_out(_get(request, diagnosis_id))


@router.post("/{diagnosis_id}/submit", response={200: DiagnosisOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
             summary="Submit a complete diagnosis (once)")
def submit(request, diagnosis_id: int):
    require_role(access_of(request), Role.EDITOR)
    diagnosis = _get(request, diagnosis_id)
    if diagnosis.is_submitted:
        return Status(409, {"detail": _("この診断はすでに提出されています。同じ診断を二度提出することはできません。")})
    try:
        diagnosis_submit(diagnosis=diagnosis, by=request.user)
    except DiagnosisError as exc:
        return Status(422, {"detail": exc.message})
    return _diagnosis_out(_get(request, diagnosis_id))
