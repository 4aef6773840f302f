"""End to end on the format-faithful Innovate UK workbook, through the commands a user types:
`locus data import innovate-uk` -> registry (types, sizes, places) -> network metrics and the
per-place indicators (large–SME links) -> the mandate simulator (CLI, page and downloads)."""

from __future__ import annotations

import csv
import io

import pytest
from typer.testing import CliRunner

from locus.cli import app
from locus.collaboration.models import Dataset, Organisation
from locus.collaboration.network_data import network_for_dataset
from locus.networks.metrics import place_metrics
from tests.collaboration.fixtures.innovate_uk import ROWS, _row, write_workbook

pytestmark = pytest.mark.django_db
runner = CliRunner()
C3 = "Heavy vehicle powertrains"
# A fifth project: two large businesses and a small one (links: large–large and two large–SME).
EXTRA = [
    _row(C3, "2203", 10034567, "Hydrogen axle", "2021/22", "Northern Coatings Ltd", "Yes",
         "01234567", 200000, 500000, "Large", "M1 1AA", "Manchester", "North West"),
    _row(C3, "2203", 10034567, "Hydrogen axle", "2021/22", "Welding Giants plc", "No",
         "00999999", 100000, 300000, "Large", "SA2 8PP", "Swansea", "Wales"),
    _row(C3, "2203", 10034567, "Hydrogen axle", "2021/22", "Heat Logic Ltd", "No",
         "09876543", 100000, 150000, "Small", "NE1 7RU", "Newcastle upon Tyne", "North East"),
]
MANCHESTER, SWANSEA, NEWCASTLE, CARDIFF = "E08000003", "W06000011", "E08000021", "W06000015"


@pytest.fixture
def imported(tmp_path) -> Dataset:
    workbook = write_workbook(tmp_path / "innovate-uk.xlsx", [*ROWS, *EXTRA])
    result = runner.invoke(app, ["data", "import", "innovate-uk", str(workbook)])
    assert result.exit_code == 0, result.output
    return Dataset.objects.get(kind="imported")


def test_import_gives_the_registry_sizes_and_places(imported):
    sizes = dict(Organisation.objects.filter(company_number__in=["01234567", "00999999",
                                                                 "09876543", "SC123456"])
                 .values_list("company_number", "size"))
    assert sizes == {"01234567": "large", "00999999": "large", "09876543": "small",
                     "SC123456": "micro"}
    assert Organisation.objects.get(company_number="00999999").lad_id == SWANSEA


def test_large_sme_links_per_place_from_the_imported_workbook(imported, tmp_path):
    _, network = network_for_dataset(dataset_key=imported.key)
    places = {p.code: p for p in place_metrics(network, level="lad")}
    # Manchester (Northern Coatings): links to Tiny Sensors (micro), Leeds (university), Welding
    # Giants (large) and Heat Logic (small): 4 links, 3 between sized businesses, 2 large–SME.
    m = places[MANCHESTER]
    assert (m.links, m.sized_business_links, m.large_sme_links) == (4, 3, 2)
    assert m.large_sme_share == pytest.approx(2 / 3)
    # Swansea (Welding Giants): Cardiff University, Northern Coatings, Heat Logic.
    s = places[SWANSEA]
    assert (s.links, s.sized_business_links, s.large_sme_links) == (3, 2, 1)
    # Newcastle (Heat Logic): TWI (an RTO), Northern Coatings, Welding Giants.
    n = places[NEWCASTLE]
    assert (n.links, n.sized_business_links, n.large_sme_share) == (3, 2, 1.0)
    # Cardiff: one link, university to business: no sized pair, so the share is not known.
    assert places[CARDIFF].large_sme_share is None and not places[CARDIFF].sizes_known

    out = tmp_path / "indicators.csv"
    result = runner.invoke(app, ["collaboration", "export-network", "--dataset", imported.key,
                                 "--levels", "lad,itl3,ca", "--out", str(out)])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert list(rows[0]) == ["area_code", "area_level", "indicator", "value", "numerator",
                             "denominator", "unit", "dataset", "vintage", "source"]
    share = {(r["area_code"], r["area_level"]): r for r in rows
             if r["indicator"] == "collab_large_sme_share"}
    assert float(share[MANCHESTER, "lad"]["value"]) == pytest.approx(2 / 3)
    assert (share[MANCHESTER, "lad"]["numerator"], share[MANCHESTER, "lad"]["denominator"]) == \
        ("2", "3")
    assert (CARDIFF, "lad") not in share
    greater_manchester = Organisation.objects.get(company_number="01234567").combined_authority_id
    assert greater_manchester and (greater_manchester, "ca") in share


