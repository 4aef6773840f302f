-- Measure rows resolved to pieces. weight = share of the source unit's population in the piece
-- (used to apportion sums), or for measures apportioned by HE providers (catalogue_measures.apportion_by:
-- figures universities report about themselves) the share of the unit's HE providers in the piece,
-- where the unit has any in the providers list (a provider in a district split between pieces
-- counts in each by the piece's share of the district's population); mass = population of unit x piece (used for weighted means);
-- piece_fraction = share of the piece covered by the unit (used for coverage).
-- For measures where an absent area means none recorded (absent_means_zero), pieces without a
-- row in a year the source covers get a structural zero, except in ITL1 regions where a code
-- of that measure and year could not be resolved.
-- source_defect: the row is a declared defect of its source (catalogue_source_defects, from the
-- sources' defects); the values built from it are flagged and never scored.
with rows as (
    select r.*, exists (select 1 from catalogue_source_defects as d where d.measure_id = r.measure_id
                        and d.year = r.year and d.geo_code = r.geo_code) as source_defect,
        c.apportion_by
    from int_measure_rows as r
    left join catalogue_measures as c using (measure_id)
),
he_piece as (  -- HE providers in each piece
    select p.piece_id,
        n.n_providers * p.pop_2020 / sum(p.pop_2020) over (partition by p.lad23_code) as n_providers
    from int_pieces as p
    join (select lad23_code, count(*) as n_providers from py_he_provider_lad group by lad23_code) as n
        using (lad23_code)
),
he_weights as (  -- share of a NUTS unit's HE providers in each of its pieces (units with any)
    select x.nuts_code, x.piece_id,
        coalesce(h.n_providers, 0) * x.piece_fraction
            / sum(coalesce(h.n_providers, 0) * x.piece_fraction) over (partition by x.nuts_code) as he_weight
    from int_nuts_pieces as x
    left join he_piece as h using (piece_id)
    qualify sum(coalesce(h.n_providers, 0) * x.piece_fraction) over (partition by x.nuts_code) > 0
),
xw as (
    select 'nuts' as geo_kind, nuts_code as code, piece_id, weight, mass, piece_fraction, relation
    from int_nuts_pieces
    union all
    select 'lad', lad_code, piece_id, weight, mass, piece_fraction, relation from int_lad_pieces
    union all
    select 'itl', itl_code, piece_id, weight, mass, piece_fraction, relation from int_itl_pieces
),
resolved as (
    select r.measure_id, r.year, r.geo_code as unit_code, x.piece_id,
        coalesce(hw.he_weight, x.weight) as weight,  -- he_weights has every piece of a unit with providers
        x.mass, x.piece_fraction, x.relation, r.value, false as is_zero_fill, r.source_defect
    from rows as r
    join xw as x on x.geo_kind = r.geo_kind and x.code = r.geo_code
    left join he_weights as hw on hw.nuts_code = r.geo_code and hw.piece_id = x.piece_id
        and r.apportion_by = 'he_providers' and r.geo_kind = 'nuts'
),
unresolved as (
    select r.measure_id, r.year,
        case r.geo_kind when 'nuts' then 'TL' || substr(r.geo_code, 3, 1) end as itl1_code
    from rows as r
    anti join xw as x on x.geo_kind = r.geo_kind and x.code = r.geo_code
),
covered_years as (
    select distinct r.measure_id, r.year
    from rows as r join catalogue_measures as m using (measure_id)
    where m.absent_means_zero
),
zero_fill as (
    select cy.measure_id, cy.year, null as unit_code, p.piece_id, 1.0 as weight,
        p.pop_2020 as mass, 1.0 as piece_fraction, 'structural_zero' as relation, 0.0 as value,
        true as is_zero_fill, false as source_defect
    from covered_years as cy
    cross join int_pieces as p
    where not exists (select 1 from resolved as r where r.measure_id = cy.measure_id
                      and r.year = cy.year and r.piece_id = p.piece_id)
      and not exists (select 1 from unresolved as u where u.measure_id = cy.measure_id
                      and u.year = cy.year and (u.itl1_code = p.itl1_code or u.itl1_code is null))
)
select * from resolved
union all
select * from zero_fill
