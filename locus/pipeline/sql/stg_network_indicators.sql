-- Indicators published per area by a source (today the collaboration room's network export, one
-- row per area, level, indicator and dataset). The year of a value is the last year of its
-- vintage (a network built from 2006-2016 projects is dated 2016); values pass through as given.
select
    file,
    cast(line as integer) as line,
    trim(area_code) as area_code,
    trim(area_level) as level,
    trim(indicator) as indicator_id,
    trim(dataset) as dataset,
    trim(vintage) as vintage,
    cast(right(trim(vintage), 4) as integer) as year,
    cast(value as double) as value,
    cast(numerator as double) as numerator,
    cast(denominator as double) as denominator,
    trim(unit) as unit,
    trim(source) as source
from raw_network_indicators
