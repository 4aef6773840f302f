"""Every rule set on hand-worked consortia, including the exact boundaries."""

from __future__ import annotations

import pytest

from locus.collaboration.rules.engine import consortium_check, participants_validate
from locus.collaboration.rules.model import FieldErrors, rule_set_get, rule_set_list


def org(name, role="partner", kind="business", size=None, country="GB", costs=0.0, **extra):
    return {"name": name, "role": role, "organisation_type": kind, "size": size,
            "country": country, "eligible_costs": costs, **extra}


def check(rule_set, participants, **parameters):
    report = consortium_check(rule_set_id=rule_set, participants=participants_validate(participants),
                              parameters=parameters)
    return report, {c.id: c for c in report.checks}


def test_every_rule_set_cites_a_source_and_has_a_version():
    sets = rule_set_list()
    assert {s.id for s in sets} == {"innovate-uk-crd", "apc", "gber-art25-collaboration",
                                    "horizon-europe-ria", "ukri-collaboration-mandate"}
    for s in sets:
        assert s.version and s.sources and all(src.url.startswith("https://") for src in s.sources)


# Innovate UK collaborative R&D -------------------------------------------------------------

def test_innovate_uk_research_share_of_exactly_30_percent_passes():
    report, c = check("innovate-uk-crd", [
        org("Acme Ltd", "lead", size="large", costs=700_000),
        org("University of Leeds", kind="research", costs=300_000)])
    assert report.passed and c["research_share"].passed
    assert "30 %" in c["research_share"].message


def test_innovate_uk_research_share_a_pound_above_30_percent_fails_and_says_how_much():
    report, c = check("innovate-uk-crd", [
        org("Acme Ltd", "lead", size="large", costs=700_000),
        org("University of Leeds", kind="research", costs=300_001)])
    assert not report.passed and not c["research_share"].passed
    # (300,001 - 0.3 x 1,000,001) / 0.7 = £1 less research cost; the share is 30.00007 %
    assert "reduce their costs by at least £1" in c["research_share"].message
    assert "30.0001 %" in c["research_share"].message


def test_innovate_uk_competition_can_raise_the_research_cap():
    participants = [org("Acme Ltd", "lead", size="small", costs=60),
                    org("University of Leeds", kind="research", costs=40)]
    assert not check("innovate-uk-crd", participants)[0].passed
    assert check("innovate-uk-crd", participants, max_research_share=0.5)[0].passed


def test_innovate_uk_lead_must_be_a_business_or_an_rto_with_two_businesses():
    uni_lead = [org("University of Leeds", "lead", kind="research", costs=20),
                org("Acme Ltd", size="small", costs=80)]
    report, c = check("innovate-uk-crd", uni_lead)
    assert not c["lead"].passed and "make such an organisation the lead" in c["lead"].message
    rto_two = [org("TWI", "lead", kind="rto", costs=20), org("A Ltd", size="small", costs=40),
               org("B Ltd", size="large", costs=40)]
    assert check("innovate-uk-crd", rto_two)[1]["lead"].passed
    rto_one = rto_two[:2]
    assert not check("innovate-uk-crd", rto_one)[1]["lead"].passed


def test_innovate_uk_rto_costs_count_as_research_only_when_the_rto_applies_as_one():
    """Innovate UK's funding rules name three types (businesses, research organisations, public
    sector organisations or charities) and say each participant determines its own type: whether
    an RTO's costs fall within the research participants' maximum depends on the type it applies
    as. The checker asks (a setting) instead of asserting one answer as fact."""
    consortium = [org("Acme Ltd", "lead", size="small", costs=600_000),
                  org("TWI", kind="rto", costs=400_000)]
    report, c = check("innovate-uk-crd", consortium)
    assert report.passed and c["research_share"].passed  # by default the RTO applies as a business
    assert "0 %" in c["research_share"].message
    report, c = check("innovate-uk-crd", consortium, research_participants="research_or_rto")
    assert not report.passed and not c["research_share"].passed
    assert "RTOs carry 40 %" in c["research_share"].message
    assert "reduce their costs by at least £142,857" in c["research_share"].message


