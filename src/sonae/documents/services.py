"""Writes to plans and rules; each records an audit entry.

Versioning rules (issue 6): a document has at most one draft; an owner approves a draft (who and when
recorded) and the previously approved version becomes superseded; editing an approved document starts a
new draft copied from it; approved and superseded versions never change again.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from sonae.engines import documents as engine
from sonae.engines.documents.fields import Issue
from sonae.orgs.choices import Role
from sonae.orgs.models import AuditEntry, Membership, role_at_least
from sonae.orgs.services import audit

from .models import Acknowledgement, Document, DocumentVersion, Kind
from .selectors import current_approved, current_draft
from .tasks import notify_rule_members


class DocumentError(Exception):
    """A refused write, with a Japanese message for the user and the engine's issues if any."""

    def __init__(self, message: str, issues: list[Issue] | None = None):
        super().__init__(message)
        self.message = message
        self.issues = issues or []


# --- pre-filling -------------------------------------------------------------------------------------


def prefill_from_org(kind: str, org) -> dict[str, Any]:
    """An empty document of `kind` with what the organisation profile already says."""
    data = engine.empty_document(kind)
    if kind == Kind.JIGYOKEI:
        data["name"]["name"] = org.name
        data["name"]["applicant_type"] = "corporation" if org.corporate_number else ""
        data["name"]["corporate_number"] = org.corporate_number or ""
        with translation.override("ja"):  # the plan is written in Japanese whatever language the page is in
            data["name"]["industry"] = str(org.get_industry_display())
        data["cover"]["prefecture"] = org.prefecture
    elif kind in (Kind.SECURITY_POLICY, Kind.AI_GUIDELINE, Kind.INCIDENT_RESPONSE):
        data["organisation"]["org_name"] = org.name
        if kind == Kind.INCIDENT_RESPONSE:
            data["organisation"]["prefecture"] = "kanagawa" if org.prefecture == "神奈川県" else "other"
    # Only keep what the engine accepts, so a profile value can never make a draft invalid.
    for issue in engine.validate(kind, data):
        if issue.severity == "error":
            section, _dot, field = issue.path.partition(".")
            field = field.split(".")[0].split("[")[0]
            if section in data and field in data[section]:
                data[section][field] = engine.empty_document(kind)[section][field]
    return data


# --- documents and drafts ------------------------------------------------------------------------------


def document_create(*, org, kind: str, by, title: str = "", data: dict[str, Any] | None = None) -> Document:
    if kind not in Kind.values:
        raise DocumentError(_("文書の種類が正しくありません。"))
    title = (title or "").strip() or str(Kind(kind).label)
    if len(title) > 100 or any(ord(c) < 32 for c in title):
        raise DocumentError(_("題名は改行や制御文字を含まない100文字以内で入力してください。"))
    if data is None:
        data = prefill_from_org(kind, org)
    else:
        _refuse_errors(kind, data)
    with transaction.atomic():
        document = Document.objects.create(org=org, kind=kind, title=title, created_by=by)
        version = DocumentVersion.objects.create(org=org, document=document, number=1, data=data, created_by=by)
        audit(org=org, actor=by, action=AuditEntry.Action.CREATE, obj=document, changes={"kind": kind, "title": title})
        audit(org=org, actor=by, action=AuditEntry.Action.CREATE, obj=version, changes={"number": 1, "status": version.status})
    return document


def draft_for_edit(*, document: Document, by) -> DocumentVersion:
    """The document's draft; when there is none, a new one copied from the latest version."""
    with transaction.atomic():
        Document.objects.select_for_update().filter(pk=document.pk).first()
        draft = current_draft(document)
        if draft is not None:
            return draft
        latest = document.versions.order_by("-number").first()
        number = (document.versions.aggregate(m=Max("number"))["m"] or 0) + 1
        data = copy.deepcopy(latest.data) if latest else prefill_from_org(document.kind, document.org)
        draft = DocumentVersion.objects.create(org=document.org, document=document, number=number, data=data, created_by=by)
        audit(org=document.org, actor=by, action=AuditEntry.Action.CREATE, obj=draft,
              changes={"number": number, "status": draft.status, "copied_from": latest.number if latest else None})
    return draft


def _errors(issues: list[Issue]) -> list[Issue]:
    return [i for i in issues if i.severity == "error"]


def _refuse_errors(kind: str, data: Any) -> None:
    errors = _errors(engine.validate(kind, data))
    if errors:
        raise DocumentError(_("入力内容に誤りがあります。"), errors)


def _belongs(issue_path: str, section: str, field: str) -> bool:
    base = f"{section}.{field}"
    return issue_path == base or issue_path.startswith(base + ".") or issue_path.startswith(base + "[")


def _require_draft(version: DocumentVersion) -> None:
    if not version.is_draft:
        raise DocumentError(_("承認済みの版は変更できません。編集すると新しい下書きが作られます。"))


