"""Reads: which use cases the guideline allows, who uses which, the rule sources of the Q&A, who to ask."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field

from django.db.models import Count, Max

from sonae.aicheck.models import AiUsage
from sonae.catalog.use_cases import UseCase, load_use_cases
from sonae.documents.models import Document, DocumentVersion, Kind
from sonae.documents.selectors import current_approved, current_draft
from sonae.engines import retrieval
from sonae.orgs.choices import Role
from sonae.orgs.models import Membership

from .models import AiuseSettings, RuleFile, RuleFileVersion

ALLOWED_USES = ("tools", "allowed_uses")  # where the guideline lists the uses it allows


# --- the guideline's allowed uses ------------------------------------------------------------------


def guideline_document_of(org) -> Document | None:
    """The 生成AI利用ガイドライン use cases are added to: the one approved most recently, else the newest."""
    approved = (DocumentVersion.objects.filter(org=org, document__kind=Kind.AI_GUIDELINE, status=DocumentVersion.Status.APPROVED)
                .select_related("document").order_by("-approved_at", "-id").first())
    if approved is not None:
        return approved.document
    return Document.objects.filter(org=org, kind=Kind.AI_GUIDELINE).order_by("-updated_at", "-id").first()


def allowed_use_rows(version: DocumentVersion | None) -> list[dict]:
    if version is None or not isinstance(version.data, dict):
        return []
    section = version.data.get(ALLOWED_USES[0])
    rows = section.get(ALLOWED_USES[1]) if isinstance(section, dict) else None
    return [r for r in rows if isinstance(r, dict)] if isinstance(rows, list) else []


@dataclass
class Adoption:
    document: Document | None = None
    approved: DocumentVersion | None = None
    draft: DocumentVersion | None = None
    approved_titles: set[str] = field(default_factory=set)
    draft_titles: set[str] = field(default_factory=set)

    def status_of(self, use_case: UseCase) -> str:
        """"approved" (allowed by the current guideline), "draft" (added, waiting for approval) or ""."""
        title = use_case.title.ja
        if title in self.approved_titles:
            return "approved"
        if title in self.draft_titles:
            return "draft"
        return ""


def adoption_of(org) -> Adoption:
    """Which catalogue uses the guideline lists (matched by the use's Japanese title, as adopted)."""
    document = guideline_document_of(org)
    if document is None:
        return Adoption()
    approved, draft = current_approved(document), current_draft(document)
    return Adoption(
        document, approved, draft,
        {str(r.get("use") or "").strip() for r in allowed_use_rows(approved)},
        {str(r.get("use") or "").strip() for r in allowed_use_rows(draft)},
    )


# --- who uses which use case -------------------------------------------------------------------------


@dataclass
class UsageMatrix:
    departments: list  # catalogue Department objects that appear, in catalogue order ("" = not tagged last)
    rows: list[dict]  # {"use_case": UseCase, "counts": [n per department], "total": n}
    total: int


def use_case_usage(*, org, start: dt.datetime, end: dt.datetime) -> UsageMatrix:
    """Tagged uses (template checks, gateway calls, Q&A answers) per use case and department, in [start, end)."""
    catalogue = load_use_cases()
    counts = (AiUsage.objects.filter(org=org, created_at__gte=start, created_at__lt=end).exclude(use_case="")
              .values("use_case", "department").annotate(n=Count("id")))
    table: dict[str, dict[str, int]] = {}
    for row in counts:
        table.setdefault(row["use_case"], {})[row["department"]] = row["n"]
    used_departments = {d for by_department in table.values() for d in by_department}
    departments = [d for d in catalogue.departments if d.id in used_departments]
    columns = [d.id for d in departments] + ([""] if "" in used_departments else [])
    rows = []
    for use_case in catalogue.use_cases:
        by_department = table.get(use_case.id)
        if by_department:
            rows.append({"use_case": use_case, "counts": [by_department.get(c, 0) for c in columns],
                         "total": sum(by_department.values())})
    rows.sort(key=lambda r: (-r["total"], r["use_case"].number))
    return UsageMatrix(departments + ([None] if "" in used_departments else []), rows, sum(r["total"] for r in rows))


# --- the Q&A's sources -------------------------------------------------------------------------------


def current_rule_files(org) -> list[tuple[RuleFile, RuleFileVersion]]:
    """(rule file, its latest version) for every rule file not withdrawn."""
    files = list(RuleFile.objects.filter(org=org, withdrawn_at=None).order_by("title", "id"))
    latest = {}
    for version in (RuleFileVersion.objects.filter(rule_file__in=files).select_related("uploaded_by")
                    .order_by("rule_file_id", "-number")):
        latest.setdefault(version.rule_file_id, version)
    return [(f, latest[f.id]) for f in files if f.id in latest]


def approved_versions_of(org) -> list[DocumentVersion]:
    """The current approved version of every document of the organisation (基本方針, ガイドライン, 手順, 計画)."""
    return list(DocumentVersion.objects.filter(org=org, status=DocumentVersion.Status.APPROVED)
                .select_related("document", "approved_by").order_by("document__kind", "document_id"))


def rules_fingerprint(org, versions: list[DocumentVersion], files: list[tuple[RuleFile, RuleFileVersion]]) -> str:
    """A digest of everything an index is built from; any approval, upload, withdrawal or rename changes it."""
    parts = [f"engine:{retrieval.qa.INDEX_FORMAT}:{retrieval.synonyms.VOCABULARY_VERSION}:{retrieval.DEFAULT_TOKENIZER}:"
             f"{retrieval.NO_ANSWER_THRESHOLD}", f"org:{org.name}"]
    parts += [f"doc:{v.id}:{v.number}:{v.document.title}:{v.approved_at.isoformat() if v.approved_at else ''}" for v in versions]
    parts += [f"file:{v.id}:{f.title}" for f, v in files]
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


def settings_of(org) -> AiuseSettings:
    try:
        return org.aiuse_settings
    except AiuseSettings.DoesNotExist:
        return AiuseSettings(org=org)


# --- who to ask when the rules do not answer ------------------------------------------------------------


def who_to_ask(org) -> dict:
    """The guideline's contact and responsible person (latest approved), and the organisation's owners."""
    out = {"contact": "", "responsible": "", "owners": []}
    version = (DocumentVersion.objects.filter(org=org, document__kind=Kind.AI_GUIDELINE, status=DocumentVersion.Status.APPROVED)
               .order_by("-approved_at", "-id").first())
    governance = version.data.get("governance") if version is not None and isinstance(version.data, dict) else None
    if isinstance(governance, dict):
        out["contact"] = str(governance.get("contact") or "").strip()
        out["responsible"] = str(governance.get("responsible") or "").strip()
    owners = Membership.objects.filter(org=org, role=Role.OWNER).select_related("user").order_by("user__email")
    out["owners"] = [(m.user.get_full_name() or m.user.email) for m in owners]
    return out


def rule_file_counts(org) -> dict:
    return RuleFile.objects.filter(org=org).aggregate(total=Count("id"), latest=Max("created_at"))
