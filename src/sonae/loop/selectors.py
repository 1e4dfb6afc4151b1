"""備えの点検: where each step of the loop (診断 → 学習 → ルール → 対策 → 相談) stands, for one or many organisations.

`loop_summaries(org_ids)` computes the loop of any number of organisations in a fixed number of queries
(about a dozen, however many organisations: one per kind of fact, grouped by organisation, then put
together in Python). The organisation's own page, the dashboard panel, the daily snapshot and an
advisor's portfolio of hundreds of clients all use it:

    from sonae.loop.selectors import loop_summaries
    summaries = loop_summaries([org.id for org in clients])     # {org_id: LoopSummary}
    summaries[org.id].score, summaries[org.id].overdue_count, summaries[org.id].explanation

Each row says when the step was last done, when it is due, whether it is overdue, and one link to act.
The score is the average of the five areas; an area scores the share of its rows that are on schedule.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Exists, Max, Min, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sonae.catalog.instruments import load_instruments
from sonae.catalog.learning import load_loop
from sonae.engines.scoring import next_due
from sonae.i18n import pick

AREAS = ("diagnosis", "learning", "rules", "actions", "advice")
SOON_DAYS = 30  # "due soon" on the page; still on schedule


def area_label(area: str) -> str:
    return {
        "diagnosis": _("診断"), "learning": _("学習"), "rules": _("ルール"), "actions": _("対策"), "advice": _("相談"),
    }[area]


@dataclass
class LoopRow:
    area: str
    title: str
    last_done: dt.date | None
    due: dt.date | None
    status: str  # "ok" / "soon" / "overdue" / "never"
    url: str
    action: str  # the link's label
    detail: str = ""
    points: float = 0.0  # 0..1: how much of this row is on schedule
    key: str = ""

    @property
    def overdue(self) -> bool:
        return self.status == "overdue"


@dataclass
class LoopSummary:
    org_id: int
    rows: list[LoopRow] = field(default_factory=list)
    area_scores: dict[str, int] = field(default_factory=dict)
    score: int = 0

    @property
    def overdue_count(self) -> int:
        return sum(1 for row in self.rows if row.status in ("overdue", "never"))

    def rows_of(self, area: str) -> list[LoopRow]:
        return [row for row in self.rows if row.area == area]

    @property
    def next_due(self) -> dt.date | None:
        dates = [row.due for row in self.rows if row.due and row.status != "overdue"]
        return min(dates) if dates else None

    @property
    def explanation(self) -> list[str]:
        """The score in words: what is on schedule and what pulls it down, worst area first."""
        lines = []
        on_time = sum(1 for row in self.rows if row.status in ("ok", "soon"))
        lines.append(_("点検する%(total)d項目のうち%(ok)d項目が予定どおりです。5つの分野（診断・学習・ルール・対策・相談）の達成度の平均が、点検スコアです。")
                     % {"total": len(self.rows), "ok": on_time})
        for area in sorted(self.area_scores, key=lambda a: self.area_scores[a]):
            late = [row for row in self.rows_of(area) if row.status == "overdue"]
            never = [row for row in self.rows_of(area) if row.status == "never"]
            if not late and not never:
                continue
            names = _("、").join(row.title for row in (late + never)[:3])
            values = {"area": area_label(area), "score": self.area_scores[area], "names": names}
            if late:
                lines.append(_("%(area)s（%(score)d点）：%(names)sが期限切れです。") % values)
            else:
                lines.append(_("%(area)s（%(score)d点）：%(names)sがまだです。") % values)
        if len(lines) == 1:
            lines.append(_("すべて予定どおりです。この調子で回し続けましょう。"))
        return lines


def _status(last: dt.date | None, due: dt.date | None, today: dt.date) -> tuple[str, float]:
    if due is None:
        return ("never", 0.0) if last is None else ("ok", 1.0)
    if due < today:
        return "overdue", 0.0
    if due <= today + dt.timedelta(days=SOON_DAYS):
        return "soon", 1.0
    return "ok", 1.0


def _add_months(day: dt.date, months: int) -> dt.date:
    return next_due(day, months)


def _local(moment: dt.datetime | None) -> dt.date | None:
    return timezone.localdate(moment) if moment else None


# --- the facts, a query each, for every organisation at once -------------------------------------------


def _by_org(rows: list[dict]) -> dict[int, list[dict]]:
    grouped: dict[int, list[dict]] = {}
    for row in rows:
        grouped.setdefault(row["org_id"], []).append(row)
    return grouped


def _facts(org_ids: list[int], today: dt.date) -> dict:
    from sonae.actions.models import ActionItem
    from sonae.assessments.models import Diagnosis
    from sonae.documents.models import Acknowledgement, DocumentVersion
    from sonae.learning.models import Assignment, Completion, QuizPlay
    from sonae.orgs.models import AdvisorGrant, AuditEntry, Membership
    from sonae.risks.models import Risk

    facts: dict = {"members": {}, "owners": {}}
    for org_id, user_id, role in Membership.objects.filter(org_id__in=org_ids, user__is_active=True).values_list("org_id", "user_id", "role"):
        facts["members"].setdefault(org_id, set()).add(user_id)
    facts["diagnoses"] = {
        (row["org_id"], row["instrument_id"]): row["last"]
        for row in Diagnosis.objects.filter(org_id__in=org_ids, status=Diagnosis.Status.SUBMITTED)
        .values("org_id", "instrument_id").annotate(last=Max("submitted_at")).order_by()
    }
    assignments = list(Assignment.objects.filter(org_id__in=org_ids, withdrawn_at=None)
                       .values("id", "org_id", "due_date", "everyone").order_by())
    facts["assignments"] = _by_org(assignments)
    ids = [a["id"] for a in assignments]
    facts["assigned"] = {}
    for assignment_id, user_id in Assignment.members.through.objects.filter(assignment_id__in=ids).values_list("assignment_id", "user_id"):
        facts["assigned"].setdefault(assignment_id, set()).add(user_id)
    facts["completed"] = {}
    for assignment_id, user_id in Completion.objects.filter(assignment_id__in=ids).values_list("assignment_id", "user_id"):
        facts["completed"].setdefault(assignment_id, set()).add(user_id)
    facts["last_completion"] = dict(Completion.objects.filter(org_id__in=org_ids).values("org_id")
                                    .annotate(last=Max("completed_on")).values_list("org_id", "last").order_by())
    facts["last_quiz"] = dict(QuizPlay.objects.filter(org_id__in=org_ids).exclude(finished_at=None).values("org_id")
                              .annotate(last=Max("finished_at")).values_list("org_id", "last").order_by())
    versions = list(DocumentVersion.objects.filter(org_id__in=org_ids, status=DocumentVersion.Status.APPROVED)
                    .values("id", "org_id", "document_id", "document__title", "document__shared_at", "approved_at", "number")
                    .order_by("org_id", "document__kind", "document_id"))
    facts["versions"] = _by_org(versions)
    facts["acks"] = {}
    for version_id, user_id in Acknowledgement.objects.filter(version_id__in=[v["id"] for v in versions]).values_list("version_id", "user_id"):
        facts["acks"].setdefault(version_id, set()).add(user_id)
    done = ActionItem.Status.DONE
    facts["actions"] = {row["org_id"]: row for row in ActionItem.objects.filter(org_id__in=org_ids).values("org_id").annotate(
        total=Count("id"), open=Count("id", filter=~Q(status=done)),
        overdue=Count("id", filter=~Q(status=done) & Q(due_date__lt=today)),
        next_due=Min("due_date", filter=~Q(status=done) & Q(due_date__gte=today)),
        last_closed=Max("closed_at")).order_by()}
    closed = Risk.Status.CLOSED
    facts["risks"] = {row["org_id"]: row for row in Risk.objects.filter(org_id__in=org_ids).values("org_id").annotate(
        open=Count("id", filter=~Q(status=closed)),
        overdue=Count("id", filter=~Q(status=closed) & Q(review_date__lt=today)),
        next_review=Min("review_date", filter=~Q(status=closed) & Q(review_date__gte=today)),
        last_updated=Max("updated_at")).order_by()}
    advisor = AdvisorGrant.objects.filter(org_id=OuterRef("org_id"), advisor_id=OuterRef("actor_id"))
    facts["advisor_last"] = dict(AuditEntry.objects.filter(org_id__in=org_ids).filter(Exists(advisor)).values("org_id")
                                 .annotate(last=Max("at")).values_list("org_id", "last").order_by())
    facts["advisors"] = dict(AdvisorGrant.objects.filter(org_id__in=org_ids, revoked_at=None).values("org_id")
                             .annotate(n=Count("id")).values_list("org_id", "n").order_by())
    return facts


# --- rows ------------------------------------------------------------------------------------------


def _diagnosis_rows(org_id: int, facts: dict, today: dt.date) -> list[LoopRow]:
    rows = []
    url = reverse("diagnoses_home", args=[org_id])
    for instrument in load_instruments():
        last = _local(facts["diagnoses"].get((org_id, instrument.id)))
        due = _add_months(last, instrument.recheck_months) if last else None
        status, points = _status(last, due, today)
        rows.append(LoopRow("diagnosis", pick(instrument.title), last, due, status, url,
                            _("診断する") if status in ("overdue", "never") else _("結果を見る"), points=points,
                            detail=_("%(m)dか月ごと") % {"m": instrument.recheck_months}, key=f"diagnosis:{instrument.id}"))
    # IPA first: it is the first step the product recommends.
    rows.sort(key=lambda r: r.key != "diagnosis:ipa-5min")
    return rows


def _learning_rows(org_id: int, facts: dict, today: dt.date) -> list[LoopRow]:
    cadence = load_loop().areas
    members = facts["members"].get(org_id, set())
    pending_due: list[dt.date] = []
    late_people = 0
    for assignment in facts["assignments"].get(org_id, ()):
        targets = members if assignment["everyone"] else facts["assigned"].get(assignment["id"], set()) & members
        pending = targets - facts["completed"].get(assignment["id"], set())
        if pending:
            pending_due.append(assignment["due_date"])
            if assignment["due_date"] < today:
                late_people += len(pending)
    last = facts["last_completion"].get(org_id)
    yearly = _add_months(last, cadence["training"].months) if last else None
    due = min([d for d in pending_due + ([yearly] if yearly else [])], default=None)
    status, points = _status(last, due, today)
    detail = (_("期限を過ぎた受講が%(n)d人分あります") % {"n": late_people}) if late_people else pick(cadence["training"].text)
    rows = [LoopRow("learning", _("教育（動画・資料の受講）"), last, due, status, reverse("learning_progress", args=[org_id]),
                    _("受講状況を見る") if pending_due else _("学習を割り当てる"), detail=detail, points=points, key="learning:training")]
    quiz_last = _local(facts["last_quiz"].get(org_id))
    quiz_due = _add_months(quiz_last, cadence["quiz"].months) if quiz_last else None
    status, points = _status(quiz_last, quiz_due, today)
    rows.append(LoopRow("learning", _("FACT or FAKE クイズ"), quiz_last, quiz_due, status, reverse("quiz_home", args=[org_id]),
                        _("クイズを解く"), detail=pick(cadence["quiz"].text), points=points, key="learning:quiz"))
    return rows


def _rule_rows(org_id: int, facts: dict, today: dt.date) -> list[LoopRow]:
    months = load_loop().areas["rule_review"].months
    members = facts["members"].get(org_id, set())
    rows = []
    for version in facts["versions"].get(org_id, ()):
        last = _local(version["approved_at"])
        due = _add_months(last, months) if last else None
        status, points = _status(last, due, today)
        if version["document__shared_at"]:
            acked = len(facts["acks"].get(version["id"], set()) & members)
            detail = _("%(total)d人中%(done)d人が確認済み") % {"total": len(members), "done": acked}
            points *= 0.5 + 0.5 * (acked / len(members) if members else 1)
        else:
            detail = _("メンバーに未公開")
        rows.append(LoopRow("rules", version["document__title"], last, due, status,
                            reverse("document_detail", args=[org_id, version["document_id"]]),
                            _("見直す") if status == "overdue" else _("文書を開く"), detail=detail, points=points,
                            key=f"rules:{version['id']}"))
    if not rows:
        rows.append(LoopRow("rules", _("社内ルール・計画"), None, None, "never", reverse("documents_home", args=[org_id]),
                            _("ルールを作る"), detail=_("承認済みの文書はまだありません"), key="rules:none"))
    return rows


def _action_rows(org_id: int, facts: dict, today: dt.date) -> list[LoopRow]:
    rows = []
    actions = facts["actions"].get(org_id)
    if actions and actions["total"]:
        late = actions["overdue"]
        status = "overdue" if late else ("soon" if actions["next_due"] and actions["next_due"] <= today + dt.timedelta(days=SOON_DAYS) else "ok")
        points = 1 - late / actions["open"] if actions["open"] else 1.0
        detail = (_("期限切れ %(late)d件・未完了 %(open)d件") % {"late": late, "open": actions["open"]}) if actions["open"] else _("すべて完了")
        rows.append(LoopRow("actions", _("対策リスト"), _local(actions["last_closed"]), actions["next_due"], status,
                            reverse("actions_home", args=[org_id]), _("期限切れの対策を見る") if late else _("対策リストを見る"),
                            detail=detail, points=max(0.0, points), key="actions:items"))
    else:
        rows.append(LoopRow("actions", _("対策リスト"), None, None, "never", reverse("actions_home", args=[org_id]),
                            _("対策を登録する"), detail=_("診断の弱い項目から対策を登録できます"), key="actions:items"))
    risks = facts["risks"].get(org_id)
    if risks and risks["open"]:
        late = risks["overdue"]
        status = "overdue" if late else ("soon" if risks["next_review"] and risks["next_review"] <= today + dt.timedelta(days=SOON_DAYS) else "ok")
        rows.append(LoopRow("actions", _("リスクの定期チェック"), _local(risks["last_updated"]), risks["next_review"], status,
                            reverse("risks_home", args=[org_id]), _("見直す") if late else _("リスク台帳を見る"),
                            detail=_("見直し日を過ぎたリスク %(n)d件") % {"n": late} if late else _("見直し日どおり"),
                            points=1 - late / risks["open"], key="actions:risks"))
    else:
        rows.append(LoopRow("actions", _("リスクの定期チェック"), None, None, "never", reverse("risks_home", args=[org_id]),
                            _("リスクを登録する"), detail=_("生成AIとサイバーのリスクをひな形から登録できます"), key="actions:risks"))
    return rows


def _advice_rows(org_id: int, facts: dict, today: dt.date) -> list[LoopRow]:
    area = load_loop().areas["advisor"]
    last = _local(facts["advisor_last"].get(org_id))
    due = _add_months(last, area.months) if last else None
    status, points = _status(last, due, today)
    has_advisor = bool(facts["advisors"].get(org_id))
    detail = pick(area.text) if has_advisor else _("支援者（診断士・ITコーディネータなど）を招待すると、一緒に点検できます")
    return [LoopRow("advice", _("支援者への相談"), last, due, status, reverse("advisors", args=[org_id]),
                    _("支援者を確認する") if has_advisor else _("支援者を招待する"), detail=detail, points=points, key="advice:advisor")]


def loop_summaries(org_ids, *, today: dt.date | None = None) -> dict[int, LoopSummary]:
    """The loop of every organisation in `org_ids`, in a fixed number of queries (see the module docstring)."""
    org_ids = sorted({int(i) for i in org_ids})
    today = today or timezone.localdate()
    facts = _facts(org_ids, today)
    summaries = {}
    for org_id in org_ids:
        summary = LoopSummary(org_id)
        for build in (_diagnosis_rows, _learning_rows, _rule_rows, _action_rows, _advice_rows):
            summary.rows += build(org_id, facts, today)
        for area in AREAS:
            rows = summary.rows_of(area)
            summary.area_scores[area] = round(100 * sum(r.points for r in rows) / len(rows)) if rows else 0
        summary.score = round(sum(summary.area_scores.values()) / len(AREAS))
        summaries[org_id] = summary
    return summaries


def loop_summary(org, *, today: dt.date | None = None) -> LoopSummary:
    return loop_summaries([org.id], today=today)[org.id]


def score_history(org, *, days: int = 365) -> list[tuple[dt.date, int]]:
    from .models import LoopSnapshot

    since = timezone.localdate() - dt.timedelta(days=days)
    return list(LoopSnapshot.objects.filter(org=org, day__gte=since).order_by("day").values_list("day", "score"))
