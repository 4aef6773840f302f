"""Diagnostics submitted by firms, the outcomes report (before/after with 95% confidence
intervals, against a comparison group where there is one) and the anonymised export."""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from locus.peers.diagnostics import AREAS, INSTRUMENT, answers_clean, diagnostic_score
from locus.peers.errors import PeersFieldError
from locus.peers.models import DiagnosticResponse, Firm, Programme
from locus.peers.models.firms import Arm
from locus.peers.models.meetings import Presence
from locus.peers.models.outcomes import Wave
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


@transaction.atomic
def diagnostic_submit(*, firm: Firm, wave: str, answers: dict[str, str], user=None,
                      today: date | None = None, enforce_window: bool = True) -> DiagnosticResponse:
    """Record (or replace) a firm's answers for one survey wave. A wave that has not opened yet
    (``wave_opens_on``) is refused; ``enforce_window=False`` records answers given at the time
    they say (the demo's made-up history)."""
    if wave not in Wave.values:
        raise PeersFieldError("Choose when this survey is for", field="wave")
    opens = wave_opens_on(programme=firm.programme, wave=wave)
    if enforce_window and opens is not None and (today or timezone.localdate()) < opens:
        raise PeersFieldError(f"The survey ‘{Wave(wave).label}’ opens on {opens.day} {opens:%B %Y}: "
                              "it asks what changed, so it comes after the meetings", field="wave")
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
    return {"participants": Q(firm__arm=Arm.PARTICIPANT, firm__grouped_at__isnull=False),
            "comparison": Q(firm__arm=Arm.COMPARISON)}


def _pairs(programme: Programme, arm: Q, wave: str) -> dict[str, list[tuple[float, float]]]:
    rows = (DiagnosticResponse.objects.filter(arm, firm__programme=programme,
                                              wave__in=[Wave.BASELINE, wave])
            .values("firm_id", "wave", "management_score", "digital_index", *_FIELD))
    by_firm: dict[int, dict[str, dict]] = {}
    for r in rows:
        by_firm.setdefault(r["firm_id"], {})[r["wave"]] = r
    out: dict[str, list[tuple[float, float]]] = {m: [] for m in MEASURES}
    for waves in by_firm.values():
        if Wave.BASELINE in waves and wave in waves:
            for m in MEASURES:
                out[m].append((waves[Wave.BASELINE][m], waves[wave][m]))
    return out


def outcomes_report(*, programme: Programme, wave: str = Wave.END) -> dict:
    """Per measure: change among participants, among the comparison group, and the difference
    (difference in differences). Only firms with both a baseline and the chosen wave count."""
    if wave not in (Wave.END, Wave.FOLLOW_UP):
        raise PeersFieldError("Choose the programme end or six months after", field="wave")
    arms = _arms(programme)
    treated = _pairs(programme, arms["participants"], wave)
    comparison = _pairs(programme, arms["comparison"], wave)
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
    return {"wave": wave, "wave_label": Wave(wave).label, "rows": rows,
            "responses": {r["wave"]: r for r in counts},
            "has_comparison": programme.comparison != "none"
            or Firm.objects.filter(programme=programme, arm=Arm.COMPARISON).exists()}


def pseudonym(*, firm_id: int, programme_id: int) -> str:
    """A stable id that cannot be turned back into the firm without the server's secret."""
    digest = hmac.new(settings.SECRET_KEY.encode(), f"peers:{programme_id}:{firm_id}".encode(),
                      hashlib.sha256).hexdigest()
    return f"F{digest[:10]}"


EXPORT_COLUMNS = ["firm", "arm", "group", "sic_division", "employees_band", "itl3", "wave",
                  "management_score", "continuous_improvement", "kpis", "targets", "employment",
                  "digital_index", "meetings_attended", "withdrawn"]


def _band(n: int) -> str:
    for upper, label in ((9, "0-9"), (49, "10-49"), (249, "50-249")):
        if n <= upper:
            return label
    return "250+"


def evaluator_export_csv(*, programme: Programme) -> str:
    """One row per firm and wave, without names, numbers, postcodes or contacts; only firms
    whose contact agreed to research use. Groups are relabelled so labels reveal nothing."""
    firms = (Firm.objects.filter(programme=programme, contacts__consent_research=True)
             .distinct().select_related("group", "itl3")
             .annotate(attended=Count("attendance", filter=Q(
                 attendance__status=Presence.PRESENT), distinct=True)))
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(EXPORT_COLUMNS)
    group_alias: dict[int, str] = {}
    responses = DiagnosticResponse.objects.filter(firm__in=firms).order_by("firm_id", "wave")
    by_firm: dict[int, list[DiagnosticResponse]] = {}
    for r in responses:
        by_firm.setdefault(r.firm_id, []).append(r)
    for firm in sorted(firms, key=lambda f: pseudonym(firm_id=f.pk, programme_id=programme.pk)):
        group = ""
        if firm.group_id:
            group = group_alias.setdefault(firm.group_id, f"group-{len(group_alias) + 1}")
        base = [pseudonym(firm_id=firm.pk, programme_id=programme.pk), firm.arm, group,
                firm.sic[:2], _band(firm.employees), firm.itl3.code if firm.itl3 else ""]
        for r in by_firm.get(firm.pk, []) or [None]:
            scores = ["", "", "", "", "", "", ""] if r is None else [
                r.wave, *(f"{getattr(r, k):.4f}" for k in
                          ("management_score", *_FIELD, "digital_index"))]
            writer.writerow(base + scores + [firm.attended, "yes" if firm.withdrawn_at else "no"])
    return buffer.getvalue()
