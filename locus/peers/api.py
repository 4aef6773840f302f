"""Peer-networks API under /api/v1/peers/: programmes, groups, meetings, attendance, outcomes
and costs, with the same permissions as the pages, for a user signed in with a personal API
token or the site's session (``locus.accounts.api_auth``)."""

from __future__ import annotations

import functools
import inspect
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import WithJsonSchema

from locus.accounts.api_auth import SIGNED_IN
from locus.geography.api import repeated_param
from locus.peers import permissions as perms
from locus.peers import selectors
from locus.peers.costs import (
    cost_correct,
    cost_record,
    cost_remove,
    cost_summary,
    cost_superseded_text,
    text_limit,
)
from locus.peers.errors import CostSupersededError, PeersFieldError
from locus.peers.explain import explanation_lines
from locus.peers.meetings import attendance_record
from locus.peers.models import CostEntry, Meeting, PeerGroup, Programme
from locus.peers.models.meetings import Presence
from locus.peers.models.outcomes import CostCategory, Wave
from locus.peers.outcomes import SMALL_GROUP, outcomes_report

router = Router(tags=["peers"], auth=SIGNED_IN)

ERRORS = ("Errors: 400 when a query parameter's value or the request body is not valid, or a query "
          "parameter is given twice (the `detail` starts with the name of the parameter or field, "
          "each also in `errors`); 401 when not signed in, or the API token is malformed, unknown, "
          "revoked or expired (the `detail` says which); 403 when the signed-in user may not see "
          "or do this, or (POST with the session cookie) without the CSRF token; 404 when the path "
          "names a programme, group, meeting or cost entry that does not exist.")

# Money in the API: pounds sterling (GBP) as a decimal string with two places, like "102.50"
# (machine-readable: no £ sign or thousands separators; pages show "£102.50").
POUNDS = "Pounds sterling (GBP), a decimal string with two places, like \"102.50\""


DEMO_DESCRIPTION = ("True when the answer is about a DEMO (demonstration) programme: its firms, "
                    "people, survey answers, attendance and costs are made up. False for a real "
                    "programme.")


class DemoMarked(Schema):
    """Every answer about a programme's data says whether the programme is a DEMO one."""
    is_demo: bool = Field(description=DEMO_DESCRIPTION)
    demo_caution: str | None = Field(description="For a DEMO programme, plain words to show with "
                                     "the data: it is made up and not evidence. Null for a real "
                                     "programme.")


class ProgrammeOut(DemoMarked):
    slug: str
    name: str
    starts_on: date
    ends_on: date
    budget: Decimal = Field(description="For facilitation, hosting and promotion. " + POUNDS)
    delivery_partner: str
    places: list[str]
    themes: list[str]


class StageOut(Schema):
    key: str
    label: str
    count: int
    drop_off: int | None
    waiting: int = Field(0, description="Firms of the stage before that cannot have reached "
                                        "this one yet, not in drop_off: at first_meeting, "
                                        "their group has not met; at completed, their group "
                                        "has meetings still to come (still meeting)")


class ProgrammeDetail(ProgrammeOut):
    funnel: list[StageOut]
    groups: int
    meetings_held: int
    meetings_upcoming: int


class GroupOut(DemoMarked):
    id: int
    label: str
    mode: str
    facilitator: str | None
    members: int


class MeetingOut(DemoMarked):
    id: int
    group_id: int
    number: int
    starts_at: datetime
    duration_minutes: int
    mode: str
    venue: str | None
    video_url: str
    theme: str | None
    status: str
    sequence: int


class GroupDetail(GroupOut):
    programme: str
    firms: list[str]
    explanation: list[str] | None
    meetings: list[MeetingOut]


class Mark(Schema):
    firm_id: int = Field(ge=1, le=2**63 - 1)  # a database id: larger ones cannot be looked up
    # listed in the OpenAPI document; the service checks the value and names the firm in its 400
    status: Annotated[str, WithJsonSchema({"type": "string", "enum": list(Presence.values)})] = Field(
        description="present, apologies or absent")


