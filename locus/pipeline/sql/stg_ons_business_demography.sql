-- ONS Business demography 2024: births, active, high-growth and 3-year survival by LAD.
select
    series as measure_id,
    sheet,
    line,
    code as lad_code,
    name as lad_name,
    year,
    value
from raw_ons_bd
where value is not null
  and regexp_full_match(code, '^(E0[6-9]|W06|S12|N09)[0-9]{6}$')
