"""Pages of the organisation area: setup, dashboard, members, invitations, advisors, audit log."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.utils.module_loading import import_string
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from .access import (
    get_advisor_grant_for_user,
    get_invitation_for_user,
    get_membership_for_user,
    get_org_access,
    org_view,
    orgs_for_user,
    user_has_mfa,
)
from .adapters import SESSION_INVITATION, SESSION_SETUP
from .choices import Role
from .forms import AcceptInvitationForm, AdvisorInvitationForm, InvitationForm, OrganisationForm, OrganisationSettingsForm, RoleForm
from .models import AdvisorGrant, AuditEntry, Membership
from .services import (
    InvitationUnusable,
    advisor_grant_revoke,
    audit,
    audited_save,
    invitation_accept,
    invitation_create,
    invitation_find,
    invitation_revoke,
    membership_change_role,
    organisation_create,
    owners_left_after,
    setup_token_valid,
)


@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return JsonResponse({"status": "ok"})


def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect("account_login")
    accesses = orgs_for_user(request.user)
    current_id = request.session.get("current_org_id")
    for access in accesses:
        if access.org.id == current_id:
            return redirect("dashboard", org_id=access.org.id)
    if accesses:
        return redirect("dashboard", org_id=accesses[0].org.id)
    return render(request, "orgs/no_org.html")


@never_cache
def setup_start(request: HttpRequest, token: str) -> HttpResponse:
    if not setup_token_valid(token):
        return render(request, "orgs/link_invalid.html", {"reason": _("このセットアップ用リンクは無効か、すでに使われています。")}, status=404)
    request.session[SESSION_SETUP] = token
    return redirect("account_signup")


@login_required
def org_create(request: HttpRequest) -> HttpResponse:
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        org = organisation_create(owner=request.user, **form.cleaned_data)
        messages.success(request, _("組織「%(name)s」を作成しました。") % {"name": org.name})
        return redirect("dashboard", org_id=org.id)
    return render(request, "orgs/org_form.html", {"form": form, "creating": True})


@login_required
def switch_org(request: HttpRequest) -> HttpResponse:
    access = get_org_access(request.user, request.GET.get("org"))
    return redirect("dashboard", org_id=access.org.id)


@org_view()
def dashboard(request: HttpRequest, org) -> HttpResponse:
    panels = [import_string(path)(request, org) for path in settings.SONAE_DASHBOARD_PANELS]
    return render(request, "orgs/dashboard.html", {"org": org, "has_mfa": user_has_mfa(request.user), "panels": panels})


@org_view(read=Role.OWNER, write=Role.OWNER)
def org_settings(request: HttpRequest, org) -> HttpResponse:
    form = OrganisationSettingsForm(request.POST or None, instance=org)
    if request.method == "POST" and form.is_valid():
        audited_save(form=form, org=org, actor=request.user)
        messages.success(request, _("組織の情報を保存しました。"))
        return redirect("org_settings", org_id=org.id)
    return render(request, "orgs/org_form.html", {"form": form, "org": org, "creating": False})


@org_view(read=Role.VIEWER, write=Role.OWNER)
def members(request: HttpRequest, org) -> HttpResponse:
    memberships = Membership.objects.filter(org=org).select_related("user").order_by("user__email")
    return render(request, "orgs/members.html", {"org": org, "memberships": memberships, "role_choices": Role.choices})


@org_view(read=Role.OWNER, write=Role.OWNER)
@require_POST
def membership_role(request: HttpRequest, org, membership_id: int) -> HttpResponse:
    membership = get_membership_for_user(request.org_access, membership_id)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("役割の値が正しくありません。"))
    elif owners_left_after(membership, form.cleaned_data["role"]) == 0:
        messages.error(request, _("オーナーが一人もいなくなるため、この変更はできません。"))
    else:
        membership_change_role(membership=membership, role=form.cleaned_data["role"], by=request.user)
        messages.success(request, _("役割を変更しました。"))
    return redirect("members", org_id=org.id)


@org_view(read=Role.OWNER, write=Role.OWNER)
@require_POST
def membership_remove(request: HttpRequest, org, membership_id: int) -> HttpResponse:
    membership = get_membership_for_user(request.org_access, membership_id)
    if owners_left_after(membership, None) == 0:
        messages.error(request, _("オーナーが一人もいなくなるため、このメンバーは外せません。"))
    else:
        audit(org=org, actor=request.user, action=AuditEntry.Action.DELETE, obj=membership, changes={"user": membership.user.email})
        membership.delete()
        messages.success(request, _("メンバーを外しました。"))
    return redirect("members", org_id=org.id)


@org_view(read=Role.OWNER, write=Role.OWNER)
def invitations(request: HttpRequest, org) -> HttpResponse:
    form = InvitationForm(request.POST or None)
    new_link = None
    if request.method == "POST" and form.is_valid():
        _invitation, token = invitation_create(org=org, by=request.user, role=form.cleaned_data["role"], note=form.cleaned_data["note"])
        new_link = request.build_absolute_uri(reverse("invitation_accept", args=[token]))
        form = InvitationForm()
    items = org.invitations.filter(as_advisor=False)[:100]
    return render(request, "orgs/invitations.html", {"org": org, "form": form, "invitations": items, "new_link": new_link})


@org_view(read=Role.OWNER, write=Role.OWNER)
@require_POST
def invitation_revoke_view(request: HttpRequest, org, invitation_id: int) -> HttpResponse:
    invitation = get_invitation_for_user(request.org_access, invitation_id)
    if invitation.status == "open":
        invitation_revoke(invitation=invitation, by=request.user)
        messages.success(request, _("招待リンクを取り消しました。"))
    return redirect("advisors" if invitation.as_advisor else "invitations", org_id=org.id)


@org_view(read=Role.OWNER, write=Role.OWNER)
def advisors(request: HttpRequest, org) -> HttpResponse:
    form = AdvisorInvitationForm(request.POST or None)
    new_link = None
    if request.method == "POST" and form.is_valid():
        _invitation, token = invitation_create(
            org=org, by=request.user, role=form.cleaned_data["role"], as_advisor=True, note=form.cleaned_data["note"]
        )
        new_link = request.build_absolute_uri(reverse("invitation_accept", args=[token]))
        form = AdvisorInvitationForm()
    grants = AdvisorGrant.objects.filter(org=org).select_related("advisor")
    pending = org.invitations.filter(as_advisor=True)[:100]
    return render(request, "orgs/advisors.html", {"org": org, "form": form, "grants": grants, "pending": pending, "new_link": new_link})


@org_view(read=Role.OWNER, write=Role.OWNER)
@require_POST
def advisor_revoke(request: HttpRequest, org, grant_id: int) -> HttpResponse:
    grant = get_advisor_grant_for_user(request.org_access, grant_id)
    if grant.is_active:
        advisor_grant_revoke(grant=grant, by=request.user)
        messages.success(request, _("支援者のアクセスを取り消しました。"))
    return redirect("advisors", org_id=org.id)


@org_view(read=Role.OWNER, write=Role.OWNER)
def audit_log(request: HttpRequest, org) -> HttpResponse:
    page = Paginator(AuditEntry.objects.filter(org=org), 50).get_page(request.GET.get("page"))
    return render(request, "orgs/audit_log.html", {"org": org, "page": page})


@login_required
def advisor_portfolio(request: HttpRequest) -> HttpResponse:
    grants = AdvisorGrant.objects.filter(advisor=request.user, revoked_at=None).select_related("org")
    return render(request, "orgs/advisor_portfolio.html", {"grants": grants})


@login_required
def mfa_required(request: HttpRequest, org_id: int) -> HttpResponse:
    access = get_org_access(request.user, org_id)
    if user_has_mfa(request.user):
        return redirect("dashboard", org_id=access.org.id)
    return render(request, "orgs/mfa_required.html", {"org": access.org})


@never_cache
def invitation_accept_view(request: HttpRequest, token: str) -> HttpResponse:
    invitation = invitation_find(token)
    if invitation is None or invitation.status != "open":
        reason = {
            None: _("この招待リンクは見つかりません。リンクをもう一度確認してください。"),
            "accepted": _("この招待リンクはすでに使われています。"),
            "revoked": _("この招待リンクは取り消されています。"),
            "expired": _("この招待リンクは有効期限が切れています。招待した人に新しいリンクを依頼してください。"),
        }[invitation.status if invitation else None]
        return render(request, "orgs/link_invalid.html", {"reason": reason}, status=404 if invitation is None else 410)
    if not request.user.is_authenticated:
        request.session[SESSION_INVITATION] = token
        return render(request, "orgs/invitation_anonymous.html", {"invitation": invitation})
    form = AcceptInvitationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation_accept(invitation=invitation, user=request.user, advisor_org_name=form.cleaned_data["advisor_org_name"])
        except InvitationUnusable:
            messages.error(request, _("この招待は使えません（すでにメンバーであるか、リンクが無効になりました）。"))
            return redirect("home")
        messages.success(request, _("「%(name)s」に参加しました。") % {"name": invitation.org.name})
        return redirect("dashboard", org_id=invitation.org_id)
    return render(request, "orgs/invitation_accept.html", {"invitation": invitation, "form": form})


def coming_soon(area: str, title: str):
    """A plain page for an area of the product that is not built yet (no fake content)."""

    @org_view()
    def view(request: HttpRequest, org) -> HttpResponse:
        return render(request, "orgs/coming_soon.html", {"org": org, "area": area, "area_title": title})

    view.__name__ = f"coming_{area}"
    return view
