"""The infrastructure registry's edit history: written by every service that changes an entry,
shown on the entry page (who only to editors) and in the admin site."""

from __future__ import annotations

import pytest
from django.contrib.admin.sites import site as admin_site
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory

from locus.atlas.admin import InfrastructureSiteAdmin
from locus.atlas.infrastructure import site_history, sites_import_csv
from locus.atlas.models import InfrastructureSite, InfrastructureSiteChange, SiteKind

pytestmark = pytest.mark.django_db
HEADER = "name,type,postcode,source,date_checked,website\n"
ROW = "Manchester Science Park,science_park,M15 6JJ,https://example.org/msp,2026-01-10,https://example.org\n"
ADD = {"name": "History Incubator", "type": "incubator", "postcode": "M1 1AE", "source": "https://example.org/inc",
       "date_checked": "2026-02-01"}


def test_add_change_and_delete_are_recorded_with_who_what_and_when(client, user_with_role):
    analyst = user_with_role("analyst", "ana")
    client.force_login(analyst)
    assert client.post("/atlas/infrastructure/add/", ADD).status_code == 302
    site = InfrastructureSite.objects.get(name="History Incubator")
    assert client.post(f"/atlas/infrastructure/{site.pk}/edit/", {**ADD, "name": "History Accelerator",
                                                                    "type": "accelerator"}).status_code == 302
    assert client.post(f"/atlas/infrastructure/{site.pk}/edit/", {**ADD, "name": "History Accelerator",
                                                                    "type": "accelerator"}).status_code == 302
    history = site_history(site_ref=site.pk)
    assert [c.action for c in history] == ["updated", "created"]  # saving without a change records nothing
    updated, created = history
    assert updated.changes == {"name": ["History Incubator", "History Accelerator"],
                               "kind": ["incubator", "accelerator"]}
    assert created.changes["postcode"] == [None, "M1 1AE"] and created.changes["lad_code"][1] == "E08000003"
    assert {c.username for c in history} == {"ana"} and all(c.user == analyst for c in history)
    assert updated.at >= created.at
    assert client.post(f"/atlas/infrastructure/{site.pk}/delete/").status_code == 302
    kept = site_history(site_ref=site.pk)
    assert kept[0].action == "deleted" and kept[0].site is None and kept[0].site_name == "History Accelerator"
    assert len(kept) == 3 and all(c.site is None for c in kept)  # the history outlives the entry


def test_a_csv_import_records_one_imported_change_per_row(client, user_with_role):
    client.force_login(user_with_role("administrator", "admin1"))
    upload = SimpleUploadedFile("sites.csv", (HEADER + ROW).encode(), content_type="text/csv")
    assert client.post("/atlas/infrastructure/import/", {"file": upload}).status_code == 302
    site = InfrastructureSite.objects.get(name="Manchester Science Park")
    (change,) = site_history(site_ref=site.pk)
    assert change.action == "imported" and change.username == "admin1"
    assert change.changes["source"] == [None, "https://example.org/msp"]
    cli = sites_import_csv(text=HEADER + ROW.replace("Manchester Science Park", "CLI Park"))[0]
    assert site_history(site_ref=cli.pk)[0].username == ""  # the command line has no user


@pytest.mark.parametrize("role, sees_who", [("administrator", True), ("analyst", True),
                                            ("programme manager", False), ("facilitator", False),
                                            ("firm member", False), (None, False)])
def test_the_entry_page_shows_the_history_and_who_only_to_editors(client, user_with_role, role, sees_who):
    editor = user_with_role("analyst", "editor7")
    client.force_login(editor)
    client.post("/atlas/infrastructure/add/", ADD)
    site = InfrastructureSite.objects.get(name="History Incubator")
    client.post(f"/atlas/infrastructure/{site.pk}/edit/", {**ADD, "postcode": "M15 6JJ"})
    client.logout()
    if role:
        client.force_login(user_with_role(role, "viewer"))
    response = client.get(f"/atlas/infrastructure/{site.pk}/")
    page = response.content.decode()
    assert response.status_code == 200 and 'id="site-history"' in page
    assert page.count('data-action="updated"') == 1 and page.count('data-action="created"') == 1
    assert "M1 1AE &rarr; M15 6JJ" in page
    assert ("editor7" in page) == sees_who and ('data-col="who"' in page) == sees_who
    assert ("Change this entry" in page) == (role in ("administrator", "analyst"))


def test_bundled_entries_have_a_page_without_history(client):
    uni = InfrastructureSite.objects.filter(kind=SiteKind.UNIVERSITY).first()
    page = client.get(f"/atlas/infrastructure/{uni.pk}/").content.decode()
    assert uni.name in page and "Bundled entries are not edited here" in page
    assert client.get("/atlas/infrastructure/999999999/").status_code == 404


@pytest.mark.parametrize("role, allowed", [("administrator", True), ("analyst", False), ("facilitator", False)])
def test_the_admin_site_shows_the_history_read_only_and_records_its_own_edits(client, user_with_role, role, allowed):
    client.force_login(user_with_role("analyst", "ana2"))
    client.post("/atlas/infrastructure/add/", ADD)
    site = InfrastructureSite.objects.get(name="History Incubator")
    client.logout()
    client.force_login(user_with_role(role, "staff"))
    listing = client.get("/admin/atlas/infrastructuresitechange/")
    if not allowed:
        assert listing.status_code in (302, 403)
        return
    assert listing.status_code == 200 and "History Incubator" in listing.content.decode()
    change = InfrastructureSiteChange.objects.get(site_ref=site.pk)
    assert client.get(f"/admin/atlas/infrastructuresitechange/{change.pk}/delete/").status_code == 403
    assert client.get("/admin/atlas/infrastructuresitechange/add/").status_code == 403
    page = client.get(f"/admin/atlas/infrastructuresite/{site.pk}/change/").content.decode()
    assert "ana2" in page  # the inline history
    request = RequestFactory().post("/")
    request.user = get_user_model().objects.get(username="staff")
    site.notes = "Checked by phone"
    InfrastructureSiteAdmin(InfrastructureSite, admin_site).save_model(request, site, None, True)
    latest = site_history(site_ref=site.pk)[0]
    assert latest.action == "updated" and latest.changes == {"notes": ["", "Checked by phone"]}
    assert latest.username == "staff"
