"""The bundled data loads into the registry, labelled, with universities typed and placed."""

from __future__ import annotations

import pytest

from locus.collaboration.models import (
    Dataset,
    NetworkLink,
    NetworkNode,
    Organisation,
    Participation,
    Project,
)

pytestmark = pytest.mark.django_db


def test_each_bundled_dataset_is_labelled_with_what_it_covers():
    datasets = {d.key: d for d in Dataset.objects.filter(kind="bundled")}
    assert set(datasets) == {"he-providers", "gtr-ahrc-2021", "ukri-funding-decisions",
                             "wales-network-2017"}
    assert "Lead organisation only" in datasets["gtr-ahrc-2021"].covers
    # no start years in the export: the Data page says where projects with dates and partners come from
    assert "locus data fetch gtr --funder AHRC" in datasets["gtr-ahrc-2021"].covers
    assert not any(d.participant_level for d in datasets.values())
    assert Project.objects.filter(dataset=datasets["gtr-ahrc-2021"]).count() == 8297
    # the export's HTML escapes are decoded once ('&amp;' in the file is '&' in a title)
    ahrc = Project.objects.filter(dataset=datasets["gtr-ahrc-2021"])
    assert not ahrc.filter(title__contains="&amp;").exists() and not ahrc.filter(title__contains="&quot;").exists()
    assert ahrc.filter(title__contains=" & ").exists()
    assert NetworkNode.objects.count() == 255


def test_universities_are_typed_from_the_he_list_and_placed_by_postcode():
    cardiff = Organisation.objects.get(ukprn="10007814")
    assert cardiff.org_type == "university" and "higher education providers" in cardiff.type_basis
    assert cardiff.lad.code == "W06000015" and cardiff.itl3 is not None
    leeds = Organisation.objects.get(name="University of Leeds")
    assert leeds.combined_authority.code == "E47000003"  # West Yorkshire


def test_gtr_lead_organisations_join_universities_by_gtr_id():
    lse = Organisation.objects.get(gtr_id="EC177B1F-35EE-4B74-981D-E8382EE3D18C")
    assert lse.ukprn == "10004063"  # same record as the HE provider
    assert Participation.objects.filter(organisation=lse, is_lead=True).count() >= 20


def test_glamorgan_and_south_wales_are_one_organisation_and_their_link_is_dropped():
    usw = Organisation.objects.get(ukprn="10007793")
    names = set(usw.aliases.values_list("name", flat=True))
    assert {"University of Glamorgan", "University of South Wales"} <= names
    assert not NetworkLink.objects.filter(source=usw, target=usw).exists()


def test_welsh_network_links_are_weighted_and_placed():
    links = NetworkLink.objects.all()
    assert 480 <= links.count() <= 536
    assert all(link.source_id < link.target_id for link in links)
    placed = Organisation.objects.filter(nodes__isnull=False, lad__code__startswith="W06").distinct()
    assert placed.count() == NetworkNode.objects.values("organisation").distinct().count()


def test_a_housing_association_in_the_welsh_network_is_not_a_business():
    gwalia = Organisation.objects.get(name="Gwalia Housing Society Ltd")
    assert gwalia.org_type == "charity" and "housing association" in gwalia.type_basis
    assert Organisation.objects.get(name="Community Housing Cymru (CHC)").org_type == "charity"


def test_the_migration_retypes_stored_housing_associations_guessed_from_their_names():
    import importlib

    from django.apps import apps

    migration = importlib.import_module(
        "locus.collaboration.migrations.0002_housing_associations_not_businesses")
    guessed = Organisation.objects.create(
        name="Coastal Housing Group Limited", normalised_name="coastal housing group",
        org_type="business", type_basis="name has a company suffix (Ltd, plc, ...)")
    given = Organisation.objects.create(
        name="Pobl Housing Group Ltd", normalised_name="pobl housing group", org_type="business",
        type_basis="Innovate UK Enterprise Size 'Large'", size="large")
    migration.retype(apps, None)
    guessed.refresh_from_db(), given.refresh_from_db()
    assert guessed.org_type == "charity" and "housing association" in guessed.type_basis
    assert given.org_type == "business"  # a source's own type is never overridden by a name


