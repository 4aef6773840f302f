"""Ids read from form field names or values that no database column can hold (0, above 2**63-1,
thousands of digits, non-ASCII digits) are "not a member"/"not in the list" refusals or a 4xx,
never a server error (security review H30, finding 7)."""

from __future__ import annotations

import json

import pytest

from locus.peers.models import Attendance
from tests.peers.conftest import login

pytestmark = pytest.mark.django_db

HUGE = ["99999999999999999999", str(2**63), "9" * 5000]


def _error_summary(response) -> str:
    text = response.content.decode()
    assert "govuk-error-summary" in text, text[:1500]
    return text


@pytest.mark.parametrize("fid", HUGE + ["0", "00"])
def test_attendance_form_with_an_id_no_firm_can_have_reads_not_a_member(client, facilitator, meetings, fid):
    login(client, facilitator)
    meeting = meetings[0]
    # url-encoded, as a browser form sends it (multipart caps a part's headers, so the
    # 5,000-digit name would be refused before the view)
    response = client.post(f"/peers/meetings/{meeting.pk}/attendance/", f"firm-{fid}=present",
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    text = _error_summary(response)
    assert f"not a member of group {meeting.group.label}" in text
    assert Attendance.objects.count() == 0
    assert len(text) < 200_000  # a 5,000-digit id is not echoed back whole


def test_attendance_form_with_a_huge_id_beside_a_real_member_saves_nothing(client, facilitator, meetings):
    login(client, facilitator)
    meeting = meetings[0]
    real = meeting.group.firms.order_by("pk").first()
    response = client.post(f"/peers/meetings/{meeting.pk}/attendance/",
                           {f"firm-{real.pk}": "present", "firm-99999999999999999999": "present"})
    assert response.status_code == 200
    assert "Firm 99999999999999999999 is not a member" in _error_summary(response)
    assert Attendance.objects.count() == 0


def test_attendance_form_ignores_non_ascii_digits_in_a_field_name(client, facilitator, meetings):
    """'firm-٣' is not what the page sends: it must not mark firm 3."""
    login(client, facilitator)
    meeting = meetings[0]
    real = meeting.group.firms.order_by("pk").first()
    arabic = "".join(chr(0x660 + int(d)) for d in str(real.pk))
    response = client.post(f"/peers/meetings/{meeting.pk}/attendance/", {f"firm-{arabic}": "present"})
    assert response.status_code == 200
    assert Attendance.objects.count() == 0


@pytest.mark.parametrize("fid", [0, -5, 2**63 - 1, 2**63, 10**40])
def test_attendance_service_refuses_ids_at_and_beyond_the_edges(meetings, fid):
    from locus.peers.errors import PeersFieldError
    from locus.peers.meetings import attendance_record

    with pytest.raises(PeersFieldError, match="not a member"):
        attendance_record(meeting=meetings[0], marks={fid: "present"})


@pytest.mark.parametrize("value", HUGE + ["٣", "-1", "abc"])
def test_choosing_a_facilitator_with_a_changed_id_is_a_form_error(client, manager, group, value):
    login(client, manager)
    response = client.post(f"/peers/groups/{group.pk}/", {"action": "facilitator", "facilitator": value},
                           follow=True)
    assert response.status_code == 200
    assert "Choose a facilitator from the list" in response.content.decode()
    group.refresh_from_db()
    assert group.facilitator is not None  # unchanged


@pytest.mark.parametrize("value", HUGE + ["٣", "abc"])
def test_moving_a_firm_with_a_changed_group_id_is_refused_and_keeps_the_group(client, manager, programme, grouped, value):
    login(client, manager)
    firm = programme.firms.filter(group__isnull=False).order_by("pk").first()
    before = firm.group_id
    response = client.post(f"/peers/{programme.slug}/firms/{firm.pk}/",
                           {"action": "move", "group": value})
    assert response.status_code in (400, 404)
    firm.refresh_from_db()
    assert firm.group_id == before


@pytest.mark.parametrize("path", ["/peers/groups/{n}/", "/peers/meetings/{n}/", "/peers/meetings/{n}/attendance/",
                                  "/api/v1/peers/groups/{n}", "/api/v1/peers/meetings/{n}",
                                  "/api/v1/peers/meetings/{n}/attendance"])
def test_a_huge_id_in_the_address_is_a_404_or_400(client, facilitator, meetings, path):
    login(client, facilitator)
    for n in ("99999999999999999999", "9" * 5000):
        status = client.get(path.format(n=n)).status_code
        # pages: 404; the API refuses an id it cannot read as a number with a 400 (a 422-style
        # validation answer), and a readable one no row has with a 404
        assert status == 404 or (path.startswith("/api/") and status == 400), (n[:25], status)


def test_api_attendance_with_a_huge_firm_id_is_a_4xx(client, facilitator, meetings):
    login(client, facilitator)
    response = client.post(f"/api/v1/peers/meetings/{meetings[0].pk}/attendance",
                           json.dumps({"marks": [{"firm_id": 10**20, "status": "present"}]}),
                           content_type="application/json")
    assert 400 <= response.status_code < 500
