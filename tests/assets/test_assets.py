"""IT assets and advisories: all-or-nothing imports, matches per asset, owner mails once, roles, hostile files."""

from __future__ import annotations

import io

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sonae.assets.models import Advisory, AdvisoryImport, AdvisoryMatch, AdvisoryNotice, Asset
from sonae.assets.services import FeedTooLarge, advisories_import, asset_save
from sonae.assets.tabular import spreadsheet_safe
from sonae.catalog.base import DATA_DIR
from sonae.engines.advisories import FeedError
from sonae.orgs.models import AuditEntry

pytestmark = pytest.mark.django_db

KEV = (DATA_DIR / "advisories" / "cisa-kev-2025.02.25-subset.json").read_bytes()
JVN = (DATA_DIR / "advisories" / "jvn-myjvn-overview-2018-03-13.xml").read_bytes()


@pytest.fixture
def vpn(org, alice):
    return asset_save(org=org, by=alice, kind="vpn", name="本社VPN", vendor="SonicWall", product="SonicOS", version="7.1")


@pytest.fixture
def router(org, alice):
    return asset_save(org=org, by=alice, kind="router", name="事務所ルーター", vendor="コレガ", product="CG-WGR1200")


def test_import_matches_assets_and_mails_owner_once(org, vpn, router, other_org, charlie, django_capture_on_commit_callbacks):
    asset_save(org=other_org, by=charlie, kind="pc", name="PC", vendor="Microsoft", product="Windows")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        record = advisories_import(data=KEV, file_name="kev.json")
    assert record.total == 6 and record.created == 6
    assert set(AdvisoryMatch.objects.filter(org=org).values_list("advisory__ident", flat=True)) == {"CVE-2024-53704"}
    assert AdvisoryMatch.objects.filter(org=other_org).count() == 1  # each organisation its own matches
    to_alice = [m for m in mail.outbox if "alice@example.jp" in m.to]
    assert len(to_alice) == 1 and "CVE-2024-53704" in to_alice[0].body and "本社VPN" in to_alice[0].body
    assert not any("bob@example.jp" in m.to for m in mail.outbox)  # owners only
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        advisories_import(data=KEV, file_name="kev.json")  # the same file again: nothing new, nobody mailed
    assert mail.outbox == [] and Advisory.objects.count() == 6 and AdvisoryNotice.objects.filter(org=org).count() == 1


