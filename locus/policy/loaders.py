"""Writes that load the policy library: the bundled YAML, the STIP Compass layer, the index.

Loads are atomic: every file is read and validated first, then everything is written in one
transaction, so a bad file leaves the previous library in place. Bundled cases are upserted by
slug (their history survives reloads) and accepted corrections are re-applied after a reload.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from locus.errors import DataFileError
from locus.geography.models import Area, LoadRecord
from locus.policy import files
from locus.policy.models import (
    Case,
    CaseLink,
    CaseRevision,
    CaseSource,
    CaseTag,
    Layer,
    LearningPath,
    LearningResource,
    Origin,
    Proposal,
    ProposalKind,
    ProposalStatus,
    Status,
    TagKind,
    TaxonomyTerm,
)
from locus.policy.schema import STAGE_LABELS, PolicyCase
from locus.policy.search import backend
from locus.policy.stip import ATTRIBUTION, StipEdition, codebook_read, stip_bundle_read

DATASET = "policy"
DATASET_STIP = "policy_stip"
STIP_BUNDLE = "stip_compass_2021.jsonl.gz"
BUNDLED_REVIEWER = "Locus team (every fact checked against its source)"
Say = Callable[[str], None]
KIND_OF = {"instrument_types": TagKind.INSTRUMENT, "themes": TagKind.THEME,
           "target_groups": TagKind.TARGET_GROUP}
TRACKED = ("title", "summary", "place", "scale", "delivery_body", "what_was_done",
           "evaluation_method", "sms_rating", "sms_justification", "status")


def _checksum(paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.name.encode())
        digest.update(path.read_bytes() if path.exists() else b"")
    return digest.hexdigest()


def _library_files(data_dir: Path) -> list[Path]:
    return [*sorted((data_dir / "cases").glob("*.yaml")), data_dir / "resources.yaml",
            data_dir / "learning_paths.yaml", data_dir / "stip_codebook.json"]


def _latest(dataset: str) -> LoadRecord | None:
    return LoadRecord.objects.filter(dataset=dataset).order_by("-loaded_at", "-pk").first()


def _text(value) -> str:
    return "" if value is None else str(value)


def _search_text(parts) -> str:
    return " ".join(p for p in (_text(x).strip() for x in parts) if p)


def terms_upsert(*, labels: dict[str, dict[str, str]]) -> int:
    """Insert or relabel taxonomy terms: kind -> code -> label."""
    existing = {(t.kind, t.code): t for t in TaxonomyTerm.objects.all()}
    new, changed = [], []
    for kind, table in labels.items():
        for code, label in table.items():
            term = existing.get((kind, code))
            if term is None:
                new.append(TaxonomyTerm(kind=kind, code=code, label=label))
            elif term.label != label:
                term.label = label
                changed.append(term)
    TaxonomyTerm.objects.bulk_create(new)
    TaxonomyTerm.objects.bulk_update(changed, ["label"])
    return len(new) + len(changed)


def _codebook_labels(codebook: dict) -> dict[str, dict[str, str]]:
    return {TagKind.THEME: codebook.get("themes", {}),
            TagKind.TARGET_GROUP: codebook.get("target_groups", {}),
            TagKind.INSTRUMENT: codebook.get("instrument_types", {})}


# --- STIP layer ---------------------------------------------------------------------------------

def _stip_case(r, source: str) -> Case:
    labels_text = " ".join(r.tags)
    return Case(
        slug=r.stip_id, layer=Layer.STIP, origin=Origin.IMPORTED, status=Status.PUBLISHED,
        title=r.name[:400], acronym=(r.acronym or "")[:120],
        summary=r.description or (r.objectives[0] if r.objectives else ""),
        place=r.country, country=r.country, country_code=r.country_code,
        geography_level=r.geography_level, year_start=r.start, year_end=r.end,
        budget_range=r.budget_range or "", delivery_body=r.responsible or "",
        objectives=r.objectives, links=r.links, evaluated=r.evaluated,
        evaluation_links=r.evaluation_links, keywords=r.tags, edition=r.edition,
        source_file=source,
        search_keywords=_search_text([r.country, r.responsible, labels_text]),
        search_body=_search_text(r.objectives))


def stip_layer_replace(*, edition: StipEdition, labels: dict[str, dict[str, str]],
                       say: Say = lambda s: None) -> dict:
    """Replace the STIP layer with ``edition`` (call inside a transaction).

    Links from local cases to national instruments are kept, matched by initiative number.
    """
    kept = [(link.from_case_id, link.to_case.slug.rsplit("-", 1)[1], link.relation)
            for link in CaseLink.objects.select_related("to_case")
            .filter(to_case__layer=Layer.STIP)]
    say(f"Replacing the STIP layer with {len(edition.initiatives):,} initiatives "
        f"({edition.edition} edition)")
    Case.objects.filter(layer=Layer.STIP).delete()
    terms_upsert(labels={**labels, **{k: v for k, v in edition.labels.items()
                                      if k in TagKind.values}})
    cases = Case.objects.bulk_create([_stip_case(r, edition.source) for r in edition.initiatives],
                                     batch_size=500)
    tags, sources = [], []
    for case, r in zip(cases, edition.initiatives, strict=True):
        for kind, codes in ((TagKind.THEME, r.themes), (TagKind.TARGET_GROUP, r.target_groups),
                            (TagKind.INSTRUMENT, r.instruments)):
            tags += [CaseTag(case=case, kind=kind, code=c) for c in codes]
        tags += [CaseTag(case=case, kind=TagKind.STAGE, code=s, inferred=True) for s in r.stages]
        sources.append(CaseSource(case=case, position=0, publisher=ATTRIBUTION,
                                  title=f"STIP Compass {r.edition}: {r.name}"[:500], url=r.uri,
                                  note=f"Reported to the EC-OECD STIP Compass survey {r.edition}"))
    CaseTag.objects.bulk_create(tags, batch_size=2000)
    CaseSource.objects.bulk_create(sources, batch_size=1000)
    by_number = {c.slug.rsplit("-", 1)[1]: c.pk for c in cases}
    relinked = [CaseLink(from_case_id=f, to_case_id=by_number[n], relation=rel)
                for f, n, rel in kept if n in by_number]
    CaseLink.objects.bulk_create(relinked)
    return {"initiatives": len(cases), "tags": len(tags), "edition": edition.edition,
            "links_kept": len(relinked), "links_lost": len(kept) - len(relinked)}


# --- bundled cases, resources and learning paths -----------------------------------------------

def _check_areas(cases: list[PolicyCase], cases_dir: Path) -> None:
    codes = {c.area_code for c in cases if c.area_code}
    known = set(Area.objects.filter(code__in=codes).values_list("code", flat=True))
    for case in cases:
        if case.area_code and case.area_code not in known:
            path = cases_dir / f"{case.slug}.yaml"
            raise DataFileError(f"no area has the code {case.area_code!r} (is the geography "
                                "loaded?)", path=str(path),
                                line=files.field_line(path, ["area_code"]), field="area_code")


def _case_fields(c: PolicyCase, labels: dict) -> dict:
    tag_labels = [labels.get((KIND_OF[f], item.code), item.label) for f in KIND_OF
                  for item in getattr(c, f)]
    return dict(
        layer=Layer.LOCAL, origin=Origin.BUNDLED, status=c.status, title=c.title,
        summary=c.summary, place=c.place, country=c.country, geography_level=c.geography_level,
        area_id=c.area_code, year_start=c.years.start if c.years else None,
        year_end=c.years.end if c.years else None,
        budget=c.budget.model_dump() if c.budget else None, budget_range="",
        scale=_text(c.scale), delivery_body=_text(c.delivery_body),
        what_was_done=_text(c.what_was_done), evaluation_method=_text(c.evaluation_method),
        sms_rating=c.sms_rating, sms_justification=_text(c.sms_justification),
        brief_measure=c.brief_measure, brief_named=c.brief_named,
        outcomes=[o.model_dump() for o in c.outcomes], field_sources=c.field_sources,
        not_verified=c.not_verified, source_file=f"data/policy/cases/{c.slug}.yaml",
        reviewed_by=None, reviewed_by_name=BUNDLED_REVIEWER,
        reviewed_at=dt.datetime.combine(max(s.checked for s in c.sources), dt.time(12),
                                        tzinfo=dt.UTC),
        search_keywords=_search_text([c.place, c.country, c.delivery_body, *tag_labels,
                                      *(STAGE_LABELS[s] for s in c.pathway_stages)]),
        search_body=_search_text([c.what_was_done, c.scale, c.evaluation_method,
                                  c.sms_justification, *(o.statement for o in c.outcomes)]))


def _corrected_fields() -> set[tuple[str, str]]:
    """(slug, field) pairs that accepted corrections own: a reload does not report them."""
    out = set()
    for slug, data in Proposal.objects.filter(
            kind=ProposalKind.CORRECTION, status=ProposalStatus.ACCEPTED,
            case__origin=Origin.BUNDLED).values_list("case__slug", "data"):
        out.add((slug, data.get("field", "")))
        if data.get("field") == "sms_rating":
            out.add((slug, "sms_justification"))
    return out


def _upsert_cases(cases: list[PolicyCase], labels: dict) -> tuple[dict[str, Case], int, int]:
    existing = {c.slug: c for c in Case.objects.filter(origin=Origin.BUNDLED)}
    corrected = _corrected_fields()
    out, created, updated = {}, 0, 0
    for c in cases:
        fields = _case_fields(c, labels)
        case = existing.get(c.slug)
        if case is None:
            case = Case.objects.create(slug=c.slug, **fields)
            CaseRevision.objects.create(case=case, action="loaded", actor_name="locus load",
                                        summary=f"Loaded from {fields['source_file']}")
            created += 1
        else:
            changes = {k: [getattr(case, k), fields[k]] for k in TRACKED
                       if getattr(case, k) != fields[k] and (c.slug, k) not in corrected}
            for key, value in fields.items():
                setattr(case, key, value)
            case.save()
            if changes:
                CaseRevision.objects.create(
                    case=case, action="updated", actor_name="locus load", changes=changes,
                    summary=f"Updated from {fields['source_file']}: {', '.join(changes)}")
                updated += 1
        out[c.slug] = case
    return out, created, updated


def _relations_write(cases: list[PolicyCase], saved: dict[str, Case]) -> dict:
    ids = [case.pk for case in saved.values()]
    CaseSource.objects.filter(case_id__in=ids).delete()
    CaseTag.objects.filter(case_id__in=ids).delete()
    CaseLink.objects.filter(from_case_id__in=ids).delete()
    stip = {slug.rsplit("-", 1)[1]: pk for slug, pk in
            Case.objects.filter(layer=Layer.STIP).values_list("slug", "pk")}
    sources, tags, links, missing = [], [], [], []
    for c in cases:
        case = saved[c.slug]
        sources += [CaseSource(case=case, position=i, publisher=s.publisher, title=s.title,
                               url=s.url, date=s.date, checked=s.checked, note=s.note or "",
                               kind=s.kind or "",
                               mirror_of=s.mirror_of.model_dump(mode="json") if s.mirror_of
                               else None)
                    for i, s in enumerate(c.sources)]
        tags += [CaseTag(case=case, kind=KIND_OF[f], code=item.code)
                 for f in KIND_OF for item in getattr(c, f)]
        tags += [CaseTag(case=case, kind=TagKind.STAGE, code=s) for s in c.pathway_stages]
        for link in c.national_programmes:
            number = link.stip_id.rsplit("-", 1)[1]
            if number in stip:
                links.append(CaseLink(from_case=case, to_case_id=stip[number],
                                      relation=link.relation))
            else:
                missing.append(link.stip_id)
    CaseSource.objects.bulk_create(sources)
    CaseTag.objects.bulk_create(tags)
    CaseLink.objects.bulk_create(links)
    return {"sources": len(sources), "links": len(links), "links_missing": missing}


def _corrections_reapply() -> int:
    from locus.policy.services import correction_apply

    accepted = (Proposal.objects.filter(kind=ProposalKind.CORRECTION,
                                        status=ProposalStatus.ACCEPTED,
                                        case__origin=Origin.BUNDLED)
                .select_related("case", "reviewed_by").order_by("reviewed_at", "pk"))
    for proposal in accepted:
        correction_apply(case=proposal.case, data=proposal.data, reviewer=proposal.reviewed_by,
                         at=proposal.reviewed_at)
    return len(accepted)


def _resources_write(resources, paths) -> None:
    LearningResource.objects.all().delete()
    LearningResource.objects.bulk_create([LearningResource(
        slug=r.slug, provider=r.provider, title=r.title, description=_text(r.description),
        level=_text(r.level), format=_text(r.format), duration=_text(r.duration),
        cost=_text(r.cost), link=r.link, audience_roles=list(r.audience_roles),
        sources=[s.public() for s in r.sources], not_verified=r.not_verified,
        status=r.status) for r in resources])
    LearningPath.objects.all().delete()
    LearningPath.objects.bulk_create([LearningPath(
        role=p.role, title=p.title, intro=p.intro, position=i,
        steps=[s.model_dump() for s in p.steps]) for i, p in enumerate(paths)])


def policy_bundled_load(*, data_dir: Path, force: bool = False, say: Say = lambda s: None) -> dict:
    """Load data/policy into the database; skip what has not changed since the last load.

    The STIP layer is loaded from the bundle unless a newer edition was imported with
    ``locus policy import-stip`` (``force`` reloads the bundle regardless).
    """
    library_ck = _checksum(_library_files(data_dir))
    stip_path = data_dir / STIP_BUNDLE
    stip_ck = _checksum([stip_path])
    last_stip, last_lib = _latest(DATASET_STIP), _latest(DATASET)
    need_stip = force or last_stip is None or (
        last_stip.summary.get("origin") == "bundled" and last_stip.checksum != stip_ck)
    need_lib = force or need_stip or last_lib is None or last_lib.checksum != library_ck
    if not need_lib:
        return {"policy": "up to date"}
    say("Reading and checking the policy library (data/policy)")
    cases = files.cases_read(data_dir / "cases")
    resources = files.resources_read(data_dir / "resources.yaml")
    paths = files.learning_paths_read(data_dir / "learning_paths.yaml", resource_slugs={
        r.slug for r in resources if r.status == "published"})
    codebook = codebook_read(data_dir / "stip_codebook.json")
    edition = stip_bundle_read(stip_path) if need_stip else None
    _check_areas(cases, data_dir / "cases")
    summary: dict = {}
    with transaction.atomic():
        if edition is not None:
            summary["stip"] = stip_layer_replace(edition=edition, labels=_codebook_labels(codebook),
                                                 say=say)
            LoadRecord.objects.create(dataset=DATASET_STIP, checksum=stip_ck, summary={
                **summary["stip"], "origin": "bundled", "file": STIP_BUNDLE})
        terms_upsert(labels=_codebook_labels(codebook))
        labels = {(t.kind, t.code): t.label for t in TaxonomyTerm.objects.all()}
        say(f"Writing {len(cases)} cases, {len(resources)} resources and {len(paths)} paths")
        saved, created, updated = _upsert_cases(cases, labels)
        Case.objects.filter(origin=Origin.BUNDLED).exclude(slug__in=list(saved)).delete()
        relations = _relations_write(cases, saved)
        corrections = _corrections_reapply()
        _resources_write(resources, paths)
        say("Rebuilding the search index")
        backend().index_rebuild()
        summary["cases"] = {"loaded": len(cases), "new": created, "updated": updated,
                            "published": sum(c.status == "published" for c in cases),
                            "corrections_reapplied": corrections, **relations}
        summary["resources"] = len(resources)
        LoadRecord.objects.create(dataset=DATASET, checksum=library_ck, summary=summary)
    return {"policy": summary}


def stip_import(*, extract: Path, codebook_path: Path, say: Say = lambda s: None) -> dict:
    """Replace the STIP layer from a STIP Compass extract (``locus policy import-stip``)."""
    from locus.policy.stip import stip_extract_read

    codebook = codebook_read(codebook_path)
    say(f"Reading {extract}")
    edition = stip_extract_read(extract, codebook=codebook)
    with transaction.atomic():
        summary = stip_layer_replace(edition=edition, labels=_codebook_labels(codebook), say=say)
        say("Rebuilding the search index")
        backend().index_rebuild()
        LoadRecord.objects.create(dataset=DATASET_STIP, checksum=_checksum([extract]), summary={
            **summary, "origin": "imported", "file": str(extract),
            "imported_at": timezone.now().isoformat()})
    return summary
