"""Pages: the checker landing, the message checker, the incident inbox and the organisation's domains."""

from __future__ import annotations

import base64
import binascii

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from sonae.engines.messages import MessageCheckError
from sonae.i18n import is_english
from sonae.orgs.access import OrgAccess, org_view
from sonae.orgs.choices import Role

from .checking import mail_bytes_of, max_upload_bytes, run_check, too_large_error
from .forms import CloseForm, MailForm, ReportForm, SmsForm, TrustedDomainForm, UrlForm
from .models import IncidentReport, TrustedDomain
from .present import present
from .selectors import incident_reports_by, incident_reports_of, open_incident_count, trusted_domains_of
from .services import (
    incident_report_close,
    incident_report_file,
    incident_report_reopen,
    trusted_domain_add,
    trusted_domain_remove,
)
from .uploads import capped_uploads

TABS = ("sms", "url", "mail")
# A checked mail up to this size rides back with the report button (base64 in a hidden field);
# a larger one is asked for again, so a check never stores anything on the server.
REPORT_INLINE_MAX_BYTES = 2 * 1024 * 1024


def get_incident_for_user(access: OrgAccess, incident_id: int) -> IncidentReport:
    return get_object_or_404(IncidentReport.objects.select_related("reported_by", "closed_by"), org=access.org, id=incident_id)


def get_own_incident_for_user(request: HttpRequest, access: OrgAccess, incident_id: int) -> IncidentReport:
    """A report the visitor filed themselves in this organisation; anyone else's is a 404, even for owners."""
    return get_object_or_404(IncidentReport.objects.select_related("closed_by"), org=access.org,
                             reported_by=request.user, id=incident_id)


def get_trusted_domain_for_user(access: OrgAccess, trusted_domain_id: int) -> TrustedDomain:
    return get_object_or_404(TrustedDomain, org=access.org, id=trusted_domain_id)


@org_view(read=Role.VIEWER, write=Role.VIEWER)
def checks_home(request: HttpRequest, org) -> HttpResponse:
    access = request.org_access
    return render(request, "checks/home.html", {
        "org": org,
        "can_see_inbox": access.can_write,
        "is_owner": access.is_owner,
        "open_count": open_incident_count(org) if access.can_write else 0,
        "domain_count": trusted_domains_of(org).count(),
        "my_reports": incident_reports_by(org, request.user).count(),
    })


def _uploaded_mail(request: HttpRequest, form: MailForm) -> tuple[bytes | None, str]:
    """The uploaded file's bytes, or None with the error already added to the form."""
    if getattr(request, "sonae_upload_too_large", False):
        form.add_error(None, too_large_error().message_ja)
        return None, ""
    if not form.is_valid():
        return None, ""
    upload = form.cleaned_data["file"]
    if upload.size > max_upload_bytes():
        form.add_error("file", too_large_error().message_ja)
        return None, ""
    return upload.read(max_upload_bytes() + 1), upload.name or ""


