-- ITL 2021 codes (levels 1-3) -> pieces, weighted by piece population.
with codes as (
    select distinct itl_code as code from stg_ons_regional_gva
    union select distinct itl_code from stg_ons_gva_industry
)
select c.code as itl_code, length(c.code) - 2 as itl_level, p.piece_id, p.pop_2020 as mass,
    p.pop_2020 / sum(p.pop_2020) over (partition by c.code) as weight,
    1.0 as piece_fraction, 'identity' as relation
from codes as c
join int_pieces as p
    on (length(c.code) = 5 and p.itl3_code = c.code)
    or (length(c.code) = 4 and p.itl2_code = c.code)
    or (length(c.code) = 3 and p.itl1_code = c.code)
