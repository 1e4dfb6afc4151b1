"""Versioning and approval rules, the selectors other apps call, and pre-filling (services, no pages)."""

from __future__ import annotations

import pytest

import json
from pathlib import Path

from sonae.documents.models import Acknowledgement, DocumentVersion
from sonae.documents.selectors import (
    current_approved,
    forbidden_terms_for_org,
    latest_diagnosis_answers,
    published_security_policy,
    rules_to_acknowledge,
)
from sonae.documents.services import (
    DocumentError,
    acknowledgement_record,
    document_create,
    document_share,
    draft_for_edit,
    draft_save_fields,
    prefill_from_org,
    version_approve,
)
from sonae.engines import documents as engine
from sonae.orgs.choices import Role
from sonae.orgs.models import AuditEntry, Membership

FIXTURES = Path(__file__).resolve().parents[1] / "engines" / "documents" / "fixtures"


def sample(kind: str) -> dict:
    return json.loads((FIXTURES / f"{kind.replace('-', '_')}_minato.json").read_text(encoding="utf-8"))


def _approved(org, kind, by, data=None):
    document = document_create(org=org, kind=kind, by=by, data=data or sample(kind))
    return document, version_approve(version=document.versions.get(), by=by)


@pytest.mark.parametrize("kind", engine.KINDS)
def test_prefill_from_profile_is_valid_and_names_the_org(org, kind):
    data = prefill_from_org(kind, org)
    assert not [i for i in engine.validate(kind, data) if i.severity == "error"]
    assert org.name in str(data)


def test_owner_approves_and_newer_approval_supersedes(org, alice):
    document, v1 = _approved(org, "jigyokei", alice)
    assert v1.status == "approved" and v1.approved_by == alice and v1.approved_at is not None
    v2 = draft_for_edit(document=document, by=alice)
    assert v2.number == 2 and v2.is_draft and v2.data == v1.data
    assert draft_for_edit(document=document, by=alice) == v2  # one draft at a time
    draft_save_fields(version=v2, values={("goals", "purpose"): "新しい目的"}, by=alice)
    version_approve(version=v2, by=alice)
    v1.refresh_from_db()
    assert v1.status == "superseded" and v1.data["goals"]["purpose"] != "新しい目的"  # old stays readable
    assert current_approved(document).number == 2
    assert AuditEntry.objects.filter(org=org, object_type="documentversion").count() >= 5


def test_only_owners_approve(org, alice, bob, editor):
    document = document_create(org=org, kind="security-policy", by=alice, data=sample("security-policy"))
    for user in (editor, bob):
        with pytest.raises(DocumentError):
            version_approve(version=document.versions.get(), by=user)
    assert document.versions.get().status == "draft"


def test_incomplete_draft_cannot_be_approved(org, alice):
    document = document_create(org=org, kind="jigyokei", by=alice)
    with pytest.raises(DocumentError) as error:
        version_approve(version=document.versions.get(), by=alice)
    assert error.value.issues and all(i.reason_ja for i in error.value.issues)


def test_approved_versions_never_change(org, alice):
    _document, v1 = _approved(org, "ai-guideline", alice)
    with pytest.raises(DocumentError):
        draft_save_fields(version=v1, values={("purpose", "text"): "x"}, by=alice)
    with pytest.raises(DocumentError):
        version_approve(version=v1, by=alice)


def test_invalid_field_keeps_its_stored_value(org, alice):
    document = document_create(org=org, kind="jigyokei", by=alice)
    version = document.versions.get()
    result = draft_save_fields(version=version, values={
        ("goals", "purpose"): "守る",
        ("goals", "business_overview"): "x" * 100_000,
        ("period", "start"): "2027-01", ("period", "end"): "2031-12",  # over three years
        ("name", "employees"): "たくさん",
    }, by=alice)
    version.refresh_from_db()
    # The period rule points at the end month: the start alone is fine and kept, the end is refused.
    assert set(result.saved) == {"goals.purpose", "period.start"}
    assert set(result.rejected) == {"goals.business_overview", "period.end", "name.employees"}
    assert version.data["goals"]["purpose"] == "守る" and version.data["goals"]["business_overview"] == ""
    assert version.data["period"] == {"start": "2027-01", "end": ""}
    assert any("文字以内" in i.reason_ja for i in result.issues)


