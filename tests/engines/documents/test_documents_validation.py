"""Validation rules, empty documents and the completeness meter."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sonae.engines import documents
from sonae.engines.documents import KINDS, UnknownKind


def errors(kind, data, **kwargs):
    return [i for i in documents.validate(kind, data, **kwargs) if i.severity == "error"]


def paths(issues):
    return [i.path for i in issues]


@pytest.mark.parametrize("kind", KINDS)
def test_empty_document_has_every_field_and_is_json(kind):
    empty = documents.empty_document(kind)
    spec = documents.definition(kind)
    for section in spec.sections:
        if section.fields:
            assert set(empty[section.id]) == {f.id for f in section.fields}
    assert json.loads(json.dumps(empty)) == empty
    assert errors(kind, empty) == []


@pytest.mark.parametrize("kind", KINDS)
def test_samples_are_valid_and_complete(kind, sample):
    data = sample(kind)
    assert documents.validate(kind, data, require_complete=True) == []
    filled, total, percent = documents.completeness(kind, data)
    assert (filled, percent) == (total, 100)


@pytest.mark.parametrize("kind", KINDS)
def test_empty_document_is_zero_percent_and_required_fields_are_listed(kind):
    empty = documents.empty_document(kind)
    filled, total, percent = documents.completeness(kind, empty)
    assert filled == 0 and percent == 0 and total > 0
    missing = documents.validate(kind, empty, require_complete=True)
    assert len(missing) == total
    assert all(i.code == "required" and i.reason_ja and i.reason_en for i in missing)


def test_completeness_counts_partial_progress(sample):
    data = documents.empty_document("jigyokei")
    data["name"]["name"] = "株式会社みなと精工"
    filled, total, percent = documents.completeness("jigyokei", data)
    assert filled == 1 and percent == 100 * 1 // total


def test_period_over_three_years_is_refused(sample):
    data = sample("jigyokei")
    data["period"] = {"start": "2027-01", "end": "2030-01"}  # 37 months
    found = errors("jigyokei", data)
    assert paths(found) == ["period.end"]
    assert "3年" in found[0].reason_ja and "three years" in found[0].reason_en


def test_period_of_exactly_36_months_is_accepted(sample):
    data = sample("jigyokei")
    data["period"] = {"start": "2027-01", "end": "2029-12"}
    data["equipment"]["items"][0]["acquired_month"] = "2027-06"
    assert errors("jigyokei", data) == []


def test_period_ending_before_it_starts_is_refused(sample):
    data = sample("jigyokei")
    data["period"] = {"start": "2028-01", "end": "2027-12"}
    assert "period.end" in paths(errors("jigyokei", data))


def test_equipment_only_when_tax_measure_used(sample):
    data = sample("jigyokei")
    data["equipment"]["tax_measure_used"] = "no"
    assert "equipment.items" in paths(errors("jigyokei", data))
    data["equipment"]["items"] = []
    assert errors("jigyokei", data) == []
    # and required when it is used
    data["equipment"]["tax_measure_used"] = "yes"
    assert "equipment.items" in paths(documents.validate("jigyokei", data, require_complete=True))


def test_equipment_acquired_outside_the_period(sample):
    data = sample("jigyokei")
    data["equipment"]["items"][0]["acquired_month"] = "2031-01"
    assert paths(errors("jigyokei", data)) == ["equipment.items[0].acquired_month"]


def test_corporate_number_check_digit(sample):
    data = sample("jigyokei")
    data["name"]["corporate_number"] = "2835678256246"
    assert paths(errors("jigyokei", data)) == ["name.corporate_number"]
    data["name"]["corporate_number"] = "12345"
    assert errors("jigyokei", data)[0].code == "pattern"


def test_kana_and_postal_code_formats(sample):
    data = sample("jigyokei")
    data["name"]["name_kana"] = "かぶしきがいしゃ"
    data["cover"]["postal_code"] = "2310023x"
    assert set(paths(errors("jigyokei", data))) == {"name.name_kana", "cover.postal_code"}


def test_half_filled_table_row_names_the_missing_cell(sample):
    data = sample("jigyokei")
    data["funding"]["items"].append({"item": "UTMの導入", "use": "", "method": "自己資金", "amount": 200})
    assert errors("jigyokei", data) == []  # a draft may be previewed
    found = documents.validate("jigyokei", data, require_complete=True)
    assert [(i.path, i.code) for i in found] == [("funding.items[3].use", "required")]


def test_months_of_year_must_be_real_months(sample):
    data = sample("jigyokei")
    data["effectiveness"]["training_months"] = [13]
    assert paths(errors("jigyokei", data)) == ["effectiveness.training_months"]


def test_advice_warnings_do_not_block(sample):
    data = sample("jigyokei")
    data["goals"]["hazards"] = [h for h in data["goals"]["hazards"] if h["hazard"] != "cyber"]
    data["goals"]["business_overview"] = "精密部品を製造している。"
    data["initial_response"]["steps"]["life_safety"]["content"] = "全員で外に出る。"
    issues = documents.validate("jigyokei", data)
    assert all(i.severity == "warning" for i in issues)
    assert set(paths(issues)) == {
        "goals.hazards", "goals.business_overview", "initial_response.steps.life_safety.content",
    }


def test_security_policy_url_required_when_published(sample):
    data = sample("security-policy")
    data["publication"]["url"] = ""
    assert "publication.url" in paths(documents.validate("security-policy", data, require_complete=True))
    data["publication"]["url"] = "javascript:alert(1)"
    assert paths(errors("security-policy", data)) == ["publication.url"]
    data["publication"] = {"published": "no", "url": ""}
    assert documents.validate("security-policy", data, require_complete=True) == []


def test_ai_guideline_tool_without_opt_out_warns(sample):
    data = sample("ai-guideline")
    data["tools"]["allowed"][0]["training_opt_out"] = "no"
    issues = documents.validate("ai-guideline", data)
    assert [(i.path, i.severity) for i in issues] == [("tools.allowed[0].training_opt_out", "warning")]


@pytest.mark.parametrize(
    ("mutate", "path", "code"),
    [
        (lambda d: d["name"].__setitem__("employees", "twenty"), "name.employees", "type"),
        (lambda d: d["name"].__setitem__("employees", True), "name.employees", "type"),
        (lambda d: d["name"].__setitem__("employees", 2.5), "name.employees", "type"),
        (lambda d: d["name"].__setitem__("employees", -1), "name.employees", "range"),
        (lambda d: d["name"].__setitem__("name", "x" * 1_000_000), "name.name", "too_long"),
        (lambda d: d["name"].__setitem__("name", "株式会社\x00みなと"), "name.name", "control_chars"),
        (lambda d: d["name"].__setitem__("name", "株式会社\u202eみなと"), "name.name", "control_chars"),
        (lambda d: d["name"].__setitem__("name", "一行目\n二行目"), "name.name", "control_chars"),
        (lambda d: d["name"].__setitem__("established_on", "2026-02-30"), "name.established_on", "type"),
        (lambda d: d["name"].__setitem__("applicant_type", "company"), "name.applicant_type", "choice"),
        (lambda d: d["name"].__setitem__("nickname", "x"), "name.nickname", "unknown"),
        (lambda d: d.__setitem__("extra", {}), "extra", "unknown"),
        (lambda d: d.__setitem__("goals", []), "goals", "type"),
        (lambda d: d["goals"].__setitem__("hazards", {"a": 1}), "goals.hazards", "type"),
        (lambda d: d["goals"]["hazards"].append("earthquake"), "goals.hazards[3]", "type"),
        (lambda d: d["measures"]["table"].__setitem__("E", {}), "measures.table.E", "unknown"),
        (lambda d: d["period"].__setitem__("start", "2027/01"), "period.start", "type"),
    ],
)
def test_hostile_values_get_a_path_and_a_reason(sample, mutate, path, code):
    data = sample("jigyokei")
    mutate(data)
    found = errors("jigyokei", data)
    assert [(i.path, i.code) for i in found] == [(path, code)]
    assert found[0].reason_ja and found[0].reason_en


@pytest.mark.parametrize("data", [None, [], "text", 42])
def test_non_object_document(data):
    found = errors("jigyokei", data)
    assert [i.path for i in found] == [""]
    assert documents.completeness("jigyokei", data)[0] == 0


def test_unknown_kind():
    with pytest.raises(UnknownKind):
        documents.empty_document("bcp")
    with pytest.raises(UnknownKind):
        documents.validate(["jigyokei"], {})


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=20,
)


@settings(max_examples=150, deadline=None)
@given(kind=st.sampled_from(KINDS), value=json_values)
def test_validate_never_crashes_on_arbitrary_json(kind, value):
    issues = documents.validate(kind, value, require_complete=True)
    assert all(i.reason_ja and i.reason_en for i in issues)
    filled, total, percent = documents.completeness(kind, value)
    assert 0 <= filled <= total and 0 <= percent <= 100


@settings(max_examples=100, deadline=None)
@given(kind=st.sampled_from(KINDS), data=st.data())
def test_arbitrary_values_in_real_fields_never_crash(kind, data):
    doc = documents.empty_document(kind)
    section_id = data.draw(st.sampled_from(sorted(doc)))
    field_id = data.draw(st.sampled_from(sorted(doc[section_id])))
    doc[section_id][field_id] = data.draw(json_values)
    issues = documents.validate(kind, doc)
    if not [i for i in issues if i.severity == "error"]:
        documents.render(kind, doc, "md")


@pytest.mark.parametrize("kind", KINDS)
def test_definitions_serialise_for_the_web_builder(kind):
    spec = documents.definition(kind).to_dict()
    text = json.dumps(spec, ensure_ascii=False)
    assert spec["kind"] == kind
    for section in spec["sections"]:
        for field in section["fields"]:
            assert field["label"]["ja"] and field["label"]["en"], field["id"]
            if field["required"] and field["type"] not in ("grid",):
                assert field["example"] or field["help"]["ja"], field["id"]
    assert "\\u" not in text


@pytest.mark.parametrize("kind", KINDS)
def test_every_field_has_help_or_example(kind):
    for section in documents.definition(kind).sections:
        for field in section.fields:
            assert field.help.ja or field.example or field.type == "grid", f"{section.id}.{field.id}"
