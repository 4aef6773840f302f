-- Membership of pieces in every target area: ITL3/2/1 (2021), LAD (2023), Combined Authority
-- (May 2025), nation and UK. A LAD piece belongs to a CA when its LAD does.
with p as (select * from int_pieces)
select 'itl3' as level, itl3_code as area_code, itl3_name as area_name, piece_id from p
union all select 'itl2', itl2_code, itl2_name, piece_id from p
union all select 'itl1', itl1_code, itl1_name, piece_id from p
union all select 'lad', lad23_code, lad23_name, piece_id from p
union all
select 'ca', ca.ca_code, ca.ca_name, p.piece_id
from p join stg_geo_lad_ca as ca on ca.lad23_code = p.lad23_code
union all
select 'nation', nation_code,
    case nation_code when 'E92000001' then 'England' when 'W92000004' then 'Wales'
        when 'S92000003' then 'Scotland' else 'Northern Ireland' end, piece_id from p
union all select 'uk', 'K02000001', 'United Kingdom', piece_id from p
