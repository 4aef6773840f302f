"""Peer groups: form them with the engine (`locus.grouping`), add late joiners, rebalance after
drop-outs, move or lock firms by hand, assign facilitators."""

from __future__ import annotations

import dataclasses

from django.contrib.auth.models import Group as RoleGroup
from django.db import transaction
from django.utils import timezone

import locus.grouping as engine
from locus.accounts.roles import Role
from locus.errors import GroupingError
from locus.grouping.problem import Mode, Participant, Problem, Settings
from locus.peers.errors import GroupsInfeasibleError, PeersFieldError
from locus.peers.explain import (
    Member,
    diagnosis_message,
    group_explain,
)
from locus.peers.models import Facilitator, Firm, FormationRun, PeerGroup, Programme
from locus.peers.models.firms import Arm
from locus.peers.models.programme import GroupMode, RunKind

_MODES = {"either": Mode.EITHER, "online": Mode.ONLINE, "in_person": Mode.IN_PERSON}


def grouping_settings(*, programme: Programme, **overrides) -> Settings:
    values = {"min_size": programme.group_min_size, "max_size": programme.group_max_size,
              "max_km": programme.max_km, "competitor_km": programme.competitor_km,
              "sector_cap": programme.sector_cap, "time_limit": programme.time_limit_seconds,
              "seed": 1, "num_workers": 2, "allow_unplaced": True}
    values.update(overrides)
    return Settings(**values)


def _pool(programme: Programme):
    return (Firm.objects.filter(programme=programme, eligible=True, arm=Arm.PARTICIPANT,
                                withdrawn_at__isnull=True)
            .select_related("group").prefetch_related("themes", "avoid").order_by("pk"))


def _participant(firm: Firm, ids: set[str], locked: str | None) -> Participant:
    return Participant(
        id=str(firm.pk), name=firm.name, sic=firm.sic, employees=firm.employees,
        lat=firm.lat, lon=firm.lon, postcode=firm.postcode,
        themes=frozenset(t.name for t in firm.themes.all()),
        mode=_MODES.get(firm.meeting_mode, Mode.EITHER),
        avoid=frozenset(str(o.pk) for o in firm.avoid.all() if str(o.pk) in ids),
        locked_group=locked)


def _problem(firms: list[Firm], locked: dict[int, str]) -> Problem:
    ids = {str(f.pk) for f in firms}
    return Problem(participants=tuple(_participant(f, ids, locked.get(f.pk)) for f in firms))


def _member(firm: Firm) -> Member:
    return Member(id=str(firm.pk), sic=firm.sic, employees=firm.employees, lat=firm.lat,
                  lon=firm.lon, themes=frozenset(t.name for t in firm.themes.all()),
                  locked=firm.group_locked)


def _engine_explain(programme: Programme, firms: list[Firm]) -> dict[str, dict]:
    """The engine's own explanation of today's groups (per group and per firm), by label."""
    try:
        from locus.grouping.explain import groups_explain
    except ImportError:
        return {}
    current, modes = _current(firms)
    members: dict[str, list[str]] = {}
    for pid, label in current.items():
        members.setdefault(label, []).append(pid)
    solution = engine.Solution(
        groups=tuple(engine.Group(label=label, mode=modes[label], members=tuple(ids))
                     for label, ids in sorted(members.items())),
        unplaced=tuple(engine.Unplaced(id=str(f.pk), reason="not in a group")
                       for f in firms if not f.group_id),
        objective=0.0, bound=0.0, gap=0.0, seconds=0.0, status="FEASIBLE")
    try:
        expl = groups_explain(problem=_problem(firms, {}), settings=grouping_settings(
            programme=programme), solution=solution)
    except (GroupingError, ValueError, KeyError):
        return {}
    # Facts only: the sentences are made when shown (locus.peers.explain.engine_firm_reasons,
    # engine_match).
    firm_facts = {f.id: {"facts": [dict(x) for x in f.facts], "alternative": f.best_alternative}
                  for f in expl.firms if f.group}
    settings = grouping_settings(programme=programme)
    n_groups = len(expl.groups)
    return {g.label: {"facts": {**_group_facts(g), "n_groups": n_groups,
                                "sector_cap": settings.sector_cap, "limit_km": settings.max_km},
                      "fairness_rank": g.fairness_rank, "mean_pair_cost": g.mean_pair_cost,
                      "costs": g.costs,
                      "firms": {pid: firm_facts.get(pid) for pid in g.members}}
            for g in expl.groups}


