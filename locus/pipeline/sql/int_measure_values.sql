-- Measures aggregated from pieces to every target area and year.
-- Sums add the apportioned parts; means are population-weighted. method: exact when every
-- contributing source unit lies wholly inside the area, apportioned otherwise, structural_zero
-- when no source unit contributed. coverage = share of the area's population with data.
with piece as (  -- one row per measure, year and piece
    select m.measure_id, m.year, m.piece_id,
        sum(m.value * m.weight) as sum_part,
        sum(m.value * m.mass) as mass_value,
        sum(m.mass) as mass,
        least(1.0, sum(m.piece_fraction)) * any_value(p.pop_2020) as covered_pop,
        bool_or(m.relation = 'approximate') as any_approximate
    from int_measure_pieces as m join int_pieces as p using (piece_id)
    group by m.measure_id, m.year, m.piece_id
),
unit_area as (  -- share of each source unit's weight inside each area (from the crosswalk only)
    select x.code, a.level, a.area_code, sum(x.weight) as share_inside
    from (select nuts_code as code, piece_id, weight from int_nuts_pieces
          union all select lad_code, piece_id, weight from int_lad_pieces
          union all select itl_code, piece_id, weight from int_itl_pieces) as x
    join int_area_pieces as a using (piece_id)
    group by x.code, a.level, a.area_code
),
unit_flags as (
    select u.measure_id, u.year, ua.level, ua.area_code,
        min(ua.share_inside) >= 0.9999 as all_inside, count(*) as n_units
    from (select distinct measure_id, year, unit_code from int_measure_pieces where unit_code is not null) as u
    join unit_area as ua on ua.code = u.unit_code
    group by u.measure_id, u.year, ua.level, ua.area_code
),
area_pop as (
    select a.level, a.area_code, sum(p.pop_2020) as area_pop
    from int_area_pieces as a join int_pieces as p using (piece_id)
    group by a.level, a.area_code
),
agg as (
    select pc.measure_id, pc.year, a.level, a.area_code,
        sum(pc.sum_part) as sum_value,
        sum(pc.mass_value) / nullif(sum(pc.mass), 0) as mean_value,
        sum(pc.covered_pop) as covered_pop,
        bool_or(pc.any_approximate) as any_approximate
    from piece as pc join int_area_pieces as a using (piece_id)
    group by pc.measure_id, pc.year, a.level, a.area_code
)
select
    g.measure_id, g.level, g.area_code, g.year,
    case when cm.aggregation = 'sum' then g.sum_value else g.mean_value end as value,
    case when f.n_units is null then 'structural_zero'
         when f.all_inside and f.n_units = 1 and cm.aggregation = 'mean' then 'exact'
         when f.all_inside and cm.aggregation = 'sum' then 'exact'
         when cm.aggregation = 'mean' and f.all_inside then 'weighted_mean'
         else 'apportioned' end as method,
    g.any_approximate,
    least(1.0, g.covered_pop / ap.area_pop) as coverage
from agg as g
join catalogue_measures as cm using (measure_id)
join area_pop as ap using (level, area_code)
left join unit_flags as f using (measure_id, year, level, area_code)
where g.covered_pop / ap.area_pop >= case when cm.aggregation = 'sum' then 0.999 else 0.5 end
