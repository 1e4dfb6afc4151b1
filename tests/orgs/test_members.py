"""Invitations, roles, advisors and the MFA mandate."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.test import Client

from support import PASSWORD, make_user
from sonae.orgs.models import AdvisorGrant, AuditEntry, Invitation, Membership


def create_invitation(client, org, role="viewer", path="invitations"):
    response = client.post(f"/o/{org.id}/{path}/", {"role": role, "note": "新人の佐藤さん"})
    assert response.status_code == 200
    return re.search(r'value="(http://testserver/invite/[^"]+)"', response.content.decode()).group(1).replace("http://testserver", "")


def test_invitation_signup_joins_with_role(alice_client, org):
    link = create_invitation(alice_client, org, role="editor")
    newcomer = Client()
    assert "招待" in newcomer.get(link).content.decode()
    newcomer.post("/accounts/signup/", {"email": "sato@example.jp", "password1": PASSWORD, "password2": PASSWORD})
    membership = Membership.objects.get(org=org, user__email="sato@example.jp")
    assert membership.role == "editor"
    # Reused link: refused with a clear message.
    again = Client()
    response = again.get(link)
    assert response.status_code == 410 and "すでに使われています" in response.content.decode()


def test_existing_user_accepts_invitation(alice_client, org, charlie, other_org):
    link = create_invitation(alice_client, org)
    c = Client()
    c.force_login(charlie)
    assert c.post(link).status_code == 302
    assert Membership.objects.get(org=org, user=charlie).role == "viewer"
    assert AuditEntry.objects.filter(org=org, object_type="membership", action="create").count() >= 2


def test_expired_and_revoked_invitations(alice_client, org, charlie):
    link = create_invitation(alice_client, org)
    invitation = Invitation.objects.get(org=org)
    c = Client()
    c.force_login(charlie)
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(days=8)):
        response = c.post(link)
        assert response.status_code == 410 and "有効期限" in response.content.decode()
    alice_client.post(f"/o/{org.id}/invitations/{invitation.id}/revoke/")
    response = c.post(link)
    assert response.status_code == 410 and "取り消" in response.content.decode()
    assert not Membership.objects.filter(org=org, user=charlie).exists()


def test_bad_invitation_tokens(client, db):
    for token in ("nope", "x" * 3000, "%00", "<script>"):
        response = client.get(f"/invite/{token}/")
        assert response.status_code == 404
        assert b"<script>" not in response.content


def test_invitation_form_refuses_bad_role(alice_client, org):
    response = alice_client.post(f"/o/{org.id}/invitations/", {"role": "superuser", "note": "x"})
    assert response.status_code == 200 and not Invitation.objects.exists()
    response = alice_client.post(f"/o/{org.id}/invitations/", {"role": "viewer", "note": "a\x07b"})
    assert "制御文字" in response.content.decode() and not Invitation.objects.exists()


def test_role_change_and_last_owner(alice_client, org, alice, bob):
    bob_membership = Membership.objects.get(org=org, user=bob)
    alice_client.post(f"/o/{org.id}/members/{bob_membership.id}/role/", {"role": "editor"})
    bob_membership.refresh_from_db()
    assert bob_membership.role == "editor"
    alice_membership = Membership.objects.get(org=org, user=alice)
    response = alice_client.post(f"/o/{org.id}/members/{alice_membership.id}/role/", {"role": "viewer"}, follow=True)
    assert "オーナーが一人もいなくなる" in response.content.decode()
    alice_membership.refresh_from_db()
    assert alice_membership.role == "owner"
    response = alice_client.post(f"/o/{org.id}/members/{alice_membership.id}/role/", {"role": "god"}, follow=True)
    assert "正しくありません" in response.content.decode()


def test_other_orgs_membership_id_is_404(alice_client, org, other_org, charlie):
    foreign = Membership.objects.get(org=other_org, user=charlie)
    response = alice_client.post(f"/o/{org.id}/members/{foreign.id}/remove/")
    assert response.status_code == 404
    assert Membership.objects.filter(pk=foreign.pk).exists()


def test_advisor_grant_portfolio_and_revoke(alice_client, org, db):
    link = create_invitation(alice_client, org, role="editor", path="advisors")
    advisor = make_user("shindanshi@example.jp")
    c = Client()
    c.force_login(advisor)
    c.post(link, {"advisor_org_name": "横浜診断士事務所"})
    grant = AdvisorGrant.objects.get(org=org, advisor=advisor)
    assert grant.role == "editor" and grant.is_active
    assert org.name in c.get("/advisor/").content.decode()
    assert c.get(f"/o/{org.id}/").status_code == 200
    # Advisors are not owners: settings stay closed.
    assert c.get(f"/o/{org.id}/settings/").status_code == 403
    alice_client.post(f"/o/{org.id}/advisors/{grant.id}/revoke/")
    assert c.get(f"/o/{org.id}/").status_code == 404
    assert org.name not in c.get("/advisor/").content.decode()


def test_mfa_mandate_redirects_members_without_totp(alice_client, org, bob_client):
    org.require_mfa = True
    org.save()
    response = bob_client.get(f"/o/{org.id}/")
    assert response.status_code == 302 and response["Location"] == f"/o/{org.id}/mfa-required/"
    assert "多要素認証" in bob_client.get(response["Location"]).content.decode()


def test_mfa_totp_enrolment(client, alice, org):
    """Enrol TOTP through allauth's own pages with a code computed from the shown secret."""
    from allauth.mfa.totp.internal.auth import hotp_value
    import time

    client.force_login(alice)
    client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    page = client.get("/accounts/2fa/totp/activate/")
    assert page.status_code == 200
    secret = page.context["form"].secret
    code = f"{hotp_value(secret, int(time.time()) // 30):06d}"
    response = client.post("/accounts/2fa/totp/activate/", {"code": code})
    assert response.status_code == 302
    from allauth.mfa.models import Authenticator

    assert Authenticator.objects.filter(user=alice, type="totp").exists()
    assert Authenticator.objects.filter(user=alice, type="recovery_codes").exists()
