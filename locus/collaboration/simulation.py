"""The mandate simulator: apply a rule set to every project of a participant-level portfolio.

No Django here: a ``Portfolio`` is plain columns (one entry per participant). Results give the
share of projects and of money that would comply, what the others would have to change, and the
same by funder, year, lead organisation's place (LAD, ITL3, CA) and organisation type. Money is
the grant where the source gives one, otherwise eligible costs; rule shares use eligible costs,
otherwise the grant. Every money figure says which it is (``money_basis``): "grant", "eligible
costs", or "grant where given, otherwise eligible costs" when its participants differ, with the part
taken from eligible costs (``money_from_eligible_costs``).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from locus.collaboration.rules.checks import Context
from locus.collaboration.rules.engine import evaluate
from locus.collaboration.rules.model import parameters_resolve, rule_set_get
from locus.collaboration.rules.table import ParticipantTable, table_from_columns

# Registry types -> the checker's vocabulary.
CHECKER_TYPE = {"university": "research", "research": "research", "rto": "rto",
                "business": "business", "public": "public", "charity": "charity"}
DIMENSIONS = ("funder", "year", "lad", "itl3", "ca")
# Registry types in words (as the registry's OrgType says them; no Django here).
TYPE_NAMES = {"university": "University or college", "research": "Research institute",
              "rto": "RTO or Catapult", "business": "Business", "public": "Public body",
              "charity": "Charity or association", "unknown": "Type not known"}
# What a money figure is made of: every participant's grant, every participant's eligible costs (no
# grant given), or both; "none given" where no participant has either.
MONEY_BASIS_GRANT = "grant"
MONEY_BASIS_COSTS = "eligible costs"
MONEY_BASIS_MIXED = "grant where given, otherwise eligible costs"
MONEY_BASIS_NONE = "none given"
NO_CA = "none"  # the key of leads in a district that no Combined Authority covers
DIMENSION_TITLES = {"funder": "Funder", "year": "Year", "lad": "Local authority district",
                    "itl3": "ITL3 area", "ca": "Combined Authority",
                    "organisation type (participations)": "Organisation type"}


@dataclass
class Portfolio:
    """Participant rows. ``project`` is any hashable key; places are codes or ''."""

    project: Sequence[Any]
    funder: Sequence[str]
    year: Sequence[int | None]
    org_type: Sequence[str]
    size: Sequence[str]
    country: Sequence[str]
    is_lead: Sequence[bool]
    costs: Sequence[float | None]
    grant: Sequence[float | None]
    lad: Sequence[str]
    itl3: Sequence[str]
    ca: Sequence[str]
    area_names: Mapping[str, str] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.project)


@dataclass
class Breakdown:
    dimension: str
    rows: list[dict[str, Any]]


@dataclass
class SimulationResult:
    rule_set: str
    rule_set_title: str
    version: str
    parameters: dict[str, Any]
    projects: int
    compliant_projects: int
    money: float
    compliant_money: float
    money_basis: str
    money_from_eligible_costs: float
    participants: int
    unknown_type_share: float
    unknown_size_share: float
    changes: list[dict[str, Any]]
    breakdowns: list[Breakdown]
    reach: list[dict[str, Any]]

    @property
    def project_share(self) -> float | None:
        return self.compliant_projects / self.projects if self.projects else None

    @property
    def money_share(self) -> float | None:
        return self.compliant_money / self.money if self.money else None


@dataclass(frozen=True)
class _MoneySource:
    """Per participant: whether its money is its grant, or its eligible costs for want of a grant,
    and the amount taken from eligible costs."""

    grant: np.ndarray      # bool: a grant is given
    costs: np.ndarray      # bool: no grant, eligible costs given
    from_costs: np.ndarray  # float: money taken from eligible costs (0 where a grant is given)


def money_basis(n_grant: float, n_costs: float) -> str:
    """'grant', 'eligible costs', 'grant where given, otherwise eligible costs' or 'none given',
    from how many participants behind a figure have a grant and how many only eligible costs."""
    if n_grant and n_costs:
        return MONEY_BASIS_MIXED
    if n_grant:
        return MONEY_BASIS_GRANT
    return MONEY_BASIS_COSTS if n_costs else MONEY_BASIS_NONE


def _money_source(portfolio: Portfolio) -> _MoneySource:
    grant = ~np.isnan(np.array([g if g is not None else np.nan for g in portfolio.grant], dtype=float))
    amount = np.array([c if c is not None else np.nan for c in portfolio.costs], dtype=float)
    only_costs = ~grant & ~np.isnan(amount)
    return _MoneySource(grant=grant, costs=only_costs,
                        from_costs=np.where(only_costs, np.nan_to_num(amount), 0.0))


def _basis_columns(inverse: np.ndarray, size: int, n_grant: np.ndarray, n_costs: np.ndarray,
                   from_costs: np.ndarray) -> tuple[list[str], np.ndarray]:
    grants = np.bincount(inverse, weights=n_grant, minlength=size)
    costs = np.bincount(inverse, weights=n_costs, minlength=size)
    amount = np.bincount(inverse, weights=from_costs, minlength=size)
    return [money_basis(grants[i], costs[i]) for i in range(size)], amount


def _arrays(portfolio: Portfolio) -> tuple[np.ndarray, list, np.ndarray, np.ndarray, np.ndarray]:
    keys = {}
    project = np.fromiter((keys.setdefault(p, len(keys)) for p in portfolio.project),
                          dtype=np.int64, count=len(portfolio))
    costs = np.array([c if c is not None else np.nan for c in portfolio.costs], dtype=float)
    grant = np.array([g if g is not None else np.nan for g in portfolio.grant], dtype=float)
    rule_costs = np.where(np.isnan(costs), np.nan_to_num(grant), costs)
    money = np.where(np.isnan(grant), np.nan_to_num(costs), grant)
    return project, list(keys), rule_costs, money, np.asarray(portfolio.is_lead, dtype=bool)


def _table(portfolio: Portfolio, project: np.ndarray, n: int, costs: np.ndarray,
           is_lead: np.ndarray) -> ParticipantTable:
    """Grant portfolios record no common control, so every participant counts as independent."""
    return table_from_columns(
        project=project, org_type=[CHECKER_TYPE.get(t, "unknown") for t in portfolio.org_type],
        size=[s or None for s in portfolio.size], country=[c or "GB" for c in portfolio.country],
        costs=costs, is_lead=is_lead, grant=list(portfolio.grant), n_projects=n)


def _per_project(values: Sequence[Any], project: np.ndarray, is_lead: np.ndarray,
                 n: int) -> np.ndarray:
    """Each project's value from its lead (first row where no lead is recorded)."""
    out = np.empty(n, dtype=object)
    out[:] = ""
    order = np.lexsort((~is_lead, project))          # per project: the lead first
    first = np.ones(len(order), dtype=bool)
    first[1:] = project[order][1:] != project[order][:-1]
    chosen = order[first]
    vals = np.asarray(values, dtype=object)
    out[project[chosen]] = vals[chosen]
    return out


