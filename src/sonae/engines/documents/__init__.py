"""Documents engine: field definitions, validation, completeness, suggestions and rendering.

Pure Python: a document is a plain dict ``{section_id: {field_id: value}}``; functions return plain
data or bytes. The only files read are catalog data (public contacts for incident response).

Public contract (used by the CLI, the web builder and the API):

- ``KINDS`` — ("jigyokei", "security-policy", "ai-guideline", "incident-response")
- ``definition(kind) -> DocumentDefinition`` (``.to_dict()`` gives a JSON schema-like description
  from which the web builder renders its steps)
- ``empty_document(kind) -> dict`` with every field
- ``validate(kind, data, *, require_complete=False) -> list[Issue]`` (path + ja/en reason + severity)
- ``completeness(kind, data) -> (filled, total, percent)``
- ``suggestions(kind, diagnosis_answers, document=None) -> list[Suggestion]``
- ``apply_suggestion(document, suggestion) -> dict`` — the document with a suggestion accepted
- ``forbidden_terms(document) -> list[str]`` (the AI guideline's 入力禁止情報リスト)
- ``render(kind, data, fmt, *, org_name=None, version_label=None, approved_by=None,
  approved_at=None) -> bytes`` for fmt in ("docx", "pdf", "md"); raises InvalidDocument
- ``render_card(data, fmt, ...) -> bytes`` — the one-page いざという時カード alone
"""

from __future__ import annotations

from typing import Any

from .blocks import build
from .fields import DocumentDefinition, Issue
from .kinds import ai_guideline, incident_response, jigyokei, security_policy
from .kinds.ai_guideline import forbidden_terms
from .suggestions import Suggestion, apply_suggestion, suggestions_for
from .validation import completeness_of, empty_document as _empty_document, validate_document

__all__ = [
    "FORMATS",
    "KINDS",
    "DocumentDefinition",
    "InvalidDocument",
    "Issue",
    "Suggestion",
    "UnknownKind",
    "apply_suggestion",
    "completeness",
    "definition",
    "empty_document",
    "forbidden_terms",
    "render",
    "render_card",
    "suggestions",
    "validate",
]

_DEFINITIONS: dict[str, DocumentDefinition] = {
    module.KIND: module.DEFINITION for module in (jigyokei, security_policy, ai_guideline, incident_response)
}
KINDS: tuple[str, ...] = tuple(_DEFINITIONS)
FORMATS: tuple[str, ...] = ("docx", "pdf", "md")


class UnknownKind(ValueError):
    """The kind is not one of KINDS."""


class InvalidDocument(ValueError):
    """The document has errors; `issues` lists them (path, ja/en reason)."""

    def __init__(self, issues: list[Issue]):
        self.issues = issues
        first = issues[0] if issues else None
        super().__init__(f"{first.path}: {first.reason_en}" if first else "invalid document")


def definition(kind: str) -> DocumentDefinition:
    try:
        return _DEFINITIONS[kind]
    except (KeyError, TypeError):
        raise UnknownKind(
            f"unknown document kind {kind!r}; choose one of {', '.join(KINDS)}"
        ) from None


def empty_document(kind: str) -> dict[str, Any]:
    return _empty_document(definition(kind))


def validate(kind: str, data: Any, *, require_complete: bool = False) -> list[Issue]:
    return validate_document(definition(kind), data, require_complete=require_complete)


def completeness(kind: str, data: Any) -> tuple[int, int, int]:
    return completeness_of(definition(kind), data)


def suggestions(kind: str, diagnosis_answers: Any = None, document: dict[str, Any] | None = None) -> list[Suggestion]:
    definition(kind)
    return suggestions_for(kind, diagnosis_answers or {}, document)


def _checked(kind: str, data: Any, fmt: str) -> DocumentDefinition:
    spec = definition(kind)
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    errors = [i for i in validate_document(spec, data) if i.severity == "error"]
    if errors:
        raise InvalidDocument(errors)
    return spec


def _draw(built, fmt: str) -> bytes:
    if fmt == "md":
        from .render_md import render_markdown

        return render_markdown(built)
    if fmt == "docx":
        from .render_docx import render_docx

        return render_docx(built)
    from .render_pdf import render_pdf

    return render_pdf(built)


def render(
    kind: str,
    data: Any,
    fmt: str,
    *,
    org_name: str | None = None,
    version_label: str | None = None,
    approved_by: str | None = None,
    approved_at: Any = None,
) -> bytes:
    """Render a (possibly incomplete) document; refuses documents with errors (InvalidDocument).

    Missing required fields do not block rendering, so drafts can be previewed; call
    ``validate(kind, data, require_complete=True)`` to insist on a complete document.
    """
    spec = _checked(kind, data, fmt)
    built = build(spec, data, org_name=org_name, version_label=version_label, approved_by=approved_by,
                  approved_at=approved_at)
    return _draw(built, fmt)


def render_card(
    data: Any,
    fmt: str,
    *,
    org_name: str | None = None,
    version_label: str | None = None,
    approved_by: str | None = None,
    approved_at: Any = None,
) -> bytes:
    """The いざという時カード of an incident-response document, on one page."""
    spec = _checked(incident_response.KIND, data, fmt)
    built = build(spec, data, org_name=org_name, version_label=version_label, approved_by=approved_by,
                  approved_at=approved_at, card_only=True)
    if fmt == "pdf":
        from .render_pdf import render_pdf

        return render_pdf(built, with_title=False)
    return _draw(built, fmt)
