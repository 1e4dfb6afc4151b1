"""Links from action items to where they came from, resolved for a whole list at once."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sonae.actions import sources
from sonae.actions.models import ActionItem
from sonae.assessments.models import Answer
from sonae.assessments.services import answers_save, diagnosis_start

pytestmark = pytest.mark.django_db


def answered(org, user):
    run = diagnosis_start(org=org, instrument_id="ipa-5min", by=user)
    answers_save(diagnosis=run, values={"q01": 0, "q02": 2}, by=user)
    return list(Answer.objects.filter(diagnosis=run).order_by("item_id"))


def item(org, source_type="", source_id=None):
    return ActionItem.objects.create(org=org, title="対策", source_type=source_type, source_id=source_id)


def test_many_gives_what_one_at_a_time_gives(org, alice, other_org, charlie):
    mine = answered(org, alice)
    theirs = answered(other_org, charlie)
    items = [
        item(org, ActionItem.SOURCE_ANSWER, mine[0].id),
        item(org, ActionItem.SOURCE_ANSWER, mine[1].id),
        item(org, ActionItem.SOURCE_ANSWER, theirs[0].id),  # another organisation's answer: never linked
        item(org, ActionItem.SOURCE_ANSWER, 10**9),  # gone
        item(org),  # typed in by hand
        item(org, "elsewhere.thing", 5),  # a source type nobody registered
    ]
    with CaptureQueriesContext(connection) as captured:
        urls = sources.source_urls(items)
    assert len(captured) == 1
    assert urls == {i.id: sources.source_url(i) for i in items}
    assert urls[items[0].id].endswith(f"/o/{org.id}/diagnoses/{mine[0].diagnosis_id}/results/#item-q01")
    assert [urls[i.id] for i in items[2:]] == [None, None, None, None]


def test_a_type_without_a_list_resolver_is_resolved_one_by_one(org, monkeypatch):
    monkeypatch.setattr(sources, "_RESOLVERS", dict(sources._RESOLVERS))
    monkeypatch.setattr(sources, "_MANY_RESOLVERS", dict(sources._MANY_RESOLVERS))
    sources.register_source("risks.risk", lambda i: f"/risk/{i.source_id}/" if i.source_id < 100 else None)
    items = [item(org, "risks.risk", 7), item(org, "risks.risk", 700)]
    assert sources.source_urls(items) == {items[0].id: "/risk/7/", items[1].id: None}
