"""Contribution and moderation: who may propose, see and review; GOV.UK field errors; history."""

from __future__ import annotations

import pytest

from locus.errors import PolicyError
from locus.policy import services
from locus.policy.models import Case, CaseRevision, Proposal, ProposalKind, ProposalStatus
from locus.policy.permissions import can_review_proposal, can_view_proposal, is_editor

from .conftest import PASSWORD

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("policy_library")]
ROLES = ["administrator", "analyst", "programme manager", "facilitator", "firm member"]
EDITORS = {"administrator", "analyst"}

NEW_CASE = {
    "title": "Tees Valley digital peer groups", "summary": "A test case about facilitated peer "
    "groups of small firms learning digital tools together.", "place": "Tees Valley",
    "country": "United Kingdom", "geography_level": "city_region", "area_code": "E47000006",
    "year_start": "2021", "year_end": "2023", "stages": ["productivity"],
    "delivery_body": "A test delivery body", "what_was_done": "Six facilitated meetings.",
    "outcomes": "", "evaluation_method": "", "sms_rating": "", "sms_justification": "",
    "source_publisher": "Example Publisher", "source_title": "Example report",
    "source_url": "https://www.example.org/report", "source_date": "2023-05-01",
}


def _signed_in(client, make_user, role, name=None):
    user = make_user(name or role.replace(" ", "_"), role)
    assert client.login(username=user.username, password=PASSWORD)
    return user


@pytest.mark.parametrize("role", ROLES)
def test_editor_permission_per_role(make_user, role):
    user = make_user(role.replace(" ", "_"), role)
    assert is_editor(user) is (role in EDITORS)


def test_anonymous_visitors_are_sent_to_sign_in(client):
    for path in ("/policy/propose/", "/policy/review/", "/policy/proposals/",
                 "/policy/cases/imec/correct/"):
        response = client.get(path)
        assert response.status_code == 302 and "/accounts/sign-in/" in response["Location"]


@pytest.mark.parametrize("role", ROLES)
def test_every_signed_in_role_may_propose_and_only_editors_review(client, make_user, role):
    user = _signed_in(client, make_user, role)
    response = client.post("/policy/propose/", NEW_CASE)
    assert response.status_code == 302
    proposal = Proposal.objects.get(proposed_by=user)
    assert proposal.status == ProposalStatus.PENDING and proposal.data["area_code"] == "E47000006"
    assert client.get(f"/policy/proposals/{proposal.pk}/").status_code == 200  # own proposal
    assert client.get("/policy/review/").status_code == (200 if role in EDITORS else 403)
    # Nobody reviews their own proposal, editor or not.
    decision = client.post(f"/policy/proposals/{proposal.pk}/", {"decision": "accept"})
    assert decision.status_code == 403
    assert Proposal.objects.get(pk=proposal.pk).status == ProposalStatus.PENDING


@pytest.mark.parametrize("role", ROLES)
def test_who_may_see_and_decide_someone_elses_proposal(client, make_user, role):
    author = make_user("author", "firm member")
    proposal = services.proposal_create(user=author, kind=ProposalKind.NEW, data={
        **NEW_CASE, "stages": ["productivity"], "sms_rating": None, "area_code": None,
        "year_start": None, "year_end": None,
        "source": {"publisher": "P", "title": "T", "url": "https://example.org", "date": None}})
    user = _signed_in(client, make_user, role, name="reviewer")
    assert can_view_proposal(user, proposal) is (role in EDITORS)
    assert can_review_proposal(user, proposal) is (role in EDITORS)
    page = client.get(f"/policy/proposals/{proposal.pk}/")
    assert page.status_code == (200 if role in EDITORS else 403)
    response = client.post(f"/policy/proposals/{proposal.pk}/", {"decision": "accept"})
    if role in EDITORS:
        assert response.status_code == 302
        proposal.refresh_from_db()
        case = proposal.case
        assert proposal.status == ProposalStatus.ACCEPTED and case.status == "published"
        assert case.reviewed_by == user and case.reviewed_at and case.contributed_by == author
        assert case.revisions.get().action == "created"
        page = client.get(f"/policy/cases/{case.slug}/").content.decode()
        assert "Reviewed by reviewer on" in page and "Proposed by author" in page
        assert "unknown" in page  # scale and outcomes were not given
    else:
        assert response.status_code == 403
        assert Proposal.objects.get(pk=proposal.pk).status == ProposalStatus.PENDING


