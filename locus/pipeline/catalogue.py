"""Indicator catalogue: one declarative entry per indicator.

An indicator is a numerator (one or more measures, summed) over an optional denominator measure,
times a scale. Publisher, licence and vintage come from the sources of its measures. The page
``docs/indicators.md`` is generated from this module (``catalogue_markdown``) and a test fails
when it drifts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from locus.pipeline.sources import caution_of, measure_get, source_get

Direction = Literal["higher_is_better", "lower_is_better", "context"]
ALL_LEVELS = ("itl3", "itl2", "itl1", "lad", "ca", "nation", "uk")


@dataclass(frozen=True)
class Indicator:
    """One indicator of the atlas."""

    id: str
    title: str
    definition: str
    unit: str
    numerator: tuple[str, ...]
    denominator: str | None
    scale: float
    direction: Direction
    stage: str  # a pathway stage id (locus.pathways.stages) or "context"
    native_geography: str
    levels: tuple[str, ...] = ALL_LEVELS
    note: str = ""  # how the indicator is used in scores when it is not simply used everywhere
    year_notes: tuple[tuple[int, str], ...] = ()  # a year whose values read differently (a programme's first year)

    @property
    def is_given(self) -> bool:
        """Published per area by its source and passed through (never re-aggregated)."""
        return any(measure_get(measure_id=m).geo_kind == "given" for m in self.numerator)

    @property
    def sources(self) -> tuple[str, ...]:
        ids = [measure_get(measure_id=m).source_id for m in self.numerator]
        if self.denominator:
            ids.append(measure_get(measure_id=self.denominator).source_id)
        return tuple(dict.fromkeys(ids))

    @property
    def publisher(self) -> str:
        """The one publisher of its inputs, or each input's title with its own publisher when they
        differ ("HE research income: HESA (HE-BCI / HE Finance) via Nesta BEIS R&D indicators;
        Regional GVA(B) ...: ONS"), as for the vintage: a bare "HESA ... via Nesta; ONS" did not say
        which input each publisher published."""
        sources = [source_get(source_id=s) for s in self.sources]
        if len({s.publisher for s in sources}) == 1:
            return sources[0].publisher
        return "; ".join(f"{s.title}: {s.publisher}" for s in sources)

    @property
    def uncertainty_texts(self) -> tuple[str, ...]:
        """Each distinct uncertainty text of its measures (numerator, then denominator): a measure's own
        (regional GVA, whose workbook's population column has none), else its source's."""
        measures = (*self.numerator, *((self.denominator,) if self.denominator else ()))
        return tuple(dict.fromkeys(u for mid in measures if (u := measure_get(measure_id=mid).uncertainty_text)))

    @property
    def uncertainty(self) -> str:
        """What is known of its inputs' error when they are estimates (a survey's confidence interval the
        bundled file lacks, or that the publisher gives none at this geography): each text once; empty for
        counts and administrative data."""
        return " ".join(self.uncertainty_texts)

    @property
    def caution(self) -> str:
        """The words to show beside its values: the first sentence of each uncertainty text ("" for none)."""
        return " ".join(caution_of(text) for text in self.uncertainty_texts)

    @property
    def partial_years(self) -> dict[int, str]:
        """{year: how far its inputs cover it} for the years an input file covers only in part (Innovate
        UK's and CORDIS's 2020). Such values are published, flagged ``partial_year`` in the build, and
        never scored (methodology section 1, "Partial years")."""
        out: dict[int, str] = {}
        for sid in self.sources:
            for year, text in source_get(source_id=sid).partial_years:
                out[year] = f"{out[year]}; {text}" if year in out else text
        return dict(sorted(out.items()))

    def year_note(self, year: int | None) -> str:
        """The note on one year's values, or ""."""
        return dict(self.year_notes).get(year, "") if year is not None else ""

    def area_year_note(self, year: int | None, *, source_defect: bool) -> str:
        """The note on one area's value of a year: the year's note without the notes on its inputs'
        declared defects unless this value was built from one (``source_defect``): Birmingham's 2018
        HESA note belongs on the areas containing Birmingham, not on every area's 2018 value."""
        note = self.year_note(year)
        if source_defect or not note:
            return note
        for mid in (*self.numerator, *((self.denominator,) if self.denominator else ())):
            for _year, _code, text in source_get(source_id=measure_get(measure_id=mid).source_id).defects:
                note = note.replace(text, "")
        return " ".join(note.split())

    @property
    def licence(self) -> str:
        """The one licence of its inputs, or each input's title with its own licence when they differ,
        one sentence each ("HE research income: CC BY 4.0 (HESA); processed by Nesta, repository MIT
        (Nesta 2021). Regional GVA(B) ...: Open Government Licence v3.0."). Sentences, not "; " as for
        the vintage: one input's licence can itself have parts joined by "; " (the publisher's licence,
        then Nesta's repository's), and the joined list it replaces ("CC BY 4.0 (HESA); MIT ...; Open
        Government Licence v3.0") did not say which input each licence covered. Machine-readable:
        ``sources`` gives the input ids and the build's manifest each input's own licence (the atlas's
        ``indicator_provenance`` lists them one by one)."""
        sources = [source_get(source_id=s) for s in self.sources]
        if len({s.licence for s in sources}) == 1:
            return sources[0].licence
        return " ".join(f"{s.title}: {s.licence.rstrip('.')}." for s in sources)

    @property
    def vintage(self) -> str:
        """The one vintage of its inputs, or each input's title with its own when they differ
        ("HE research income: 2015-2018; Regional GVA(B) ...: 1998-2022"), as the atlas pages say."""
        sources = [source_get(source_id=s) for s in self.sources]
        if len({s.vintage for s in sources}) == 1:
            return sources[0].vintage
        return "; ".join(f"{s.title}: {s.vintage}" for s in sources)


def _i(iid, title, definition, unit, num, den, scale, direction, stage, native,
       levels=ALL_LEVELS, note="", year_notes=()) -> Indicator:
    num = (num,) if isinstance(num, str) else tuple(num)
    return Indicator(iid, title, definition, unit, num, den, scale, direction, stage, native, levels, note,
                     _with_defects(tuple(year_notes), (*num, *((den,) if den else ()))))


def _with_defects(year_notes: tuple[tuple[int, str], ...], measures: tuple[str, ...]) -> tuple[tuple[int, str], ...]:
    """The indicator's year notes with the note of each declared defect of its inputs' sources (numerator or
    denominator: a ratio over a broken figure is broken too) added to its year, each text once."""
    notes: dict[int, list[str]] = {}
    for year, text in year_notes:
        notes.setdefault(year, []).append(text)
    for mid in measures:
        for year, _code, text in source_get(source_id=measure_get(measure_id=mid).source_id).defects:
            if text not in notes.setdefault(year, []):
                notes[year].append(text)
    return tuple((year, " ".join(texts)) for year, texts in sorted(notes.items()))


_NETWORK_NOTE = ("Published per area by the network dataset and passed through as given (never summed to "
                 "other levels). Enters stage scores at a level only under the coverage rule (methodology "
                 "section 4): the bundled dataset, wales-network-2017, covers Welsh areas only, so it is "
                 "shown as values and excluded from the knowledge-exchange score.")
_NETWORK_LEVELS = ("lad", "itl3", "ca")


def _network(iid, title, definition, unit, direction="context") -> Indicator:
    return _i(iid, title, definition + " From the research-collaboration network of the dataset named with "
              "each value (GtR co-participation).", unit, iid, None, 1.0, direction, "knowledge_exchange",
              "as published (LAD, ITL3)", _NETWORK_LEVELS, _NETWORK_NOTE)


# Totals of the bundled file (data/atlas/beis/cordis/cordis_funding.nuts3.csv, all UK NUTS3 rows; its
# YAML's data_date is 20200909): 2014 EUR 120m over 54 areas; 2015-2019 EUR 1.03bn-1.36bn a year over
# 128-149 areas; 2020 EUR 773m over 117. Absent areas are zeros (absent_means_zero), so in 2014 most areas
# show EUR 0: no project starting that year, not "no EU research funding".
# A partial year's values are shown but never scored (sources.Source.partial_years; methodology section 1).
_NOT_SCORED = ("Shown, but not used in stage scores, trends, weak links or opportunities: those use {last}, the "
               "last full year.")
_H2020_YEARS = (
    (2014, "2014 was Horizon 2020's first year: projects starting in 2014 total €120 million for the whole UK "
           "in this file, against €1.0 to €1.4 billion in each year from 2015 to 2019, so 2014 values are low "
           "everywhere. A value of 0 means CORDIS records no participant in the area in a Horizon 2020 "
           "project starting that year, not that the area had no EU research funding (projects of the "
           "previous programme, FP7, are not counted)."),
    (2020, "2020 is a part year: it counts the projects CORDIS listed on the file's date (9 September 2020), "
           "€773 million for the UK against €1.0 to €1.4 billion in each year from 2015 to 2019. Projects "
           "agreed after that date are missing, so 2020 values are low. " + _NOT_SCORED.format(last=2019)),
)

# Innovate UK (data/atlas/beis/innovate_uk/gbp_innovate_uk_funding.nuts3.csv, from Innovate UK's list of
# funded projects of 1 August 2020; YAML data_date 20200821): 2010 GBP 171m, 2011-2019 GBP 575m-2.29bn a
# year, 2020 GBP 172m. 2020 is the latest year, so its values are the ones pages show first.
_INNOVATE_UK_2010 = (2010, "2010, the file's first year, totals £171 million for the whole UK, against £0.6 to "
                           "£2.3 billion in each year from 2011 to 2019, so 2010 values are low everywhere. Each "
                           "year is an Innovate UK competition year (2010 is 2010/11), and the list covers awards "
                           "since 2004, so 2010 is not cut short by the file; whether the list is complete for "
                           "that year cannot be checked from the bundled totals, so it is scored like other years.")
_INNOVATE_UK_2020 = ("2020 is a part year: it counts the awards in Innovate UK's list of funded projects of "
                     "1 August 2020, £172 million for the whole UK against £0.6 to £2.3 billion in each year "
                     "from 2011 to 2019. Later awards are missing, so 2020 values are low everywhere: compare "
                     "places within 2020, not 2020 with earlier years.")
_INNOVATE_UK_YEARS = (_INNOVATE_UK_2010, (2020, _INNOVATE_UK_2020 + " " + _NOT_SCORED.format(last=2019)))
_INNOVATE_UK_TOTAL_YEARS = (_INNOVATE_UK_2010, (2020, _INNOVATE_UK_2020))  # a context total: never scored

_CONTRACT = ("contract_sme", "contract_non_sme", "contract_public")
_CONSULT = ("consult_sme", "consult_non_sme", "consult_public")
HB = "higher_is_better"

INDICATORS: tuple[Indicator, ...] = (
    # 0 research base
    _i("research_income_per_head", "HE research income per head",
       "Research income of higher education providers located in the area divided by resident population.",
       "GBP per head", "research_income", "population", 1.0, HB, "research", "NUTS3 (provider location)"),
    _i("ukri_funding_per_head", "UKRI research funding per head",
       "UKRI (Gateway to Research) funding to organisations in the area divided by resident population. "
       "Nesta's series counts each project's whole award at its lead organisation in its start year, and "
       "sums to only £31m-£246m a year for the whole UK (2006-2019), far below the research councils' and "
       "Innovate UK's spending (UKRI's budget was over £8 billion in 2022-23): use it to compare places, "
       "not as an amount of money.",
       "GBP per head", "ukri_funding", "population", 1.0, HB, "research", "NUTS3 (organisation location)"),
    _i("research_students_per_100k", "Research students per 100,000 residents",
       "FTE postgraduate research students at providers in the area per 100,000 residents.",
       "FTE per 100,000", "research_students", "population", 1e5, HB, "research", "NUTS3"),
    _i("h2020_funding_per_head", "Horizon 2020 funding per head",
       "EU Horizon 2020 funding to participants in the area (by project start year) per resident. Its first "
       "year, 2014, is the programme's first and low everywhere; its last, 2020, is counted only up to the "
       "file's date (9 September 2020), so it is shown but not used in scores.",
       "EUR per head", "h2020_funding", "population", 1.0, HB, "research", "NUTS3",
       year_notes=_H2020_YEARS),
    _i("ref_4star_per_100k", "REF 2014 world-leading researchers per 100,000 residents",
       "FTE researchers whose outputs were rated 4* in REF 2014, per 100,000 residents.",
       "FTE per 100,000", "ref_4star_fte", "population", 1e5, HB, "research", "NUTS2"),
    _i("he_rd_expenditure_per_head", "Higher education R&D expenditure per head",
       "Eurostat higher education sector R&D expenditure (HERD) per resident.",
       "EUR per head", "he_rd_expenditure", "population", 1.0, HB, "research", "NUTS2"),
    # 1 knowledge exchange
    _i("collab_research_share", "Collaborative research income per £100 of research income",
       "HE-BCI cash income from collaborative research with non-academic partners per £100 of HE research income.",
       "GBP per GBP 100", "collab_research", "research_income", 100.0, HB, "knowledge_exchange", "NUTS3"),
    _i("contract_research_share", "Contract research income per £100 of research income",
       "HE-BCI contract research income from SMEs, large firms and public/third sector per £100 of HE research income.",
       "GBP per GBP 100", _CONTRACT, "research_income", 100.0, HB, "knowledge_exchange", "NUTS3"),
    _i("consultancy_share", "Consultancy and facilities income per £100 of research income",
       "HE-BCI consultancy and facilities-and-equipment income (all partner types) per £100 of HE research income.",
       "GBP per GBP 100", _CONSULT, "research_income", 100.0, HB, "knowledge_exchange", "NUTS3"),
    _i("cpd_income_per_head", "CPD and continuing education income per head",
       "HE-BCI income from CPD and continuing education courses per resident.",
       "GBP per head", "cpd_income", "population", 1.0, HB, "knowledge_exchange", "NUTS3"),
    _network("collab_organisations", "Organisations in the collaboration network",
             "Organisations of the collaboration network located in the area.", "count"),
    _network("collab_links", "Collaboration links", "Collaboration links with at least one organisation in "
             "the area.", "count"),
    _network("collab_local_link_share", "Share of links inside the area",
             "Share of the area's collaboration links that join two organisations in the area.", "share"),
    _network("collab_university_business_links", "University-business collaboration links",
             "Collaboration links joining a university and a business, with at least one end in the area.",
             "count", HB),
    _network("collab_university_business_share", "Share of links joining a university and a business",
             "Share of the area's collaboration links that join a university and a business.", "share", HB),
    _network("collab_large_sme_links", "Large business-SME collaboration links",
             "Collaboration links joining a large business and an SME (only where business sizes are known).",
             "count", HB),
    _network("collab_large_sme_share", "Share of links joining a large business and an SME",
             "Share of the area's collaboration links joining a large business and an SME (only where "
             "business sizes are known).", "share", HB),
    _network("collab_mean_betweenness", "Mean betweenness of the area's organisations",
             "Mean normalised betweenness centrality of the area's organisations in the network.", "index"),
    _network("collab_communities", "Network communities spanned",
             "Number of network communities (Louvain) that the area's organisations belong to.", "count"),
    # 2 IP and spin-outs
    _i("ip_income_share", "IP income per £100 of research income",
       "HE-BCI income from intellectual property (licences, patents, copyright, sales of shares) per £100 of HE research income.",
       "GBP per GBP 100", "ip_revenue", "research_income", 100.0, HB, "ip_spinouts", "NUTS3"),
    _i("spinoff_turnover_share", "Spin-off turnover per £100 of research income",
       "Estimated turnover of active HE spin-offs per £100 of HE research income.",
       "GBP per GBP 100", "spinoff_revenue", "research_income", 100.0, HB, "ip_spinouts", "NUTS3"),
    _i("patents_per_100k", "EPO patent applications per 100,000 residents",
       "Patent applications to the European Patent Office by inventors in the area (fractional counts, priority year) per 100,000 residents.",
       "applications per 100,000", "epo_patents", "population", 1e5, HB, "ip_spinouts", "NUTS3 (2010)"),
    # 3 business formation and scale-up
    _i("graduate_startups_per_100k", "Active graduate start-ups per 100,000 residents",
       "HE-BCI active firms started by recent graduates of providers in the area per 100,000 residents.",
       "firms per 100,000", "graduate_startups", "population", 1e5, HB, "formation", "NUTS3"),
    _i("enterprise_birth_rate", "Enterprise birth rate",
       "Births of new enterprises as a percentage of active enterprises (ONS business demography).",
       "percent", "enterprise_births", "active_enterprises", 100.0, HB, "formation", "LAD"),
    _i("high_growth_rate", "High-growth enterprise rate",
       "High-growth enterprises (OECD definition) as a percentage of active enterprises with 10 or more employees.",
       "percent", "high_growth_enterprises", "active_enterprises_10plus", 100.0, HB, "formation", "LAD"),
    _i("survival_3y_rate", "Three-year survival of new enterprises",
       "Enterprises born in the year still active three years later, as a percentage of that year's births (year = birth cohort).",
       "percent", "cohort_survivors_3y", "cohort_births", 100.0, HB, "formation", "LAD"),
    # 4 business R&D and innovation finance
    _i("berd_per_head", "Business R&D expenditure per head",
       "Eurostat business enterprise R&D expenditure (BERD) per resident.",
       "EUR per head", "berd", "population", 1.0, HB, "business_rd_finance", "NUTS2"),
    _i("business_rd_fte_per_1000", "Business R&D personnel per 1,000 residents",
       "Full-time-equivalent R&D personnel in the business enterprise sector per 1,000 residents.",
       "FTE per 1,000", "business_rd_fte", "population", 1e3, HB, "business_rd_finance", "NUTS2"),
    _i("innovate_uk_per_head", "Innovate UK funding per head",
       "Innovate UK grant funding awarded to organisations in the area per resident, by competition year (2015 "
       "is the 2015/16 competition year).",
       "GBP per head", "innovate_uk_funding", "population", 1.0, HB, "business_rd_finance", "NUTS3",
       year_notes=_INNOVATE_UK_YEARS),
    _i("spinoff_investment_share", "External investment in spin-offs per £100 of research income",
       "External investment received by HE spin-offs per £100 of HE research income.",
       "GBP per GBP 100", "spinoff_investment", "research_income", 100.0, HB, "business_rd_finance", "NUTS3"),
    # 5 productivity outcome
    _i("gva_per_hour", "GVA per hour worked",
       "Gross value added (balanced, current prices, smoothed) per hour worked.",
       "GBP per hour", "gva_hours_product", "hours_worked", 1.0, HB, "productivity", "LAD"),
    _i("gva_per_head", "GVA per head",
       "Gross value added (balanced, current basic prices) per resident. The UK figure is the sum of the "
       "ITL regions' GVA over the UK population, so it leaves out Extra-Regio GVA (offshore oil and gas "
       "and UK activity abroad, such as forces) that ONS's own UK figure includes: £32,996 against ONS's £33,227 in 2022. "
       "Five of Scotland's 23 ITL3 areas (TLM61, TLM62, TLM63, TLM81, TLM93), the three ITL2 regions containing "
       "them (Highlands and Islands, West Central Scotland, Southern Scotland) and the 7 districts they touch have "
       "no 2022 value: ONS withheld those areas' 2022 populations as unreliable ([u] in Table 17). Scotland and "
       "the UK use ONS's published totals.",
       "GBP per head", "gva", "population", 1e6, HB, "productivity", "ITL3"),
    # context: structure, skills and raw totals
    _i("population", "Resident population", "ONS mid-year resident population (regional accounts, Table 17 of "
       "the April 2024 release). Places pages show a different publication and vintage for 2020 (the "
       "mySociety register's mid-2020 estimates), so the two 2020 figures can differ.",
       "persons", "population", None, 1.0, "context", "context", "ITL3"),
    _i("nvq4_share", "Economically active with NVQ4 or above",
       "Percentage of economically active residents qualified to NVQ level 4 or above (APS).",
       "percent", "nvq4_share", None, 1.0, "context", "context", "NUTS3"),
    _i("stem_professionals_per_1000", "STEM professionals per 1,000 residents",
       "Economically active science, research, engineering and technology professionals (APS) per 1,000 residents.",
       "persons per 1,000", "stem_professionals", "population", 1e3, "context", "context", "NUTS3"),
    _i("eci_nesta", "Economic complexity index (Nesta)",
       "Nesta's economic complexity index of the area's industry mix (BRES, 4-digit SIC clustered into sectors).",
       "index", "eci_nesta", None, 1.0, "context", "context", "NUTS3"),
    _i("lq_high_tech", "High-tech employment location quotient",
       "Location quotient of employment in high-tech industries (BRES).", "ratio", "lq_high_tech", None,
       1.0, "context", "context", "NUTS2"),
    _i("ref_mean_score", "REF 2014 mean quality score",
       "FTE-weighted mean REF 2014 score of submissions from providers in the area (population-weighted when combined).",
       "score (1-4)", "ref_mean_score", None, 1.0, "context", "context", "NUTS2"),
    _i("manufacturing_gva_share", "Manufacturing share of GVA",
       "Manufacturing (SIC C) share of gross value added of the ITL2 region(s) containing the area.",
       "percent", "gva_industry_manufacturing", "gva_industry_total", 100.0, "context", "context", "ITL2"),
    _i("knowledge_services_gva_share", "Knowledge services share of GVA",
       "Information and communication, finance and professional services (SIC J, K, M) share of GVA of the ITL2 region(s).",
       "percent", "gva_industry_knowledge", "gva_industry_total", 100.0, "context", "context", "ITL2"),
    _i("public_services_gva_share", "Public services share of GVA",
       "Public administration, education and health (SIC O, P, Q) share of GVA of the ITL2 region(s).",
       "percent", "gva_industry_public", "gva_industry_total", 100.0, "context", "context", "ITL2"),
    _i("he_providers", "Higher education providers", "Number of HE providers whose main site lies in the area.",
       "count", "he_providers", None, 1.0, "context", "context", "point (LAD)"),
    _i("research_income_total", "HE research income (total)", "Total research income of HE providers in the area.",
       "GBP", "research_income", None, 1.0, "context", "context", "NUTS3"),
    _i("ip_revenue_total", "HE IP income (total)", "Total HE-BCI intellectual property income of providers in the area.",
       "GBP", "ip_revenue", None, 1.0, "context", "context", "NUTS3"),
    _i("innovate_uk_total", "Innovate UK funding (total)", "Total Innovate UK funding to organisations in the area, "
       "by competition year (2015 is the 2015/16 competition year).",
       "GBP", "innovate_uk_funding", None, 1.0, "context", "context", "NUTS3",
       year_notes=_INNOVATE_UK_TOTAL_YEARS),
    _i("enterprise_births_total", "Enterprise births (total)", "Births of new enterprises.", "count",
       "enterprise_births", None, 1.0, "context", "context", "LAD"),
)


def indicator_get(*, indicator_id: str) -> Indicator:
    """Return the catalogue entry with this id."""
    for indicator in INDICATORS:
        if indicator.id == indicator_id:
            return indicator
    raise KeyError(indicator_id)


def catalogue_rows() -> list[dict]:
    """The catalogue as plain rows (for the Parquet ``indicators`` table and the docs)."""
    rows = []
    for ind in INDICATORS:
        rows.append({
            "indicator_id": ind.id, "title": ind.title, "definition": ind.definition, "unit": ind.unit,
            "numerator": " + ".join(ind.numerator), "denominator": ind.denominator or "",
            "scale": ind.scale, "direction": ind.direction, "stage": ind.stage,
            "source": ", ".join(ind.sources), "publisher": ind.publisher, "licence": ind.licence,
            "vintage": ind.vintage, "native_geography": ind.native_geography,
            "levels": ", ".join(ind.levels), "note": ind.note, "uncertainty": ind.uncertainty,
            "year_notes": " ".join(text for _year, text in ind.year_notes),
            "partial_years": ", ".join(f"{year} ({text})" for year, text in ind.partial_years.items()),
        })
    return rows


def _lad_words(ind: Indicator) -> str:
    if ind.native_geography == "LAD":
        return "measured for districts: used in district stage scores"
    return (f"measured at {ind.native_geography}: district values are shared down by population, shown "
            "but not used in district stage scores")


def catalogue_markdown() -> str:
    """Render docs/indicators.md (generated; do not edit by hand)."""
    from locus.pathways.stages import STAGES

    titles = {s.id: f"{s.order}. {s.title}" for s in STAGES}
    titles["context"] = "Context (not scored)"
    lines = ["# Atlas indicator catalogue", "",
             "<!-- Generated by `python -m locus.pipeline.catalogue`; a test fails when it drifts. -->", "",
             f"{len(INDICATORS)} indicators. Each is a numerator (one or more measures, summed) over an "
             "optional denominator, times a scale, computed for every area level listed; indicators that "
             "their source publishes per area (the collaboration network) are passed through at the levels "
             "listed. Which indicators enter the stage scores at each level follows the coverage rule and "
             "the district (LAD) rule of [methodology/atlas.md](methodology/atlas.md), section 4; each "
             "build lists the outcome per indicator and level in its manifest (`score_use`).", ""]
    for stage_id in [s.id for s in STAGES] + ["context"]:
        group = [i for i in INDICATORS if i.stage == stage_id]
        if not group:
            continue
        lines += [f"## {titles[stage_id]}", ""]
        for ind in group:
            den = f"`{ind.denominator}`" if ind.denominator else "none"
            lines += [f"### {ind.title} (`{ind.id}`)", "", ind.definition, "",
                      "| field | value |", "| --- | --- |",
                      f"| unit | {ind.unit} |",
                      f"| numerator | {' + '.join(f'`{m}`' for m in ind.numerator)} |",
                      f"| denominator | {den} (scale {ind.scale:,.10g}) |",
                      f"| direction | {ind.direction.replace('_', ' ')} |",
                      f"| source | {', '.join(f'`{s}`' for s in ind.sources)} |",
                      f"| publisher | {ind.publisher} |", f"| licence | {ind.licence} |",
                      f"| vintage | {ind.vintage} |", f"| native geography | {ind.native_geography} |",
                      f"| levels | {', '.join(ind.levels)} |",
                      *([f"| use in scores | {ind.note} |"] if ind.note else []),
                      *([f"| uncertainty | {ind.uncertainty} |"] if ind.uncertainty else []),
                      *(f"| {year} values | {text} |" for year, text in ind.year_notes),
                      *([f"| part years (not scored) | {', '.join(f'{y}: {t}' for y, t in ind.partial_years.items())} |"]
                        if ind.partial_years else []),
                      *([f"| district (LAD) scores | {_lad_words(ind)} |"]
                        if ind.stage != "context" and ind.direction != "context" and not ind.is_given else []),
                      ""]
    return "\n".join(lines).rstrip() + "\n"


if __name__ == "__main__":  # pragma: no cover - regenerate the docs page
    from pathlib import Path

    target = Path(__file__).resolve().parents[2] / "docs" / "indicators.md"
    target.write_text(catalogue_markdown(), encoding="utf-8")
    print(f"wrote {target}")
