-- LAD and Combined Authority code changes 2014-2025 (mergers, new codes, new CAs).
select
    trim(oldcd) as old_code,
    trim(oldnm) as old_name,
    nullif(trim(newcd), '') as new_code,
    trim(newnm) as new_name,
    trim(type) as change_type,
    cast(start as integer) as start_year,
    line
from raw_geo_lad_changes
