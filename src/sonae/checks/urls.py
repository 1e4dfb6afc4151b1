from django.urls import path

from . import views

urlpatterns = [
    path("o/<int:org_id>/checks/", views.checks_home, name="checks_home"),
    path("o/<int:org_id>/checks/message/", views.checks_message, name="checks_message"),
    path("o/<int:org_id>/checks/report/", views.checks_report, name="checks_report"),
    path("o/<int:org_id>/checks/mine/", views.checks_my_reports, name="checks_my_reports"),
    path("o/<int:org_id>/checks/mine/<int:incident_id>/", views.checks_my_report, name="checks_my_report"),
    path("o/<int:org_id>/checks/inbox/", views.checks_inbox, name="checks_inbox"),
    path("o/<int:org_id>/checks/inbox/<int:incident_id>/", views.checks_incident, name="checks_incident"),
    path("o/<int:org_id>/checks/inbox/<int:incident_id>/mail.eml", views.checks_incident_mail, name="checks_incident_mail"),
    path("o/<int:org_id>/checks/domains/", views.checks_domains, name="checks_domains"),
    path("o/<int:org_id>/checks/domains/<int:trusted_domain_id>/delete/", views.checks_domain_delete, name="checks_domain_delete"),
]
