"""The population figure in a profile's header, with its source, so that it is not mistaken for the
"Resident population" indicator further down the page, which comes from another publication.

The header figure is the build's area population (``AtlasArea.population``): the 2020 population
of mySociety's local authority register summed over the area's districts (a district split by the
area's boundary shared out by population; ``pop_estimated``). It sizes density and the statistical
neighbours. The indicator is ONS's regional accounts series. Source details come from the build's
manifest (``inputs``), so they follow the data rather than this file.
"""

from __future__ import annotations

from dataclasses import dataclass

from locus.atlas import models as m

AREA_POPULATION_INPUT = "geo_councils"  # pipeline source id of the areas table's population
AREA_POPULATION_YEAR = 2020  # the register's column is pop-2020 (see pipeline/sql/stg_geo_councils.sql)
INDICATOR = "population"


@dataclass(frozen=True)
class HeaderPopulation:
    value: float
    year: int
    estimated: bool
    publisher: str
    title: str
    vintage: str
    licence: str
    indicator_value: float | None  # the "Resident population" indicator in the same year, if it has one
    indicator_publisher: str
    indicator_title: str


def header_population_get(*, area: m.AtlasArea, build: m.AtlasBuild) -> HeaderPopulation | None:
    """The header's population with its source and the indicator's value the same year (None when
    the area has no population)."""
    if not area.population:
        return None
    inputs = {i.get("id"): i for i in (build.manifest or {}).get("inputs", [])}
    src = inputs.get(AREA_POPULATION_INPUT, {})
    indicator = m.Indicator.objects.filter(id=INDICATOR).first()
    same_year = m.IndicatorValue.objects.filter(indicator_id=INDICATOR, area_code=area.code, level=area.level,
                                                year=AREA_POPULATION_YEAR).values_list("value", flat=True).first()
    ind_src = inputs.get(indicator.source.split(",")[0].strip(), {}) if indicator else {}
    return HeaderPopulation(
        area.population, AREA_POPULATION_YEAR, bool(area.pop_estimated), src.get("publisher", ""),
        src.get("title", ""), src.get("vintage", ""), src.get("licence", ""), same_year,
        (indicator.publisher if indicator else ""), ind_src.get("title", indicator.title if indicator else ""))
