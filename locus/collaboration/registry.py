"""The organisation registry: turn what a source says about organisations into registry records.

Used inside a load's transaction: ``RegistryWriter(dataset)`` resolves each incoming record
against every organisation already known (identifiers, names, reviewer decisions), creates new
organisations, fills gaps in matched ones, records the alias and queues uncertain matches.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from locus.collaboration.models import (
    Dataset,
    MatchDecision,
    MatchReview,
    Organisation,
    OrganisationAlias,
    OrgType,
)
from locus.collaboration.resolution import (
    Candidate,
    Resolver,
    company_number_normalise,
    name_normalise,
)
from locus.geography.models import Area, Level
from locus.geography.postcodes import default_index

# A source's own statement of type beats a guess from the name.
TYPE_STRENGTH = {"source": 2, "name": 1, "": 0}


@dataclass
class OrgRecord:
    name: str
    gtr_id: str | None = None
    ukprn: str | None = None
    company_number: str | None = None
    org_type: str = ""
    type_basis: str = ""
    type_strength: str = ""  # "source" | "name" | ""
    size: str = ""
    size_basis: str = ""
    postcode: str = ""
    lat: float | None = None
    lon: float | None = None
    lad_code: str | None = None
    region_name: str = ""
    country: str = ""
    place_basis: str = ""
    topics: str = ""
    aliases: tuple[str, ...] = ()


class Places:
    """LAD code or name -> (LAD, ITL3, CA) areas, and postcodes -> LAD codes via the geocoder."""

    def __init__(self) -> None:
        lads = Area.objects.filter(level=Level.LAD).select_related("parent", "combined_authority")
        self.by_code = {a.code: a for a in lads}
        self.by_name = {a.name.lower(): a for a in lads}

    def areas(self, lad_code: str | None) -> tuple[Area | None, Area | None, Area | None]:
        lad = self.by_code.get(lad_code or "")
        if lad is None:
            return None, None, None
        return lad, lad.parent, lad.combined_authority

    def lad_code_for_name(self, name: str | None) -> str | None:
        area = self.by_name.get((name or "").strip().lower())
        return area.code if area else None

    @staticmethod
    def geocode(records: Iterable[OrgRecord]) -> None:
        """Fill lad_code, lat, lon from each record's postcode (unknown postcodes stay blank)."""
        todo = [r for r in records if r.postcode and not r.lad_code]
        if not todo:
            return
        found = default_index().lookup_many([r.postcode for r in todo], on_error="none")
        for record, location in zip(todo, found, strict=True):
            if location is not None and location.lad_code:
                record.lad_code = location.lad_code
                record.lat = record.lat if record.lat is not None else location.lat
                record.lon = record.lon if record.lon is not None else location.lon
                record.postcode = location.postcode
                record.place_basis = record.place_basis or "postcode (ONS postcode lookup)"


class RegistryWriter:
    def __init__(self, dataset: Dataset, places: Places | None = None) -> None:
        self.dataset = dataset
        self.places = places or Places()
        self.resolver = Resolver()
        self.orgs: dict[int, Organisation] = {}
        self._gtr_owner: dict[str, int] = {}
        for org in Organisation.objects.all():
            self._know(org, [org.name])
        for alias in OrganisationAlias.objects.only("organisation_id", "name", "gtr_id"):
            self.resolver.add(alias.organisation_id, [alias.name], gtr_id=alias.gtr_id or None)
        for decision in MatchDecision.objects.all():
            self.resolver.decide(decision.name_a, decision.name_b, decision.same)
        self._aliases: set[tuple[int, str]] = set()
        self.counts = {"identifier": 0, "exact": 0, "fuzzy": 0, "review": 0, "new": 0}

    def _know(self, org: Organisation, names: Iterable[str]) -> None:
        self.orgs[org.pk] = org
        if org.gtr_id:
            self._gtr_owner.setdefault(org.gtr_id, org.pk)
        self.resolver.add(org.pk, names, gtr_id=org.gtr_id, ukprn=org.ukprn,
                          company_number=org.company_number, org_type=org.org_type)

    def organisation(self, record: OrgRecord) -> Organisation:
        resolution = self.resolver.resolve(Candidate(
            name=record.name, gtr_id=record.gtr_id, ukprn=record.ukprn,
            company_number=record.company_number, org_type=record.org_type))
        self.counts[resolution.kind] += 1
        if resolution.key is not None:
            org = self.orgs[resolution.key]
            if self._fill(org, record):
                org.save()
        else:
            org = self._create(record)
            if resolution.kind == "review":
                existing = self.orgs[resolution.review_key]
                MatchReview.objects.create(candidate=org, existing=existing,
                                           candidate_name=org.name, existing_name=existing.name,
                                           score=round(resolution.score, 1), dataset=self.dataset)
        self._know(org, [record.name, *record.aliases])
        extra_gtr = record.gtr_id if record.gtr_id and record.gtr_id != org.gtr_id else ""
        if org.gtr_id:
            self._gtr_owner.setdefault(org.gtr_id, org.pk)
        if extra_gtr:
            self.resolver.add(org.pk, [], gtr_id=extra_gtr)
        for name in {record.name, *record.aliases}:
            key = (org.pk, name_normalise(name))
            if key[1] and key not in self._aliases:
                self._aliases.add(key)
                OrganisationAlias.objects.get_or_create(
                    organisation=org, dataset=self.dataset, normalised_name=key[1],
                    defaults={"name": name[:300], "method": resolution.kind,
                              "gtr_id": extra_gtr if name == record.name else ""})
        return org

    def _create(self, record: OrgRecord) -> Organisation:
        org = Organisation(name=record.name[:300], normalised_name=name_normalise(record.name),
                           org_type=record.org_type or OrgType.UNKNOWN)
        self._fill(org, record, new=True)
        org.save()
        return org

    def _fill(self, org: Organisation, record: OrgRecord, new: bool = False) -> bool:
        changed = new
        gtr_free = record.gtr_id and self._gtr_owner.get(record.gtr_id, org.pk) == org.pk
        for field, value in (("gtr_id", record.gtr_id if gtr_free else None), ("ukprn", record.ukprn),
                             ("company_number", company_number_normalise(record.company_number)),
                             ("postcode", record.postcode), ("region_name", record.region_name)):
            if value and not getattr(org, field):
                setattr(org, field, value)
                changed = True
        if record.country and (new or org.country != record.country) and not org.lad_id:
            org.country = record.country
            changed = True
        strength = TYPE_STRENGTH.get(record.type_strength, 0)
        if record.org_type and (new or org.org_type == OrgType.UNKNOWN or
                                strength > TYPE_STRENGTH.get(_strength(org.type_basis), 0)):
            org.org_type, org.type_basis = record.org_type, record.type_basis
            changed = True
        if record.size and not org.size:
            org.size, org.size_basis = record.size, record.size_basis
            changed = True
        if record.topics and not org.topics:
            org.topics = record.topics
            changed = True
        if record.lad_code and org.lad_id is None:
            org.lad, org.itl3, org.combined_authority = self.places.areas(record.lad_code)
            org.place_basis = record.place_basis
            changed = True
        if record.lat is not None and org.lat is None:
            org.lat, org.lon = record.lat, record.lon
            changed = True
        return changed


def _strength(type_basis: str) -> str:
    return "name" if type_basis.startswith("name") or "known research" in type_basis else "source"
