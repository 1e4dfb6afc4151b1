"""A periodic task runs once per scheduled time, however many consumers enqueue it (sonae.scheduling)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import HUEY

from sonae.scheduling.hooks import claim, scheduled_slot
from sonae.scheduling.models import PeriodicRun

pytestmark = pytest.mark.django_db


@pytest.fixture
def periodic_probe():
    """A periodic task due at 08:05 every day that counts its runs; unregistered afterwards."""
    runs = []

    @HUEY.periodic_task(crontab(hour="8", minute="5"), name="test_probe")
    def probe():
        runs.append(1)
        return len(runs)

    yield probe, runs
    HUEY._registry.unregister(probe.task_class)


@pytest.fixture
def real_consumer(monkeypatch):
    """Tasks go through Huey's execute path with the hooks, as in a consumer (not immediate mode)."""
    monkeypatch.setattr(HUEY, "immediate", False)


def at(hour, minute, second=0, day=27):
    return dt.datetime(2026, 11, day, hour, minute, second)


def test_slot_is_the_scheduled_minute_even_when_the_task_runs_late(periodic_probe):
    probe, _ = periodic_probe
    task = probe.s()
    assert scheduled_slot(task, at(8, 5, 40)) == at(8, 5)
    assert scheduled_slot(task, at(8, 47)) == at(8, 5)  # a busy queue: still the 08:05 run
    assert scheduled_slot(task, at(7, 0)) == at(8, 5, day=26)
    # Not due within a day (cannot happen for a daily task): its own minute.
    weekly = HUEY.periodic_task(crontab(day_of_week="0", hour="1", minute="0"), name="test_weekly")(lambda: None)
    try:
        assert scheduled_slot(weekly.s(), at(8, 5, 12)) == at(8, 5)  # 2026-11-27 is a Friday
    finally:
        HUEY._registry.unregister(weekly.task_class)


def test_claim_once_per_slot(periodic_probe):
    probe, _ = periodic_probe
    assert claim(probe.s(), at(8, 5, 1)) is True
    assert claim(probe.s(), at(8, 5, 59)) is False  # a second scheduler in the same minute
    assert claim(probe.s(), at(8, 6, 30)) is False  # a restarted consumer, a minute late
    assert claim(probe.s(), at(8, 5, 0, day=28)) is True  # the next day
    slots = list(PeriodicRun.objects.filter(task=probe.s().name).values_list("slot", flat=True))
    assert sorted(slots) == [timezone.make_aware(at(8, 5)), timezone.make_aware(at(8, 5, day=28))]


def test_consumer_runs_the_second_copy_not_at_all(periodic_probe, real_consumer):
    probe, runs = periodic_probe
    now = at(8, 5, 3)
    for _scheduler in range(3):  # three schedulers enqueue the same periodic task
        HUEY.execute(probe.s(), timestamp=now)
    assert runs == [1]
    run = PeriodicRun.objects.get(task=probe.s().name)
    assert run.finished_at is not None and run.error == "" and run.runner


def test_a_failed_run_is_recorded_and_not_repeated_in_its_slot(real_consumer):
    calls = []

    @HUEY.periodic_task(crontab(hour="3", minute="17"), name="test_failing")
    def failing():
        calls.append(1)
        raise RuntimeError("mail server down")

    try:
        HUEY.execute(failing.s())
        HUEY.execute(failing.s())
    finally:
        HUEY._registry.unregister(failing.task_class)
    assert calls == [1]
    assert PeriodicRun.objects.get(task=failing.s().name).error == "RuntimeError: mail server down"


def test_immediate_mode_is_not_claimed(periodic_probe):
    probe, runs = periodic_probe
    probe()  # immediate mode (tests): a test may call a periodic function as often as it likes
    probe()
    assert runs == [1, 1] and not PeriodicRun.objects.exists()


def test_ordinary_tasks_are_not_claimed(real_consumer):
    calls = []
    task = HUEY.task(name="test_plain")(lambda: calls.append(1))
    try:
        HUEY.execute(task.s())
        HUEY.execute(task.s())
    finally:
        HUEY._registry.unregister(task.task_class)
    assert calls == [1, 1] and not PeriodicRun.objects.exists()


def test_old_runs_are_pruned(periodic_probe, real_consumer):
    probe, _ = periodic_probe
    old = PeriodicRun.objects.create(task=probe.s().name, slot=timezone.now() - dt.timedelta(days=200),
                                     started_at=timezone.now() - dt.timedelta(days=200))
    HUEY.execute(probe.s())
    assert not PeriodicRun.objects.filter(pk=old.pk).exists() and PeriodicRun.objects.count() == 1