class AttendanceIn(Schema):
    marks: list[Mark] = Field(description="At least one firm's mark: with no marks the request "
                              "is refused (400 naming `marks`), as the attendance page refuses "
                              "a save with no firm marked", json_schema_extra={"minItems": 1})


class RecordedOut(DemoMarked):
    recorded: int = Field(description="How many marks were recorded")


class AttendanceOut(DemoMarked):
    firm_id: int
    firm: str
    status: str | None
    rsvp: str | None


class ChangeOut(Schema):
    measure: str
    label: str
    n: int
    before: float | None
    after: float | None
    change: float | None
    ci_low: float | None
    ci_high: float | None
    comparison_n: int
    comparison_change: float | None
    difference: float | None
    difference_low: float | None
    difference_high: float | None


class OutcomesOut(DemoMarked):
    wave: str
    method: str
    measures: list[ChangeOut]
    excluded_participants: int = Field(description="Participants left out: their later survey "
                                       "came before they joined a group or before the "
                                       "programme's first meeting")
    excluded_comparison: int = Field(description="Comparison firms left out: their later "
                                     "survey came before the programme's first meeting")
    small_group_threshold: int = Field(description="A group counted with fewer firms than this "
                                       "(n or comparison_n) gets a caution")
    caution: str | None = Field(description="Plain words when the participants or the "
                                "comparison group counted have fewer firms than "
                                "small_group_threshold: the figures are fragile (null when both "
                                "are large enough); see docs/methodology/peer-outcomes.md")


# What the OpenAPI document says each field takes; the services check the values themselves and answer a
# 400 naming the field with the ledger page's words (schemathesis sent "" for each and got those 400s).
CategoryIn = Annotated[str, WithJsonSchema({"type": "string", "enum": list(CostCategory.values)})]
AmountIn = Annotated[Decimal, WithJsonSchema({"anyOf": [
    {"type": "number", "exclusiveMinimum": 0},
    # more than 0, in pounds and pence: "450", "450.5", "0.01"; not "0", "0.00" or "450.505"
    {"type": "string", "pattern": r"^\s*(0*[1-9][0-9]*(\.[0-9]{1,2})?|0*\.(0[1-9]|[1-9][0-9]?))\s*$"}]})]
# not blank, and no longer than the ledger's column: longer text is a 400 naming the field, the limit
# and the length sent, never stored shortened (H29 A3)
ReasonIn = Annotated[str, WithJsonSchema({"type": "string", "pattern": r"\S",
                                          "maxLength": text_limit("correction_reason")})]
DescriptionIn = Annotated[str, WithJsonSchema({"type": "string", "maxLength": text_limit("description")})]
SupplierIn = Annotated[str, WithJsonSchema({"type": "string", "maxLength": text_limit("supplier")})]


class CostIn(Schema):
    category: CategoryIn = Field(description="facilitation, hosting or promotion")
    amount: AmountIn = Field(description="Pounds and pence, more than 0, as a JSON number or a "
                             "decimal string without a £ sign or commas, like 450 or \"450.50\"")
    incurred_on: date
    description: DescriptionIn
    supplier: SupplierIn = ""


class RecordedCostOut(DemoMarked):
    id: int
    category: str
    amount: Decimal = Field(description=POUNDS)


class CostCorrectionIn(CostIn):
    reason: ReasonIn = Field(description="Why the entry is being corrected (required)")


class CostRemovalIn(Schema):
    reason: ReasonIn = Field(description="Why the entry is being removed, like a duplicate "
                        "(required)")


class CostEntryOut(DemoMarked):
    id: int
    category: str
    amount: Decimal = Field(description=POUNDS)
    incurred_on: date
    description: str
    supplier: str
    group_id: int | None
    meeting_id: int | None
    recorded_by: str | None
    created_at: datetime
    status: str = Field(description="current (counts in the totals), corrected (replaced by "
                        "the entry in corrected_by) or removed")
    corrects: int | None = Field(description="The entry this one replaces, if a correction")
    corrected_by: int | None = Field(description="The entry that replaces this one")
    superseded_at: datetime | None
    superseded_by: str | None
    reason: str = Field(description="Why it was corrected or removed")


class FieldProblem(Schema):
    field: str
    message: str


