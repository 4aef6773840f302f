"""Models of the peer-networks room, one module per concern."""

from locus.peers.models.firms import Contact, DeclaredPair, Firm
from locus.peers.models.jobs import FormationJob
from locus.peers.models.meetings import (
    ActionItem,
    Attendance,
    CalendarToken,
    Meeting,
    Rsvp,
    SessionFeedback,
)
from locus.peers.models.outcomes import CostEntry, DiagnosticResponse
from locus.peers.models.programme import (
    Cohort,
    Facilitator,
    FormationRun,
    PeerGroup,
    Programme,
    Theme,
    Venue,
)

__all__ = [
    "ActionItem", "Attendance", "CalendarToken", "Cohort", "Contact", "CostEntry",
    "DeclaredPair", "DiagnosticResponse", "Facilitator", "Firm", "FormationJob", "FormationRun", "Meeting", "PeerGroup",
    "Programme", "Rsvp", "SessionFeedback", "Theme", "Venue",
]
