"""Writes: adopting a use case into the guideline, rule files, the Q&A index and settings (audited where a person acts)."""

from __future__ import annotations

import hashlib
import logging

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sonae.aicheck.models import AiUsage
from sonae.aicheck.services import usage_record
from sonae.catalog.use_cases import UseCase, load_use_cases
from sonae.documents.models import DocumentVersion, Kind
from sonae.documents.services import DocumentError, document_create, draft_for_edit, draft_save_fields
from sonae.engines import documents as documents_engine
from sonae.engines import retrieval
from sonae.orgs.models import AuditEntry
from sonae.orgs.services import audit

from .models import AiuseSettings, RuleFile, RuleFileVersion, RulesIndex
from .selectors import ALLOWED_USES, allowed_use_rows, approved_versions_of, current_rule_files, guideline_document_of, rules_fingerprint

log = logging.getLogger(__name__)

MAX_RULE_FILES = 200


class RuleFileError(Exception):
    """A refused upload, with the reason in the user's language."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# --- adopting a use case into the 生成AI利用ガイドライン -------------------------------------------------


def allowed_use_row(use_case: UseCase) -> dict:
    """The guideline row for a use case. The guideline is written in Japanese whatever the page language."""
    department = load_use_cases().department(use_case.department)
    conditions = "\n".join(dict.fromkeys(c.text.ja for c in use_case.countermeasures))
    return {"use": use_case.title.ja, "department": department.name.ja if department else "", "conditions": conditions}


def use_case_adopt(*, org, use_case: UseCase, by) -> tuple[DocumentVersion, bool]:
    """Add the use case to the guideline's allowed uses, always in a draft: (the draft, whether it was added).

    An approved version is never changed: the owner approves the new draft as usual. Without any
    guideline yet, a new one is started (pre-filled from the organisation). Adding a use the draft
    already lists does nothing.
    """
    with transaction.atomic():
        document = guideline_document_of(org)
        if document is None:
            document = document_create(org=org, kind=Kind.AI_GUIDELINE, by=by)
        draft = draft_for_edit(document=document, by=by)
        rows = allowed_use_rows(draft)
        row = allowed_use_row(use_case)
        if any(str(r.get("use") or "").strip() == row["use"] for r in rows):
            return draft, False
        spec = documents_engine.definition(Kind.AI_GUIDELINE).section(ALLOWED_USES[0]).field(ALLOWED_USES[1])
        if len(rows) >= spec.max_rows:
            raise DocumentError(_("ガイドラインの「業務で認める用途」は%(n)d件までです。使っていない用途を下書きから削除してください。") % {"n": spec.max_rows})
        result = draft_save_fields(version=draft, values={ALLOWED_USES: rows + [row]}, by=by)
        if result.rejected:
            raise DocumentError(_("ガイドラインの下書きに追加できませんでした。下書きの「業務で認める用途」を確認してください。"), result.issues)
    return draft, True


# --- recording the use of a template (ids only, never the text unless the organisation opted in) ------------


def template_use_record(*, org, user, use_case: UseCase, department: str, found: dict, masked_text: str, store_text: bool) -> AiUsage:
    return usage_record(org=org, user=user, channel=AiUsage.Channel.PAGE, outcome=AiUsage.Outcome.CHECKED, found=found,
                        prompt_text=masked_text, store_text=store_text, use_case=use_case.id, department=department)


# --- rule files -------------------------------------------------------------------------------------------


def rule_file_upload(*, org, by, filename: str, data: bytes, title: str = "", replaces: RuleFile | None = None) -> RuleFileVersion:
    """Read and store a rule file (a new edition of `replaces`, or a new rule); refuses what cannot be read."""
    fmt = retrieval.format_of(filename)
    try:
        document = retrieval.read_document(filename, data)
    except retrieval.UnreadableDocument as exc:
        from sonae.i18n import pick

        raise RuleFileError(pick((exc.ja, exc.en))) from None
    title = (title or "").strip() or (replaces.title if replaces else "") or document.title or filename.rsplit(".", 1)[0]
    title = " ".join(title.split())[:100]
    with transaction.atomic():
        if replaces is None:
            if RuleFile.objects.filter(org=org).count() >= MAX_RULE_FILES:
                raise RuleFileError(_("規程ファイルは%(n)d件まで登録できます。") % {"n": MAX_RULE_FILES})
            rule_file = RuleFile.objects.create(org=org, title=title, created_by=by)
            audit(org=org, actor=by, action=AuditEntry.Action.CREATE, obj=rule_file, changes={"title": title})
        else:
            rule_file = RuleFile.objects.select_for_update().get(pk=replaces.pk, org=org)
            if rule_file.title != title:
                audit(org=org, actor=by, action=AuditEntry.Action.UPDATE, obj=rule_file, changes={"title": [rule_file.title, title]})
                rule_file.title = title
            rule_file.withdrawn_at = None
            rule_file.save(update_fields=["title", "withdrawn_at"])
        number = (rule_file.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
        label = f"第{number}版"
        passages = retrieval.passages_from_blocks(document.blocks, document=title, title=document.title or title,
                                                  source=f"file:{rule_file.pk}", version=label)
        version = RuleFileVersion(
            org=org, rule_file=rule_file, number=number, original_name=filename[-200:], format=fmt, size=len(data),
            sha256=hashlib.sha256(data).hexdigest(), passages=[p.to_dict() for p in passages], uploaded_by=by,
        )
        version.file.save(f"rule.{fmt}", ContentFile(data), save=False)
        version.save()
        audit(org=org, actor=by, action=AuditEntry.Action.CREATE, obj=version,
              changes={"number": number, "original_name": version.original_name, "size": len(data)})
        schedule_rules_index_rebuild(org.pk)
    return version


def rule_file_withdraw(*, rule_file: RuleFile, by) -> RuleFile:
    if rule_file.withdrawn_at is not None:
        return rule_file
    with transaction.atomic():
        rule_file.withdrawn_at = timezone.now()
        rule_file.save(update_fields=["withdrawn_at"])
        audit(org=rule_file.org, actor=by, action=AuditEntry.Action.UPDATE, obj=rule_file, changes={"withdrawn_at": [None, rule_file.withdrawn_at.isoformat()]})
        schedule_rules_index_rebuild(rule_file.org_id)
    return rule_file


# --- settings -----------------------------------------------------------------------------------------------


def aiuse_settings_save(*, org, by, model: str, answer_with_model: bool) -> AiuseSettings:
    with transaction.atomic():
        stored, _created = AiuseSettings.objects.select_for_update().get_or_create(org=org)
        changes = {}
        for name, value in (("model", model), ("answer_with_model", answer_with_model)):
            if getattr(stored, name) != value:
                changes[name] = [getattr(stored, name), value]
        stored.model = model
        stored.answer_with_model = answer_with_model
        stored.updated_by = by
        stored.save()
        audit(org=org, actor=by, action=AuditEntry.Action.UPDATE, obj=stored, changes=changes)
    return stored


# --- the Q&A index ----------------------------------------------------------------------------------------------


def _document_passages(org, version: DocumentVersion) -> list[retrieval.Passage]:
    """A current approved document as sonae's own renderer writes it (Markdown), cut into passages."""
    approved_on = timezone.localtime(version.approved_at).date() if version.approved_at else None
    label = f"第{version.number}版"
    try:
        markdown = documents_engine.render(
            version.document.kind, version.data, "md", org_name=org.name, version_label=label,
            approved_by=(version.approved_by.get_full_name() or version.approved_by.email) if version.approved_by else None,
            approved_at=approved_on,
        ).decode("utf-8")
    except documents_engine.InvalidDocument:
        log.warning("approved version %s no longer renders; left out of the rules index", version.pk)
        return []
    return retrieval.passages_from_markdown(markdown, document=version.document.title, source=f"version:{version.pk}", version=label)


