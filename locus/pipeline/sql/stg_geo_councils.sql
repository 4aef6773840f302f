-- mySociety local authority register: population (mid-2020) and area for current and former councils.
select
    trim("gss-code") as gss_code,
    trim("nice-name") as name,
    try_cast(nullif(trim("pop-2020"), '') as double) as pop_2020,
    try_cast(nullif(trim("area"), '') as double) as area_km2,
    nullif(trim("end-date"), '') as end_date,
    line
from raw_geo_councils
where nullif(trim("gss-code"), '') is not null
