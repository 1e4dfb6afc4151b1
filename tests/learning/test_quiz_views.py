"""The FACT or FAKE quiz in the browser's terms: one question at a time, the checker's findings as the
explanation, the score, scores per member, suggestions from wrong answers; a play is its player's only."""

from __future__ import annotations

import pytest

from sonae.engines.quiz import QuizItem, check_item
from sonae.learning.models import QuizPlay
from sonae.learning.services import quiz_start


def _play_url(org, play, suffix=""):
    return f"/o/{org.id}/learning/quiz/{play.id}/{suffix}"


def test_start_answer_explain_and_score(bob_client, org, bob):
    response = bob_client.post(f"/o/{org.id}/learning/quiz/")
    assert response.status_code == 302
    play = QuizPlay.objects.get(user=bob)
    assert play.count == 10 and play.answers == [None] * 10
    question = bob_client.get(_play_url(org, play)).content.decode()
    assert "第1問" in question and "本物（FACT）" in question and "偽物（FAKE）" in question
    assert "危険" not in question and "見つかった理由" not in question  # nothing gives the answer away
    first = play.items[0]
    wrong = "real" if first["answer"] == "fake" else "fake"
    response = bob_client.post(_play_url(org, play), {"index": 0, "choice": wrong})
    assert response.status_code == 302 and response["Location"].endswith("?explain=0")
    explanation = bob_client.get(response["Location"]).content.decode()
    report = check_item(QuizItem(**{**first, "tips": tuple(first["tips"])}))
    assert "残念、不正解です。" in explanation and "チェッカーの判定" in explanation
    assert {"danger": "危険", "caution": "注意", "none": "問題は見つかりませんでした"}[report.verdict] in explanation
    for finding in report.findings:
        if finding.severity != "info":
            assert finding.message_ja in explanation  # the checker's own findings on that exact text
    if report.verdict == "none":
        assert "安全の保証ではありません" in explanation
    assert "見分けるための勘所" in explanation
    for index, item in enumerate(play.items[1:], start=1):
        bob_client.post(_play_url(org, play), {"index": index, "choice": item["answer"]})
    play.refresh_from_db()
    assert play.is_finished and play.correct == 9
    assert bob_client.get(_play_url(org, play))["Location"].endswith("/result/")
    result = bob_client.get(_play_url(org, play, "result/")).content.decode()
    assert "10問中 <strong>9</strong> 問正解" in result and "おすすめの教材" in result
    home = bob_client.get(f"/o/{org.id}/learning/quiz/").content.decode()
    assert "9 / 10" in home


def test_answers_are_kept_once_and_in_order(bob_client, org, bob):
    play = quiz_start(org=org, user=bob, count=3, seed=4)
    bob_client.post(_play_url(org, play), {"index": 1, "choice": "fake"})  # skipping ahead
    play.refresh_from_db()
    assert play.answers == [None, None, None]
    bob_client.post(_play_url(org, play), {"index": 0, "choice": "fake"})
    bob_client.post(_play_url(org, play), {"index": 0, "choice": "real"})  # a second submit changes nothing
    play.refresh_from_db()
    assert play.answers[0] == "fake"


@pytest.mark.parametrize("data", [{"index": 0, "choice": "maybe"}, {"index": "x", "choice": "fake"}, {"index": 99, "choice": "fake"},
                                  {"index": -1, "choice": "real"}, {"choice": "<script>alert(1)</script>"}, {}])
def test_hostile_answers_are_refused(bob_client, org, bob, data):
    play = quiz_start(org=org, user=bob, count=2, seed=1)
    response = bob_client.post(_play_url(org, play), data)
    assert response.status_code == 302
    play.refresh_from_db()
    assert play.answers == [None, None]
    page = bob_client.get(_play_url(org, play)).content.decode()
    assert "<script>alert(1)</script>" not in page


def test_explanation_only_after_answering(bob_client, org, bob):
    play = quiz_start(org=org, user=bob, count=2, seed=2)
    page = bob_client.get(_play_url(org, play) + "?explain=0").content.decode()
    assert "チェッカーの判定" not in page and "第1問" in page
    assert bob_client.get(_play_url(org, play) + "?explain=abc").status_code == 200


def test_a_play_is_its_players_only(alice_client, charlie_client, org, bob):
    play = quiz_start(org=org, user=bob, count=2, seed=3)
    assert alice_client.get(_play_url(org, play)).status_code == 404  # the owner too
    assert alice_client.post(_play_url(org, play), {"index": 0, "choice": "fake"}).status_code == 404
    assert alice_client.get(_play_url(org, play, "result/")).status_code == 404
    assert charlie_client.get(_play_url(org, play)).status_code == 404


def test_scores_per_member_for_owners(alice_client, bob_client, org, bob):
    play = quiz_start(org=org, user=bob, count=2, seed=5)
    for index, item in enumerate(play.items):
        bob_client.post(_play_url(org, play), {"index": index, "choice": item["answer"]})
    page = alice_client.get(f"/o/{org.id}/learning/scores/").content.decode()
    assert "bob@example.jp" in page and "100%" in page
    assert bob_client.get(f"/o/{org.id}/learning/scores/").status_code == 403


def test_wrong_answers_suggest_the_matching_training(bob_client, org, bob):
    play = quiz_start(org=org, user=bob, count=6, seed=8)
    for index, item in enumerate(play.items):
        bob_client.post(_play_url(org, play), {"index": index, "choice": "real" if item["answer"] == "fake" else "fake"})
    result = bob_client.get(_play_url(org, play, "result/")).content.decode()
    assert "0</strong> 問正解" in result and "/learning/t/" in result
