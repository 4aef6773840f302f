"""Turn the built DuckDB models into the atlas output tables, using ``locus.pathways``."""

from __future__ import annotations

import json
import math
from collections import defaultdict

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from locus.pathways import neighbours as nb
from locus.pathways import opportunities as op
from locus.pathways.scores import indicators_normalise, stage_scores_compute
from locus.pathways.specialisation import complexity, location_quotients
from locus.pathways.stages import STAGE_IDS, STAGES
from locus.pathways.weak_links import WeakLink, weak_links_compute
from locus.pipeline import scoring
from locus.pipeline.catalogue import INDICATORS, catalogue_rows

SCORED_LEVELS = ("itl3", "ca", "lad")
NEIGHBOURS_K = {"itl3": 5, "ca": 4, "lad": 5}
LEVEL_LABELS = {"itl3": "ITL3 areas", "ca": "Combined Authorities", "lad": "local authority districts"}
OPPORTUNITY_SCOPE = {"itl3": "national", "ca": "national_ca", "lad": "national_lad"}
STRUCTURAL_ITL = (  # (indicator id, transform) used to find statistical neighbours
    ("population", "log"), ("density", "log"), ("gva_per_head", "log"), ("gva_per_hour", "none"),
    ("research_income_per_head", "log1p"), ("ukri_funding_per_head", "log1p"),
    ("manufacturing_gva_share", "none"), ("knowledge_services_gva_share", "none"),
    ("public_services_gva_share", "none"), ("nvq4_share", "none"),
)
STRUCTURAL_LAD = (  # only variables measured for districts themselves (ADR 0010)
    ("population_2020", "log"), ("density", "log"), ("gva_per_hour", "none"), ("he_providers", "log1p"),
)
STRUCTURAL_BY_LEVEL = {"itl3": STRUCTURAL_ITL, "ca": STRUCTURAL_ITL, "lad": STRUCTURAL_LAD}
AREA_VARIABLES = ("density", "population_2020")  # computed from the areas table, not indicator values
STRUCTURAL = STRUCTURAL_ITL + tuple(v for v in STRUCTURAL_LAD if v not in STRUCTURAL_ITL)  # every id used
N_BOOT = 1000


def _arrow(con: duckdb.DuckDBPyConnection, sql: str) -> pa.Table:
    return con.sql(sql).to_arrow_table()


def _latest_by_level(con: duckdb.DuckDBPyConnection, ids: list[str]) -> dict[str, dict[tuple[str, str], tuple[int, float]]]:
    """Latest (year, value) per (area, indicator) at each scored level, for the listed indicators
    (structural variables and opportunity evidence): the latest full year, never a partial one."""
    listed = ", ".join(f"'{i}'" for i in ids)
    levels = ", ".join(f"'{lv}'" for lv in SCORED_LEVELS)
    rows = con.execute("SELECT level, area_code, indicator_id, max(year), arg_max(value, year) FROM "
                       f"ind_indicator_values WHERE level IN ({levels}) AND indicator_id IN ({listed}) "
                       "AND NOT partial_year AND NOT source_defect GROUP BY ALL").fetchall()
    out: dict[str, dict[tuple[str, str], tuple[int, float]]] = {lv: {} for lv in SCORED_LEVELS}
    for level, area, ind, year, value in rows:
        out[level][(area, ind)] = (year, value)
    return out


def _structural(latest: dict, areas: dict, level: str) -> tuple[list[str], np.ndarray]:
    codes = sorted(c for (c, lv) in areas if lv == level)
    cols = []
    for ind, transform in STRUCTURAL_BY_LEVEL.get(level, STRUCTURAL_ITL):
        col = []
        for code in codes:
            a = areas[(code, level)]
            if ind == "density":
                v = a["population_2020"] / (a["land_hectares"] / 100.0) if a["land_hectares"] else math.nan
            elif ind == "population_2020":
                v = a["population_2020"]
            else:
                v = latest.get((code, ind), (None, math.nan))[1]
            v = math.nan if v is None else float(v)
            if transform == "log":
                v = math.log(v) if v > 0 else math.nan
            elif transform == "log1p":
                v = math.log1p(v) if v >= 0 else math.nan
            col.append(v)
        cols.append(col)
    return codes, np.asarray(cols, dtype=float).T


def _score_matrix(scores: pa.Table, level: str, codes: list[str]) -> tuple[np.ndarray, dict]:
    latest = {}
    for r in scores.filter(pc.and_(pc.equal(scores["level"], level), scores["is_latest"])).to_pylist():
        latest[(r["area_code"], r["stage"])] = r
    mat = np.full((len(codes), len(STAGE_IDS)), np.nan)
    for i, c in enumerate(codes):
        for s, sid in enumerate(STAGE_IDS):
            if (c, sid) in latest:
                mat[i, s] = latest[(c, sid)]["score"]
    return mat, latest


