from django.urls import path

from locus.geography import views

app_name = "geography"
urlpatterns = [
    path("", views.search, name="search"),
    path("<str:code>/", views.area_detail, name="area"),
    path("<str:code>/boundary.geojson", views.area_boundary, name="boundary"),
]
