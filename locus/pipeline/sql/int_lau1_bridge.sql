-- LAU1 units of the NUTS 2016 lookup (LAD Dec 2018) matched to pieces (LAD 2023 x ITL3 2021):
-- by identical LAU1 code, else by following LAD mergers and recodes (lad_changes), else by name
-- (Scottish LAU1 units recoded in 2019 with unchanged names).
with recursive
lau21 as (
    select distinct lau1_code, lau1_name, lad23_code || ':' || itl3_code as piece_id
    from stg_geo_lad23_itl
),
chain(lau1_code, current_code, depth) as (
    select lau1_code, lau1_code, 0 from stg_geo_lad18_nuts
    union all
    select c.lau1_code, ch.new_code, c.depth + 1
    from chain as c
    join stg_geo_lad_changes as ch
        on ch.old_code = c.current_code and ch.change_type in ('merger', 'new_code')
    where c.depth < 4 and c.current_code not in (select lau1_code from lau21)
),
by_code as (
    select c.lau1_code, min(l.piece_id) as piece_id,
        case when min(c.depth) = 0 then 'same_code' else 'code_change' end as matched_by
    from chain as c join lau21 as l on l.lau1_code = c.current_code
    group by c.lau1_code
)
select
    n.nuts3_code, n.lad18_code, n.lau1_code, n.lau1_name,
    coalesce(b.piece_id, nm.piece_id) as piece_id,
    coalesce(b.matched_by, case when nm.piece_id is not null then 'name' end) as matched_by
from stg_geo_lad18_nuts as n
left join by_code as b using (lau1_code)
left join (select lau1_name, min(piece_id) as piece_id from lau21 group by lau1_name) as nm
    on b.piece_id is null and nm.lau1_name = n.lau1_name
