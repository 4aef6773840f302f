-- HE providers with the LAD 2023 that contains them (point in polygon, done in Python by the
-- runner into py_he_provider_lad), as one measure row per LAD.
select 'he_providers' as measure_id, 'universities/learning-providers-plus.csv' as file,
    min(s.line) as line, 'lad' as geo_kind, l.lad23_code as geo_code, null::integer as geo_vintage,
    2014 as year, count(*)::double as value
from stg_he_providers as s
join py_he_provider_lad as l using (ukprn)
group by l.lad23_code
