-- ONS Standard Area Measurements (December 2023): land area of each LAD in hectares.
select
    trim("LAD23CD") as lad23_code,
    cast("AREALHECT" as double) as land_hectares,
    line
from raw_geo_land_area
