"""Writes for contributions: propose a case or a correction; editors accept or reject.

Every accepted change is recorded as a ``CaseRevision`` (history) and the case shows who
reviewed it and when. Loading the bundled library is in ``locus.policy.loaders``.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from locus.errors import PolicyError
from locus.policy.models import (
    Case,
    CaseRevision,
    CaseSource,
    CaseTag,
    Layer,
    Origin,
    Proposal,
    ProposalKind,
    ProposalStatus,
    Status,
    TagKind,
)
from locus.policy.permissions import can_propose, can_review_proposal
from locus.policy.schema import STAGE_LABELS
from locus.policy.search import backend

# Fields a correction may change, with the label used in forms and history.
CORRECTABLE = {
    "title": "Title", "summary": "Summary", "place": "Place", "scale": "Scale",
    "delivery_body": "Delivery body", "what_was_done": "What was done",
    "evaluation_method": "Evaluation method", "sms_rating": "Evidence rating",
}
FACT_FIELDS = ("scale", "delivery_body", "what_was_done", "evaluation_method", "sms_rating")


def _who(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


def proposal_create(*, user, kind: str, data: dict, case: Case | None = None) -> Proposal:
    """Record a proposed new case or correction (data already validated by the form)."""
    if not can_propose(user):
        raise PolicyError("Sign in to propose a case or a correction.")
    if kind == ProposalKind.CORRECTION:
        if case is None or case.layer != Layer.LOCAL:
            raise PolicyError("Corrections can be proposed for cases in the case library only.")
        if data.get("field") not in CORRECTABLE:
            raise PolicyError(f"A correction cannot change {data.get('field')!r}.")
    elif kind != ProposalKind.NEW:
        raise PolicyError(f"Unknown proposal kind {kind!r}.")
    return Proposal.objects.create(kind=kind, case=case, data=data, proposed_by=user)


def _unique_slug(title: str) -> str:
    base = slugify(title)[:70].strip("-") or "case"
    slug, n = base, 2
    while Case.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _source(case: Case, position: int, source: dict) -> CaseSource:
    date = source.get("date")
    return CaseSource.objects.create(
        case=case, position=position, publisher=source["publisher"], title=source["title"],
        url=source["url"], date=dt.date.fromisoformat(date) if date else None,
        checked=timezone.localdate(), note="Given by the proposer; checked by the reviewing editor")


def _case_from_proposal(proposal: Proposal, reviewer) -> Case:
    d = proposal.data
    stated = [f for f in FACT_FIELDS if d.get(f) not in (None, "")]
    case = Case.objects.create(
        slug=_unique_slug(d["title"]), layer=Layer.LOCAL, origin=Origin.CONTRIBUTED,
        status=Status.PUBLISHED, title=d["title"], summary=d["summary"], place=d["place"],
        country=d["country"], geography_level=d["geography_level"],
        area_id=d.get("area_code") or None, year_start=d.get("year_start"),
        year_end=d.get("year_end"), scale=d.get("scale", ""),
        delivery_body=d.get("delivery_body", ""), what_was_done=d.get("what_was_done", ""),
        evaluation_method=d.get("evaluation_method", ""), sms_rating=d.get("sms_rating"),
        sms_justification=d.get("sms_justification", ""),
        outcomes=[{"statement": d["outcomes"], "source": 0}] if d.get("outcomes") else [],
        field_sources={f: [0] for f in stated} | ({"years": [0]} if d.get("year_start") else {}),
        contributed_by=proposal.proposed_by, reviewed_by=reviewer,
        reviewed_by_name=_who(reviewer), reviewed_at=timezone.now(),
        search_keywords=" ".join([d["place"], d["country"], d.get("delivery_body", ""),
                                  *(STAGE_LABELS[s] for s in d.get("stages", []))]),
        search_body=" ".join(d.get(k, "") for k in ("what_was_done", "outcomes",
                                                    "evaluation_method", "scale")))
    _source(case, 0, d["source"])
    tags = [CaseTag(case=case, kind=TagKind.STAGE, code=s) for s in d.get("stages", [])]
    for key, kind in (("instrument", TagKind.INSTRUMENT), ("theme", TagKind.THEME)):
        if d.get(key):
            tags.append(CaseTag(case=case, kind=kind, code=d[key]))
    CaseTag.objects.bulk_create(tags)
    return case


def correction_apply(*, case: Case, data: dict, reviewer, at=None) -> dict:
    """Apply an accepted correction to ``case``; returns {field: [before, after]}."""
    field = data["field"]
    position = (case.sources.order_by("-position").values_list("position", flat=True).first()
                or 0) + 1
    _source(case, position, data["source"])
    changes = {}
    if field == "sms_rating":
        changes["sms_rating"] = [case.sms_rating, data["sms_rating"]]
        changes["sms_justification"] = [case.sms_justification, data["sms_justification"]]
        case.sms_rating, case.sms_justification = data["sms_rating"], data["sms_justification"]
    else:
        changes[field] = [getattr(case, field), data["value"]]
        setattr(case, field, data["value"])
    if field in FACT_FIELDS:
        case.field_sources = {**case.field_sources, field: [position]}
    case.reviewed_by, case.reviewed_by_name = reviewer, _who(reviewer)
    case.reviewed_at = at or timezone.now()
    case.save()
    return changes


@transaction.atomic
def proposal_review(*, proposal: Proposal, user, accept: bool, note: str = "") -> Proposal:
    """An editor accepts or rejects a pending proposal that someone else made."""
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if not can_review_proposal(user, proposal):
        raise PolicyError("You cannot review this proposal: editors review pending proposals "
                          "made by someone else.")
    if not accept and not note.strip():
        raise PolicyError("Say why the proposal is not accepted.")
    proposal.status = ProposalStatus.ACCEPTED if accept else ProposalStatus.REJECTED
    proposal.reviewed_by, proposal.reviewed_at = user, timezone.now()
    proposal.review_note = note.strip()
    if accept and proposal.kind == ProposalKind.NEW:
        proposal.case = _case_from_proposal(proposal, user)
        CaseRevision.objects.create(
            case=proposal.case, action="created", actor=user, actor_name=_who(user),
            proposal=proposal, summary=f"Proposed by {_who(proposal.proposed_by)}; "
                                       f"accepted by {_who(user)}")
    elif accept:
        changes = correction_apply(case=proposal.case, data=proposal.data, reviewer=user,
                                   at=proposal.reviewed_at)
        CaseRevision.objects.create(
            case=proposal.case, action="corrected", actor=user, actor_name=_who(user),
            proposal=proposal, changes=changes,
            summary=f"{CORRECTABLE[proposal.data['field']]} corrected: proposed by "
                    f"{_who(proposal.proposed_by)}, accepted by {_who(user)}")
    proposal.save()
    if accept:
        backend().index_rebuild(case_ids=[proposal.case_id])
    return proposal