def test_innovate_uk_research_share_says_what_an_rto_applying_as_research_would_change():
    """With RTOs counted as businesses (the default, unverified), an applicant whose RTO applies
    as a research organisation must not be told only "15 %, passes": the message says the share
    it would then be, and that it would be above the maximum."""
    consortium = [org("Acme Ltd", "lead", size="small", costs=600_000),
                  org("TWI", kind="rto", costs=250_000),
                  org("Swansea University", kind="research", costs=150_000)]
    message = check("innovate-uk-crd", consortium)[1]["research_share"].message
    assert message.startswith("Research organisations carry 15 % of eligible costs; the maximum is 30 %.")
    assert "If your RTOs apply as research organisations (setting “RTO costs”, unverified), " \
           "research organisations and RTOs would carry 40 %, above the maximum." in message
    without_rto = check("innovate-uk-crd", [consortium[0], consortium[2]])[1]["research_share"]
    assert "RTO" not in without_rto.message  # nothing changes, so nothing is said


def test_innovate_uk_rto_treatment_is_labelled_unverified_with_the_published_words():
    crd = rule_set_get(rule_set_id="innovate-uk-crd")
    setting = crd.parameters["research_participants"]
    assert setting.kind == "choice" and setting.default == "research"
    assert set(setting.options) == {"research", "research_or_rto"}
    assert setting.help.startswith("Unverified")
    assert any(n.startswith("Unverified") and "RTO" in n for n in crd.notes)
    assert not any("RTOs count as businesses here" in n for n in crd.notes)
    rules = next(s for s in crd.sources if s.title == "General guidance: funding rules")
    assert "Each participant must determine under which type of organisation it would be " \
           "classified" in rules.quote


def test_innovate_uk_needs_a_partner_and_two_claimants():
    report, c = check("innovate-uk-crd", [org("Acme Ltd", "lead", size="small", costs=100)])
    assert not c["collaborative"].passed and "add 1 more organisation" in c["collaborative"].message
    report, c = check("innovate-uk-crd", [
        org("Acme Ltd", "lead", size="small", costs=100),
        org("Beta Ltd", size="small", costs=50, claims_funding=False)])
    assert not c["claiming"].passed and "at least 1 other" in c["claiming"].message


# Advanced Propulsion Centre ----------------------------------------------------------------

# Grants: 1.2m + 0.9m + 0.4m = 2.5m of 5m total eligible costs -> exactly 50 % match funded.
APC_OK = [org("Carmaker plc", "lead", size="large", costs=3_000_000, tier="vehicle_manufacturer",
              grant_requested=1_200_000),
          org("Motors Ltd", size="small", costs=1_500_000, grant_requested=900_000),
          org("Warwick University", kind="research", costs=500_000, grant_requested=400_000)]


def test_apc_passes_at_exactly_five_million_with_an_oem_and_an_sme():
    report, c = check("apc", APC_OK)
    assert report.passed, [x.message for x in report.checks]
    assert "£5,000,000" in c["project_size"].message


def test_apc_without_an_sme_fails_and_asks_for_one():
    no_sme = [APC_OK[0], org("Bigco Ltd", size="large", costs=1_500_000), APC_OK[2]]
    report, c = check("apc", no_sme)
    assert not report.passed and "add 1 more SME" in c["sme"].message


def test_apc_an_sme_of_unknown_size_is_flagged():
    unsized = [APC_OK[0], org("Motors Ltd", costs=1_500_000), APC_OK[2]]
    report, c = check("apc", unsized)
    assert not c["sme"].passed and "have no size given" in c["sme"].message


def test_apc_without_a_vehicle_manufacturer_or_tier1_fails():
    report, c = check("apc", [org("Motors Ltd", "lead", size="small", costs=5_000_000),
                              org("Parts Ltd", size="medium", costs=100)])
    assert not c["vehicle_manufacturer_or_tier1"].passed


def test_apc_exactly_50_percent_match_funded_passes_and_a_pound_more_grant_fails():
    report, c = check("apc", APC_OK)
    assert c["match_funding"].passed and "50 % match funded" in c["match_funding"].message
    one_pound = [dict(APC_OK[0], grant_requested=1_200_001), *APC_OK[1:]]
    report, c = check("apc", one_pound)
    assert not report.passed and not c["match_funding"].passed
    assert "request at least £1 less grant" in c["match_funding"].message
    # 2,500,100 of 5,000,000 requested: (5,000,000 - 2,500,100) / 5,000,000 = 49.998 %
    more = [dict(APC_OK[0], grant_requested=1_200_100), *APC_OK[1:]]
    message = check("apc", more)[1]["match_funding"].message
    assert "49.998 % match funded" in message and "£100 less grant" in message