@capped_uploads
@org_view(read=Role.VIEWER, write=Role.VIEWER)
def checks_message(request: HttpRequest, org) -> HttpResponse:
    tab = request.POST.get("kind") if request.method == "POST" else request.GET.get("tab")
    tab = tab if tab in TABS else "sms"
    forms = {"sms": SmsForm(), "url": UrlForm(), "mail": MailForm()}
    context: dict = {"org": org, "tab": tab, "max_upload_mb": max(1, max_upload_bytes() // (1024 * 1024)),
                     "my_reports": incident_reports_by(org, request.user).count(),
                     "my_reports_url": reverse("checks_my_reports", args=[org.id])}
    if request.method == "POST":
        report = None
        content: str | bytes = ""
        form = {"sms": SmsForm, "url": UrlForm, "mail": MailForm}[tab](request.POST, request.FILES)
        forms[tab] = form
        error_field = {"sms": "text", "url": "url", "mail": None}[tab]
        try:
            if tab == "mail":
                raw, filename = _uploaded_mail(request, form)
                if raw is not None:
                    content = mail_bytes_of(raw, filename)
                    report = run_check("mail", content, org)
            elif form.is_valid():
                content = form.cleaned_data[error_field]
                report = run_check(tab, content, org)
        except MessageCheckError as exc:
            form.add_error(error_field, _message(exc))
        if report is not None:
            context["result"] = present(report.to_dict())
            inline = ""
            if isinstance(content, bytes):
                if len(content) <= REPORT_INLINE_MAX_BYTES:
                    inline = base64.b64encode(content).decode("ascii")
            else:
                inline = content
            context["report_form"] = ReportForm(initial={"kind": tab, "content": inline})
            context["report_needs_file"] = tab == "mail" and not inline
            context["filename"] = getattr(form.cleaned_data.get("file"), "name", "") if tab == "mail" and hasattr(form, "cleaned_data") else ""
    context["forms"] = forms
    context["form"] = forms[tab]
    return render(request, "checks/message.html", context, status=200)


def _message(exc: MessageCheckError) -> str:
    """The error in the user's language (engine errors carry both)."""
    return exc.message_en if is_english() else exc.message_ja


@capped_uploads
@org_view(read=Role.VIEWER, write=Role.VIEWER)
@require_POST
def checks_report(request: HttpRequest, org) -> HttpResponse:
    """周りに相談・報告する: any member files the message they checked in the incident inbox."""
    form = ReportForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("報告の内容が正しくありません。もう一度確認してから報告してください。"))
        return redirect("checks_message", org_id=org.id)
    kind = form.cleaned_data["kind"]
    content: str | bytes = form.cleaned_data["content"]
    try:
        if kind == "mail":
            if getattr(request, "sonae_upload_too_large", False):
                raise too_large_error()
            if content:
                content = base64.b64decode(content, validate=True)
            elif request.FILES.get("file"):
                upload = request.FILES["file"]
                content = mail_bytes_of(upload.read(max_upload_bytes() + 1), upload.name or "")
            else:
                raise MessageCheckError("empty", _("報告するメールのファイルを選んでください。"), "Choose the mail file to report.")
        report = run_check(kind, content, org)
    except (binascii.Error, ValueError) as exc:
        text = _message(exc) if isinstance(exc, MessageCheckError) else _("報告の内容が正しくありません。もう一度確認してから報告してください。")
        messages.error(request, text)
        return redirect(f"{_checker_url(org)}?tab={kind}")
    incident = incident_report_file(org=org, by=request.user, report=report, submitted=content, note=form.cleaned_data["note"])
    messages.success(request, _("管理者に報告しました。ありがとうございます。リンクや添付ファイルは開かずに、指示を待ってください。対応の状況は「自分の報告」で確認できます。"))
    if request.org_access.can_write:
        return redirect("checks_incident", org_id=org.id, incident_id=incident.id)
    return redirect(f"{_checker_url(org)}?tab={kind}")


def _checker_url(org) -> str:
    return reverse("checks_message", args=[org.id])


@org_view(read=Role.EDITOR, write=Role.EDITOR)
def checks_inbox(request: HttpRequest, org) -> HttpResponse:
    status = request.GET.get("status", "open")
    status = status if status in ("open", "closed", "all") else "open"
    reports = incident_reports_of(org, status=None if status == "all" else status)[:200]
    return render(request, "checks/inbox.html", {
        "org": org, "reports": reports, "status": status, "open_count": open_incident_count(org),
    })


@org_view(read=Role.EDITOR, write=Role.EDITOR)
def checks_incident(request: HttpRequest, org, incident_id: int) -> HttpResponse:
    incident = get_incident_for_user(request.org_access, incident_id)
    form = CloseForm(request.POST or None, initial={"owner_note": incident.owner_note, "reply": incident.reply})
    if request.method == "POST":
        if request.POST.get("action") == "reopen":
            incident_report_reopen(incident=incident, by=request.user)
            messages.success(request, _("報告を未対応に戻しました。"))
            return redirect("checks_incident", org_id=org.id, incident_id=incident.id)
        if form.is_valid():
            incident_report_close(incident=incident, by=request.user, owner_note=form.cleaned_data["owner_note"],
                                  reply=form.cleaned_data["reply"])
            messages.success(request, _("報告を対応済みにしました。"))
            return redirect("checks_inbox", org_id=org.id)
    data = dict(incident.details or {})
    data.update(kind=incident.kind, verdict=incident.verdict, score=incident.score, findings=incident.findings, text=incident.text)
    return render(request, "checks/incident.html", {
        "org": org, "incident": incident, "result": present(data), "form": form,
    })


