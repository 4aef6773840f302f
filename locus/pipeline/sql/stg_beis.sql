-- Nesta BEIS R&D indicators (processed files): one row per file, year and NUTS region.
select
    source_id,
    measure_id,
    file,
    line,
    year,
    nuts_id as nuts_code,
    nuts_year_spec as nuts_vintage,
    length(nuts_id) - 2 as nuts_level,
    value
from raw_beis
where value is not null
