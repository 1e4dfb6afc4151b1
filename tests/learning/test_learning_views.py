"""Learning pages: the catalogue, own trainings (links and PDFs, hostile input refused), assignments,
marking them done, progress and its exports. Alice owns, Bob is a viewer, Charlie is an outsider."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from sonae.learning.models import Assignment, Completion, OwnTraining
from sonae.learning.services import assignment_create
from sonae.orgs.models import AuditEntry

from support import tiny_pdf


def _url(org, path=""):
    return f"/o/{org.id}/learning/{path}"


def test_home_shows_the_ipa_series_and_links_out(alice_client, org):
    page = alice_client.get(_url(org)).content.decode()
    assert "華麗なる情報セキュリティ対策 #4「不審なメールに注意」" in page
    assert "準備中" not in page
    detail = alice_client.get(_url(org, "t/ipa-karei-04/")).content.decode()
    assert "1分51秒" in detail and "https://youtu.be/NowlVTka9eM" in detail  # the series link the seminar prints
    assert "<iframe" not in detail  # link out, never embed
    assert "推測で載せることはしません" in detail
    gov = alice_client.get(_url(org, "t/gov-ransomware-basics/")).content.decode()
    assert 'href="https://www.gov-online.go.jp/vertical/online/video-478.html"' in gov


def test_topic_filter_and_unknown_training(alice_client, org):
    page = alice_client.get(_url(org) + "?topic=password").content.decode()
    assert "#3「パスワードの適切な設定と管理」" in page and "#5「USBメモリ" not in page
    assert alice_client.get(_url(org) + "?topic=<script>").status_code == 200
    assert alice_client.get(_url(org, "t/no-such-training/")).status_code == 404


def test_own_training_with_a_link(alice_client, org):
    response = alice_client.post(_url(org, "own/new/"), {"title": "社内ルール説明会の録画", "url": "example.jp/video",
                                                          "topics": ["suspicious-mail"], "description": "年1回"})
    assert response.status_code == 302
    training = OwnTraining.objects.get()
    assert training.url == "https://example.jp/video" and training.topics == ["suspicious-mail"]
    assert AuditEntry.objects.filter(org=org, object_type="owntraining", action="create").exists()


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JaVaScRiPt:alert(document.cookie)", "data:text/html,<script>x</script>",
                                 "ftp://example.jp/a.pdf", "file:///etc/passwd", "vbscript:msgbox", "https://exa mple.jp/",
                                 "https://example.jp/\u202e", "h" * 600])
def test_hostile_urls_are_refused_in_japanese(alice_client, org, url):
    response = alice_client.post(_url(org, "own/new/"), {"title": "教材", "url": url})
    assert response.status_code == 400
    body = response.content.decode()
    assert "URL" in body and ("http:// または https://" in body or "空白や制御文字" in body or "長すぎます" in body
                              or "読み取れません" in body)
    assert not OwnTraining.objects.exists()
    assert "<script>x</script>" not in body


def test_pdf_upload_is_checked(alice_client, org, settings):
    ok = SimpleUploadedFile("研修資料.pdf", tiny_pdf(2), content_type="application/pdf")
    assert alice_client.post(_url(org, "own/new/"), {"title": "研修資料", "file": ok}).status_code == 302
    training = OwnTraining.objects.get()
    assert training.file_name == "研修資料.pdf" and training.file.name.endswith(".pdf") and "研修" not in training.file.name
    download = alice_client.get(_url(org, f"own/{training.id}/file/"))
    assert download["Content-Disposition"].startswith("attachment") and b"".join(download.streaming_content).startswith(b"%PDF-")


@pytest.mark.parametrize("name,content,message", [
    ("evil.pdf", b"<html><script>alert(1)</script></html>", "PDFファイルではありません"),
    ("renamed.pdf", b"MZ\x90\x00 this is an exe" * 20, "PDFファイルではありません"),
    ("broken.pdf", b"%PDF-1.7\n garbage garbage\n%%EOF", "壊れているか"),
    ("empty.pdf", b"", "PDF"),
])
def test_files_that_are_not_pdfs_are_refused(alice_client, org, name, content, message):
    response = alice_client.post(_url(org, "own/new/"), {"title": "資料", "file": SimpleUploadedFile(name, content)})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not OwnTraining.objects.exists()


def test_oversized_pdf_is_refused_while_uploading(alice_client, org, settings):
    settings.SONAE_LEARNING_MAX_PDF_BYTES = 2000
    big = SimpleUploadedFile("big.pdf", tiny_pdf(40, text="x" * 80))
    assert big.size > 2000
    response = alice_client.post(_url(org, "own/new/"), {"title": "大きい資料", "file": big})
    assert response.status_code == 400 and "ファイルが大きすぎます" in response.content.decode()
    assert not OwnTraining.objects.exists()


def test_a_failed_edit_loses_nothing(alice_client, org):
    alice_client.post(_url(org, "own/new/"), {"title": "研修資料", "file": SimpleUploadedFile("a.pdf", tiny_pdf())})
    training = OwnTraining.objects.get()
    before = training.file.name
    response = alice_client.post(_url(org, f"own/{training.id}/edit/"),
                                 {"title": "新しい題名", "url": "javascript:alert(1)", "file": SimpleUploadedFile("b.pdf", b"nope")})
    assert response.status_code == 400
    training.refresh_from_db()
    assert training.title == "研修資料" and training.file.name == before and training.file.storage.exists(before)


def test_viewer_cannot_add_or_assign_and_outsider_sees_nothing(bob_client, charlie_client, org):
    assert bob_client.post(_url(org, "own/new/"), {"title": "x", "url": "https://example.jp"}).status_code == 403
    assert bob_client.get(_url(org, "assign/")).status_code == 403
    assert charlie_client.get(_url(org)).status_code == 404
    assert charlie_client.get(_url(org, "t/ipa-karei-01/")).status_code == 404


def test_own_training_of_another_org_is_a_404(alice_client, org, other_org, charlie):
    theirs = OwnTraining.objects.create(org=other_org, title="社外秘", url="https://example.jp/x", created_by=charlie)
    assert alice_client.get(_url(org, f"t/own-{theirs.id}/")).status_code == 404
    assert alice_client.get(_url(org, f"own/{theirs.id}/edit/")).status_code == 404
    assert alice_client.post(_url(org, "assign/"), {"training": f"own-{theirs.id}", "everyone": "on",
                                                    "due_date": "2099-01-01"}).status_code == 400


def test_assign_mark_done_and_see_progress(alice_client, bob_client, org, alice, bob):
    due = timezone.localdate() + dt.timedelta(days=10)
    response = alice_client.post(_url(org, "assign/"), {"training": "ipa-karei-04", "everyone": "on", "due_date": due.isoformat(),
                                                        "note": "来週の会議までに"})
    assert response.status_code == 302
    assignment = Assignment.objects.get()
    mine = bob_client.get(_url(org)).content.decode()
    assert "華麗なる情報セキュリティ対策 #4" in mine and "未完了" in mine
    page = bob_client.get(_url(org, f"assignments/{assignment.id}/")).content.decode()
    assert "来週の会議までに" in page and "確認問題" in page
    response = bob_client.post(_url(org, f"assignments/{assignment.id}/"), {"completed_on": timezone.localdate().isoformat(), "answer": "0"})
    assert response.status_code == 302
    completion = Completion.objects.get(user=bob)
    assert completion.correct is True
    assert "正解です" in bob_client.get(_url(org, f"assignments/{assignment.id}/")).content.decode()
    # A second completion is refused; the first stays.
    again = bob_client.post(_url(org, f"assignments/{assignment.id}/"), {"completed_on": "2020-01-01", "answer": "1"})
    assert again.status_code == 302 and Completion.objects.get(user=bob).correct is True
    progress = alice_client.get(_url(org, "progress/")).content.decode()
    assert "1 / 2" in progress and "alice@example.jp" in progress
    owner_view = alice_client.get(_url(org, f"assignments/{assignment.id}/")).content.decode()
    assert "2人中1人が完了" in owner_view


@pytest.mark.parametrize("data,error", [
    ({"completed_on": "2999-01-01"}, "未来の日付"),
    ({"completed_on": "not a date"}, "日付"),
    ({"completed_on": "2026-01-01", "answer": "9"}, "選択"),
    ({"completed_on": "<script>alert(1)</script>"}, "日付"),
])
def test_hostile_completion_is_refused(bob_client, org, alice, data, error):
    assignment = assignment_create(org=org, by=alice, training_key="ipa-karei-01", everyone=True, members=[],
                                   due_date=timezone.localdate() + dt.timedelta(days=3))
    response = bob_client.post(_url(org, f"assignments/{assignment.id}/"), data)
    assert response.status_code == 400 and error in response.content.decode()
    assert not Completion.objects.exists()
    assert "<script>alert(1)</script>" not in response.content.decode()


@pytest.mark.parametrize("data,error", [
    ({"training": "ipa-karei-01", "due_date": "2099-01-01"}, "対象のメンバー"),
    ({"training": "ipa-karei-01", "everyone": "on", "due_date": "2000-01-01"}, "今日以降"),
    ({"training": "nonexistent", "everyone": "on", "due_date": "2099-01-01"}, "選択"),
    ({"training": "ipa-karei-01", "everyone": "on", "due_date": "2099-01-01", "note": "a\u202eb"}, "制御文字"),
])
def test_bad_assignments_are_refused(alice_client, org, data, error):
    response = alice_client.post(_url(org, "assign/"), data)
    assert response.status_code == 400 and error in response.content.decode()
    assert not Assignment.objects.exists()


def test_someone_not_assigned_cannot_complete(alice, bob, bob_client, org):
    assignment = assignment_create(org=org, by=alice, training_key="ipa-karei-02", everyone=False, members=[alice],
                                   due_date=timezone.localdate() + dt.timedelta(days=3))
    bob_client.post(_url(org, f"assignments/{assignment.id}/"), {"completed_on": timezone.localdate().isoformat()})
    assert not Completion.objects.exists()


def test_withdrawn_assignment_keeps_the_record(alice_client, alice, bob, org):
    assignment = assignment_create(org=org, by=alice, training_key="ipa-karei-02", everyone=True, members=[],
                                   due_date=timezone.localdate())
    Completion.objects.create(org=org, assignment=assignment, user=bob, completed_on=timezone.localdate())
    assert alice_client.post(_url(org, f"assignments/{assignment.id}/withdraw/")).status_code == 302
    assignment.refresh_from_db()
    assert assignment.withdrawn_at and Completion.objects.filter(assignment=assignment).exists()
    assert alice_client.post(_url(org, "own/1/delete/")).status_code == 404


def test_own_training_in_use_cannot_be_deleted(alice_client, alice, org):
    alice_client.post(_url(org, "own/new/"), {"title": "研修", "url": "https://example.jp"})
    training = OwnTraining.objects.get()
    assignment_create(org=org, by=alice, training_key=training.key, everyone=True, members=[], due_date=timezone.localdate())
    alice_client.post(_url(org, f"own/{training.id}/delete/"))
    assert OwnTraining.objects.filter(pk=training.pk).exists()


def test_exports_list_everyone_and_guard_formulas(alice_client, alice, bob, org):
    training = OwnTraining.objects.create(org=org, title="=HYPERLINK(\"http://evil\")", url="https://example.jp")
    assignment_create(org=org, by=alice, training_key=training.key, everyone=True, members=[], due_date=timezone.localdate())
    csv_text = alice_client.get(_url(org, "progress.csv")).content.decode("utf-8-sig")
    assert "bob@example.jp" in csv_text and "alice@example.jp" in csv_text
    assert "'=HYPERLINK" in csv_text and "\n=HYPERLINK" not in csv_text
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(alice_client.get(_url(org, "progress.xlsx")).content))
    values = [c.value for row in book.worksheets[0].iter_rows() for c in row]
    assert "bob@example.jp" in values and "'=HYPERLINK(\"http://evil\")" in values
    assert alice_client.get(_url(org, "progress.pdf")).status_code == 404


def test_weak_diagnosis_answer_suggests_the_matching_training(alice_client, org, alice):
    from sonae.assessments.services import answers_save, diagnosis_start, diagnosis_submit
    from sonae.catalog.instruments import get_instrument

    diagnosis = diagnosis_start(org=org, instrument_id="ipa-5min", by=alice)
    values = {item.id: 4 for item in get_instrument("ipa-5min").items}
    values["q03"] = 0  # passwords: not done
    answers_save(diagnosis=diagnosis, values=values, by=alice)
    diagnosis_submit(diagnosis=diagnosis, by=alice)
    page = alice_client.get(f"/o/{org.id}/diagnoses/{diagnosis.id}/results/").content.decode()
    assert "#3「パスワードの適切な設定と管理」" in page and f"/o/{org.id}/learning/t/ipa-karei-03/" in page


def test_adopted_risk_suggests_training(alice_client, org):
    alice_client.post(f"/o/{org.id}/risks/adopt/", {"category": "cyber"})
    from sonae.risks.models import Risk

    risk = Risk.objects.get(org=org, template_id="cyber-ransomware")
    page = alice_client.get(f"/o/{org.id}/risks/{risk.id}/").content.decode()
    assert "/learning/t/" in page
