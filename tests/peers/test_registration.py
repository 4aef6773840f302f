"""Public registration: GOV.UK field errors, duplicates, eligibility, accounts."""

from __future__ import annotations

import pytest

from locus.peers.models import Contact, Firm

pytestmark = pytest.mark.django_db


def form(programme, **changes):
    theme = programme.themes.first()
    data = {"business_name": "Acme Widgets Ltd", "company_number": "01234567", "sic": "25.62",
            "employees": "12", "turnover": "350000", "trading_since": "2012",
            "postcode": "m1 1ae", "meeting_mode": "either", "themes": [str(theme.pk)],
            "contact_name": "Ada Lovelace", "email": "Ada@Example.org", "phone": "",
            "job_title": "Director", "consent": "on", "consent_research": "on", "password": ""}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def post(client, programme, **changes):
    return client.post(f"/peers/{programme.slug}/register/", form(programme, **changes))


def test_the_form_reads_as_a_govuk_page(client, programme):
    page = client.get(f"/peers/{programme.slug}/register/").content.decode()
    assert "Register a business" in page and "govuk-input" in page
    assert "has traded for at least 1 year" in page and "Greater Manchester" in page


def test_a_firm_registers_and_is_geocoded_and_eligible(client, programme):
    response = post(client, programme)
    assert response.status_code == 302
    firm = Firm.objects.get()
    assert firm.postcode == "M1 1AE" and firm.lad.name == "Manchester"
    assert firm.combined_authority.code == "E47000001" and firm.itl3 is not None
    assert firm.sic == "2562" and firm.eligible and firm.themes.count() == 1
    contact = firm.contacts.get()
    assert contact.email == "ada@example.org" and contact.consent_programme_at
    assert contact.consent_research and contact.user is None
    done = client.get(response["Location"]).content.decode()
    assert "Registration complete" in done and "Acme Widgets Ltd" in done


@pytest.mark.parametrize("field,value,message", [
    ("postcode", "M1 1A", "Enter a full UK postcode"),
    ("postcode", "M99 9ZZ", "could not find that postcode"),
    ("postcode", "BT1 1AA", "Northern Ireland postcodes"),
    ("company_number", "12345678X", "Companies House number in the correct format"),
    ("email", "not-an-email", "Enter an email address in the correct format"),
    ("sic", "00123", "SIC 2007 code"),
    ("employees", "lots", "Number of employees must be a whole number"),
    ("consent", None, "Confirm that we may store these details"),
])
def test_bad_input_gets_a_govuk_field_error_and_nothing_is_saved(client, programme, field,
                                                                  value, message):
    response = post(client, programme, **{field: value})
    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page and "<title>Error:" in page
    assert message in page and f'href="#id_{field}"' in page
    assert f'id="{field}-error"' in page
    assert not Firm.objects.exists()


@pytest.mark.parametrize("changes,field", [
    ({"business_name": "Another Name"}, "company_number"),  # same company number
    ({"company_number": "", "business_name": "ACME WIDGETS LIMITED"}, "business_name"),
])
def test_duplicates_are_refused_with_a_clear_message(client, programme, changes, field):
    assert post(client, programme, company_number="" if field == "business_name" else "01234567"
                ).status_code == 302
    response = post(client, programme, email="other@example.org", **changes)
    page = response.content.decode()
    assert "already registered for this programme" in page and f'href="#id_{field}"' in page
    assert Firm.objects.count() == 1 and Contact.objects.count() == 1


def test_an_ineligible_firm_is_recorded_and_told_why(client, programme):
    response = post(client, programme, employees="2", trading_since="2026")
    firm = Firm.objects.get()
    assert not firm.eligible and len(firm.ineligible_reasons) == 2
    page = client.get(response["Location"]).content.decode()
    assert "at least 5 employees" in page and "does not meet the rules" in page


def test_a_firm_outside_the_area_is_not_eligible(client, programme):
    post(client, programme, postcode="LS1 1UR")
    assert Firm.objects.get().ineligible_reasons == [
        "the business must be based in Greater Manchester"]


def test_a_password_creates_a_firm_member_account(client, programme):
    post(client, programme, password="correct-horse-battery-staple")
    contact = Contact.objects.get()
    assert contact.user.username == "ada@example.org"
    assert contact.user.groups.filter(name="firm member").exists()
    assert client.login(username="ada@example.org", password="correct-horse-battery-staple")
    assert "Acme Widgets Ltd" in client.get("/peers/my/").content.decode()


def test_a_weak_password_or_used_email_is_a_field_error(client, programme):
    page = post(client, programme, password="short").content.decode()
    assert 'href="#id_password"' in page and not Firm.objects.exists()
    post(client, programme, password="correct-horse-battery-staple")
    page = post(client, programme, company_number="", business_name="Other Ltd",
                password="correct-horse-battery-staple").content.decode()
    assert "An account already uses this email address" in page


def test_closed_registration_says_so(client, programme):
    programme.registration_open = False
    programme.save()
    page = client.get(f"/peers/{programme.slug}/register/").content.decode()
    assert "is closed" in page
