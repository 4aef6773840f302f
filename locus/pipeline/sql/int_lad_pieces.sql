-- LAD codes of any vintage (2018-2025) in the ONS LAD tables -> pieces, with population weights.
-- A current LAD maps to its pieces; a former district that is a LAU1 unit of LAD 2023 maps to
-- its piece; other codes follow mergers and recodes in lad_changes (2025 codes map back).
with recursive
lau21 as (
    select l.lau1_code, l.lad23_code || ':' || l.itl3_code as piece_id, c.pop_2020 as lau_pop
    from stg_geo_lad23_itl as l left join stg_geo_councils as c on c.gss_code = l.lau1_code
),
lad23 as (select distinct lad23_code from int_pieces),
codes as (
    select distinct lad_code as code from stg_ons_business_demography
    union select distinct lad_code from stg_ons_productivity
    union select distinct lad23_code from int_pieces
),
chain(code, current_code, depth) as (
    select code, code, 0 from codes
    union all
    select c.code,
        case when ch.old_code = c.current_code then ch.new_code else ch.old_code end,
        c.depth + 1
    from chain as c
    join stg_geo_lad_changes as ch
        on (ch.old_code = c.current_code and ch.change_type = 'merger')
        or (ch.new_code = c.current_code and ch.change_type = 'new_code')
    where c.depth < 4
      and c.current_code not in (select lad23_code from lad23)
      and c.current_code not in (select lau1_code from lau21)
),
resolved as (
    select code, arg_min(current_code, depth) as target, min(depth) as depth
    from chain
    where current_code in (select lad23_code from lad23) or current_code in (select lau1_code from lau21)
    group by code
),
as_lad as (
    select r.code, p.piece_id, p.pop_2020 as mass, 1.0 as piece_fraction,
        case when r.depth = 0 then 'identity' else 'code_change' end as relation
    from resolved as r join int_pieces as p on p.lad23_code = r.target
),
as_lau as (
    select r.code, l.piece_id,
        coalesce(l.lau_pop, p.pop_2020 / p.n_lau1) as mass,
        least(1.0, coalesce(l.lau_pop / nullif(p.pop_2020, 0), 1.0 / p.n_lau1)) as piece_fraction,
        case when r.depth = 0 then 'former_district' else 'code_change' end as relation
    from resolved as r
    join lau21 as l on l.lau1_code = r.target
    join int_pieces as p on p.piece_id = l.piece_id
    where r.target not in (select lad23_code from lad23)
)
select code as lad_code, piece_id, mass,
    mass / sum(mass) over (partition by code) as weight, piece_fraction, relation
from (select * from as_lad union all select * from as_lau)
