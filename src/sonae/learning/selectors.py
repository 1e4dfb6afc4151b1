"""Reads for learning: trainings (catalogue and own) as one shape, assignments and who finished them,
quiz history and scores, and the trainings a weak answer or a wrong quiz answer points to."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext

from sonae.catalog.base import Source, Text
from sonae.catalog.learning import CheckQuestion, load_trainings
from sonae.i18n import pick
from sonae.orgs.access import OrgAccess
from sonae.orgs.models import Membership

from .models import Assignment, Completion, OwnTraining, QuizPlay


# --- trainings -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrainingEntry:
    """A catalogue training or one of the organisation's own, as the pages show both."""

    key: str  # catalog id, or "own-<id>"
    title: str
    kind: str  # video / article / document / pdf / link
    url: str | None
    duration_seconds: int | None
    topics: tuple[str, ...]
    summary: str
    check: CheckQuestion | None = None
    source: Source | None = None
    series_title: str = ""
    series_url: str | None = None
    provider: str = ""
    own: OwnTraining | None = None
    title_ja: str = ""  # the title as published, for a search on the publisher's site

    @property
    def is_own(self) -> bool:
        return self.own is not None

    @property
    def duration_label(self) -> str:
        if not self.duration_seconds:
            return ""
        minutes, seconds = divmod(self.duration_seconds, 60)
        return gettext("%(minutes)d分%(seconds)d秒") % {"minutes": minutes, "seconds": seconds}


def _catalog_entry(training) -> TrainingEntry:
    catalog = load_trainings()
    series = catalog.series_of(training)
    return TrainingEntry(
        key=training.id, title=pick(training.title), title_ja=training.title.ja, kind=training.kind,
        url=str(training.url) if training.url else None, duration_seconds=training.duration_seconds,
        topics=training.topics, summary=pick(training.summary), check=training.check, source=training.source,
        series_title=pick(series.title) if series else "", series_url=str(series.url) if series and series.url else None,
        provider=pick(series.provider) if series else "",
    )


def _own_entry(own: OwnTraining) -> TrainingEntry:
    return TrainingEntry(
        key=own.key, title=own.title, kind="pdf" if own.file else "link", url=own.url or None, duration_seconds=None,
        topics=tuple(own.topics or ()), summary=own.description, own=own,
    )


def catalog_entries(*, topic: str | None = None) -> list[TrainingEntry]:
    trainings = load_trainings().trainings
    return [_catalog_entry(t) for t in trainings if topic is None or topic in t.topics]


def own_entries(*, org, topic: str | None = None) -> list[TrainingEntry]:
    return [_own_entry(o) for o in OwnTraining.objects.filter(org=org) if topic is None or topic in (o.topics or [])]


def training_entry(*, org, key: str) -> TrainingEntry | None:
    """The training a key names in this organisation (another organisation's own entry is None)."""
    if key.startswith("own-"):
        try:
            own = OwnTraining.objects.filter(org=org, id=int(key[4:])).first()
        except ValueError:
            return None
        return _own_entry(own) if own else None
    training = load_trainings().get(key)
    return _catalog_entry(training) if training else None


def get_training_or_404(*, org, key: str) -> TrainingEntry:
    entry = training_entry(org=org, key=key)
    if entry is None:
        raise Http404
    return entry


def topic_choices() -> list[tuple[str, str]]:
    return [(key, pick(topic.title)) for key, topic in load_trainings().topics.items()]


def topic_title(key: str) -> str:
    topic = load_trainings().topics.get(key)
    return pick(topic.title) if topic else key


def training_title(assignment: Assignment) -> str:
    if assignment.own_training_id:
        return assignment.own_training.title
    training = load_trainings().get(assignment.catalog_id)
    return pick(training.title) if training else assignment.catalog_id


def suggested_trainings(*, org, topics: set[str], limit: int = 3, own: list[TrainingEntry] | None = None) -> list[TrainingEntry]:
    """Trainings about `topics`: the organisation's own first, then the catalogue's most focused ones.
    `own`: the organisation's own entries when the caller has them already (a page asking for many items)."""
    if not topics:
        return []
    own = [e for e in (own_entries(org=org) if own is None else own) if set(e.topics) & topics]
    found = own + [_catalog_entry(t) for t in load_trainings().for_topics(topics)]
    return found[:limit]


def topics_for_diagnosis_item(tags) -> set[str]:
    return load_trainings().topics_for_tags(set(tags or ()))


# --- object helpers ----------------------------------------------------------------------------------


def get_own_training_for_user(access: OrgAccess, own_training_id: int) -> OwnTraining:
    return get_object_or_404(OwnTraining, org=access.org, id=own_training_id)


def get_assignment_for_user(access: OrgAccess, assignment_id: int) -> Assignment:
    return get_object_or_404(Assignment.objects.select_related("own_training", "created_by"), org=access.org, id=assignment_id)


def get_quiz_play_for_user(request: HttpRequest, access: OrgAccess, play_id: int) -> QuizPlay:
    """A play belongs to the member who played it: anyone else gets 404, owners included."""
    return get_object_or_404(QuizPlay, org=access.org, user=request.user, id=play_id)


# --- assignments ---------------------------------------------------------------------------------------


def member_users(org) -> list:
    """The organisation's members with an active account, by e-mail (advisors are not members)."""
    return list(
        get_user_model().objects.filter(memberships__org=org, is_active=True).order_by("email", "id")
    )


