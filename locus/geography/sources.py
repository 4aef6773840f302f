"""The bundled geography inputs: file names, publishers, vintages and licences.

This list drives the loader, the "Data sources" page and data/geography/SOURCES.md.
"""

from __future__ import annotations

from dataclasses import dataclass

OGL = "Open Government Licence v3.0"
ONS_ATTRIBUTION = (
    "Source: Office for National Statistics licensed under the Open Government Licence v3.0. "
    "Contains OS data © Crown copyright and database right."
)


@dataclass(frozen=True)
class GeoSource:
    key: str
    filename: str
    title: str
    publisher: str
    vintage: str
    licence: str
    attribution: str
    url: str
    used_for: str


GEO_SOURCES: tuple[GeoSource, ...] = (
    GeoSource("lad_boundaries", "lad_2023_buc.geojson",
              "Local Authority Districts (December 2023) Boundaries UK BUC", "ONS Open Geography",
              "December 2023", OGL, ONS_ATTRIBUTION,
              "https://geoportal.statistics.gov.uk/", "LAD polygons; every other boundary is "
              "dissolved from them (ultra generalised, 500 m)"),
    GeoSource("lad21_boundaries", "lad_2021_buc_bng.geojson",
              "Local Authority Districts (2021) Boundaries UK BUC", "ONS Open Geography",
              "2021", OGL, ONS_ATTRIBUTION, "https://geoportal.statistics.gov.uk/",
              "ITL3 polygons where a 2023 LAD straddles two ITL3 areas (Cumbria)"),
    GeoSource("itl_lookup", "lad23_lau1_itl_2021.csv",
              "Local Authority District (April 2023) to LAU1 to ITL3 to ITL2 to ITL1 (January 2021) Lookup",
              "ONS Open Geography", "ITL January 2021, LAD April 2023", OGL, ONS_ATTRIBUTION,
              "https://geoportal.statistics.gov.uk/", "ITL1/2/3 areas and LAD membership"),
    GeoSource("ca_lookup", "lad25_ca_2025.csv",
              "Local Authority District to Combined Authority (May 2025) Lookup in EN",
              "ONS Open Geography", "May 2025", OGL, ONS_ATTRIBUTION,
              "https://geoportal.statistics.gov.uk/", "the 15 Combined Authorities and their members"),
    GeoSource("region_lookup", "lad23_region_2023.csv",
              "Local Authority District to Region (December 2023) Lookup in EN", "ONS Open Geography",
              "December 2023", OGL, ONS_ATTRIBUTION, "https://geoportal.statistics.gov.uk/",
              "English regions"),
    GeoSource("sam", "sam_lad_2023.csv",
              "Standard Area Measurements for Local Authority Districts (December 2023)",
              "ONS Open Geography", "December 2023", OGL, ONS_ATTRIBUTION,
              "https://geoportal.statistics.gov.uk/", "land area (hectares of land, AREALHECT)"),
    GeoSource("nuts_lookup", "lad18_nuts_2018.csv",
              "Local Authority District (December 2018) to NUTS3 to NUTS2 to NUTS1 (January 2018) Lookup",
              "ONS Open Geography", "LAD December 2018, NUTS January 2018", OGL, ONS_ATTRIBUTION,
              "https://geoportal.statistics.gov.uk/", "crosswalk from NUTS-coded historical data"),
    GeoSource("lad_changes", "lad_changes.csv", "Local authority code changes 2014-2025",
              "ONS Visual (ONSvisual/uk-topojson, input/changes.csv)", "2014-2025", OGL,
              ONS_ATTRIBUTION, "https://github.com/ONSvisual/uk-topojson",
              "crosswalk of LAD codes across vintages"),
    GeoSource("mysociety", "mysociety_local_authorities.csv",
              "UK local authority names and codes (uk_la_future v1.7.3)", "mySociety", "2020 population",
              "Creative Commons Attribution 4.0 (CC BY 4.0)",
              "Contains data from mySociety's UK local authority register, licensed CC BY 4.0.",
              "https://github.com/mysociety/uk_local_authority_names_and_codes",
              "population (pop-2020) of each council"),
    GeoSource("postcodes", "postcodes.parquet",
              "National Statistics Postcode Lookup (May 2025): postcode latitude and longitude",
              "ONS (via odileeds/Postcodes2LatLon)", "May 2025", OGL,
              "Contains OS data © Crown copyright and database right; Contains Royal Mail data © "
              "Royal Mail copyright and database right; Source: Office for National Statistics "
              "licensed under the Open Government Licence v3.0.",
              "https://geoportal.statistics.gov.uk/", "the postcode geocoder (LAD by point in polygon)"),
)


def geo_source(key: str) -> GeoSource:
    for source in GEO_SOURCES:
        if source.key == key:
            return source
    raise KeyError(key)
