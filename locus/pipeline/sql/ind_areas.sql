-- Areas of every level with names, parents, mid-2020 population and land area.
-- Land area of a split LAD piece is the LAD's land area times the piece's population share.
with piece_land as (
    select p.piece_id, l.land_hectares * p.pop_2020
        / nullif(sum(p.pop_2020) over (partition by p.lad23_code), 0) as land_hectares
    from int_pieces as p left join stg_geo_land_area as l using (lad23_code)
),
ca_of_piece as (
    select piece_id, area_code as ca_code from int_area_pieces where level = 'ca'
),
agg as (
    select a.level, a.area_code, any_value(a.area_name) as area_name,
        sum(p.pop_2020) as population_2020,
        sum(pl.land_hectares) as land_hectares,
        count(*) as n_pieces,
        count(distinct p.itl2_code) as n_itl2, any_value(p.itl2_code) as itl2_code,
        count(distinct p.itl1_code) as n_itl1, any_value(p.itl1_code) as itl1_code,
        count(distinct p.nation_code) as n_nation, any_value(p.nation_code) as nation_code,
        arg_max(c.ca_code, p.pop_2020) filter (where c.ca_code is not null) as main_ca,
        sum(p.pop_2020) filter (where c.ca_code is not null) as pop_in_ca,
        bool_or(p.pop_method in ('itl3_residual', 'lad_residual', 'equal_share')) as pop_estimated
    from int_area_pieces as a
    join int_pieces as p using (piece_id)
    join piece_land as pl using (piece_id)
    left join ca_of_piece as c using (piece_id)
    group by a.level, a.area_code
)
select
    area_code as code, area_name as name, level,
    case when level = 'itl3' then itl2_code when level = 'itl2' then itl1_code
         when level in ('itl1', 'lad', 'ca') and n_nation = 1 then nation_code
         when level = 'nation' then 'K02000001' end as parent_code,
    case when n_itl1 = 1 and level not in ('nation', 'uk') then itl1_code end as itl1_code,
    case when n_nation = 1 and level <> 'uk' then nation_code end as nation_code,
    case when level in ('itl3', 'lad', 'itl2') and pop_in_ca >= 0.5 * population_2020 then main_ca end as ca_code,
    coalesce(pop_in_ca, 0) / population_2020 as share_in_ca,
    population_2020,
    land_hectares,
    n_pieces,
    pop_estimated
from agg
