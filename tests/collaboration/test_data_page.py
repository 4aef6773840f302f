"""The Data page's import form for analysts: an error is shown by the file field too."""

from __future__ import annotations

import pytest

from locus.accounts.roles import Role
from locus.collaboration.models import MatchDecision, MatchReview
from tests.collaboration.fixtures.innovate_uk import ROWS, write_workbook
from tests.collaboration.test_pages import signed_in

pytestmark = pytest.mark.django_db


def test_a_failed_import_is_announced_at_the_file_field(client, tmp_path):
    signed_in(client, Role.ANALYST)
    rows = [dict(r) for r in ROWS]
    rows[2]["Total Costs (£)"] = "lots"
    rows[3]["Total Costs (£)"] = "more"
    with write_workbook(tmp_path / "bad.xlsx", rows).open("rb") as handle:
        page = client.post("/collaboration/data/import/", {"workbook": handle}).content.decode()
    assert 'aria-describedby="workbook-hint workbook-error"' in page and "govuk-file-upload--error" in page
    assert "bad.xlsx, sheet ‘Innovate UK funded projects’: 2 rows need fixing, listed at the top of the page" in page
    nothing = client.post("/collaboration/data/import/", {}).content.decode()
    assert ('<p id="workbook-error" class="govuk-error-message"><span class="govuk-visually-hidden">'
            "Error:</span> Select the Innovate UK funded-projects workbook to import</p>") in nothing


def test_a_decision_that_cannot_be_recorded_is_not_announced_as_done(client):
    """A pair already decided in another tab (or gone) is an error, not a green 'Done' banner."""
    signed_in(client, Role.ANALYST)
    page = client.post("/collaboration/review/", {"review": "999999", "decision": "same"},
                       follow=True).content.decode()
    banner = page[page.index("govuk-notification-banner"):]
    banner = banner[:banner.index("</div></div>")]
    assert "--success" not in banner.split(">", 1)[0] and "The decision was not recorded" in banner
    assert ">Done<" not in banner


@pytest.mark.parametrize(("review", "decision"), [("abc", "same"), (None, ""), (None, "maybe"), ("", "different")])
def test_a_changed_review_form_is_a_400_and_records_no_decision(client, review, decision):
    """'abc' was shown as Python's "invalid literal for int()", and any decision but 'same'
    (a missing one included) was recorded as 'different'."""
    signed_in(client, Role.ANALYST)
    pending = MatchReview.objects.first()
    assert pending is not None
    response = client.post("/collaboration/review/", {"review": pending.pk if review is None else review,
                                                      "decision": decision})
    assert response.status_code == 400 and "Sorry, Locus cannot use that request" in response.content.decode()
    assert not MatchDecision.objects.exists() and MatchReview.objects.filter(pk=pending.pk).exists()
