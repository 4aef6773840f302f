"""The business survey's form (QA H20 F7, F8): the error summary names each unanswered question
(it listed "Answer this question" six times and "Say whether the business uses this" ten), and
only the survey waves open today are offered, the others named with their opening dates."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.peers.conftest import login

pytestmark = pytest.mark.django_db


def test_an_empty_survey_names_every_question_in_the_summary(client, member):
    html = login(client, member).post("/peers/my/diagnostic/", {"wave": "baseline"}
                                      ).content.decode()
    summary = html[html.index("govuk-error-summary"):html.index("</ul>",
                                                                  html.index("govuk-error-summary"))]
    assert "Answer this question" not in html and "uses this" not in html
    assert "what usually happens?" in summary  # the continuous-improvement question
    assert "Say whether the business uses cloud computing" in summary
    assert "Say whether the business uses selling online (e-commerce)" in summary
    links = summary.count("<li>") or summary.count("<a ")
    assert links >= 16 and len(set(summary.split("</a>"))) >= 16  # every entry different


def test_only_open_waves_are_offered_and_the_others_say_when_they_open(client, member,
                                                                       programme):
    html = login(client, member).get("/peers/my/diagnostic/").content.decode()
    assert 'name="wave" type="radio" value="baseline"' in html
    assert 'value="end"' not in html and 'value="follow_up"' not in html
    end = programme.ends_on - timedelta(days=28)
    assert f"Programme end (opens on {end.day} {end:%B %Y})" in html
    assert "Six months after the end (opens on" in html
    programme.ends_on = timezone.localdate() + timedelta(days=10)
    programme.save()
    html = client.get("/peers/my/diagnostic/").content.decode()
    assert 'value="end"' in html and 'value="follow_up"' not in html


def test_the_confirmation_rounds_the_scores_as_the_table_does(client, member):
    from tests.peers.test_outcomes_costs import LOW

    login(client, member)
    response = client.post("/peers/my/diagnostic/", {"wave": "baseline", **LOW}, follow=True)
    html = response.content.decode()
    saved = member.peer_contact.firm.diagnostics.get(wave="baseline")
    shown = f"{saved.management_score:.3f}"
    assert f"Your management practices score is {shown} and" in html
    assert f"adoption index is {saved.digital_index:.3f} (both" in html
    table = html[html.index('id="surveys"'):html.index("</table>", html.index('id="surveys"'))]
    assert shown in table
