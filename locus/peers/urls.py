from django.urls import path

from locus.peers.views import groups, meetings, people, programmes, public, reports

app_name = "peers"
urlpatterns = [
    path("", public.landing, name="landing"),
    path("new/", programmes.programme_new, name="programme_new"),
    path("facilitate/", people.facilitator_home, name="facilitate"),
    path("my/", people.member_home, name="my"),
    path("my/diagnostic/", people.diagnostic, name="diagnostic"),
    path("my/data/", people.my_data, name="my_data"),
    path("my/data.json", people.my_data_json, name="my_data_json"),
    path("my/erase/", people.my_erase, name="my_erase"),
    path("calendar/", meetings.calendar, name="calendar"),
    path("calendar/<str:token>.ics", meetings.feed, name="feed"),
    path("groups/<int:pk>/", groups.group_detail, name="group"),
    path("groups/<int:pk>/schedule/", groups.schedule, name="schedule"),
    path("meetings/<int:pk>/", meetings.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/change/", meetings.meeting_change, name="meeting_change"),
    path("meetings/<int:pk>/attendance/", meetings.attendance, name="attendance"),
    path("meetings/<int:pk>/notes/", meetings.notes, name="notes"),
    path("meetings/<int:pk>/feedback/", meetings.feedback, name="feedback"),
    path("meetings/<int:pk>/invite.ics", meetings.invite, name="invite"),
    path("<slug:slug>/", programmes.dashboard, name="dashboard"),
    path("<slug:slug>/register/", public.register, name="register"),
    path("<slug:slug>/register/done/<str:token>/", public.register_done, name="register_done"),
    path("<slug:slug>/firms/", programmes.firms, name="firms"),
    path("<slug:slug>/firms/<int:pk>/", programmes.firm_detail, name="firm"),
    path("<slug:slug>/venues/", programmes.venues, name="venues"),
    path("<slug:slug>/groups/", groups.groups, name="groups"),
    path("<slug:slug>/groups/late-joiners/", groups.groups_incremental, {"kind": "late"},
         name="groups_late"),
    path("<slug:slug>/groups/rebalance/", groups.groups_incremental, {"kind": "rebalance"},
         name="groups_rebalance"),
    path("<slug:slug>/outcomes/", reports.outcomes, name="outcomes"),
    path("<slug:slug>/outcomes/anonymised.csv", reports.outcomes_export, name="outcomes_export"),
    path("<slug:slug>/costs/", reports.costs, name="costs"),
]