def test_apc_match_funding_needs_every_claimants_grant_but_not_a_non_claimants():
    unknown = [APC_OK[0], dict(APC_OK[1], grant_requested=None), APC_OK[2]]
    report, c = check("apc", unknown)
    assert not report.passed and "1 organisation claiming funding does not say" in \
        c["match_funding"].message
    # A partner that claims nothing needs no grant figure and adds its costs to the match.
    free = [APC_OK[0], dict(APC_OK[1], grant_requested=None, claims_funding=False), APC_OK[2]]
    report, c = check("apc", free)
    assert c["match_funding"].passed and "£1,600,000 of £5,000,000" in c["match_funding"].message


def test_apc_match_funding_setting_can_change():
    assert not check("apc", APC_OK, min_match_funding=0.6)[1]["match_funding"].passed
    assert check("apc", APC_OK, min_match_funding=0.5)[1]["match_funding"].passed


def test_apc_seven_partners_is_advice_not_failure():
    many = APC_OK + [org(f"Partner {i} Ltd", size="small", costs=1, grant_requested=0)
                     for i in range(4)]
    report, c = check("apc", many)
    assert report.passed and not c["partners"].passed and c["partners"].severity == "advisory"


# GBER Article 25 effective collaboration ----------------------------------------------------

def test_gber_exactly_70_percent_for_one_undertaking_passes():
    report, _ = check("gber-art25-collaboration", [
        org("Big plc", "lead", size="large", costs=70), org("Small Ltd", size="small", costs=30)])
    assert report.passed


def test_gber_above_70_percent_without_research_fails_both_routes():
    report, c = check("gber-art25-collaboration", [
        org("Big plc", "lead", size="large", costs=70.01), org("Small Ltd", size="small", costs=29.99)])
    assert not report.passed
    message = c["effective_collaboration"].message
    assert "Meets none of these 2 ways" in message and "move at least £0" in message


def test_gber_research_route_needs_exactly_10_percent_and_the_right_to_publish():
    base = [org("Big plc", "lead", size="large", costs=90)]
    ok = base + [org("Cardiff University", kind="research", costs=10, publishes=True)]
    assert check("gber-art25-collaboration", ok)[0].passed
    silent = base + [org("Cardiff University", kind="research", costs=10, publishes=False)]
    report, c = check("gber-art25-collaboration", silent)
    assert not report.passed and "right to publish" in c["effective_collaboration"].message
    small = [org("Big plc", "lead", size="large", costs=90.01),
             org("Cardiff University", kind="research", costs=9.99, publishes=True)]
    assert not check("gber-art25-collaboration", small)[0].passed


def test_gber_cross_border_route_counts_eea_countries_only():
    gb_de = [org("Big plc", "lead", size="large", costs=50),
             org("Gross GmbH", size="large", country="DE", costs=50)]
    assert not check("gber-art25-collaboration", gb_de)[0].passed  # GB is not in the EEA
    fr_de = [org("Grand SA", "lead", size="large", country="FR", costs=50),
             org("Gross GmbH", size="large", country="DE", costs=50)]
    assert check("gber-art25-collaboration", fr_de)[0].passed


# Horizon Europe -----------------------------------------------------------------------------

def test_horizon_exactly_three_countries_with_a_member_state_passes():
    report, c = check("horizon-europe-ria", [
        org("Uni Gent", "lead", kind="research", country="BE"),
        org("Oxford", kind="research", country="GB"), org("SINTEF", kind="rto", country="NO")])
    assert report.passed and "3 different countries" in c["countries"].message


def test_horizon_switzerland_is_associated_from_2025():
    # Associated from 1 January 2025 (agreement signed 10 November 2025): a Swiss partner counts.
    report, c = check("horizon-europe-ria", [
        org("Oxford", "lead", kind="research", country="GB"),
        org("SINTEF", kind="rto", country="NO"), org("ETH Zurich", kind="research", country="CH"),
        org("TU Delft", kind="research", country="NL")])
    assert report.passed and "4 different countries" in c["countries"].message


