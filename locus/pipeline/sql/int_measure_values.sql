-- Measures aggregated from pieces to every target area and year.
-- Sums add the apportioned parts; means are population-weighted. method: exact when every
-- contributing source unit lies wholly inside the area, apportioned otherwise, structural_zero
-- when no source unit contributed. coverage = share of the area's population with data.
-- Pieces, areas, measures and source units are numbered first so that the large joins and
-- groupings run on integer keys; names are joined back at the end.
with pk as (
    select piece_id, pop_2020, (row_number() over (order by piece_id))::integer as pno from int_pieces
),
ak as (
    select level, area_code, (row_number() over (order by level, area_code))::integer as ano
    from (select distinct level, area_code from int_area_pieces)
),
ap as (  -- area x piece, numbered
    select a.ano, k.pno, k.pop_2020
    from int_area_pieces as x join ak as a using (level, area_code) join pk as k using (piece_id)
),
mk as (
    select measure_id, aggregation, (row_number() over (order by measure_id))::integer as mno
    from catalogue_measures
),
xw as (  -- every source unit's weight in each piece (crosswalk only)
    select nuts_code as code, piece_id, weight from int_nuts_pieces
    union all select lad_code, piece_id, weight from int_lad_pieces
    union all select itl_code, piece_id, weight from int_itl_pieces
),
uk as (
    select code, (row_number() over (order by code))::integer as uno from (select distinct code from xw)
),
mp as (  -- measure pieces, numbered
    select mk.mno, m.year, k.pno, u.uno, m.value, m.weight, m.mass, m.piece_fraction, m.relation,
        m.source_defect
    from int_measure_pieces as m
    join mk using (measure_id)
    join pk as k using (piece_id)
    left join uk as u on u.code = m.unit_code
),
piece as (  -- one row per measure, year and piece
    select m.mno, m.year, m.pno,
        sum(m.value * m.weight) as sum_part,
        sum(m.value * m.mass) as mass_value,
        sum(m.mass) as mass,
        least(1.0, sum(m.piece_fraction)) * any_value(k.pop_2020) as covered_pop,
        bool_or(m.relation = 'approximate') as any_approximate,
        bool_or(m.source_defect) as any_defect
    from mp as m join pk as k using (pno)
    group by m.mno, m.year, m.pno
),
unit_area as (  -- share of each source unit's weight inside each area
    select u.uno, a.ano, sum(x.weight) as share_inside
    from xw as x join uk as u using (code) join pk as k using (piece_id) join ap as a using (pno)
    group by u.uno, a.ano
),
unit_flags as (
    select u.mno, u.year, ua.ano, min(ua.share_inside) >= 0.9999 as all_inside, count(*) as n_units
    from (select distinct mno, year, uno from mp where uno is not null) as u
    join unit_area as ua using (uno)
    group by u.mno, u.year, ua.ano
),
area_pop as (
    select ano, sum(pop_2020) as area_pop from ap group by ano
),
agg as (
    select pc.mno, pc.year, a.ano,
        sum(pc.sum_part) as sum_value,
        sum(pc.mass_value) / nullif(sum(pc.mass), 0) as mean_value,
        sum(pc.covered_pop) as covered_pop,
        bool_or(pc.any_approximate) as any_approximate,
        bool_or(pc.any_defect) as source_defect
    from piece as pc join ap as a using (pno)
    group by pc.mno, pc.year, a.ano
),
main as (
    select
        mk.measure_id, ak.level, ak.area_code, g.year,
        case when mk.aggregation = 'sum' then g.sum_value else g.mean_value end as value,
        case when f.n_units is null then 'structural_zero'
             when f.all_inside and f.n_units = 1 and mk.aggregation = 'mean' then 'exact'
             when f.all_inside and mk.aggregation = 'sum' then 'exact'
             when mk.aggregation = 'mean' and f.all_inside then 'weighted_mean'
             else 'apportioned' end as method,
        g.any_approximate,
        least(1.0, g.covered_pop / ap.area_pop) as coverage,
        g.mno as measure_no,  -- integer keys for the indicator model's joins
        g.ano as area_no,
        g.source_defect  -- built from a row its source is known to have wrong (sources' defects)
    from agg as g
    join mk using (mno)
    join ak using (ano)
    join area_pop as ap using (ano)
    left join unit_flags as f using (mno, year, ano)
    where g.covered_pop / ap.area_pop >= case when mk.aggregation = 'sum' then 0.999 else 0.5 end
),
area_itl1 as (  -- the ITL1 regions of areas made of whole ITL1 regions
    select distinct a.ano, p.itl1_code
    from int_area_pieces as x
    join ak as a using (level, area_code)
    join int_pieces as p using (piece_id)
    where x.level in ('itl1', 'nation', 'uk')
),
published_population as (  -- ONS's own ITL1 populations, summed, where every ITL1 region of the area has one
    select ai.ano, g.year, sum(g.value) as value
    from area_itl1 as ai
    join stg_ons_regional_gva as g
        on g.itl_code = ai.itl1_code and g.itl_level = 1 and g.measure_id = 'population'
    group by ai.ano, g.year
    having count(*) = (select count(*) from area_itl1 as b where b.ano = ai.ano)
)
select * from main
union all
-- Where ONS withholds some ITL3 areas' population (Scotland's 2022, [u] in Table 17) the sum over pieces
-- is incomplete and left out above; ITL1 regions, nations and the UK then take ONS's published ITL1 figures.
select 'population', ak.level, ak.area_code, pp.year, pp.value, 'exact', false, 1.0, mk.mno, pp.ano, false
from published_population as pp
join ak using (ano)
join mk on mk.measure_id = 'population'
where not exists (select 1 from main as v where v.measure_no = mk.mno and v.area_no = pp.ano and v.year = pp.year)
