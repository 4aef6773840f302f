-- BRES 2018 employment by Nesta sector, apportioned from NUTS2 (2013) to ITL2, ITL1, CA and UK.
-- method: exact when every NUTS2 region feeding the area lies wholly inside it.
with parts as (
    select a.level, a.area_code, s.year, s.sector, s.nuts_code, x.weight, s.employment
    from stg_nomis_bres as s
    join int_nuts_pieces as x on x.nuts_code = s.nuts_code
    join int_area_pieces as a using (piece_id)
    where a.level in ('itl2', 'itl1', 'ca', 'uk')
),
inside as (
    select level, area_code, nuts_code, sum(weight) as share_inside
    from (select distinct level, area_code, nuts_code, piece_id, weight
          from stg_nomis_bres join int_nuts_pieces using (nuts_code)
          join int_area_pieces using (piece_id) where level in ('itl2', 'itl1', 'ca', 'uk'))
    group by all
),
flags as (
    select level, area_code, min(share_inside) >= 0.9999 as all_inside from inside group by all
)
select p.level, p.area_code, p.year, p.sector, sum(p.employment * p.weight) as employment,
    case when any_value(f.all_inside) then 'exact' else 'apportioned' end as method
from parts as p join flags as f using (level, area_code)
group by p.level, p.area_code, p.year, p.sector