def test_horizon_uk_norway_iceland_is_not_eligible():
    report, c = check("horizon-europe-ria", [
        org("Oxford", "lead", kind="research", country="GB"),
        org("SINTEF", kind="rto", country="NO"), org("Matis", kind="rto", country="IS")])
    assert not report.passed and "EU Member State" in c["countries"].message


def test_horizon_two_countries_or_a_third_country_partner_fails():
    two = [org("A", "lead", country="DE"), org("B", country="DE"), org("C", country="FR")]
    assert not check("horizon-europe-ria", two)[0].passed
    third = [org("A", "lead", country="DE"), org("B", country="FR"), org("MIT", kind="research",
                                                                         country="US")]
    report, c = check("horizon-europe-ria", third)
    assert not report.passed and "1 participant is established elsewhere and does not count" in \
        c["countries"].message
    four = third + [org("D", country="ES")]
    assert check("horizon-europe-ria", four)[0].passed


def test_horizon_entities_under_common_control_count_once():
    # Siemens AG (DE) and its French subsidiary are one entity: two independent ones in all.
    group = [org("Siemens AG", "lead", country="DE"),
             org("Siemens SAS", country="FR", controlled_by="Siemens AG"),
             org("Oxford", kind="research", country="GB")]
    report, c = check("horizon-europe-ria", group)
    assert not report.passed and not c["entities"].passed and not c["countries"].passed
    assert "Has 2 independent organisations (another 1 organisation is under common control" in \
        c["entities"].message
    assert "only 2 independent ones are in different countries" in c["countries"].message
    assert "To pass: Add a partner from 1 more country" in c["countries"].message
    # An independent partner from a fourth country fixes it.
    assert check("horizon-europe-ria", group + [org("TNO", kind="rto", country="NL")])[0].passed


def test_horizon_the_controlling_group_may_be_named_without_being_a_participant():
    sister = [org("A GmbH", "lead", country="DE", controlled_by="Holding X"),
              org("B SAS", country="FR", controlled_by="holding x "),   # same group, other case
              org("C Ltd", country="GB"), org("D BV", country="NL")]
    report, c = check("horizon-europe-ria", sister)
    assert report.passed and "Has 3 independent organisations" in c["entities"].message


def test_horizon_independent_entities_must_be_in_different_countries_not_just_counted():
    # Three independent groups and three countries, but the group spanning FR and IT is the
    # only one outside Germany: at most two independent entities in different countries.
    tricky = [org("D1 GmbH", "lead", country="DE"), org("D2 GmbH", country="DE"),
              org("X France", country="FR", controlled_by="X"),
              org("X Italia", country="IT", controlled_by="X")]
    report, c = check("horizon-europe-ria", tricky)
    assert c["entities"].passed and not c["countries"].passed and not report.passed
    assert "only 2 independent ones" in c["countries"].message


def test_horizon_a_bad_controlled_by_names_the_field():
    with pytest.raises(FieldErrors) as caught:
        participants_validate([org("A", "lead", country="DE", controlled_by=["X"])])
    assert caught.value.errors[0][0] == "participants[0].controlled_by"


# Proposed UKRI mandate ----------------------------------------------------------------------

def test_mandate_needs_an_sme_and_a_research_organisation_and_a_share_if_set():
    ok = [org("Small Ltd", "lead", size="micro", costs=20),
          org("Big plc", size="large", costs=50), org("Uni", kind="research", costs=30)]
    assert check("ukri-collaboration-mandate", ok)[0].passed
    assert check("ukri-collaboration-mandate", ok, min_sme_share=0.2)[0].passed  # exactly 20 %
    report, c = check("ukri-collaboration-mandate", ok, min_sme_share=0.21)
    assert not report.passed and "add at least £1" in c["sme_share"].message
    no_sme = [org("Big plc", "lead", size="large", costs=50), org("Uni", kind="research", costs=30)]
    assert not check("ukri-collaboration-mandate", no_sme)[0].passed


# Bad input names the field ------------------------------------------------------------------