def _group_facts(g) -> dict:
    """The engine's facts about a group, from its GroupExplanation. Pages show the mismatch
    figure and rank (`locus.peers.explain.engine_match`); the rest is kept as a record of the
    group as the engine saw it (the engine's one-line summary is not made from it: ADR 21)."""
    return {"label": g.label, "mode": g.mode, "size": g.size,
            "shared_themes": dict(g.shared_themes), "pairs_sharing_theme": g.pairs_sharing_theme,
            "pairs": g.pairs, "employees_min": g.employees_min, "employees_max": g.employees_max,
            "divisions": dict(g.divisions), "divisions_over_cap": list(g.divisions_over_cap),
            "furthest_km": g.furthest_km, "repeat_pairs": len(g.repeat_pairs),
            "mean_pair_cost": g.mean_pair_cost, "fairness_rank": g.fairness_rank}


def groups_explanations_compute(*, programme: Programme) -> dict[int, dict]:
    """Every group's explanation worked out from its members today, by group pk: the facts about
    the group and the engine's facts (per group and per firm). Computes only; saves nothing."""
    firms = list(_pool(programme))
    engine_facts = _engine_explain(programme, firms)
    by_group: dict[int, list[Firm]] = {}
    for f in firms:
        if f.group_id:
            by_group.setdefault(f.group_id, []).append(f)
    return {group.pk: {
        **group_explain(members=[_member(f) for f in by_group.get(group.pk, [])], mode=group.mode,
                        sector_cap=programme.sector_cap, max_km=programme.max_km,
                        competitor_km=programme.competitor_km),
        "engine": engine_facts.get(group.label)}
        for group in programme.groups.only("pk", "label", "mode")}


def groups_refresh_explanations(*, programme: Programme) -> None:
    """Recompute and save every group's explanation from its members (after forming or moving,
    never when a page is shown)."""
    for pk, explanation in groups_explanations_compute(programme=programme).items():
        PeerGroup.objects.filter(pk=pk).update(explanation=explanation)


def _current(firms: list[Firm]) -> tuple[dict[str, str], dict[str, str]]:
    """Today's groups for the engine: participant id -> label, and label -> mode."""
    current = {str(f.pk): f.group.label for f in firms if f.group_id}
    modes = {f.group.label: "online" if f.group.mode == GroupMode.ONLINE else "in_person"
             for f in firms if f.group_id}
    return current, modes


def _incremental(kind: str):
    """The engine's late-joiner / rebalance function, or None if this engine lacks it."""
    try:
        from locus.grouping import incremental
    except ImportError:
        return None
    name = {RunKind.LATE: "groups_add_late_joiners", RunKind.REBALANCE: "groups_rebalance"}
    return getattr(incremental, name.get(kind, ""), None)


def _solve(kind: str, firms: list[Firm], locked: dict[int, str], settings: Settings):
    """Call the engine. Late joiners and rebalancing use its incremental functions (current
    groups passed in, hand locks kept); an engine without them gets groups_form with the kept
    firms locked and leftovers placed into groups with room first."""
    try:
        incremental = _incremental(kind)
        if incremental is not None:
            hand = {f.pk: f.group.label for f in firms if f.group_locked and f.group_id}
            current, modes = _current(firms)
            return incremental(problem=_problem(firms, hand), settings=settings,
                               current=current, modes=modes)
        return engine.groups_form(problem=_problem(firms, locked), settings=settings,
                                  prefer_existing=kind != RunKind.FORM)
    except engine.GroupingInfeasibleError as exc:
        names = {str(f.pk): f.name for f in firms}
        diagnoses = [{"code": d.constraint, "facts": _plain(d.facts), "message": d.message,
                      "firm_ids": [int(i) for i in d.participant_ids]} for d in exc.diagnoses]
        raise GroupsInfeasibleError(
            "The groups could not be formed. " + " ".join(
                diagnosis_message(d, names) for d in diagnoses), diagnoses=diagnoses) from None
    except GroupingError as exc:
        raise PeersFieldError(f"The groups could not be formed: {exc}", field="settings") \
            from None


