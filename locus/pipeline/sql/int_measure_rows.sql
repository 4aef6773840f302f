-- Every measure row from every source in one long table, in its native geography.
select measure_id, file, line, 'nuts' as geo_kind, nuts_code as geo_code, nuts_vintage as geo_vintage,
    year, value
from stg_beis
union all
select measure_id, 'ons/businessdemographyexceltables2024.xlsx#' || sheet, line, 'lad', lad_code,
    null, year, value
from stg_ons_business_demography
union all
select measure_id, 'ons/labourproductivitylocalauthorities.xls#' || sheet, line, 'lad', lad_code,
    null, year, value
from stg_ons_productivity
union all
select measure_id, 'ons/regionalgrossvalueadded...xlsx#' || sheet, line, 'itl', itl_code, 2021, year,
    case when measure_id = 'gva' then value else value end
from stg_ons_regional_gva
where itl_level = 3
union all
select 'gva_industry_' || grp, 'ons/regionalgrossvalueadded...xlsx#Table 6', min(line), 'itl', itl_code,
    2021, year, sum(value)
from (
    select *, case
        when sic_code = 'Total' then 'total'
        when sic_code like 'C%' and sic_code not in ('CD-CE (19-20)', 'CF (21)') then 'manufacturing'
        when left(sic_code, 1) in ('J', 'K', 'M') then 'knowledge'
        when left(sic_code, 1) in ('O', 'P', 'Q') then 'public'
    end as grp
    from stg_ons_gva_industry where itl_level = 2
) where grp is not null
group by grp, itl_code, year
union all
select measure_id, file, line, geo_kind, geo_code, geo_vintage, year, value from int_he_provider_lad
