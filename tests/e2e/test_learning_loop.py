"""定期的に学習する in a real browser: the owner assigns a training, a member plays a FACT or FAKE quiz of 10
through to the score (explanations after every answer), marks the training done; the loop page and the
dashboard show it. Screenshots of the training list, an assignment, a question and its explanation, the
score and the loop, on a desktop and a phone viewport, in Japanese and English."""

from __future__ import annotations

import datetime as dt

import pytest

PASSWORD = "correct-horse-battery-staple-42"  # the fixtures' password (tests/conftest.py)

pytestmark = pytest.mark.django_db(transaction=True)


def _play_ten(page, base, screenshot, prefix: str) -> int:
    from sonae.learning.models import QuizPlay

    page.goto(f"{base}/learning/quiz/")
    page.click("main form button:has-text('クイズを始める')")
    page.wait_for_selector(".qz-choices")
    play = QuizPlay.objects.order_by("-id").first()
    assert play.count == 10
    right = 0
    for index in range(10):
        assert page.inner_text("h1.qz-title").startswith(f"第{index + 1}問")
        assert page.locator("main a[href^='http']").count() == 0  # the message's links are text, never clickable
        # Answer right on even questions and wrong on odd ones, so both outcomes are seen.
        answer = play.items[index]["answer"]
        choice = answer if index % 2 == 0 else ("real" if answer == "fake" else "fake")
        right += choice == answer
        if index == 0:
            screenshot(page, f"{prefix}-quiz-question")
        page.click(f"button[value={choice}]")
        page.wait_for_selector(".qz-outcome")
        assert page.locator(".verdict-label").count() == 1  # the checker's own verdict on this message
        if answer == "fake":
            assert page.inner_text(".verdict-label") in ("危険", "注意")
        if index in (0, 1):
            screenshot(page, f"{prefix}-quiz-explanation-{index + 1}")
        page.click(".qz-next .btn")
    page.wait_for_selector("#quiz-score")
    assert f"{right}" in page.inner_text("#quiz-score")
    return right


def test_assign_play_quiz_and_see_the_loop(page, phone_page, live_server, login, screenshot, alice, bob, org):
    from sonae.learning.models import Completion

    base = f"{live_server.url}/o/{org.id}"
    login(page, live_server, "alice@example.jp", PASSWORD)
    page.goto(f"{base}/learning/")
    assert "華麗なる情報セキュリティ対策 #1「修正プログラムの適用」" in page.inner_text("main")
    screenshot(page, "learning-list-desktop")
    page.click("text=学習を割り当てる")
    page.select_option("select[name=training]", "ipa-karei-04")
    due = dt.date.today() + dt.timedelta(days=14)
    page.fill("input[name=due_date]", due.isoformat())
    page.fill("input[name=note]", "今月中に見ておいてください")
    page.click("main form button[type=submit]")
    page.wait_for_selector(".msg-success")
    screenshot(page, "learning-assignment-owner")

    # Bob plays a quiz of ten on his phone-sized desktop page and marks the training done.
    login(phone_page, live_server, "bob@example.jp", PASSWORD)
    right = _play_ten(phone_page, base, screenshot, "phone")
    assert right == 5
    screenshot(phone_page, "phone-quiz-score")
    phone_page.goto(f"{base}/learning/")
    phone_page.click(".ln-mine a")
    phone_page.wait_for_selector("input[name=completed_on]")
    screenshot(phone_page, "phone-assignment-member")
    phone_page.check("input[name=answer][value='0']")
    phone_page.click("main form button[type=submit]")
    phone_page.wait_for_selector(".msg-success")
    assert Completion.objects.filter(user=bob, correct=True).exists()

    # The owner plays too (desktop), then sees the loop with its score and the dashboard's top panel.
    _play_ten(page, base, screenshot, "desktop")
    screenshot(page, "desktop-quiz-score")
    page.goto(f"{base}/loop/")
    assert page.inner_text("#loop-score").isdigit()
    assert "FACT or FAKE クイズ" in page.inner_text("#area-learning")
    screenshot(page, "loop-desktop")
    page.goto(f"{base}/")
    assert page.locator(".loop-panel").count() == 1
    screenshot(page, "dashboard-with-loop")
    page.goto(f"{base}/learning/progress/")
    assert "1 / 2" in page.inner_text("main")
    screenshot(page, "learning-progress")

    phone_page.goto(f"{base}/loop/")
    screenshot(phone_page, "loop-phone")
    phone_page.goto(f"{base}/learning/")
    screenshot(phone_page, "learning-list-phone")

    # English.
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page.goto(f"{base}/loop/")
    assert "Loop score" in page.inner_text("main")
    screenshot(page, "loop-english")
    page.goto(f"{base}/learning/")
    screenshot(page, "learning-list-english")
