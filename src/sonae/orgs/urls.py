from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("setup/<str:token>/", views.setup_start, name="setup_start"),
    path("invite/<str:token>/", views.invitation_accept_view, name="invitation_accept"),
    path("orgs/new/", views.org_create, name="org_create"),
    path("orgs/switch/", views.switch_org, name="switch_org"),
    path("advisor/", views.advisor_portfolio, name="advisor_portfolio"),
    path("o/<int:org_id>/", views.dashboard, name="dashboard"),
    path("o/<int:org_id>/settings/", views.org_settings, name="org_settings"),
    path("o/<int:org_id>/members/", views.members, name="members"),
    path("o/<int:org_id>/members/<int:membership_id>/role/", views.membership_role, name="membership_role"),
    path("o/<int:org_id>/members/<int:membership_id>/remove/", views.membership_remove, name="membership_remove"),
    path("o/<int:org_id>/invitations/", views.invitations, name="invitations"),
    path("o/<int:org_id>/invitations/<int:invitation_id>/revoke/", views.invitation_revoke_view, name="invitation_revoke"),
    path("o/<int:org_id>/advisors/", views.advisors, name="advisors"),
    path("o/<int:org_id>/advisors/<int:grant_id>/revoke/", views.advisor_revoke, name="advisor_revoke"),
    path("o/<int:org_id>/audit/", views.audit_log, name="audit_log"),
    path("o/<int:org_id>/mfa-required/", views.mfa_required, name="mfa_required"),
]

# Areas of the product that later work fills in; each says plainly that it is coming.
COMING_AREAS: dict[str, str] = {}
for _area, _title in COMING_AREAS.items():
    urlpatterns.append(path(f"o/<int:org_id>/{_area}/", views.coming_soon(_area, _title), name=f"{_area}_home"))
