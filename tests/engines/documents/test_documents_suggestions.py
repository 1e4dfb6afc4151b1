"""Suggestions from diagnoses (and without them), accepting them, and the forbidden-term list."""

from __future__ import annotations

import pytest

from sonae.engines import documents
from sonae.engines.documents import KINDS, apply_suggestion, forbidden_terms


def by_id(items):
    return {s.id: s for s in items}


def test_without_diagnoses_the_cyber_scenario_is_proposed():
    items = by_id(documents.suggestions("jigyokei", {}))
    assert items["cyber-hazard"].path == "goals.hazards[+]"
    assert items["cyber-hazard"].value["hazard"] == "cyber"
    assert "復元" in items["cyber-backup"].value  # offline backup and restore tests
    assert "ログ" in items["cyber-logs"].value
    assert "連絡先" in items["cyber-contacts"].value
    assert "電源は切らない" in items["cyber-first-response"].value
    assert all(s.source == "baseline" for s in items.values())


@pytest.mark.parametrize("item_id", ["11", 11, "q11", "ipa-5min-11"])
def test_weak_backup_answer_becomes_measure_d(item_id):
    items = documents.suggestions("jigyokei", {"ipa-5min": {item_id: 0}})
    first = items[0]  # diagnosis-driven suggestions come first
    assert first.path == "measures.table.D.future"
    assert first.source == f"ipa-5min:{item_id}"
    assert "No.11" in first.reason_ja


def test_weak_incident_readiness_proposes_contacts_and_first_response():
    items = [s for s in documents.suggestions("jigyokei", {"ipa-5min": {"24": -1}}) if s.source != "baseline"]
    assert {s.path for s in items} == {"measures.table.A.future", "initial_response.steps.damage_assessment.content"}


def test_strong_answers_add_nothing_from_the_diagnosis():
    items = documents.suggestions("jigyokei", {"ipa-5min": {"11": 4, "24": 4}})
    assert all(s.source == "baseline" for s in items)


def test_ransomware_ready_topics():
    answers = {"ransomware-ready": {"offline-backup": 0, "log-retention": 2, "edr": -1, "vpn-updated": 4}}
    sources = {s.source for s in documents.suggestions("jigyokei", answers)}
    assert {"ransomware-ready:offline-backup", "ransomware-ready:log-retention", "ransomware-ready:edr"} <= sources
    assert "ransomware-ready:vpn-updated" not in sources


def test_no_duplicate_texts():
    answers = {"ipa-5min": {"11": 0}, "ransomware-ready": {"backup": 0}}
    values = [s.value for s in documents.suggestions("jigyokei", answers) if isinstance(s.value, str)]
    assert len(values) == len(set(values))


def test_existing_cyber_hazard_is_not_proposed_again(sample):
    items = by_id(documents.suggestions("jigyokei", {}, document=sample("jigyokei")))
    assert "cyber-hazard" not in items


@pytest.mark.parametrize("answers", [None, [], "x", {"ipa-5min": None}, {"ipa-5min": {"11": "bad", "24": True}},
                                     {"ipa-5min": {None: 0}}, {"ransomware-ready": [1, 2]}])
def test_hostile_diagnosis_answers_do_not_crash(answers):
    for kind in KINDS:
        documents.suggestions(kind, answers)


@pytest.mark.parametrize("kind", KINDS)
def test_accepting_every_suggestion_keeps_the_document_valid(kind):
    answers = {"ipa-5min": {"1": 0, "11": 0, "20": 2, "24": -1},
               "ransomware-ready": {"offline-backup": 0, "logs": 0, "edr": 0, "insurance": 0, "contacts": 0},
               "genai-use": {"training-opt-out": 0}}
    document = documents.empty_document(kind)
    before = documents.completeness(kind, document)[0]
    for suggestion in documents.suggestions(kind, answers):
        document = apply_suggestion(document, suggestion)
    assert [i for i in documents.validate(kind, document) if i.severity == "error"] == []
    assert documents.completeness(kind, document)[0] > before
    documents.render(kind, document, "md")


def test_accepting_appends_to_existing_text_once(sample):
    document = sample("jigyokei")
    suggestion = by_id(documents.suggestions("jigyokei", {}))["cyber-logs"]
    once = apply_suggestion(document, suggestion)
    twice = apply_suggestion(once, suggestion)
    text = twice["measures"]["table"]["D"]["future"]
    assert text.startswith(document["measures"]["table"]["D"]["future"])
    assert text.count(suggestion.value) == 1


def test_forbidden_terms_cleaned_in_order(sample):
    document = sample("ai-guideline")
    document["input_rules"]["forbidden_terms"] += ["ＭＺ－200型", "  ", "MZ-200型", 42, "プロジェクト青嵐 ", "a\x00b"]
    # Full-width forms fold (NFKC), blanks, non-text and control characters are dropped, order is kept.
    assert forbidden_terms(document) == ["プロジェクト青嵐", "MZ-200型", "港北自動車工業", "見積単価表"]


@pytest.mark.parametrize("document", [None, {}, [], {"input_rules": "x"}, {"input_rules": {"forbidden_terms": "x"}}])
def test_forbidden_terms_of_malformed_documents(document):
    assert forbidden_terms(document) == []


def test_duplicate_forbidden_term_warns(sample):
    document = sample("ai-guideline")
    document["input_rules"]["forbidden_terms"].append("ｐｒｏｊｅｃｔ")
    document["input_rules"]["forbidden_terms"].append("PROJECT")
    issues = documents.validate("ai-guideline", document)
    assert [(i.path, i.severity) for i in issues] == [("input_rules.forbidden_terms[5]", "warning")]


def test_ransomware_ready_items_found_through_catalog_tags():
    from sonae.catalog.instruments import get_instrument

    instrument = get_instrument("ransomware-ready")
    backup = instrument.items_with_tag("backup")[0].id
    contacts = instrument.items_with_tag("contacts")[0].id
    items = documents.suggestions("jigyokei", {"ransomware-ready": {backup: 0, contacts: -1}})
    sources = {s.source: s.path for s in items}
    assert sources[f"ransomware-ready:{backup}"] == "measures.table.D.future"
    assert sources[f"ransomware-ready:{contacts}"] == "measures.table.A.future"


def test_ipa_items_by_catalog_id():
    from sonae.catalog.instruments import get_instrument

    backup = get_instrument("ipa-5min").items_with_tag("backup")[0].id  # q11
    assert documents.suggestions("jigyokei", {"ipa-5min": {backup: 2}})[0].source == f"ipa-5min:{backup}"
