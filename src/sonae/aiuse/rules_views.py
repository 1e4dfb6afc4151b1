"""Pages of the 社内ルールQ&A: ask, the rule files it reads besides sonae's own documents, and its settings."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sonae.aicheck.selectors import upstream_of
from sonae.checks.uploads import CappedUploadHandler, capped_uploads
from sonae.engines.retrieval import MAX_FILE_BYTES
from sonae.orgs.access import OrgAccess, org_view
from sonae.orgs.choices import Role

from .forms import AiuseSettingsForm, QuestionForm, RuleFileForm
from .models import RuleFile, RuleFileVersion
from .qa import answering_with_model, rules_answer, rules_index_for
from .selectors import approved_versions_of, current_rule_files, settings_of
from .services import RuleFileError, aiuse_settings_save, rule_file_upload, rule_file_withdraw
from .views import SESSION_DEPARTMENT


class CappedRuleFileUploadHandler(CappedUploadHandler):
    """The checker's capped upload handler, with the rule file limit (an oversized file stops while it streams)."""

    def __init__(self, request=None):
        super().__init__(request)
        self.limit = MAX_FILE_BYTES


def get_rule_file_for_user(access: OrgAccess, rule_file_id: int) -> RuleFile:
    return get_object_or_404(RuleFile, org=access.org, id=rule_file_id)


def _sources(org) -> dict:
    versions, files = approved_versions_of(org), current_rule_files(org)
    return {"versions": versions, "files": files, "source_count": len(versions) + len(files)}


def _source_url(org, source: str) -> str:
    """Where a cited passage can be read in full: its document version, or the rule file."""
    kind, _sep, pk = source.partition(":")
    if not pk.isdigit():
        return ""
    if kind == "version":
        return reverse("document_version", args=[org.id, int(pk)])
    if kind == "file":
        return reverse("rule_file_download", args=[org.id, int(pk)])
    return ""


@org_view(read=Role.VIEWER, write=Role.VIEWER)
def rules_ask(request: HttpRequest, org) -> HttpResponse:
    # Questions come by POST only: a question may name people, and a URL ends up in logs and browser history.
    form = QuestionForm(request.POST) if request.method == "POST" else QuestionForm()
    context = {"org": org, "form": form, **_sources(org), "with_model": answering_with_model(org),
               "is_owner": request.org_access.is_owner}
    status = 200
    if form.is_bound:
        if form.is_valid():
            qa = rules_answer(org=org, user=request.user, question=form.cleaned_data["question"],
                              department=request.session.get(SESSION_DEPARTMENT, ""))
            context.update(qa=qa, citations=[{"hit": hit, "url": _source_url(org, hit.passage.source)} for hit in qa.answer.citations])
        else:
            status = 400
    return render(request, "aiuse/rules_ask.html", context, status=status)


def _capped_rule_uploads(view):
    return capped_uploads(view, handler_class=CappedRuleFileUploadHandler)


@_capped_rule_uploads
@org_view(read=Role.VIEWER, write=Role.OWNER)
def rules_files(request: HttpRequest, org) -> HttpResponse:
    form = RuleFileForm()
    status = 200
    if request.method == "POST":
        form = RuleFileForm(request.POST, request.FILES)  # reading FILES runs the capped upload handler
        if getattr(request, "sonae_upload_too_large", False):
            messages.error(request, _("ファイルが大きすぎます（%(mb)d MBまで）。") % {"mb": MAX_FILE_BYTES // (1024 * 1024)})
            return redirect("rules_files", org_id=org.id)
        replaces = None
        if request.POST.get("replaces"):
            try:
                replaces = get_rule_file_for_user(request.org_access, int(request.POST["replaces"]))
            except (TypeError, ValueError):
                raise Http404 from None
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                version = rule_file_upload(org=org, by=request.user, filename=upload.name, data=upload.read(),
                                           title=form.cleaned_data["title"], replaces=replaces)
            except RuleFileError as error:
                form.add_error("file", error.message)
            else:
                messages.success(request, _("「%(title)s」%(label)sを登録しました。社内ルールQ&Aの回答に使われます。")
                                 % {"title": version.rule_file.title, "label": version.label})
                return redirect("rules_files", org_id=org.id)
        status = 400
    files = list(RuleFile.objects.filter(org=org).prefetch_related("versions").order_by("withdrawn_at", "title", "id"))
    return render(request, "aiuse/rules_files.html", {
        "org": org, "form": form, "files": files, "can_upload": request.org_access.is_owner,
        "documents": approved_versions_of(org), "max_mb": MAX_FILE_BYTES // (1024 * 1024),
    }, status=status)


@org_view(read=Role.OWNER, write=Role.OWNER)
@require_POST
def rule_file_withdraw_view(request: HttpRequest, org, rule_file_id: int) -> HttpResponse:
    rule_file = get_rule_file_for_user(request.org_access, rule_file_id)
    rule_file_withdraw(rule_file=rule_file, by=request.user)
    messages.success(request, _("「%(title)s」を取り下げました。社内ルールQ&Aでは使われません。") % {"title": rule_file.title})
    return redirect("rules_files", org_id=org.id)


@org_view(read=Role.VIEWER, write=Role.OWNER)
def rule_file_download(request: HttpRequest, org, rule_file_id: int) -> HttpResponse:
    """The current version as uploaded, always as a download (never shown inline, whatever it contains)."""
    rule_file = get_rule_file_for_user(request.org_access, rule_file_id)
    version = RuleFileVersion.objects.filter(rule_file=rule_file).order_by("-number").first()
    if version is None or not version.file:
        raise Http404
    try:
        handle = version.file.open("rb")
    except OSError:
        raise Http404 from None
    response = FileResponse(handle, content_type="application/octet-stream")
    response["Content-Disposition"] = content_disposition_header(True, version.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@org_view(read=Role.OWNER, write=Role.OWNER)
def rules_settings(request: HttpRequest, org) -> HttpResponse:
    stored = settings_of(org)
    upstream = upstream_of(org)
    allowed = upstream.allowed_models if upstream else ()
    form = AiuseSettingsForm(request.POST or None, allowed_models=allowed,
                             initial={"model": stored.model, "answer_with_model": stored.answer_with_model})
    if request.method == "POST" and form.is_valid():
        aiuse_settings_save(org=org, by=request.user, model=form.cleaned_data["model"],
                            answer_with_model=form.cleaned_data["answer_with_model"])
        messages.success(request, _("設定を保存しました。"))
        return redirect("rules_settings", org_id=org.id)
    index, documents = rules_index_for(org)
    return render(request, "aiuse/rules_settings.html", {
        "org": org, "form": form, "upstream": upstream, "allowed_models": allowed,
        "passages": len(index.passages), "documents": documents,
    }, status=400 if form.errors else 200)
