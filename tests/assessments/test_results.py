"""Results, history, comparison, exports, peer benchmark anonymity, SECURITY ACTION readiness."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from sonae.assessments.models import Diagnosis, PolicyEvidence
from sonae.assessments.selectors import has_published_security_policy, peer_benchmark, security_action_status
from sonae.orgs.services import organisation_create

pytestmark = pytest.mark.django_db


def test_results_page(alice_client, bob_client, alice, org, run_maker):
    run = run_maker(org, alice, {1: 0, 2: -1, 7: 2})
    page = bob_client.get(f"/o/{org.id}/diagnoses/{run.id}/results/").content.decode()
    assert run.total == 100 - 4 - 5 - 2 == 89
    assert "89" in page and "/ 100" in page
    assert "Part1 基本的対策" in page and ">11<" in page and ">20<" in page and ">52<" in page and ">28<" in page
    assert "<svg" in page and "要確認" in page and "https://www.ipa.go.jp/" in page
    # 0 and −1 come first, 2 after; viewers get no "add to actions" button.
    assert page.index('id="item-') < page.index("一部実施している")
    assert "対策リストに追加" not in page
    assert "対策リストに追加" in alice_client.get(f"/o/{org.id}/diagnoses/{run.id}/results/").content.decode()
    assert "次回の診断の目安" in page


def test_exports(alice_client, alice, org, run_maker):
    from openpyxl import load_workbook
    from pypdf import PdfReader

    run = run_maker(org, alice, {3: 0})
    pdf = alice_client.get(f"/o/{org.id}/diagnoses/{run.id}/report.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "96" in text
    xlsx = alice_client.get(f"/o/{org.id}/diagnoses/{run.id}/report.xlsx")
    assert load_workbook(io.BytesIO(xlsx.content)).sheetnames
    csv = alice_client.get(f"/o/{org.id}/diagnoses/{run.id}/answers.csv").content.decode("utf-8")
    assert csv.startswith("\ufeff") and csv.count("\r\n") == 26
    printable = alice_client.get(f"/o/{org.id}/diagnoses/{run.id}/print/").content.decode()
    assert "診断結果レポート" in printable and "96" in printable


def test_draft_has_no_results_or_exports(alice_client, alice, org):
    from sonae.assessments.services import diagnosis_start

    draft = diagnosis_start(org=org, instrument_id="ipa-5min", by=alice)
    assert alice_client.get(f"/o/{org.id}/diagnoses/{draft.id}/results/").status_code == 302
    assert alice_client.get(f"/o/{org.id}/diagnoses/{draft.id}/report.pdf").status_code == 404


def test_history_compare_and_next_due(alice_client, alice, org, run_maker):
    first = run_maker(org, alice, {n: 0 for n in range(1, 11)})
    Diagnosis.objects.filter(id=first.id).update(submitted_at=timezone.now() - dt.timedelta(days=200))
    second = run_maker(org, alice, {1: 2})
    page = alice_client.get(f"/o/{org.id}/diagnoses/history/ipa-5min/").content.decode()
    assert "合計点の推移" in page and "<svg" in page and str(first.total) in page and str(second.total) in page
    due = (timezone.localdate().replace(day=1))  # the due date is six months after the latest run
    assert "次回の診断の目安" in page and due
    page = alice_client.get(f"/o/{org.id}/diagnoses/history/ipa-5min/compare/?a={first.id}&b={second.id}").content.decode()
    assert f"差：{second.total - first.total} 点" in page and "改善" in page
    # Swapped order still reads oldest → newest; bad ids give a message, not an error.
    assert f"差：{second.total - first.total} 点" in alice_client.get(f"/o/{org.id}/diagnoses/history/ipa-5min/compare/?a={second.id}&b={first.id}").content.decode()
    for bad in ("abc", "999999", "-1"):
        response = alice_client.get(f"/o/{org.id}/diagnoses/history/ipa-5min/compare/?a={bad}&b={second.id}")
        assert response.status_code == 200 and "選び直してください" in response.content.decode()
    assert alice_client.get(f"/o/{org.id}/diagnoses/history/no-such/").status_code == 404


def test_compare_refuses_another_orgs_run(alice_client, alice, charlie, org, other_org, run_maker):
    mine = [run_maker(org, alice), run_maker(org, alice)]
    theirs = run_maker(other_org, charlie, {1: 0})
    response = alice_client.get(f"/o/{org.id}/diagnoses/history/ipa-5min/compare/?a={theirs.id}&b={mine[1].id}")
    assert "選び直してください" in response.content.decode()
    # The page falls back to this organisation's own two latest runs; the other run is never loaded.
    shown = {response.context["a"].id, response.context["b"].id}
    assert shown == {mine[0].id, mine[1].id} and theirs.id not in {run.id for run in response.context["runs"]}


def _peer_orgs(count, make_user, industry="E", band="6-20"):
    orgs = []
    for n in range(count):
        owner = make_user(f"peer{n}-{industry}{band}@example.jp")
        orgs.append((organisation_create(owner=owner, name=f"同業{n}", corporate_number="", industry=industry, employee_band=band, prefecture="東京都"), owner))
    return orgs


def test_peer_benchmark_needs_five_organisations(alice_client, alice, org, run_maker):
    from django.contrib.auth import get_user_model

    def make_user(email):
        return get_user_model().objects.create_user(username=email.split("@")[0], email=email, password="x-Very-long-pass-1")

    run = run_maker(org, alice)
    peers = _peer_orgs(4, make_user)
    totals = []
    for n, (peer, owner) in enumerate(peers):
        totals.append(run_maker(peer, owner, {k: 0 for k in range(1, n * 2 + 2)}).total)
    # Other industries / bands and drafts never count.
    other_band = _peer_orgs(3, make_user, band="21-50")
    for peer, owner in other_band:
        run_maker(peer, owner, default=0)
    assert peer_benchmark(org=org, instrument_id="ipa-5min") is None
    page = alice_client.get(f"/o/{org.id}/diagnoses/{run.id}/results/").content.decode()
    assert "5つ以上" in page and "組織（このサーバーの利用組織）の平均" not in page
    extra_owner = make_user("peer-fifth@example.jp")
    fifth = organisation_create(owner=extra_owner, name="同業5", corporate_number="", industry="E", employee_band="6-20", prefecture="東京都")
    # An older run of the fifth organisation is ignored: only its latest submitted run counts.
    run_maker(fifth, extra_owner, default=0)
    totals.append(run_maker(fifth, extra_owner).total)
    peer = peer_benchmark(org=org, instrument_id="ipa-5min")
    assert peer is not None and peer.group_size == 5
    assert peer.total == round(sum(totals) / 5, 1)
    page = alice_client.get(f"/o/{org.id}/diagnoses/{run.id}/results/").content.decode()
    assert "5組織（このサーバーの利用組織）の平均" in page and f"{peer.total}" in page
    for peer_org, _owner in peers:
        assert peer_org.name not in page


def test_security_action_readiness(alice_client, alice, org, run_maker):
    status = security_action_status(org=org)
    assert not status.one_star and not status.two_star
    run_maker(org, alice, instrument_id="security-action-5")
    assert security_action_status(org=org).one_star
    run_maker(org, alice)
    assert not security_action_status(org=org).two_star
    assert not has_published_security_policy(org)
    PolicyEvidence.objects.create(org=org, title="基本方針", published_url="https://example.jp/p", published_on=dt.date(2026, 1, 1))
    assert has_published_security_policy(org) and security_action_status(org=org).two_star
    page = alice_client.get(f"/o/{org.id}/").content.decode()
    # The diagnoses panel says 宣言 (self-declaration), never 認定; other panels (support) may name the Jigyokei's 認定.
    panel = page[page.index('<section class="card dx-panel">'):]
    panel = panel[: panel.index("</section>")]
    assert "★★" in panel and "宣言の準備完了" in panel and "認定" not in panel


def test_not_all_five_committed_is_no_star(alice, org, run_maker):
    run_maker(org, alice, {1: 0}, instrument_id="security-action-5")
    assert not security_action_status(org=org).one_star


def test_policy_evidence_owner_only_and_validated(alice_client, bob_client, org):
    url = f"/o/{org.id}/diagnoses/policy/"
    assert bob_client.get(url).status_code == 200
    assert bob_client.post(url, {"title": "x", "published_url": "https://example.jp", "published_on": "2026-01-01"}).status_code == 403
    response = alice_client.post(url, {"title": "基本方針", "published_on": "2026-01-01"})
    assert "どちらかを指定してください" in response.content.decode()
    response = alice_client.post(url, {"title": "基本方針", "published_url": "javascript:alert(1)", "published_on": "2026-01-01"})
    assert response.status_code == 200 and not PolicyEvidence.objects.exists()
    bad_file = SimpleUploadedFile("policy.exe", b"MZ", content_type="application/octet-stream")
    alice_client.post(url, {"title": "基本方針", "file": bad_file, "published_on": "2026-01-01"})
    assert not PolicyEvidence.objects.exists()
    good = SimpleUploadedFile("policy.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    assert alice_client.post(url, {"title": "基本方針", "file": good, "published_on": "2026-01-01"}).status_code == 302
    evidence = PolicyEvidence.objects.get()
    download = bob_client.get(f"/o/{org.id}/diagnoses/policy/{evidence.id}/file/")
    assert download.status_code == 200 and "attachment" in download["Content-Disposition"]
    assert alice_client.post(f"/o/{org.id}/diagnoses/policy/{evidence.id}/delete/").status_code == 302
    assert not PolicyEvidence.objects.exists()


def test_dashboard_panels(alice_client, alice, org, run_maker):
    run_maker(org, alice, {1: 0})
    page = alice_client.get(f"/o/{org.id}/").content.decode()
    assert "96 / 100" in page and "次回の目安" in page and "未完了の対策" in page