def test_the_migration_retypes_stored_cics_and_charity_names_guessed_from_their_names():
    import importlib

    from django.apps import apps

    migration = importlib.import_module(
        "locus.collaboration.migrations.0003_community_interest_companies_and_charity_names")

    def stored(name, org_type, basis):
        return Organisation.objects.create(name=name, normalised_name=name.lower(),
                                           org_type=org_type, type_basis=basis)

    cic = stored("Bristol Pound CIC", "charity", "name of a charity or association")
    spelled = stored("Makerspace Community Interest Company", "business",
                     "name has a company suffix (Ltd, plc, ...)")
    charitable = stored("Wessex Charitable Trust Limited", "business",
                        "name has a company suffix (Ltd, plc, ...)")
    trust = stored("Carbon Reduction Trust Ltd", "business", "name has a company suffix (Ltd, plc, ...)")
    housing = stored("Coastal Housing Trust Ltd", "charity", "name of a housing association or "
                     "community benefit society, which are not-for-profit")
    given = stored("Sunrise Charity Shops Ltd", "business", "Innovate UK Enterprise Size 'Small'")
    migration.retype(apps, None)
    for org in (cic, spelled, charitable, trust, housing, given):
        org.refresh_from_db()
    assert (cic.org_type, spelled.org_type) == ("business", "business")
    assert "cannot be a charity" in cic.type_basis and cic.type_basis == spelled.type_basis
    assert charitable.org_type == "charity" and "Charity Commission" in charitable.type_basis
    assert trust.org_type == "business" and "does not make it a charity" in trust.type_basis
    assert housing.org_type == "charity" and "housing association" in housing.type_basis
    assert given.org_type == "business"  # a source's own type is never overridden by a name


def test_a_welsh_community_interest_company_in_the_welsh_network_is_a_business():
    warm_wales = Organisation.objects.get(name="Warm Wales - Cymru Gynnes CBC")
    assert warm_wales.org_type == "business" and "community interest company" in warm_wales.type_basis


def test_the_migration_retypes_stored_names_with_welsh_designations():
    import importlib

    from django.apps import apps

    from locus.collaboration.classify import org_type_guess

    migration = importlib.import_module(
        "locus.collaboration.migrations.0004_welsh_company_designations")

    def stored(name, org_type="", basis=""):
        return Organisation.objects.create(name=name, normalised_name=name.lower(),
                                           org_type=org_type, type_basis=basis)

    suffix = "name has a company suffix (Ltd, plc, ...)"
    orgs = [stored("Warm Wales - Cymru Gynnes CBC"), stored("Gwasg Gomer Cyf"),
            stored("Menter Cwmni Buddiant Cymunedol"), stored("Acme P.L.C."),
            stored("Acme Community Interest PLC", "business", suffix),
            stored("Ymddiriedolaeth Trust Cyfyngedig", "business", suffix)]
    housing = stored("Cymdeithas Tai Clwyd Cyf", "charity", "name of a housing association or "
                     "community benefit society, which are not-for-profit")
    given = stored("Dŵr Cymru Cyf", "business", "Innovate UK Enterprise Size 'Large'")
    acronym = stored("CBC Media Centre", "", "")
    migration.retype(apps, None)
    for org in (*orgs, housing, given, acronym):
        org.refresh_from_db()
    # the migration gives each stored name what the classifier now gives it
    assert [(o.org_type, o.type_basis) for o in orgs] == [org_type_guess(o.name) for o in orgs]
    assert [o.org_type for o in orgs] == ["business"] * 6
    assert "community interest company" in orgs[4].type_basis
    assert housing.org_type == "charity" and "housing association" in housing.type_basis
    assert given.type_basis == "Innovate UK Enterprise Size 'Large'"  # a source's type stays
    assert acronym.org_type == ""  # "CBC" not at the end decides nothing
