-- Any NUTS code of vintage 2006-2016 at level 1-3 -> pieces, with population weights.
-- A NUTS3 2016 unit's population in a piece is the piece population times the share of the
-- piece held by the unit's LAU1 units (equal shares unless stg_xw_split_weights gives one).
-- weight = share of the unit's population in the piece; piece_fraction = share of the piece
-- covered by the unit; relation = identity | recode | union | approximate.
with lau as (
    select b.*, p.pop_2020 as piece_pop,
        count(*) over (partition by b.piece_id) as n_in_piece,
        sw.share_of_piece as fixed_share
    from int_lau1_bridge as b
    join int_pieces as p using (piece_id)
    left join stg_xw_split_weights as sw on sw.lau1_code = b.lau1_code
),
lau_share as (
    select *,
        coalesce(fixed_share,
                 (1 - coalesce(sum(fixed_share) over (partition by piece_id), 0))
                 / (n_in_piece - count(fixed_share) over (partition by piece_id))) as share
    from lau
),
unit16 as (
    select nuts3_code, piece_id, sum(share) as piece_fraction, sum(share * piece_pop) as mass
    from lau_share group by nuts3_code, piece_id
),
n16 as (select distinct nuts3_code, nuts2_code, nuts1_code from stg_geo_lad18_nuts),
codes as (
    select distinct nuts_code as code from stg_beis
    union select distinct nuts_code from stg_nomis_bres
),
members as (
    select c.code, n.nuts3_code as code16, 'identity' as relation
    from codes as c join n16 as n on n.nuts3_code = c.code
    union
    select c.code, x.nuts3_2016_code, x.relation
    from codes as c join stg_xw_nuts3_changes as x on x.nuts3_code = c.code
    union
    select c.code, n.nuts3_code, 'identity'
    from codes as c join n16 as n on c.code in (n.nuts2_code, n.nuts1_code)
    union
    select c.code, x.nuts3_2016_code, x.relation
    from codes as c join stg_xw_nuts3_changes as x
        on length(c.code) < 5 and starts_with(x.nuts3_code, c.code)
    where not exists (select 1 from n16 where c.code in (n16.nuts2_code, n16.nuts1_code))
),
resolvable as (
    select code,
        case when bool_or(relation = 'unresolvable') then 'unresolvable'
             when bool_or(relation = 'approximate') then 'approximate'
             when bool_or(relation = 'union') then 'union'
             when bool_or(relation = 'recode') then 'recode'
             else 'identity' end as relation
    from members group by code
),
unit_pieces as (
    select m.code, u.piece_id, sum(u.mass) as mass, sum(u.piece_fraction) as piece_fraction
    from (select distinct code, code16 from members where code16 is not null) as m
    join unit16 as u on u.nuts3_code = m.code16
    group by m.code, u.piece_id
)
select
    up.code as nuts_code,
    length(up.code) - 2 as nuts_level,
    up.piece_id,
    up.mass,
    up.mass / sum(up.mass) over (partition by up.code) as weight,
    least(up.piece_fraction, 1.0) as piece_fraction,
    r.relation
from unit_pieces as up
join resolvable as r on r.code = up.code
where r.relation <> 'unresolvable'