class RefusalOut(Schema):
    detail: str
    errors: list[FieldProblem]


class ErrorOut(Schema):
    detail: str


def _answers(ok: dict, *, post: bool = False, lookup: bool = True, conflict: bool = False) -> dict:
    """Every status an operation answers (``ok`` holds its successes): 400 (a query parameter or
    body refused, or a parameter given twice), 401 (signed out), 403 (a role refusal, or a POST
    without the CSRF token), 404 (the path names nothing) and 409 (a cost entry already
    superseded)."""
    out = {**ok, 400: RefusalOut, 401: ErrorOut}
    if post or lookup:
        out[403] = ErrorOut
    if lookup:
        out[404] = ErrorOut
    if conflict:
        out[409] = ErrorOut
    return out


def _one_value_each(view):
    """A query parameter given twice is a 400 naming it (only one value would be read); appends
    the errors to the OpenAPI description."""
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if detail := repeated_param(request.GET):
            key, _, message = detail.partition(": ")
            return Status(400, {"detail": detail,
                                "errors": [{"field": key, "message": message.rstrip(".")}]})
        return view(request, *args, **kwargs)
    wrapper.__doc__ = f"{(view.__doc__ or '').rstrip()}\n\n{ERRORS}".lstrip()
    wrapper.__signature__ = inspect.signature(view, eval_str=True)
    return wrapper


class CostsOut(DemoMarked):
    budget: Decimal = Field(description=POUNDS)
    actual: Decimal = Field(description="Spent: the entries that count (not corrected or "
                            f"removed). {POUNDS}")
    by_category: dict[str, Decimal] = Field(description="Spent per category (facilitation, "
                                            f"hosting, promotion). {POUNDS}")
    per_firm: Decimal | None = Field(description="Per participating firm; null without any. "
                                     + POUNDS)
    per_meeting: Decimal | None = Field(description=f"Per meeting held; null without any. {POUNDS}")
    per_attended_hour: Decimal | None = Field(description="Per firm-hour attended; null without "
                                              f"any. {POUNDS}")


def _programme(request: HttpRequest, slug: str) -> Programme:
    programme = Programme.objects.filter(slug=slug).first()
    if programme is None:
        raise HttpError(404, f"No programme {slug!r}.")
    if not perms.programme_can_manage(user=request.user, programme=programme):
        raise HttpError(403, "Only the programme's managers can see this.")
    return programme


def _group(request: HttpRequest, pk: int, *, facilitate: bool = False) -> PeerGroup:
    group = PeerGroup.objects.select_related("programme", "facilitator__user").filter(pk=pk).first()
    if group is None:
        raise HttpError(404, f"No group {pk}.")
    allowed = perms.group_can_facilitate if facilitate else perms.group_can_view
    if not allowed(user=request.user, group=group):
        raise HttpError(403, "You cannot see this group.")
    return group


def _meeting(request: HttpRequest, pk: int, *, facilitate: bool = False) -> Meeting:
    meeting = Meeting.objects.select_related("group__programme", "venue", "theme").filter(
        pk=pk).first()
    if meeting is None:
        raise HttpError(404, f"No meeting {pk}.")
    _group(request, meeting.group_id, facilitate=facilitate)
    return meeting


def _demo(p: Programme) -> dict:
    """``is_demo`` and ``demo_caution`` for an answer about this programme's data."""
    return {"is_demo": p.is_demo, "demo_caution": p.demo_caution}


def _programme_out(p: Programme) -> dict:
    return {"slug": p.slug, "name": p.display_name, **_demo(p),
            "starts_on": p.starts_on, "ends_on": p.ends_on, "budget": p.budget,
            "delivery_partner": p.delivery_partner,
            "places": [a.code for a in p.places.all()], "themes": [t.name for t in p.themes.all()]}


def _meeting_out(m: Meeting, programme: Programme) -> dict:
    return {**_demo(programme), "id": m.pk, "group_id": m.group_id, "number": m.number,
            "starts_at": m.starts_at,
            "duration_minutes": m.duration_minutes, "mode": m.mode,
            "venue": m.venue.name if m.venue_id else None, "video_url": m.video_url,
            "theme": m.theme.name if m.theme_id else None, "status": m.status,
            "sequence": m.sequence}