def _plain(value):
    """JSON-ready copy of engine facts (tuples become lists, numpy numbers plain numbers)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if hasattr(value, "item"):
        return value.item()
    return value


@transaction.atomic
def _apply(programme: Programme, kind: str, firms: list[Firm], solution, settings: Settings,
           user) -> FormationRun:
    now = timezone.now()
    by_id = {str(f.pk): f for f in firms}
    existing = {g.label: g for g in programme.groups.all()}
    cohort = programme.cohorts.first()
    touched = []
    for sg in solution.groups:
        group = existing.get(sg.label)
        # The engine's "in_person" group can meet in person; it alternates with online meetings
        # unless a member said it can only meet in person (then every meeting is in person).
        mode = GroupMode.ONLINE if sg.mode != "in_person" else GroupMode.IN_PERSON if any(
            by_id[pid].meeting_mode == "in_person" for pid in sg.members if pid in by_id
        ) else GroupMode.ALTERNATING
        if group is None:
            group = PeerGroup.objects.create(programme=programme, cohort=cohort, label=sg.label,
                                             mode=mode)
        elif not group.meetings.exists():
            group.mode = mode
            group.save(update_fields=["mode"])
        touched.append(group)
        ids = [int(pid) for pid in sg.members]
        Firm.objects.filter(pk__in=ids, grouped_at__isnull=True).update(grouped_at=now)
        Firm.objects.filter(pk__in=ids).update(group=group)
    placed = {pid for sg in solution.groups for pid in sg.members}
    Firm.objects.filter(pk__in=[int(p) for p in by_id if p not in placed]).update(
        group=None, group_locked=False)
    for group in existing.values():
        if group not in touched and not group.meetings.exists():
            group.delete()
    groups_refresh_explanations(programme=programme)
    return FormationRun.objects.create(
        programme=programme, kind=kind, created_by=user if user and user.pk else None,
        settings={k: v for k, v in dataclasses.asdict(settings).items()},
        n_firms=len(firms), n_groups=len(solution.groups),
        unplaced=[{"firm_id": int(u.id), "name": by_id[u.id].name, "reason": u.reason,
                   "code": u.code, "facts": _plain(u.facts)} for u in solution.unplaced],
        objective=solution.objective, bound=solution.bound, gap=solution.gap,
        status=solution.status, seconds=solution.seconds)


def groups_form_programme(*, programme: Programme, user=None, **overrides) -> FormationRun:
    """Form groups from every eligible participant; hand locks are kept. Refused once any
    group has meetings (use late joiners or rebalance then)."""
    if programme.groups.filter(meetings__isnull=False).exists():
        raise PeersFieldError("Some groups already have meetings. Add late joiners or rebalance "
                              "instead of forming the groups again", field="settings")
    settings = grouping_settings(programme=programme, **overrides)
    firms = list(_pool(programme))
    if len(firms) < settings.min_size:
        raise PeersFieldError(f"There are {len(firms)} eligible firms; a group needs at least "
                              f"{settings.min_size}", field="settings")
    locked = {f.pk: f.group.label for f in firms if f.group_locked and f.group_id}
    solution = _solve(RunKind.FORM, firms, locked, settings)
    return _apply(programme, RunKind.FORM, firms, solution, settings, user)


def groups_add_late_joiners(*, programme: Programme, user=None) -> FormationRun:
    """Place eligible firms not yet in a group, keeping every current member where they are."""
    settings = grouping_settings(programme=programme)
    firms = list(_pool(programme))
    locked = {f.pk: f.group.label for f in firms if f.group_id}
    if len(locked) == len(firms):
        raise PeersFieldError("Every eligible firm is already in a group", field="settings")
    solution = _solve(RunKind.LATE, firms, locked, settings)
    return _apply(programme, RunKind.LATE, firms, solution, settings, user)


def groups_rebalance(*, programme: Programme, user=None) -> FormationRun:
    """After drop-outs: groups below the minimum size are dissolved and their members (and any
    ungrouped firms) re-placed, preferring groups with room; other groups keep their members."""
    settings = grouping_settings(programme=programme)
    firms = list(_pool(programme))
    sizes: dict[int, int] = {}
    for f in firms:
        if f.group_id:
            sizes[f.group_id] = sizes.get(f.group_id, 0) + 1
    locked = {f.pk: f.group.label for f in firms
              if f.group_id and (sizes[f.group_id] >= settings.min_size or f.group_locked)}
    solution = _solve(RunKind.REBALANCE, firms, locked, settings)
    return _apply(programme, RunKind.REBALANCE, firms, solution, settings, user)


@transaction.atomic
def firm_move(*, firm: Firm, group: PeerGroup | None, lock: bool = True) -> list[str]:
    """Move a firm by hand (and lock it there); returns warnings a manager should read."""
    programme = firm.programme
    warnings: list[str] = []
    old = firm.group
    if group is not None:
        if group.programme_id != programme.pk:
            raise PeersFieldError("Choose a group of the same programme", field="group")
        if firm.arm != Arm.PARTICIPANT or firm.withdrawn_at or not firm.eligible:
            raise PeersFieldError(f"{firm.name} is not an eligible, active participant",
                                  field="group")
        apart = list(group.firms.filter(pk__in=firm.avoid.values("pk")).values_list(
            "name", flat=True))
        if apart:
            raise PeersFieldError(f"{firm.name} must be kept apart from {', '.join(apart)} in "
                                  f"group {group.label} (declared on the firm's page)",
                                  field="group")
        size = group.firms.filter(withdrawn_at__isnull=True).exclude(pk=firm.pk).count()
        if size >= programme.group_max_size:
            raise PeersFieldError(f"Group {group.label} already has {size} members, the maximum",
                                  field="group")
        rivals = group.firms.filter(sic__startswith=firm.sic[:4]).exclude(pk=firm.pk)
        if rivals.exists():
            warnings.append(f"{firm.name} shares SIC class {firm.sic[:4]} with "
                            + ", ".join(r.name for r in rivals) + ": check they do not compete")
    firm.group = group
    firm.group_locked = lock and group is not None
    if group is not None and firm.grouped_at is None:
        firm.grouped_at = timezone.now()
    firm.save(update_fields=["group", "group_locked", "grouped_at"])
    if old is not None or group is not None:
        groups_refresh_explanations(programme=programme)
    return warnings


def firm_lock(*, firm: Firm, locked: bool) -> Firm:
    if locked and not firm.group_id:
        raise PeersFieldError("Only a firm in a group can be locked", field="group")
    firm.group_locked = locked
    firm.save(update_fields=["group_locked"])
    groups_refresh_explanations(programme=firm.programme)
    return firm


@transaction.atomic
def group_assign_facilitator(*, group: PeerGroup, user) -> PeerGroup:
    if user is None:
        group.facilitator = None
    else:
        if not user.groups.filter(name=Role.FACILITATOR.value).exists():
            user.groups.add(RoleGroup.objects.get_or_create(name=Role.FACILITATOR.value)[0])
        facilitator, _ = Facilitator.objects.get_or_create(
            # the person's own name or nothing: never the username (see Facilitator.shown_name)
            user=user, defaults={"name": user.get_full_name().strip()})
        group.facilitator = facilitator
    group.save(update_fields=["facilitator"])
    return group


def group_set_mode(*, group: PeerGroup, mode: str) -> PeerGroup:
    if mode not in GroupMode.values:
        raise PeersFieldError("Choose how the group meets", field="mode")
    group.mode = mode
    group.save(update_fields=["mode"])
    groups_refresh_explanations(programme=group.programme)
    return group
