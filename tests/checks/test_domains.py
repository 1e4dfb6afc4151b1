"""Organisation settings: own and trusted partner domains (owners only), normalised like the engine's hosts."""

from __future__ import annotations

import pytest
from django.urls import reverse

from sonae.checks.models import TrustedDomain
from sonae.checks.selectors import message_context_of
from sonae.orgs.models import AuditEntry


def domains_url(org):
    return reverse("checks_domains", args=[org.id])


@pytest.mark.parametrize("typed,stored", [
    ("yokohama-seiko.co.jp", "yokohama-seiko.co.jp"),
    ("ＹＯＫＯＨＡＭＡ－ＳＥＩＫＯ．ＣＯ．ＪＰ", "yokohama-seiko.co.jp"),  # full-width, as typed with an IME
    ("https://www.yokohama-seiko.co.jp/contact/", "www.yokohama-seiko.co.jp"),
    ("keiri@yokohama-seiko.co.jp", "yokohama-seiko.co.jp"),
    ("横浜精工.jp", "xn--estz6yeocc6w.jp"),
    ("*.yokohama-seiko.co.jp", "yokohama-seiko.co.jp"),
])
def test_owner_adds_a_domain_normalised(alice_client, org, typed, stored):
    response = alice_client.post(domains_url(org), {"domain": typed, "kind": "own", "note": "自社"})
    assert response.status_code == 302
    domain = TrustedDomain.objects.get()
    assert domain.domain == stored and domain.kind == "own" and domain.org == org
    assert AuditEntry.objects.filter(object_type="trusteddomain", action="create").exists()
    assert message_context_of(org).own_domains == (stored,)


@pytest.mark.parametrize("typed,message", [
    ("", "ドメイン名を入力してください"),
    ("co.jp", "ドメイン名として正しくありません"),
    ("192.168.1.1", "IPアドレスではなく"),
    ("not a domain", "ドメイン名を入力してください"),
    ("<script>alert(1)</script>", "ドメイン名として正しくありません"),
    ("a" * 400, "ドメイン名"),
])
def test_bad_domains_are_refused(alice_client, org, typed, message):
    response = alice_client.post(domains_url(org), {"domain": typed, "kind": "partner"})
    html = response.content.decode()
    assert response.status_code == 400 and message in html and "<script>alert(1)" not in html
    assert not TrustedDomain.objects.exists()


def test_duplicate_is_refused(alice_client, org):
    alice_client.post(domains_url(org), {"domain": "mizuho-bank.example.jp", "kind": "partner"})
    response = alice_client.post(domains_url(org), {"domain": "MIZUHO-BANK.example.jp", "kind": "own"})
    assert "すでに登録されています" in response.content.decode() and TrustedDomain.objects.count() == 1


def test_partner_domain_feeds_the_checker(alice_client, bob_client, org):
    alice_client.post(domains_url(org), {"domain": "kawasaki-shoji.co.jp", "kind": "partner", "note": "主要取引先"})
    assert message_context_of(org).trusted_domains == ("kawasaki-shoji.co.jp",)
    html = bob_client.post(reverse("checks_message", args=[org.id]),
                           {"kind": "url", "url": "https://kawasaki-shoji.co.jp.invoice-check.example.com/pay"}).content.decode()
    assert '<p class="verdict-label">危険</p>' in html


def test_owner_deletes(alice_client, org):
    alice_client.post(domains_url(org), {"domain": "kawasaki-shoji.co.jp", "kind": "partner"})
    domain = TrustedDomain.objects.get()
    assert alice_client.post(reverse("checks_domain_delete", args=[org.id, domain.id])).status_code == 302
    assert not TrustedDomain.objects.exists()
    assert AuditEntry.objects.filter(object_type="trusteddomain", action="delete").exists()


def test_viewer_gets_403_and_outsider_404(alice_client, bob_client, charlie_client, org):
    alice_client.post(domains_url(org), {"domain": "kawasaki-shoji.co.jp", "kind": "partner"})
    domain = TrustedDomain.objects.get()
    assert bob_client.get(domains_url(org)).status_code == 403
    assert bob_client.post(domains_url(org), {"domain": "evil.example.jp", "kind": "own"}).status_code == 403
    assert bob_client.post(reverse("checks_domain_delete", args=[org.id, domain.id])).status_code == 403
    assert charlie_client.get(domains_url(org)).status_code == 404
    assert charlie_client.post(reverse("checks_domain_delete", args=[org.id, domain.id])).status_code == 404
    assert TrustedDomain.objects.count() == 1


def test_another_organisations_domain_is_404(charlie_client, other_org, alice_client, org):
    alice_client.post(domains_url(org), {"domain": "kawasaki-shoji.co.jp", "kind": "partner"})
    domain = TrustedDomain.objects.get()
    assert charlie_client.post(reverse("checks_domain_delete", args=[other_org.id, domain.id])).status_code == 404
