"""Diagnosis web benchmark: response time of the results page (and its neighbours) through
Django's test client, on a fresh temporary SQLite database. Median of N requests.

    uv run python bench/diagnosis_web_bench.py [-n 30]

Sets up one organisation with two submitted IPA runs, five peer organisations of the same
industry and employee band (so the peer benchmark is computed and drawn), signs in with the
test client and times GET of: results page, history page, comparison, answering page, and the
PDF download through the view. The first request of each page is a warm-up and not counted.
The PDF engine's own timing is bench/diagnosis_bench.py. Not part of the test suite.
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
    parser.add_argument("-n", type=int, default=30, help="requests per page (default 30)")
    args = parser.parse_args()
    if args.n < 1:
        parser.error("-n must be at least 1")

    os.environ["SONAE_DATA_DIR"] = tempfile.mkdtemp(prefix="sonae-bench-")
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sonae.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)

    from django.contrib.auth import get_user_model
    from django.test import Client

    from sonae.assessments.services import answers_save, diagnosis_start, diagnosis_submit
    from sonae.catalog.instruments import get_instrument
    from sonae.orgs.services import organisation_create

    users = get_user_model().objects
    instrument = get_instrument("ipa-5min")

    def run(org, user, pattern):
        diagnosis = diagnosis_start(org=org, instrument_id="ipa-5min", by=user)
        answers_save(diagnosis=diagnosis, values={i.id: pattern[i.number % len(pattern)] for i in instrument.items}, by=user)
        return diagnosis_submit(diagnosis=diagnosis, by=user)

    owner = users.create_user(username="bench", email="bench@example.jp", password="bench-password-123")
    org = organisation_create(owner=owner, name="ベンチ工業", corporate_number="", industry="E", employee_band="6-20", prefecture="神奈川県")
    first = run(org, owner, [0, 2, 4, -1])
    second = run(org, owner, [4, 4, 2, 0, 4])
    for n in range(5):
        peer_owner = users.create_user(username=f"peer{n}", email=f"peer{n}@example.jp", password="bench-password-123")
        peer = organisation_create(owner=peer_owner, name=f"同業{n}", corporate_number="", industry="E", employee_band="6-20", prefecture="東京都")
        run(peer, peer_owner, [4, 2, 0, 4, 4, 2][n:] + [4] * n)
    draft = diagnosis_start(org=org, instrument_id="ransomware-ready", by=owner)

    client = Client(HTTP_HOST="localhost")
    client.force_login(owner)
    pages = {
        "results page": f"/o/{org.id}/diagnoses/{second.id}/results/",
        "history page": f"/o/{org.id}/diagnoses/history/ipa-5min/",
        "comparison": f"/o/{org.id}/diagnoses/history/ipa-5min/compare/?a={first.id}&b={second.id}",
        "answering page (12 items)": f"/o/{org.id}/diagnoses/{draft.id}/",
        "diagnoses home": f"/o/{org.id}/diagnoses/",
        "PDF download (view)": f"/o/{org.id}/diagnoses/{second.id}/report.pdf",
    }
    print(f"Diagnosis web bench: median of {args.n} requests per page (Django test client, SQLite, Python {sys.version.split()[0]})")
    for name, url in pages.items():
        response = client.get(url, secure=True)
        if response.status_code != 200:
            raise SystemExit(f"{name}: HTTP {response.status_code} for {url}")
        times = []
        for _ in range(args.n):
            start = time.perf_counter()
            response = client.get(url, secure=True)
            times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200
        times.sort()
        p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
        print(f"  {name:28s} median {statistics.median(times):7.1f} ms   p95 {p95:7.1f} ms   ({len(response.content):,} bytes)")


if __name__ == "__main__":
    main()
