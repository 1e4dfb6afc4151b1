"""The loop summary of many organisations at once (an advisor's portfolio): queries and time.

    uv run python bench/loop_summary.py [--orgs 300] [--rounds 5]

Builds a throwaway installation in a temporary data folder (SQLite; or the database of DATABASE_URL, which
must then be an empty scratch database), with `--orgs` organisations that each have three members, two
submitted diagnoses, an assignment with one completion, a finished quiz play, an approved and shared rule
with an acknowledgement, action items and risks, and an advisor's audit entry. Then it times
`sonae.loop.selectors.loop_summaries` for all of them and for one, and counts the SQL statements.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orgs", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    os.environ.setdefault("SONAE_DATA_DIR", tempfile.mkdtemp(prefix="sonae-loop-bench-"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "sonae.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    ids = build(args.orgs)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from sonae.loop.selectors import loop_summaries

    for label, subset in (("all", ids), ("one", ids[:1])):
        times = []
        for _ in range(args.rounds):
            started = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                summaries = loop_summaries(subset)
            times.append(time.perf_counter() - started)
        scores = [s.score for s in summaries.values()]
        print(f"{label:>3}: {len(subset)} organisations, {len(queries)} queries, median {statistics.median(times) * 1000:.1f} ms "
              f"(min {min(times) * 1000:.1f}), mean score {statistics.mean(scores):.0f}")


def build(count: int) -> list[int]:
    import datetime as dt

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from sonae.actions.models import ActionItem
    from sonae.assessments.models import Diagnosis
    from sonae.documents.models import Acknowledgement, Document, DocumentVersion
    from sonae.learning.models import Assignment, Completion, QuizPlay
    from sonae.orgs.models import AdvisorGrant, AuditEntry, Membership, Organisation
    from sonae.risks.models import Risk

    User = get_user_model()
    now = timezone.now()
    today = timezone.localdate()
    advisor = User.objects.create_user("advisor", "advisor@example.jp", "x-Very-long-pass-1")
    orgs = Organisation.objects.bulk_create(
        [Organisation(name=f"株式会社ベンチ{i}", industry="E", employee_band="6-20", prefecture="神奈川県") for i in range(count)])
    users = User.objects.bulk_create([User(username=f"u{i}-{j}", email=f"u{i}-{j}@example.jp") for i in range(count) for j in range(3)])
    Membership.objects.bulk_create([Membership(org=orgs[i], user=users[3 * i + j], role="owner" if j == 0 else "viewer")
                                    for i in range(count) for j in range(3)])
    AdvisorGrant.objects.bulk_create([AdvisorGrant(org=o, advisor=advisor, role="editor") for o in orgs])
    Diagnosis.objects.bulk_create([Diagnosis(org=o, instrument_id=inst, instrument_version="1", status="submitted",
                                             submitted_at=now - dt.timedelta(days=30 * (k + 1)), total=60, max_total=100)
                                   for o in orgs for k, inst in enumerate(("ipa-5min", "genai-use"))])
    assignments = Assignment.objects.bulk_create([Assignment(org=o, catalog_id="ipa-karei-04", everyone=True,
                                                             due_date=today - dt.timedelta(days=3)) for o in orgs])
    Completion.objects.bulk_create([Completion(org=orgs[i], assignment=assignments[i], user=users[3 * i], completed_on=today)
                                    for i in range(count)])
    QuizPlay.objects.bulk_create([QuizPlay(org=orgs[i], user=users[3 * i + 1], seed=i, items=[], answers=[], correct=7,
                                           finished_at=now) for i in range(count)])
    documents = Document.objects.bulk_create([Document(org=o, kind="security-policy", title="情報セキュリティ基本方針",
                                                       shared_at=now) for o in orgs])
    versions = DocumentVersion.objects.bulk_create([DocumentVersion(org=d.org, document=d, number=1, status="approved",
                                                                    approved_at=now - dt.timedelta(days=400)) for d in documents])
    Acknowledgement.objects.bulk_create([Acknowledgement(org=orgs[i], version=versions[i], user=users[3 * i + 2])
                                         for i in range(count)])
    ActionItem.objects.bulk_create([ActionItem(org=o, title=f"対策{k}", due_date=today + dt.timedelta(days=k * 20 - 10))
                                    for o in orgs for k in range(4)])
    Risk.objects.bulk_create([Risk(org=o, title="ランサムウェア", review_date=today + dt.timedelta(days=40)) for o in orgs])
    AuditEntry.objects.bulk_create([AuditEntry(org=o, actor=advisor, action="update", object_type="organisation",
                                               at=now - dt.timedelta(days=10)) for o in orgs])
    return [o.id for o in orgs]


if __name__ == "__main__":
    sys.exit(main())
