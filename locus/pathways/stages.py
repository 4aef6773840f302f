"""The commercialisation pathway: six ordered stages from research to productivity."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Stage:
    """One stage of the pathway."""

    id: str
    order: int
    title: str
    question: str


STAGES: tuple[Stage, ...] = (
    Stage("research", 0, "Research base",
          "How much research capacity and funding does the area hold, for its size?"),
    Stage("knowledge_exchange", 1, "Knowledge exchange",
          "How much of that research is worked with business and public partners?"),
    Stage("ip_spinouts", 2, "IP and spin-outs",
          "How much research is turned into licensed IP, patents and spin-off companies?"),
    Stage("formation", 3, "Business formation and scale-up",
          "How readily are firms started, do they survive, and do they grow fast?"),
    Stage("business_rd_finance", 4, "Business R&D and innovation finance",
          "How much do firms invest in R&D, and how much innovation finance reaches them?"),
    Stage("productivity", 5, "Productivity outcome",
          "How much value does the local economy produce per hour and per head?"),
)

STAGE_IDS: tuple[str, ...] = tuple(s.id for s in STAGES)


def stage_get(*, stage_id: str) -> Stage:
    """Return the stage with this id."""
    for stage in STAGES:
        if stage.id == stage_id:
            return stage
    raise KeyError(stage_id)


def stage_upstream(*, stage_id: str) -> tuple[str, ...]:
    """Ids of the stages before this one, in pathway order."""
    order = stage_get(stage_id=stage_id).order
    return tuple(s.id for s in STAGES if s.order < order)