@org_view(read=Role.VIEWER, write=Role.VIEWER)
@require_safe
def checks_my_reports(request: HttpRequest, org) -> HttpResponse:
    """自分の報告: what became of the messages the visitor reported (their own reports only)."""
    reports = list(incident_reports_by(org, request.user)[:200])
    return render(request, "checks/my_reports.html", {
        "org": org, "reports": reports, "open_count": sum(1 for r in reports if r.status == IncidentReport.Status.OPEN),
    })


@org_view(read=Role.VIEWER, write=Role.VIEWER)
@require_safe
def checks_my_report(request: HttpRequest, org, incident_id: int) -> HttpResponse:
    incident = get_own_incident_for_user(request, request.org_access, incident_id)
    data = dict(incident.details or {})
    data.update(kind=incident.kind, verdict=incident.verdict, score=incident.score, findings=incident.findings, text=incident.text)
    return render(request, "checks/my_report.html", {
        "org": org, "incident": incident, "result": present(data), "can_see_inbox": request.org_access.can_write,
    })


@org_view(read=Role.EDITOR, write=Role.EDITOR)
def checks_incident_mail(request: HttpRequest, org, incident_id: int) -> HttpResponse:
    """The reported mail as an .eml download (to forward to the police or IPA), never shown inline."""
    incident = get_incident_for_user(request.org_access, incident_id)
    if not incident.mail_file:
        messages.error(request, _("この報告にはメールのファイルがありません。"))
        return redirect("checks_incident", org_id=org.id, incident_id=incident.id)
    with incident.mail_file.open("rb") as handle:
        data = handle.read()
    response = HttpResponse(data, content_type="application/octet-stream")
    response["Content-Disposition"] = f'attachment; filename="report-{incident.id}.eml"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@org_view(read=Role.OWNER, write=Role.OWNER)
def checks_domains(request: HttpRequest, org) -> HttpResponse:
    form = TrustedDomainForm(request.POST or None, org=org)
    if request.method == "POST" and form.is_valid():
        trusted_domain_add(org=org, by=request.user, domain=form.cleaned_data["domain"], kind=form.cleaned_data["kind"],
                           note=form.cleaned_data["note"])
        messages.success(request, _("ドメインを登録しました。これからのチェックで、このドメインに似せた偽物を見分けます。"))
        return redirect("checks_domains", org_id=org.id)
    domains = list(trusted_domains_of(org))
    return render(request, "checks/domains.html", {
        "org": org, "form": form,
        "own": [d for d in domains if d.kind == TrustedDomain.Kind.OWN],
        "partners": [d for d in domains if d.kind == TrustedDomain.Kind.PARTNER],
    }, status=400 if request.method == "POST" else 200)


@org_view(read=Role.OWNER, write=Role.OWNER)
@require_POST
def checks_domain_delete(request: HttpRequest, org, trusted_domain_id: int) -> HttpResponse:
    domain = get_trusted_domain_for_user(request.org_access, trusted_domain_id)
    trusted_domain_remove(trusted_domain=domain, by=request.user)
    messages.success(request, _("ドメインを削除しました。"))
    return redirect("checks_domains", org_id=org.id)


def dashboard_panel(request: HttpRequest, org) -> str:
    access = getattr(request, "org_access", None)
    can_see_inbox = bool(access and access.can_write)
    return render_to_string("checks/_panel.html", {
        "org": org, "can_see_inbox": can_see_inbox, "open_count": open_incident_count(org) if can_see_inbox else 0,
        "my_reports": incident_reports_by(org, request.user).count() if access else 0,
    }, request=request)