def rules_index_rebuild(*, org) -> tuple[RulesIndex, retrieval.RulesIndex]:
    """Build the organisation's index from its current approved documents and rule files, and store it."""
    versions, files = approved_versions_of(org), current_rule_files(org)
    passages: list[retrieval.Passage] = []
    for version in versions:
        passages += _document_passages(org, version)
    for _rule_file, file_version in files:
        passages += [retrieval.Passage.from_dict(p) for p in file_version.passages]
    index = retrieval.RulesIndex.build(passages)
    values = {"fingerprint": rules_fingerprint(org, versions, files), "data": index.to_dict(),
              "documents": len(versions) + len(files), "passages": len(passages), "built_at": timezone.now()}
    try:
        with transaction.atomic():
            stored, _created = RulesIndex.objects.update_or_create(org=org, defaults=values)
    except IntegrityError:  # another process stored the first index of this organisation at the same moment
        RulesIndex.objects.filter(org=org).update(**values)
        stored = RulesIndex.objects.get(org=org)
    return stored, index


def schedule_rules_index_rebuild(org_id: int) -> None:
    """Rebuild in the background once the change is committed (the Q&A also rebuilds a stale index itself)."""
    from .tasks import rebuild_rules_index

    transaction.on_commit(lambda: rebuild_rules_index(org_id))