def _group(keys: np.ndarray, passed: np.ndarray, money: np.ndarray, names: Mapping[str, str],
           dimension: str, source: tuple[np.ndarray, np.ndarray, np.ndarray]) -> Breakdown:
    """``source``: per project, participants with a grant, participants with eligible costs only,
    and the money taken from eligible costs."""
    labels, inverse = np.unique(np.array([str(k) if k not in (None, "") else "" for k in keys]),
                                return_inverse=True)
    count = np.bincount(inverse, minlength=len(labels))
    ok = np.bincount(inverse, weights=passed.astype(float), minlength=len(labels))
    total = np.bincount(inverse, weights=money, minlength=len(labels))
    good = np.bincount(inverse, weights=np.where(passed, money, 0.0), minlength=len(labels))
    basis, from_costs = _basis_columns(inverse, len(labels), *source)
    rows = [{"key": label, "name": names.get(label, label) or "Not known",
             "projects": int(count[i]), "compliant_projects": int(ok[i]),
             "project_share": ok[i] / count[i] if count[i] else None,
             "money": float(total[i]), "compliant_money": float(good[i]),
             "money_share": good[i] / total[i] if total[i] else None,
             "money_basis": basis[i], "money_from_eligible_costs": float(from_costs[i])}
            for i, label in enumerate(labels)]
    rows.sort(key=lambda r: (r["key"] == "", -r["money"]) if dimension != "year"
              else (r["key"] == "", r["key"]))
    return Breakdown(dimension=dimension, rows=rows)


