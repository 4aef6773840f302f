-- Indicator values: numerator measures (all present, summed) over the denominator measure of the
-- same area and year, times the scale. When the population of that year is not published (after
-- 2022), the latest earlier population within three years is used (denominator_year records it).
-- method: apportioned if either side was apportioned, structural_zero if the numerator was,
-- weighted_mean for combined means, else exact. Indicators a source publishes per area
-- (stg_network_indicators) are appended as given, at the levels the catalogue lists for them.
-- Joins run on the integer measure and area numbers of int_measure_values.
with mk as (  -- the same numbering as int_measure_values
    select measure_id, (row_number() over (order by measure_id))::integer as mno from catalogue_measures
),
num as (
    select t.indicator_id, v.area_no, v.year,
        any_value(v.level) as level, any_value(v.area_code) as area_code,
        sum(v.value) as numerator,
        count(*) as n_terms, any_value(t.n_terms) as n_needed,
        bool_or(v.method = 'apportioned') as num_apportioned,
        bool_and(v.method = 'structural_zero') as num_zero,
        bool_or(v.method = 'weighted_mean') as num_mean,
        min(v.coverage) as coverage
    from catalogue_indicator_terms as t
    join mk using (measure_id)
    join int_measure_values as v on v.measure_no = mk.mno
    group by t.indicator_id, v.area_no, v.year
),
complete as (
    select n.*, d.denominator, d.scale, dk.mno as den_no
    from num as n
    join catalogue_indicators as d using (indicator_id)
    left join mk as dk on dk.measure_id = d.denominator
    where n.n_terms = n.n_needed
),
same_year as (  -- the denominator of the same area and year, where there is one
    select c.*, v.year as denominator_year, v.value as denominator_value, v.method as den_method
    from complete as c
    left join int_measure_values as v
        on v.measure_no = c.den_no and v.area_no = c.area_no and v.year = c.year
),
nearest_population as (  -- latest population year before the numerator year, within 3 years
    select s.indicator_id, s.area_no, s.year, v.year as pop_year, v.value as pop_value,
        v.method as pop_method
    from (select * from same_year where denominator = 'population' and denominator_value is null) as s
    asof join (select area_no, year, value, method from int_measure_values
               where measure_id = 'population') as v
        on v.area_no = s.area_no and v.year <= s.year
    where s.year - v.year <= 3
),
resolved as (
    select s.*,
        coalesce(s.denominator_year, p.pop_year) as den_year,
        coalesce(s.denominator_value, p.pop_value) as den_value,
        coalesce(s.den_method, p.pop_method) as den_method_used
    from same_year as s
    left join nearest_population as p using (indicator_id, area_no, year)
)
select
    indicator_id, area_code, level, year,
    case when denominator is null then numerator * scale
         else numerator / den_value * scale end as value,
    numerator,
    case when denominator is null then null else den_value end as denominator,
    case when denominator is null then null else den_year end as denominator_year,
    case when num_apportioned or coalesce(den_method_used = 'apportioned', false) then 'apportioned'
         when num_zero then 'structural_zero'
         when num_mean then 'weighted_mean'
         else 'exact' end as method,
    coverage
from resolved
where denominator is null or (den_value is not null and den_value > 0)
union all
select n.indicator_id, n.area_code, n.level, n.year, n.value, n.numerator, n.denominator,
    null::integer as denominator_year, 'exact' as method, 1.0::double as coverage
from stg_network_indicators as n
join catalogue_given as g
    on g.indicator_id = n.indicator_id and list_contains(string_split(g.levels, ','), n.level)
