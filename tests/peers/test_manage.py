"""Running a programme from the web: settings and eligibility rules, cohorts, firms and contacts
added by hand, and declared pairs the grouping engine must respect."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import Client

from locus.peers.errors import PeersFieldError, PeersFieldErrors
from locus.peers.firms import pair_declare, pair_remove
from locus.peers.groups import groups_form_programme
from locus.peers.models import Contact, DeclaredPair, Firm, Programme
from locus.peers.programmes import eligibility_recheck, programme_update
from locus.peers.services import ProgrammeData, programme_dates_check
from tests.peers.conftest import date_parts, login, make_user

pytestmark = pytest.mark.django_db




def edit_data(programme, **changes) -> dict:
    data = {"name": programme.name, "summary": "", "places": "Greater Manchester",
            **date_parts("starts_on", programme.starts_on), **date_parts("ends_on", programme.ends_on),
            "budget": "30000", "delivery_partner": "Growth Hub",
            "digital_themes": "Cloud accounting\nSelling online",
            "management_themes": "Setting targets", "min_years_trading": "1",
            "min_employees": "5", "max_employees": "", "min_turnover": "", "max_turnover": "",
            "group_min_size": "5", "group_max_size": "7", "comparison": "waitlist",
            "registration_open": "on", "require_in_area": "on", "max_km": "40",
            "competitor_km": "25", "sector_cap": "2", "time_limit_seconds": "5",
            "meeting_minutes": "180", "completion_meetings": "4"}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_the_edit_page_shows_the_current_settings_in_date_inputs(client, programme, manager):
    page = login(client, manager).get(f"/peers/{programme.slug}/edit/").content.decode()
    assert f'name="starts_on-day" type="text" value="{programme.starts_on.day}"' in page
    assert 'name="max_turnover"' in page and "Growth Hub" in page
    assert "Greater Manchester" in page


def test_a_max_turnover_rule_makes_bigger_firms_ineligible_unless_grouped(
        client, programme, firms, manager):
    Firm.objects.filter(pk=firms[0].pk).update(turnover=900_000)
    Firm.objects.filter(pk__in=[f.pk for f in firms[1:]]).update(turnover=200_000)
    response = login(client, manager).post(f"/peers/{programme.slug}/edit/",
                                           edit_data(programme, max_turnover="500000"))
    assert response.status_code == 302
    programme.refresh_from_db()
    assert programme.max_turnover == 500_000
    big = Firm.objects.get(pk=firms[0].pk)
    assert not big.eligible and big.ineligible_reasons == [
        "annual turnover must be no more than £500,000"]
    assert Firm.objects.filter(programme=programme, eligible=True).count() == 17
    # removing the rule makes it eligible again
    client.post(f"/peers/{programme.slug}/edit/", edit_data(programme))
    assert Firm.objects.get(pk=firms[0].pk).eligible


def test_firms_already_in_a_group_keep_their_eligibility(programme, grouped):
    grouped_firm = Firm.objects.filter(programme=programme, group__isnull=False).first()
    Firm.objects.filter(pk=grouped_firm.pk).update(employees=1)
    assert eligibility_recheck(programme=programme) == 0
    assert Firm.objects.get(pk=grouped_firm.pk).eligible


@pytest.mark.parametrize("changes,target,message", [
    ({"starts_on-month": ""}, "id_starts_on-month", "Start date must include a month"),
    ({"starts_on-day": "", "starts_on-month": ""}, "id_starts_on-day",
     "Start date must include a day and month"),
    ({"ends_on-day": "31", "ends_on-month": "2"}, "id_ends_on-day", "End date must be a real date"),
    ({"ends_on-month": "13"}, "id_ends_on-month", "End date must be a real date"),
    ({"starts_on-year": "26"}, "id_starts_on-year", "Year must include 4 numbers"),
    ({"starts_on-day": "", "starts_on-month": "", "starts_on-year": ""}, "id_starts_on-day",
     "Enter the start date"),
    ({"min_turnover": "600000", "max_turnover": "500000"}, "id_min_turnover",
     "The minimum turnover cannot be more than the maximum"),
    ({"min_employees": "50", "max_employees": "10"}, "id_min_employees",
     "The minimum number of employees cannot be more than the maximum"),
    ({"places": "Atlantis"}, "id_places", "No Combined Authority or district is called"),
    ({"starts_on-year": "1900"}, "id_starts_on-day",
     "Start date must be between 1 January 2000 and 31 December"),
    ({"ends_on-year": "2999"}, "id_ends_on-day",
     "End date must be between 1 January 2000 and 31 December"),
])
def test_bad_settings_are_govuk_field_errors(client, programme, manager, changes, target,
                                             message):
    page = login(client, manager).post(f"/peers/{programme.slug}/edit/",
                                       edit_data(programme, **changes)).content.decode()
    assert page.startswith("<!DOCTYPE html>") and "<title>Error:" in page
    assert f'href="#{target}"' in page and message in page
    assert "govuk-input--error" in page and "govuk-form-group--error" in page


def test_themes_can_be_added_and_removed(client, programme, manager):
    login(client, manager).post(f"/peers/{programme.slug}/edit/", edit_data(
        programme, digital_themes="Cloud accounting\nUsing AI safely"))
    names = set(programme.themes.values_list("name", flat=True))
    assert names == {"Cloud accounting", "Using AI safely", "Setting targets"}


def test_cohorts_are_created_listed_and_shown_with_their_firms(client, programme, firms,
                                                               manager):
    login(client, manager)
    day = programme.starts_on + timedelta(days=30)
    response = client.post(f"/peers/{programme.slug}/cohorts/",
                           {"name": "Spring intake", **date_parts("starts_on", day)})
    cohort = programme.cohorts.get(name="Spring intake")
    assert response["Location"] == f"/peers/{programme.slug}/cohorts/{cohort.pk}/"
    Firm.objects.filter(pk__in=[f.pk for f in firms[:3]]).update(cohort=cohort)
    page = client.get(f"/peers/{programme.slug}/cohorts/").content.decode()
    assert "Spring intake" in page and "Cohort 1" in page
    detail = client.get(response["Location"]).content.decode()
    assert "Firms (3)" in detail and firms[0].name in detail and 'id="funnel"' in detail
    again = client.post(f"/peers/{programme.slug}/cohorts/", {"name": "spring intake"})
    assert "already has a cohort called" in again.content.decode()
    late = client.post(f"/peers/{programme.slug}/cohorts/", {
        "name": "Too late", **date_parts("starts_on", programme.ends_on + timedelta(days=1))})
    assert "start and end dates" in late.content.decode()


def firm_form(**changes) -> dict:
    data = {"business_name": "Lovelace Engines Ltd", "company_number": "", "sic": "28110",
            "employees": "12", "turnover": "", "trading_since": "2012", "postcode": "M1 1AE",
            "meeting_mode": "either", "contact_name": "Ada Lovelace",
            "email": "ada@example.org", "consent": "on"}
    data.update(changes)
    return data


def test_a_manager_adds_a_firm_with_geocoding_and_consent(client, programme, manager):
    login(client, manager)
    cohort = programme.cohorts.first()
    response = client.post(f"/peers/{programme.slug}/firms/new/",
                           firm_form(cohort=str(cohort.pk)))
    firm = Firm.objects.get(name="Lovelace Engines Ltd")
    assert response["Location"] == f"/peers/{programme.slug}/firms/{firm.pk}/"
    assert firm.eligible and firm.cohort == cohort and firm.lad.name == "Manchester"
    contact = firm.contacts.get()
    assert contact.consent_programme_at is not None and contact.user is None
    again = client.post(f"/peers/{programme.slug}/firms/new/",
                        firm_form(cohort=str(cohort.pk), business_name="Lovelace Engines"))
    assert "is already registered for this programme" in again.content.decode()
    assert Firm.objects.filter(programme=programme).count() == 1


@pytest.mark.parametrize("changes,message", [
    ({"consent": ""}, "Confirm that the contact agreed"),
    ({"postcode": "M99 9ZZ"}, "could not find that postcode"),
    ({"company_number": "12"}, None),
    ({"company_number": "ABC"}, "Enter a Companies House number in the correct format"),
    ({"email": "not-an-email"}, "Enter an email address in the correct format"),
])
def test_bad_firm_details_are_field_errors(client, programme, manager, changes, message):
    login(client, manager)
    data = firm_form(cohort=str(programme.cohorts.first().pk), **changes)
    response = client.post(f"/peers/{programme.slug}/firms/new/", data)
    if message is None:  # a short all-digit number is padded, not refused
        assert Firm.objects.get().company_number == "00000012"
        return
    assert message in response.content.decode() and not Firm.objects.exists()


def test_a_manager_adds_a_contact_with_consent(client, programme, firms, manager):
    login(client, manager)
    path = f"/peers/{programme.slug}/firms/{firms[0].pk}/contacts/new/"
    refused = client.post(path, {"name": "Charles Babbage", "email": "cb@example.org"})
    assert "Confirm that the contact agreed" in refused.content.decode()
    client.post(path, {"name": "Charles Babbage", "email": "CB@example.org", "consent": "on",
                       "consent_research": "on"})
    contact = Contact.objects.get(name="Charles Babbage")
    assert contact.email == "cb@example.org" and contact.consent_research
    assert not contact.is_primary
    duplicate = client.post(path, {"name": "C B", "email": "cb@example.org", "consent": "on"})
    assert "is already a contact" in duplicate.content.decode()


def test_declared_pairs_are_never_grouped_together(programme, firms, manager):
    pairs = [(firms[i], firms[j]) for i, j in ((0, 1), (2, 3), (4, 5), (0, 6), (7, 8))]
    for a, b in pairs:
        pair_declare(firm=a, other=b, kind="customer_supplier", user=manager)
    groups_form_programme(programme=programme, user=manager)
    group_of = dict(Firm.objects.filter(programme=programme).values_list("pk", "group_id"))
    for a, b in pairs:
        assert group_of[a.pk] is None or group_of[a.pk] != group_of[b.pk]
    assert set(firms[1].avoid.all()) == {firms[0]}


def test_the_pairs_page_adds_warns_and_removes(client, programme, grouped, manager):
    group = programme.groups.order_by("label").first()
    a, b = list(group.firms.order_by("pk"))[:2]
    login(client, manager)
    path = f"/peers/{programme.slug}/firms/{a.pk}/pairs/"
    first = client.get(path).content.decode()  # a plain page load is not a failed submission
    assert "govuk-error-summary" not in first and "Choose the other firm" not in first
    response = client.post(path, {"action": "add", "other": str(b.pk), "kind": "competitor",
                                  "note": "declared at registration"}, follow=True)
    page = response.content.decode()
    assert f"are both in group {group.label} today" in page and "Competitors" in page
    assert list(b.avoid.all()) == [a]
    again = client.post(path, {"action": "add", "other": str(b.pk), "kind": "competitor"})
    assert "are already kept apart" in again.content.decode()
    pair = DeclaredPair.objects.get()
    client.post(path, {"action": "remove", "pair": str(pair.pk)})
    assert not DeclaredPair.objects.exists() and not a.avoid.exists()


def test_a_pair_across_programmes_or_with_itself_is_refused(programme, firms, manager):
    from locus.peers.errors import PeersFieldError

    with pytest.raises(PeersFieldError, match="different firm"):
        pair_declare(firm=firms[0], other=firms[0], kind="competitor")
    with pytest.raises(PeersFieldError, match="Choose why"):
        pair_declare(firm=firms[0], other=firms[1], kind="friends")
    pair, _ = pair_declare(firm=firms[3], other=firms[1], kind="conflict")
    assert (pair.firm_a, pair.firm_b) == (firms[1], firms[3])
    pair_remove(pair=pair)
    assert not firms[1].avoid.exists()


MANAGE_PAGES = ["/peers/{p}/edit/", "/peers/{p}/cohorts/", "/peers/{p}/cohorts/{c}/",
                "/peers/{p}/firms/new/", "/peers/{p}/firms/{f}/contacts/new/",
                "/peers/{p}/firms/{f}/pairs/", "/peers/{p}/firms/{f}/contacts/{k}/invite/",
                "/peers/groups/{g}/invite-facilitator/", "/peers/{p}/managers/invite/"]


@pytest.mark.parametrize("path", MANAGE_PAGES)
def test_only_the_programmes_managers_and_administrators_may_use_these_pages(
        path, programme, group, manager, facilitator):
    firm = group.firms.first()
    url = path.format(p=programme.slug, c=programme.cohorts.first().pk, f=firm.pk,
                      k=firm.contacts.first().pk, g=group.pk)
    expected = {"manager": 200, "admin": 200, "other_manager": 403, "facilitator": 403,
                "member": 403}
    users = {"manager": manager, "admin": make_user("admin", "administrator"),
             "other_manager": make_user("other", "programme manager"),
             "facilitator": facilitator, "member": make_user("member9", "firm member")}
    for role, user in users.items():
        c = Client(HTTP_HOST="localhost")
        c.force_login(user)
        assert c.get(url).status_code == expected[role], role
        if expected[role] == 403:
            assert c.post(url, {"name": "x"}).status_code == 403, role
    anonymous = Client(HTTP_HOST="localhost").get(url)
    assert anonymous.status_code == 302 and "/accounts/sign-in/" in anonymous["Location"]


def test_a_hand_move_next_to_a_declared_pair_is_refused(programme, grouped, manager):
    from locus.peers.errors import PeersFieldError
    from locus.peers.groups import firm_move

    first, second = programme.groups.order_by("label")[:2]
    mover, rival = first.firms.order_by("pk").first(), second.firms.order_by("pk").first()
    pair_declare(firm=mover, other=rival, kind="competitor")
    with pytest.raises(PeersFieldError, match=f"must be kept apart from {rival.name}"):
        firm_move(firm=mover, group=second)
    assert Firm.objects.get(pk=mover.pk).group_id == first.pk



def test_peers_pages_use_classes_not_inline_styles(client, programme, group, manager):
    """The group tables scroll with the peers-table-scroll class (CSP-friendly stylesheet)."""
    login(client, manager)
    for path in (f"/peers/groups/{group.pk}/", f"/peers/{programme.slug}/",
                 f"/peers/{programme.slug}/cohorts/"):
        page = client.get(path).content.decode()
        assert ' style="' not in page, path
        assert "/static/peers/peers.css" in page
    assert 'class="peers-table-scroll"' in client.get(f"/peers/groups/{group.pk}/").content.decode()


def test_a_manager_starts_a_programme_with_date_inputs_and_a_turnover_ceiling(client, manager):
    from datetime import date

    from locus.peers.models import Programme

    login(client, manager)
    data = {"name": "Tees Valley Peer Network", "places": "E47000006", "budget": "40000",
            **date_parts("starts_on", date(2027, 1, 11)), **date_parts("ends_on", date(2027, 12, 17)),
            "digital_themes": "Cloud accounting", "management_themes": "", "min_years_trading": "1",
            "min_employees": "5", "max_turnover": "10000000", "group_min_size": "8",
            "group_max_size": "10", "comparison": "none", "open_registration": "yes"}
    bad = client.post("/peers/new/", {**data, "ends_on-year": "27"}).content.decode()
    assert "Year must include 4 numbers" in bad and 'href="#id_ends_on-year"' in bad
    response = client.post("/peers/new/", data)
    programme = Programme.objects.get(name="Tees Valley Peer Network")
    assert response["Location"] == f"/peers/{programme.slug}/"
    assert (programme.starts_on, programme.ends_on) == (date(2027, 1, 11), date(2027, 12, 17))
    assert programme.max_turnover == 10_000_000 and programme.cohorts.get().name == "Cohort 1"
    register = client.get(f"/peers/{programme.slug}/register/").content.decode()
    assert "annual turnover of no more than £10,000,000" in register


def test_an_end_date_on_or_before_the_start_is_refused_at_the_field(client, programme,
                                                                     manager):
    login(client, manager)
    for end in (programme.starts_on, programme.starts_on - timedelta(days=1)):
        page = client.post(f"/peers/{programme.slug}/edit/",
                           edit_data(programme, **date_parts("ends_on", end))).content.decode()
        assert "<title>Error:" in page and 'href="#id_ends_on-day"' in page
        assert "The end date must be after the start date" in page
    programme.refresh_from_db()
    assert programme.ends_on > programme.starts_on


def test_implausible_dates_are_refused_on_the_new_programme_page_and_nothing_is_created(
        client, programme, manager):
    data = edit_data(programme, name="Typo network", **date_parts("starts_on", date(1900, 4, 1)),
                     **date_parts("ends_on", date(2999, 3, 31)), open_registration="yes")
    page = login(client, manager).post("/peers/new/", data).content.decode()
    assert 'href="#id_starts_on-day"' in page and 'href="#id_ends_on-day"' in page
    assert "Start date must be between 1 January 2000" in page
    assert "End date must be between 1 January 2000" in page
    assert not Programme.objects.filter(name="Typo network").exists()


def test_programme_dates_check_gives_every_problem_and_allows_the_edges():
    today = date(2026, 11, 29)
    programme_dates_check(starts_on=date(2000, 1, 1), ends_on=date(2036, 12, 31), today=today)
    with pytest.raises(PeersFieldErrors) as caught:
        programme_dates_check(starts_on=date(1999, 12, 31), ends_on=date(2037, 1, 1),
                              today=today)
    assert [(e.field, str(e)) for e in caught.value.errors] == [
        ("starts_on", "Start date must be between 1 January 2000 and 31 December 2036"),
        ("ends_on", "End date must be between 1 January 2000 and 31 December 2036")]
    with pytest.raises(PeersFieldError, match="end date must be after") as caught:
        programme_dates_check(starts_on=date(2026, 1, 1), ends_on=date(2026, 1, 1), today=today)
    assert caught.value.field == "ends_on"


def test_the_service_refuses_implausible_dates_without_changing_the_programme(programme):
    with pytest.raises(PeersFieldError, match="End date must be between"):
        programme_update(programme=programme, data=ProgrammeData(
            name=programme.name, starts_on=programme.starts_on, ends_on=date(2999, 1, 1),
            place_codes=[a.code for a in programme.places.all()]))
    programme.refresh_from_db()
    assert programme.ends_on.year < 2999
