from django.urls import path

from . import views

urlpatterns = [
    path("o/<int:org_id>/risks/", views.risks_home, name="risks_home"),
    path("o/<int:org_id>/risks/new/", views.risk_new, name="risk_new"),
    path("o/<int:org_id>/risks/adopt/", views.risk_adopt, name="risk_adopt"),
    path("o/<int:org_id>/risks/<int:risk_id>/", views.risk_detail, name="risk_detail"),
    path("o/<int:org_id>/risks/<int:risk_id>/close/", views.risk_close_view, name="risk_close"),
    path("o/<int:org_id>/risks/<int:risk_id>/action/", views.risk_action_new, name="risk_action_new"),
]
