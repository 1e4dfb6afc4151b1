from django.urls import path

from . import views

P = "o/<int:org_id>/documents/"

urlpatterns = [
    path(P, views.documents_home, name="documents_home"),
    path(P + "new/", views.document_new, name="document_new"),
    path(P + "rules/", views.rules, name="documents_rules"),
    path(P + "<int:document_id>/", views.document_detail, name="document_detail"),
    path(P + "<int:document_id>/edit/", views.document_edit, name="document_edit"),
    path(P + "<int:document_id>/share/", views.document_share_view, name="document_share"),
    path(P + "<int:document_id>/acknowledgements/", views.acknowledgements, name="document_acknowledgements"),
    path(P + "v/<int:version_id>/", views.document_version, name="document_version"),
    path(P + "v/<int:version_id>/build/", views.document_builder, name="document_builder"),
    path(P + "v/<int:version_id>/suggestion/", views.suggestion_accept_view, name="document_suggestion"),
    path(P + "v/<int:version_id>/print/", views.document_print, name="document_print"),
    path(P + "v/<int:version_id>/approve/", views.version_approve_view, name="document_approve"),
    path(P + "v/<int:version_id>/publication/", views.version_publication_view, name="document_publication"),
    path(P + "v/<int:version_id>/download/<str:doc_format>/", views.document_download, name="document_download"),
    path(P + "v/<int:version_id>/card.pdf", views.document_card, name="document_card"),
    path(P + "v/<int:version_id>/acknowledge/", views.acknowledge, name="document_acknowledge"),
]
