from django.urls import path

from locus.policy.views import contributions, library, places

app_name = "policy"
urlpatterns = [
    path("", library.home, name="home"),
    path("cases/", library.search, name="search"),
    path("cases/<slug:slug>/", library.case_detail, name="case"),
    path("cases/<slug:slug>/history/", library.case_history, name="history"),
    path("cases/<slug:slug>/correct/", contributions.correction_propose, name="correct"),
    path("propose/", contributions.case_propose, name="propose"),
    path("proposals/", contributions.proposals_mine, name="proposals"),
    path("proposals/<int:pk>/", contributions.proposal_detail, name="proposal"),
    path("review/", contributions.review_queue, name="review"),
    path("resources/", library.resources, name="resources"),
    path("resources/paths/<str:role>/", library.learning_path, name="path"),
    path("places/", places.your_place, name="your_place"),
    path("places/<str:code>/", places.place, name="place"),
    path("peers/", places.peers, name="peers"),
    path("peers/<str:code>/", places.peers_for, name="peers_for"),
    path("cost-model/", places.cost_model, name="cost_model"),
    path("packs/", places.packs, name="packs"),
    path("packs/<str:code>/", places.pack, name="pack"),
    path("packs/<str:code>/pack.pdf", places.pack_pdf, name="pack_pdf"),
]
