"""The programme manager's pages read plainly: groups below the smallest size are flagged and
named before rebalancing breaks them up, and a change that rounds to zero reads +0.000, not -0.000."""

from __future__ import annotations

from django.template import engines
from django.utils import timezone

from .conftest import login


def test_a_group_below_the_smallest_size_is_flagged_before_rebalancing(
        client, meetings, group, programme, manager):
    login(client, manager)
    url = f"/peers/{programme.slug}/groups/"
    before = client.get(url).content.decode()
    assert "No group has fewer than 5 firms" in before and "Below 5" not in before
    members = list(group.firms.filter(withdrawn_at__isnull=True).order_by("name"))
    for firm in members[: len(members) - 4]:  # drop-outs leave the group with 4 firms
        firm.withdrawn_at = timezone.now()
        firm.save()
    page = client.get(url).content.decode()
    row = page[page.index(f">Group {group.label}</a>"):]
    row = row[:row.index("</tr>")]
    assert ">4 <strong class=\"govuk-tag govuk-tag--orange\">Below 5</strong>" in row
    effect = page[page.index('id="rebalance-effect"'):]
    assert effect.startswith(f'id="rebalance-effect">Rebalancing now would break up group '
                             f"{group.label}: it has fewer than 5 firms.")
    dashboard = client.get(f"/peers/{programme.slug}/").content.decode()
    assert f"Rebalance</a>: group {group.label} has fewer than 5 firms" in dashboard
    own = client.get(f"/peers/groups/{group.pk}/").content.decode()
    assert "Below 5</strong>" in own and 'id="below-minimum"' in own


def test_a_change_that_rounds_to_zero_has_no_sign():
    env = engines["jinja2"].env
    signed = env.from_string('{% from "peers/_macros.html" import signed %}'
                             "{{ signed(a) }} {{ signed(b) }} {{ signed(c) }} {{ signed(d) }}")
    assert signed.render(a=-0.0001, b=0.0, c=-0.0125, d=0.2) == "+0.000 +0.000 -0.013 +0.200"


def test_pounds_are_read_as_typed_and_errors_follow_the_page_order(client, manager):
    """'12,000' was refused as a budget (the cost ledger reads it); the error for a missing
    place came after the budget's though the field comes before the dates."""
    from datetime import date

    from locus.peers.forms import RegistrationForm
    from locus.peers.models import Programme

    from .conftest import date_parts

    login(client, manager)
    empty = client.post("/peers/new/", {"group_min_size": "8", "group_max_size": "10",
                                        "comparison": "none"}).content.decode()
    summary = empty[empty.index("govuk-error-summary__list"):empty.index("</ul>",
                    empty.index("govuk-error-summary__list"))]
    order = [summary.index(m) for m in ("Enter the programme",
                                        "Enter at least one place served", "Enter the start date",
                                        "Enter the end date", "Enter the budget")]
    assert order == sorted(order)
    data = {"name": "Bolton Makers Circle", "places": "Bolton", "budget": "£12,000.50",
            **date_parts("starts_on", date(2027, 1, 4)), **date_parts("ends_on", date(2027, 6, 30)),
            "max_turnover": "£2,000,000", "min_turnover": "50 000", "group_min_size": "8",
            "group_max_size": "10", "comparison": "none", "open_registration": "yes"}
    assert client.post("/peers/new/", data).status_code == 302
    programme = Programme.objects.get(name="Bolton Makers Circle")
    assert str(programme.budget) == "12000.50"
    assert (programme.min_turnover, programme.max_turnover) == (50_000, 2_000_000)
    form = RegistrationForm({"turnover": "£420,000"})
    form.is_valid()
    assert form.cleaned_data["turnover"] == 420_000 and "turnover" not in form.errors
    bad = RegistrationForm({"turnover": "lots"})
    assert not bad.is_valid() and "Turnover must be a number of pounds" in bad.errors["turnover"][0]


def test_a_new_programmes_next_step_is_to_recruit_not_to_form_groups(client, programme, manager,
                                                                     gm_postcodes):
    """With no firms the programme page said 'Form groups from the eligible firms'."""
    from .conftest import add_firm

    login(client, manager)
    url = f"/peers/{programme.slug}/"
    page = client.get(url).content.decode()
    steps = page[page.index("Next steps"):page.index("</ul>", page.index("Next steps"))]
    assert "Recruit firms: share the" in steps and f"/peers/{programme.slug}/register/" in steps
    assert f"/peers/{programme.slug}/firms/new/" in steps and "Form groups" not in steps
    firm = add_firm(programme, gm_postcodes[0], 0, eligible=False)
    page = client.get(url).content.decode()
    assert "The one firm registered is not eligible yet" in page
    firm.eligible = True
    firm.save()
    add_firm(programme, gm_postcodes[1], 1)
    page = client.get(url).content.decode()
    assert "</a> from the 2 eligible firms" in page and "Recruit firms" not in page
