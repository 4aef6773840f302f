-- ONS regional GVA(B) by industry (Table 6), ITL2 and ITL1, SIC 2007 sections and groups.
select
    code as itl_code,
    length(code) - 2 as itl_level,
    name as itl_name,
    sic_code,
    sic_desc,
    year,
    value,
    line
from raw_ons_gva_industry
where value is not null
