from django.urls import path

from . import views

urlpatterns = [
    path("o/<int:org_id>/support/", views.support_home, name="support_home"),
    path("o/<int:org_id>/support/answer/", views.support_answer, name="support_answer"),
    path("o/<int:org_id>/support/sheet/", views.support_sheet, name="support_sheet"),
]
