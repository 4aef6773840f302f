"""The roles of Locus, as Django groups. Rooms grant permissions to these groups."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    ADMINISTRATOR = "administrator"
    ANALYST = "analyst"
    PROGRAMME_MANAGER = "programme manager"
    FACILITATOR = "facilitator"
    FIRM_MEMBER = "firm member"


ROLE_DESCRIPTIONS = {
    Role.ADMINISTRATOR: "Manages users, data loads and the admin site.",
    Role.ANALYST: "Combined Authority or DSIT analyst: builds atlases, edits infrastructure, exports data.",
    Role.PROGRAMME_MANAGER: "Runs peer-learning programmes: recruitment, groups, costs.",
    Role.FACILITATOR: "Facilitates peer groups: meetings, attendance, notes.",
    Role.FIRM_MEMBER: "A firm taking part in a programme: sees its own group and meetings.",
}
