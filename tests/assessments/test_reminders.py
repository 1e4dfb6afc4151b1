"""定期的に診断する: the "next diagnosis is due" reminder, once per run, to owners and editors only.

Since the loop's digest (sonae.loop.tasks) it is one item of each person's daily reminder mail."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.core import mail

from sonae.assessments.models import DueReminder
from sonae.loop.tasks import send_digests


def test_reminder_sent_once_when_due(org, alice, bob, run_maker):
    with time_machine.travel(dt.datetime(2026, 5, 1, 10, tzinfo=dt.UTC)):
        run = run_maker(org, alice)
    with time_machine.travel(dt.datetime(2026, 10, 1, 10, tzinfo=dt.UTC)):
        assert send_digests() == 0  # five months later: not yet due
    with time_machine.travel(dt.datetime(2026, 11, 2, 10, tzinfo=dt.UTC)):
        assert send_digests() == 1
        assert send_digests() == 0  # never twice for the same run
    with time_machine.travel(dt.datetime(2026, 11, 3, 10, tzinfo=dt.UTC)):
        assert send_digests() == 0  # nor the next day
    assert DueReminder.objects.get().diagnosis == run
    message = mail.outbox[0]
    assert message.to == ["alice@example.jp"]  # the viewer (bob) is not asked to act
    assert "備えの点検のお知らせ" in message.subject and org.name in message.subject
    assert "5分でできる！情報セキュリティ自社診断" in message.body
    assert "2026年5月1日" in message.body and f"/o/{org.id}/diagnoses/" in message.body


def test_no_reminder_without_runs(org):
    assert send_digests() == 0
    assert not mail.outbox
