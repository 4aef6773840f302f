"""The ordered list of models (SQL files and the one Python model) and their checks."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

import yaml

SQL_PACKAGE = "locus.pipeline.sql"


@dataclass(frozen=True)
class Model:
    """A model: an output table built by one SQL file (or one Python function)."""

    name: str
    kind: str = "sql"  # sql | python

    def sql(self) -> str:
        return resources.files(SQL_PACKAGE).joinpath(f"{self.name}.sql").read_text(encoding="utf-8")


MODELS: tuple[Model, ...] = (
    Model("stg_geo_lad23_itl"), Model("stg_geo_lad18_nuts"), Model("stg_geo_lad_changes"),
    Model("stg_geo_lad_ca"), Model("stg_geo_councils"), Model("stg_geo_land_area"),
    Model("stg_xw_nuts3_changes"), Model("stg_xw_split_weights"),
    Model("stg_beis"), Model("stg_ons_business_demography"), Model("stg_ons_productivity"),
    Model("stg_ons_regional_gva"), Model("stg_ons_gva_industry"), Model("stg_nomis_bres"),
    Model("stg_he_providers"), Model("stg_network_indicators"),
    Model("int_pieces"), Model("int_lau1_bridge"), Model("int_nuts_pieces"), Model("int_lad_pieces"),
    Model("int_itl_pieces"), Model("int_area_pieces"),
    Model("py_he_provider_lad", kind="python"), Model("int_he_provider_lad"),
    Model("int_measure_rows"), Model("int_measure_pieces"), Model("int_unresolved_codes"),
    Model("int_measure_values"),
    Model("ind_areas"), Model("ind_indicator_values"), Model("ind_industry_employment"),
)


def checks_spec() -> dict:
    """The checks declared in sql/schema.yml, by model name."""
    text = resources.files(SQL_PACKAGE).joinpath("schema.yml").read_text(encoding="utf-8")
    return yaml.safe_load(text) or {}
