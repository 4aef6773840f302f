-- Pieces: the intersections of LAD 2023 and ITL3 2021 (a LAD split by LAU1 between two ITL3
-- areas gives two pieces). Every target area (ITL3/2/1, LAD, CA, nation) is a union of pieces.
-- Mid-2020 population per piece, in order of preference:
--   register_atoms   sum of the register populations of the piece's LAU1 units (former districts)
--   register_lad     the LAD's register population, when the LAD lies in one ITL3
--   itl3_residual    ONS ITL3 population minus the other pieces of the ITL3 (one unknown piece)
--   lad_residual     the LAD's population minus its other pieces (one unknown piece)
--   equal_share      the remainder shared equally (flagged; not needed with the bundled data)
with atoms as (
    select l.*, c.pop_2020 as atom_pop
    from stg_geo_lad23_itl as l
    left join stg_geo_councils as c on c.gss_code = l.lau1_code
),
pieces as (
    select
        lad23_code, any_value(lad23_name) as lad23_name,
        itl3_code, any_value(itl3_name) as itl3_name,
        any_value(itl2_code) as itl2_code, any_value(itl2_name) as itl2_name,
        any_value(itl1_code) as itl1_code, any_value(itl1_name) as itl1_name,
        count(*) as n_lau1,
        case when count(atom_pop) = count(*) then sum(atom_pop) end as atoms_pop
    from atoms
    group by lad23_code, itl3_code
),
itl3_pop as (
    select itl_code as itl3_code, value as pop
    from stg_ons_regional_gva where measure_id = 'population' and year = 2020 and itl_level = 3
),
step0 as (
    select p.*,
        count(*) over (partition by p.lad23_code) as lad_pieces,
        lp.pop_2020 as lad_pop,
        coalesce(p.atoms_pop,
                 case when count(*) over (partition by p.lad23_code) = 1 then lp.pop_2020 end) as pop0
    from pieces as p
    left join stg_geo_councils as lp on lp.gss_code = p.lad23_code
),
step1 as (
    select s.*,
        coalesce(pop0, case when count(*) filter (where pop0 is null) over w = 1
                            then i.pop - coalesce(sum(pop0) over w, 0) end) as pop1
    from step0 as s left join itl3_pop as i using (itl3_code)
    window w as (partition by s.itl3_code)
),
step2 as (
    select s.*,
        coalesce(pop1, case when count(*) filter (where pop1 is null) over w = 1
                            then lad_pop - coalesce(sum(pop1) over w, 0) end) as pop2
    from step1 as s
    window w as (partition by s.lad23_code)
),
step3 as (
    select s.*,
        coalesce(pop2, (lad_pop - coalesce(sum(pop2) over w, 0))
                       / nullif(count(*) filter (where pop2 is null) over w, 0)) as pop3
    from step2 as s
    window w as (partition by s.lad23_code)
)
select
    lad23_code || ':' || itl3_code as piece_id,
    lad23_code, lad23_name, itl3_code, itl3_name, itl2_code, itl2_name, itl1_code, itl1_name,
    case left(lad23_code, 1) when 'E' then 'E92000001' when 'W' then 'W92000004'
         when 'S' then 'S92000003' when 'N' then 'N92000002' end as nation_code,
    n_lau1,
    lad_pieces > 1 as lad_is_split,
    greatest(pop3, 0) as pop_2020,
    case when atoms_pop is not null then 'register_atoms'
         when pop0 is not null then 'register_lad'
         when pop1 is not null then 'itl3_residual'
         when pop2 is not null then 'lad_residual'
         else 'equal_share' end as pop_method
from step3
