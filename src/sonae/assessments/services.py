"""Writes for diagnoses: start a run, save answers, submit once, record policy evidence.

Every rule that refuses input raises DiagnosisError with a Japanese message for the person
and saves nothing (answers are saved all-or-nothing).
"""

from __future__ import annotations

from collections.abc import Mapping

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sonae.catalog.instruments import Instrument, get_instrument, load_instruments
from sonae.engines.scoring import ScoringError, resolve_answer, score
from sonae.orgs.models import AuditEntry, Organisation
from sonae.orgs.services import audit

from .models import Answer, Diagnosis, PolicyEvidence


class DiagnosisError(Exception):
    """A refused change; `message` is shown to the person as it is."""

    def __init__(self, message: str, *, item_id: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.item_id = item_id


def instrument_or_error(instrument_id: object) -> Instrument:
    if not isinstance(instrument_id, str) or instrument_id not in load_instruments():
        raise DiagnosisError(_("その診断はありません。一覧から選んでください。"))
    return get_instrument(instrument_id)


def diagnosis_start(*, org: Organisation, instrument_id: str, by) -> Diagnosis:
    """Start a run, or return the draft already open for this instrument (one draft at a time,
    so several members answering the same diagnosis meet in the same run)."""
    instrument = instrument_or_error(instrument_id)
    with transaction.atomic():
        draft = (
            Diagnosis.objects.select_for_update()
            .filter(org=org, instrument_id=instrument.id, status=Diagnosis.Status.DRAFT)
            .first()
        )
        if draft:
            return draft
        diagnosis = Diagnosis.objects.create(
            org=org, instrument_id=instrument.id, instrument_version=instrument.version, started_by=by
        )
        audit(org=org, actor=by, action=AuditEntry.Action.CREATE, obj=diagnosis,
              changes={"instrument": instrument.id, "version": instrument.version})
    return diagnosis


def _check_values(instrument: Instrument, values: Mapping[str, object]) -> dict[str, int]:
    """Item id → points, or DiagnosisError for an unknown item or a value off the scale."""
    checked: dict[str, int] = {}
    for item_id, value in values.items():
        if item_id not in instrument.items_by_id:
            raise DiagnosisError(
                _("この診断に含まれない項目（%(item)s）への回答は保存できません。") % {"item": str(item_id)[:60]},
                item_id=str(item_id)[:60],
            )
        try:
            option = resolve_answer(instrument, item_id, value)
        except ScoringError:
            raise DiagnosisError(
                _("項目 %(item)s の回答が選択肢にありません。選び直してください。") % {"item": item_id}, item_id=item_id
            ) from None
        checked[item_id] = option.points
    return checked


def answers_save(*, diagnosis: Diagnosis, values: Mapping[str, object], by) -> int:
    """Save answers (item id → points or label), all or nothing. Returns how many changed."""
    instrument = instrument_or_error(diagnosis.instrument_id)
    checked = _check_values(instrument, values)
    changed: dict[str, list] = {}
    with transaction.atomic():
        locked = Diagnosis.objects.select_for_update().get(pk=diagnosis.pk)
        if locked.is_submitted:
            raise DiagnosisError(_("この診断は提出済みのため、回答を変更できません。新しく診断を始めてください。"))
        if locked.instrument_version != instrument.version:
            raise DiagnosisError(_("診断票が改訂されたため、この回答中の診断は続けられません。新しく診断を始めてください。"))
        existing = {a.item_id: a for a in locked.answers.all()}
        for item_id, points in checked.items():
            answer = existing.get(item_id)
            if answer is None:
                Answer.objects.create(diagnosis=locked, item_id=item_id, points=points, answered_by=by)
                changed[item_id] = [None, points]
            elif answer.points != points:
                changed[item_id] = [answer.points, points]
                answer.points, answer.answered_by = points, by
                answer.save(update_fields=["points", "answered_by", "updated_at"])
        if changed:
            audit(org=locked.org, actor=by, action=AuditEntry.Action.UPDATE, obj=locked, changes={"answers": changed})
    return len(changed)


def diagnosis_submit(*, diagnosis: Diagnosis, by) -> Diagnosis:
    """Submit a complete run once; the total, band and part scores are kept as a snapshot."""
    instrument = instrument_or_error(diagnosis.instrument_id)
    with transaction.atomic():
        locked = Diagnosis.objects.select_for_update().get(pk=diagnosis.pk)
        if locked.is_submitted:
            raise DiagnosisError(_("この診断はすでに提出されています。同じ診断を二度提出することはできません。"))
        # The snapshot must be scored with the version the run was answered with (the peer benchmark
        # reads it as that version's score); answers_save refuses a revised instrument the same way.
        if locked.instrument_version != instrument.version:
            raise DiagnosisError(_("診断票が改訂されたため、この回答中の診断は続けられません。新しく診断を始めてください。"))
        answers = dict(locked.answers.values_list("item_id", "points"))
        result = score(instrument, answers)
        if not result.complete:
            raise DiagnosisError(
                _("未回答の項目が%(n)d件あります。すべての項目に回答してから提出してください。") % {"n": len(result.unanswered)}
            )
        locked.status = Diagnosis.Status.SUBMITTED
        locked.submitted_by = by
        locked.submitted_at = timezone.now()
        locked.total, locked.max_total, locked.band = result.total, result.max, result.band.id
        locked.part_scores = {p.id: p.score for p in result.parts}
        locked.save()
        audit(org=locked.org, actor=by, action=AuditEntry.Action.UPDATE, obj=locked,
              changes={"status": "submitted", "total": result.total, "band": result.band.id})
    return locked


def diagnosis_discard(*, diagnosis: Diagnosis, by) -> None:
    """Delete a draft (a submitted run is history and stays)."""
    with transaction.atomic():
        locked = Diagnosis.objects.select_for_update().get(pk=diagnosis.pk)
        if locked.is_submitted:
            raise DiagnosisError(_("提出済みの診断は削除できません。"))
        audit(org=locked.org, actor=by, action=AuditEntry.Action.DELETE, obj=locked)
        locked.delete()


def policy_evidence_delete(*, evidence: PolicyEvidence, by) -> None:
    with transaction.atomic():
        audit(org=evidence.org, actor=by, action=AuditEntry.Action.DELETE, obj=evidence)
        if evidence.file:
            evidence.file.delete(save=False)
        evidence.delete()
