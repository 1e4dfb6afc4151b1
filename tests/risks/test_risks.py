"""Risk register: list and heat map, create/edit/close, templates, links to action items, dashboard."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from sonae.actions.models import ActionItem
from sonae.catalog.risk_templates import load_risk_templates
from sonae.orgs.models import AuditEntry
from sonae.risks.models import Risk


def url(name, org, *args):
    return reverse(name, args=[org.id, *args])


def _form(**overrides):
    data = {"title": "ランサムウェアで基幹システムが止まる", "category": "cyber", "description": "", "likelihood": "3", "impact": "5",
            "owner": "", "review_date": "2026-09-30", "status": "open", "countermeasures": "オフラインバックアップ"}
    data.update(overrides)
    return data


def test_catalog_has_the_six_genai_risks_and_the_cyber_risks():
    catalog = load_risk_templates()
    genai = [t.id for t in catalog.templates if t.category == "genai"]
    assert len(genai) == 6
    titles = " ".join(t.title.ja for t in catalog.templates)
    for word in ("ハルシネーション", "バイアス", "著作権", "情報漏洩", "依存", "運用不全", "ランサムウェア", "フィッシング",
                 "ボイスフィッシング", "サポート詐欺", "サプライチェーン", "紛失", "内部不正"):
        assert word in titles, word
    assert all(t.source.url and t.source.as_of for t in catalog.templates)


def test_editor_creates_edits_and_closes(alice_client, org, alice):
    response = alice_client.post(url("risk_new", org), _form(owner=str(alice.id)))
    risk = Risk.objects.get(org=org)
    assert response.status_code == 302 and risk.score == 15 and risk.level == "high" and risk.owner == alice
    alice_client.post(url("risk_detail", org, risk.id), _form(likelihood="1", impact="2"))
    risk.refresh_from_db()
    assert risk.score == 2 and risk.level == "low"
    alice_client.post(url("risk_close", org, risk.id))
    risk.refresh_from_db()
    assert risk.status == "closed" and risk.closed_at
    assert AuditEntry.objects.filter(org=org, object_type="risk").count() == 3


def test_list_and_heat_map(alice_client, bob_client, org, alice):
    Risk.objects.create(org=org, title="情報漏洩", category="genai", likelihood=4, impact=5)
    Risk.objects.create(org=org, title="地震で工場が止まる", category="disaster", likelihood=2, impact=5)
    html = bob_client.get(url("risks_home", org)).content.decode()
    assert "情報漏洩" in html and "rk-cell rk-high rk-filled" in html and "style=" not in html
    assert "地震で工場が止まる" in html


def test_viewer_reads_but_cannot_write(bob_client, org):
    risk = Risk.objects.create(org=org, title="元の題", likelihood=3, impact=3)
    assert bob_client.get(url("risk_detail", org, risk.id)).status_code == 200
    assert bob_client.post(url("risk_detail", org, risk.id), _form(title="変更")).status_code == 403
    assert bob_client.post(url("risk_new", org), _form()).status_code == 403
    assert bob_client.post(url("risk_close", org, risk.id)).status_code == 403
    assert bob_client.post(url("risk_adopt", org), {"category": "genai"}).status_code == 403
    risk.refresh_from_db()
    assert risk.title == "元の題" and Risk.objects.count() == 1


def test_outsider_gets_404(charlie_client, org, other_org):
    risk = Risk.objects.create(org=org, title="x", likelihood=3, impact=3)
    assert charlie_client.get(url("risk_detail", org, risk.id)).status_code == 404
    # Another organisation's risk id through Charlie's own organisation: 404 as well.
    assert charlie_client.get(url("risk_detail", other_org, risk.id)).status_code == 404
    assert charlie_client.post(url("risk_close", other_org, risk.id)).status_code == 404


@pytest.mark.parametrize(
    "bad",
    [{"title": ""}, {"likelihood": "6"}, {"impact": "0"}, {"impact": "abc"}, {"category": "aliens"}, {"review_date": "2026-02-31"},
     {"title": "a\x00b"}, {"status": "done"}, {"owner": "999999"}],
)
def test_bad_input_refused(alice_client, org, bad):
    response = alice_client.post(url("risk_new", org), _form(**bad))
    assert response.status_code == 200 and 'class="error"' in response.content.decode()
    assert not Risk.objects.exists()


def test_owner_must_be_a_member_and_actions_from_same_org(alice_client, org, other_org, charlie):
    foreign = ActionItem.objects.create(org=other_org, title="他社の対策")
    response = alice_client.post(url("risk_new", org), _form(owner=str(charlie.id)))
    assert response.status_code == 200 and not Risk.objects.exists()
    response = alice_client.post(url("risk_new", org), {**_form(), "actions": [str(foreign.id)]})
    assert response.status_code == 200 and not Risk.objects.exists()


def test_hostile_text_is_escaped(alice_client, org):
    alice_client.post(url("risk_new", org), _form(title="<script>alert(1)</script>", description="<img src=x onerror=alert(1)>"))
    html = alice_client.get(url("risks_home", org)).content.decode()
    assert "<script>alert(1)" not in html and "&lt;script&gt;" in html


def test_adopt_templates_once(alice_client, org):
    alice_client.post(url("risk_adopt", org), {"category": "genai"})
    assert Risk.objects.filter(org=org, category="genai").count() == 6
    alice_client.post(url("risk_adopt", org), {"category": "genai"})
    assert Risk.objects.filter(org=org, category="genai").count() == 6
    alice_client.post(url("risk_adopt", org), {"template": "cyber-voice-phishing"})
    risk = Risk.objects.get(org=org, template_id="cyber-voice-phishing")
    assert "銀行" in risk.countermeasures and risk.review_date > timezone.localdate()
    for bad in ({"template": "nope"}, {"category": "other"}, {}, {"template": "x" * 5000}):
        response = alice_client.post(url("risk_adopt", org), bad, follow=True)
        assert "ひな形が見つかりません" in response.content.decode()
    assert Risk.objects.filter(org=org).count() == 7


def test_action_item_from_risk_links_both_ways(alice_client, org, alice):
    risk = Risk.objects.create(org=org, title="フィッシング", likelihood=4, impact=4, owner=alice, countermeasures="多要素認証")
    response = alice_client.post(url("risk_action_new", org, risk.id))
    item = ActionItem.objects.get(org=org)
    assert response.status_code == 302 and item.source_type == "risks.risk" and item.source_id == risk.id
    assert list(risk.actions.all()) == [item]
    detail = alice_client.get(reverse("action_detail", args=[org.id, item.id])).content.decode()
    assert url("risk_detail", org, risk.id) in detail


def test_overdue_reviews_on_dashboard(alice_client, org):
    Risk.objects.create(org=org, title="見直しが遅れたリスク", likelihood=3, impact=3, review_date=timezone.localdate() - dt.timedelta(days=3))
    Risk.objects.create(org=org, title="終わったリスク", likelihood=3, impact=3, status="closed", review_date=timezone.localdate() - dt.timedelta(days=3))
    html = alice_client.get(reverse("dashboard", args=[org.id])).content.decode()
    assert "見直しの期限切れ 1件" in html and "見直しが遅れたリスク" in html and "終わったリスク" not in html
