"""The policy library: cases of both layers, their sources, facets, links, proposals and history."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models

from locus.policy.schema import GEOGRAPHY_LEVEL_LABELS, STAGE_LABELS


class Layer(models.TextChoices):
    LOCAL = "local", "Case library (evidence-rated)"
    STIP = "stip", "International instruments (OECD STIP Compass)"


class Status(models.TextChoices):
    PUBLISHED = "published", "Published"
    DRAFT = "draft", "Draft"


class Origin(models.TextChoices):
    BUNDLED = "bundled", "Bundled with Locus (data/policy/cases)"
    CONTRIBUTED = "contributed", "Proposed by a user and reviewed by an editor"
    IMPORTED = "imported", "Imported from a STIP Compass extract"


class TagKind(models.TextChoices):
    INSTRUMENT = "instrument", "Instrument type"
    THEME = "theme", "Theme"
    TARGET_GROUP = "target_group", "Target group"
    STAGE = "stage", "Pathway stage"


GEOGRAPHY_LEVEL_CHOICES = list(GEOGRAPHY_LEVEL_LABELS.items())
STAGE_CHOICES = list(STAGE_LABELS.items())


class Case(models.Model):
    """One policy case (local layer) or national initiative (STIP layer). '' means unknown."""

    slug = models.SlugField(max_length=80, unique=True)
    layer = models.CharField(max_length=8, choices=Layer.choices, db_index=True)
    origin = models.CharField(max_length=12, choices=Origin.choices)
    status = models.CharField(max_length=10, choices=Status.choices, db_index=True)
    title = models.CharField(max_length=400)
    acronym = models.CharField(max_length=120, blank=True)
    summary = models.TextField(blank=True)
    place = models.CharField(max_length=300, blank=True)
    country = models.CharField(max_length=120, db_index=True)
    country_code = models.CharField(max_length=8, blank=True)
    geography_level = models.CharField(max_length=16, choices=GEOGRAPHY_LEVEL_CHOICES,
                                       db_index=True)
    # Survives a geography reload (codes are stable keys), hence no database constraint.
    area = models.ForeignKey("geography.Area", null=True, blank=True, db_constraint=False,
                             on_delete=models.DO_NOTHING, related_name="+")
    year_start = models.PositiveSmallIntegerField(null=True, blank=True)
    year_end = models.PositiveSmallIntegerField(null=True, blank=True)
    budget = models.JSONField(null=True, blank=True)  # {amount, currency, period, note, source}
    budget_range = models.CharField(max_length=40, blank=True)  # STIP yearly budget range
    scale = models.TextField(blank=True)
    delivery_body = models.TextField(blank=True)
    what_was_done = models.TextField(blank=True)
    evaluation_method = models.TextField(blank=True)
    sms_rating = models.PositiveSmallIntegerField(null=True, blank=True, db_index=True)
    sms_justification = models.TextField(blank=True)
    brief_measure = models.PositiveSmallIntegerField(null=True, blank=True)
    brief_named = models.BooleanField(default=False)
    outcomes = models.JSONField(default=list, blank=True)  # [{statement, source}]
    field_sources = models.JSONField(default=dict, blank=True)
    not_verified = models.JSONField(default=list, blank=True)
    objectives = models.JSONField(default=list, blank=True)  # STIP
    links = models.JSONField(default=list, blank=True)  # STIP web links
    evaluated = models.BooleanField(null=True, blank=True)  # STIP HasBeenEvaluated
    evaluation_links = models.JSONField(default=list, blank=True)
    keywords = models.JSONField(default=list, blank=True)  # STIP tags
    edition = models.PositiveSmallIntegerField(null=True, blank=True)  # STIP survey year
    source_file = models.CharField(max_length=300, blank=True)
    search_keywords = models.TextField(blank=True)
    search_body = models.TextField(blank=True)
    search_vector = SearchVectorField(null=True, blank=True)  # PostgreSQL only
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    reviewed_by_name = models.CharField(max_length=200, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    contributed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                       on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    national_links = models.ManyToManyField("self", through="CaseLink", symmetrical=False,
                                            related_name="linked_from")

    class Meta:
        ordering = ["title"]
        indexes = [models.Index(fields=["layer", "status"]),
                   # the order of results when a search has no words
                   models.Index(fields=["status", "layer", "-sms_rating", "title"],
                                name="policy_case_browse")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_local(self) -> bool:
        return self.layer == Layer.LOCAL

    def tag_codes(self, kind: str) -> list[str]:
        return [t.code for t in self.tags.all() if t.kind == kind]

    @property
    def stages(self) -> list[str]:
        return self.tag_codes(TagKind.STAGE)


class CaseSource(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="sources")
    position = models.PositiveSmallIntegerField()  # the index used by outcomes/field_sources
    publisher = models.CharField(max_length=300)
    title = models.CharField(max_length=500)
    url = models.URLField(max_length=1000)
    date = models.DateField(null=True, blank=True)
    checked = models.DateField(null=True, blank=True)
    note = models.TextField(blank=True)
    # What the source is (locus.policy.evidence.SOURCE_KIND_LABELS); blank for a proposal's source.
    kind = models.CharField(max_length=12, blank=True)
    # When url is a copy held elsewhere: the original's publisher, title and date (ISO or null).
    mirror_of = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["case", "position"]
        constraints = [models.UniqueConstraint(fields=["case", "position"],
                                               name="unique_case_source_position")]

    def __str__(self) -> str:
        return f"{self.publisher}: {self.title}"

    @property
    def kind_name(self) -> str:
        from locus.policy.evidence import SOURCE_KIND_NAMES

        return SOURCE_KIND_NAMES.get(self.kind, "")

    @property
    def mirror_host(self) -> str:
        """The site holding the copy (``url``'s host without ``www.``) when this is a copy."""
        from urllib.parse import urlsplit

        return (urlsplit(self.url).hostname or "").removeprefix("www.") if self.mirror_of else ""

    @property
    def mirror_date(self) -> str:
        """The original's publication date, as a case page shows dates ("5 July 2018")."""
        import datetime as dt

        iso = (self.mirror_of or {}).get("date")
        return dt.date.fromisoformat(iso).strftime("%-d %B %Y") if iso else ""


class CaseTag(models.Model):
    """A facet value of a case: instrument type, theme, target group or pathway stage."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="tags")
    kind = models.CharField(max_length=12, choices=TagKind.choices)
    code = models.CharField(max_length=40)
    inferred = models.BooleanField(default=False)  # stages of STIP initiatives, from themes

    class Meta:
        indexes = [models.Index(fields=["kind", "code"])]
        constraints = [models.UniqueConstraint(fields=["case", "kind", "code"],
                                               name="unique_case_tag")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind}={self.code}"


class TaxonomyTerm(models.Model):
    kind = models.CharField(max_length=12, choices=TagKind.choices)
    code = models.CharField(max_length=40)
    label = models.CharField(max_length=300)

    class Meta:
        ordering = ["kind", "label"]
        constraints = [models.UniqueConstraint(fields=["kind", "code"], name="unique_term")]

    def __str__(self) -> str:
        return f"{self.code} {self.label}"

    @property
    def short_label(self) -> str:
        return self.label.split("|")[-1]


class CaseLink(models.Model):
    """A local case -> the national STIP instrument it is, or drew on."""

    from_case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="outgoing_links")
    to_case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="incoming_links")
    relation = models.CharField(max_length=300)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["from_case", "to_case"],
                                               name="unique_case_link")]

    def __str__(self) -> str:
        return f"{self.from_case_id} -> {self.to_case_id}"


class ProposalKind(models.TextChoices):
    NEW = "new", "New case"
    CORRECTION = "correction", "Correction"


class ProposalStatus(models.TextChoices):
    PENDING = "pending", "Waiting for review"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Not accepted"


class Proposal(models.Model):
    """A signed-in user's proposed case or correction, waiting for an editor."""

    kind = models.CharField(max_length=12, choices=ProposalKind.choices)
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="proposals")
    data = models.JSONField()
    status = models.CharField(max_length=10, choices=ProposalStatus.choices,
                              default=ProposalStatus.PENDING, db_index=True)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                    on_delete=models.SET_NULL, related_name="policy_proposals")
    proposed_at = models.DateTimeField(auto_now_add=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-proposed_at"]
        permissions = [("review_proposal", "Can review proposed policy cases and corrections")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk} ({self.status})"

    @property
    def title(self) -> str:
        if self.kind == ProposalKind.NEW:
            return self.data.get("title", "Untitled case")
        return f"Correction to {self.case.title if self.case else 'a case'}"


class CaseRevision(models.Model):
    """One change to a case: loaded, created from a proposal, corrected."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="revisions")
    at = models.DateTimeField(auto_now_add=True)
    action = models.CharField(max_length=20)  # loaded | updated | created | corrected
    summary = models.TextField()
    changes = models.JSONField(default=dict, blank=True)  # field -> [before, after]
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    actor_name = models.CharField(max_length=200, blank=True)
    proposal = models.ForeignKey(Proposal, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="revisions")

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.action} {self.at:%Y-%m-%d}"


class LearningResource(models.Model):
    slug = models.SlugField(max_length=100, unique=True)
    provider = models.CharField(max_length=300)
    title = models.CharField(max_length=400)
    description = models.TextField(blank=True)
    level = models.CharField(max_length=20, blank=True)
    format = models.CharField(max_length=100, blank=True)
    duration = models.CharField(max_length=200, blank=True)
    cost = models.CharField(max_length=300, blank=True)
    link = models.URLField(max_length=1000)
    audience_roles = models.JSONField(default=list)
    sources = models.JSONField(default=list)
    not_verified = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class LearningPath(models.Model):
    role = models.CharField(max_length=30, unique=True)
    title = models.CharField(max_length=300)
    intro = models.TextField()
    steps = models.JSONField()  # [{resource: slug, why}]
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return self.title
