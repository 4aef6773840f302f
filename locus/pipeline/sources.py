"""Catalogue of the atlas input files: one declarative entry per file.

Every file the build reads is listed here with its path (relative to the data directory),
publisher, licence, vintage and URL, and how to read it. The runner reads nothing that is not
listed, and the manifest records a checksum for each entry.

Measures are the raw quantities the files carry (a count, a sum of money, a rate), each
attached to one source. Indicators (``catalogue.py``) are built from measures.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Aggregation = Literal["sum", "mean"]
GeoKind = Literal["nuts", "lad", "itl", "given"]  # given: published per area, not re-aggregated

OGL = "Open Government Licence v3.0"
# the publisher's licence of the data comes first; Nesta's repository of processed files is MIT
BEIS_LICENCE = "processed by Nesta, repository MIT (Nesta 2021)"


@dataclass(frozen=True)
class Source:
    """One input file."""

    id: str
    path: str
    kind: str  # beis_csv | geo_csv | ons_bd | ons_productivity | ons_gva | nomis_bres | providers | crosswalk
    #          | network_csv
    title: str
    publisher: str
    licence: str
    vintage: str
    url: str
    min_rows: int = 1
    columns: tuple[str, ...] = ()
    uncertainty: str = ""  # a survey estimate's sampling error, or why the bundled file has none
    # years the file covers only in part ({year: how far}, as pairs): their values are published, flagged
    # ``partial_year``, and left out of everything scored (stage scores, trends, weak links, neighbours)
    partial_years: tuple[tuple[int, str], ...] = ()
    # rows of the file known to be wrong (year, the file's area code, what is wrong, as plain words): their
    # values, and every value built from them, are published flagged ``source_defect`` and left out of
    # everything scored, as a partial year's are (methodology section 1, "Defects in a source")
    defects: tuple[tuple[int, str, str], ...] = ()

    def partial_year(self, year: int | None) -> str:
        """How far the file covers this year when it covers it only in part, else ""."""
        return dict(self.partial_years).get(year, "") if year is not None else ""


@dataclass(frozen=True)
class Measure:
    """A raw quantity carried by one source, before any denominator is applied."""

    id: str
    source_id: str
    unit: str
    aggregation: Aggregation = "sum"
    absent_means_zero: bool = False  # area missing in a covered year = none recorded
    geo_kind: GeoKind = "nuts"
    min_areas_per_year: int = 1  # in the measure's best-covered year
    min_year_share: float = 0.9  # every year needs this share of the best year's areas
    # an estimate's caveat for this measure alone, where its file also carries measures without one (the
    # regional GVA workbook: GVA is a modelled estimate, its population column is not); else the source's
    uncertainty: str = ""
    # a stock that changes slowly (a university's research income): an area's value that moves by more than
    # this factor from one year to the next fails the build unless the row is a declared defect of its source
    max_year_ratio: float | None = None
    # how a source unit's value is shared among the pieces of an area it straddles: by population, or, for
    # figures universities report about themselves (HESA, HE-BCI, REF, HE R&D), by where the unit's HE
    # providers are (population where the unit has none in the providers list)
    apportion_by: Literal["population", "he_providers"] = "population"

    @property
    def uncertainty_text(self) -> str:
        """What is known of this measure's error: its own caveat, else its source's."""
        return self.uncertainty or source_get(source_id=self.source_id).uncertainty


NETWORK_COLUMNS = ("area_code", "area_level", "indicator", "value", "numerator", "denominator", "unit",
                   "dataset", "vintage", "source")
NETWORK_PUBLISHER = ("Nesta / Welsh Government Arloesiadur, from UKRI Gateway to Research (indicators "
                     "derived by Locus)")
NETWORK_LICENCE = ("No licence stated by the repository; underlying GtR data Open Government Licence "
                   "(attribution: Nesta / Welsh Government Arloesiadur, from UKRI Gateway to Research)")

# data/atlas/SOURCES.md: "REF 2014 (results published by the UK funding bodies)". Nesta's schemas for the
# two REF files name no licence, and the REF website's copyright page (2020) names UKRI as the owner and
# offers reuse on request, not an open licence: the text said "OGL-compatible", which nothing supports
REF_LICENCE = "No licence stated (REF 2014 results, published by the UK funding bodies); " + BEIS_LICENCE
_HESA = ("HESA (HE-BCI / HE Finance) via Nesta BEIS R&D indicators", "CC BY 4.0 (HESA); " + BEIS_LICENCE)
_BEIS_URL = "https://github.com/nestauk/beis-indicators (ds/data/processed, commit c1124f6)"


# The Annual Population Survey is a sample survey: Nomis publishes a 95% confidence interval beside each
# estimate (Nesta's own fetch asked for it: measures 21003 and 20701 in the YAML's endpoint URLs), but
# Nesta's processed files keep the estimate only. Lancashire County Council's "Academic qualifications
# from the annual population survey" page gives the 2018 share of working-age people qualified to degree
# level or above for Lancashire's six NUTS3 areas with intervals of +/-2.5 to +/-5.3 points.
APS_CAUTION = ("Survey estimate (Annual Population Survey): ONS publishes a 95% confidence interval with "
               "each estimate (on Nomis), but the Nesta files Locus bundles carry the estimate only, so none "
               "is shown.")
APS_UNCERTAINTY = (APS_CAUTION + " For a NUTS3 area such intervals are wide: for example "
                   "±2.5 to ±5.3 percentage points around the 2018 share of working-age residents "
                   "qualified to degree level in Lancashire's six NUTS3 areas (Lancashire County Council, from "
                   "the APS). Small differences between places or years may be sampling noise.")

# Estimates for which the publisher gives no interval at these geographies (so none can be shown): each text
# says so in its first sentence (the caution shown beside values, ``caution_of``), then what the publisher
# says of the figures' quality. The publishers' own words checked for each:
# - BRES: Nomis, "Business Register and Employment Survey Quality Measure" (nomisweb.co.uk/articles/774):
#   no coefficient of variation per figure on Nomis, quality lower for detailed breakdowns, half of 5-digit
#   industries with a CV above 18.4%, CVs of 20% or more to be used with caution; "Rounding of BRES
#   estimates" (articles/1103); ONS BRES QMI: a sample of about 80,000 businesses.
# - BERD: ONS, "Comparison of ONS BERD statistics with HMRC R&D tax credit statistics" (29 September 2022):
#   UK business R&D GBP 15.0bn higher in 2018 than previously estimated once small businesses are covered;
#   ONS, "Options for transformation of BERD statistics" (17 November 2022): uncertainty below UK level,
#   National Statistics status of the detailed breakdowns paused; OSR, "Spotlight on quality: BERD"
#   (11 July 2024). Nesta's Eurostat file (rd_e_gerdreg, repository last changed 2021) predates both.
# - Regional GVA(B): ONS GVA(B) QMI ("various sample-based surveys and administrative data"); ONS's note
#   of 17 December 2018 on breaking GVA(B) down from NUTS2 to NUTS3 with industry and administrative data;
#   the bundled workbook's own notes ("The latest year's data are provisional").
# - Subregional productivity: the bundled workbook's Contents sheet ("Smoothed versus unsmoothed data":
#   year-on-year changes can reflect sampling and non-sampling errors, more likely where samples are small,
#   as in small areas, hence the smoothed series Locus reads).
APPORTIONED_WORDS = ("Where an area does not match the publisher's areas, Locus shares the publisher's figure out "
                     "by population (values marked \"apportioned\"), which adds further uncertainty.")
BRES_UNCERTAINTY = (
    "Survey estimate (Business Register and Employment Survey): ONS publishes no confidence interval for an "
    "area's figures, so none is shown, and small differences between places may not be real. BRES samples "
    "about 80,000 businesses a year (ONS). Nomis cannot give a margin of error for each figure it serves and "
    "says quality is lower the more detailed the breakdown: half of all 5-digit industries have a coefficient "
    "of variation above 18.4%, and ONS advises caution at 20% or more (Nomis, Business Register and Employment "
    "Survey Quality Measure). Nomis also rounds the figures to protect confidentiality (Nomis, Rounding of "
    "BRES estimates). These figures are built from employment by 4-digit industry, a detailed breakdown. "
    + APPORTIONED_WORDS)
BERD_UNCERTAINTY = (
    "Survey estimate (ONS Business Enterprise Research and Development survey, published by Eurostat for "
    "NUTS2 regions): no confidence interval is published for a region, so none is shown, and ONS has since "
    "said its figures below UK level are uncertain. In 2022 ONS found that the survey had missed much of "
    "small businesses' R&D: its improved method put UK business R&D £15.0 billion higher in 2018 than "
    "previously estimated (ONS, Comparison of ONS business enterprise research and development statistics "
    "with HMRC research and development tax credit statistics, 29 September 2022), and ONS asked for the "
    "National Statistics status of its breakdowns below UK level to be paused because of their uncertainty "
    "(ONS, 17 November 2022; Office for Statistics Regulation, 11 July 2024). The Eurostat series bundled "
    "here (2007-2018, processed by Nesta by 2021) is the earlier one. " + APPORTIONED_WORDS)
GVA_UNCERTAINTY = (
    "Modelled estimate (ONS regional gross value added, balanced): ONS builds it from several sample surveys "
    "and administrative sources and publishes no confidence interval, so none is shown. ONS balances its "
    "income and production measures into one estimate and shares regional totals down to smaller areas using "
    "industry and administrative data (ONS, Regional gross value added (balanced) quality and methodology "
    "information; its note of 17 December 2018 on the NUTS3 breakdown); the latest year is provisional "
    "(the workbook's notes). Small differences between neighbouring areas may not be real. " + APPORTIONED_WORDS)
PRODUCTIVITY_UNCERTAINTY = (
    "Modelled estimate (ONS subregional productivity): balanced GVA over estimated hours worked, with no "
    "confidence interval published, so none is shown. ONS warns that year-to-year changes in these figures can "
    "reflect sampling and non-sampling errors rather than real change, more likely where samples are small, as "
    "in small areas, and publishes smoothed figures for that reason (the workbook's notes); Locus uses the "
    "smoothed series. Small differences between districts may not be real. " + APPORTIONED_WORDS)
_UNCERTAINTY = {"beis_nvq4": APS_UNCERTAINTY, "beis_stem_profs": APS_UNCERTAINTY,
                "beis_berd": BERD_UNCERTAINTY, "beis_private_rd_fte": BERD_UNCERTAINTY,
                "beis_eci": BRES_UNCERTAINTY, "beis_lq_high_tech": BRES_UNCERTAINTY}


def caution_of(text: str) -> str:
    """The first sentence of an uncertainty text: the caution shown beside the values ("" for none)."""
    first = text.split(". ")[0].strip().rstrip(".")
    return f"{first}." if first else ""

# Files whose last year ends part-way through (the years a file covers in part; methodology section 1,
# "Partial years"). Dates from the files' own schemas (data/atlas/beis/*/*.yaml):
# - Innovate UK: the YAML's endpoint_url is Innovate UK's list "20200801_Innovate_UK_Funded_Projects.xlsx"
#   (fetched by Nesta on 21 August 2020, data_date 20200821), so awards after 1 August 2020 are missing:
#   2020 totals GBP 172m for the UK against GBP 575m-2.29bn a year in 2011-2019.
# - CORDIS Horizon 2020: the YAML's data_date is 20200909 (9 September 2020); 2020 totals EUR 773m
#   against EUR 1.03bn-1.36bn a year in 2015-2019.
# Horizon 2020's first year (2014) is a whole calendar year of a programme that began then; it is scored
# (with the catalogue's note on it).
# Innovate UK's 2010 (GBP 171m, against GBP 767m in 2011 and 727m in 2012) is not declared partial: the
# evidence does not say it is. Nesta's script (nestauk/beis-indicators,
# ds/beis_indicators/innovation_funding/make_innovate_funding.py) dates each award by the list's "Competition
# Year" ("2010/11" -> 2010) and keeps years from 2010, so 2010 is the whole 2010/11 competition year, cut
# neither by Nesta's filter nor by the list's date; the list itself covers organisations funded since 2004
# (UKRI's answer to FOI2020/00048). The file's 2010 is as broad as the next years (awards in 123 NUTS3 areas
# against 127 in 2011 and 133 in 2012), though smaller (median area GBP 0.50m against 0.97m and 1.00m). The
# bundled file holds yearly totals only, with no award dates, so whether the list is complete for 2010/11
# cannot be checked here: the catalogue's note on 2010 says so, and 2010 is scored.
_PARTIAL_YEARS = {
    "beis_innovate_uk": ((2020, "awards listed up to 1 August 2020"),),
    "beis_cordis": ((2020, "projects listed up to 9 September 2020"),),
}


# Rows of a source known to be wrong (methodology section 1, "Defects in a source"). Found by the build's
# year-on-year check on stock measures (schema.yml, int_measure_rows: year_on_year), which fails on any such
# break that is not declared here, and checked against the other inputs before being declared:
# - HESA research income and research students, Birmingham (NUTS3 UKG31), 2018 (academic year 2018/19):
#   research income GBP 201.0m, 190.1m and 202.8m in 2015-2017, then GBP 28.5m (-86%); research students
#   2,715, 2,700 and 2,740, then 605 (-78%); no other NUTS3 area rises to match (the UK total rises 2.7%),
#   while the same area's HE-BCI income from the same universities does not fall (contract research with
#   the public and third sector GBP 40.8m in 2017, 47.6m in 2018; consultancy and CPD about the same). Both series come from HESA's Estates management record (the files'
#   YAML: hesa.ac.uk/data-and-analysis/estates), a return HESA describes as largely optional for providers
#   (hesa.ac.uk/data-and-analysis/estates/introduction; HESA's C13042 coverage page): the area's main
#   research university's return is evidently missing from the 2018 figures.
_BIRMINGHAM_2018 = (
    "2018 (academic year 2018/19): the source's figure for Birmingham (NUTS3 UKG31) is evidently missing "
    "its main research university: HE research income falls from £202.8 million in 2017 to £28.5 million "
    "and research students from 2,740 to 605, while the same area's knowledge-exchange income from its "
    "universities does not fall. Both come from HESA's Estates management record, which providers may "
    "leave partly unreturned. So the 2018 values of Birmingham and of the areas that contain it (the West "
    "Midlands Combined Authority and region, England and the UK) that use this figure are too low, and "
    "ratios over it too high. They are shown, but not used in stage scores, trends, weak links or "
    "opportunities, where the area's 2017 value is carried forward as for any missing year.")
_DEFECTS = {
    "beis_research_income": ((2018, "UKG31", _BIRMINGHAM_2018),),
    "beis_research_students": ((2018, "UKG31", _BIRMINGHAM_2018),),
}


def _beis(sid: str, folder: str, name: str, title: str, publisher: str, licence: str,
          vintage: str) -> Source:
    return Source(id=sid, path=f"beis/{folder}/{name}.csv", kind="beis_csv", title=title,
                  publisher=publisher, licence=licence, vintage=vintage, url=_BEIS_URL,
                  min_rows=30, uncertainty=_UNCERTAINTY.get(sid, ""), partial_years=_PARTIAL_YEARS.get(sid, ()),
                  defects=_DEFECTS.get(sid, ()))


_BEIS_FILES: tuple[tuple[str, str, str, str, str, str, str], ...] = (
    # (source id, folder, file stem, title, publisher, licence, vintage)
    ("beis_research_income", "hesa", "gbp_research_income.nuts3", "HE research income", *_HESA, "2015-2018"),
    ("beis_research_students", "hesa", "fte_research_students.nuts3", "FTE research students", *_HESA, "2015-2018"),
    ("beis_collab_research", "hebci", "collaborative_research_cash.nuts3", "Collaborative research cash income", *_HESA, "2015-2018"),
    ("beis_contract_sme", "hebci", "contract_research_sme.nuts3", "Contract research with SMEs", *_HESA, "2014-2018"),
    ("beis_contract_non_sme", "hebci", "contract_research_non_sme.nuts3", "Contract research with large firms", *_HESA, "2014-2018"),
    ("beis_contract_public", "hebci", "contract_research_public_third.nuts3", "Contract research with public and third sector", *_HESA, "2014-2018"),
    ("beis_consult_sme", "hebci", "consultancy_facilities_sme.nuts3", "Consultancy and facilities income from SMEs", *_HESA, "2014-2018"),
    ("beis_consult_non_sme", "hebci", "consultancy_facilities_non_sme.nuts3", "Consultancy and facilities income from large firms", *_HESA, "2014-2018"),
    ("beis_consult_public", "hebci", "consultancy_facilities_public_third.nuts3", "Consultancy and facilities income from public and third sector", *_HESA, "2014-2018"),
    ("beis_cpd_income", "hebci", "ce_cpd_income.nuts3", "CPD and continuing education income", *_HESA, "2014-2018"),
    ("beis_ip_revenue", "hebci", "ip_revenue.nuts3", "IP income", *_HESA, "2014-2018"),
    ("beis_spinoff_investment", "hebci", "spinoff_investment.nuts3", "External investment in spin-offs", *_HESA, "2014-2018"),
    ("beis_spinoff_revenue", "hebci", "spinoff_revenue.nuts3", "Turnover of spin-offs", *_HESA, "2014-2018"),
    ("beis_graduate_startups", "hebci", "graduate_startups.nuts3", "Active graduate start-ups", *_HESA, "2014-2018"),
    ("beis_ukri_funding", "gtr", "total_ukri_funding.nuts3", "UKRI funding (Gateway to Research)", "UKRI Gateway to Research via Nesta", OGL + " (UKRI); " + BEIS_LICENCE, "2006-2019"),
    ("beis_innovate_uk", "innovate_uk", "gbp_innovate_uk_funding.nuts3", "Innovate UK funding", "Innovate UK via Nesta", OGL + " (Innovate UK); " + BEIS_LICENCE, "2010-2020"),
    ("beis_cordis", "cordis", "cordis_funding.nuts3", "Horizon 2020 funding (EUR)", "European Commission CORDIS via Nesta", "CC BY 4.0 (EU); " + BEIS_LICENCE, "2014-2020"),
    ("beis_ref_4star", "ref", "total_4_fte", "REF 2014 4* FTE researchers", "REF 2014 via Nesta", REF_LICENCE, "2014"),
    ("beis_ref_mean", "ref", "mean_ref", "REF 2014 mean score", "REF 2014 via Nesta", REF_LICENCE, "2014"),
    ("beis_berd", "eurostat", "eurostat_berd_data.nuts2", "Business enterprise R&D expenditure (EUR)", "Eurostat via Nesta", "CC BY 4.0 (Eurostat); " + BEIS_LICENCE, "2007-2018"),
    ("beis_private_rd_fte", "eurostat", "eurostat_private_rd_fte_workforce_data.nuts2", "Business R&D personnel (FTE)", "Eurostat via Nesta", "CC BY 4.0 (Eurostat); " + BEIS_LICENCE, "2007-2018"),
    ("beis_he_rd_expenditure", "eurostat", "eurostat_higher_ed_rd_workforce_data.nuts2", "Higher education R&D expenditure (EUR)", "Eurostat via Nesta", "CC BY 4.0 (Eurostat); " + BEIS_LICENCE, "2007-2018"),
    ("beis_patents", "eurostat", "epo_patent_applications.nuts3", "EPO patent applications", "Eurostat via Nesta", "CC BY 4.0 (Eurostat); " + BEIS_LICENCE, "2006-2012"),
    ("beis_nvq4", "aps", "aps_nvq4_education_data.nuts3", "Economically active with NVQ4+ (%)", "ONS Annual Population Survey (Nomis) via Nesta", OGL + " (ONS); " + BEIS_LICENCE, "2010-2019"),
    ("beis_stem_profs", "aps", "aps_econ_active_stem_profs_data.nuts3", "STEM professionals", "ONS Annual Population Survey (Nomis) via Nesta", OGL + " (ONS); " + BEIS_LICENCE, "2010-2019"),
    ("beis_eci", "industry", "economic_complexity_index.nuts3", "Economic complexity index (BRES)", "Nesta from ONS BRES", OGL + " (ONS); " + BEIS_LICENCE, "2016-2019"),
    ("beis_lq_high_tech", "industry", "location_quotient_high_tech.nuts2", "High-tech employment location quotient", "Nesta from ONS BRES", OGL + " (ONS); " + BEIS_LICENCE, "2016-2019"),
)

_GEO_URL = "https://geoportal.statistics.gov.uk/"
_GEO = (
    Source("geo_lad23_itl", "../geography/lad23_lau1_itl_2021.csv", "geo_csv",
           "LAD (April 2023) to LAU1 to ITL3/2/1 (January 2021)", "ONS", OGL, "2023/2021", _GEO_URL,
           min_rows=380, columns=("LAD23CD", "LAD23NM", "LAU121CD", "LAU121NM", "ITL321CD", "ITL321NM",
                                  "ITL221CD", "ITL221NM", "ITL121CD", "ITL121NM", "ObjectId")),
    Source("geo_lad18_nuts", "../geography/lad18_nuts_2018.csv", "geo_csv",
           "LAD (December 2018) to NUTS3/2/1 (January 2018)", "ONS", OGL, "2018 (NUTS 2016)", _GEO_URL,
           min_rows=390, columns=("LAD18CD", "LAD18NM", "LAU118CD", "LAU118NM", "NUTS318CD", "NUTS318NM",
                                  "NUTS218CD", "NUTS218NM", "NUTS118CD", "NUTS118NM", "FID")),
    Source("geo_lad_changes", "../geography/lad_changes.csv", "geo_csv",
           "LAD and CA code changes 2014-2025", "ONS (ONSvisual/uk-topojson)", OGL, "2014-2025",
           "https://github.com/ONSvisual/uk-topojson", min_rows=50,
           columns=("oldcd", "oldnm", "newcd", "newnm", "type", "start")),
    Source("geo_lad_ca", "../geography/lad25_ca_2025.csv", "geo_csv",
           "LAD to Combined Authority (May 2025)", "ONS", OGL, "2025", _GEO_URL, min_rows=100,
           columns=("LAD25CD", "LAD25NM", "CAUTH25CD", "CAUTH25NM", "ObjectId")),
    Source("geo_councils", "../geography/mysociety_local_authorities.csv", "geo_csv",
           "UK local authority register with population 2020", "mySociety", "CC BY 4.0 (mySociety)",
           "v1.7.3 (pop 2020)", "https://github.com/mysociety/uk_local_authority_names_and_codes",
           min_rows=400),
    Source("geo_land_area", "../geography/sam_lad_2023.csv", "geo_csv",
           "Standard Area Measurements LAD (December 2023)", "ONS", OGL, "2023", _GEO_URL, min_rows=360,
           columns=("LAD23CD", "LAD23NM", "LAD23NMW", "AREAEHECT", "AREACHECT", "AREAIHECT", "AREALHECT")),
    Source("xw_nuts3_changes", "crosswalk/nuts3_code_changes.csv", "crosswalk",
           "NUTS3 2006/2010/2013 codes that differ from NUTS 2016", "Locus (from Eurostat NUTS history)",
           "CC BY 4.0 (Eurostat); compiled by Locus", "2006-2016",
           "https://ec.europa.eu/eurostat/web/nuts/history", min_rows=50,
           columns=("vintage", "nuts3_code", "nuts3_2016_code", "relation", "note")),
    Source("xw_split_weights", "crosswalk/split_weights.csv", "crosswalk",
           "Population shares for former districts without a published population", "Locus (from ONS NSPL)",
           OGL, "2025", "https://geoportal.statistics.gov.uk/", min_rows=1,
           columns=("lau1_code", "lau1_name", "piece_lad23_code", "share_of_piece", "method", "evidence")),
)

_ONS = (
    Source("ons_business_demography", "ons/businessdemographyexceltables2024.xlsx", "ons_bd",
           "Business demography, UK: 2024 (Tables 1.1, 3.1, 5.1, 7.1, 7.3)", "ONS", OGL, "2019-2024",
           "https://www.ons.gov.uk/businessindustryandtrade/business/activitysizeandlocation/datasets/businessdemographyreferencetable"),
    Source("ons_productivity", "ons/labourproductivitylocalauthorities.xls", "ons_productivity",
           "Subregional productivity: labour productivity by LAD (June 2024)", "ONS", OGL, "2004-2022",
           "https://www.ons.gov.uk/employmentandlabourmarket/peopleinwork/labourproductivity/datasets/subregionalproductivitylabourproductivitygvaperhourworkedandgvaperfilledjobindicesbylocalauthoritydistrict",
           uncertainty=PRODUCTIVITY_UNCERTAINTY),
    Source("ons_regional_gva", "ons/regionalgrossvalueaddedbalancedperheadandincomecomponents-2.xlsx",
           "ons_gva", "Regional GVA(B) per head and income components (Tables 1, 6, 17)", "ONS", OGL,
           "1998-2022", "https://www.ons.gov.uk/economy/grossvalueaddedgva/datasets/nominalregionalgrossvalueaddedbalancedperheadandincomecomponents"),
    Source("nomis_bres_2018", "nomis/nomis_BRES_2018_TYPE450.csv.gz", "nomis_bres",
           "BRES 2018 employment by NUTS2 (2013) and SIC 2007 4-digit", "ONS BRES via Nomis and Nesta",
           OGL + " (ONS); " + BEIS_LICENCE, "2018",
           "https://github.com/nestauk/beis-indicators (data/processed/official, commit f0bfba6)",
           min_rows=10000, columns=("", "year", "geo_type", "geo_nm", "geo_cd", "SIC4", "value", "cluster_name"),
           uncertainty=BRES_UNCERTAINTY),
    Source("he_providers", "universities/learning-providers-plus.csv", "providers",
           "Learning providers plus: UK HE providers with location", "learning-provider.data.ac.uk",
           "Open data from learning-provider.data.ac.uk (UKRLP / ONS postcode derived); repository copy MIT", "2013/14",
           "https://github.com/odileeds/learning-provider-website-emissions", min_rows=100),
    Source("collab_network_indicators", "../collaboration/network_indicators.csv", "network_csv",
           "Research-collaboration network indicators per area (derived by Locus from the Arloesiadur "
           "network)", NETWORK_PUBLISHER, NETWORK_LICENCE, "2006-2016",
           "https://github.com/nestauk/arloesiadur_analysis_data (research/data/research_3_network, "
           "commit ae4b12b)", min_rows=1, columns=NETWORK_COLUMNS),
    Source("geo_lad23_boundaries", "../geography/lad_2023_buc.geojson", "geojson",
           "LAD (December 2023) boundaries, ultra generalised", "ONS", OGL, "2023", _GEO_URL),
)

SOURCES: tuple[Source, ...] = tuple(_beis(s, f, n, t, p, li, v) for s, f, n, t, p, li, v in _BEIS_FILES) + _GEO + _ONS
_SOURCES_BY_ID: dict[str, Source] = {s.id: s for s in SOURCES}
if len(_SOURCES_BY_ID) != len(SOURCES):
    raise RuntimeError("duplicate source ids in the catalogue")


def source_get(*, source_id: str) -> Source:
    """Return the catalogue entry with this id."""
    return _SOURCES_BY_ID[source_id]


def _m(mid: str, sid: str, unit: str, agg: Aggregation = "sum", zero: bool = False,
       geo: GeoKind = "nuts", min_areas: int = 1, share: float = 0.9, uncertainty: str = "",
       max_year_ratio: float | None = None) -> Measure:
    return Measure(id=mid, source_id=sid, unit=unit, aggregation=agg, absent_means_zero=zero,
                   geo_kind=geo, min_areas_per_year=min_areas, min_year_share=share, uncertainty=uncertainty,
                   max_year_ratio=max_year_ratio,
                   apportion_by="he_providers" if mid in HE_PROVIDER_MEASURES else "population")


# Figures universities report about themselves, aggregated by Nesta to NUTS areas by where each provider is:
# shared among the pieces of a NUTS area by where its HE providers are, not by population (a NUTS3 area split
# between a Combined Authority and a council outside it otherwise credits the outside council with a share
# of its universities' income in proportion to its residents: North Somerset took 31% of UKK12's, whose
# universities, Bath, Bath Spa and the West of England, are all in the authority).
HE_PROVIDER_MEASURES = frozenset({
    "research_income", "research_students", "collab_research", "contract_sme", "contract_non_sme",
    "contract_public", "consult_sme", "consult_non_sme", "consult_public", "cpd_income", "ip_revenue",
    "spinoff_investment", "spinoff_revenue", "graduate_startups", "ref_4star_fte", "he_rd_expenditure"})


# Stocks checked year on year: HESA's research income and research students change by a few per cent a year
# in an area (2015-2018: no NUTS3 area with a value above 0.5% of the UK's moves by a factor of 3 or more,
# except the declared Birmingham 2018 defect), so a factor of 3 is a broken row, not a real change.
STOCK_MAX_YEAR_RATIO = 3.0


MEASURES: tuple[Measure, ...] = (
    _m("research_income", "beis_research_income", "GBP", zero=True, min_areas=60, max_year_ratio=STOCK_MAX_YEAR_RATIO),
    _m("research_students", "beis_research_students", "FTE", zero=True, min_areas=60,
       max_year_ratio=STOCK_MAX_YEAR_RATIO),
    _m("collab_research", "beis_collab_research", "GBP", zero=True, min_areas=60),
    _m("contract_sme", "beis_contract_sme", "GBP", zero=True, min_areas=60),
    _m("contract_non_sme", "beis_contract_non_sme", "GBP", zero=True, min_areas=60),
    _m("contract_public", "beis_contract_public", "GBP", zero=True, min_areas=60),
    _m("consult_sme", "beis_consult_sme", "GBP", zero=True, min_areas=60),
    _m("consult_non_sme", "beis_consult_non_sme", "GBP", zero=True, min_areas=60),
    _m("consult_public", "beis_consult_public", "GBP", zero=True, min_areas=60),
    _m("cpd_income", "beis_cpd_income", "GBP", zero=True, min_areas=60),
    _m("ip_revenue", "beis_ip_revenue", "GBP", zero=True, min_areas=60),
    _m("spinoff_investment", "beis_spinoff_investment", "GBP", zero=True, min_areas=60),
    _m("spinoff_revenue", "beis_spinoff_revenue", "GBP", zero=True, min_areas=60),
    _m("graduate_startups", "beis_graduate_startups", "count", zero=True, min_areas=60),
    _m("ukri_funding", "beis_ukri_funding", "GBP", zero=True, min_areas=80, share=0.5),
    _m("innovate_uk_funding", "beis_innovate_uk", "GBP", zero=True, min_areas=100, share=0.7),
    _m("h2020_funding", "beis_cordis", "EUR", zero=True, min_areas=50, share=0.3),
    _m("ref_4star_fte", "beis_ref_4star", "FTE", min_areas=35),
    _m("ref_mean_score", "beis_ref_mean", "score (1-4)", agg="mean", min_areas=35),
    _m("berd", "beis_berd", "EUR", min_areas=30, share=0.7),
    _m("business_rd_fte", "beis_private_rd_fte", "FTE", min_areas=30, share=0.7),
    _m("he_rd_expenditure", "beis_he_rd_expenditure", "EUR", min_areas=30, share=0.3),
    _m("epo_patents", "beis_patents", "count", min_areas=100),
    _m("nvq4_share", "beis_nvq4", "percent", agg="mean", min_areas=100, share=0.75),
    _m("stem_professionals", "beis_stem_profs", "persons", min_areas=100, share=0.75),
    _m("eci_nesta", "beis_eci", "index", agg="mean", min_areas=100),
    _m("lq_high_tech", "beis_lq_high_tech", "ratio", agg="mean", min_areas=30),
    _m("enterprise_births", "ons_business_demography", "count", geo="lad", min_areas=300),
    _m("active_enterprises", "ons_business_demography", "count", geo="lad", min_areas=300),
    _m("high_growth_enterprises", "ons_business_demography", "count", geo="lad", min_areas=300),
    _m("active_enterprises_10plus", "ons_business_demography", "count", geo="lad", min_areas=300),
    _m("cohort_births", "ons_business_demography", "count", geo="lad", min_areas=300),
    _m("cohort_survivors_3y", "ons_business_demography", "count", geo="lad", min_areas=300),
    _m("hours_worked", "ons_productivity", "hours per week", geo="lad", min_areas=300),
    _m("gva_hours_product", "ons_productivity", "GBP per week", geo="lad", min_areas=300),
    _m("gva", "ons_regional_gva", "GBP million", geo="itl", min_areas=170, uncertainty=GVA_UNCERTAINTY),
    _m("population", "ons_regional_gva", "persons", geo="itl", min_areas=170),
    _m("gva_industry_total", "ons_regional_gva", "GBP million", geo="itl", min_areas=40, uncertainty=GVA_UNCERTAINTY),
    _m("gva_industry_manufacturing", "ons_regional_gva", "GBP million", geo="itl", min_areas=40, uncertainty=GVA_UNCERTAINTY),
    _m("gva_industry_knowledge", "ons_regional_gva", "GBP million", geo="itl", min_areas=40, uncertainty=GVA_UNCERTAINTY),
    _m("gva_industry_public", "ons_regional_gva", "GBP million", geo="itl", min_areas=40, uncertainty=GVA_UNCERTAINTY),
    _m("he_providers", "he_providers", "count", geo="lad", zero=True, min_areas=50),
    # published per area by the collaboration room's network export; passed through, never summed
    *(_m(mid, "collab_network_indicators", unit, geo="given") for mid, unit in (
        ("collab_organisations", "count"), ("collab_links", "count"), ("collab_local_link_share", "share"),
        ("collab_university_business_links", "count"), ("collab_university_business_share", "share"),
        ("collab_large_sme_links", "count"), ("collab_large_sme_share", "share"),
        ("collab_mean_betweenness", "index"), ("collab_communities", "count"))),
)
_MEASURES_BY_ID: dict[str, Measure] = {m.id: m for m in MEASURES}
if len(_MEASURES_BY_ID) != len(MEASURES):
    raise RuntimeError("duplicate measure ids in the catalogue")


def measure_get(*, measure_id: str) -> Measure:
    """Return the measure with this id."""
    return _MEASURES_BY_ID[measure_id]


def defect_rows() -> list[tuple[str, int, str, str]]:
    """(measure id, year, the source's area code, what is wrong) for every declared defect of a source
    (``Source.defects``), once per measure the source carries."""
    return [(m.id, year, code, text) for m in MEASURES for year, code, text in source_get(source_id=m.source_id).defects]
