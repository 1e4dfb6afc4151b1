"""Uploading rule files for the Q&A: Markdown, Word and PDF read with their headings; hostile files refused."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document as Docx

from support import encrypted_pdf

from sonae.aiuse.models import RuleFile, RuleFileVersion
from sonae.engines import documents as engine
from sonae.orgs.models import AuditEntry

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parents[1] / "engines" / "documents" / "fixtures"

WORK_RULES = """# 就業規則

## 第3章 休暇

### 第20条 年次有給休暇

入社6か月後に10日の年次有給休暇を与える。申請は前日までに上長へ行う。

### 第21条 慶弔休暇

本人の結婚は5日、親の葬儀は3日とする。

## 第4章 問い合わせ

問い合わせ先: 総務部 人事担当 内線105
"""


def files_url(org):
    return reverse("rules_files", args=[org.id])


def upload(client, org, name, data, **extra):
    return client.post(files_url(org), {"file": SimpleUploadedFile(name, data), **extra})


def ask(client, org, question):
    return client.post(reverse("rules_ask", args=[org.id]), {"question": question}).content.decode()


def test_a_markdown_rule_is_used_by_the_qa_with_its_article(alice_client, bob_client, org, alice):
    response = upload(alice_client, org, "shugyo.md", WORK_RULES.encode())
    assert response.status_code == 302
    rule = RuleFile.objects.get(org=org)
    version = rule.versions.get()
    assert (rule.title, version.number, version.format, version.original_name) == ("就業規則", 1, "md", "shugyo.md")
    assert AuditEntry.objects.filter(org=org, object_type="rulefileversion").exists()
    html = ask(bob_client, org, "有給休暇は何日もらえる？")
    assert "第20条 年次有給休暇" in html and "入社6か月後に10日" in html and "就業規則" in html
    missing = ask(bob_client, org, "社宅に入れますか")
    assert "見つかりませんでした" in missing and "総務部 人事担当 内線105" in missing  # the rule's own contact


def test_word_and_pdf_rules(alice_client, bob_client, org):
    document = Docx()
    document.add_paragraph("経費規程", style="Title")
    document.add_paragraph("第5条 出張旅費", style="Heading 1")
    document.add_paragraph("出張の日当は1日2,000円とし、出張後10日以内に精算する。")
    buffer = io.BytesIO()
    document.save(buffer)
    assert upload(alice_client, org, "keihi.docx", buffer.getvalue()).status_code == 302
    pdf = engine.render("security-policy", json.loads((FIXTURES / "security_policy_minato.json").read_text(encoding="utf-8")), "pdf")
    assert upload(alice_client, org, "policy.pdf", pdf, title="基本方針（PDF版）").status_code == 302
    assert "第5条 出張旅費" in ask(bob_client, org, "出張の日当はいくら？")
    answer = ask(bob_client, org, "経営者はセキュリティについて何をする？")
    assert "基本方針（PDF版）" in answer and "1. 経営者の責任" in answer


@pytest.mark.parametrize("name,data,message", [
    ("secret.pdf", encrypted_pdf(), "パスワードで保護された（暗号化された）PDFは読み込めません"),
    ("broken.pdf", b"%PDF-1.7\n garbage that is not a pdf", "PDFファイルとして読み取れません"),
    ("empty.md", b"", "ファイルが空です"),
    ("rules.xlsx", b"PK\x03\x04", "Markdown (.md)、Word (.docx)、PDF (.pdf) のファイルを選んでください"),
    ("fake.docx", b"not a zip", "Word文書 (.docx) として読み取れません"),
    ("locked.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "パスワードで保護されたWord文書"),
    ("binary.md", b"\x00\x01\x02\x03", "テキストファイルではありません"),
])
def test_unusable_files_are_refused_with_a_message(alice_client, org, name, data, message):
    response = upload(alice_client, org, name, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not RuleFile.objects.exists()


def test_an_oversized_upload_is_stopped_while_it_streams(alice_client, org, monkeypatch):
    from sonae.aiuse import rules_views

    monkeypatch.setattr(rules_views, "MAX_FILE_BYTES", 1000)
    response = upload(alice_client, org, "big.md", b"# t\n\n" + b"a" * 5000)
    assert response.status_code == 302
    assert "ファイルが大きすぎます" in alice_client.get(files_url(org)).content.decode()
    assert not RuleFile.objects.exists()


def test_html_and_script_in_an_uploaded_rule_are_shown_as_text(alice_client, bob_client, org):
    hostile = "# 情報管理規程\n\n## 第1条 持ち出し\n\n<script>alert('x')</script><b>USBメモリ</b>での持ち出しは禁止する。\n"
    upload(alice_client, org, "<img src=x onerror=alert(1)>.md", hostile.encode())
    html = ask(bob_client, org, "USBメモリで持ち出してもいい？")
    assert "<script>alert" not in html and "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;&lt;b&gt;USBメモリ&lt;/b&gt;" in html
    page = bob_client.get(files_url(org)).content.decode()
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;.md" in page


def test_a_new_version_replaces_the_old_one_and_withdrawal_removes_it(alice_client, bob_client, org):
    upload(alice_client, org, "shugyo.md", WORK_RULES.encode())
    rule = RuleFile.objects.get(org=org)
    newer = WORK_RULES.replace("10日の年次有給休暇", "12日の年次有給休暇")
    assert upload(alice_client, org, "shugyo-2027.md", newer.encode(), replaces=rule.id).status_code == 302
    assert list(rule.versions.values_list("number", flat=True)) == [2, 1]
    html = ask(bob_client, org, "有給休暇は何日もらえる？")
    assert "12日の年次有給休暇" in html and "10日の年次有給休暇" not in html and "第2版" in html
    assert alice_client.post(reverse("rule_file_withdraw", args=[org.id, rule.id])).status_code == 302
    assert "見つかりませんでした" in ask(bob_client, org, "有給休暇は何日もらえる？")
    assert "取り下げ済み" in alice_client.get(files_url(org)).content.decode()


def test_download_is_always_an_attachment(alice_client, bob_client, org):
    upload(alice_client, org, "rules<script>.md", "# 規程\n\n<script>alert(1)</script>\n".encode())
    rule = RuleFile.objects.get(org=org)
    response = bob_client.get(reverse("rule_file_download", args=[org.id, rule.id]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content).startswith("# 規程".encode())


def test_who_may_upload_replace_withdraw_and_download(bob_client, charlie_client, alice_client, org, other_org, charlie):
    assert upload(bob_client, org, "r.md", WORK_RULES.encode()).status_code == 403  # a viewer
    upload(alice_client, org, "r.md", WORK_RULES.encode())
    rule = RuleFile.objects.get(org=org)
    assert bob_client.post(reverse("rule_file_withdraw", args=[org.id, rule.id])).status_code == 403
    assert charlie_client.get(reverse("rule_file_download", args=[org.id, rule.id])).status_code == 404
    # Charlie's own organisation cannot reach Alice's file by its id, nor replace it.
    assert charlie_client.get(reverse("rule_file_download", args=[other_org.id, rule.id])).status_code == 404
    assert upload(charlie_client, other_org, "r.md", WORK_RULES.encode(), replaces=rule.id).status_code == 404
    assert upload(alice_client, org, "r.md", WORK_RULES.encode(), replaces="not-a-number").status_code == 404
    assert RuleFileVersion.objects.filter(org=other_org).count() == 0


def test_settings_are_for_owners_and_refuse_a_model_the_gateway_does_not_allow(alice_client, bob_client, org, alice, upstream_server):
    from sonae.aicheck.services import gateway_upstream_save

    settings_url = reverse("rules_settings", args=[org.id])
    assert bob_client.get(settings_url).status_code == 403
    gateway_upstream_save(org=org, by=alice, base_url=upstream_server.url("ok"), api_key="k", allowed_models="fake-model")
    refused = alice_client.post(settings_url, {"model": "other-model", "answer_with_model": "on"})
    assert refused.status_code == 400 and "ゲートウェイで許可されていないモデルです" in refused.content.decode()
    assert alice_client.post(settings_url, {"model": "fake-model"}).status_code == 302
    assert AuditEntry.objects.filter(org=org, object_type="aiusesettings").exists()
