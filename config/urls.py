"""URL configuration: each room includes its own urls; the API lives under /api/v1/."""

from django.contrib import admin
from django.urls import include, path

from locus.api import api

handler400 = "locus.web.views.bad_request"
handler403 = "locus.web.views.forbidden"
handler404 = "locus.web.views.not_found"
handler500 = "locus.web.views.server_error"

urlpatterns = [
    path("", include("locus.web.urls")),
    path("accounts/", include("locus.accounts.urls")),
    path("places/", include("locus.geography.urls")),
    path("peers/", include("locus.peers.urls")),
    path("policy/", include("locus.policy.urls")),
    path("collaboration/", include("locus.collaboration.urls")),
    path("atlas/", include("locus.atlas.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]
