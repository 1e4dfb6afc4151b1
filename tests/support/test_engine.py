"""The support engine: fit per entry and per condition, from a profile, sonae's state and the owner's answers."""

from __future__ import annotations

import datetime as dt

import pytest

from sonae.catalog.support import load_support
from sonae.engines.support import (
    AFTER_STEP,
    NO,
    UNKNOWN,
    YES,
    Profile,
    ProfileError,
    evaluate,
    match,
    profile_from_dict,
    reason_text,
    validate_city,
)

TODAY = dt.date(2026, 1, 15)  # inside 令和7年度, before every deadline


@pytest.fixture(scope="module")
def catalog():
    return load_support()


def fit_of(catalog, entry_id, profile, today=TODAY):
    return evaluate(catalog.get(entry_id), profile, today, catalog)


YOKOHAMA_MAKER = dict(prefecture="神奈川県", city="横浜市", industry="E", employees=(20, 20))


def test_yokohama_manufacturer_with_certified_plan_fits_ground_5(catalog):
    fit = fit_of(catalog, "yokohama-keiei-shien-shikin", Profile(**YOKOHAMA_MAKER, state={"jigyokei_approved": True}))
    assert fit.fit == YES
    assert [g.number for g in fit.fitting_grounds] == [5]
    ground5 = next(g for g in fit.grounds if g.number == 5)
    assert ground5.sonae_documents == ("jigyokei",) and len(ground5.documents) == 2
    assert any(r.ground == 5 and r.key == "jigyokei_approved" and r.fit == YES for r in fit.reasons)
    # with a ground that holds, the other grounds' questions are not asked
    assert "safety_net_5" not in fit.questions


def test_same_company_in_tokyo_does_not_fit_and_is_asked_nothing(catalog):
    profile = Profile(**{**YOKOHAMA_MAKER, "prefecture": "東京都", "city": "千代田区"}, state={"jigyokei_approved": True})
    fit = fit_of(catalog, "yokohama-keiei-shien-shikin", profile)
    assert fit.fit == NO
    assert {(r.key, r.fit) for r in fit.reasons} >= {("prefecture", NO), ("city", NO)}
    assert fit.questions == () and fit.steps == ()


def test_without_a_certified_plan_ground_5_is_after_one_step(catalog):
    fit = fit_of(catalog, "yokohama-keiei-shien-shikin", Profile(**YOKOHAMA_MAKER, state={"jigyokei_approved": False}))
    assert fit.fit == AFTER_STEP
    assert [g.number for g in fit.fitting_grounds] == [5]
    assert any("認定" in s.ja for s in fit.steps)
    assert {"sales_down_5pct", "safety_net_5"} <= set(fit.questions)  # the other grounds may still apply


def test_an_answer_opens_another_ground(catalog):
    profile = Profile(**YOKOHAMA_MAKER, state={"jigyokei_approved": False}, answers={"safety_net_4": True})
    fit = fit_of(catalog, "yokohama-keiei-shien-shikin", profile)
    assert fit.fit == YES and [g.number for g in fit.fitting_grounds] == [3]


def test_ward_of_a_designated_city_counts_as_the_city(catalog):
    profile = Profile(**{**YOKOHAMA_MAKER, "city": "横浜市中区"}, state={"jigyokei_approved": True})
    assert fit_of(catalog, "yokohama-keiei-shien-shikin", profile).fit == YES


@pytest.mark.parametrize(("band", "industry", "expected"), [
    ((21, 50), "I", YES),  # every industry's limit is at least 50
    ((101, 300), "E", YES),  # manufacturing: 300
    ((101, 300), "I", UNKNOWN),  # wholesale 100 / retail 50: the capital decides, so ask
    ((301, None), "E", UNKNOWN),
])
def test_employee_bands_decide_sme_only_when_they_can(catalog, band, expected, industry):
    profile = Profile(prefecture="神奈川県", industry=industry, employees=band)
    fit = fit_of(catalog, "kipc-bcp-expert-dispatch", profile)
    assert fit.fit == expected
    assert ("sme_by_capital" in fit.questions) == (expected == UNKNOWN)


def test_sme_by_capital_answer_decides_for_a_large_band(catalog):
    profile = Profile(prefecture="神奈川県", industry="E", employees=(301, None), answers={"sme_by_capital": False})
    assert fit_of(catalog, "kipc-bcp-expert-dispatch", profile).fit == NO


