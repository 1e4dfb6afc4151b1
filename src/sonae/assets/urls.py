from django.urls import path

from . import views

urlpatterns = [
    path("o/<int:org_id>/assets/", views.assets_home, name="assets_home"),
    path("o/<int:org_id>/assets/new/", views.assets_new, name="assets_new"),
    path("o/<int:org_id>/assets/import/", views.assets_import_view, name="assets_import"),
    path("o/<int:org_id>/assets/export.csv", views.assets_export, name="assets_export"),
    path("o/<int:org_id>/assets/advisories/", views.assets_advisories, name="assets_advisories"),
    path("o/<int:org_id>/assets/<int:asset_id>/", views.assets_edit, name="assets_edit"),
    path("o/<int:org_id>/assets/<int:asset_id>/delete/", views.assets_delete, name="assets_delete"),
]