@router.get("/peers/programmes", response=_answers({200: list[ProgrammeOut]}, lookup=False),
            summary="Programmes you manage")
@_one_value_each
def programmes_list(request: HttpRequest):
    return [_programme_out(p) for p in perms.programmes_managed(user=request.user)
            .prefetch_related("places", "themes").order_by("name")]


@router.get("/peers/programmes/{slug}", response=_answers({200: ProgrammeDetail}),
            summary="One programme")
@_one_value_each
def programme_detail(request: HttpRequest, slug: str):
    """The programme with its recruitment funnel (registered, eligible, grouped, attended the
    first meeting, completed) and drop-off between stages."""
    p = _programme(request, slug)
    counts = selectors.programme_counts(programme=p)
    return {**_programme_out(p), "groups": p.groups.count(),
            "meetings_held": counts["held"], "meetings_upcoming": counts["upcoming"],
            "funnel": [{"key": s.key, "label": s.label, "count": s.count,
                        "drop_off": s.drop_off, "waiting": s.waiting} for s in selectors.programme_funnel(programme=p)]}


@router.get("/peers/programmes/{slug}/groups", response=_answers({200: list[GroupOut]}),
            summary="Its groups")
@_one_value_each
def programme_groups(request: HttpRequest, slug: str):
    p = _programme(request, slug)
    return [{**_demo(p), "id": g.pk, "label": g.label, "mode": g.mode, "members": g.members,
             "facilitator": g.facilitator.managers_name if g.facilitator else None}
            for g in selectors.groups_overview(programme=p)]


@router.get("/peers/groups/{id}", response=_answers({200: GroupDetail}), summary="One group")
@_one_value_each
def group_detail(request: HttpRequest, id: int):
    """Members and meetings. The explanation is for facilitators and managers only."""
    g = _group(request, id)
    facilitate = perms.group_can_facilitate(user=request.user, group=g)
    explanation = (selectors.group_explanations_get(programme=g.programme, groups=[g])[g.pk]
                   if facilitate else None)
    detail = selectors.group_detail(group=g)
    return {**_demo(g.programme), "id": g.pk, "label": g.label, "mode": g.mode,
            "programme": g.programme.slug,
            "facilitator": ((g.facilitator.managers_name
                             if perms.group_can_manage(user=request.user, group=g)
                             else g.facilitator.members_name) if g.facilitator else None),
            "members": len(detail["members"]), "firms": [f.name for f in detail["members"]],
            "explanation": explanation_lines(explanation) if facilitate else None,
            "meetings": [_meeting_out(m, g.programme) for m in detail["meetings"]]}


@router.get("/peers/groups/{id}/meetings", response=_answers({200: list[MeetingOut]}),
            summary="A group's meetings")
@_one_value_each
def group_meetings(request: HttpRequest, id: int):
    g = _group(request, id)
    return [_meeting_out(m, g.programme) for m in g.meetings.select_related("venue", "theme")]


@router.get("/peers/meetings/{id}", response=_answers({200: MeetingOut}), summary="One meeting")
@_one_value_each
def meeting_detail(request: HttpRequest, id: int):
    m = _meeting(request, id)
    return _meeting_out(m, m.group.programme)


@router.get("/peers/meetings/{id}/attendance", response=_answers({200: list[AttendanceOut]}),
            summary="Attendance and replies")
@_one_value_each
def attendance_list(request: HttpRequest, id: int):
    m = _meeting(request, id, facilitate=True)
    marks = {a.firm_id: a.status for a in m.attendance.all()}
    replies = {r.firm_id: r.response for r in m.rsvps.all()}
    demo = _demo(m.group.programme)
    return [{**demo, "firm_id": f.pk, "firm": f.name, "status": marks.get(f.pk),
             "rsvp": replies.get(f.pk)} for f in m.group.firms.filter(withdrawn_at__isnull=True)
            .order_by("name")]


@router.post("/peers/meetings/{id}/attendance", response=_answers({200: RecordedOut}, post=True),
             summary="Record attendance")
