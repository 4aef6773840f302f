"""A tiny geography and a few measure rows, loaded straight into DuckDB raw tables.

Two ITL3 areas (TLX11, TLX12) in one ITL2/ITL1; three LADs, of which L2 (E06000002) is split
between the two ITL3 areas by its former districts A (E07000001, pop 50) and B (E07000002,
pop 150); L1 (pop 100) and L3 (pop 200) are whole. NUTS3 UKX11 = L1 + A, UKX12 = B + L3.
Combined Authority C1 = L1 + L2 (its 2025 lookup uses a recoded L1, E06000091).
"""

from __future__ import annotations

import duckdb
import pyarrow as pa

from locus.pipeline.engine import catalogue_register, duckdb_connect

LAD23 = [  # LAD23CD, LAD23NM, LAU121CD, LAU121NM, ITL3, ITL3 name
    ("E06000001", "L1", "E06000001", "L1", "TLX11", "West X"),
    ("E06000002", "L2", "E07000001", "A", "TLX11", "West X"),
    ("E06000002", "L2", "E07000002", "B", "TLX12", "East X"),
    ("E06000003", "L3", "E06000003", "L3", "TLX12", "East X"),
]
LAD18 = [("E06000001", "E06000001", "UKX11"), ("E07000001", "E07000001", "UKX11"),
         ("E07000002", "E07000002", "UKX12"), ("E06000003", "E06000003", "UKX12")]
POP = {"E06000001": 100, "E07000001": 50, "E07000002": 150, "E06000003": 200}


def _table(con: duckdb.DuckDBPyConnection, name: str, columns: list[str], rows: list[tuple]) -> None:
    data = {c: [r[i] for r in rows] for i, c in enumerate(columns)}
    types = {c: pa.string() for c in columns}
    for c in columns:
        if rows and isinstance(rows[0][columns.index(c)], float | int) and not isinstance(rows[0][columns.index(c)], bool):
            types[c] = pa.float64() if isinstance(rows[0][columns.index(c)], float) else pa.int64()
    con.register("_t", pa.table({c: pa.array(data[c], types[c]) for c in columns}))
    con.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM _t")
    con.unregister("_t")


NETWORK = [("E06000001", "lad", "collab_links", 4.0, "tiny-network", "2006-2016"),
           ("TLX11", "itl3", "collab_links", 6.0, "tiny-network", "2006-2016"),
           ("TLX11", "itl2", "collab_links", 9.0, "tiny-network", "2006-2016")]


POPULATION = tuple((code, y, v) for code, v in (("TLX11", 150.0), ("TLX12", 350.0)) for y in (2018, 2019, 2020))


