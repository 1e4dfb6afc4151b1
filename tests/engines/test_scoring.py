"""Scoring engine: hand-computed totals, every IPA band boundary, answers by label, errors."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sonae.catalog.instruments import get_instrument
from sonae.engines.scoring import (
    ScoringError,
    compare,
    five_committed,
    next_due,
    peer_average,
    score,
    security_action_readiness,
)

IPA = get_instrument("ipa-5min")
IDS = [f"q{n:02d}" for n in range(1, 26)]


def answers_for_total(total: int) -> dict[str, int]:
    """25 answers on the 4/2/0/−1 scale that add up to `total` (−25..100)."""
    deficit = 100 - total  # an item at 2 loses 2, at 0 loses 4, at −1 loses 5
    for minus_one in range(26):
        for zero in range(26 - minus_one):
            rest = deficit - 5 * minus_one - 4 * zero
            if rest >= 0 and rest % 2 == 0 and minus_one + zero + rest // 2 <= 25:
                points = [-1] * minus_one + [0] * zero + [2] * (rest // 2)
                points += [4] * (25 - len(points))
                assert sum(points) == total
                return dict(zip(IDS, points, strict=True))
    raise AssertionError(f"no answers give {total}")


def test_all_done_scores_100_in_the_top_band():
    result = score(IPA, {i: 4 for i in IDS})
    assert (result.total, result.max, result.min) == (100, 100, -25)
    assert result.band.id == "complete"
    assert [(p.id, p.score, p.max) for p in result.parts] == [
        ("part1", 20, 20), ("part2", 52, 52), ("part3", 28, 28)]
    assert result.fix_first == () and result.unanswered == () and result.complete


def test_hand_computed_mixed_answers():
    answers = {i: 4 for i in IDS}
    answers.update({"q03": -1, "q04": 2, "q05": 0,  # part1: 4+4-1+2+0 = 9
                    "q08": 2, "q11": 0, "q13": 2,  # part2: 52-2-4-2 = 44
                    "q20": 2, "q21": 0, "q23": 2, "q24": -1, "q25": 0})  # part3: 28-2-4-2-5-4 = 11
    result = score(IPA, answers)
    assert [p.score for p in result.parts] == [9, 44, 11]
    assert result.total == 64
    assert result.band.id == "insufficient"
    assert result.band.title.ja == "対策が不十分です"


def test_all_unknown_gives_minus_25_in_the_lowest_band():
    result = score(IPA, {i: "わからない" for i in IDS})
    assert result.total == -25
    assert result.band.id == "urgent"
    assert all(f.check for f in result.fix_first)
    assert [p.score for p in result.parts] == [-5, -13, -7]
    assert all(p.ratio == 0.0 for p in result.parts)


BOUNDARIES = [(100, "complete"), (99, "mostly"), (98, "mostly"), (70, "mostly"), (69, "insufficient"),
              (50, "insufficient"), (49, "urgent"), (0, "urgent"), (-1, "urgent"), (-24, "urgent"),
              (-25, "urgent")]
# 99 and 97 cannot be reached with 25 answers of 4/2/0/−1 (an odd total needs an odd number of
# わからない, and one −1 leaves at most 24 × 4 = 96); their band is still defined.
UNREACHABLE = {99, 97}


@pytest.mark.parametrize(("total", "band"), BOUNDARIES)
def test_every_band_boundary(total, band):
    assert IPA.band_for(total).id == band
    if total in UNREACHABLE:
        with pytest.raises(AssertionError):
            answers_for_total(total)
        return
    result = score(IPA, answers_for_total(total))
    assert result.total == total
    assert result.band.id == band


def test_every_total_has_exactly_one_band():
    for total in range(-25, 101):
        assert sum(1 for b in IPA.bands if (b.min is None or b.min <= total)
                   and (b.max is None or total <= b.max)) == 1, total


def test_band_boundaries_hand_built():
    answers = {i: 4 for i in IDS}
    answers["q01"] = -1  # 100 − 5 = 95
    answers["q02"] = 2  # 93
    assert score(IPA, answers).total == 93
    answers = {i: 4 for i in IDS}
    answers.update({"q24": 2, "q25": -1, "q23": 0, "q22": 0, "q21": 0, "q20": 0, "q19": 0})
    assert score(IPA, answers).total == 100 - 2 - 5 - 20  # 73: still 70–99
    assert score(IPA, answers).band.id == "mostly"


@given(st.lists(st.sampled_from([4, 2, 0, -1]), min_size=25, max_size=25))
def test_total_is_sum_and_parts_add_up(points):
    result = score(IPA, dict(zip(IDS, points, strict=True)))
    assert result.total == sum(points)
    assert sum(p.score for p in result.parts) == result.total
    assert result.band.id == ("complete" if sum(points) == 100 else "mostly" if sum(points) >= 70
                              else "insufficient" if sum(points) >= 50 else "urgent")
    assert len(result.fix_first) == sum(1 for p in points if p < 4)


def test_answers_by_label_id_and_english_label():
    answers = {i: 4 for i in IDS}
    answers.update({"q01": "一部実施している", "q02": "not-done", "q03": "Don't know", "q04": " done ",
                    "q05": "2", "q06": 0.0, "q07": "４", "q08": "-1"})
    result = score(IPA, answers)
    points = {s.item_id: s.points for s in result.items}
    assert [points[i] for i in ("q01", "q02", "q03", "q04", "q05", "q06", "q07", "q08")] == [
        2, 0, -1, 4, 2, 0, 4, -1]  # full-width digits are accepted like int() does


def test_fix_first_orders_zero_and_unknown_first_and_flags_check():
    answers = {i: 4 for i in IDS}
    answers.update({"q02": 2, "q07": -1, "q05": 0, "q20": 2, "q11": 0})
    result = score(IPA, answers)
    assert [f.number for f in result.fix_first] == [5, 7, 11, 2, 20]
    assert [f.check for f in result.fix_first] == [False, True, False, False, False]
    first = result.fix_first[0]
    assert first.advice.ja and first.source_url.startswith("https://www.ipa.go.jp/")
    assert first.source_as_of == dt.date(2026, 11, 26)


def test_missing_answers_are_listed_and_do_not_count():
    answers = {i: 4 for i in IDS[:20]}
    answers["q21"] = None
    result = score(IPA, answers)
    assert result.unanswered == ("q21", "q22", "q23", "q24", "q25")
    assert not result.complete
    assert result.total == 80
    assert result.parts[2].answered == 2 and result.parts[2].count == 7


@pytest.mark.parametrize(
    "bad",
    [5, 3, 1, -2, 100, True, False, 2.5, float("nan"), float("inf"), "yes", "", "実施", [4], {"a": 1},
     10**400, "4.5", "0x4"],
)
def test_value_off_the_scale_raises_bilingual_error(bad):
    with pytest.raises(ScoringError) as caught:
        score(IPA, {"q01": bad})
    error = caught.value
    assert error.item_id == "q01"
    assert "q01" in error.ja and "q01" in error.en
    assert "実施している=4" in error.ja and "Done=4" in error.en
    assert len(str(error)) < 400


@pytest.mark.parametrize("key", ["q26", "Q01", "q1", "", 1, None, "x" * 10_000, "<script>"])
def test_unknown_item_id_raises(key):
    with pytest.raises(ScoringError) as caught:
        score(IPA, {key: 4})
    assert "ipa-5min" in caught.value.en
    assert len(str(caught.value)) < 300


def test_answers_must_be_a_mapping():
    with pytest.raises(ScoringError):
        score(IPA, [("q01", 4)])  # type: ignore[arg-type]


def test_genai_use_has_tag_subtotals_and_no_parts():
    genai = get_instrument("genai-use")
    answers = {item.id: 4 for item in genai.items}
    answers.update({"g05": 0, "g06": -1, "g07": 2})
    result = score(genai, answers)
    assert result.parts == ()
    tags = {t.id: (t.score, t.max) for t in result.tags}
    assert tags["leakage"] == (4 + 0 - 1 + 2, 16)
    assert tags["hallucination"] == (4, 4)
    assert [g.id for g in result.chart_groups] == list(genai.tags)
    assert result.total == 48 - 4 - 5 - 2
    assert result.band.id == "mostly"  # 37 in 34–47


def test_ransomware_ready_parts():
    ransom = get_instrument("ransomware-ready")
    result = score(ransom, {item.id: 2 for item in ransom.items})
    assert [(p.id, p.score, p.max) for p in result.parts] == [
        ("prevent", 10, 20), ("recover", 8, 16), ("respond", 6, 12)]
    assert result.total == 24 and result.band.id == "insufficient"


def test_compare_two_runs():
    before = score(IPA, {i: 2 for i in IDS})
    answers = {i: 2 for i in IDS}
    answers.update({"q01": 4, "q11": 4, "q25": 0})
    after = score(IPA, answers)
    diff = compare(before, after)
    assert (diff.before_total, diff.after_total, diff.delta) == (50, 52, 2)
    assert [(c.number, c.before, c.after) for c in diff.changed] == [(1, 2, 4), (11, 2, 4), (25, 2, 0)]
    assert [c.number for c in diff.improved] == [1, 11]
    assert [c.number for c in diff.worsened] == [25]
    assert [(p.id, p.delta) for p in diff.parts] == [("part1", 2), ("part2", 2), ("part3", -2)]
    assert diff.same_version and not diff.band_changed


def test_compare_refuses_different_instruments():
    genai = get_instrument("genai-use")
    with pytest.raises(ScoringError):
        compare(score(IPA, {i: 4 for i in IDS}), score(genai, {i.id: 4 for i in genai.items}))


def test_peer_average_needs_five_organisations():
    results = [score(IPA, answers_for_total(t)) for t in (100, 80, 60, 40, 20)]
    assert peer_average(results[:4]) is None
    average = peer_average(results)
    assert average.group_size == 5 and average.total == 60.0
    assert set(average.parts) == {"part1", "part2", "part3"}
    assert peer_average(results, min_group=6) is None
    with pytest.raises(ValueError):
        peer_average(results, min_group=1)
    assert peer_average([]) is None


def test_security_action_readiness():
    ready = security_action_readiness(five_committed=True, ipa_diagnosis_complete=True, policy_published=True)
    assert ready.one_star and ready.two_star and not ready.missing_two_star
    only_one = security_action_readiness(five_committed=True, ipa_diagnosis_complete=True, policy_published=False)
    assert only_one.one_star and not only_one.two_star
    assert [m.ja for m in only_one.missing_two_star] == ["情報セキュリティ基本方針を定めて公開する"]
    nothing = security_action_readiness(five_committed=False, ipa_diagnosis_complete=False, policy_published=True)
    assert not nothing.one_star and not nothing.two_star and len(nothing.missing_two_star) == 1
    for text in (*nothing.missing_one_star, *nothing.missing_two_star):
        assert "認定" not in text.ja


def test_five_committed_from_a_result():
    five = get_instrument("security-action-5")
    assert five_committed(score(five, {i.id: "取り組む" for i in five.items}))
    assert not five_committed(score(five, {**{i.id: 1 for i in five.items}, "p4": 0}))
    assert not five_committed(score(five, {"p1": 1}))
    assert not five_committed(score(IPA, {i: 4 for i in IDS}))


@pytest.mark.parametrize(
    ("last", "months", "due"),
    [(dt.date(2026, 11, 26), 6, dt.date(2027, 5, 26)),
     (dt.date(2026, 8, 31), 6, dt.date(2027, 2, 28)),
     (dt.date(2027, 8, 31), 6, dt.date(2028, 2, 29)),
     (dt.date(2026, 12, 15), 1, dt.date(2027, 1, 15)),
     (dt.date(2026, 1, 31), 12, dt.date(2027, 1, 31)),
     (dt.date(2026, 3, 1), 24, dt.date(2028, 3, 1))],
)
def test_next_due(last, months, due):
    assert next_due(last, months) == due


def test_next_due_rejects_zero_months():
    with pytest.raises(ValueError):
        next_due(dt.date(2026, 1, 1), 0)


def test_summary_contract_keys():
    summary = score(IPA, {i: 4 for i in IDS}).summary()
    for key in ("instrument", "version", "total", "max", "band", "parts", "unanswered"):
        assert key in summary
    assert summary["parts"]["part2"] == {"score": 52, "max": 52}


def test_check_version():
    from sonae.engines.scoring import check_version

    check_version(IPA, "2019.1")
    with pytest.raises(ScoringError, match="2018.1"):
        check_version(IPA, "2018.1")
