"""Diagnostics submitted by firms, the outcomes report (before/after with 95% confidence
intervals, against a comparison group where there is one) and the evaluators' pseudonymised
export."""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Min, Q
from django.utils import timezone

from locus.peers.diagnostics import AREAS, INSTRUMENT, answers_clean, diagnostic_score
from locus.peers.errors import PeersFieldError
from locus.peers.models import DiagnosticResponse, Firm, Meeting, Programme
from locus.peers.models.firms import Arm, comparison_q, participant_q
from locus.peers.models.meetings import MeetingStatus, Presence
from locus.peers.models.outcomes import Wave
from locus.peers.outcomes_wording import outcome_sentences
from locus.peers.scheduling import day_long
from locus.peers.stats import paired_change, welch_difference

MEASURES = {"management_score": "Management practices score (0–1)",
            **{k: f"{v} (0–1)" for k, v in AREAS.items()},
            "digital_index": "Digital adoption index (0–1)"}
_FIELD = {"continuous_improvement": "continuous_improvement", "kpis": "kpis",
          "targets": "targets", "employment": "employment"}


# When a firm can answer each survey: the end survey in the programme's last four weeks, the
# follow-up from about five months after the end (a month's leeway before the six-month mark), so
# that "after" answers are not given before the programme could have changed anything.
END_SURVEY_OPENS_BEFORE = timedelta(days=28)
FOLLOW_UP_OPENS_AFTER = timedelta(days=152)


def wave_opens_on(*, programme: Programme, wave: str) -> date | None:
    """The first day a firm may answer the ``wave`` survey (None: open from registration)."""
    if wave == Wave.END:
        return programme.ends_on - END_SURVEY_OPENS_BEFORE
    if wave == Wave.FOLLOW_UP:
        return programme.ends_on + FOLLOW_UP_OPENS_AFTER
    return None


def firm_first_meeting(*, firm: Firm):
    """The first meeting of the firm's group since it was placed there (None: none scheduled)."""
    if firm.group_id is None or firm.grouped_at is None:
        return None
    return (Meeting.objects.filter(group_id=firm.group_id, status=MeetingStatus.SCHEDULED,
                                   starts_at__gte=firm.grouped_at)
            .order_by("starts_at").first())


def baseline_refusal(*, firm: Firm, now=None) -> str | None:
    """Why the firm's baseline can no longer be given or changed (None: it can). The baseline
    records the business before the programme: once the firm has been placed in a group its
    answers stand, and a first baseline is taken only until its first meeting in the group."""
    if firm.grouped_at is None:
        return None
    given = firm.diagnostics.filter(wave=Wave.BASELINE).first()
    if given is not None:
        return ("The baseline survey cannot be changed once the business has been placed in a "
                "group: it records the business before the programme, so the answers given on "
                f"{day_long(given.submitted_at)} stand")
    if firm.group_id is None:  # moved out of its group (a first baseline may still be given) or left
        return None if firm.withdrawn_at is None else (
            "The baseline survey is closed: the business has already taken part in the "
            "programme, and the baseline records it before the programme")
    first = firm_first_meeting(firm=firm)
    if first is not None and first.starts_at <= (now or timezone.now()):
        return (f"The baseline survey closed when the group’s first meeting began on "
                f"{day_long(first.starts_at)}: it records the business before the programme, so "
                "it can no longer be given")
    return None


@transaction.atomic
def diagnostic_submit(*, firm: Firm, wave: str, answers: dict[str, str], user=None,
                      today: date | None = None, enforce_window: bool = True) -> DiagnosticResponse:
    """Record (or replace) a firm's answers for one survey wave. A wave that has not opened yet
    (``wave_opens_on``) is refused, and so is a baseline once the firm is in a group
    (``baseline_refusal``); ``enforce_window=False`` records answers given at the time they say
    (the demo's made-up history, which dates them itself)."""
    if wave not in Wave.values:
        raise PeersFieldError("Choose when this survey is for", field="wave")
    opens = wave_opens_on(programme=firm.programme, wave=wave)
    if enforce_window and opens is not None and (today or timezone.localdate()) < opens:
        raise PeersFieldError(f"The survey ‘{Wave(wave).label}’ opens on {day_long(opens)}: "
                              "it asks what changed, so it comes after the meetings", field="wave")
    if enforce_window and wave == Wave.BASELINE:
        Firm.objects.select_for_update().filter(pk=firm.pk).first()  # one answer at a time
        refusal = baseline_refusal(firm=firm)
        if refusal:
            raise PeersFieldError(refusal, field="wave")
    clean = answers_clean(answers=answers)
    scores = diagnostic_score(answers=clean)
    response, _ = DiagnosticResponse.objects.update_or_create(
        firm=firm, wave=wave, defaults={
            "answers": clean, "management_score": scores.management,
            "continuous_improvement": scores.areas["continuous_improvement"],
            "kpis": scores.areas["kpis"], "targets": scores.areas["targets"],
            "employment": scores.areas["employment"], "digital_index": scores.digital,
            "instrument": INSTRUMENT,
            "submitted_by": user if user is not None and user.pk else None})
    return response