def _by_org_type(portfolio, passed_rows, money, source: _MoneySource) -> Breakdown:
    kinds = np.array([t if t != "business" else f"business ({s or 'size not known'})"
                      for t, s in zip(portfolio.org_type, portfolio.size, strict=True)])
    labels, inverse = np.unique(kinds, return_inverse=True)
    count = np.bincount(inverse, minlength=len(labels))
    ok = np.bincount(inverse, weights=passed_rows.astype(float), minlength=len(labels))
    total = np.bincount(inverse, weights=money, minlength=len(labels))
    good = np.bincount(inverse, weights=np.where(passed_rows, money, 0.0), minlength=len(labels))
    basis, from_costs = _basis_columns(inverse, len(labels), source.grant.astype(float),
                                       source.costs.astype(float), source.from_costs)
    rows = [{"key": label, "name": _type_name(label), "projects": int(count[i]),
             "compliant_projects": int(ok[i]), "project_share": ok[i] / count[i],
             "money": float(total[i]), "compliant_money": float(good[i]),
             "money_share": good[i] / total[i] if total[i] else None,
             "money_basis": basis[i], "money_from_eligible_costs": float(from_costs[i])}
            for i, label in enumerate(labels)]
    return Breakdown(dimension="organisation type (participations)",
                     rows=sorted(rows, key=lambda r: -r["money"]))


def _type_name(key: str) -> str:
    """'business (large)' -> 'Business (large)', 'rto' -> 'RTO or Catapult'."""
    kind, _, size = key.partition(" ")
    return TYPE_NAMES.get(kind, kind[:1].upper() + kind[1:]) + (f" {size}" if size else "")


def simulate(portfolio: Portfolio, *, rule_set_id: str,
             parameters: Mapping[str, Any] | None = None) -> SimulationResult:
    rule_set = rule_set_get(rule_set_id=rule_set_id)
    params = parameters_resolve(rule_set=rule_set, overrides=dict(parameters or {}))
    project, keys, costs, money, is_lead = _arrays(portfolio)
    n = len(keys)
    table = _table(portfolio, project, n, costs, is_lead)
    result = evaluate(rule_set=rule_set, table=table, params=params)
    passed = result.passed
    project_money = np.bincount(project, weights=money, minlength=n) if n else np.zeros(0)
    ctx = Context(params=params)
    changes = []
    for check, outcome in result.outcomes:
        failing = ~outcome.passed
        if check.severity == "required" and failing.any():
            changes.append({"id": check.id, "label": check.label_for(ctx), "projects": int(failing.sum()),
                            "money": float(project_money[failing].sum()),
                            "text": check.change(outcome, failing, ctx)})
    lead = {dim: _per_project(getattr(portfolio, dim), project, is_lead, n) for dim in DIMENSIONS}
    # a lead whose district is known but lies in no Combined Authority is not "not known"
    lead["ca"] = np.where((lead["ca"] == "") & (lead["lad"] != ""), NO_CA, lead["ca"])
    names = {**portfolio.area_names, NO_CA: "Not in a Combined Authority"}
    source = _money_source(portfolio)
    per_project = tuple(np.bincount(project, weights=w, minlength=n) if n else np.zeros(0)
                        for w in (source.grant.astype(float), source.costs.astype(float),
                                  source.from_costs))
    breakdowns = [_group(lead[dim], passed, project_money, names, dim, per_project)
                  for dim in DIMENSIONS]
    breakdowns.append(_by_org_type(portfolio, passed[project], money, source))
    return SimulationResult(
        rule_set=rule_set.id, rule_set_title=rule_set.title, version=rule_set.version,
        parameters=params, projects=n, compliant_projects=int(passed.sum()),
        money=float(project_money.sum()), compliant_money=float(project_money[passed].sum()),
        money_basis=money_basis(int(source.grant.sum()), int(source.costs.sum())),
        money_from_eligible_costs=float(source.from_costs.sum()),
        participants=len(portfolio),
        unknown_type_share=float(np.mean([t not in CHECKER_TYPE for t in portfolio.org_type]))
        if len(portfolio) else 0.0,
        unknown_size_share=_unknown_size_share(portfolio),
        changes=changes, breakdowns=breakdowns,
        reach=_reach(portfolio, passed[project], money, source))


