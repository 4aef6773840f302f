"""What a reader needs beside a figure: stage-score licences whole and once, a trend's unit (and
"flat" rather than +0.000), the APS survey caution and Horizon 2020's partial first and last years."""

from __future__ import annotations

import csv
import io
import re

import pytest
from markupsafe import escape  # as the Jinja2 templates escape (an apostrophe is &#39;)

from locus.atlas import selectors as sel

pytestmark = pytest.mark.django_db

GM = "E47000001"  # Greater Manchester (Combined Authority)
APS_START = "Survey estimate (Annual Population Survey)"


def _csv(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_score_licences_are_each_inputs_whole_sentence_once_in_manifest_order(atlas_loaded):
    prov = sel.score_provenance(build=atlas_loaded)
    texts = [i["licence"] for i in atlas_loaded.manifest["inputs"] if i.get("licence")]
    assert prov["licences"] == list(dict.fromkeys(texts))  # whole, once, in the inputs' order
    assert len(prov["licences"]) < len(texts)  # the Nesta files share theirs: given once
    for fragment in ("compiled by Locus", "repository copy MIT", "processed by Nesta, repository MIT (Nesta 2021)"):
        assert fragment not in prov["licences"]  # a qualifier never stands alone as if it were a licence
    assert "CC BY 4.0 (Eurostat); compiled by Locus" in prov["licences"]
    assert prov["licence"] == " ".join(f"{t}." for t in prov["licences"])


def test_the_profile_lists_the_scores_licences_whole(client, atlas_loaded):
    page = client.get(f"/atlas/areas/{GM}/").content.decode()
    box = page.split('class="govuk-list govuk-list--bullet govuk-body-s locus-prov-licences">')[1].split("</ul>")[0]
    items = re.findall(r"<li>(.*?)</li>", box)
    assert items == [escape(t) for t in sel.score_provenance(build=atlas_loaded)["licences"]]
    assert "<li>compiled by Locus</li>" not in page and "<li>repository copy MIT</li>" not in page


def test_a_trend_gives_its_unit_and_a_tiny_slope_reads_flat(client, atlas_loaded):
    from locus.atlas import models as m

    # a slope under 0.0005 a year printed "+0.000" (Greater Manchester's research base did, until its
    # latest score moved from the partial 2020 to 2019); any Combined Authority's or ITL3 area's such slope will do
    tiny = (m.StageScore.objects.filter(level__in=["ca", "itl3"], is_latest=True, trend__gt=-0.0005,
                                        trend__lt=0.0005).order_by("level", "area_code", "stage").first())
    assert tiny is not None and abs(tiny.trend) < 0.0005
    page = client.get(f"/atlas/areas/{tiny.area_code}/").content.decode()
    table = page.split('id="pathway-table"')[1].split("</table>")[0]
    assert "Trend (score points a year)" in table
    row = table.split(f'data-stage="{tiny.stage}"')[1].split("</tr>")[0]
    assert 'data-col="trend">flat (less than 0.001 a year)</td>' in row
    assert "+0.000" not in table and "-0.000" not in table
    moving = m.StageScore.objects.filter(level="ca", is_latest=True, trend__gt=0.01).first()
    other = client.get(f"/atlas/areas/{moving.area_code}/").content.decode().split('id="pathway-table"')[1]
    assert f'data-col="trend">{moving.trend:+.3f}</td>' in other.split(f'data-stage="{moving.stage}"')[1]
    assert "score points a year on its 0 to 1 scale" in page


def test_the_pathway_download_names_the_trends_unit(client):
    rows = _csv(client, f"/atlas/download/pathway.csv?area={GM}")
    assert rows and "trend_score_points_per_year" in rows[0] and "trend_per_year" not in rows[0]


def test_aps_values_carry_the_survey_caution_wherever_they_appear(client):
    caveats = sel.indicator_caveats(indicator_id="nvq4_share")
    assert caveats["caution"].startswith(APS_START) and "confidence interval" in caveats["caution"]
    assert "±2.5 to ±5.3 percentage points" in caveats["uncertainty"]
    assert sel.indicator_caveats(indicator_id="enterprise_birth_rate")["caution"] == ""  # administrative data: none
    caution = escape(caveats["caution"])
    profile = client.get(f"/atlas/areas/{GM}/").content.decode()
    for iid in ("nvq4_share", "stem_professionals_per_1000"):
        row = profile.split(f'data-indicator="{iid}"')[1].split("</tr>")[0]
        assert f"data-caution>{caution}</p>" in row, iid
        assert f"<dt>Uncertainty</dt><dd>{escape(caveats['uncertainty'])}</dd>" in row, iid
        assert f"data-caution>{caution}</p>" in profile.split(f'id="trend-{iid}"')[1].split("</figure>")[0]
    births = profile.split('data-indicator="enterprise_birth_rate"')[1].split("</tr>")[0]
    assert "data-caution" not in births
    mapped = client.get("/atlas/", {"measure": "ind:nvq4_share", "level": "ca"}).content.decode()
    assert f'id="map-caution">{caution}</p>' in mapped
    assert 'id="map-caution"' not in client.get("/atlas/", {"measure": "ind:enterprise_birth_rate", "level": "ca"}).content.decode()
    compared = client.get("/atlas/compare/", {"areas": f"{GM},E47000002"}).content.decode()
    assert f"data-caution>{caution}</span>" in compared
    # downloads: the map's values, an area's values and the catalogue
    assert {r["note"] for r in _csv(client, "/atlas/download/map.csv?measure=ind:nvq4_share&level=ca")} == {caveats["caution"]}
    values = _csv(client, f"/atlas/download/indicator-values.csv?area={GM}")
    assert {r["note"] for r in values if r["indicator_id"] == "nvq4_share"} == {caveats["caution"]}
    assert {r["note"] for r in values if r["indicator_id"] == "enterprise_birth_rate"} == {""}
    catalogue = {r["indicator_id"]: r for r in _csv(client, "/atlas/download/indicators.csv")}
    assert catalogue["stem_professionals_per_1000"]["uncertainty"] == caveats["uncertainty"]
    assert catalogue["research_income_per_head"]["uncertainty"] == ""


def test_horizon_2020s_first_year_says_why_greater_manchester_shows_zero(client):
    from locus.atlas import models as m

    zero = m.IndicatorValue.objects.get(indicator_id="h2020_funding_per_head", area_code=GM, level="ca", year=2014)
    assert zero.value == 0 and zero.method == "structural_zero"  # no CORDIS row: filled as none recorded
    note = sel.indicator_caveats(indicator_id="h2020_funding_per_head")["year_notes"][2014]
    assert "first year" in note and "A value of 0 means CORDIS records no participant" in note
    profile = client.get(f"/atlas/areas/{GM}/").content.decode()
    figure = profile.split('id="trend-h2020_funding_per_head"')[1].split("</figure>")[0]
    assert "2014 <span" in figure and "(see the note on 2014 below)" in figure
    assert f'data-year-note="2014">{escape(note)}</p>' in figure
    latest = profile.split('data-indicator="h2020_funding_per_head"')[1].split("</tr>")[0]
    assert ">2019</td>" in latest and 'data-year-note="2020"' not in latest  # 2020 is a part year: the
    assert 'data-year-note="2020"' in figure  # headline is 2019; 2020 stays in the series with its note
    mapped = client.get("/atlas/", {"measure": "ind:h2020_funding_per_head", "level": "ca", "year": "2014"})
    assert f'id="map-year-note">{escape(note)}</p>' in mapped.content.decode()
    rows = _csv(client, "/atlas/download/map.csv?measure=ind:h2020_funding_per_head&level=ca&year=2014")
    assert {r["note"] for r in rows} == {note}
    plain = client.get("/atlas/", {"measure": "ind:h2020_funding_per_head", "level": "ca", "year": "2017"})
    assert 'id="map-year-note"' not in plain.content.decode()


def test_innovate_uks_partial_2020_is_noted_in_the_series_and_not_the_headline(client):
    note = sel.indicator_caveats(indicator_id="innovate_uk_per_head")["year_notes"][2020]
    assert "1 August 2020" in note and "£172 million" in note
    assert "not used in stage scores" in note  # the scores use 2019, the last full year
    profile = client.get(f"/atlas/areas/{GM}/").content.decode()
    for iid in ("innovate_uk_per_head", "innovate_uk_total"):  # the context total is never scored
        own = sel.indicator_caveats(indicator_id=iid)["year_notes"][2020]
        latest = profile.split(f'data-indicator="{iid}"')[1].split("</tr>")[0]
        assert ">2019</td>" in latest and 'data-year-note="2020"' not in latest, iid
        figure = profile.split(f'id="trend-{iid}"')[1].split("</figure>")[0]
        assert f'data-year-note="2020">{escape(own)}</p>' in figure, iid
    mapped = client.get("/atlas/", {"measure": "ind:innovate_uk_per_head", "level": "itl3", "year": "2020"})
    assert f'id="map-year-note">{escape(note)}</p>' in mapped.content.decode()


def test_a_value_that_rounds_to_zero_has_no_minus_sign():
    from locus.atlas.text import value_text

    assert value_text(-0.001, "index") == "0.00"  # Nesta's ECI: a neighbours' median printed "-0.00"
    assert value_text(-0.004, "GBP per head") == "£0.00 per head"
    assert value_text(-0.00001, "percent") == "0.0%"
    assert value_text(-0.3, "index") == "-0.30" and value_text(-12.5, "GBP per head") == "-£12.50 per head"
