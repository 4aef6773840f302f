"""The infrastructure registry: bundled sites, CSV import with row-level errors, and who may edit."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from locus.atlas.infrastructure import SiteImportError, sites_import_csv
from locus.atlas.models import InfrastructureSite, SiteKind, SiteOrigin

pytestmark = pytest.mark.django_db
HEADER = "name,type,postcode,source,date_checked,website\n"
GOOD = HEADER + ("Manchester Science Park,science_park,M15 6JJ,https://example.org/msp,2026-01-10,https://example.org\n"
                 "Digital Catapult,Catapult centre,NW1 2RA,https://example.org/dc,2025-12-01,\n")


def test_bundled_universities_and_makerspaces_are_located():
    unis = InfrastructureSite.objects.filter(kind=SiteKind.UNIVERSITY)
    assert unis.count() > 150 and unis.exclude(lad_code="").count() > 140
    oxford = unis.get(external_id="10007774")
    assert oxford.lad_code == "E07000178" and oxford.itl3_code.startswith("TLJ")
    manchester = unis.filter(name__icontains="University of Manchester").first()
    assert manchester and manchester.ca_code == "E47000001"
    makers = InfrastructureSite.objects.filter(kind=SiteKind.MAKERSPACE, origin=SiteOrigin.MAKERSPACES)
    # 97 named makerspaces: the survey file's last record is empty and is not a site
    assert makers.count() == 97 and makers.exclude(lad_code="").count() > 80
    assert not makers.filter(name="").exists()


def test_a_good_csv_is_imported_and_located():
    created = sites_import_csv(text=GOOD)
    assert len(created) == 2
    park = InfrastructureSite.objects.get(name="Manchester Science Park")
    assert park.kind == SiteKind.SCIENCE_PARK and park.ca_code == "E47000001" and park.lad_code == "E08000003"
    assert park.date_checked == date(2026, 1, 10) and park.origin == SiteOrigin.REGISTRY
    assert InfrastructureSite.objects.get(name="Digital Catapult").kind == SiteKind.CATAPULT


def test_any_bad_row_stops_the_whole_import_and_every_problem_is_named():
    bad = GOOD + ("Nowhere Hub,innovation_hub,ZZ99 9ZZ,https://example.org,2026-01-01,\n"
                  ",incubator,M1 1AE,,2026-13-01,ftp://x\n"
                  "Future Lab,space station,M1 1AE,https://example.org,2999-01-01,\n"
                  "Manchester Science Park,science_park,M15 6JJ,https://example.org/msp,2026-01-10,\n")
    before = InfrastructureSite.objects.count()
    with pytest.raises(SiteImportError) as info:
        sites_import_csv(text=bad)
    found = {(e.line, e.field) for e in info.value.errors}
    assert {(4, "postcode"), (5, "name"), (5, "source"), (5, "date_checked"), (5, "website"), (6, "type"),
            (6, "date_checked"), (7, "name")} <= found
    assert InfrastructureSite.objects.count() == before


def test_missing_columns_are_reported_on_line_one():
    with pytest.raises(SiteImportError) as info:
        sites_import_csv(text="name,postcode\nX,M1 1AE\n")
    assert {(e.line, e.field) for e in info.value.errors} == {(1, "type"), (1, "source"), (1, "date_checked")}


def test_readers_need_no_account(client):
    page = client.get("/atlas/infrastructure/")
    assert page.status_code == 200 and "Add a site" not in page.content.decode()
    assert client.get("/atlas/infrastructure.geojson").json()["features"]


@pytest.mark.parametrize("role, allowed", [("administrator", True), ("analyst", True), ("programme manager", False),
                                           ("facilitator", False), ("firm member", False)])
def test_only_administrators_and_analysts_edit_the_registry(client, user_with_role, role, allowed):
    client.force_login(user_with_role(role))
    expected = 200 if allowed else 403
    assert client.get("/atlas/infrastructure/add/").status_code == expected
    assert client.get("/atlas/infrastructure/import/").status_code == expected
    response = client.post("/atlas/infrastructure/add/", {"name": "Role Test Incubator", "type": "incubator",
                                                          "postcode": "M1 1AE", "source": "https://example.org",
                                                          "date_checked": "2026-02-01"})
    assert response.status_code == (302 if allowed else 403)
    assert InfrastructureSite.objects.filter(name="Role Test Incubator").exists() == allowed
    upload = SimpleUploadedFile("sites.csv", GOOD.encode(), content_type="text/csv")
    response = client.post("/atlas/infrastructure/import/", {"file": upload})
    assert response.status_code == (302 if allowed else 403)
    assert InfrastructureSite.objects.filter(name="Digital Catapult").exists() == allowed


def test_anonymous_editors_are_sent_to_sign_in(client):
    response = client.get("/atlas/infrastructure/add/")
    assert response.status_code == 302 and "/accounts/" in response["Location"]


def test_bundled_sites_are_read_only_even_for_analysts(client, user_with_role):
    client.force_login(user_with_role("analyst"))
    uni = InfrastructureSite.objects.filter(kind=SiteKind.UNIVERSITY).first()
    assert client.get(f"/atlas/infrastructure/{uni.pk}/edit/").status_code == 403
    assert client.post(f"/atlas/infrastructure/{uni.pk}/delete/").status_code == 403
    assert InfrastructureSite.objects.filter(pk=uni.pk).exists()


def test_analyst_edits_and_deletes_a_registry_entry(client, user_with_role):
    client.force_login(user_with_role("analyst"))
    site = sites_import_csv(text=GOOD)[0]
    data = {"name": "MSP (renamed)", "type": "science_park", "postcode": "M15 6JJ", "source": "https://example.org",
            "date_checked": "2026-02-02"}
    saved = client.post(f"/atlas/infrastructure/{site.pk}/edit/", data, follow=True)
    assert "Saved MSP (renamed)." in saved.content.decode() and "done=" not in saved.redirect_chain[-1][0]
    site.refresh_from_db()
    assert site.name == "MSP (renamed)" and site.date_checked == date(2026, 2, 2)
    assert client.post(f"/atlas/infrastructure/{site.pk}/delete/").status_code == 302
    assert not InfrastructureSite.objects.filter(pk=site.pk).exists()


def test_the_import_page_lists_row_errors_and_imports_nothing(client, user_with_role):
    client.force_login(user_with_role("analyst"))
    upload = SimpleUploadedFile("bad.csv", (HEADER + "X,incubator,NOT A POSTCODE,src,2026-01-01,\n").encode())
    response = client.post("/atlas/infrastructure/import/", {"file": upload})
    page = response.content.decode()
    assert response.status_code == 400 and "There is a problem" in page and 'id="row-errors"' in page
    assert "<title>Error:" in page and not InfrastructureSite.objects.filter(name="X").exists()


def test_a_form_error_is_shown_with_a_summary(client, user_with_role):
    client.force_login(user_with_role("administrator"))
    response = client.post("/atlas/infrastructure/add/", {"name": "", "type": "incubator", "postcode": "M1 1AE",
                                                          "source": "", "date_checked": "yesterday"})
    page = response.content.decode()
    assert response.status_code == 400 and "Enter the name of the site" in page and "must be a date" in page


def test_profiles_count_sites_in_the_area(client):
    sites_import_csv(text=GOOD)
    page = client.get("/atlas/areas/E47000001/").content.decode()
    assert "Manchester Science Park" in page and "science or research park" in page


def test_the_import_template_has_every_column_on_every_row_and_imports_as_is(client):
    """The example row once stopped one column short; the template is now written by csv."""
    import csv
    import io

    from locus.atlas.infrastructure import CSV_COLUMNS, CSV_OPTIONAL

    text = client.get("/atlas/infrastructure/template.csv").content.decode()
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == [*CSV_COLUMNS, *CSV_OPTIONAL]
    assert len(rows) == 2 and all(len(r) == len(rows[0]) for r in rows)
    created = sites_import_csv(text=text)
    assert [s.name for s in created] == ["Example Science Park"] and created[0].lad_code


def test_the_success_banner_comes_from_the_session_not_the_address(client):
    page = client.get("/atlas/infrastructure/", {"done": "All entries deleted. Call 0800 000 000"}).content.decode()
    assert "Call 0800" not in page and "govuk-notification-banner--success" not in page


def test_the_add_form_refuses_a_site_already_listed_as_the_import_does(client, user_with_role):
    client.force_login(user_with_role("analyst"))
    data = {"name": "Review Hub", "type": "incubator", "postcode": "M1 1AE", "source": "https://example.org",
            "date_checked": "2026-01-10"}
    assert client.post("/atlas/infrastructure/add/", data).status_code == 302
    again = client.post("/atlas/infrastructure/add/", data)
    assert again.status_code == 400 and "Review Hub at M1 1AE is already listed" in again.content.decode()
    assert InfrastructureSite.objects.filter(name="Review Hub").count() == 1
    # Editing another entry into the same name and postcode is refused too; saving itself is not.
    other = sites_import_csv(text=GOOD)[0]
    assert client.post(f"/atlas/infrastructure/{other.pk}/edit/", data).status_code == 400
    first = InfrastructureSite.objects.get(name="Review Hub")
    assert client.post(f"/atlas/infrastructure/{first.pk}/edit/", data).status_code == 302


def test_a_deleted_site_is_a_404_in_words_not_a_model_name(client):
    response = client.get("/atlas/infrastructure/999999/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "not in the infrastructure list" in page and "InfrastructureSite" not in page


def test_a_type_with_no_sites_says_so_with_a_link_to_clear_the_filter(client):
    assert not InfrastructureSite.objects.filter(kind=SiteKind.INCUBATOR).exists()
    response = client.get("/atlas/infrastructure/", {"kind": "incubator"})
    page = response.content.decode()
    assert response.status_code == 200 and 'id="sites-table"' not in page
    notice = page.split('id="no-sites"')[1].split("</div>")[0]
    assert "No sites match the type &ldquo;Incubator&rdquo;" in notice
    assert 'href="/atlas/infrastructure/"' in notice and "Clear the filter" in notice


def test_a_type_with_sites_lists_only_them(client):
    page = client.get("/atlas/infrastructure/", {"kind": "makerspace"}).content.decode()
    n = InfrastructureSite.objects.filter(kind=SiteKind.MAKERSPACE).count()
    assert f"{n} sites</caption>" in page and 'id="no-sites"' not in page
    assert "University or HE provider</td>" not in page


def test_an_unknown_type_is_a_govuk_error_not_every_site(client):
    response = client.get("/atlas/infrastructure/", {"kind": "castle"})
    page = response.content.decode()
    assert response.status_code == 400 and "<title>Error:" in page
    assert "govuk-error-summary" in page and 'href="#kind"' in page and "is not a type of site" in page
    assert 'id="sites-table"' not in page and 'href="/atlas/infrastructure/"' in page


def test_the_form_error_summary_follows_the_order_of_the_fields(client, user_with_role):
    """The postcode is checked last but sits third on the page: the summary lists it third."""
    import re

    client.force_login(user_with_role("administrator"))
    response = client.post("/atlas/infrastructure/add/", {"name": "", "type": "incubator", "postcode": "ZZ9 9ZZ",
                                                          "source": "", "date_checked": "2999-01-01",
                                                          "website": "javascript:alert(1)"})
    page = response.content.decode()
    summary = page.split('govuk-error-summary__list">')[1].split("</ul>")[0]
    hrefs = re.findall(r'href="#([a-z_]+)"', summary)
    fields = re.findall(r'<(?:input|select)[^>]* id="([a-z_]+)"', page.split("<form")[1])
    assert response.status_code == 400 and hrefs == [f for f in fields if f in hrefs], (hrefs, fields)
    assert hrefs[:3] == ["name", "postcode", "source"]


def _sources_md_he_entry() -> str:
    from tests.atlas.conftest import ATLAS_DATA

    text = (ATLAS_DATA / "SOURCES.md").read_text(encoding="utf-8")
    return text.split("## universities/learning-providers-plus.csv")[1].split("\n## ")[0]


def test_the_universities_source_names_publisher_vintage_and_the_licence_of_sources_md_not_a_path(client):
    from locus.atlas.infrastructure import HE_SOURCE

    entry = " ".join(_sources_md_he_entry().split())
    assert "published as open data by learning-provider.data.ac.uk" in entry and "repository MIT" in entry
    assert "Vintage about 2013/14" in entry
    # publisher, vintage and the licence as SOURCES.md gives it; no repository path, no invented licence
    assert "learning-provider.data.ac.uk" in HE_SOURCE and "about 2013/14" in HE_SOURCE
    assert "licence: published as open data by learning-provider.data.ac.uk" in HE_SOURCE and "MIT" in HE_SOURCE
    assert "data/" not in HE_SOURCE and "OGL" not in HE_SOURCE and "Open Government" not in HE_SOURCE
    assert ";" not in HE_SOURCE  # the map's key joins several sources with "; "
    assert not InfrastructureSite.objects.filter(kind=SiteKind.UNIVERSITY).exclude(source=HE_SOURCE).exists()
    key = client.get("/atlas/").content.decode().split('id="sites-legend"')[1].split("</table>")[0]
    listing = client.get("/atlas/infrastructure/", {"type": "university"}).content.decode()
    profile = client.get("/atlas/areas/E47000001/").content.decode().split('id="infra-heading"')[1]
    for page in (key, listing, profile):
        assert "via data/atlas" not in page and "licence: published as open data" in page
    assert "OGL" not in profile.split("</section>")[0]  # the profile's note once said OGL


def test_a_database_loaded_with_the_old_universities_text_gets_the_corrected_one_on_the_next_load():
    """Before the fix the load's checksum covered only the two files, so a database loaded with the old
    text answered "up to date" and kept "via data/atlas/universities" for good."""
    import hashlib

    from locus.atlas.infrastructure import HE_SOURCE, bundled_sites_load
    from locus.geography.models import LoadRecord
    from tests.atlas.conftest import HE_FILE, MAKERSPACES

    old_text = "HE providers (learning-provider.data.ac.uk, 2013/14), via data/atlas/universities"
    old_digest = hashlib.sha256(HE_FILE.read_bytes() + MAKERSPACES.read_bytes()).hexdigest()  # as loads recorded it
    InfrastructureSite.objects.filter(origin=SiteOrigin.HE_PROVIDERS).update(source=old_text)
    LoadRecord.objects.filter(dataset="atlas-infrastructure").update(checksum=old_digest)
    summary = bundled_sites_load(he_file=HE_FILE, makerspace_file=MAKERSPACES)
    assert summary["infrastructure"] != "up to date"
    unis = InfrastructureSite.objects.filter(origin=SiteOrigin.HE_PROVIDERS)
    assert unis.count() > 150 and set(unis.values_list("source", flat=True)) == {HE_SOURCE}
    again = bundled_sites_load(he_file=HE_FILE, makerspace_file=MAKERSPACES)  # now current: nothing to do
    assert again == {"infrastructure": "up to date"}