def _unknown_size_share(portfolio: Portfolio) -> float:
    business = [s for t, s in zip(portfolio.org_type, portfolio.size, strict=True) if t == "business"]
    return sum(1 for s in business if not s) / len(business) if business else 0.0


def _reach(portfolio: Portfolio, passed_rows: np.ndarray, money: np.ndarray,
           source: _MoneySource) -> list[dict]:
    """Money reaching SMEs and universities: now, and in the projects that would comply."""
    types, sizes = np.asarray(portfolio.org_type), np.asarray(portfolio.size)
    groups = {"SMEs": (types == "business") & np.isin(sizes, ["micro", "small", "medium"]),
              "Universities and research institutes": np.isin(types, ["university", "research"]),
              "RTOs and Catapults": types == "rto",
              "Large businesses": (types == "business") & (sizes == "large")}
    return [{"group": name, "money": float(money[mask].sum()),
             "compliant_money": float(money[mask & passed_rows].sum()),
             "money_basis": money_basis(int(source.grant[mask].sum()), int(source.costs[mask].sum())),
             "money_from_eligible_costs": float(source.from_costs[mask].sum())}
            for name, mask in groups.items()]


@dataclass(frozen=True)
class Provenance:
    """Where a portfolio's figures come from, written on every CSV row (as the atlas's downloads
    write source, vintage and licence)."""

    source: str
    vintage: str
    licence: str


def result_csv(result: SimulationResult, *, provenance: Provenance) -> str:
    """The result as one CSV table: the overall row, then a row per breakdown group; every row
    names the rule set and version applied and the data's source, vintage and licence.

    ``money_gbp`` is the grant where the data give one, otherwise eligible costs: ``money_basis``
    says which for that row ("grant", "eligible costs", "grant where given, otherwise eligible
    costs", "none given") and ``money_from_eligible_costs_gbp`` how much of it is eligible costs."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["rule_set", "version", "dimension", "key", "name", "projects",
                     "compliant_projects", "project_share", "money_gbp", "compliant_money_gbp",
                     "money_share", "money_basis", "money_from_eligible_costs_gbp", "source",
                     "vintage", "licence"])
    tail = [provenance.source, provenance.vintage, provenance.licence]
    writer.writerow([result.rule_set, result.version, "all", "", "All projects", result.projects,
                     result.compliant_projects, _fmt(result.project_share), f"{result.money:.2f}",
                     f"{result.compliant_money:.2f}", _fmt(result.money_share), result.money_basis,
                     f"{result.money_from_eligible_costs:.2f}", *tail])
    for breakdown in result.breakdowns:
        for r in breakdown.rows:
            writer.writerow([result.rule_set, result.version, breakdown.dimension, r["key"],
                             r["name"], r["projects"], r["compliant_projects"],
                             _fmt(r["project_share"]), f"{r['money']:.2f}",
                             f"{r['compliant_money']:.2f}", _fmt(r["money_share"]),
                             r["money_basis"], f"{r['money_from_eligible_costs']:.2f}", *tail])
    return out.getvalue()


def _fmt(value: float | None) -> str:
    return "" if value is None else f"{value:.6f}"
