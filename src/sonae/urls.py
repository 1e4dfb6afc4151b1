from django.urls import include, path
from django.views.i18n import set_language

from sonae.aicheck.urls import gateway_urlpatterns
from sonae.api.urls import api

urlpatterns = [
    *gateway_urlpatterns,
    path("accounts/", include("allauth.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("api/", api.urls),
    path("", include("sonae.api.page_urls")),
    path("", include("sonae.documents.urls")),
    path("", include("sonae.assessments.urls")),
    path("", include("sonae.actions.urls")),
    path("", include("sonae.aicheck.urls")),
    path("", include("sonae.risks.urls")),
    path("", include("sonae.checks.urls")),
    path("", include("sonae.support.urls")),
    path("", include("sonae.assets.urls")),
    path("", include("sonae.learning.urls")),
    path("", include("sonae.loop.urls")),
    path("", include("sonae.orgs.urls")),
]

handler400 = "sonae.errors.bad_request"
handler403 = "sonae.errors.permission_denied"
handler404 = "sonae.errors.page_not_found"
handler500 = "sonae.errors.server_error"
