-- Learning providers plus: HE providers with coordinates (LAD assigned by the runner).
select
    trim(ukprn) as ukprn,
    trim(name) as provider_name,
    trim(postcode) as postcode,
    longitude,
    latitude,
    line
from raw_he_providers
