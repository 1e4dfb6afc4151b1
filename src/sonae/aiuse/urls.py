from django.urls import path

from . import rules_views, views

U = "o/<int:org_id>/ai/uses/"
R = "o/<int:org_id>/rules/"

urlpatterns = [
    path(U, views.aiuse_catalogue, name="aiuse_catalogue"),
    path(U + "usage/", views.aiuse_usage, name="aiuse_usage"),
    path(U + "<slug:use_case_id>/", views.aiuse_use_case, name="aiuse_use_case"),
    path(U + "<slug:use_case_id>/adopt/", views.aiuse_adopt, name="aiuse_adopt"),
    path(U + "<slug:use_case_id>/<slug:template_id>/", views.aiuse_template, name="aiuse_template"),
    path(R, rules_views.rules_ask, name="rules_ask"),
    path(R + "files/", rules_views.rules_files, name="rules_files"),
    path(R + "files/<int:rule_file_id>/download/", rules_views.rule_file_download, name="rule_file_download"),
    path(R + "files/<int:rule_file_id>/withdraw/", rules_views.rule_file_withdraw_view, name="rule_file_withdraw"),
    path(R + "settings/", rules_views.rules_settings, name="rules_settings"),
]
