"""Regression guards for the pages measured by bench/scale.py: the number of SQL queries of a page
stays the same when it shows more rows (more runs, actions, documents, advisor clients). Counts only,
never time (the bench measures time)."""

from __future__ import annotations

import random

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sonae.actions.models import ActionItem
from sonae.api.models import ApiToken
from sonae.assessments.models import Answer, Diagnosis
from sonae.catalog.instruments import get_instrument, load_instruments
from sonae.documents.models import Kind
from sonae.documents.services import document_create
from sonae.engines.scoring import score
from sonae.orgs.choices import Role
from sonae.orgs.models import AdvisorGrant, hash_token
from sonae.orgs.services import organisation_create
from support import make_user

pytestmark = pytest.mark.django_db
TOKEN = "sonae_query-count-test-token"


def queries(client: Client, url: str) -> int:
    assert client.get(url).status_code == 200  # the first view of a session may write the session
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def add_runs(org, user, count: int, rng: random.Random) -> None:
    """`count` submitted runs of every instrument, an open IPA draft, and actions from weak answers.

    Written in bulk (snapshots from the scoring engine, as diagnosis_submit takes them): these tests count
    the queries of pages, the services that write runs are tested in tests/assessments."""
    for instrument in load_instruments():
        points = [o.points for o in instrument.scale]
        for _ in range(count):
            answers = {i.id: rng.choice(points) for i in instrument.items}
            result = score(instrument, answers)
            run = Diagnosis.objects.create(
                org=org, instrument_id=instrument.id, instrument_version=instrument.version, status="submitted",
                started_by=user, submitted_by=user, submitted_at=timezone.now(), total=result.total,
                max_total=result.max, band=result.band.id, part_scores={p.id: p.score for p in result.parts})
            Answer.objects.bulk_create(Answer(diagnosis=run, item_id=k, points=v, answered_by=user) for k, v in answers.items())
    draft = Diagnosis.objects.create(org=org, instrument_id="ipa-5min", instrument_version=get_instrument("ipa-5min").version,
                                     started_by=user)
    Answer.objects.create(diagnosis=draft, item_id="q01", points=0, answered_by=user)
    answers = list(Answer.objects.filter(diagnosis__org=org, diagnosis__status="submitted").order_by("-id")[: count * 3])
    ActionItem.objects.bulk_create(
        item
        for n, answer in enumerate(answers)
        for item in (
            ActionItem(org=org, title=f"対策{n}", owner=user, status=rng.choice(["open", "in_progress", "done"]),
                       source_type=ActionItem.SOURCE_ANSWER, source_id=answer.id, source_label=answer.item_id),
            ActionItem(org=org, title=f"手入力の対策{n}", owner=user),
        )
    )


def add_documents(org, user, count: int) -> None:
    kinds = list(Kind.values)
    for n in range(count):
        document_create(org=org, kind=kinds[n % len(kinds)], by=user)


@pytest.fixture
def company(alice, org):
    ApiToken.objects.create(user=alice, org=org, name="t", prefix=TOKEN[:12], token_hash=hash_token(TOKEN))
    client = Client()
    client.force_login(alice)
    return org, alice, client


def latest_ipa(org) -> int:
    return Diagnosis.objects.filter(org=org, instrument_id="ipa-5min", status="submitted").latest("id").id


PAGES = {
    "dashboard": lambda org: f"/o/{org.id}/",
    "diagnosis list": lambda org: f"/o/{org.id}/diagnoses/",
    "results page": lambda org: f"/o/{org.id}/diagnoses/{latest_ipa(org)}/results/",
    "history": lambda org: f"/o/{org.id}/diagnoses/history/ipa-5min/",
    "action list": lambda org: f"/o/{org.id}/actions/?status=all",
    "documents": lambda org: f"/o/{org.id}/documents/",
}
API = ["/api/diagnoses", "/api/actions?status=all", "/api/documents"]


@pytest.mark.parametrize("page", sorted(PAGES))
def test_page_queries_do_not_grow_with_rows(company, page):
    org, alice, client = company
    rng = random.Random(4)
    add_runs(org, alice, 1, rng)
    # One document of every kind first: a panel may rightly ask once more when a kind exists at all
    # (the AI use panel reads the guideline); what must not grow is the count per further document.
    add_documents(org, alice, len(Kind.values))
    small = queries(client, PAGES[page](org))
    add_runs(org, alice, 4, rng)
    add_documents(org, alice, 2 * len(Kind.values))
    assert queries(client, PAGES[page](org)) == small


@pytest.mark.parametrize("path", API)
def test_api_list_queries_do_not_grow_with_rows(company, path):
    org, alice, _client = company
    client = Client(HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    rng = random.Random(6)
    add_runs(org, alice, 1, rng)
    add_documents(org, alice, 1)
    small = queries(client, path)
    add_runs(org, alice, 4, rng)
    add_documents(org, alice, 4)
    assert queries(client, path) == small


def test_peer_benchmark_on_the_results_page_does_not_grow_with_peers(company):
    org, alice, client = company
    rng = random.Random(8)
    add_runs(org, alice, 1, rng)

    def peers(n0, n1):
        for n in range(n0, n1):
            owner = make_user(f"peer{n}@example.jp")
            peer = organisation_create(owner=owner, name=f"同業{n}", corporate_number="", industry=org.industry,
                                       employee_band=org.employee_band, prefecture="東京都")
            add_runs(peer, owner, 1, rng)

    peers(0, 5)
    url = PAGES["results page"](org)
    few = queries(client, url)
    peers(5, 12)
    assert queries(client, url) == few


def test_advisor_pages_do_not_grow_with_clients(db):
    advisor = make_user("advisor@support.example.jp")
    client = Client()
    client.force_login(advisor)

    def clients(n0, n1):
        for n in range(n0, n1):
            owner = make_user(f"client{n}@example.jp")
            org = organisation_create(owner=owner, name=f"支援先{n}", corporate_number="", industry="E",
                                      employee_band="6-20", prefecture="東京都")
            AdvisorGrant.objects.create(org=org, advisor=advisor, role=Role.VIEWER, granted_by=owner)
        return org

    first = clients(0, 3)
    portfolio, dashboard = queries(client, "/advisor/"), queries(client, f"/o/{first.id}/")
    clients(3, 15)
    assert queries(client, "/advisor/") == portfolio
    assert queries(client, f"/o/{first.id}/") == dashboard  # the organisation switcher lists every client
    assert get_user_model().objects.count() == 16
