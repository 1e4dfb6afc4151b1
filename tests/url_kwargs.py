"""How the URL-walking test fills URL parameters other than org_id.

Each entry makes (or finds) an object of that kind in the given organisation and returns its id.
When you add a URL with a new parameter, add a maker here: the walking test fails for unknown names.
"""

from __future__ import annotations

import secrets

from sonae.orgs.choices import Role


def _membership(org, owner, viewer):
    return org.memberships.get(user=viewer).id


def _invitation(org, owner, viewer):
    from sonae.orgs.services import invitation_create

    return invitation_create(org=org, by=owner, role=Role.VIEWER)[0].id


def _advisor_grant(org, owner, viewer):
    from django.contrib.auth import get_user_model

    from sonae.orgs.models import AdvisorGrant

    advisor = get_user_model().objects.create_user(username="adv-" + secrets.token_hex(4), email=f"adv-{secrets.token_hex(4)}@example.jp", password="x-Very-long-pass-1")
    return AdvisorGrant.objects.create(org=org, advisor=advisor, role=Role.VIEWER, granted_by=owner).id


def _api_token(org, owner, viewer):
    from sonae.api.models import ApiToken
    from sonae.orgs.models import hash_token

    return ApiToken.objects.create(user=viewer, org=org, name="t", prefix="sonae_x", token_hash=hash_token(secrets.token_hex(8))).id


def _diagnosis(org, owner, viewer):
    # A submitted IPA run, so results, exports and history pages all have something to show.
    from sonae.assessments.services import answers_save, diagnosis_start, diagnosis_submit
    from sonae.catalog.instruments import get_instrument

    diagnosis = diagnosis_start(org=org, instrument_id="ipa-5min", by=owner)
    answers_save(diagnosis=diagnosis, values={i.id: 2 for i in get_instrument("ipa-5min").items}, by=owner)
    return diagnosis_submit(diagnosis=diagnosis, by=owner).id


def _instrument(org, owner, viewer):
    return "ipa-5min"


def _policy_evidence(org, owner, viewer):
    import datetime as dt

    from sonae.assessments.models import PolicyEvidence

    from django.core.files.base import ContentFile

    evidence = PolicyEvidence(org=org, title="情報セキュリティ基本方針", published_url="https://example.jp/policy", published_on=dt.date(2026, 4, 1))
    evidence.file.save("policy.txt", ContentFile("基本方針".encode()), save=True)
    return evidence.id


def _action_item(org, owner, viewer):
    from sonae.actions.models import ActionItem

    return ActionItem.objects.create(org=org, title="バックアップの復元を試す", created_by=owner).id


URL_KWARG_MAKERS = {
    "membership_id": _membership,
    "invitation_id": _invitation,
    "grant_id": _advisor_grant,
    "token_id": _api_token,
    "diagnosis_id": _diagnosis,
    "instrument_id": _instrument,
    "evidence_id": _policy_evidence,
    "action_id": _action_item,
}


def _document(org, owner, viewer):
    from sonae.documents.services import document_create

    return document_create(org=org, kind="jigyokei", by=owner).id


def _document_version(org, owner, viewer):
    # An incident-response draft: every version page (builder, downloads, the card PDF) opens for it.
    from sonae.documents.services import document_create

    return document_create(org=org, kind="incident-response", by=owner).versions.get().id


URL_KWARG_MAKERS["document_id"] = _document
URL_KWARG_MAKERS["version_id"] = _document_version
URL_KWARG_MAKERS["doc_format"] = lambda org, owner, viewer: "md"


def _gateway_token(org, owner, viewer):
    from sonae.aicheck.services import gateway_token_create

    return gateway_token_create(org=org, user=viewer, name="t")[0].id


def _risk(org, owner, viewer):
    from sonae.risks.models import Risk

    return Risk.objects.create(org=org, title="ランサムウェア", category="cyber", likelihood=3, impact=5, created_by=owner).id


URL_KWARG_MAKERS["gateway_token_id"] = _gateway_token
URL_KWARG_MAKERS["risk_id"] = _risk


def _incident(org, owner, viewer):
    # A reported mail with a file, so the inbox page, the report page and the .eml download all open.
    # Reported by the viewer: the reporter's own page (checks_my_report, /checks/mine/<id>/) opens for
    # the viewer and is a 404 for the owner (see REPORTER_ONLY in test_url_access.py).
    from sonae.checks.checking import run_check
    from sonae.checks.services import incident_report_file

    raw = "From: 配送センター <info@delivery-check.example.top>\r\nSubject: お荷物のお届けについて\r\n\r\nお荷物を持ち帰りました https://delivery-check.example.top/x\r\n".encode()
    return incident_report_file(org=org, by=viewer, report=run_check("mail", raw, org), submitted=raw).id


def _trusted_domain(org, owner, viewer):
    from sonae.checks.services import trusted_domain_add

    return trusted_domain_add(org=org, by=owner, domain="yokohama-seiko.example.jp", kind="own").id


URL_KWARG_MAKERS["incident_id"] = _incident
URL_KWARG_MAKERS["trusted_domain_id"] = _trusted_domain


def _asset(org, owner, viewer):
    from sonae.assets.services import asset_save

    return asset_save(org=org, by=owner, kind="vpn", name="VPN", vendor="SonicWall", product="SonicOS").id


URL_KWARG_MAKERS["asset_id"] = _asset

def _own_training(org, owner, viewer):
    # With a real PDF, so the download page opens too.
    from django.core.files.base import ContentFile

    from sonae.learning.services import own_training_save
    from support import tiny_pdf

    upload = ContentFile(tiny_pdf(), name="training.pdf")
    return own_training_save(org=org, by=owner, title="社内研修 情報セキュリティ入門", url="https://example.jp/training",
                             topics=["suspicious-mail"], description="", upload=upload).id


def _assignment(org, owner, viewer):
    # Assigned to everyone, so the viewer sees it as their own and the owner sees who finished.
    import datetime as dt

    from sonae.learning.services import assignment_create

    return assignment_create(org=org, by=owner, training_key="ipa-karei-04", everyone=True, members=[],
                             due_date=dt.date.today() + dt.timedelta(days=14)).id


def _quiz_play(org, owner, viewer):
    # Played by the viewer: their own play, a 404 for everyone else (REPORTER_ONLY in test_url_access.py).
    from sonae.learning.services import quiz_start

    return quiz_start(org=org, user=viewer, count=3, seed=1).id


URL_KWARG_MAKERS["training_key"] = lambda org, owner, viewer: "ipa-karei-04"
URL_KWARG_MAKERS["own_training_id"] = _own_training
URL_KWARG_MAKERS["assignment_id"] = _assignment
URL_KWARG_MAKERS["export_format"] = lambda org, owner, viewer: "csv"
URL_KWARG_MAKERS["play_id"] = _quiz_play


def _calendar_feed(org, owner, viewer):
    from sonae.loop.services import calendar_feed_create

    return calendar_feed_create(org=org, user=viewer)[0].id


URL_KWARG_MAKERS["feed_id"] = _calendar_feed