def test_security_policy_publication_and_selector(org, other_org, alice, charlie):
    assert published_security_policy(org) is None
    data = sample("security-policy")
    data["publication"] = {"published": "yes", "url": "https://example.jp/security-policy"}
    _document, version = _approved(org, "security-policy", alice, data)
    assert published_security_policy(org) == version and version.published_url.endswith("/security-policy")
    assert published_security_policy(other_org) is None
    data["publication"] = {"published": "no", "url": ""}
    _approved(other_org, "security-policy", charlie, data)
    assert published_security_policy(other_org) is None


def test_forbidden_terms_come_from_latest_approved_guideline(org, other_org, alice):
    assert forbidden_terms_for_org(org) == []
    document, version = _approved(org, "ai-guideline", alice)
    terms = forbidden_terms_for_org(org)
    assert terms and terms == engine.forbidden_terms(version.data)
    draft = draft_for_edit(document=document, by=alice)
    draft_save_fields(version=draft, values={("input_rules", "forbidden_terms"): ["新規案件X"]}, by=alice)
    assert forbidden_terms_for_org(org) == terms  # drafts do not count
    version_approve(version=draft, by=alice)
    assert "新規案件X" in forbidden_terms_for_org(org)
    assert forbidden_terms_for_org(other_org) == []


def test_acknowledgements_reset_on_new_version(org, alice, bob):
    document, v1 = _approved(org, "incident-response", alice)
    assert rules_to_acknowledge(org=org, user=bob) == []  # not shared yet
    with pytest.raises(DocumentError):
        acknowledgement_record(version=v1, user=bob)
    document_share(document=document, shared=True, by=alice)
    assert [v for _d, v in rules_to_acknowledge(org=org, user=bob)] == [v1]
    acknowledgement_record(version=v1, user=bob)
    acknowledgement_record(version=v1, user=bob)  # idempotent
    assert Acknowledgement.objects.filter(user=bob).count() == 1
    assert rules_to_acknowledge(org=org, user=bob) == []
    v2 = draft_for_edit(document=document, by=alice)
    assert rules_to_acknowledge(org=org, user=bob) == []  # a draft asks nothing
    version_approve(version=v2, by=alice)
    assert [v for _d, v in rules_to_acknowledge(org=org, user=bob)] == [v2]
    with pytest.raises(DocumentError):
        acknowledgement_record(version=DocumentVersion.objects.get(pk=v1.pk), user=bob)  # old version


def test_share_needs_an_approved_version(org, alice):
    document = document_create(org=org, kind="ai-guideline", by=alice)
    with pytest.raises(DocumentError):
        document_share(document=document, shared=True, by=alice)


def test_diagnosis_answers_feed_suggestions(org, alice):
    assert latest_diagnosis_answers(org) == {}
    from sonae.assessments.services import answers_save, diagnosis_start, diagnosis_submit
    from sonae.catalog.instruments import get_instrument

    diagnosis = diagnosis_start(org=org, instrument_id="ipa-5min", by=alice)
    answers_save(diagnosis=diagnosis, values={i.id: (0 if i.number == 11 else 4) for i in get_instrument("ipa-5min").items}, by=alice)
    diagnosis_submit(diagnosis=diagnosis, by=alice)
    answers = latest_diagnosis_answers(org)
    assert "ipa-5min" in answers
    found = engine.suggestions("jigyokei", answers, prefill_from_org("jigyokei", org))
    assert any(s.source.startswith("ipa-5min") and s.path == "measures.table.D.future" for s in found)