def _arms(programme: Programme) -> dict[str, Q]:
    """Participants (``participant_q``) and the comparison group (``comparison_q``): firms
    marked comparison that were never placed in a group and never attended a group meeting (a
    firm the programme assigned or reached is not a comparison; Locus refuses to mark one, and
    this also leaves out any marked before that rule)."""
    return {"participants": participant_q("firm__"), "comparison": comparison_q("firm__")}


def programme_first_meeting_at(*, programme: Programme):
    """When the programme's first (not cancelled) meeting began or begins; None without one."""
    return (Meeting.objects.filter(group__programme=programme, status=MeetingStatus.SCHEDULED)
            .aggregate(first=Min("starts_at"))["first"])


EXCLUSION_REASON = ("an end or follow-up survey first answered before the firm joined a group "
                    "or before the programme’s first meeting cannot show what the programme "
                    "changed (changing the answers later does not), so that firm is left out")


def _pairs(programme: Programme, arm: Q, wave: str, first_meeting
           ) -> tuple[dict[str, list[tuple[float, float]]], int]:
    """(baseline, after) per measure for firms with both, and how many firms were left out
    because their after survey came before the firm's group (participants) or before the
    programme's first meeting (both arms)."""
    rows = (DiagnosticResponse.objects.filter(arm, firm__programme=programme,
                                              wave__in=[Wave.BASELINE, wave])
            .values("firm_id", "wave", "first_submitted_at", "firm__grouped_at", "firm__arm",
                    "management_score", "digital_index", *_FIELD))
    by_firm: dict[int, dict[str, dict]] = {}
    for r in rows:
        by_firm.setdefault(r["firm_id"], {})[r["wave"]] = r
    out: dict[str, list[tuple[float, float]]] = {m: [] for m in MEASURES}
    excluded = 0
    for waves in by_firm.values():
        if Wave.BASELINE not in waves or wave not in waves:
            continue
        after = waves[wave]
        grouped = after["firm__grouped_at"] if after["firm__arm"] == Arm.PARTICIPANT else None
        given = after["first_submitted_at"]  # a later edit does not move when they were given
        if first_meeting is None or given < first_meeting \
                or (grouped is not None and given < grouped):
            excluded += 1
            continue
        for m in MEASURES:
            out[m].append((waves[Wave.BASELINE][m], after[m]))
    return out, excluded


# Below this many firms in either group the report warns that its figures are fragile
# (docs/methodology/peer-outcomes.md, "Small groups"): a rule of thumb, not a statistical
# boundary. Every measure counts the same firms, so there is one size per group.
SMALL_GROUP = 10