def _indicator_draws(normalised: pa.Table, latest_rows: dict, level: str) -> dict[tuple[str, str], np.ndarray]:
    series = defaultdict(dict)
    part = normalised.filter(pc.equal(normalised["level"], level))
    cols = [part[c].to_pylist() for c in ("area_code", "indicator_id", "year", "normalised")]
    for area, ind, year, value in zip(*cols, strict=True):
        if value is not None and math.isfinite(value):
            series[(area, ind)][year] = value
    out = {}
    for (code, stage), row in latest_rows.items():
        vals = []
        for iid in row["indicators"].split(","):
            years = [y for y in series[(code, iid)] if row["year"] - 2 <= y <= row["year"]]
            if years:
                vals.append(series[(code, iid)][max(years)])
        out[(code, stage)] = np.asarray(vals, dtype=float)
    return out


def _evidence(latest: dict, code: str, stage: str, neighbour_codes: tuple[str, ...],
              used: set[str]) -> list[op.Evidence]:
    out = []
    for ind in INDICATORS:
        if ind.stage != stage or ind.id not in used or (code, ind.id) not in latest:
            continue
        year, value = latest[(code, ind.id)]
        peers = [latest[(n, ind.id)][1] for n in neighbour_codes if (n, ind.id) in latest]
        out.append(op.Evidence(ind.id, ind.title, ind.unit, year, float(value),
                               float(np.median(peers)) if peers else None))
    return out


def atlas_tables(*, con: duckdb.DuckDBPyConnection, seed: int = 20240601,
                 neighbour_overrides: dict[str, list[str]] | None = None,
                 info: dict | None = None) -> dict[str, pa.Table]:
    """Compute every output table from the built database. ``neighbour_overrides`` maps an area
    code to an explicit list of neighbour codes (same level) used instead of the computed ones;
    ``info`` (if given) receives which indicators entered the scores at each level and why."""
    tables: dict[str, pa.Table] = {}
    tables["areas"] = _arrow(con, "SELECT * FROM ind_areas ORDER BY level, code")
    values = _arrow(con, "SELECT indicator_id, area_code, level, year, value, numerator, denominator, "
                         "denominator_year, method, coverage, partial_year, source_defect FROM ind_indicator_values "
                         "ORDER BY indicator_id, level, area_code, year")
    tables["indicator_values"] = values
    tables["indicators"] = pa.Table.from_pylist(catalogue_rows())
    use = scoring.score_use(con, SCORED_LEVELS)
    if info is not None:
        info["score_use"] = use
        info["lad_stages"] = scoring.lad_stages()
    per_level = {level: scoring.level_indicators(use, level) for level in SCORED_LEVELS}
    allowed = sorted({f"{level}|{i}" for level, (_m, used) in per_level.items() for i in used})
    # a partial year's values (sources.Source.partial_years) and values built from a row a source is known to have
    # wrong (sources.Source.defects, flagged source_defect) are published above but never scored: not
    # normalised, so not in stage scores, trends or weak links, and the latest score is the last full year's
    # (taken from ``values``, already in this order, rather than sorting the table a second time)
    pair = pc.binary_join_element_wise(values["level"], values["indicator_id"], "|")
    scored = values.filter(pc.and_(pc.is_in(pair, value_set=pa.array(allowed, pa.string())),
                                   pc.invert(pc.or_(values["partial_year"], values["source_defect"]))))
    scored = scored.select(["indicator_id", "level", "area_code", "year", "value"])
    stage_inds = {i.indicator_id: i for members, _u in per_level.values() for i in members}
    normalised, _params = indicators_normalise(values=scored, indicators=sorted(stage_inds.values(),
                                                                               key=lambda i: i.indicator_id))
    tables["indicator_scores"] = normalised.filter(pc.is_valid(normalised["normalised"]))
    scores = pa.concat_tables([
        stage_scores_compute(normalised=normalised.filter(pc.equal(normalised["level"], level)),
                             indicators=per_level[level][0]) for level in sorted(SCORED_LEVELS)])
    tables["stage_scores"] = scores
    areas = {(a["code"], a["level"]): a for a in tables["areas"].to_pylist()}
    structural_ids = [ind for ind, _t in STRUCTURAL if ind not in AREA_VARIABLES]
    neighbour_rows, link_rows, candidates = [], [], []
    stage_ids = {i.indicator_id for members, _u in per_level.values() for i in members}
    latest_all = _latest_by_level(con, sorted({*structural_ids, *stage_ids}))
    for li, level in enumerate(SCORED_LEVELS):
        latest = latest_all[level]
        codes, feats = _structural(latest, areas, level)
        found = nb.neighbours_compute(codes=codes, features=feats, k=NEIGHBOURS_K[level])
        for area, chosen in sorted((neighbour_overrides or {}).items()):
            if area in codes:
                found = nb.neighbours_override(neighbours=found, area_code=area, neighbour_codes=chosen,
                                               codes=codes, features=feats)
        neighbour_rows += [{"area_code": n.area_code, "level": level, "neighbour_code": n.neighbour_code,
                            "rank": n.rank, "distance": n.distance, "source": n.source} for n in found]
        by_area = nb.neighbours_by_area(found)
        mat, latest_rows = _score_matrix(scores, level, codes)
        draws = _indicator_draws(normalised, latest_rows, level)
        links = weak_links_compute(codes=codes, stage_ids=STAGE_IDS, scores=mat, indicator_values=draws,
                                   neighbours=by_area, n_boot=N_BOOT, seed=seed + 100 * li)
        link_rows += [_link_row(link, level, latest_rows) for link in links]
        candidates += _candidates(level, codes, mat, links, areas, latest, latest_rows)
    tables["neighbours"] = pa.Table.from_pylist(neighbour_rows)
    tables["weak_links"] = pa.Table.from_pylist(link_rows)
    ranked = op.opportunities_rank(candidates=candidates)
    tables["opportunities"] = _opportunity_table(ranked)
    tables["specialisation"], tables["complexity"] = _specialisation(con)
    tables["crosswalk_pieces"] = _arrow(con, "SELECT * FROM int_pieces ORDER BY piece_id")
    tables["crosswalk_nuts"] = _arrow(
        con, "SELECT x.nuts_code, x.nuts_level, x.piece_id, p.lad23_code, p.itl3_code, x.weight, "
             "x.piece_fraction, x.relation, count(*) OVER (PARTITION BY x.nuts_code) > 1 AND "
             "count(DISTINCT p.itl3_code) OVER (PARTITION BY x.nuts_code) > 1 AS is_split "
             "FROM int_nuts_pieces AS x JOIN int_pieces AS p USING (piece_id) ORDER BY 1, 3")
    tables["unresolved_codes"] = _arrow(con, "SELECT * FROM int_unresolved_codes ORDER BY 1, 2, 3, 4")
    return tables