def is_assigned(assignment: Assignment, user) -> bool:
    if not Membership.objects.filter(org_id=assignment.org_id, user=user).exists():
        return False
    return assignment.everyone or assignment.members.filter(pk=user.pk).exists()


@dataclass
class AssignmentRow:
    assignment: Assignment
    title: str
    assignees: list = field(default_factory=list)
    done: dict = field(default_factory=dict)  # user id -> Completion

    @property
    def done_count(self) -> int:
        return sum(1 for user in self.assignees if user.id in self.done)

    @property
    def pending(self) -> list:
        return [user for user in self.assignees if user.id not in self.done]

    @property
    def overdue(self) -> bool:
        return bool(self.pending) and self.assignment.due_date < timezone.localdate()


def assignment_rows(*, org, include_withdrawn: bool = False) -> list[AssignmentRow]:
    """Every assignment with who it is for and who finished, in a fixed number of queries."""
    assignments = Assignment.objects.filter(org=org).select_related("own_training").prefetch_related("members")
    if not include_withdrawn:
        assignments = assignments.filter(withdrawn_at=None)
    assignments = list(assignments.order_by("due_date", "id"))
    members = member_users(org)
    member_ids = {u.id for u in members}
    completions: dict[int, dict] = {}
    for completion in Completion.objects.filter(assignment__in=assignments):
        completions.setdefault(completion.assignment_id, {})[completion.user_id] = completion
    rows = []
    for assignment in assignments:
        assignees = members if assignment.everyone else [u for u in assignment.members.all() if u.id in member_ids]
        rows.append(AssignmentRow(assignment, training_title(assignment), assignees, completions.get(assignment.id, {})))
    return rows


@dataclass(frozen=True)
class MyAssignment:
    assignment: Assignment
    title: str
    completion: Completion | None

    @property
    def overdue(self) -> bool:
        return self.completion is None and self.assignment.due_date < timezone.localdate()


def my_assignments(*, org, user) -> list[MyAssignment]:
    """The active assignments that ask `user` (a member) to learn something, with their completion."""
    if not Membership.objects.filter(org=org, user=user).exists():
        return []
    assignments = list(
        Assignment.objects.filter(org=org, withdrawn_at=None).filter(Q(everyone=True) | Q(members=user))
        .distinct().select_related("own_training").order_by("due_date", "id")
    )
    done = {c.assignment_id: c for c in Completion.objects.filter(assignment__in=assignments, user=user)}
    return [MyAssignment(a, training_title(a), done.get(a.id)) for a in assignments]


def member_matrix(rows: list[AssignmentRow], members: list) -> list[dict]:
    """Per member: how many assignments they have, finished, and are late with."""
    today = timezone.localdate()
    result = []
    for user in members:
        mine = [row for row in rows if any(u.id == user.id for u in row.assignees)]
        finished = [row for row in mine if user.id in row.done]
        late = [row for row in mine if user.id not in row.done and row.assignment.due_date < today]
        result.append({"user": user, "assigned": len(mine), "done": len(finished), "late": len(late),
                       "cells": {row.assignment.id: row.done.get(user.id) for row in mine}})
    return result


# --- quiz ------------------------------------------------------------------------------------------------


def quiz_history(*, org, user, limit: int = 50) -> list[QuizPlay]:
    return list(QuizPlay.objects.filter(org=org, user=user).exclude(finished_at=None).order_by("-finished_at")[:limit])


def open_quiz_play(*, org, user) -> QuizPlay | None:
    return QuizPlay.objects.filter(org=org, user=user, finished_at=None).order_by("-started_at").first()


@dataclass(frozen=True)
class MemberScore:
    user: object
    plays: int
    last: QuizPlay | None
    best_percent: int
    average_percent: int
    history: list  # [(date, percent)], oldest first


def quiz_scores(*, org) -> list[MemberScore]:
    """Per member: finished plays, last and best score, and the history (for the trend)."""
    plays: dict[int, list[QuizPlay]] = {}
    for play in QuizPlay.objects.filter(org=org).exclude(finished_at=None).order_by("finished_at", "id"):
        plays.setdefault(play.user_id, []).append(play)
    scores = []
    for user in member_users(org):
        mine = plays.get(user.id, [])
        percents = [p.percent for p in mine]
        scores.append(MemberScore(
            user=user, plays=len(mine), last=mine[-1] if mine else None,
            best_percent=max(percents) if percents else 0,
            average_percent=round(sum(percents) / len(percents)) if percents else 0,
            history=[(timezone.localdate(p.finished_at), p.percent) for p in mine],
        ))
    return scores


def wrong_topics(plays: list[QuizPlay]) -> dict[str, int]:
    """Training topics of the messages a member judged wrongly, with how often."""
    counts: dict[str, int] = {}
    for play in plays:
        for item, answer in zip(play.items, play.answers):
            if answer and answer != item.get("answer"):
                counts[item.get("topic", "")] = counts.get(item.get("topic", ""), 0) + 1
    counts.pop("", None)
    return dict(sorted(counts.items(), key=lambda kv: -kv[1]))


def last_activity(*, org) -> dt.datetime | None:
    """When anyone in the organisation last finished a training or a quiz."""
    times = [
        Completion.objects.filter(org=org).order_by("-recorded_at").values_list("recorded_at", flat=True).first(),
        QuizPlay.objects.filter(org=org).exclude(finished_at=None).order_by("-finished_at").values_list("finished_at", flat=True).first(),
    ]
    times = [t for t in times if t]
    return max(times) if times else None


def text_of(value: Text | str) -> str:
    return pick(value) if isinstance(value, Text) else value
