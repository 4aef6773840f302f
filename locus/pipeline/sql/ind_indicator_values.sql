-- Indicator values: numerator measures (all present, summed) over the denominator measure of the
-- same area and year, times the scale. Where ONS withholds a year's population for some ITL3 areas
-- (Scotland's 2022, marked [u] in Table 17), those areas get no per-head value that year (areas made of
-- whole ITL1 regions take ONS's published ITL1 populations: int_measure_values). Only for years after
-- the last year the population is published at all is the latest earlier population within three
-- years used (denominator_year records it).
-- method: apportioned if either side was apportioned, structural_zero if the numerator was,
-- weighted_mean for combined means, else exact. Indicators a source publishes per area
-- (stg_network_indicators) are appended as given, at the levels the catalogue lists for them.
-- partial_year: the year is one an input file covers only in part (catalogue_partial_years, from
-- the sources' partial_years); such values are published but never enter the scores.
-- source_defect: a numerator or denominator value was built from a row its source is known to have
-- wrong (int_measure_values.source_defect); also published, never scored.
-- Joins run on integer numbers of measures, indicators and areas (measures and areas numbered as in
-- int_measure_values); names are joined back at the end.
with mk as (  -- the same numbering as int_measure_values
    select measure_id, (row_number() over (order by measure_id))::integer as mno from catalogue_measures
),
ak as (  -- the same numbering as int_measure_values
    select level, area_code, (row_number() over (order by level, area_code))::integer as ano
    from (select distinct level, area_code from int_area_pieces)
),
ik as (
    select c.indicator_id, c.scale, c.denominator, dk.mno as den_no,
        (row_number() over (order by c.indicator_id))::integer as ino
    from catalogue_indicators as c left join mk as dk on dk.measure_id = c.denominator
),
num as (
    select i.ino, v.area_no, v.year,
        sum(v.value) as numerator,
        count(*) as n_terms, any_value(t.n_terms) as n_needed,
        bool_or(v.method = 'apportioned') as num_apportioned,
        bool_and(v.method = 'structural_zero') as num_zero,
        bool_or(v.method = 'weighted_mean') as num_mean,
        min(v.coverage) as coverage,
        bool_or(v.source_defect) as num_defect
    from catalogue_indicator_terms as t
    join mk using (measure_id)
    join ik as i using (indicator_id)
    join int_measure_values as v on v.measure_no = mk.mno
    group by i.ino, v.area_no, v.year
),
dens as (  -- values of the measures used as denominators
    select measure_no, area_no, year, value, method, source_defect from int_measure_values
    where measure_no in (select den_no from ik where den_no is not null)
),
complete as (
    select n.*, i.denominator, i.scale, i.den_no
    from num as n
    join ik as i using (ino)
    where n.n_terms = n.n_needed
),
same_year as (  -- the denominator of the same area and year, where there is one
    select c.*, v.year as denominator_year, v.value as denominator_value, v.method as den_method,
        v.source_defect as den_defect
    from complete as c
    left join dens as v
        on v.measure_no = c.den_no and v.area_no = c.area_no and v.year = c.year
),
last_population_year as (
    select max(year) as year from int_measure_values where measure_id = 'population'
),
nearest_population as (  -- after the last published year, the latest earlier year within 3 years
    select s.ino, s.area_no, s.year, v.year as pop_year, v.value as pop_value,
        v.method as pop_method, v.source_defect as pop_defect
    from (select * from same_year where denominator = 'population' and denominator_value is null) as s
    asof join (select area_no, year, value, method, source_defect from int_measure_values
               where measure_id = 'population') as v
        on v.area_no = s.area_no and v.year <= s.year
    where s.year > (select year from last_population_year) and s.year - v.year <= 3
),
resolved as (
    select s.*,
        coalesce(s.denominator_year, p.pop_year) as den_year,
        coalesce(s.denominator_value, p.pop_value) as den_value,
        coalesce(s.den_method, p.pop_method) as den_method_used,
        coalesce(s.den_defect, p.pop_defect, false) as den_defect_used
    from same_year as s
    left join nearest_population as p using (ino, area_no, year)
)
select
    i.indicator_id, a.area_code, a.level, r.year,
    case when r.denominator is null then r.numerator * r.scale
         else r.numerator / r.den_value * r.scale end as value,
    r.numerator,
    case when r.denominator is null then null else r.den_value end as denominator,
    case when r.denominator is null then null else r.den_year end as denominator_year,
    case when r.num_apportioned or coalesce(r.den_method_used = 'apportioned', false) then 'apportioned'
         when r.num_zero then 'structural_zero'
         when r.num_mean then 'weighted_mean'
         else 'exact' end as method,
    r.coverage,
    p.year is not null as partial_year,
    r.num_defect or (r.denominator is not null and r.den_defect_used) as source_defect
from resolved as r
join ik as i using (ino)
join ak as a on a.ano = r.area_no
left join catalogue_partial_years as p on p.indicator_id = i.indicator_id and p.year = r.year
where r.denominator is null or (r.den_value is not null and r.den_value > 0)
union all
select n.indicator_id, n.area_code, n.level, n.year, n.value, n.numerator, n.denominator,
    null::integer as denominator_year, 'exact' as method, 1.0::double as coverage,
    false as partial_year, false as source_defect
from stg_network_indicators as n
join catalogue_given as g
    on g.indicator_id = n.indicator_id and list_contains(string_split(g.levels, ','), n.level)
