"""The quiz engine: realistic messages, the same seed gives the same quiz, and the checker agrees with the key."""

from __future__ import annotations

from email import message_from_string
from email.header import decode_header, make_header

import pytest

from sonae.engines.quiz import MAX_COUNT, QuizError, check_item, make_quiz, validate


def test_same_seed_same_quiz_other_seed_other_quiz():
    assert make_quiz(10, seed=5) == make_quiz(10, seed=5)
    assert [i.text for i in make_quiz(10, seed=5)] != [i.text for i in make_quiz(10, seed=6)]
    assert [i.text for i in make_quiz(10)] != [i.text for i in make_quiz(10)]  # unseeded plays differ


def test_a_quiz_mixes_fake_and_real_and_both_channels():
    items = make_quiz(10, seed=11)
    answers = [i.answer for i in items]
    assert 4 <= answers.count("fake") <= 6
    assert {i.channel for i in make_quiz(40, seed=3)} == {"sms", "mail"}
    assert len({i.id for i in make_quiz(200, seed=1)}) == 200


def test_fakes_are_flagged_and_genuine_ones_are_never_dangerous():
    # The contract our checks rely on, on a few hundred items (bench/quiz_eval.py measures thousands).
    for seed in range(15):
        for item in make_quiz(20, seed=seed):
            verdict = check_item(item).verdict
            if item.answer == "fake":
                assert verdict in ("danger", "caution"), item.text
            else:
                assert verdict != "danger", item.text


def test_a_mail_item_is_a_whole_readable_mail():
    mail_item = next(i for i in make_quiz(30, seed=2) if i.channel == "mail")
    parsed = message_from_string(mail_item.text)
    assert parsed["From"] and parsed["To"] and parsed["Subject"] and parsed["Date"] and parsed["Message-ID"]
    assert str(make_header(decode_header(parsed["Subject"])))  # Japanese subject, properly encoded
    assert parsed.get_content_charset() == "utf-8"


def test_fake_links_never_use_the_brands_official_domain_and_real_ones_always_do():
    from sonae.catalog.brands import load_brands

    for item in make_quiz(300, seed=9):
        report = check_item(item)
        if item.brand is None or not report.links:
            continue
        official = set(load_brands().by_id(item.brand).domains)
        on_official = [l for l in report.links if any(l.host == d or l.host.endswith("." + d) for d in official)]
        if item.answer == "real":
            assert len(on_official) == len(report.links), item.text
        elif item.channel == "sms":
            assert not on_official, item.text


@pytest.mark.parametrize("count,seed", [(0, None), (-1, None), (MAX_COUNT + 1, None), ("10", None), (True, None),
                                        (1.5, None), (5, -1), (5, "x"), (5, 2**64)])
def test_bad_counts_and_seeds_are_refused(count, seed):
    with pytest.raises(QuizError) as error:
        validate(count, seed)
    assert error.value.message_ja and error.value.message_en