def _firms(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def small_group_caution(*, participants: int, comparison: int | None) -> str | None:
    """Plain words for a programme manager or evaluator when a group counted in the report has
    fewer than SMALL_GROUP firms (``comparison`` None: the programme has no comparison group).
    None when every group is large enough."""
    groups = [(participants, "participant")]
    if comparison is not None:
        groups.append((comparison, "comparison firm"))
    none = [noun for n, noun in groups if n == 0]
    few = [(n, noun) for n, noun in groups if 0 < n < SMALL_GROUP]
    out = []
    if none:
        out.append(f"No {' or '.join(f'{noun}s' for noun in none)} count in this report yet (a "
                   "firm counts once it has answered the baseline and the later survey), so "
                   "there is nothing to compare yet.")
    if few:
        counted = " and ".join(_firms(n, noun) for n, noun in few)
        verb = "counts" if len(few) == 1 and few[0][0] == 1 else "count"
        which = ("each of these groups" if len(few) > 1 else
                 "the comparison group" if few[0][1] == "comparison firm" else "this group")
        single = " (with a single firm there is none)" if any(n == 1 for n, _ in few) else ""
        if comparison is None:
            what = "the change"
        elif all(noun == "comparison firm" for _, noun in few):
            what = "the difference against the comparison group"
        else:
            what = "the change and the difference against the comparison group"
        out.append(f"Only {counted} {verb} in this report (fewer than {SMALL_GROUP} in "
                   f"{which}). With so few firms, one firm's answers can move the result a long "
                   f"way and the ranges we can be 95% sure of are wide{single}; they also "
                   "assume that "
                   "firms' changes are spread roughly evenly around the average, which so few "
                   f"firms cannot show. Treat {what} as a first indication, not as evidence of "
                   "what the programme changed.")
    return " ".join(out) or None


def outcomes_report(*, programme: Programme, wave: str = Wave.END) -> dict:
    """Per measure: change among participants, among the comparison group, and the difference
    (difference in differences). Only firms with both a baseline and the chosen wave count, and
    only when the later survey was first answered after the programme's first meeting and, for
    participants, after the firm joined a group (``excluded`` counts the others)."""
    if wave not in (Wave.END, Wave.FOLLOW_UP):
        raise PeersFieldError("Choose the programme end or six months after", field="wave")
    arms = _arms(programme)
    first_meeting = programme_first_meeting_at(programme=programme)
    treated, left_out = _pairs(programme, arms["participants"], wave, first_meeting)
    comparison, left_out_c = _pairs(programme, arms["comparison"], wave, first_meeting)
    rows = []
    for key, label in MEASURES.items():
        t = paired_change(pairs=treated[key])
        c = paired_change(pairs=comparison[key])
        rows.append({"key": key, "label": label, "participants": t, "comparison": c,
                     "difference": welch_difference(treated=t, comparison=c)})
    counts = (DiagnosticResponse.objects.filter(firm__programme=programme)
              .values("wave").annotate(
                  participants=Count("pk", filter=arms["participants"]),
                  comparison=Count("pk", filter=arms["comparison"])))
    has_comparison = programme.comparison != "none" \
        or Firm.objects.filter(programme=programme, arm=Arm.COMPARISON).exists()
    sizes = {"participants": rows[0]["participants"].n, "comparison": rows[0]["comparison"].n}
    # the plain-words lead of each row, made from the row's own figures (the table's)
    kind = programme.comparison if has_comparison else None
    for row in rows:
        row["summary"] = outcome_sentences(row=row, wave=wave, comparison_kind=kind)
    return {"wave": wave, "wave_label": Wave(wave).label, "rows": rows,
            "responses": {r["wave"]: r for r in counts},
            "excluded": {"participants": left_out, "comparison": left_out_c},
            "first_meeting": first_meeting, "has_comparison": has_comparison, "sizes": sizes,
            "caution": small_group_caution(
                participants=sizes["participants"],
                comparison=sizes["comparison"] if has_comparison else None)}


def pseudonym(*, firm_id: int, programme_id: int) -> str:
    """A stable id that cannot be turned back into the firm without the server's secret."""
    digest = hmac.new(settings.SECRET_KEY.encode(), f"peers:{programme_id}:{firm_id}".encode(),
                      hashlib.sha256).hexdigest()
    return f"F{digest[:10]}"


# arm is the arm the firm is marked with; report_arm the one the outcomes report counts it in
# (participant, comparison, or blank when in neither: a firm marked comparison that was once placed
# in a group or present at a meeting, or a participant never placed); ever_grouped is yes once the
# firm has been placed in a group, even if it left
# The dates follow, so that existing readers of the columns before them are not disturbed: when
# the firm registered, its cohort's start, when it was (last) placed in a group, the first
# meeting of its group now (cancelled ones aside), the first meeting it came to, when it withdrew,
# and when the row's survey was first answered and last changed. Each is only the month (ISO 8601
# YYYY-MM, UK time): exact days with the SIC division, ITL3, size band and group could single a
# firm out (security review H30, finding 10; ADR 37). What the report needs exact days for, its
# survey-timing rule, is given worked out in ``answered_in_time`` (the last column).
EXPORT_DATES = ["registered_on", "cohort_starts_on", "joined_group_on", "group_first_meeting_on",
                "first_attended_on", "withdrawn_on", "answered_on", "changed_on"]
EXPORT_COLUMNS = ["firm", "arm", "report_arm", "ever_grouped", "group", "sic_division",
                  "employees_band", "itl3", "wave",
                  "management_score", "continuous_improvement", "kpis", "targets", "employment",
                  "digital_index", "meetings_attended", "withdrawn", *EXPORT_DATES,
                  "answered_in_time"]


# A DEMO programme's export says so on every row, in a first column (read by every CSV tool; a
# comment line above the header would be taken for the header by most), and in the firm id, so
# a row copied out of the file or a file without that column still says DEMO.
DEMO_COLUMN = "demo"
DEMO_ID_PREFIX = "DEMO-"


def export_columns(*, programme: Programme) -> list[str]:
    """The evaluator export's columns: a DEMO programme's start with ``demo``."""
    return [DEMO_COLUMN, *EXPORT_COLUMNS] if programme.is_demo else list(EXPORT_COLUMNS)


def _band(n: int) -> str:
    for upper, label in ((9, "0-9"), (49, "10-49"), (249, "50-249")):
        if n <= upper:
            return label
    return "250+"


def evaluator_export_csv(*, programme: Programme) -> str:
    """One row per firm and wave, without names, numbers, postcodes or contacts; only firms
    whose contact agreed to research use. Groups are relabelled so labels reveal nothing. A DEMO
    programme's rows start with ``demo`` = ``DEMO`` and its firm ids with ``DEMO-``."""
    present = Q(attendance__status=Presence.PRESENT)
    firms = (Firm.objects.filter(programme=programme, contacts__consent_research=True)
             .distinct().select_related("group", "itl3", "cohort")
             .annotate(attended=Count("attendance", filter=present, distinct=True),
                       first_attended=Min("attendance__meeting__starts_at", filter=present)))
    group_starts = dict(Meeting.objects.filter(group__programme=programme,
                                               status=MeetingStatus.SCHEDULED)
                        .values("group_id").annotate(first=Min("starts_at"))
                        .values_list("group_id", "first"))
    # the report's arms (``_arms``), looked up apart: a subquery inside the grouped count above
    # would be grouped by too
    in_arm = {arm: set(Firm.objects.filter(q, programme=programme).values_list("pk", flat=True))
              for arm, q in (("participant", participant_q()), ("comparison", comparison_q()))}
    first_meeting = programme_first_meeting_at(programme=programme)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(export_columns(programme=programme))
    mark = ["DEMO"] if programme.is_demo else []
    prefix = DEMO_ID_PREFIX if programme.is_demo else ""
    group_alias: dict[int, str] = {}
    responses = DiagnosticResponse.objects.filter(firm__in=firms).order_by("firm_id", "wave")
    by_firm: dict[int, list[DiagnosticResponse]] = {}
    for r in responses:
        by_firm.setdefault(r.firm_id, []).append(r)
    for firm in sorted(firms, key=lambda f: pseudonym(firm_id=f.pk, programme_id=programme.pk)):
        group = ""
        if firm.group_id:
            group = group_alias.setdefault(firm.group_id, f"group-{len(group_alias) + 1}")
        report_arm = next((arm for arm, pks in in_arm.items() if firm.pk in pks), "")
        base = [*mark, prefix + pseudonym(firm_id=firm.pk, programme_id=programme.pk),
                firm.arm, report_arm,
                "yes" if firm.grouped_at else "no", group,
                firm.sic[:2], _band(firm.employees), firm.itl3.code if firm.itl3 else ""]
        dates = [_month(firm.registered_at),
                 _month(firm.cohort.starts_on if firm.cohort else None),
                 _month(firm.grouped_at), _month(group_starts.get(firm.group_id)),
                 _month(firm.first_attended), _month(firm.withdrawn_at)]
        for r in by_firm.get(firm.pk, []) or [None]:
            scores = ["", "", "", "", "", "", ""] if r is None else [
                r.wave, *(f"{getattr(r, k):.4f}" for k in
                          ("management_score", *_FIELD, "digital_index"))]
            answered = ["", ""] if r is None else [_month(r.first_submitted_at),
                                                   _month(r.submitted_at)]
            writer.writerow(base + scores + [firm.attended, "yes" if firm.withdrawn_at else "no"]
                            + dates + answered + [_in_time(r, firm, first_meeting)])
    return buffer.getvalue()


def _in_time(r: DiagnosticResponse | None, firm: Firm, first_meeting) -> str:
    """The report's survey-timing rule (``_pairs``) for a row's end or follow-up survey: "yes"
    when it was first answered after the programme's first meeting and, for a firm marked
    participant, after it was placed in a group; "no" when not (the report leaves that firm out
    of that wave); blank for a baseline or no survey."""
    if r is None or r.wave == Wave.BASELINE:
        return ""
    grouped = firm.grouped_at if firm.arm == Arm.PARTICIPANT else None
    given = r.first_submitted_at
    late_enough = first_meeting is not None and given >= first_meeting \
        and (grouped is None or given >= grouped)
    return "yes" if late_enough else "no"


def _month(value) -> str:
    """The month (ISO 8601 YYYY-MM, UK time for a moment); blank for none."""
    return _day(value)[:7]


def _day(value) -> str:
    """An ISO 8601 day (YYYY-MM-DD), in UK time for a moment; blank for none."""
    if value is None:
        return ""
    if hasattr(value, "hour"):
        value = timezone.localtime(value).date()
    return value.isoformat()