@dataclass
class SaveResult:
    saved: list[str]  # "section.field" paths written
    rejected: list[str]  # paths kept at their stored value because of errors
    issues: list[Issue]  # problems of the submitted values (errors and warnings)


def draft_save_fields(*, version: DocumentVersion, values: dict[tuple[str, str], Any], by) -> SaveResult:
    """Write the submitted fields of a draft; a field whose value has errors keeps its stored value.

    So autosave never loses what is already saved, and never stores what the engine would refuse to
    render. Issues are reported for the values as submitted, for the builder to show beside the fields.
    """
    _require_draft(version)
    kind = version.kind
    with transaction.atomic():
        version = DocumentVersion.objects.select_for_update().get(pk=version.pk)
        _require_draft(version)
        stored = version.data if isinstance(version.data, dict) else {}
        candidate = copy.deepcopy(stored)
        for (section, field), value in values.items():
            candidate.setdefault(section, {})[field] = value
        submitted_issues = [
            i for i in engine.validate(kind, candidate) if any(_belongs(i.path, s, f) for s, f in values)
        ]
        rejected: set[tuple[str, str]] = set()
        issues = _errors(engine.validate(kind, candidate))
        for _round in range(4):  # a rule may tie two fields (実施期間 start/end): revert until clean
            bad = {(s, f) for (s, f) in values if (s, f) not in rejected and any(_belongs(i.path, s, f) for i in issues)}
            if not bad:
                break
            rejected |= bad
            for section, field in bad:
                old = stored.get(section, {}).get(field) if isinstance(stored.get(section), dict) else None
                candidate[section][field] = old if old is not None else engine.empty_document(kind)[section][field]
            issues = _errors(engine.validate(kind, candidate))
        saved = [(s, f) for (s, f) in values if (s, f) not in rejected
                 and (stored.get(s, {}) if isinstance(stored.get(s), dict) else {}).get(f) != values[(s, f)]]
        if saved:
            version.data = candidate
            version.updated_at = timezone.now()
            version.save(update_fields=["data", "updated_at"])
            Document.objects.filter(pk=version.document_id).update(updated_at=version.updated_at)
            audit(org=version.org, actor=by, action=AuditEntry.Action.UPDATE, obj=version,
                  changes={"fields": [f"{s}.{f}" for s, f in saved]})
    return SaveResult([f"{s}.{f}" for s, f in saved], [f"{s}.{f}" for s, f in sorted(rejected)], submitted_issues)


def draft_replace(*, version: DocumentVersion, data: Any, by) -> DocumentVersion:
    """Replace a draft's whole content (the API); refused with the engine's issues when invalid."""
    _require_draft(version)
    _refuse_errors(version.kind, data)
    with transaction.atomic():
        version = DocumentVersion.objects.select_for_update().get(pk=version.pk)
        _require_draft(version)
        version.data = data
        version.updated_at = timezone.now()
        version.save(update_fields=["data", "updated_at"])
        audit(org=version.org, actor=by, action=AuditEntry.Action.UPDATE, obj=version, changes={"replaced": True})
    return version


def table_add_row(*, version: DocumentVersion, section: str, field: str, by) -> None:
    spec = engine.definition(version.kind).section(section).field(field)
    rows = version.data.get(section, {}).get(field)
    rows = rows if isinstance(rows, list) else []
    if len(rows) >= spec.max_rows:
        raise DocumentError(_("これ以上行を追加できません (最大%(n)d行)。") % {"n": spec.max_rows})
    draft_save_fields(version=version, values={(section, field): rows + [{c.id: c.empty_value() for c in spec.columns}]}, by=by)


def table_remove_row(*, version: DocumentVersion, section: str, field: str, index: int, by) -> None:
    rows = version.data.get(section, {}).get(field)
    if not isinstance(rows, list) or not 0 <= index < len(rows):
        raise DocumentError(_("削除する行が見つかりません。"))
    draft_save_fields(version=version, values={(section, field): rows[:index] + rows[index + 1:]}, by=by)


def suggestion_accept(*, version: DocumentVersion, suggestion, by) -> SaveResult:
    """Copy a suggestion into its field (the user edits it afterwards like any text)."""
    from sonae.engines.documents.suggestions import apply_suggestion

    _require_draft(version)
    updated = apply_suggestion(version.data, suggestion)
    section = suggestion.path.split(".")[0]
    field = suggestion.path.split(".")[1].split("[")[0]
    result = draft_save_fields(version=version, values={(section, field): updated[section][field]}, by=by)
    if result.rejected:
        raise DocumentError(_("提案を取り込むと入力欄の制限を超えます。先に欄の内容を短くしてください。"), result.issues)
    return result


# --- approval, publication, acknowledgement ------------------------------------------------------------


def _require_owner(org, user) -> None:
    membership = Membership.objects.filter(org=org, user=user).first()
    if membership is None or not role_at_least(membership.role, Role.OWNER):
        raise DocumentError(_("承認できるのはオーナーだけです。"))


