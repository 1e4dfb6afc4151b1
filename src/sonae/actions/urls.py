from django.urls import path

from . import views

urlpatterns = [
    path("o/<int:org_id>/actions/", views.actions_home, name="actions_home"),
    path("o/<int:org_id>/actions/new/", views.action_new, name="action_new"),
    path("o/<int:org_id>/actions/<int:action_id>/", views.action_detail, name="action_detail"),
    path("o/<int:org_id>/actions/<int:action_id>/close/", views.action_close, name="action_close"),
]
