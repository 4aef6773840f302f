-- ONS subregional productivity: hours worked and GVA per hour by LAD 2023.
-- GVA (per week) is rebuilt as GVA per hour x hours so that it can be summed over areas.
with wide as (
    select
        code as lad_code,
        year,
        max(value) filter (where series = 'hours_worked') as hours_worked,
        max(value) filter (where series = 'gva_per_hour') as gva_per_hour,
        min(line) as line,
        max(sheet) as sheet
    from raw_ons_productivity
    where regexp_full_match(code, '^(E0[6-9]|W06|S12|N09)[0-9]{6}$')
    group by code, year
)
select 'hours_worked' as measure_id, lad_code, year, hours_worked as value, line, sheet
from wide where hours_worked is not null and gva_per_hour is not null
union all
select 'gva_hours_product', lad_code, year, hours_worked * gva_per_hour, line, sheet
from wide where hours_worked is not null and gva_per_hour is not null
