"""The peer benchmark reads the latest runs' submission snapshots in one query: it must give exactly
the numbers of scoring every peer's answers again (the way it was computed before), keep the
group-of-five rule, and cost the same number of queries for 5 or 50 peers."""

from __future__ import annotations

import random

import pytest
from assessments.conftest import revised_catalog
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.db.models import Max

from sonae.assessments.models import Diagnosis
from sonae.assessments.selectors import diagnosis_result, peer_benchmark
from sonae.assessments.services import DiagnosisError, answers_save, diagnosis_start, diagnosis_submit
from sonae.catalog.instruments import get_instrument, load_instruments
from sonae.engines.scoring import MIN_PEER_GROUP, peer_average
from sonae.orgs.models import Organisation
from sonae.orgs.services import organisation_create
from support import make_user

pytestmark = pytest.mark.django_db


def rescored_benchmark(*, org, instrument_id):
    """The reference: every peer's latest submitted run scored again from its answers."""
    peers = Organisation.objects.filter(industry=org.industry, employee_band=org.employee_band).exclude(id=org.id)
    latest = (
        Diagnosis.objects.filter(org__in=peers, instrument_id=instrument_id, status=Diagnosis.Status.SUBMITTED)
        .values("org_id").annotate(last=Max("id")).values_list("last", flat=True)
    )
    runs = Diagnosis.objects.filter(id__in=list(latest)).prefetch_related("answers")
    return peer_average([diagnosis_result(run) for run in runs])


def random_run(org, user, instrument_id, rng, *, submit=True):
    instrument = get_instrument(instrument_id)
    diagnosis = diagnosis_start(org=org, instrument_id=instrument_id, by=user)
    points = [o.points for o in instrument.scale]
    items = instrument.items if submit else instrument.items[: rng.randint(1, len(instrument.items))]
    answers_save(diagnosis=diagnosis, values={i.id: rng.choice(points) for i in items}, by=user)
    return diagnosis_submit(diagnosis=diagnosis, by=user) if submit else diagnosis


def company(n, industry="E", band="6-20"):
    owner = make_user(f"peer{n}-{industry}-{band}@example.jp")
    org = organisation_create(owner=owner, name=f"同業{n}", corporate_number="", industry=industry, employee_band=band,
                              prefecture="東京都")
    return org, owner


@pytest.fixture
def group():
    """Seven companies of one group with one or two runs of every instrument (some drafts), and
    two of another group."""
    rng = random.Random(5)
    members = [company(n) for n in range(7)]
    for org, owner in members + [company(n, band="21-50") for n in range(2)]:
        for instrument in load_instruments():
            for _ in range(rng.randint(1, 2)):
                random_run(org, owner, instrument.id, rng)
            if rng.random() < 0.4:
                random_run(org, owner, instrument.id, rng, submit=False)
    return members


def test_same_numbers_as_scoring_every_peer_again(group):
    for org, _owner in group[:3]:
        for instrument in load_instruments():
            fast = peer_benchmark(org=org, instrument_id=instrument.id)
            assert fast is not None and fast.group_size == len(group) - 1
            assert fast == rescored_benchmark(org=org, instrument_id=instrument.id)


def test_group_of_five_rule_and_own_runs_left_out():
    rng = random.Random(9)
    members = [company(n) for n in range(MIN_PEER_GROUP)]
    for org, owner in members:
        random_run(org, owner, "ipa-5min", rng)
    me, _ = members[0]
    assert peer_benchmark(org=me, instrument_id="ipa-5min") is None  # four others
    outsider, outsider_owner = company(99, industry="G")
    random_run(outsider, outsider_owner, "ipa-5min", rng)
    assert peer_benchmark(org=me, instrument_id="ipa-5min") is None  # another industry never counts
    extra, extra_owner = company(6)
    random_run(extra, extra_owner, "ipa-5min", rng, submit=False)
    assert peer_benchmark(org=me, instrument_id="ipa-5min") is None  # a draft never counts
    random_run(extra, extra_owner, "ipa-5min", rng)  # submits the draft
    peer = peer_benchmark(org=me, instrument_id="ipa-5min")
    assert peer.group_size == MIN_PEER_GROUP
    others = [latest for org, _ in members[1:] + [(extra, None)]
              for latest in [Diagnosis.objects.filter(org=org, status="submitted").latest("id")]]
    assert peer.total == round(sum(d.total for d in others) / MIN_PEER_GROUP, 1)


def test_a_run_of_a_version_no_longer_kept_is_scored_again(group, tmp_path, use_catalog):
    """Without the archived file, old runs are scored with the current version (an answer to a renamed
    item drops out), as the results page shows them: the snapshot is not used for those."""
    org, _ = group[0]
    before = peer_benchmark(org=org, instrument_id="ipa-5min")
    use_catalog(revised_catalog(tmp_path / "gone", lambda raw: raw.replace("id: q01\n", "id: q01r\n"), archive_old=False))
    after = peer_benchmark(org=org, instrument_id="ipa-5min")
    assert after == rescored_benchmark(org=org, instrument_id="ipa-5min")
    assert after != before  # the snapshots alone would have given `before`


def test_a_run_of_a_kept_old_version_uses_its_snapshot(group, tmp_path, use_catalog):
    org, _ = group[0]
    before = peer_benchmark(org=org, instrument_id="ipa-5min")
    use_catalog(revised_catalog(tmp_path / "kept", lambda raw: raw.replace("id: q01\n", "id: q01r\n")))
    assert peer_benchmark(org=org, instrument_id="ipa-5min") == before == rescored_benchmark(org=org, instrument_id="ipa-5min")


def test_query_count_does_not_grow_with_the_group():
    rng = random.Random(3)
    members = [company(n) for n in range(6)]
    for org, owner in members:
        random_run(org, owner, "ipa-5min", rng)
    me = members[0][0]
    with CaptureQueriesContext(connection) as small:
        assert peer_benchmark(org=me, instrument_id="ipa-5min").group_size == 5
    for n in range(6, 16):
        org, owner = company(n)
        random_run(org, owner, "ipa-5min", rng)
        random_run(org, owner, "ipa-5min", rng)
    with CaptureQueriesContext(connection) as large:
        assert peer_benchmark(org=me, instrument_id="ipa-5min").group_size == 15
    assert len(large) == len(small) == 1


def test_submit_refuses_a_draft_of_a_revised_instrument(org, alice, tmp_path, use_catalog):
    """The snapshot is always the score under the run's own version."""
    rng = random.Random(1)
    draft = random_run(org, alice, "ipa-5min", rng, submit=False)
    answers_save(diagnosis=draft, values={i.id: 4 for i in get_instrument("ipa-5min").items}, by=alice)
    use_catalog(revised_catalog(tmp_path / "new", lambda raw: raw.replace("id: q01\n", "id: q01r\n")))
    with pytest.raises(DiagnosisError, match="改訂"):
        diagnosis_submit(diagnosis=draft, by=alice)
    draft.refresh_from_db()
    assert draft.status == Diagnosis.Status.DRAFT and draft.total is None
