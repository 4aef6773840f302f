"""Schema for the evidence-rated policy case library (issue 8, policy learning).

Django-free pydantic v2 models that validate the YAML content under ``data/policy/``:
policy cases, learning resources, learning paths and cost-model assumptions. The loader
(``locus.policy.files``) turns a validation error into a ``DataFileError`` that names the
file, line and field; the arithmetic of the cost model lives in ``locus.policy.costs``.

Product rule: no figure without a checked source; unknown fields stay empty
(``None``) and are shown as unknown; a case whose facts cannot be checked is
not published.  The validators below enforce the mechanical part of that rule:
every stated fact-bearing field of a *published* case must name at least one of
the case's sources, every figure (budget, outcome) points at a source, and an
SMS rating needs a justification.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from locus.policy.evidence import SourceKind, is_editorial, mirror_host, rating_problems

GeographyLevel = Literal[
    "neighbourhood", "city", "city_region", "region", "nation", "international"
]
# The six commercialisation-pathway stages, with the ids the atlas engine uses
# (``locus.pathways.stages.STAGE_IDS``; tests/policy checks the two agree).
PathwayStage = Literal[
    "research",
    "knowledge_exchange",
    "ip_spinouts",
    "formation",
    "business_rd_finance",
    "productivity",
]
STAGE_LABELS: dict[str, str] = {
    "research": "Research base",
    "knowledge_exchange": "Knowledge exchange",
    "ip_spinouts": "IP and spin-outs",
    "formation": "Business formation and scale-up",
    "business_rd_finance": "Business R&D and innovation finance",
    "productivity": "Productivity outcome",
}
GEOGRAPHY_LEVEL_LABELS: dict[str, str] = {
    "neighbourhood": "Neighbourhood or site",
    "city": "City",
    "city_region": "City region",
    "region": "Region",
    "nation": "Nation",
    "international": "International",
}
AudienceRole = Literal["ca_policy_officer", "programme_manager", "elected_member", "analyst"]
ROLE_LABELS: dict[str, str] = {
    "ca_policy_officer": "Combined Authority policy officer",
    "programme_manager": "Programme manager",
    "elected_member": "Elected member",
    "analyst": "Analyst",
}
AREA_CODE = r"^[EWSN]\d{8}$"

# Fields of a case that state facts and therefore need a source when filled in.
FACT_FIELDS = (
    "years",
    "scale",
    "delivery_body",
    "what_was_done",
    "evaluation_method",
    "sms_rating",
)
NO_COUNTERFACTUAL = "no counterfactual evaluation found"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class MirrorOf(_Strict):
    """The original document that a copy held on another site reproduces.

    Recorded when the publisher's own page could not be checked and the copy is the best checked
    source; the case page says the cited address is a copy of this document.
    """

    publisher: str = Field(min_length=1)
    title: str = Field(min_length=1)
    date: dt.date | None = None  # the original's publication date, if the copy shows it


class Source(_Strict):
    """A public source, recorded exactly as returned by the search tool.

    ``note`` is shown to readers beside the source; ``maintainer_note`` (what an audit confirmed,
    how a copy was found) stays in the data file for maintainers and is never loaded or shown.
    ``kind`` says what sort of source it is (``locus.policy.evidence.SOURCE_KIND_LABELS``); the
    sources a rating cites must have one, and every source of a case must have one.
    ``mirror_of`` names the original document when ``url`` is a copy held elsewhere; a source on a
    known mirror host (``locus.policy.evidence.MIRROR_HOSTS``) must have it.
    """

    publisher: str = Field(min_length=1)
    title: str = Field(min_length=1)
    url: str = Field(pattern=r"^https?://\S+$")
    date: dt.date | None = None  # publication date if shown, else unknown
    checked: dt.date
    kind: SourceKind | None = None
    mirror_of: MirrorOf | None = None
    # where in the document the figure a reader relies on is: a page, section or paragraph
    # (required on a cost-model input's sources, see ``locus.policy.files``)
    section: str | None = None
    note: str | None = None
    maintainer_note: str | None = None

    @model_validator(mode="after")
    def _mirror(self) -> Source:
        host = mirror_host(self.url)
        if host and self.mirror_of is None:
            raise ValueError(f"{self.url} is a copy held on {host}: record the original document "
                             "in mirror_of (publisher, title, date) or cite the publisher's page")
        return self

    @field_validator("note")
    @classmethod
    def _public_note(cls, value: str | None) -> str | None:
        if is_editorial(value):
            raise ValueError("note is shown to readers: move editorial text (audits, how a copy "
                             "was found) to maintainer_note")
        return value

    def public(self) -> dict:
        """The fields a reader may see."""
        return self.model_dump(mode="json", exclude={"maintainer_note"})


class CodeLabel(_Strict):
    code: str
    label: str


class Years(_Strict):
    start: int | None = Field(default=None, ge=1900, le=2100)
    end: int | None = Field(default=None, ge=1900, le=2100)  # None: ongoing or unknown

    @model_validator(mode="after")
    def _order(self) -> Years:
        if self.start and self.end and self.end < self.start:
            raise ValueError("years.end is before years.start")
        return self


class Budget(_Strict):
    amount: float = Field(gt=0)
    currency: str = Field(pattern=r"^[A-Z]{3}$")
    period: str | None = None
    note: str | None = None
    source: int = Field(ge=0)  # index into PolicyCase.sources


class Outcome(_Strict):
    statement: str = Field(min_length=5)
    source: int = Field(ge=0)


class NationalLink(_Strict):
    """A national instrument in the STIP Compass layer that this case is, or drew on."""

    stip_id: str = Field(pattern=r"^stip-\d{4}-\d+$")  # e.g. stip-2021-4451
    relation: str = Field(min_length=5)  # in plain words, e.g. "the same programme in STIP"


class PolicyCase(_Strict):
    slug: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    title: str
    summary: str = Field(min_length=40)
    place: str
    country: str
    geography_level: GeographyLevel
    # The smallest area in Locus's geography (nation, region, CA or LAD) containing the place.
    area_code: str | None = Field(default=None, pattern=AREA_CODE)
    years: Years | None = None
    instrument_types: list[CodeLabel] = []
    themes: list[CodeLabel] = []
    target_groups: list[CodeLabel] = []
    budget: Budget | None = None
    scale: str | None = None
    delivery_body: str | None = None
    what_was_done: str | None = None
    outcomes: list[Outcome] = []
    evaluation_method: str | None = None
    sms_rating: int | None = Field(default=None, ge=1, le=5)
    sms_justification: str | None = None
    pathway_stages: list[PathwayStage] = []
    brief_measure: int | None = Field(default=None, ge=1, le=4)
    brief_named: bool = False
    national_programmes: list[NationalLink] = []
    status: Literal["published", "draft"]
    field_sources: dict[str, list[int]] = {}
    not_verified: list[str] = []  # shown to readers as "What we could not check"
    maintainer_notes: list[str] = []  # editorial history, kept in the file, never loaded or shown
    sources: list[Source] = Field(min_length=1)

    @field_validator("not_verified")
    @classmethod
    def _public_unknowns(cls, value: list[str]) -> list[str]:
        editorial = [item for item in value if is_editorial(item)]
        if editorial:
            raise ValueError("not_verified is shown to readers: move editorial history to "
                             f"maintainer_notes ({editorial[0][:60]}...)")
        return value

    @model_validator(mode="after")
    def _checks(self) -> PolicyCase:
        n = len(self.sources)
        idx = [o.source for o in self.outcomes]
        idx += [self.budget.source] if self.budget else []
        idx += [i for v in self.field_sources.values() for i in v]
        bad = [i for i in idx if i >= n]
        if bad:
            raise ValueError(f"source index out of range {bad} (case has {n} sources)")
        unknown = set(self.field_sources) - set(FACT_FIELDS)
        if unknown:
            raise ValueError(f"field_sources names unknown fields {sorted(unknown)}")
        for code_list, prefix in (
            (self.instrument_types, "PI"),
            (self.themes, "TH"),
            (self.target_groups, "TG"),
        ):
            for c in code_list:
                if not c.code.startswith(prefix):
                    raise ValueError(f"code {c.code} should start with {prefix}")
        if self.sms_rating is not None and not self.sms_justification:
            raise ValueError("sms_rating given without sms_justification")
        unkinded = [i for i, source in enumerate(self.sources) if source.kind is None]
        if unkinded:
            raise ValueError(f"sources {unkinded} have no kind: say what each source is "
                             "(locus.policy.evidence.SOURCE_KIND_LABELS)")
        problems = rating_problems(rating=self.sms_rating, field_sources=self.field_sources,
                                   kinds=[s.kind for s in self.sources])
        if problems:
            raise ValueError(f"evidence rating {self.sms_rating} is not consistent with its "
                             f"sources: {'; '.join(problems)}")
        if self.status == "published":
            missing = [
                f
                for f in FACT_FIELDS
                if getattr(self, f) is not None and not self.field_sources.get(f)
            ]
            if missing:
                raise ValueError(f"published case states unsourced facts: {missing}")
        return self

    def unknown_fields(self) -> list[str]:
        """Fields shown as 'unknown' in the UI."""
        names = ("years", "budget", "scale", "delivery_body", "evaluation_method", "sms_rating")
        return [f for f in names if getattr(self, f) is None]


class LearningResource(_Strict):
    slug: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    provider: str
    title: str
    description: str | None = None
    level: Literal["introductory", "intermediate", "advanced"] | None = None
    format: str | None = None  # e.g. course, guide, toolkit, database, programme
    duration: str | None = None
    cost: str | None = None
    link: str = Field(pattern=r"^https?://\S+$")
    audience_roles: list[AudienceRole] = Field(min_length=1)
    status: Literal["published", "draft"] = "published"
    field_sources: dict[str, list[int]] = {}
    not_verified: list[str] = []
    sources: list[Source] = Field(min_length=1)

    @model_validator(mode="after")
    def _checks(self) -> LearningResource:
        n = len(self.sources)
        for name, ids in self.field_sources.items():
            if any(i >= n for i in ids):
                raise ValueError(f"{self.slug}: field_sources[{name}] index out of range")
        for name in ("duration", "cost"):
            if getattr(self, name) is not None and not self.field_sources.get(name):
                raise ValueError(f"{self.slug}: {name} stated without a source")
        return self


class CostAssumption(_Strict):
    key: str = Field(pattern=r"^[a-z0-9_]+$")
    measure: int = Field(ge=1, le=4)
    label: str
    value: float = Field(ge=0)
    unit: str
    low: float = Field(ge=0)
    high: float = Field(ge=0)
    basis: Literal["source", "derived", "assumption"]
    reason: str | None = None
    sources: list[Source] = []

    @model_validator(mode="after")
    def _checks(self) -> CostAssumption:
        if not self.low <= self.value <= self.high:
            raise ValueError(f"{self.key}: value must lie within [low, high]")
        if self.basis in ("source", "derived") and not self.sources:
            raise ValueError(f"{self.key}: basis '{self.basis}' needs at least one source")
        if self.basis in ("derived", "assumption") and not self.reason:
            raise ValueError(f"{self.key}: basis '{self.basis}' needs a plain-words reason")
        return self


# A benchmark's standing: what sort of document its figure rests on (docs/methodology/policy.md).
BENCHMARK_STANDING = {
    "primary": "the programme's, funder's or buyer's own document: an evaluation, an official "
               "record (a parliamentary statement, a decision, a procurement notice) or the "
               "programme's or delivery body's own page",
    "secondary": "someone else's report of the figure: news, a blog, commentary or a copy of "
                 "either",
}


class Benchmark(CostAssumption):
    """A cost of a comparable programme, shown beside the model for comparison (never an input).

    ``standing`` says whether the figure rests on a primary or a secondary source
    (``BENCHMARK_STANDING``). A secondary benchmark must carry a ``caution`` in plain words, shown
    beside it, saying what it rests on and why to treat it carefully; a primary one may have one
    too (for example, a tender's estimated value is not money spent). Every source of a benchmark
    says where in it the figure is (``section``), as the model's sourced inputs do.
    """

    standing: Literal["primary", "secondary"]
    caution: str | None = None

    @model_validator(mode="after")
    def _standing(self) -> Benchmark:
        if self.standing == "secondary" and not (self.caution and len(self.caution) >= 40):
            raise ValueError(f"{self.key}: a benchmark resting on a secondary source needs a "
                             "caution in plain words (at least 40 characters) saying what it "
                             "rests on and why to treat it carefully")
        if self.basis == "assumption":
            raise ValueError(f"{self.key}: a benchmark is a cited figure: basis must be 'source' "
                             "or 'derived'")
        missing = [s.publisher for s in self.sources if not s.section]
        if missing:
            raise ValueError(f"{self.key}: say where in each source the figure is (give each "
                             f"source a 'section'); missing for {', '.join(missing)}")
        return self


class PathStep(_Strict):
    resource: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    why: str = Field(min_length=10)


class LearningPath(_Strict):
    role: AudienceRole
    title: str
    intro: str = Field(min_length=20)
    steps: list[PathStep] = Field(min_length=2)


def load_case(path: Path) -> PolicyCase:
    return PolicyCase.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


def load_cases(directory: Path) -> list[PolicyCase]:
    return [load_case(p) for p in sorted(directory.glob("*.yaml"))]


def load_resources(path: Path) -> list[LearningResource]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [LearningResource.model_validate(r) for r in data["resources"]]


def load_learning_paths(path: Path) -> list[LearningPath]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [LearningPath.model_validate(p) for p in data["paths"]]


def load_cost_assumptions(path: Path) -> dict[str, CostAssumption]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    items = [CostAssumption.model_validate(a) for a in data["assumptions"]]
    return {a.key: a for a in items}
