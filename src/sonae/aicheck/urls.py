from django.urls import path

from . import gateway, views

urlpatterns = [
    path("o/<int:org_id>/ai/", views.aicheck_home, name="aicheck_home"),
    path("o/<int:org_id>/ai/policy/", views.aicheck_policy, name="aicheck_policy"),
    path("o/<int:org_id>/ai/gateway/", views.gateway_settings, name="aicheck_gateway"),
    path("o/<int:org_id>/ai/gateway/upstream/", views.gateway_upstream, name="aicheck_gateway_upstream"),
    path("o/<int:org_id>/ai/gateway/tokens/<int:gateway_token_id>/revoke/", views.gateway_token_revoke_view, name="aicheck_gateway_token_revoke"),
    path("o/<int:org_id>/ai/usage/", views.aicheck_usage, name="aicheck_usage"),
    path("o/<int:org_id>/ai/usage.csv", views.aicheck_usage_csv, name="aicheck_usage_csv"),
]

# The OpenAI-compatible gateway: token auth, no session, no CSRF (see gateway.py). sonae/urls.py lists
# these first, so resolving them (on every gateway call) does not walk every page pattern.
gateway_urlpatterns = [
    path("v1/chat/completions", gateway.chat_completions, name="gateway_chat_completions"),
    path("v1/models", gateway.models, name="gateway_models"),
]
