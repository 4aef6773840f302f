"""Public registration: GOV.UK field errors, duplicates, eligibility, accounts."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from locus.accounts.models import EmailConfirmation
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
def test_a_duplicate_is_told_on_an_information_page_not_an_error(client, programme, changes,
                                                                  field):
    assert post(client, programme, company_number="" if field == "business_name" else "01234567"
                ).status_code == 302
    response = post(client, programme, email="other@example.org", **changes)
    page = response.content.decode()
    assert response.status_code == 200
    assert "already registered for this programme" in page and "is already registered</h1>" in page
    assert "govuk-error-summary" not in page and "<title>Error:" not in page  # the goal is met
    assert "You do not need to register again" in page and "Nothing new was recorded" in page
    assert 'class="govuk-back-link"' in page
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


PASSWORD = "correct-horse-battery-staple"


def _link(message) -> str:
    return re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+)", message.body).group(1)


def register_with_password(client, programme, django_capture_on_commit_callbacks, **changes):
    with django_capture_on_commit_callbacks(execute=True):
        return post(client, programme, password=PASSWORD, **changes)


def test_a_password_creates_an_account_that_works_once_the_email_is_confirmed(
        client, programme, mailoutbox, django_capture_on_commit_callbacks):
    response = register_with_password(client, programme, django_capture_on_commit_callbacks)
    contact = Contact.objects.get()
    assert contact.user.username == "ada@example.org" and not contact.user.is_active
    assert contact.user.groups.filter(name="firm member").exists()
    assert not client.login(username="ada@example.org", password=PASSWORD)
    done = client.get(response["Location"]).content.decode()
    assert "Registration complete" in done and "Check your email to sign in" in done
    assert "We have sent an email to ada@example.org" in done
    [message] = mailoutbox
    assert message.to == ["ada@example.org"] and "register Acme Widgets Ltd" in message.body
    link = _link(message)
    page = client.get(link)  # opening the link (a mail scanner, say) does not use it up
    assert page.status_code == 200 and "Confirm my email address" in page.content.decode()
    contact.user.refresh_from_db()
    assert not contact.user.is_active
    confirmed = client.post(link, {"password": PASSWORD})  # signs in: no second sign-in
    assert confirmed.status_code == 302 and confirmed["Location"] == "/peers/my/"
    my = client.get("/peers/my/").content.decode()
    assert "Acme Widgets Ltd" in my and "Email address confirmed" in my
    assert client.login(username="ada@example.org", password=PASSWORD)
    client.logout()
    again = client.post(link, {"password": PASSWORD})
    assert again.status_code == 404 and "already been used" in again.content.decode()


def test_an_expired_link_says_so_and_a_new_link_can_be_asked_for(
        client, programme, mailoutbox, django_capture_on_commit_callbacks):
    register_with_password(client, programme, django_capture_on_commit_callbacks)
    old_link = _link(mailoutbox[0])
    EmailConfirmation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    expired = client.get(old_link)
    assert expired.status_code == 404 and "This link has expired" in expired.content.decode()
    assert 'href="/accounts/confirm-email/"' in expired.content.decode()
    assert client.post(old_link, {"password": PASSWORD}).status_code == 404
    assert not get_user_model().objects.get(username="ada@example.org").is_active
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post("/accounts/confirm-email/", {"email": "ADA@example.org"})
    assert sent.status_code == 302 and len(mailoutbox) == 2
    new_link = _link(mailoutbox[1])
    assert new_link != old_link and client.post(new_link, {"password": PASSWORD}).status_code == 302
    assert client.login(username="ada@example.org", password=PASSWORD)


@pytest.mark.parametrize("email", ["nobody@example.org", "manager@example.org"])
def test_asking_for_a_new_link_says_the_same_whoever_asks(client, manager, email, mailoutbox,
                                                          django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/confirm-email/", {"email": email}, follow=True)
    assert "If an account with the address you entered" in response.content.decode()
    assert mailoutbox == []
    bad = client.post("/accounts/confirm-email/", {"email": "not an email"}).content.decode()
    assert "Enter an email address in the correct format" in bad and 'href="#id_email"' in bad


def test_signing_in_before_confirming_says_to_confirm_only_with_the_right_password(
        client, programme, django_capture_on_commit_callbacks):
    register_with_password(client, programme, django_capture_on_commit_callbacks)
    right = client.post("/accounts/sign-in/", {"username": "ada@example.org",
                                               "password": PASSWORD}).content.decode()
    assert "Confirm your email address before you sign in" in right
    assert "enter this password there" in right  # the link asks for it (ADR 17)
    assert 'href="/accounts/confirm-email/"' in right
    wrong = client.post("/accounts/sign-in/", {"username": "ada@example.org",
                                               "password": "not-the-password-1"})
    nobody = client.post("/accounts/sign-in/", {"username": "nobody@example.org",
                                                "password": "not-the-password-1"})
    for response in (wrong, nobody):
        text = response.content.decode()
        assert "Enter a correct username and password (both are case-sensitive)" in text
        assert "Confirm your email address before" not in text
    assert "_auth_user_id" not in client.session


def test_an_unconfirmed_account_blocks_the_address_only_until_its_link_expires(
        client, programme, mailoutbox, django_capture_on_commit_callbacks):
    register_with_password(client, programme, django_capture_on_commit_callbacks)
    first = Contact.objects.get()
    again = register_with_password(client, programme, django_capture_on_commit_callbacks,
                                   company_number="", business_name="Other Ltd")
    # the page says nothing of the waiting account (ADR 20 addendum): the address's owner is
    # emailed, no second account is made, and the business is registered without one
    assert again.status_code == 302 and Firm.objects.count() == 2
    assert "waiting for its email address to be confirmed" in mailoutbox[-1].body
    assert len(mailoutbox) == 2
    assert Contact.objects.get(firm__name="Other Ltd").user is None
    Firm.objects.filter(name="Other Ltd").delete()
    EmailConfirmation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    response = register_with_password(client, programme, django_capture_on_commit_callbacks,
                                      company_number="", business_name="Other Ltd")
    assert response.status_code == 302 and Firm.objects.count() == 2
    first.refresh_from_db()
    assert first.user is None and first.firm.name == "Acme Widgets Ltd"  # the firm stays
    owner = Contact.objects.get(firm__name="Other Ltd").user
    assert owner.username == "ada@example.org" and not owner.is_active
    assert client.post(_link(mailoutbox[-1]), {"password": PASSWORD}).status_code == 302
    assert client.login(username="ada@example.org", password=PASSWORD)


def test_an_account_an_administrator_deactivated_is_not_replaced_or_reactivated(
        client, programme, mailoutbox, django_capture_on_commit_callbacks):
    user = get_user_model().objects.create_user(username="ada@example.org",
                                                email="ada@example.org", is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/confirm-email/", {"email": "ada@example.org"})
    assert mailoutbox == []
    response = register_with_password(client, programme, django_capture_on_commit_callbacks)
    assert response.status_code == 302 and Contact.objects.get().user is None
    user.refresh_from_db()
    assert not user.is_active and get_user_model().objects.count() == 2  # it and the manager
    assert "If you cannot sign in, contact the programme team" in mailoutbox[-1].body


def test_a_weak_password_is_a_field_error(client, programme):
    page = post(client, programme, password="short").content.decode()
    assert 'href="#id_password"' in page and not Firm.objects.exists()


def test_closed_registration_says_so(client, programme):
    programme.registration_open = False
    programme.save()
    page = client.get(f"/peers/{programme.slug}/register/").content.decode()
    assert "is closed" in page


def test_the_landing_page_gives_the_group_sizes_a_programme_starts_with(client, db):
    """It said 'groups of 6 to 12 firms', which is neither the default (8 to 10) nor a limit."""
    from locus.peers.models import Programme

    low = Programme._meta.get_field("group_min_size").default
    high = Programme._meta.get_field("group_max_size").default
    page = client.get("/peers/").content.decode()
    assert f"{low} to {high} by default" in page and "6 to 12" not in page


def test_a_sic_code_not_in_the_list_is_refused_with_the_nearest_real_codes(client, programme):
    page = post(client, programme, sic="62019").content.decode()
    assert 'id="sic-error"' in page and "62019" in page and "62011" in page and "62012" in page
    assert not Firm.objects.exists()
    page = post(client, programme, sic="abc").content.decode()
    assert "Enter a SIC 2007 code of 4 or 5 digits, like 62012" in page
