-- Source rows whose area code could not be placed in 2021/2023 geography (dropped, reported).
with xw as (
    select 'nuts' as geo_kind, nuts_code as code from int_nuts_pieces
    union select 'lad', lad_code from int_lad_pieces
    union select 'itl', itl_code from int_itl_pieces
)
select r.measure_id, r.geo_kind, r.geo_code, r.geo_vintage, count(*) as n_rows,
    min(r.year) as first_year, max(r.year) as last_year, sum(r.value) as total_value,
    min(r.file) as file, min(r.line) as first_line
from int_measure_rows as r
anti join xw on xw.geo_kind = r.geo_kind and xw.code = r.geo_code
group by r.measure_id, r.geo_kind, r.geo_code, r.geo_vintage
