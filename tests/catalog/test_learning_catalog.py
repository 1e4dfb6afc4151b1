"""The learning catalog: trainings and topics, the quiz's building blocks and the loop's intervals load,
cross-reference the rest of the catalog, and refuse broken files with the file, the entry and the reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from sonae.catalog.base import CatalogError, parse_file
from sonae.catalog.learning import (
    LEARNING_DIR,
    QuizCatalog,
    TrainingCatalog,
    load_loop,
    load_quiz,
    load_trainings,
)


def test_ipa_series_is_there_with_the_seminar_facts_and_no_guessed_urls():
    catalog = load_trainings()
    karei = [t for t in catalog.trainings if t.series == "ipa-karei"]
    assert [t.number for t in karei] == [1, 2, 3, 4, 5, 6, 7, 8, None]  # #1-#8 and the 統合版
    assert catalog.get("ipa-karei-04").title.ja == "華麗なる情報セキュリティ対策 #4「不審なメールに注意」"
    assert catalog.get("ipa-karei-01").duration_seconds == 106  # 1:46 in the seminar's listing
    assert catalog.get("ipa-karei-all").duration_seconds == 14 * 60 + 39
    # No source we hold gives a single video's address: the series link only, never an invented one.
    assert all(t.url is None for t in karei)
    assert str(catalog.series_of(karei[0]).url) == "https://youtu.be/NowlVTka9eM"
    for training in catalog.trainings:
        assert training.source.url and training.source.as_of
        if training.check:
            assert 0 <= training.check.answer < len(training.check.choices)


def test_topics_link_to_diagnosis_tags_and_risks():
    catalog = load_trainings()
    assert "suspicious-mail" in catalog.topics_for_tags({"email"})
    assert "password" in catalog.topics_for_tags({"password"})
    assert catalog.topics_for_risk("cyber-ransomware") >= {"ransomware", "patching"}
    first = catalog.for_topics({"suspicious-mail"})[0]
    assert first.id in ("ipa-karei-04", "npa-phishing")  # the focused ones before the 統合版
    assert catalog.for_topics({"suspicious-mail"})[-1].id == "ipa-karei-all"


def test_quiz_and_loop_load():
    quiz = load_quiz()
    assert {s.channel for s in quiz.scenarios} == {"sms", "mail"}
    assert {s.answer for s in quiz.scenarios} == {"fake", "real"}
    assert set(load_loop().areas) == {"training", "quiz", "rule_review", "advisor"}


def _broken(tmp_path: Path, name: str, old: str, new: str) -> Path:
    text = (LEARNING_DIR / name).read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / name
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize("old,new,reason", [
    ("    topics: [patching]\n", "    topics: [patchng]\n", "unknown topics"),
    ("      answer: 0\n", "      answer: 7\n", "is not one of"),
    ("    series: ipa-karei\n", "    series: ipa-kare\n", "unknown series"),
    ("    duration_seconds: 106\n", "    duration_seconds: -3\n", "duration_seconds"),
    ("id: ipa-karei-02", "id: ipa-karei-01", "duplicate training id"),
])
def test_broken_training_file_names_the_problem(tmp_path, old, new, reason):
    with pytest.raises(CatalogError) as error:
        parse_file(_broken(tmp_path, "trainings.yaml", old, new), TrainingCatalog)
    assert "trainings.yaml" in str(error.value) and reason in str(error.value)


@pytest.mark.parametrize("old,new,reason", [
    ("{brand}より、お客様宛に", "{brnd}より、お客様宛に", "unknown placeholders"),
    ("    tips: [no-link-tap, domain-check, sender-address]", "    tips: [no-such-tip]", "unknown tips"),
    ("    channel: sms\n    answer: fake", "    channel: fax\n    answer: fake", "channel"),
])
def test_broken_quiz_file_names_the_problem(tmp_path, old, new, reason):
    with pytest.raises(CatalogError) as error:
        parse_file(_broken(tmp_path, "quiz.yaml", old, new), QuizCatalog)
    assert "quiz.yaml" in str(error.value) and reason in str(error.value)
