"""Reads of plans and rules, used by the pages, the API, the dashboard and other apps.

Other apps' contracts:
- `published_security_policy(org)` — the diagnoses area's ★★ readiness asks for a published 基本方針;
- `forbidden_terms_for_org(org)` — the AI input checker reads the 入力禁止情報リスト as its policy.
"""

from __future__ import annotations

import logging
from typing import Any

from django.apps import apps
from django.db.models import QuerySet

from sonae.engines import documents as engine
from sonae.orgs.models import Membership

from .models import Acknowledgement, Document, DocumentVersion, Kind, RuleNotice

log = logging.getLogger(__name__)


def documents_of(*, org) -> QuerySet[Document]:
    return Document.objects.filter(org=org).order_by("kind", "id")


def versions_of(document: Document) -> QuerySet[DocumentVersion]:
    return document.versions.select_related("created_by", "approved_by").order_by("-number")


def current_approved(document: Document) -> DocumentVersion | None:
    return document.versions.filter(status=DocumentVersion.Status.APPROVED).order_by("-number").first()


def current_draft(document: Document) -> DocumentVersion | None:
    return document.versions.filter(status=DocumentVersion.Status.DRAFT).order_by("-number").first()


def current_versions(documents) -> dict[int, tuple[DocumentVersion | None, DocumentVersion | None]]:
    """{document id: (current_approved, current_draft)} for many documents in one query."""
    found: dict[int, list] = {d.id: [None, None] for d in documents}
    wanted = [DocumentVersion.Status.APPROVED, DocumentVersion.Status.DRAFT]
    for version in DocumentVersion.objects.filter(document_id__in=found, status__in=wanted).order_by("document_id", "number"):
        found[version.document_id][0 if version.status == DocumentVersion.Status.APPROVED else 1] = version  # highest wins
    return {document_id: (approved, draft) for document_id, (approved, draft) in found.items()}


def latest_approved_of_kind(org, kind: str) -> DocumentVersion | None:
    """The most recently approved version of any document of `kind` in `org`."""
    return (
        DocumentVersion.objects.filter(org=org, document__kind=kind, status=DocumentVersion.Status.APPROVED)
        .select_related("document")
        .order_by("-approved_at", "-id")
        .first()
    )


def published_security_policy(org) -> DocumentVersion | None:
    """The latest approved 情報セキュリティ基本方針 that is marked published, or None (SECURITY ACTION ★★)."""
    return (
        DocumentVersion.objects.filter(
            org=org, document__kind=Kind.SECURITY_POLICY, status=DocumentVersion.Status.APPROVED, published=True
        )
        .select_related("document")
        .order_by("-approved_at", "-id")
        .first()
    )


def forbidden_terms_for_org(org) -> list[str]:
    """The 入力禁止情報リスト of the latest approved 生成AI利用ガイドライン; [] when there is none."""
    version = latest_approved_of_kind(org, Kind.AI_GUIDELINE)
    if version is None:
        return []
    return list(engine.forbidden_terms(version.data))


# --- rules reaching people -------------------------------------------------------------------------


def shared_rules(*, org) -> list[tuple[Document, DocumentVersion]]:
    """(document, current approved version) for every document the owners published to members."""
    out = []
    for document in Document.objects.filter(org=org, shared_at__isnull=False).order_by("kind", "id"):
        version = current_approved(document)
        if version is not None:
            out.append((document, version))
    return out


def rules_to_acknowledge(*, org, user) -> list[tuple[Document, DocumentVersion]]:
    """Shared rules whose current version `user` has not acknowledged yet (members only)."""
    if not Membership.objects.filter(org=org, user=user).exists():
        return []
    rules = shared_rules(org=org)
    done = set(
        Acknowledgement.objects.filter(user=user, version__in=[v for _, v in rules]).values_list("version_id", flat=True)
    )
    return [(d, v) for d, v in rules if v.id not in done]


def acknowledgement_status(version: DocumentVersion) -> list[dict[str, Any]]:
    """Every member of the organisation with their acknowledgement of `version` (or None) and the
    last notice mail they were sent about it (or None)."""
    acks = {a.user_id: a for a in Acknowledgement.objects.filter(version=version)}
    last_notice: dict[int, RuleNotice] = {}
    for notice in RuleNotice.objects.filter(version=version).order_by("sent_at", "id"):
        last_notice[notice.user_id] = notice
    rows = []
    for membership in Membership.objects.filter(org=version.org).select_related("user").order_by("user__email"):
        rows.append({"membership": membership, "user": membership.user, "ack": acks.get(membership.user_id),
                     "notice": last_notice.get(membership.user_id)})
    return rows


def last_notice_of(version: DocumentVersion) -> RuleNotice | None:
    """The most recent notice or reminder mail about `version`, to anyone."""
    return RuleNotice.objects.filter(version=version).order_by("-sent_at", "-id").first()


# --- diagnoses, when the assessments app is there ----------------------------------------------------

SUGGESTION_INSTRUMENTS = ("ipa-5min", "ransomware-ready", "genai-use")


def latest_diagnosis_answers(org) -> dict[str, dict[str, int]]:
    """{instrument id: {item id: points}} from the latest submitted run of each instrument.

    Works without `sonae.assessments` (returns {}): the builders are useful without diagnoses and
    get better with them.
    """
    if not apps.is_installed("sonae.assessments"):
        return {}
    try:
        from sonae.assessments.selectors import answers_of, latest_submitted

        out: dict[str, dict[str, int]] = {}
        for instrument_id in SUGGESTION_INSTRUMENTS:
            run = latest_submitted(org=org, instrument_id=instrument_id)
            if run is not None:
                out[instrument_id] = dict(answers_of(run))
        return out
    except Exception:  # a changing neighbour app must not break the builder
        log.exception("could not read diagnoses for suggestions")
        return {}
