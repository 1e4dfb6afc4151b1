"""Reads for 支援策ナビ: the organisation's profile and state as the support engine sees them, and the fits.

`support_fits_for_org(org=…)` is the one entry point for other areas (the dashboard panel, the advisor's
client report pack): it returns the engine's EntryFit list, best fits first.
"""

from __future__ import annotations

import datetime as dt

from django.apps import apps
from django.utils import timezone

from sonae.catalog.support import load_support
from sonae.engines.support import AFTER_STEP, YES, EntryFit, Profile, match

from .models import SupportAnswer

# Employee bands of the organisation profile (orgs.choices.EmployeeBand) as inclusive ranges.
EMPLOYEE_BANDS: dict[str, tuple[int, int | None]] = {
    "1-5": (1, 5), "6-20": (6, 20), "21-50": (21, 50), "51-100": (51, 100), "101-300": (101, 300), "301+": (301, None),
}


def answers_of(org) -> dict[str, bool]:
    return dict(SupportAnswer.objects.filter(org=org).values_list("question_id", "value"))


def answer_rows_of(org) -> dict[str, SupportAnswer]:
    return {a.question_id: a for a in SupportAnswer.objects.filter(org=org).select_related("answered_by")}


def jigyokei_in_sonae(org) -> bool:
    """An approved (社内承認) 事業継続力強化計画 exists in the documents area."""
    if not apps.is_installed("sonae.documents"):
        return False
    from sonae.documents.selectors import latest_approved_of_kind

    return latest_approved_of_kind(org, "jigyokei") is not None


def security_policy_in_sonae(org) -> bool:
    if not apps.is_installed("sonae.documents"):
        return False
    from sonae.documents.selectors import latest_approved_of_kind

    return latest_approved_of_kind(org, "security_policy") is not None


def state_of(org, answers: dict[str, bool]) -> dict[str, bool | None]:
    """What sonae knows. 認定 comes from the state, not from sonae's own approval: the owner records it
    (question jigyokei_certified); sonae's approved draft is kept apart to choose the next step shown."""
    state: dict[str, bool | None] = {
        "jigyokei_approved": answers.get("jigyokei_certified", False),
        "jigyokei_in_sonae": jigyokei_in_sonae(org),
    }
    if apps.is_installed("sonae.assessments"):
        from sonae.assessments.selectors import security_action_status

        readiness = security_action_status(org=org)
        state["security_action_one_star"] = readiness.one_star
        state["security_action_two_star"] = readiness.two_star
    return state


def profile_of(org, answers: dict[str, bool] | None = None) -> Profile:
    answers = answers_of(org) if answers is None else answers
    return Profile(
        prefecture=org.prefecture or None,
        city=org.city or None,
        industry=org.industry or None,
        employees=EMPLOYEE_BANDS.get(org.employee_band),
        answers=answers,
        state=state_of(org, answers),
    )


def today_tokyo() -> dt.date:
    return timezone.localdate()


def support_fits_for_org(*, org, today: dt.date | None = None, answers: dict[str, bool] | None = None) -> list[EntryFit]:
    """Every catalogue entry with its fit for `org`, best first."""
    return match(load_support(), profile_of(org, answers), today or today_tokyo())


def fitting_support_for_org(*, org, today: dt.date | None = None) -> list[EntryFit]:
    """What fits now or after one step: for the dashboard and the advisor's client report pack."""
    return [f for f in support_fits_for_org(org=org, today=today) if f.fit in (YES, AFTER_STEP)]