def _link_row(link: WeakLink, level: str, latest_rows: dict) -> dict:
    row = latest_rows.get((link.area_code, link.stage), {})
    return {"area_code": link.area_code, "level": level, "stage": link.stage, "year": row.get("year"),
            "expected": link.expected, "actual": link.actual, "gap": link.gap, "lo": link.lo, "hi": link.hi,
            "is_weak": link.is_weak, "is_strong": link.is_strong, "predictors": ",".join(link.predictors),
            "neighbour_codes": ",".join(link.neighbour_codes)}


def _candidates(level, codes, mat, links, areas, latest, latest_rows) -> list[op.Opportunity]:
    research = {c: float(mat[i, 0]) for i, c in enumerate(codes) if np.isfinite(mat[i, 0])}
    scope_of = {}
    for c in codes:
        scopes = [OPPORTUNITY_SCOPE[level]]
        ca = areas[(c, level)].get("ca_code") if level != "ca" else c
        if ca:
            scopes.append(ca)
        scope_of[c] = scopes
    titles = {s.id: s.title for s in STAGES}
    out = []
    for scope, link, pct, rank in op.opportunity_candidates(research=research, links=links, scope_of=scope_of):
        peers = [(areas[(n, level)]["name"], latest_rows.get((n, link.stage), {}).get("score"))
                 for n in link.neighbour_codes]
        used = set(latest_rows.get((link.area_code, link.stage), {}).get("indicators", "").split(","))
        evidence = _evidence(latest, link.area_code, link.stage, link.neighbour_codes, used)
        name = areas[(link.area_code, level)]["name"]
        reason = op.reason_text(name=name, level_label=LEVEL_LABELS[level], research=research[link.area_code],
                                research_rank=rank, n_areas=len(research), stage_title=titles[link.stage],
                                link=link, neighbour_names=peers, evidence=evidence)
        numbers = {"research_score": research[link.area_code], "research_rank": rank,
                   "research_percentile": pct, "n_areas": len(research), "actual": link.actual,
                   "expected": link.expected, "gap": link.gap, "lo": link.lo, "hi": link.hi,
                   "comparison_places": [{"code": n, "name": areas[(n, level)]["name"],
                                          "score": latest_rows.get((n, link.stage), {}).get("score")}
                                         for n in link.neighbour_codes],
                   "indicators": [e.__dict__ for e in evidence]}
        out.append(op.Opportunity(scope, 0, link.area_code, name, level,
                                  link.stage, pct * -link.gap, reason, numbers))
    return out


