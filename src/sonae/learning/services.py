"""Writes for learning, each recorded in the audit log: own trainings, assignments, completions, quiz plays."""

from __future__ import annotations

import datetime as dt

from django.core.files.base import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sonae.catalog.learning import load_trainings
from sonae.engines.quiz import make_quiz
from sonae.orgs.models import AuditEntry, Membership
from sonae.orgs.services import audit

from .models import Assignment, Completion, OwnTraining, QuizPlay
from .selectors import is_assigned, training_entry

QUIZ_LENGTH = 10


class LearningError(Exception):
    """A write that cannot be done as asked; `message` is for the user (already translated)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# --- own trainings -------------------------------------------------------------------------------------


def own_training_save(*, org, by, title: str, url: str, topics: list[str], description: str,
                      upload: File | None = None, training: OwnTraining | None = None, remove_file: bool = False) -> OwnTraining:
    """Create (training=None) or update an own entry. The form has checked the URL and the PDF already."""
    creating = training is None
    training = training or OwnTraining(org=org, created_by=by)
    before = {} if creating else {"title": training.title, "url": training.url, "topics": list(training.topics),
                                  "description": training.description, "file_name": training.file_name}
    old_file = training.file.name if training.file else ""
    training.title, training.url, training.topics, training.description = title, url, list(topics), description
    with transaction.atomic():
        if upload is not None:
            training.file_name = (upload.name or "").rsplit("/", 1)[-1][:200]
            training.file_size = upload.size or 0
            training.file.save("material.pdf", upload, save=False)
        elif remove_file:
            training.file, training.file_name, training.file_size = "", "", 0
        training.save()
        after = {"title": training.title, "url": training.url, "topics": list(training.topics),
                 "description": training.description, "file_name": training.file_name}
        changes = after if creating else {k: [before[k], after[k]] for k in after if before[k] != after[k]}
        audit(org=org, actor=by, action=AuditEntry.Action.CREATE if creating else AuditEntry.Action.UPDATE,
              obj=training, changes=changes)
    if old_file and old_file != (training.file.name if training.file else ""):
        # The old PDF is no longer referenced; remove it only after the new state is saved.
        training.file.storage.delete(old_file)
    return training


def own_training_delete(*, training: OwnTraining, by) -> None:
    """Delete an own entry; refused while assignments (and so people's records) point to it."""
    if training.assignments.exists():
        raise LearningError(_("この教材は割り当てに使われているため削除できません。割り当てを取り下げても記録は残ります。"))
    name = training.file.name if training.file else ""
    with transaction.atomic():
        audit(org=training.org, actor=by, action=AuditEntry.Action.DELETE, obj=training, changes={"title": training.title})
        training.delete()
    if name:
        training.file.storage.delete(name)


# --- assignments ----------------------------------------------------------------------------------------


def assignment_create(*, org, by, training_key: str, everyone: bool, members: list, due_date: dt.date,
                      note: str = "") -> Assignment:
    entry = training_entry(org=org, key=training_key)
    if entry is None:
        raise LearningError(_("教材が見つかりません。一覧から選び直してください。"))
    member_ids = set(Membership.objects.filter(org=org).values_list("user_id", flat=True))
    chosen = [user for user in members if user.id in member_ids]
    if not everyone and not chosen:
        raise LearningError(_("対象のメンバーを選ぶか、「メンバー全員」を選んでください。"))
    with transaction.atomic():
        assignment = Assignment.objects.create(
            org=org, catalog_id="" if entry.is_own else entry.key, own_training=entry.own, everyone=everyone,
            due_date=due_date, note=note, created_by=by,
        )
        if not everyone:
            assignment.members.set(chosen)
        audit(org=org, actor=by, action=AuditEntry.Action.CREATE, obj=assignment, changes={
            "training": entry.key, "everyone": everyone, "members": sorted(u.email for u in chosen) if not everyone else [],
            "due_date": due_date, "note": note,
        })
    return assignment


def assignment_withdraw(*, assignment: Assignment, by) -> None:
    with transaction.atomic():
        assignment.withdrawn_at = timezone.now()
        assignment.save(update_fields=["withdrawn_at"])
        audit(org=assignment.org, actor=by, action=AuditEntry.Action.UPDATE, obj=assignment, changes={"withdrawn": True})


def completion_record(*, assignment: Assignment, user, completed_on: dt.date, answer: int | None) -> Completion:
    """A member marks their assignment done, once; the check question's answer is scored when there is one."""
    if not assignment.is_active:
        raise LearningError(_("この割り当ては取り下げられています。"))
    if not is_assigned(assignment, user):
        raise LearningError(_("この割り当てはあなた宛てではありません。"))
    if completed_on > timezone.localdate():
        raise LearningError(_("受講した日に未来の日付は入れられません。"))
    check = None
    if assignment.catalog_id:
        training = load_trainings().get(assignment.catalog_id)
        check = training.check if training else None
    if check is not None and answer is not None and not 0 <= answer < len(check.choices):
        raise LearningError(_("確認問題の回答が正しくありません。"))
    correct = None if check is None or answer is None else answer == check.answer
    with transaction.atomic():
        completion, created = Completion.objects.get_or_create(
            assignment=assignment, user=user,
            defaults={"org_id": assignment.org_id, "completed_on": completed_on, "answer": answer if check else None,
                      "correct": correct},
        )
        if not created:
            raise LearningError(_("この学習はすでに完了として記録されています。"))
        audit(org=assignment.org, actor=user, action=AuditEntry.Action.CREATE, obj=completion,
              changes={"completed_on": completed_on, "correct": correct})
    return completion


# --- quiz -----------------------------------------------------------------------------------------------


def quiz_start(*, org, user, count: int = QUIZ_LENGTH, seed: int | None = None) -> QuizPlay:
    """A fresh play: new messages every time (a random seed), kept on the server with their key."""
    import secrets

    seed = secrets.randbelow(2**62) if seed is None else seed
    items = [
        {"id": i.id, "channel": i.channel, "text": i.text, "answer": i.answer, "scenario": i.scenario,
         "theme": i.theme, "topic": i.topic, "brand": i.brand, "sender": i.sender, "tips": list(i.tips)}
        for i in make_quiz(count, seed)
    ]
    with transaction.atomic():
        play = QuizPlay.objects.create(org=org, user=user, seed=seed, items=items, answers=[None] * len(items))
        audit(org=org, actor=user, action=AuditEntry.Action.CREATE, obj=play, changes={"count": len(items)})
    return play


def quiz_answer(*, play: QuizPlay, index: int, choice: str) -> QuizPlay:
    """Record the answer to question `index` (once); the play finishes with the last answer."""
    if choice not in ("fake", "real"):
        raise LearningError(_("「本物」か「偽物」を選んでください。"))
    with transaction.atomic():
        play = QuizPlay.objects.select_for_update().get(pk=play.pk)
        if play.is_finished or not 0 <= index < play.count:
            raise LearningError(_("このクイズはもう終わっています。"))
        if play.answers[index] is not None:
            return play  # a second submit (back button, double click) keeps the first answer
        if any(a is None for a in play.answers[:index]):
            raise LearningError(_("前の問題から順に答えてください。"))
        play.answers[index] = choice
        play.correct = sum(1 for item, answer in zip(play.items, play.answers) if answer == item["answer"])
        fields = ["answers", "correct"]
        if all(a is not None for a in play.answers):
            play.finished_at = timezone.now()
            fields.append("finished_at")
        play.save(update_fields=fields)
        if play.is_finished:
            audit(org=play.org, actor=play.user, action=AuditEntry.Action.UPDATE, obj=play,
                  changes={"correct": play.correct, "count": play.count})
    return play
