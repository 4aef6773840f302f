from django.urls import path, re_path

from locus.atlas import infrastructure_views as infra
from locus.atlas import views
from locus.web.docs import old_atlas_doc

app_name = "atlas"
urlpatterns = [
    path("", views.atlas_map, name="map"),
    path("map-data.json", views.map_data, name="map_data"),
    path("go/", views.go, name="go"),
    path("boundaries/outline.geojson", views.outline, name="outline"),
    path("boundaries/<str:level>.geojson", views.boundaries, name="boundaries"),
    path("areas/<str:code>/", views.area_profile, name="area"),
    re_path(r"^areas/(?P<code>[A-Za-z0-9]+)/evidence-pack\.(?P<fmt>pdf|html)$", views.evidence_pack, name="pack"),
    path("compare/", views.compare, name="compare"),
    path("downloads/", views.downloads_index, name="downloads"),
    path("download/atlas.zip", views.bulk, name="bulk"),
    re_path(r"^download/(?P<table>[a-z-]+)\.(?P<fmt>csv|xlsx|geojson)$", views.download, name="download"),
    path("manifest.json", views.manifest, name="manifest"),
    path("methodology/", views.methodology, name="methodology"),
    re_path(r"^docs/(?P<path>[A-Za-z0-9_./-]+\.(?:md|png|svg|jpg))$", old_atlas_doc),  # now /docs/<path>
    path("infrastructure/", infra.site_list, name="sites"),
    path("infrastructure.geojson", infra.sites_geojson, name="sites_geojson"),
    path("infrastructure/add/", infra.site_add, name="site_add"),
    path("infrastructure/import/", infra.site_import, name="site_import"),
    path("infrastructure/template.csv", infra.import_template, name="site_template"),
    path("infrastructure/<int:pk>/", infra.site_detail, name="site"),
    path("infrastructure/<int:pk>/edit/", infra.site_edit, name="site_edit"),
    path("infrastructure/<int:pk>/delete/", infra.site_delete, name="site_delete"),
]