def test_jvn_match_on_a_router_is_shown_but_not_mailed(org, router, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        advisories_import(data=JVN, file_name="jvn.xml")
    match = AdvisoryMatch.objects.get(asset=router)
    assert match.advisory.ident == "JVNDB-2018-000024" and match.advisory.severity == "high"
    assert mail.outbox == []  # not a VPN device, not in KEV


def test_asset_added_after_the_import_is_matched(org, alice):
    advisories_import(data=JVN, file_name="jvn.xml")
    asset = asset_save(org=org, by=alice, kind="router", name="R", vendor="x", product="y", cpe="cpe:/h:corega:cg-wgr1200")
    assert AdvisoryMatch.objects.get(asset=asset).how == "cpe"
    asset_save(org=org, by=alice, asset=asset, cpe="")
    assert not AdvisoryMatch.objects.filter(asset=asset).exists()  # a changed asset loses the match
    assert AuditEntry.objects.filter(org=org, object_type="asset", action="update").exists()


@pytest.mark.parametrize("data", [
    b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">&b;</rdf:RDF>',
    JVN[: len(JVN) // 2],
    KEV.replace(b'"cveID": "CVE-2024-53704"', b'"cveID": "oops"'),  # one bad record in the middle: none imported
])
def test_bad_feed_imports_nothing(org, vpn, data):
    with pytest.raises(FeedError):
        advisories_import(data=data, file_name="bad")
    assert not Advisory.objects.exists() and not AdvisoryImport.objects.exists() and not AdvisoryMatch.objects.exists()


def test_too_large_feed_is_refused_before_parsing(org, monkeypatch):
    import sonae.assets.services as services

    monkeypatch.setattr(services, "MAX_FEED_BYTES", 100)
    with pytest.raises(FeedTooLarge):
        advisories_import(data=KEV, file_name="kev.json")
    assert not Advisory.objects.exists()


def test_kev_marks_jvn_records_of_the_same_cve():
    jvn = JVN.replace(b'id="CVE-2017-10852"', b'id="CVE-2024-53704"')
    advisories_import(data=jvn, file_name="jvn.xml")
    advisories_import(data=KEV, file_name="kev.json")
    assert Advisory.objects.get(ident="JVNDB-2018-000024").kev is True


# -- pages --------------------------------------------------------------------------------------


def test_asset_list_shows_matches_with_severity_and_date(alice_client, org, vpn, router):
    advisories_import(data=JVN, file_name="jvn.xml")
    advisories_import(data=KEV, file_name="kev.json")
    html = alice_client.get(reverse("assets_home", args=[org.id])).content.decode()
    assert "CVE-2024-53704" in html and "悪用あり" in html and "JVNDB-2018-000024" in html
    assert "重要" in html and "2018年3月9日" in html


def test_add_edit_delete_asset_and_roles(alice_client, bob_client, charlie_client, org):
    data = {"kind": "vpn", "name": "VPN", "vendor": "Fortinet", "product": "FortiOS", "version": "7.0", "cpe": "", "caretaker": "", "note": ""}
    assert bob_client.post(reverse("assets_new", args=[org.id]), data).status_code == 403
    assert charlie_client.post(reverse("assets_new", args=[org.id]), data).status_code == 404
    assert alice_client.post(reverse("assets_new", args=[org.id]), data).status_code == 302
    asset = Asset.objects.get(org=org)
    assert bob_client.get(reverse("assets_edit", args=[org.id, asset.id])).status_code == 200
    assert charlie_client.get(reverse("assets_edit", args=[org.id, asset.id])).status_code == 404
    assert alice_client.post(reverse("assets_edit", args=[org.id, asset.id]), {**data, "version": "7.2"}).status_code == 302
    asset.refresh_from_db()
    assert asset.version == "7.2"
    assert bob_client.post(reverse("assets_delete", args=[org.id, asset.id])).status_code == 403
    assert alice_client.post(reverse("assets_delete", args=[org.id, asset.id])).status_code == 302
    assert not Asset.objects.exists()


@pytest.mark.parametrize(("field", "value"), [
    ("name", "<script>alert(1)</script>\x00"), ("name", "x" * 101), ("cpe", "javascript:alert(1)"), ("kind", "tank"), ("name", ""),
])
def test_bad_asset_input_is_refused(alice_client, org, field, value):
    data = {"kind": "pc", "name": "PC", "vendor": "", "product": "", "version": "", "cpe": "", "caretaker": "", "note": "", field: value}
    response = alice_client.post(reverse("assets_new", args=[org.id]), data)
    assert response.status_code == 400 and not Asset.objects.exists()
    assert "<script>alert" not in response.content.decode()


def upload(client, org, name, data):
    return client.post(reverse("assets_import", args=[org.id]), {"file": SimpleUploadedFile(name, data)})


def test_csv_import_utf8_and_shift_jis(alice_client, org):
    text = "種類,名前,メーカー,製品名,バージョン\nVPN機器,本社VPN,SonicWall,SonicOS,7.1\nパソコン,経理PC,Microsoft,Windows 11,24H2\n"
    assert upload(alice_client, org, "assets.csv", text.encode("utf-8-sig")).status_code == 302
    assert upload(alice_client, org, "assets2.csv", text.encode("cp932")).status_code == 302
    assert Asset.objects.filter(org=org).count() == 4 and Asset.objects.filter(kind="vpn").count() == 2


def test_csv_import_reports_line_and_column_and_writes_nothing(alice_client, org):
    text = "種類,名前,メーカー\nVPN機器,本社VPN,SonicWall\n戦車,倉庫,X\nパソコン,,Y\n"
    response = upload(alice_client, org, "assets.csv", text.encode())
    html = response.content.decode()
    assert response.status_code == 400 and not Asset.objects.exists()
    assert "3行目「種類」" in html and "4行目「名前」" in html


def test_xlsx_import(alice_client, org):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["kind", "name", "vendor", "product"])
    sheet.append(["router", "Wi-Fi", "corega", "CG-WGR1200"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert upload(alice_client, org, "assets.xlsx", buffer.getvalue()).status_code == 302
    assert Asset.objects.get(org=org).kind == "router"


@pytest.mark.parametrize(("name", "data", "message"), [
    ("assets.xlsx", b"not a zip at all", "Excel"),
    ("assets.xlsx", b"PK\x03\x04broken zip", "Excel"),
    ("assets.csv", b"\x00\x01\x02\xff\xfe", "CSV"),
    ("assets.exe", b"MZ", "CSV"),
    ("assets.csv", b"", "空"),
    ("assets.csv", "名前\nx\n".encode(), "種類"),
    ("assets.csv", ("種類,名前\n" + "パソコン,PC\n" * 2001).encode(), "行が多すぎます"),
    ("assets.csv", ("種類,名前\nパソコン," + "x" * 600 + "\n").encode(), "長すぎます"),
    ("assets.csv", b"x" * (3 * 1024 * 1024), "大きすぎます"),
])
def test_hostile_asset_files_are_refused(alice_client, org, name, data, message):
    response = upload(alice_client, org, name, data)
    assert response.status_code == 400 and message in response.content.decode()
    assert not Asset.objects.exists()


def test_viewer_cannot_import(bob_client, org):
    assert upload(bob_client, org, "a.csv", "種類,名前\nパソコン,PC\n".encode()).status_code == 403


def test_export_neutralises_formulas(alice_client, org, alice):
    asset_save(org=org, by=alice, kind="pc", name="=HYPERLINK(\"http://evil\")", vendor="+cmd", product="@SUM(A1)")
    body = alice_client.get(reverse("assets_export", args=[org.id])).content.decode("utf-8-sig")
    assert "'=HYPERLINK" in body and "'+cmd" in body and "'@SUM" in body
    assert spreadsheet_safe("-1") == "'-1" and spreadsheet_safe("ok") == "ok"


def test_advisories_page(alice_client, bob_client, org):
    advisories_import(data=KEV, file_name="kev.json")
    html = bob_client.get(reverse("assets_advisories", args=[org.id])).content.decode()
    assert "CVE-2024-53704" in html and "kev.json" in html


def test_outsiders_see_nothing(charlie_client, org, vpn):
    for name in ("assets_home", "assets_advisories", "assets_export"):
        assert charlie_client.get(reverse(name, args=[org.id])).status_code == 404


def test_a_failed_send_is_forgotten_and_retried(org, vpn, monkeypatch, django_capture_on_commit_callbacks):
    import sonae.assets.tasks as tasks

    def broken(*args, **kwargs):
        raise OSError("mail server down")

    monkeypatch.setattr(tasks, "send_mail", broken)
    with django_capture_on_commit_callbacks(execute=True):
        advisories_import(data=KEV, file_name="kev.json")
    assert not AdvisoryNotice.objects.exists()  # nothing recorded as sent
    monkeypatch.undo()
    assert tasks.send_match_notices(list(AdvisoryMatch.objects.values_list("id", flat=True))) == 1
    assert tasks.send_match_notices(list(AdvisoryMatch.objects.values_list("id", flat=True))) == 0


def test_xlsx_zip_bomb_is_refused_before_unpacking(alice_client, org):
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/sharedStrings.xml", "<sst>" + "A" * (60 * 1024 * 1024) + "</sst>")
    assert len(buffer.getvalue()) < 2 * 1024 * 1024
    response = upload(alice_client, org, "bomb.xlsx", buffer.getvalue())
    assert response.status_code == 400 and "大きすぎます" in response.content.decode()
    assert not Asset.objects.exists()


def test_csv_reading_leaves_the_global_field_limit_alone(alice_client, org):
    import csv

    before = csv.field_size_limit()
    upload(alice_client, org, "a.csv", "種類,名前\nパソコン,PC\n".encode())
    assert csv.field_size_limit() == before
