"""The guided builder: steps, autosave, plain save, rows, suggestions, access rules and hostile input."""

from __future__ import annotations

import pytest

from sonae.documents.builder import steps_of
from sonae.documents.models import Document, DocumentVersion
from sonae.documents.services import document_create, version_approve
from sonae.engines import documents as engine


def _draft(org, user, kind="jigyokei"):
    return document_create(org=org, kind=kind, by=user).versions.get()


def _url(org, version, step=""):
    return f"/o/{org.id}/documents/v/{version.id}/build/" + (f"?step={step}" if step else "")


def test_home_lists_kinds_and_creates_a_prefilled_draft(alice_client, org):
    response = alice_client.get(f"/o/{org.id}/documents/")
    assert response.status_code == 200
    for label in ("事業継続力強化計画", "情報セキュリティ基本方針", "生成AI利用ガイドライン", "サイバーインシデント初動対応手順"):
        assert label in response.content.decode()
    response = alice_client.post(f"/o/{org.id}/documents/new/", {"kind": "jigyokei"})
    version = DocumentVersion.objects.get(document__org=org)
    assert response.status_code == 302 and response["Location"].startswith(_url(org, version))
    assert version.data["name"]["name"] == org.name


@pytest.mark.parametrize("kind", engine.KINDS)
def test_every_step_renders_with_help_and_examples(alice_client, org, alice, kind):
    version = _draft(org, alice, kind)
    for section in steps_of(kind):
        body = alice_client.get(_url(org, version, section.id)).content.decode()
        for field in section.fields:
            assert field.label.ja in body
            if field.help.ja:
                assert field.help.ja.split("。")[0][:20] in body or "&" in field.help.ja


def test_plain_save_and_next_without_js(alice_client, org, alice):
    version = _draft(org, alice)
    response = alice_client.post(_url(org, version, "goals"), {
        "step": "goals", "action": "next",
        "f-goals-business_overview": "精密部品を作る。", "f-goals-purpose": "社員を守る。",
        "f-goals-hazards-present": "1",
        "f-goals-hazards-0-hazard": "earthquake", "f-goals-hazards-0-assumption": "震度6弱",
        "f-goals-hazards-0-source": "J-SHIS",
    })
    assert response.status_code == 302 and "step=initial_response" in response["Location"]
    version.refresh_from_db()
    assert version.data["goals"]["purpose"] == "社員を守る。"
    assert version.data["goals"]["hazards"][0]["hazard"] == "earthquake"


