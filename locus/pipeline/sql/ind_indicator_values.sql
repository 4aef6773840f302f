-- Indicator values: numerator measures (all present, summed) over the denominator measure of the
-- same area and year, times the scale. When the population of that year is not published (after
-- 2022), the latest earlier population within three years is used (denominator_year records it).
-- method: apportioned if either side was apportioned, structural_zero if the numerator was,
-- weighted_mean for combined means, else exact.
with terms as (select * from catalogue_indicator_terms),
num as (
    select t.indicator_id, v.level, v.area_code, v.year,
        sum(v.value) as numerator,
        count(*) as n_terms, any_value(t.n_terms) as n_needed,
        bool_or(v.method = 'apportioned') as num_apportioned,
        bool_and(v.method = 'structural_zero') as num_zero,
        bool_or(v.method = 'weighted_mean') as num_mean,
        min(v.coverage) as coverage
    from terms as t join int_measure_values as v using (measure_id)
    group by all
),
complete as (select * from num where n_terms = n_needed),
defs as (select * from catalogue_indicators),
needs as (
    select c.*, d.denominator from complete as c join defs as d using (indicator_id)
    where d.denominator is not null
),
same_year as (
    select n.indicator_id, n.level, n.area_code, n.year, v.year as denominator_year,
        v.value as denominator, v.method as den_method
    from needs as n
    join int_measure_values as v
        on v.measure_id = n.denominator and v.level = n.level and v.area_code = n.area_code
       and v.year = n.year
),
nearest_population as (  -- latest population year at or before the numerator year, within 3 years
    select a.* from (
        select n.indicator_id, n.level, n.area_code, n.year, v.year as denominator_year,
            v.value as denominator, v.method as den_method
        from (select * from needs where denominator = 'population') as n
        asof join (select * from int_measure_values where measure_id = 'population') as v
            on v.level = n.level and v.area_code = n.area_code and v.year <= n.year
        where n.year - v.year <= 3
    ) as a
    anti join same_year as s
        on s.indicator_id = a.indicator_id and s.level = a.level and s.area_code = a.area_code
       and s.year = a.year
),
den_candidates as (
    select *, 1 as rn from same_year union all select *, 1 from nearest_population
)
select
    c.indicator_id, c.area_code, c.level, c.year,
    case when d.denominator is null then c.numerator * d.scale
         else c.numerator / dc.denominator * d.scale end as value,
    c.numerator,
    dc.denominator,
    dc.denominator_year,
    case when c.num_apportioned or coalesce(dc.den_method = 'apportioned', false) then 'apportioned'
         when c.num_zero then 'structural_zero'
         when c.num_mean then 'weighted_mean'
         else 'exact' end as method,
    c.coverage
from complete as c
join defs as d using (indicator_id)
left join den_candidates as dc
    on dc.indicator_id = c.indicator_id and dc.level = c.level and dc.area_code = c.area_code
   and dc.year = c.year and dc.rn = 1
where d.denominator is null or (dc.denominator is not null and dc.denominator > 0)