def version_approve(*, version: DocumentVersion, by) -> DocumentVersion:
    """Approve a complete draft (owners only); the previously approved version becomes superseded."""
    _require_owner(version.org, by)
    with transaction.atomic():
        version = DocumentVersion.objects.select_for_update().select_related("document").get(pk=version.pk)
        if not version.is_draft:
            raise DocumentError(_("この版はすでに承認済みか旧版です。"))
        problems = _errors(engine.validate(version.kind, version.data, require_complete=True))
        if problems:
            raise DocumentError(_("承認する前に、未入力の必須項目と誤りを直してください。"), problems)
        previous = list(DocumentVersion.objects.select_for_update().filter(
            document=version.document, status=DocumentVersion.Status.APPROVED))
        for old in previous:
            old.status = DocumentVersion.Status.SUPERSEDED
            old.save(update_fields=["status"])
            audit(org=version.org, actor=by, action=AuditEntry.Action.UPDATE, obj=old,
                  changes={"status": [DocumentVersion.Status.APPROVED, DocumentVersion.Status.SUPERSEDED]})
        now = timezone.now()
        version.status = DocumentVersion.Status.APPROVED
        version.approved_by = by
        version.approved_at = now
        version.updated_at = now
        if version.kind == Kind.SECURITY_POLICY:
            publication = version.data.get("publication") or {}
            version.published = publication.get("published") == "yes"
            version.published_url = (publication.get("url") or "") if version.published else ""
        version.save()
        audit(org=version.org, actor=by, action=AuditEntry.Action.UPDATE, obj=version,
              changes={"status": [DocumentVersion.Status.DRAFT, DocumentVersion.Status.APPROVED],
                       "approved_by": by.email, "published": version.published})
        if version.document.is_shared:  # members are asked to read the new version: tell them
            _notify_members_on_commit(version.document)
        _reindex_rules_on_commit(version.org_id)
    return version


def _reindex_rules_on_commit(org_id: int) -> None:
    """The 社内ルールQ&A answers from approved versions only: rebuild its index once the approval is committed."""
    from django.apps import apps

    if apps.is_installed("sonae.aiuse"):
        from sonae.aiuse.services import schedule_rules_index_rebuild

        schedule_rules_index_rebuild(org_id)


def _notify_members_on_commit(document: Document) -> None:
    """Queue the notice mails once the change is committed (the worker must see it)."""
    document_id = document.pk
    transaction.on_commit(lambda: notify_rule_members(document_id))


def version_set_publication(*, version: DocumentVersion, published: bool, url: str, by) -> DocumentVersion:
    """Record whether (and where) an approved 基本方針 is published on the organisation's website."""
    if version.kind != Kind.SECURITY_POLICY:
        raise DocumentError(_("公開の設定は情報セキュリティ基本方針だけのものです。"))
    if not version.is_approved:
        raise DocumentError(_("公開できるのは現在の承認済みの版だけです。"))
    old = (version.published, version.published_url)
    version.published = published
    version.published_url = url if published else ""
    version.save(update_fields=["published", "published_url"])
    audit(org=version.org, actor=by, action=AuditEntry.Action.UPDATE, obj=version,
          changes={"published": [old[0], version.published], "published_url": [old[1], version.published_url]})
    return version


def document_share(*, document: Document, shared: bool, by) -> Document:
    """Publish (or withdraw) a rule to the members, who are then asked to acknowledge it."""
    if shared and current_approved(document) is None:
        raise DocumentError(_("メンバーに公開できるのは承認済みの文書だけです。先に承認してください。"))
    document.shared_at = timezone.now() if shared else None
    document.shared_by = by if shared else None
    with transaction.atomic():
        document.save(update_fields=["shared_at", "shared_by"])
        audit(org=document.org, actor=by, action=AuditEntry.Action.UPDATE, obj=document, changes={"shared": shared})
        if shared:
            _notify_members_on_commit(document)
    return document


def acknowledgement_record(*, version: DocumentVersion, user) -> Acknowledgement:
    """A member confirms reading the current version of a shared rule (once per version)."""
    version = DocumentVersion.objects.select_related("document").get(pk=version.pk)  # fresh status and sharing
    document = version.document
    if not document.is_shared or not version.is_approved:
        raise DocumentError(_("確認できるのは、メンバーに公開されている現在の版だけです。"))
    if not Membership.objects.filter(org=version.org, user=user).exists():
        raise DocumentError(_("確認はこの組織のメンバーが行います。"))
    with transaction.atomic():
        ack, created = Acknowledgement.objects.get_or_create(version=version, user=user, defaults={"org": version.org})
        if created:
            audit(org=version.org, actor=user, action=AuditEntry.Action.CREATE, obj=ack,
                  changes={"version": version.number, "document": document.title})
    return ack
