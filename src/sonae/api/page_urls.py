from django.urls import path

from . import views

urlpatterns = [
    path("o/<int:org_id>/api-tokens/", views.api_tokens, name="api_tokens"),
    path("o/<int:org_id>/api-tokens/<int:token_id>/revoke/", views.api_token_revoke, name="api_token_revoke"),
]