def _opportunity_table(ranked: list[op.Opportunity]) -> pa.Table:
    rows = [{"scope": o.scope, "rank": o.rank, "area_code": o.area_code, "area_name": o.area_name,
             "level": o.level, "stage": o.stage, "priority": o.priority, "reason": o.reason,
             "numbers": json.dumps(o.numbers, sort_keys=True)} for o in ranked]
    schema = pa.schema([("scope", pa.string()), ("rank", pa.int32()), ("area_code", pa.string()),
                        ("area_name", pa.string()), ("level", pa.string()), ("stage", pa.string()),
                        ("priority", pa.float64()), ("reason", pa.string()), ("numbers", pa.string())])
    return pa.Table.from_pylist(rows, schema=schema)


def _specialisation(con: duckdb.DuckDBPyConnection) -> tuple[pa.Table, pa.Table]:
    spec_rows, cx_rows = [], []
    for level in ("itl2", "itl1", "ca"):
        for source, sql in (
            ("bres_employment", f"SELECT area_code, sector, employment, method, year FROM ind_industry_employment "
                                f"WHERE level = '{level}'"),
            ("gva", f"SELECT itl_code, sic_code || ' ' || sic_desc, value, 'exact', year "
                    f"FROM stg_ons_gva_industry AS g WHERE itl_level = {2 if level == 'itl2' else 1} "
                    "AND year = 2022 AND sic_code <> 'Total' AND NOT (sic_code IN ('CD-CE (19-20)', "
                    "'CF (21)') AND EXISTS (SELECT 1 FROM stg_ons_gva_industry AS h WHERE h.itl_code = "
                    "g.itl_code AND h.year = g.year AND h.sic_code = 'CD-CF (19-21)'))"),
        ):
            if source == "gva" and level == "ca":
                continue
            rows = con.execute(sql + " ORDER BY 1, 2").fetchall()
            if not rows:
                continue
            regions = sorted({r[0] for r in rows})
            sectors = sorted({r[1] for r in rows})
            ri = {c: i for i, c in enumerate(regions)}
            si = {c: i for i, c in enumerate(sectors)}
            mat = np.zeros((len(regions), len(sectors)))
            method = {}
            year = rows[0][4]
            for area, sector, value, meth, _y in rows:
                mat[ri[area], si[sector]] = max(float(value), 0.0)
                method[area] = meth
            reference = None
            if level == "ca":  # the 15 CAs are not the nation: their LQs use Great Britain's shares
                gb = dict(con.execute("SELECT sector, employment FROM ind_industry_employment "
                                      "WHERE level = 'uk'").fetchall())
                reference = np.array([max(float(gb.get(s, 0.0)), 0.0) for s in sectors])
            lq = location_quotients(mat, reference=reference)
            shares = mat / mat.sum(axis=1, keepdims=True)
            n_r, n_s = mat.shape
            spec_rows.append(pa.table({
                "area_code": pa.array(np.repeat(np.asarray(regions, dtype=object), n_s), pa.string()),
                "level": pa.array(np.full(n_r * n_s, level, dtype=object), pa.string()),
                "year": pa.array(np.full(n_r * n_s, year), pa.int64()),
                "source": pa.array(np.full(n_r * n_s, source, dtype=object), pa.string()),
                "sector": pa.array(np.tile(np.asarray(sectors, dtype=object), n_r), pa.string()),
                "value": pa.array(mat.ravel(), pa.float64()), "share": pa.array(shares.ravel(), pa.float64()),
                "lq": pa.array(lq.ravel(), pa.float64(), mask=np.isnan(lq.ravel())),
                "is_specialised": pa.array(np.isfinite(lq.ravel()) & (np.nan_to_num(lq.ravel()) >= 1.25), pa.bool_()),
                "method": pa.array(np.repeat(np.asarray([method[a] for a in regions], dtype=object), n_s), pa.string()),
            }))
            if level != "ca":
                eci, _pci = complexity(mat)
                for r, area in enumerate(regions):
                    cx_rows.append({"area_code": area, "level": level, "year": year, "source": source,
                                    "eci": None if np.isnan(eci[r]) else float(eci[r]),
                                    "diversity": int((np.nan_to_num(lq[r]) >= 1).sum())})
    return pa.concat_tables(spec_rows), pa.Table.from_pylist(cx_rows)
