from django.urls import path

from . import views

urlpatterns = [
    path("o/<int:org_id>/diagnoses/", views.diagnoses_home, name="diagnoses_home"),
    path("o/<int:org_id>/diagnoses/start/", views.diagnosis_start_view, name="diagnosis_start"),
    path("o/<int:org_id>/diagnoses/<int:diagnosis_id>/", views.diagnosis_answer, name="diagnosis_answer"),
    path("o/<int:org_id>/diagnoses/<int:diagnosis_id>/discard/", views.diagnosis_discard_view, name="diagnosis_discard"),
    path("o/<int:org_id>/diagnoses/<int:diagnosis_id>/results/", views.diagnosis_results, name="diagnosis_results"),
    path("o/<int:org_id>/diagnoses/<int:diagnosis_id>/print/", views.diagnosis_print, name="diagnosis_print"),
    path("o/<int:org_id>/diagnoses/<int:diagnosis_id>/report.pdf", views.diagnosis_pdf, name="diagnosis_pdf"),
    path("o/<int:org_id>/diagnoses/<int:diagnosis_id>/report.xlsx", views.diagnosis_xlsx, name="diagnosis_xlsx"),
    path("o/<int:org_id>/diagnoses/<int:diagnosis_id>/answers.csv", views.diagnosis_csv, name="diagnosis_csv"),
    path("o/<int:org_id>/diagnoses/history/<slug:instrument_id>/", views.diagnosis_history, name="diagnosis_history"),
    path("o/<int:org_id>/diagnoses/history/<slug:instrument_id>/compare/", views.diagnosis_compare, name="diagnosis_compare"),
    path("o/<int:org_id>/diagnoses/policy/", views.policy_evidence, name="policy_evidence"),
    path("o/<int:org_id>/diagnoses/policy/<int:evidence_id>/delete/", views.policy_evidence_delete_view, name="policy_evidence_delete"),
    path("o/<int:org_id>/diagnoses/policy/<int:evidence_id>/file/", views.policy_evidence_file, name="policy_evidence_file"),
]