def test_pages_say_when_sizes_are_missing_and_show_them_when_imported(client, imported):
    wales = client.get("/collaboration/network/", {"dataset": "wales-network-2017"}).content.decode()
    assert 'id="no-sizes"' in wales and "locus data import innovate-uk FILE.xlsx" in wales
    mine = client.get("/collaboration/network/", {"dataset": imported.key}).content.decode()
    assert 'id="no-sizes"' not in mine and "2 of 3 (67 %)" in mine
    area = client.get(f"/places/{CARDIFF}/").content.decode()
    assert "Large–SME links" in area and "these data have no business sizes" in area


def test_simulator_on_the_imported_workbook_by_cli_page_and_download(client, imported, tmp_path):
    out = tmp_path / "simulation.csv"
    result = runner.invoke(app, ["collaboration", "simulate", "--rule-set", "innovate-uk-crd",
                                 "--out", str(out)])
    # Projects 1, 3 and 5 pass; 2 has a university lead, 4 is a single company.
    assert result.exit_code == 0 and "3 of 5 projects" in result.output, result.output
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    by = {(r["dimension"], r["key"]): r for r in rows}
    assert by["all", ""]["compliant_projects"] == "3"
    assert all(r["source"] and r["vintage"] and r["licence"] for r in rows)  # the CLI's CSV too
    assert by["funder", "Innovate UK"]["projects"] == "5"
    years = {k for d, k in by if d == "year"}
    assert len(years) >= 2
    assert by["lad", MANCHESTER]["projects"] == "2" and by["lad", MANCHESTER]["name"] == "Manchester"
    lead = Organisation.objects.get(company_number="01234567")
    assert by["itl3", lead.itl3_id]["compliant_projects"] == "2"
    assert by["ca", lead.combined_authority_id]["projects"] == "2"
    assert ("organisation type (participations)", "business (large)") in by

    query = {"run": "1", "rule_set": "innovate-uk-crd", "dataset": imported.key}
    page = client.get("/collaboration/simulator/", query).content.decode()
    assert 'id="project-share">60.0 %' in page
    for table in ("by-funder", "by-year", "by-lad", "by-itl3", "by-ca", "by-organisation"):
        assert f'id="{table}"' in page, table
    download = client.get("/collaboration/simulator/", query | {"format": "csv"})
    assert download["Content-Type"] == "text/csv" and "attachment" in download["Content-Disposition"]
    downloaded = list(csv.DictReader(io.StringIO(download.content.decode())))
    assert {(r["dimension"], r["key"], r["compliant_projects"]) for r in downloaded} == \
        {(r["dimension"], r["key"], r["compliant_projects"]) for r in rows}


def test_apc_match_funding_is_checked_on_the_imported_awards(imported):
    from locus.collaboration.selectors import portfolio_get
    from locus.collaboration.simulation import simulate

    result = simulate(portfolio_get(), rule_set_id="apc")
    match = next(c for c in result.changes if c["id"] == "match_funding")
    # Award Offered over Total Costs: project 1 650k of 1m, 2 550k of 700k, 3 310k of 400k and
    # 4 50k of 70k are less than 50 % match funded; project 5 (400k of 950k) is 58 % match funded.
    assert match["projects"] == 4 and "4 projects are less than 50 % match funded" in match["text"]