@pytest.mark.parametrize("participants,field,text", [
    ([org("A", "partner")], "participants", "no participant has role 'lead'"),
    ([org("A", "lead"), org("B", "lead")], "participants", "exactly one"),
    ([org("A", "lead", costs=-5)], "participants[0].eligible_costs", "zero or more (got -5)"),
    ([org("A", "lead", costs=None)], "participants[0].eligible_costs", "eligible costs are missing"),
    ([org("A", "lead", country="UK")], "participants[0].country", "ISO 3166"),
    ([org("A", "lead", kind="club")], "participants[0].organisation_type", "not one of"),
    ([org("", "lead")], "participants[0].name", "name"),
    ([], "participants", "at least one"),
    ([org("A", "lead", costs=10, grant_requested=-1)], "participants[0].grant_requested",
     "zero or more"),
    ([org("A", "lead", costs=10, grant_requested="lots")], "participants[0].grant_requested",
     "number of pounds"),
    ([org("A", "lead", costs=10, grant_requested=11)], "participants[0].grant_requested",
     "cannot be more than"),
    ([org("A", "lead", controlled_by="x" * 201)], "participants[0].controlled_by", "200 characters or fewer"),
])
def test_bad_participants_name_the_field(participants, field, text):
    with pytest.raises(FieldErrors) as caught:
        participants_validate(participants)
    assert any(f == field and text in m for f, m in caught.value.errors), caught.value.errors


def test_unknown_rule_set_and_parameters_name_the_field():
    with pytest.raises(FieldErrors) as caught:
        rule_set_get(rule_set_id="horizon-2020")
    assert caught.value.errors[0][0] == "rule_set"
    ps = participants_validate([org("A", "lead", size="small", costs=1)])
    with pytest.raises(FieldErrors) as caught:
        consortium_check(rule_set_id="innovate-uk-crd", participants=ps,
                         parameters={"max_research_share": 1.5, "colour": "red"})
    fields = {f for f, _ in caught.value.errors}
    assert fields == {"parameters.max_research_share", "parameters.colour"}


def test_sentences_count_organisations_in_words():
    from locus.collaboration.rules.checks_more import _organisations

    assert _organisations(1, "other ") == "1 other organisation"
    assert _organisations(0, "other ") == "0 other organisations"
    assert _organisations(3) == "3 organisations"


def test_a_consortium_with_no_eligible_costs_fails_the_share_checks_instead_of_passing_them():
    # A share of £0 cannot be worked out: match funding and cost shares fail and say why.
    zero = [org("Carmaker plc", "lead", size="large", tier="vehicle_manufacturer", grant_requested=0),
            org("Motors Ltd", size="small", grant_requested=0)]
    report, c = check("apc", zero, min_total_costs=0)
    assert not report.passed and not c["match_funding"].passed
    assert c["match_funding"].message.startswith("Total eligible costs are £0, so how much of the "
                                                 "project is match funded cannot be worked out")
    crd = [org("Acme Ltd", "lead", size="small"), org("Uni", kind="research")]
    report, c = check("innovate-uk-crd", crd)
    failed = [x for x in report.checks if not x.passed]
    assert failed and all(x.message.startswith("Total eligible costs are £0") for x in failed)
    assert check("innovate-uk-crd", [org("Acme Ltd", "lead", size="small", costs=80),
                                     org("Uni", kind="research", costs=20)])[0].passed


def test_a_minimum_share_of_zero_is_stated_as_no_minimum():
    report, c = check("ukri-collaboration-mandate", [
        org("Acme Ltd", "lead", size="small", costs=60), org("Uni", kind="research", costs=40)])
    assert report.passed and c["sme_share"].message == "No minimum share of eligible costs is set for SMEs."


def test_the_same_organisation_listed_twice_is_an_input_error_naming_the_row():
    with pytest.raises(FieldErrors) as caught:
        participants_validate([org("Acme Ltd", "lead", costs=50), org(" acme  LTD", costs=50),
                               org("Acme", costs=1)])
    assert caught.value.errors == [("participants[1].name", "'acme  LTD' is already organisation 1: list "
                                    "each organisation once (another legal entity of the same group has "
                                    "its own name, and 'controlled by' says they are one group)")]


def test_gber_cross_border_route_needs_a_member_state():
    # "carried out in at least two Member States, or in a Member State and in a Contracting Party
    # of the EEA Agreement": Norway and Iceland alone do not qualify; Germany and Norway do.
    nordic = [org("Norsk AS", "lead", size="large", country="NO", costs=50),
              org("Islensk hf", size="large", country="IS", costs=50)]
    report, c = check("gber-art25-collaboration", nordic)
    assert not report.passed
    with_de = [nordic[0], org("Gross GmbH", size="large", country="DE", costs=50)]
    assert check("gber-art25-collaboration", with_de)[0].passed


