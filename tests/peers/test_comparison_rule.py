"""A firm marked comparison that was once placed in a group (or came to a meeting) is left out of
the outcomes report's comparison group: the evaluator export says so (ever_grouped and
report_arm), and the dashboard and funnel count as comparison only the firms the report does."""

from __future__ import annotations

import csv
import io

import pytest
from django.utils import timezone

from locus.peers.models import Firm
from locus.peers.outcomes import EXPORT_COLUMNS, evaluator_export_csv
from locus.peers.selectors import programme_counts, programme_funnel
from tests.peers.conftest import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def arms(programme, group):
    """Two firms marked comparison and never placed; one marked comparison after a placement
    (before Locus refused that); one participant in the group."""
    others = list(Firm.objects.filter(programme=programme, eligible=True).exclude(group=group)
                  .order_by("pk")[:3])
    Firm.objects.filter(pk__in=[f.pk for f in others[:2]]).update(
        arm="comparison", group=None, grouped_at=None)
    Firm.objects.filter(pk=others[2].pk).update(arm="comparison", group=None,
                                                grouped_at=timezone.now())
    return {"comparison": others[:2], "left_out": others[2],
            "participant": group.firms.order_by("pk").first()}


def _rows(programme) -> dict[str, dict]:
    from locus.peers.outcomes import pseudonym

    rows = csv.DictReader(io.StringIO(evaluator_export_csv(programme=programme)))
    by_id = {r["firm"]: r for r in rows}
    return {f.pk: by_id.get(pseudonym(firm_id=f.pk, programme_id=programme.pk))
            for f in Firm.objects.filter(programme=programme)}


def test_the_export_says_which_arm_the_report_counts_a_firm_in(programme, arms):
    assert {"ever_grouped", "report_arm"} <= set(EXPORT_COLUMNS)
    rows = _rows(programme)
    for firm in arms["comparison"]:
        if rows[firm.pk]:  # only firms whose contact agreed to research use are exported
            assert (rows[firm.pk]["arm"], rows[firm.pk]["ever_grouped"],
                    rows[firm.pk]["report_arm"]) == ("comparison", "no", "comparison")
    left_out = arms["left_out"]
    left_out.contacts.update(consent_research=True)
    row = _rows(programme)[left_out.pk]
    assert (row["arm"], row["ever_grouped"], row["report_arm"]) == ("comparison", "yes", "")
    participant = arms["participant"]
    participant.contacts.update(consent_research=True)
    row = _rows(programme)[participant.pk]
    assert (row["arm"], row["ever_grouped"], row["report_arm"]) == (
        "participant", "yes", "participant")


def test_the_funnel_and_dashboard_count_only_the_reports_comparison_firms(client, programme,
                                                                          arms, manager):
    stages = {s.key: s for s in programme_funnel(programme=programme)}
    assert stages["grouped"].detail.startswith("of whom 2 are in the comparison group by design")
    assert "1 was marked comparison but is left out of the outcomes report" in stages["grouped"].detail
    counts = programme_counts(programme=programme)
    assert (counts["comparison"], counts["comparison_left_out"]) == (2, 1)
    login(client, manager)
    page = client.get(f"/peers/{programme.slug}/").content.decode()
    assert "2 firms are in the comparison group" in page
    assert "1 more marked comparison" in page


def test_the_page_and_the_methodology_list_the_new_columns(client, programme, manager):
    from pathlib import Path

    login(client, manager)
    page = client.get(f"/peers/{programme.slug}/outcomes/").content.decode()
    assert "ever_grouped" in page and "report_arm" in page
    doc = (Path(__file__).resolve().parents[2] / "docs/methodology/peer-outcomes.md").read_text()
    assert "ever_grouped" in doc and "report_arm" in doc
