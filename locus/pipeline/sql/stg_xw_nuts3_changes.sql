-- NUTS3 codes of earlier vintages that differ from NUTS 2016, with their NUTS 2016 equivalents.
select
    cast(vintage as integer) as vintage,
    trim(nuts3_code) as nuts3_code,
    nullif(trim(nuts3_2016_code), '') as nuts3_2016_code,
    trim(relation) as relation,
    note,
    line
from raw_xw_nuts3_changes