def test_missing_profile_field_is_unknown_not_no(catalog):
    fit = fit_of(catalog, "kipc-bcp-expert-dispatch", Profile(industry="E", employees=(6, 20)))
    assert fit.fit == UNKNOWN
    assert "未登録" in reason_text(fit.reasons[0])


def test_security_action_readiness_is_a_step(catalog):
    ready = fit_of(catalog, "security-action", Profile(state={"security_action_one_star": True}))
    not_ready = fit_of(catalog, "security-action", Profile(state={"security_action_one_star": False}))
    assert ready.fit == YES and not_ready.fit == AFTER_STEP and not_ready.steps


def test_declaring_security_action_is_the_step_to_the_it_subsidy(catalog):
    profile = Profile(industry="E", employees=(6, 20), answers={"security_action_declared": False})
    fit = fit_of(catalog, "it-donyu-security-frame", profile)
    assert fit.fit == AFTER_STEP and "SECURITY ACTION" in fit.steps[0].ja


def test_bonus_does_not_change_the_fit(catalog):
    base = Profile(**YOKOHAMA_MAKER, state={"jigyokei_approved": True})
    with_bonus = Profile(**YOKOHAMA_MAKER, state={"jigyokei_approved": True}, answers={"datsutanso_declared": True})
    assert fit_of(catalog, "yokohama-keiei-shien-shikin", base).bonuses[0].fit == UNKNOWN
    declared = fit_of(catalog, "yokohama-keiei-shien-shikin", with_bonus)
    assert declared.fit == YES and declared.bonuses[0].fit == YES


def test_deadline_and_review_interval_mark_entries_possibly_outdated(catalog):
    profile = Profile(**YOKOHAMA_MAKER, state={"jigyokei_approved": True})
    before = fit_of(catalog, "yokohama-keiei-shien-shikin", profile, dt.date(2026, 3, 31))
    after = fit_of(catalog, "yokohama-keiei-shien-shikin", profile, dt.date(2026, 4, 1))
    assert not before.possibly_outdated
    assert after.deadline_passed and after.possibly_outdated and after.fit == YES  # flagged, never silently current
    stale = fit_of(catalog, "idec-onestop-soudan", profile, dt.date(2027, 1, 1))  # as_of 2025-12-11, review 365 days
    assert stale.review_due and not stale.deadline_passed


def test_match_sorts_best_first(catalog):
    fits = match(catalog, Profile(**YOKOHAMA_MAKER, state={"jigyokei_approved": False}), TODAY)
    order = {"yes": 0, "after_step": 1, "unknown": 2, "no": 3}
    assert [order[f.fit] for f in fits] == sorted(order[f.fit] for f in fits)
    assert len(fits) == len(catalog.entries)


# -- profile validation (CLI contract) -----------------------------------------------------------


@pytest.mark.parametrize(("data", "field"), [
    ({"prefecture": "東京県"}, "prefecture"),
    ({"prefecture": 13}, "prefecture"),
    ({"employees": -3}, "employees"),
    ({"employees": True}, "employees"),
    ({"employees": "20"}, "employees"),
    ({"employees": 10**12}, "employees"),
    ({"industry": "Z"}, "industry"),
    ({"city": "<script>alert(1)</script>"}, "city"),
    ({"city": "横浜"}, "city"),
    ({"city": "市" * 100}, "city"),
    ({"colour": "red"}, "colour"),
    ({"answers": {"no_such_question": True}}, "answers.no_such_question"),
    ({"answers": {"sales_down_5pct": "yes"}}, "answers.sales_down_5pct"),
    ({"answers": []}, "answers"),
    ({"state": {"jigyokei_approved": 1}}, "state.jigyokei_approved"),
    ({"state": {"is_rich": True}}, "state.is_rich"),
    ([1, 2], "(top)"),
])
def test_bad_profiles_name_the_field(catalog, data, field):
    with pytest.raises(ProfileError) as excinfo:
        profile_from_dict(data, catalog)
    assert excinfo.value.field == field and excinfo.value.ja and excinfo.value.en


def test_profile_from_dict_normalises(catalog):
    profile = profile_from_dict({"prefecture": "神奈川県", "city": " 横浜市 ", "employees": 0, "state": {"jigyokei_approved": None}}, catalog)
    assert profile.city == "横浜市" and profile.employees == (0, 0) and profile.state == {"jigyokei_approved": None}


def test_city_in_the_wrong_prefecture_is_refused_by_the_validator(catalog):
    with pytest.raises(ValueError, match="神奈川県"):
        validate_city("横浜市", "東京都", catalog)
    assert validate_city("ヶ瀬村", "東京都", catalog) == "ヶ瀬村"
