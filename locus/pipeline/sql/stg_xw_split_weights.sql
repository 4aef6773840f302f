-- Shares of a LAD 2023 piece held by former districts without a published population.
select
    trim(lau1_code) as lau1_code,
    trim(lau1_name) as lau1_name,
    trim(piece_lad23_code) as lad23_code,
    cast(share_of_piece as double) as share_of_piece,
    trim(method) as method,
    evidence,
    line
from raw_xw_split_weights