@_one_value_each
def attendance_post(request: HttpRequest, id: int, payload: AttendanceIn):
    """Status is present, apologies or absent. Refused (400, with the reason, naming `marks`) for
    a meeting not yet held or cancelled, for no marks (an empty `marks` list: mark at least one
    firm, as on the attendance page), or for a firm outside the group."""
    m = _meeting(request, id, facilitate=True)
    seen: set[int] = set()
    for i, mark in enumerate(payload.marks):
        if mark.firm_id in seen:  # only one of the marks would be recorded
            message = f"firm {mark.firm_id} is marked more than once; mark each firm once"
            field = f"marks[{i}].firm_id"
            return Status(400, {"detail": f"{field}: {message}",
                                "errors": [{"field": field, "message": message}]})
        seen.add(mark.firm_id)
    try:
        n = attendance_record(meeting=m, marks={x.firm_id: x.status for x in payload.marks},
                              user=request.user)
    except PeersFieldError as exc:
        index = {f"firm-{x.firm_id}": f"marks[{i}].status" for i, x in enumerate(payload.marks)}
        if outsiders := getattr(exc, "firm_ids", None):  # a firm outside the group: the first one's mark
            first = next(i for i, x in enumerate(payload.marks) if x.firm_id == outsiders[0])
            return _refused(exc, attendance=f"marks[{first}].firm_id")
        return _refused(exc, attendance="marks", **index)
    return {**_demo(m.group.programme), "recorded": n}


@router.get("/peers/programmes/{slug}/outcomes", response=_answers({200: OutcomesOut}),
            summary="A programme's outcomes against a comparison group")
@_one_value_each
def outcomes(request: HttpRequest, slug: str,
             wave: Literal["end", "follow_up"] = Query(
                 Wave.END.value, description="end (the programme end) or follow_up (six months "
                 "after)")):
    """Change from baseline (95% confidence intervals) for participants, and the difference
    against the comparison group where the programme has one."""
    p = _programme(request, slug)
    try:
        report = outcomes_report(programme=p, wave=wave)
    except PeersFieldError as exc:
        return _refused(exc)
    rows = []
    for r in report["rows"]:
        t, c, d = r["participants"], r["comparison"], r["difference"]
        rows.append({"measure": r["key"], "label": r["label"], "n": t.n, "before": t.before,
                     "after": t.after, "change": t.change, "ci_low": t.low, "ci_high": t.high,
                     "comparison_n": c.n, "comparison_change": c.change,
                     "difference": d.estimate, "difference_low": d.low,
                     "difference_high": d.high})
    return {**_demo(p), "wave": wave, "measures": rows,
            "excluded_participants": report["excluded"]["participants"],
            "excluded_comparison": report["excluded"]["comparison"],
            "small_group_threshold": SMALL_GROUP, "caution": report["caution"],
            "method": "Participants: firms in a group, or that withdrew after joining one. "
                      "Firms with a baseline and a later survey first answered after the programme's "
                      "first meeting and, for participants, after the firm joined a group; "
                      "paired t interval for the change; Welch t interval for the difference "
                      "against the comparison group; see docs/methodology/peer-outcomes.md"}


@router.get("/peers/programmes/{slug}/costs", response=_answers({200: CostsOut}), summary="A programme's spending against its budget")
@_one_value_each
def costs(request: HttpRequest, slug: str):
    p = _programme(request, slug)
    s = cost_summary(programme=p)
    return {**_demo(p), "budget": s.budget, "actual": s.actual, "by_category": s.by_category,
            "per_firm": s.per_firm, "per_meeting": s.per_meeting,
            "per_attended_hour": s.per_attended_hour}


def _refused(exc: PeersFieldError, **rename: str) -> Status:
    """A service refusal as 400: every problem with the field it concerns (API names)."""
    problems = [{"field": rename.get(e.field, e.field), "message": str(e)}
                for e in getattr(exc, "errors", None) or [exc]]
    return Status(400, {"detail": "; ".join(f"{p['field']}: {p['message']}" for p in problems),
                        "errors": problems})


def _name(user) -> str | None:
    return (user.get_full_name() or user.username) if user is not None else None


