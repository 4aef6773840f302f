-- ONS regional GVA(B): total GVA (GBP million, Table 1) and resident population (Table 17) by ITL3.
select
    series as measure_id,
    sheet,
    line,
    code as itl_code,
    length(code) - 2 as itl_level,
    name as itl_name,
    year,
    value
from raw_ons_gva
where value is not null
