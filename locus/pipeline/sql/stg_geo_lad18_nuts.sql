-- ONS LAD (December 2018) -> LAU1 -> NUTS3/2/1 (January 2018 = NUTS 2016 classification).
select
    trim("LAD18CD") as lad18_code,
    trim("LAD18NM") as lad18_name,
    trim("LAU118CD") as lau1_code,
    trim("LAU118NM") as lau1_name,
    trim("NUTS318CD") as nuts3_code,
    trim("NUTS318NM") as nuts3_name,
    trim("NUTS218CD") as nuts2_code,
    trim("NUTS118CD") as nuts1_code,
    line
from raw_geo_lad18_nuts