def test_messages_agree_in_number():
    one_country = [org("A GmbH", "lead", country="DE", costs=1), org("B GmbH", country="DE", costs=1),
                   org("C GmbH", country="DE", costs=1)]
    _, c = check("horizon-europe-ria", one_country)
    assert "Participants are established in 1 country that counts" in c["countries"].message
    silent = [org("Acme Ltd", "lead", size="large", costs=80),
              org("Uni", kind="research", costs=20, publishes=False)]
    report, _ = check("gber-art25-collaboration", silent)
    said = " ".join(x.message for x in report.checks)
    assert "1 university, research institute or RTO does not have the right to publish its own" in said
    # passing, said by number ("Every one of the 1 university ..." before)
    free = [silent[0], org("Uni", kind="research", costs=20, publishes=True)]
    said = " ".join(x.message for x in check("gber-art25-collaboration", free)[0].checks)
    assert "The university, research institute or RTO has the right to publish its results." in said
    two = [*free, org("Uni 2", kind="research", costs=20, publishes=True)]
    said = " ".join(x.message for x in check("gber-art25-collaboration", two)[0].checks)
    assert "Both research organisations and RTOs have the right to publish their results." in said
    assert "Every one of" not in said


PILLAR_II_ONLY = [("CA", "Canada"), ("JP", "Japan"), ("NZ", "New Zealand"), ("KR", "Korea (South)")]


@pytest.mark.parametrize(("code", "name"), PILLAR_II_ONLY)
def test_horizon_pillar_ii_only_countries_count_only_for_a_pillar_ii_call(code, name):
    # Canada, New Zealand and South Korea are associated to Pillar II only (UKRO: "for all other
    # parts of the programme (i.e. Pillars I and III), New Zealand will be considered a
    # non-associated third country"); Japan too, for calls from 2026 (Commission, December 2025).
    consortium = [org("Uni Gent", "lead", kind="research", country="BE"),
                  org("Oxford", kind="research", country="GB"),
                  org("Partner", kind="research", country=code)]
    report, c = check("horizon-europe-ria", consortium)  # the default: a Pillar II call
    assert report.passed and "3 different countries" in c["countries"].message
    assert check("horizon-europe-ria", consortium, programme_part="pillar_2")[0].passed
    for part in ("pillar_1", "pillar_3", "widening"):
        report, c = check("horizon-europe-ria", consortium, programme_part=part)
        assert not report.passed, part
        message = c["countries"].message
        assert "2 different countries" in message and "1 participant is established elsewhere" in message
        assert f"{name}: associated to Pillar II only" in message
    # countries associated to every part still count outside Pillar II
    every_part = consortium[:2] + [org("SINTEF", kind="rto", country="NO")]
    assert check("horizon-europe-ria", every_part, programme_part="pillar_3")[0].passed


def test_horizon_egypt_is_associated_to_every_part():
    # Association agreement signed 22 October 2025: "access to all parts of the Horizon Europe
    # programme" (European Commission); transitional arrangements from 10 April 2025.
    consortium = [org("Uni Gent", "lead", kind="research", country="BE"),
                  org("Oxford", kind="research", country="GB"),
                  org("Cairo University", kind="research", country="EG")]
    for part in ("pillar_1", "pillar_2", "pillar_3", "widening"):
        assert check("horizon-europe-ria", consortium, programme_part=part)[0].passed, part
    rs = rule_set_get(rule_set_id="horizon-europe-ria")
    assert "EG" in rs.parameters["associated_countries"].default
    assert not set(rs.parameters["associated_countries"].default) & {c for c, _ in PILLAR_II_ONLY}
    assert rs.version == "2025-12.1"
    assert any("association-horizon-europe/egypt" in s.url for s in rs.sources)


def test_horizon_an_unknown_programme_part_is_an_input_error_naming_the_field():
    consortium = [org("A", "lead", country="DE"), org("B", country="FR"), org("C", country="ES")]
    with pytest.raises(FieldErrors) as exc:
        check("horizon-europe-ria", consortium, programme_part="pillar_9")
    (field, message), = exc.value.errors
    assert field == "parameters.programme_part"
    assert message.startswith("Choose the part of Horizon Europe the call belongs to")
    assert "pillar_2 (Pillar II" in message and "'pillar_9'" in message
