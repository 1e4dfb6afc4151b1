"""What is due for one member: the items of their reminder digest and of their calendar feed.

Kinds (ReminderKind, each one a member can switch off): 診断 (owners and editors: the next run of each
instrument), 学習 (their assignments), ルール (rules they have not acknowledged; for owners and editors also
each approved document's yearly review), 対策 (action items they own, reviews of risks they own).

An item carries a `window` when it should be in today's digest: "soon" a few days before it is due, then
"over-N" once per period while it is overdue. What a digest said is recorded per person, item and window
(DigestEntry; the documents area's RuleNotice for rule acknowledgements, with its own windows), so the
daily run never says the same thing twice and picks up what a failed send left out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from sonae.catalog.instruments import load_instruments
from sonae.catalog.learning import load_loop
from sonae.engines.scoring import next_due
from sonae.i18n import pick
from sonae.orgs.choices import Role
from sonae.orgs.mailing import absolute_url, one_line

from .models import ReminderKind

SOON_DAYS = 3  # assignments, actions, risk reviews: the digest mentions them this many days before
REVIEW_SOON_DAYS = 14  # a rule's yearly review: two weeks ahead


@dataclass
class DueItem:
    org_id: int
    kind: str
    key: str  # stable id of the thing, e.g. "assignment:12"
    title: str
    due: dt.date | None
    url: str
    window: str | None = None  # set when today's digest should mention it
    note: str = ""
    # How the mention is recorded: DigestEntry by default; the documents area's RuleNotice for acknowledgements.
    rule_version_id: int | None = None
    rule_window: int | None = None
    diagnosis_id: int | None = None

    @property
    def overdue(self) -> bool:
        return bool(self.window and self.window.startswith("over"))


def _window(due: dt.date | None, today: dt.date, *, soon: int = SOON_DAYS, every: int = 7) -> str | None:
    """"soon" in the last `soon` days before `due`, then "over-N" once every `every` days while overdue."""
    if due is None:
        return None
    if due < today:
        return f"over-{(today - due).days // every}"
    if (due - today).days <= soon:
        return "soon"
    return None


def member_due_items(membership, *, now: dt.datetime | None = None) -> list[DueItem]:
    """Everything with a date that concerns this member of this organisation, for the digest and the feed."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    org, user = membership.org, membership.user
    can_write = membership.role in (Role.OWNER, Role.EDITOR)
    items: list[DueItem] = []
    items += _learning_items(org, user, today)
    items += _rule_items(org, user, now, can_write)
    items += _action_items(org, user, today, is_owner=membership.role == Role.OWNER)
    if can_write:
        items += _diagnosis_items(org, today)
    return items


def _learning_items(org, user, today) -> list[DueItem]:
    from sonae.learning.selectors import my_assignments

    items = []
    for mine in my_assignments(org=org, user=user):
        if mine.completion is not None:
            continue
        assignment = mine.assignment
        items.append(DueItem(org.id, ReminderKind.LEARNING, f"assignment:{assignment.id}", mine.title, assignment.due_date,
                             absolute_url("assignment_detail", org.id, assignment.id), _window(assignment.due_date, today),
                             note=_("学習の期限")))
    return items


def _rule_items(org, user, now, can_write: bool) -> list[DueItem]:
    from sonae.documents.models import DocumentVersion, RuleNotice
    from sonae.documents.selectors import rules_to_acknowledge
    from sonae.documents.tasks import notice_window, reached_members_at

    today = timezone.localdate(now)
    items = []
    pending = rules_to_acknowledge(org=org, user=user)
    notified = set(RuleNotice.objects.filter(user=user, version__in=[v for _d, v in pending]).values_list("version_id", "window"))
    for document, version in pending:
        window = notice_window(version, document, now)
        reached = timezone.localdate(reached_members_at(version, document))
        items.append(DueItem(
            org.id, ReminderKind.RULES, f"ack:{version.id}", one_line(document.title, 60),
            reached + dt.timedelta(days=settings.SONAE_RULE_REMINDER_DAYS), absolute_url("document_version", org.id, version.id),
            None if (version.id, window) in notified else f"ack-{window}",
            note=(_("社内ルールの確認がまだです（第%(n)d版）") if window else _("社内ルールの確認のお願い（第%(n)d版）")) % {"n": version.number},
            rule_version_id=version.id, rule_window=window,
        ))
    if can_write:
        months = load_loop().areas["rule_review"].months
        for version in DocumentVersion.objects.filter(org=org, status=DocumentVersion.Status.APPROVED).select_related("document"):
            if version.approved_at is None:
                continue
            due = next_due(timezone.localdate(version.approved_at), months)
            items.append(DueItem(org.id, ReminderKind.RULES, f"review:{version.id}", one_line(version.document.title, 60), due,
                                 absolute_url("document_detail", org.id, version.document_id),
                                 _window(due, today, soon=REVIEW_SOON_DAYS, every=30), note=_("ルールの定期的な見直し")))
    return items


def _action_items(org, user, today, *, is_owner: bool) -> list[DueItem]:
    from django.db.models import Q

    from sonae.actions.models import ActionItem
    from sonae.risks.models import Risk

    items = []
    for item in ActionItem.objects.filter(org=org, owner=user).exclude(status=ActionItem.Status.DONE).exclude(due_date=None):
        items.append(DueItem(org.id, ReminderKind.ACTIONS, f"action:{item.id}", one_line(item.title, 60), item.due_date,
                             absolute_url("action_detail", org.id, item.id), _window(item.due_date, today), note=_("対策の期限")))
    # A risk nobody owns is the owners' to review.
    owned = Q(owner=user) | (Q(owner=None) if is_owner else Q(pk__in=[]))
    for risk in Risk.objects.filter(org=org).filter(owned).exclude(status=Risk.Status.CLOSED).exclude(review_date=None):
        items.append(DueItem(org.id, ReminderKind.ACTIONS, f"risk:{risk.id}", one_line(risk.title, 60), risk.review_date,
                             absolute_url("risk_detail", org.id, risk.id), _window(risk.review_date, today),
                             note=_("リスクの見直し")))
    return items


def _diagnosis_items(org, today) -> list[DueItem]:
    from django.db.models import Max

    from sonae.assessments.models import Diagnosis

    latest_ids = (Diagnosis.objects.filter(org=org, status=Diagnosis.Status.SUBMITTED).values("instrument_id")
                  .annotate(last=Max("id")).values_list("last", flat=True))
    latest = {d.instrument_id: d for d in Diagnosis.objects.filter(id__in=list(latest_ids))}
    items = []
    for instrument in load_instruments():
        run = latest.get(instrument.id)
        if run is None:
            continue
        due = next_due(run.run_date, instrument.recheck_months)
        # One mention per run once it is due (as the diagnosis reminder always did), never again for that run.
        window = "due" if due <= today else None
        items.append(DueItem(org.id, ReminderKind.DIAGNOSIS, f"diagnosis:{run.id}", pick(instrument.title, "ja"), due,
                             absolute_url("diagnoses_home", org.id), window,
                             note=_("前回 %(d)s") % {"d": f"{run.run_date.year}年{run.run_date.month}月{run.run_date.day}日"},
                             diagnosis_id=run.id))
    return items
