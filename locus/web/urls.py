from django.urls import path, re_path

from locus.web import docs, views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("data-sources/", views.data_sources, name="data_sources"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("docs/", docs.docs_index, name="docs"),
    re_path(r"^docs/(?P<path>[A-Za-z0-9_./-]+\.md)$", docs.doc_page, name="doc"),
    re_path(r"^docs/(?P<path>[A-Za-z0-9_./-]+\.(?:png|svg|jpg))$", docs.doc_image, name="doc_image"),
    path("healthz", views.healthz, name="healthz"),
    # Browsers ask for /favicon.ico where a page names no icon (JSON, the printable evidence pack).
    path("favicon.ico", views.favicon, name="favicon"),
]