def test_proposal_field_errors(client, make_user):
    _signed_in(client, make_user, "firm member")
    bad = {**NEW_CASE, "title": "", "source_url": "not a web address", "sms_rating": "4",
           "sms_justification": "", "geography_level": ""}
    page = client.post("/policy/propose/", bad).content.decode()
    assert "<title>Error:" in page and "govuk-error-summary" in page
    for message in ("Enter the name of the case", "Enter a web address in the correct format",
                    "Explain the evidence rating: name the study and its design",
                    "Select the geography level",
                    "Describe the evaluation that the rating is based on"):
        assert message in page, message
    assert 'href="#id_title"' in page and 'href="#geography_level"' in page
    assert "govuk-input--error" in page and "govuk-error-message" in page
    assert not Proposal.objects.exists()
    years = client.post("/policy/propose/", {**NEW_CASE, "year_start": "2024",
                                             "year_end": "2020", "area_code": "X1"})
    text = years.content.decode()
    assert "The end year must be the same as or after the start year" in text
    assert "Enter an area code that Locus knows" in text


def test_a_correction_is_reviewed_recorded_and_survives_a_reload(client, make_user):
    from locus.policy.loaders import policy_bundled_load

    from .conftest import POLICY_DATA

    author = _signed_in(client, make_user, "facilitator", name="fixer")
    case = Case.objects.get(slug="prosper-peer-works")
    before = case.delivery_body
    missing = client.post(f"/policy/cases/{case.slug}/correct/", {"field": "delivery_body"})
    assert "Enter the corrected text" in missing.content.decode()
    assert "Explain what is wrong" in missing.content.decode()
    response = client.post(f"/policy/cases/{case.slug}/correct/", {
        "field": "delivery_body", "value": "Prosper (a test correction)",
        "reason": "The source names Prosper.", "source_publisher": "Prosper",
        "source_title": "About Peer Works", "source_url": "https://prosper.scot/"})
    assert response.status_code == 302
    proposal = Proposal.objects.get(proposed_by=author)
    client.logout()
    editor = _signed_in(client, make_user, "analyst", name="editor")
    reject = client.post(f"/policy/proposals/{proposal.pk}/", {"decision": "reject"})
    assert "Say why the proposal is not accepted" in reject.content.decode()
    client.post(f"/policy/proposals/{proposal.pk}/", {"decision": "accept"})
    case.refresh_from_db()
    assert case.delivery_body == "Prosper (a test correction)" and case.reviewed_by == editor
    revision = case.revisions.get(action="corrected")
    assert revision.changes["delivery_body"] == [before, "Prosper (a test correction)"]
    new_source = case.sources.order_by("-position").first()
    assert case.field_sources["delivery_body"] == [new_source.position]
    history = client.get(f"/policy/cases/{case.slug}/history/").content.decode()
    assert "corrected" in history and "editor" in history
    # A reload of the bundled library keeps the accepted correction (and its history).
    policy_bundled_load(data_dir=POLICY_DATA, force=True)
    case = Case.objects.get(slug="prosper-peer-works")
    assert case.delivery_body == "Prosper (a test correction)" and case.reviewed_by == editor
    assert CaseRevision.objects.filter(case=case, action="corrected").count() == 1
    assert not CaseRevision.objects.filter(case=case, action="updated").exists()


def test_services_refuse_what_views_refuse(make_user):
    author = make_user("someone", "firm member")
    with pytest.raises(PolicyError):
        services.proposal_create(user=author, kind=ProposalKind.CORRECTION, data={"field": "slug"},
                                 case=Case.objects.get(slug="imec"))
    with pytest.raises(PolicyError):
        services.proposal_create(user=author, kind=ProposalKind.CORRECTION,
                                 data={"field": "summary"},
                                 case=Case.objects.get(slug="stip-2021-4451"))
    proposal = services.proposal_create(user=author, kind=ProposalKind.CORRECTION, data={
        "field": "summary", "value": "x" * 50, "reason": "r",
        "source": {"publisher": "p", "title": "t", "url": "https://e.org", "date": None}},
        case=Case.objects.get(slug="imec"))
    with pytest.raises(PolicyError):
        services.proposal_review(proposal=proposal, user=author, accept=True)
    admin = make_user("boss", "administrator")
    with pytest.raises(PolicyError, match="Say why"):
        services.proposal_review(proposal=proposal, user=admin, accept=False)
    services.proposal_review(proposal=proposal, user=admin, accept=False, note="No source.")
    with pytest.raises(PolicyError):  # already decided
        services.proposal_review(proposal=proposal, user=admin, accept=True)
