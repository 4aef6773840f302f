from django.urls import path

from locus.collaboration.views import checker, manage, pages, partners, simulator

app_name = "collaboration"
urlpatterns = [
    path("", pages.home, name="home"),
    path("check/", checker.check, name="check"),
    path("rule-sets/", pages.rule_sets, name="rule_sets"),
    path("rule-sets/<str:rule_set_id>/", pages.rule_set_detail, name="rule_set"),
    path("simulator/", simulator.simulator, name="simulator"),
    path("simulator/upload/", simulator.simulator_upload, name="simulator_upload"),
    path("partners/", partners.partners, name="partners"),
    path("organisations/", pages.organisations, name="organisations"),
    path("organisations/<int:organisation_id>/", pages.organisation, name="organisation"),
    path("network/", pages.network, name="network"),
    path("network/indicators.csv", pages.network_indicators_csv, name="network_indicators"),
    path("data/", pages.data, name="data"),
    path("data/import/", manage.data_import, name="data_import"),
    path("review/", manage.review, name="review"),
]
