from django.urls import path

from . import quiz_views, views

urlpatterns = [
    path("o/<int:org_id>/learning/", views.learning_home, name="learning_home"),
    path("o/<int:org_id>/learning/t/<slug:training_key>/", views.training_detail, name="training_detail"),
    path("o/<int:org_id>/learning/own/new/", views.own_training_new, name="own_training_new"),
    path("o/<int:org_id>/learning/own/<int:own_training_id>/edit/", views.own_training_edit, name="own_training_edit"),
    path("o/<int:org_id>/learning/own/<int:own_training_id>/delete/", views.own_training_delete_view, name="own_training_delete"),
    path("o/<int:org_id>/learning/own/<int:own_training_id>/file/", views.own_training_file, name="own_training_file"),
    path("o/<int:org_id>/learning/assign/", views.assignment_new, name="assignment_new"),
    path("o/<int:org_id>/learning/assignments/<int:assignment_id>/", views.assignment_detail, name="assignment_detail"),
    path("o/<int:org_id>/learning/assignments/<int:assignment_id>/withdraw/", views.assignment_withdraw_view,
         name="assignment_withdraw"),
    path("o/<int:org_id>/learning/progress/", views.learning_progress, name="learning_progress"),
    path("o/<int:org_id>/learning/progress.<str:export_format>", views.learning_progress_export, name="learning_progress_export"),
    path("o/<int:org_id>/learning/quiz/", quiz_views.quiz_home, name="quiz_home"),
    path("o/<int:org_id>/learning/quiz/new/", quiz_views.quiz_restart, name="quiz_new"),
    path("o/<int:org_id>/learning/quiz/<int:play_id>/", quiz_views.quiz_play, name="quiz_play"),
    path("o/<int:org_id>/learning/quiz/<int:play_id>/result/", quiz_views.quiz_result, name="quiz_result"),
    path("o/<int:org_id>/learning/scores/", quiz_views.quiz_scores_view, name="quiz_scores"),
]