def test_autosave_answers_with_fragments(alice_client, org, alice):
    version = _draft(org, alice)
    response = alice_client.post(_url(org, version, "name"), {"step": "name", "f-name-name_kana": "かな"},
                                 HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200 and 'hx-swap-oob="true"' in body
    assert "全角カタカナ" in body  # the field's message, in Japanese
    response = alice_client.post(_url(org, version, "name"), {"step": "name", "f-name-name_kana": "ミナト"},
                                 HTTP_HX_REQUEST="true")
    assert "自動保存しました" in response.content.decode()
    version.refresh_from_db()
    assert version.data["name"]["name_kana"] == "ミナト"


def test_add_and_remove_table_rows(alice_client, org, alice):
    version = _draft(org, alice)
    alice_client.post(_url(org, version, "cooperators"), {"step": "cooperators", "f-cooperators-items-present": "1",
                                                          "add_row": "cooperators.items"})
    alice_client.post(_url(org, version, "cooperators"), {"step": "cooperators", "f-cooperators-items-present": "1",
                                                          "f-cooperators-items-0-name": "横浜ITサービス",
                                                          "add_row": "cooperators.items"})
    version.refresh_from_db()
    rows = version.data["cooperators"]["items"]
    assert len(rows) == 2 and rows[0]["name"] == "横浜ITサービス"
    alice_client.post(_url(org, version, "cooperators"), {
        "step": "cooperators", "f-cooperators-items-present": "1",
        "f-cooperators-items-0-name": "横浜ITサービス", "f-cooperators-items-1-name": "",
        "remove_row": "cooperators.items.0"})
    version.refresh_from_db()
    assert len(version.data["cooperators"]["items"]) == 1 and version.data["cooperators"]["items"][0]["name"] == ""


def test_suggestion_is_copied_into_the_field(alice_client, org, alice):
    version = _draft(org, alice)
    body = alice_client.get(_url(org, version, "measures")).content.decode()
    assert "取り込む" in body and "基本の提案" in body
    response = alice_client.post(f"/o/{org.id}/documents/v/{version.id}/suggestion/", {"suggestion": "cyber-backup"})
    assert response.status_code == 302
    version.refresh_from_db()
    assert "バックアップ" in version.data["measures"]["table"]["D"]["future"]
    alice_client.post(f"/o/{org.id}/documents/v/{version.id}/suggestion/", {"suggestion": "cyber-hazard"})
    version.refresh_from_db()
    assert any(r.get("hazard") == "cyber" for r in version.data["goals"]["hazards"])
    response = alice_client.post(f"/o/{org.id}/documents/v/{version.id}/suggestion/", {"suggestion": "nope"}, follow=True)
    assert "見つからない" in response.content.decode()


def test_merits_panel_on_first_step(alice_client, org, alice):
    body = alice_client.get(_url(org, _draft(org, alice))).content.decode()
    assert "認定を受けるとできること" in body and "出典" in body


def test_viewer_cannot_open_or_post_the_builder(bob_client, org, alice):
    version = _draft(org, alice)
    assert bob_client.get(_url(org, version)).status_code == 403
    assert bob_client.post(_url(org, version, "goals"), {"f-goals-purpose": "乗っ取り"}).status_code == 403
    assert bob_client.post(f"/o/{org.id}/documents/new/", {"kind": "jigyokei"}).status_code == 403
    assert bob_client.get(f"/o/{org.id}/documents/v/{version.id}/").status_code == 200  # viewers read
    version.refresh_from_db()
    assert version.data["goals"]["purpose"] == ""


def test_outsider_gets_404_and_other_orgs_ids_are_404(charlie_client, org, other_org, alice, charlie):
    version = _draft(org, alice)
    assert charlie_client.get(_url(org, version)).status_code == 404
    # Charlie's own organisation in the URL with Alice's version id: still 404.
    assert charlie_client.get(f"/o/{other_org.id}/documents/v/{version.id}/build/").status_code == 404
    assert charlie_client.post(f"/o/{other_org.id}/documents/v/{version.id}/build/", {"f-goals-purpose": "x"}).status_code == 404
    assert charlie_client.get(f"/o/{other_org.id}/documents/{version.document_id}/").status_code == 404


@pytest.mark.parametrize("field,value,message", [
    ("f-goals-purpose", "あ" * 5000, "文字以内"),
    ("f-goals-purpose", "悪い\x00文字\x1b[31m", "制御文字"),
    ("f-name-employees", "二十人", "数値"),
    ("f-name-employees", "-5", "以上"),
    ("f-name-established_on", "2026-02-30", "実在する日付"),
    ("f-name-applicant_type", "<script>alert(1)</script>", "選択肢"),
    ("f-period-end", "2035-01", "3年"),
])
def test_hostile_values_are_refused_and_nothing_is_lost(alice_client, org, alice, field, value, message):
    version = _draft(org, alice)
    step = field.split("-")[1]
    before = dict(version.data[step])
    post = {"step": step, field: value}
    if step == "period":
        post["f-period-start"] = "2027-01"
    response = alice_client.post(_url(org, version, step), post)
    body = response.content.decode()
    assert response.status_code == 200 and message in body
    assert "<script>alert(1)</script>" not in body
    version.refresh_from_db()
    key = field.split("-", 2)[2]
    assert version.data[step][key] == before[key]


def test_tampered_names_and_kinds_are_refused(alice_client, org, alice):
    version = _draft(org, alice)
    response = alice_client.post(_url(org, version, "goals"), {
        "step": "goals", "f-goals-evil": "x", "f-goals-hazards-present": "1", "f-goals-hazards-0-bogus": "y",
        "f-name-name": "別の段の値"}, follow=True)
    assert "この画面にない項目" in response.content.decode()
    version.refresh_from_db()
    assert "evil" not in version.data["goals"] and version.data["name"]["name"] == org.name
    response = alice_client.post(f"/o/{org.id}/documents/new/", {"kind": "../../etc"}, follow=True)
    assert "種類が正しくありません" in response.content.decode()
    assert Document.objects.filter(org=org).count() == 1
    response = alice_client.post(_url(org, version, "cooperators"), {"add_row": "goals.purpose", "step": "cooperators"}, follow=True)
    assert "表の指定" in response.content.decode()
    assert alice_client.get(_url(org, version, "no-such-step")).status_code == 200  # falls back to the first step


def test_approved_version_is_not_editable_in_the_builder(alice_client, org, alice, sample):
    document = document_create(org=org, kind="ai-guideline", by=alice, data=sample("ai-guideline"))
    version = version_approve(version=document.versions.get(), by=alice)
    response = alice_client.post(_url(org, version, "purpose"), {"f-purpose-text": "変更"})
    assert response.status_code == 302
    version.refresh_from_db()
    assert version.data["purpose"]["text"] != "変更"
    response = alice_client.post(f"/o/{org.id}/documents/{document.id}/edit/")
    new = document.versions.get(number=2)
    assert response.status_code == 302 and new.is_draft and str(new.id) in response["Location"]
