-- ONS BRES 2018 employment by NUTS2 (2013) and SIC 2007 4-digit class, with Nesta's sector.
select
    line,
    year,
    trim(geo_cd) as nuts_code,
    2013 as nuts_vintage,
    lpad(trim(sic4), 4, '0') as sic4,
    trim(cluster_name) as sector,
    value as employment
from raw_nomis_bres
where value is not null