def tiny_connection(*, beis: list[tuple], bd: list[tuple] = (),
                    network: list[tuple] = tuple(NETWORK),
                    population: tuple = POPULATION) -> duckdb.DuckDBPyConnection:
    """A connection holding the tiny world's raw tables plus the given measure rows.

    ``beis`` rows: (measure_id, year, nuts_code, nuts_vintage, value);
    ``bd`` rows: (measure_id, lad_code, year, value);
    ``population`` rows: (ITL code, year, value), ONS Table 17 (ITL3 areas TLX11, TLX12; ITL1 TLX);
    ``network`` rows: (area_code, area_level, indicator, value, dataset, vintage)."""
    con = duckdb_connect()
    _table(con, "raw_geo_lad23_itl",
           ["LAD23CD", "LAD23NM", "LAU121CD", "LAU121NM", "ITL321CD", "ITL321NM", "ITL221CD", "ITL221NM",
            "ITL121CD", "ITL121NM", "ObjectId", "line"],
           [(*r, "TLX1", "X", "TLX", "X land", str(i), i + 2) for i, r in enumerate(LAD23)])
    _table(con, "raw_geo_lad18_nuts",
           ["LAD18CD", "LAD18NM", "LAU118CD", "LAU118NM", "NUTS318CD", "NUTS318NM", "NUTS218CD", "NUTS218NM",
            "NUTS118CD", "NUTS118NM", "FID", "line"],
           [(lad, lad, lau, lau, n3, n3, "UKX1", "X", "UKX", "X land", str(i), i + 2)
            for i, (lad, lau, n3) in enumerate(LAD18)])
    _table(con, "raw_geo_lad_changes", ["oldcd", "oldnm", "newcd", "newnm", "type", "start", "line"],
           [("E06000001", "L1", "E06000091", "L1", "new_code", "2025", 2)])
    _table(con, "raw_geo_lad_ca", ["LAD25CD", "LAD25NM", "CAUTH25CD", "CAUTH25NM", "ObjectId", "line"],
           [("E06000091", "L1", "E47000099", "C1", "1", 2), ("E06000002", "L2", "E47000099", "C1", "2", 3)])
    _table(con, "raw_geo_councils", ["gss-code", "nice-name", "pop-2020", "area", "end-date", "line"],
           [(code, code, str(p), "10", "", i + 2) for i, (code, p) in enumerate(POP.items())])
    _table(con, "raw_geo_land_area", ["LAD23CD", "AREALHECT", "line"],
           [("E06000001", "1000", 2), ("E06000002", "4000", 3), ("E06000003", "2000", 4)])
    _table(con, "raw_xw_nuts3_changes", ["vintage", "nuts3_code", "nuts3_2016_code", "relation", "note", "line"],
           [("2013", "UKX21", "UKX11", "recode", "", 2)])
    _table(con, "raw_xw_split_weights", ["lau1_code", "lau1_name", "piece_lad23_code", "share_of_piece",
                                         "method", "evidence", "line"], [("E99999999", "none", "E06000001", "0.5", "x", "", 2)])
    _table(con, "raw_beis", ["source_id", "measure_id", "file", "line", "year", "nuts_id", "nuts_year_spec", "value"],
           [("s", m, "f.csv", i + 2, y, c, v, val) for i, (m, y, c, v, val) in enumerate(beis)])
    _table(con, "raw_nomis_bres", ["line", "year", "geo_cd", "sic4", "value", "cluster_name"],
           [(2, 2018, "UKX1", "0111", 10.0, "farming")])
    gva = [("population", "T17", i + 2, code, code, y, v) for i, (code, y, v) in enumerate(population)]
    _table(con, "raw_ons_gva", ["series", "sheet", "line", "code", "name", "year", "value"], gva)
    _table(con, "raw_ons_gva_industry", ["sheet", "line", "code", "name", "sic_code", "sic_desc", "year", "value"],
           [("T6", 2, "TLX1", "X", "Total", "All", 2018, 1.0)])
    _table(con, "raw_ons_bd", ["series", "sheet", "line", "code", "name", "year", "value"],
           [(m, "T", i + 5, c, c, y, float(v)) for i, (m, c, y, v) in enumerate(bd)]
           or [("enterprise_births", "T", 5, "E06000001", "L1", 2019, 1.0)])
    _table(con, "raw_ons_productivity", ["series", "sheet", "line", "code", "name", "year", "value"],
           [("hours_worked", "H", 6, "E06000001", "L1", 2019, 1.0)])
    _table(con, "raw_he_providers", ["ukprn", "name", "postcode", "longitude", "latitude", "line"],
           [("1", "Uni", "X1", 0.0, 0.0, 2)])
    _table(con, "py_he_provider_lad", ["ukprn", "lad23_code"], [("1", "E06000001")])
    _table(con, "raw_network_indicators", ["file", "line", "area_code", "area_level", "indicator", "value",
                                           "numerator", "denominator", "unit", "dataset", "vintage", "source"],
           [("net.csv", i + 2, a, lv, ind, v, None, None, "count", d, vin, "src")
            for i, (a, lv, ind, v, d, vin) in enumerate(network)])
    catalogue_register(con)
    return con
