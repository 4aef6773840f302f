-- ONS LAD (April 2023) -> LAU1 -> ITL3/2/1 (January 2021): one row per LAU1 piece of a LAD.
select
    trim("LAD23CD") as lad23_code,
    trim("LAD23NM") as lad23_name,
    trim("LAU121CD") as lau1_code,
    trim("LAU121NM") as lau1_name,
    trim("ITL321CD") as itl3_code,
    trim("ITL321NM") as itl3_name,
    trim("ITL221CD") as itl2_code,
    trim("ITL221NM") as itl2_name,
    trim("ITL121CD") as itl1_code,
    trim("ITL121NM") as itl1_name,
    line
from raw_geo_lad23_itl
