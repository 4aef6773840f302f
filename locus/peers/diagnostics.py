"""The diagnostic survey: a management-practices score on the ONS MES approach and a
digital-adoption index. Pure functions (no database).

Management practices follow the structure of the ONS Management and Expectations Survey: four
areas (continuous improvement, KPIs, targets, employment practices), every item scored 0–1, an
area score the mean of its items and the overall score the mean of all ten items. Follow-up
questions that are skipped because a firm has no KPIs or no targets score 0, not missing (the
correction ONS made in July 2024). See docs/methodology/peer-outcomes.md.
"""

from __future__ import annotations

from dataclasses import dataclass

from locus.errors import PeersError

INSTRUMENT = "locus-mes-1"


@dataclass(frozen=True)
class Question:
    key: str
    area: str
    text: str
    options: tuple[tuple[str, str, float], ...]  # (value, label, score)
    skip_if: tuple[str, str] | None = None  # (gate question, answer) that skips this one

    def score(self, value: str) -> float:
        for option, _label, points in self.options:
            if option == value:
                return points
        raise PeersError(f"{value!r} is not an answer to {self.key!r}")


_REVIEW = (("yearly", "Once a year or less often", 0.0), ("quarterly", "Every quarter", 1 / 3),
           ("monthly", "Every month", 2 / 3), ("weekly", "Every week or more often", 1.0))

MANAGEMENT_QUESTIONS: tuple[Question, ...] = (
    Question("ci_problems", "continuous_improvement",
             "When a problem arises in how you make or deliver your products or services, what "
             "usually happens?",
             (("nothing", "Nothing is done", 0.0),
              ("fixed", "We fix it but take no further action", 1 / 3),
              ("prevent", "We fix it and act to stop it happening again", 2 / 3),
              ("continuous", "We fix it, act to stop it happening again, and review our "
                             "processes regularly to find problems before they arise", 1.0))),
    Question("kpi_count", "kpis",
             "How many key performance indicators (KPIs) does the business monitor, such as "
             "sales, costs, quality or delivery times?",
             (("none", "None", 0.0), ("1-2", "1 or 2", 1 / 3), ("3-9", "3 to 9", 2 / 3),
              ("10+", "10 or more", 1.0))),
    Question("kpi_review_managers", "kpis", "How often do managers review the KPIs?", _REVIEW,
             skip_if=("kpi_count", "none")),
    Question("kpi_review_staff", "kpis", "How often do other staff see or review the KPIs?",
             _REVIEW, skip_if=("kpi_count", "none")),
    Question("targets_timeframe", "targets", "What time frame do the business's main targets have?",
             (("none", "We have no targets", 0.0),
              ("short", "Short term only (up to a year)", 1 / 3),
              ("long", "Long term only (more than a year)", 2 / 3),
              ("both", "Both short and long term, linked to each other", 1.0))),
    Question("targets_stretch", "targets", "How hard are the targets to achieve?",
             (("easy", "Possible with little or no effort", 0.0),
              ("some", "Possible with some effort", 1 / 3),
              ("normal", "Possible with normal effort", 2 / 3),
              ("stretch", "Possible with more than normal effort", 1.0),
              ("extreme", "Only possible with extraordinary effort", 0.5)),
             skip_if=("targets_timeframe", "none")),
    Question("targets_awareness", "targets", "Who knows what the targets are?",
             (("senior", "Only senior managers", 0.0), ("managers", "Most managers", 1 / 3),
              ("some_staff", "Most managers and some staff", 2 / 3),
              ("all", "All managers and staff", 1.0)),
             skip_if=("targets_timeframe", "none")),
    Question("promotion", "employment", "On what basis are people promoted?",
             (("other", "Mainly on things other than performance, such as length of service",
               0.0),
              ("partly", "Partly on performance and ability, partly on other things", 0.5),
              ("merit", "Solely or mainly on performance and ability", 1.0))),
    Question("underperformance", "employment",
             "When someone underperforms, how soon is it addressed (retraining, a new role or "
             "leaving)?",
             (("never", "Rarely or never", 0.0), ("after6", "After 6 months or more", 0.5),
              ("within6", "Within 6 months", 1.0),
              ("none", "Nobody has underperformed", 0.0))),
    Question("training", "employment", "How many staff had formal training in the last year?",
             (("none", "None", 0.0), ("some", "Some", 1 / 3), ("most", "Most", 2 / 3),
              ("all", "All or almost all", 1.0))),
)

AREAS = {"continuous_improvement": "Continuous improvement", "kpis": "Key performance indicators",
         "targets": "Targets", "employment": "Employment practices"}

# Technologies aligned to the MES 2023 technology module and N-ADiTS categories.
TECHNOLOGIES: tuple[tuple[str, str], ...] = (
    ("cloud", "Cloud computing (software or storage used over the internet)"),
    ("ecommerce", "Selling online (e-commerce)"),
    ("accounting", "Accounting or enterprise resource planning (ERP) software"),
    ("crm", "Customer relationship management (CRM) software"),
    ("analytics", "Data analytics or business intelligence"),
    ("ai", "Artificial intelligence, including generative AI"),
    ("iot", "Sensors or connected devices (internet of things)"),
    ("automation", "Robotics or process automation"),
    ("cyber", "Cyber security certification (such as Cyber Essentials)"),
    ("remote", "Video calls and shared online workspaces"),
)
ADOPTION = (("no", "Not used", 0.0), ("trying", "Trying out or planning", 0.5),
            ("yes", "In regular use", 1.0))


@dataclass(frozen=True)
class Scores:
    management: float
    areas: dict[str, float]
    digital: float


def _skipped(question: Question, answers: dict[str, str]) -> bool:
    return question.skip_if is not None and answers.get(question.skip_if[0]) == question.skip_if[1]


def management_score(answers: dict[str, str]) -> tuple[float, dict[str, float]]:
    """Overall score and area scores, 0–1. Skipped follow-ups score 0 (ONS 2024 correction)."""
    items: dict[str, list[float]] = {area: [] for area in AREAS}
    for q in MANAGEMENT_QUESTIONS:
        if _skipped(q, answers):
            items[q.area].append(0.0)
            continue
        value = answers.get(q.key)
        if value in (None, ""):
            raise PeersError(f"Answer the question: {q.text}")
        items[q.area].append(q.score(value))
    every = [s for scores in items.values() for s in scores]
    areas = {area: sum(s) / len(s) for area, s in items.items()}
    return sum(every) / len(every), areas


def digital_index(answers: dict[str, str]) -> float:
    """Mean adoption over the technologies: in regular use 1, trying or planning 0.5, not used 0."""
    points = {value: score for value, _label, score in ADOPTION}
    total = 0.0
    for key, label in TECHNOLOGIES:
        value = answers.get(f"tech_{key}")
        if value not in points:
            raise PeersError(f"Say whether the business uses: {label}")
        total += points[value]
    return total / len(TECHNOLOGIES)


def diagnostic_score(*, answers: dict[str, str]) -> Scores:
    management, areas = management_score(answers)
    return Scores(management=management, areas=areas, digital=digital_index(answers))


def answers_clean(*, answers: dict[str, str]) -> dict[str, str]:
    """Keep only known questions; drop follow-ups that the gate question skips."""
    known = {q.key for q in MANAGEMENT_QUESTIONS} | {f"tech_{k}" for k, _ in TECHNOLOGIES}
    clean = {k: v for k, v in answers.items() if k in known and v not in (None, "")}
    for q in MANAGEMENT_QUESTIONS:
        if _skipped(q, clean):
            clean.pop(q.key, None)
    return clean