def _entry_out(e: CostEntry) -> dict:
    correction = getattr(e, "correction", None) if e.superseded_at else None
    return {**_demo(e.programme), "id": e.pk, "category": e.category, "amount": e.amount, "incurred_on": e.incurred_on,
            "description": e.description, "supplier": e.supplier, "group_id": e.group_id,
            "meeting_id": e.meeting_id, "recorded_by": _name(e.recorded_by),
            "created_at": e.created_at, "status": e.status, "corrects": e.corrects_id,
            "corrected_by": correction.pk if correction is not None else None,
            "superseded_at": e.superseded_at, "superseded_by": _name(e.superseded_by),
            "reason": e.correction_reason}


def _entry(request: HttpRequest, slug: str, pk: int) -> CostEntry:
    """An entry of a programme the user manages: 404 if not in that programme's ledger; 409 if
    already corrected or removed (correct the newer entry instead)."""
    programme = _programme(request, slug)
    entry = CostEntry.objects.filter(pk=pk, programme=programme).first()
    if entry is None:
        raise HttpError(404, f"No cost entry {pk} in this programme's ledger.")
    if entry.superseded_at is not None:
        raise HttpError(409, cost_superseded_text(entry=entry))
    return entry


@router.post("/peers/programmes/{slug}/costs", response=_answers({201: RecordedCostOut}, post=True),
             summary="Record a cost")
@_one_value_each
def cost_add(request: HttpRequest, slug: str, payload: CostIn):
    """Only facilitation, hosting and promotion; anything else is refused (400) with the reason."""
    p = _programme(request, slug)
    try:
        entry = cost_record(programme=p, category=payload.category,
                            amount=payload.amount, incurred_on=payload.incurred_on,
                            description=payload.description, supplier=payload.supplier,
                            user=request.user)
    except PeersFieldError as exc:
        return _refused(exc)
    return Status(201, {**_demo(p), "id": entry.pk, "category": entry.category,
                        "amount": str(entry.amount)})


@router.get("/peers/programmes/{slug}/costs/entries", response=_answers({200: list[CostEntryOut]}),
            summary="The cost ledger")
@_one_value_each
def cost_entries(request: HttpRequest, slug: str):
    """Every entry, newest first, including corrected and removed ones (with who, when and
    why); only entries with status current count in the totals (ADR 16)."""
    p = _programme(request, slug)
    return [_entry_out(e) for e in p.costs.select_related(
        "correction", "recorded_by", "superseded_by")]


@router.post("/peers/programmes/{slug}/costs/{id}/correct",
             response=_answers({201: CostEntryOut}, post=True, conflict=True),
             summary="Correct a cost entry")
@_one_value_each
def cost_entry_correct(request: HttpRequest, slug: str, id: int, payload: CostCorrectionIn):
    """A new entry (checked like a new one) replaces this one in the totals; the old one stays
    in the ledger, corrected, with the reason. 409 if it was already corrected or removed."""
    entry = _entry(request, slug, id)
    try:
        new = cost_correct(entry=entry, category=payload.category, amount=payload.amount,
                           incurred_on=payload.incurred_on, description=payload.description,
                           supplier=payload.supplier, reason=payload.reason,
                           user=request.user)
    except CostSupersededError as exc:  # corrected or removed since it was looked up
        raise HttpError(409, str(exc)) from None
    except PeersFieldError as exc:
        return _refused(exc)
    return Status(201, _entry_out(new))


@router.post("/peers/programmes/{slug}/costs/{id}/remove",
             response=_answers({200: CostEntryOut}, post=True, conflict=True),
             summary="Remove a cost entry")
@_one_value_each
def cost_entry_remove(request: HttpRequest, slug: str, id: int, payload: CostRemovalIn):
    """Take an entry made by mistake out of the totals; it stays in the ledger, removed, with
    the reason. 409 if it was already corrected or removed."""
    entry = _entry(request, slug, id)
    try:
        removed = cost_remove(entry=entry, reason=payload.reason, user=request.user)
    except CostSupersededError as exc:  # corrected or removed since it was looked up
        raise HttpError(409, str(exc)) from None
    except PeersFieldError as exc:
        return _refused(exc, removal_reason="reason")
    return _entry_out(removed)
