from django.urls import path

from locus.web import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("data-sources/", views.data_sources, name="data_sources"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("healthz", views.healthz, name="healthz"),
    # Browsers ask for /favicon.ico where a page names no icon (JSON, the printable evidence pack).
    path("favicon.ico", views.favicon, name="favicon"),
]
