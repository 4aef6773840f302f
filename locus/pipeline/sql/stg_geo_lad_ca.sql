-- LAD (May 2025) -> Combined Authority (May 2025). The 2025 South Yorkshire codes
-- (E08000038 Barnsley, E08000039 Sheffield) are mapped back to their LAD 2023 codes.
select
    coalesce(ch.old_code, trim(c."LAD25CD")) as lad23_code,
    trim(c."LAD25CD") as lad25_code,
    trim(c."LAD25NM") as lad_name,
    trim(c."CAUTH25CD") as ca_code,
    trim(c."CAUTH25NM") as ca_name,
    c.line
from raw_geo_lad_ca as c
left join stg_geo_lad_changes as ch
    on ch.new_code = trim(c."LAD25CD") and ch.change_type = 'new_code'
