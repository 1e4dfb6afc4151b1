"""Pages of ルール・計画: the list, the guided builder, versions, approval, exports and acknowledgements."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from sonae.catalog.documents import merits_status
from sonae.engines import documents as engine
from sonae.i18n import pick
from sonae.orgs.access import OrgAccess, org_view
from sonae.orgs.choices import Role
from sonae.orgs.mailing import mail_is_configured

from . import builder
from .models import Document, DocumentVersion, Kind
from .selectors import (
    acknowledgement_status,
    current_approved,
    current_draft,
    current_versions,
    documents_of,
    last_notice_of,
    latest_diagnosis_answers,
    rules_to_acknowledge,
    shared_rules,
    versions_of,
)
from .services import (
    DocumentError,
    acknowledgement_record,
    document_create,
    document_share,
    draft_for_edit,
    draft_save_fields,
    suggestion_accept,
    table_add_row,
    table_remove_row,
    version_approve,
    version_set_publication,
)

TOKYO = ZoneInfo("Asia/Tokyo")
KIND_INTRO = {
    Kind.JIGYOKEI: gettext_lazy("経済産業大臣が認定する簡易なBCPです。電子申請の項目の順に、自然災害とサイバー攻撃への備えを書きます。"),
    Kind.SECURITY_POLICY: gettext_lazy("SECURITY ACTION 二つ星の宣言に必要な方針です。IPAの見出しに沿って作り、自社サイトで公開します。"),
    Kind.AI_GUIDELINE: gettext_lazy("JDLAのひな形の構成に沿った社内ルールです。入力禁止情報リストはAI入力チェッカーの設定になります。"),
    Kind.INCIDENT_RESPONSE: gettext_lazy("ランサムウェアや詐欺に遭ったときの最初の手順と連絡先です。パソコンの横に置く「いざという時カード」も作れます。"),
}
CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "md": "text/markdown; charset=utf-8",
}
_UNSAFE_FILENAME = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')


# --- access helpers: always through the organisation ------------------------------------------------


def get_document_for_user(access: OrgAccess, document_id: int) -> Document:
    return get_object_or_404(Document, org=access.org, id=document_id)


def get_version_for_user(access: OrgAccess, version_id: int) -> DocumentVersion:
    return get_object_or_404(DocumentVersion.objects.select_related("document", "approved_by", "created_by"),
                             org=access.org, id=version_id)


def _person(user) -> str:
    return (user.get_full_name() or user.email) if user else ""


def _today_tokyo() -> dt.date:
    return dt.datetime.now(TOKYO).date()


def _render_meta(version: DocumentVersion) -> dict:
    # The documents are Japanese whatever language the page is in, so the status printed in them is too.
    with translation.override("ja"):
        status = str(version.get_status_display())
    return {
        "org_name": version.org.name,
        "version_label": f"第{version.number}版" + ("" if version.is_approved else f" ({status})"),
        "approved_by": _person(version.approved_by) or None,
        "approved_at": version.approved_at.astimezone(TOKYO).date() if version.approved_at else None,
    }


# --- list and creation --------------------------------------------------------------------------------


@org_view(read=Role.VIEWER, write=Role.EDITOR)
def documents_home(request: HttpRequest, org) -> HttpResponse:
    documents = list(documents_of(org=org))
    current = current_versions(documents)
    by_kind = []
    for kind in Kind:
        docs = []
        for document in (d for d in documents if d.kind == kind):
            approved, draft = current[document.id]
            docs.append({"document": document, "approved": approved, "draft": draft})
        by_kind.append({"kind": kind, "label": kind.label, "intro": KIND_INTRO[kind], "documents": docs})
    return render(request, "documents/home.html", {
        "org": org, "by_kind": by_kind,
        "to_acknowledge": rules_to_acknowledge(org=org, user=request.user),
    })


@org_view(read=Role.EDITOR, write=Role.EDITOR)
@require_POST
def document_new(request: HttpRequest, org) -> HttpResponse:
    try:
        document = document_create(org=org, kind=request.POST.get("kind", ""), title=request.POST.get("title", ""),
                                   by=request.user)
    except DocumentError as error:
        messages.error(request, error.message)
        return redirect("documents_home", org_id=org.id)
    messages.success(request, _("下書きを作りました。項目を順に入力してください。入力内容は自動で保存されます。"))
    return redirect("document_builder", org_id=org.id, version_id=current_draft(document).id)


@org_view(read=Role.VIEWER, write=Role.EDITOR)
def document_detail(request: HttpRequest, org, document_id: int) -> HttpResponse:
    document = get_document_for_user(request.org_access, document_id)
    versions = list(versions_of(document))
    approved = next((v for v in versions if v.is_approved), None)
    context = {
        "org": org, "document": document, "versions": versions, "approved": approved,
        "draft": next((v for v in versions if v.is_draft), None),
        "merits": merits_status(_today_tokyo()) if document.kind == Kind.JIGYOKEI else None,
        "ack_count": approved.acknowledgements.count() if approved else 0,
    }
    return render(request, "documents/detail.html", context)


@org_view(read=Role.EDITOR, write=Role.EDITOR)
@require_POST
def document_edit(request: HttpRequest, org, document_id: int) -> HttpResponse:
    document = get_document_for_user(request.org_access, document_id)
    draft = draft_for_edit(document=document, by=request.user)
    return redirect("document_builder", org_id=org.id, version_id=draft.id)


@org_view(read=Role.OWNER, write=Role.OWNER)
@require_POST
def document_share_view(request: HttpRequest, org, document_id: int) -> HttpResponse:
    document = get_document_for_user(request.org_access, document_id)
    shared = request.POST.get("shared") == "1"
    try:
        document_share(document=document, shared=shared, by=request.user)
    except DocumentError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("メンバーに公開しました。各メンバーに確認をお願いします。") if shared
                         else _("メンバーへの公開をやめました。"))
    return redirect("document_detail", org_id=org.id, document_id=document.id)


# --- the builder ----------------------------------------------------------------------------------------


def _step_of(kind: str, step_id: str | None):
    steps = builder.steps_of(kind)
    for index, section in enumerate(steps):
        if section.id == step_id:
            return steps, index
    return steps, 0


def _suggestions_for(version: DocumentVersion, data: dict) -> list:
    from sonae.engines.documents.suggestions import apply_suggestion

    answers = latest_diagnosis_answers(version.org)
    out = []
    for suggestion in engine.suggestions(version.kind, answers, data):
        if not suggestion.path.endswith("[+]"):
            try:
                if apply_suggestion(data, suggestion) == data:
                    continue  # already in the document
            except (ValueError, AttributeError, TypeError):
                continue
        else:
            section, field = suggestion.path[:-3].split(".")
            rows = (data.get(section) or {}).get(field) or []
            if isinstance(rows, list) and suggestion.value in rows:
                continue
        out.append(suggestion)
    return out


def _suggestion_view(s) -> dict:
    value = s.value
    if isinstance(value, dict):
        text = " / ".join(str(v) for v in value.values() if v)
    elif isinstance(value, list):
        text = "、".join(f"{m}月" if isinstance(m, int) else str(m) for m in value)
    else:
        text = str(value)
    return {"id": s.id, "path": s.path, "text": text, "reason": pick((s.reason_ja, s.reason_en)),
            "from_diagnosis": s.source != "baseline", "field": s.path.split(".")[1].split("[")[0]}


@org_view(read=Role.EDITOR, write=Role.EDITOR)
def document_builder(request: HttpRequest, org, version_id: int) -> HttpResponse:
    version = get_version_for_user(request.org_access, version_id)
    if not version.is_draft:
        messages.info(request, _("この版は承認済みのため編集できません。「編集する」で新しい下書きを作ってください。"))
        return redirect("document_version", org_id=org.id, version_id=version.id)
    kind = version.kind
    steps, index = _step_of(kind, request.GET.get("step") or request.POST.get("step"))
    section = steps[index]
    shown = version.data
    issues: list = []
    tampered: list[str] = []
    if request.method == "POST":
        values, tampered = builder.parse_step(kind, section, request.POST)
        try:
            result = draft_save_fields(version=version, values=values, by=request.user)
            version.refresh_from_db()
            issues = result.issues
            problem = bool(result.rejected) or bool(tampered)
            action = request.POST.get("action", "")
            if not problem and (request.POST.get("add_row") or request.POST.get("remove_row")):
                _row_action(request, version, section)
                version.refresh_from_db()
            if tampered:
                messages.error(request, _("この画面にない項目が送られてきたため、その項目は保存しませんでした。"))
        except DocumentError as error:
            messages.error(request, error.message)
            return redirect(_builder_url(org, version, section.id))
        if request.headers.get("HX-Request"):
            return _autosave_response(request, version, section, issues, result, tampered)
        if problem:
            # Show what the user typed, with the reasons, instead of the stored values: nothing is lost.
            shown = _overlay(version.data, values)
            messages.error(request, _("入力に誤りがある項目は保存していません。理由を確認して直してください。"))
        else:
            if action == "next" and index + 1 < len(steps):
                return redirect(_builder_url(org, version, steps[index + 1].id))
            if action == "prev" and index > 0:
                return redirect(_builder_url(org, version, steps[index - 1].id))
            if action == "preview":
                return redirect("document_version", org_id=org.id, version_id=version.id)
            if action == "save":
                messages.success(request, _("保存しました。"))
            anchor = request.POST.get("add_row") or request.POST.get("remove_row") or ""
            anchor = "#" + builder.PREFIX + anchor.split(".")[0] + "-" + anchor.split(".")[1] if anchor.count(".") >= 1 else ""
            return redirect(_builder_url(org, version, section.id) + anchor)
    return render(request, "documents/builder.html", _builder_context(request, version, steps, index, shown, issues))


def _overlay(data: dict, values: dict) -> dict:
    shown = {k: dict(v) if isinstance(v, dict) else v for k, v in data.items()}
    for (section, field), value in values.items():
        shown.setdefault(section, {})[field] = value
    return shown


def _builder_url(org, version, step_id: str) -> str:
    return reverse("document_builder", kwargs={"org_id": org.id, "version_id": version.id}) + f"?step={step_id}"


def _row_action(request, version, section) -> None:
    target = request.POST.get("add_row") or request.POST.get("remove_row") or ""
    parts = target.split(".")
    field = next((f for f in section.fields if len(parts) >= 2 and parts[0] == section.id and f.id == parts[1]), None)
    if field is None or field.type != "table":
        raise DocumentError(_("表の指定が正しくありません。"))
    if request.POST.get("add_row"):
        table_add_row(version=version, section=section.id, field=field.id, by=request.user)
    elif len(parts) == 3 and parts[2].isdigit():
        table_remove_row(version=version, section=section.id, field=field.id, index=int(parts[2]), by=request.user)
    else:
        raise DocumentError(_("削除する行が見つかりません。"))


def _meter(kind: str, data: dict) -> dict:
    filled, total, percent = engine.completeness(kind, data)
    return {"filled": filled, "total": total, "percent": percent}


def _builder_context(request, version, steps, index, data, issues) -> dict:
    kind = version.kind
    section = steps[index]
    missing = builder.missing_by_section(kind, version.data)
    fields = builder.step_fields(section, data, issues)
    suggestions = [_suggestion_view(s) for s in _suggestions_for(version, version.data)
                   if s.path.split(".")[0] == section.id]
    for item in fields:
        mine = [s for s in suggestions if s["field"] == item["path"].split(".")[1]]
        if item["type"] == "grid":  # a suggestion for cell A/B/C/D shows beside that row
            for row in item["rows"]:
                row["suggestions"] = [s for s in mine if s["path"].split(".")[2:3] == [row["key"]]]
            mine = [s for s in mine if not any(s in row["suggestions"] for row in item["rows"])]
        item["suggestions"] = mine
    has_diagnoses = bool(latest_diagnosis_answers(version.org))
    return {
        "org": version.org, "version": version, "document": version.document, "kind": kind,
        "steps": [{"id": s.id, "title": builder.section_title(s), "done": not missing.get(s.id), "current": i == index}
                  for i, s in enumerate(steps)],
        "section": section, "section_title": builder.section_title(section),
        "intro": pick(section.intro), "static_items": [pick(s) for s in section.static_items],
        "fields": fields, "meter": _meter(kind, version.data),
        "index": index, "is_first": index == 0, "is_last": index == len(steps) - 1,
        "has_diagnoses": has_diagnoses,
        "step_has_suggestions": bool(suggestions),
        "merits": merits_status(_today_tokyo()) if kind == Kind.JIGYOKEI and index == 0 else None,
        "save_url": _builder_url(version.org, version, section.id),
    }


def _autosave_response(request, version, section, issues, result, tampered) -> HttpResponse:
    fields = builder.step_fields(section, version.data, issues)
    return render(request, "documents/_autosave.html", {
        "fields": fields, "meter": _meter(version.kind, version.data), "result": result, "tampered": tampered,
        "saved_at": dt.datetime.now(TOKYO),
    })


@org_view(read=Role.EDITOR, write=Role.EDITOR)
@require_POST
def suggestion_accept_view(request: HttpRequest, org, version_id: int) -> HttpResponse:
    version = get_version_for_user(request.org_access, version_id)
    wanted = request.POST.get("suggestion", "")
    suggestion = next((s for s in _suggestions_for(version, version.data) if s.id == wanted), None) if version.is_draft else None
    step = wanted and suggestion and suggestion.path.split(".")[0]
    if suggestion is None:
        messages.error(request, _("この提案は見つからないか、すでに取り込まれています。"))
        return redirect("document_detail", org_id=org.id, document_id=version.document_id) if not version.is_draft \
            else redirect(_builder_url(org, version, request.POST.get("step", "")))
    try:
        suggestion_accept(version=version, suggestion=suggestion, by=request.user)
        messages.success(request, _("提案を取り込みました。必要に応じて書き直してください。"))
    except DocumentError as error:
        messages.error(request, error.message)
    return redirect(_builder_url(org, version, step))


# --- versions, approval, exports --------------------------------------------------------------------


@org_view(read=Role.VIEWER, write=Role.EDITOR)
def document_version(request: HttpRequest, org, version_id: int) -> HttpResponse:
    version = get_version_for_user(request.org_access, version_id)
    return render(request, "documents/version.html", _version_context(request, version))


def _version_context(request, version) -> dict:
    kind = version.kind
    render_error = ""
    try:
        head, blocks = builder.html_blocks(kind, version.data, **_render_meta(version))
    except Exception:  # a stored draft the engine cannot build: say so, keep the page usable
        head, blocks, render_error = {}, [], _("この版は表示できません。編集画面で誤りを直してください。")
    issues = engine.validate(kind, version.data, require_complete=True) if version.is_draft else []
    problems = [{"reason": builder.issue_text(issue), "path": issue.path} for issue in issues]
    mine_to_ack = [v for _d, v in rules_to_acknowledge(org=version.org, user=request.user)]
    return {
        "org": version.org, "version": version, "document": version.document, "head": head, "blocks": blocks,
        "render_error": render_error, "problems": problems, "meter": _meter(kind, version.data),
        "can_acknowledge": version in mine_to_ack,
        "acknowledged": version.acknowledgements.filter(user=request.user).first(),
        "is_card_kind": kind == Kind.INCIDENT_RESPONSE,
        "is_policy": kind == Kind.SECURITY_POLICY,
    }


@org_view(read=Role.VIEWER, write=Role.EDITOR)
def document_print(request: HttpRequest, org, version_id: int) -> HttpResponse:
    version = get_version_for_user(request.org_access, version_id)
    return render(request, "documents/print.html", _version_context(request, version))


@org_view(read=Role.OWNER, write=Role.OWNER)
@require_POST
def version_approve_view(request: HttpRequest, org, version_id: int) -> HttpResponse:
    version = get_version_for_user(request.org_access, version_id)
    try:
        version_approve(version=version, by=request.user)
    except DocumentError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("第%(n)d版を承認しました。") % {"n": version.number})
    return redirect("document_version", org_id=org.id, version_id=version.id)


@org_view(read=Role.OWNER, write=Role.OWNER)
@require_POST
def version_publication_view(request: HttpRequest, org, version_id: int) -> HttpResponse:
    version = get_version_for_user(request.org_access, version_id)
    published = request.POST.get("published") == "1"
    url = (request.POST.get("url") or "").strip()
    if published:
        try:
            if not url.startswith("https://") or len(url) > 500:
                raise ValidationError("scheme")
            URLValidator(schemes=["https"])(url)
        except ValidationError:
            messages.error(request, _("公開しているURLを https:// で始まる形で入力してください (500文字以内)。"))
            return redirect("document_version", org_id=org.id, version_id=version.id)
    try:
        version_set_publication(version=version, published=published, url=url, by=request.user)
    except DocumentError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("公開の設定を保存しました。"))
    return redirect("document_version", org_id=org.id, version_id=version.id)


def _filename(version: DocumentVersion, suffix: str) -> str:
    title = _UNSAFE_FILENAME.sub("_", version.document.title).strip(" ._") or "document"
    return f"{title[:60]}_v{version.number}{suffix}"


def _file_response(content: bytes, fmt: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    # Non-ASCII names go in filename* (RFC 5987/6266); Django writes both forms.
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@org_view(read=Role.VIEWER, write=Role.EDITOR)
def document_download(request: HttpRequest, org, version_id: int, doc_format: str) -> HttpResponse:
    version = get_version_for_user(request.org_access, version_id)
    if doc_format not in engine.FORMATS:
        raise Http404
    try:
        content = engine.render(version.kind, version.data, doc_format, **_render_meta(version))
    except engine.InvalidDocument:
        messages.error(request, _("この版には誤りがあるため出力できません。編集画面で直してください。"))
        return redirect("document_version", org_id=org.id, version_id=version.id)
    return _file_response(content, doc_format, _filename(version, f".{doc_format}"))


@org_view(read=Role.VIEWER, write=Role.EDITOR)
def document_card(request: HttpRequest, org, version_id: int) -> HttpResponse:
    version = get_version_for_user(request.org_access, version_id)
    if version.kind != Kind.INCIDENT_RESPONSE:
        raise Http404
    try:
        content = engine.render_card(version.data, "pdf", **_render_meta(version))
    except engine.InvalidDocument:
        messages.error(request, _("この版には誤りがあるため出力できません。編集画面で直してください。"))
        return redirect("document_version", org_id=org.id, version_id=version.id)
    return _file_response(content, "pdf", f"いざという時カード_v{version.number}.pdf")


# --- rules reaching people -------------------------------------------------------------------------


@org_view(read=Role.VIEWER, write=Role.VIEWER)
def rules(request: HttpRequest, org) -> HttpResponse:
    pending = {v.id for _d, v in rules_to_acknowledge(org=org, user=request.user)}
    items = [{"document": d, "version": v, "pending": v.id in pending} for d, v in shared_rules(org=org)]
    return render(request, "documents/rules.html", {"org": org, "items": items, "pending_count": len(pending)})


@org_view(read=Role.VIEWER, write=Role.VIEWER)
@require_POST
def acknowledge(request: HttpRequest, org, version_id: int) -> HttpResponse:
    version = get_version_for_user(request.org_access, version_id)
    try:
        acknowledgement_record(version=version, user=request.user)
    except DocumentError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("「%(title)s」第%(n)d版を確認しました。") % {"title": version.document.title, "n": version.number})
    return redirect("documents_rules", org_id=org.id)


@org_view(read=Role.OWNER, write=Role.OWNER)
def acknowledgements(request: HttpRequest, org, document_id: int) -> HttpResponse:
    document = get_document_for_user(request.org_access, document_id)
    version = current_approved(document)
    rows = acknowledgement_status(version) if version else []
    return render(request, "documents/acknowledgements.html", {
        "org": org, "document": document, "version": version, "rows": rows,
        "missing": [r for r in rows if r["ack"] is None],
        "last_notice": last_notice_of(version) if version else None,
        "reminder_days": settings.SONAE_RULE_REMINDER_DAYS,
        "mail_configured": mail_is_configured(),
    })
