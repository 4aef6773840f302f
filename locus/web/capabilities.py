"""The four capabilities, one per measure of the brief, as shown in the header and home page."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Capability:
    key: str
    title: str
    measure: str
    summary: str
    path: str


CAPABILITIES: tuple[Capability, ...] = (
    Capability(
        "atlas", "Atlas", "Measure 1: map investment opportunities in commercialisation pathways",
        "See how each place turns research into firms and productivity: research, knowledge "
        "exchange, spin-outs, new and growing firms, finance and productivity. Find the weak "
        "links compared with similar places, and where strong university research meets a weak "
        "next step.", "/atlas/"),
    Capability(
        "peers", "Peer networks", "Measure 2: local peer-learning networks of firms",
        "Run facilitated groups of owner-managers from non-competing firms who meet online and "
        "face to face to share management and digital practice, and see what changed.",
        "/peers/"),
    Capability(
        "collaboration", "Collaboration", "Measure 3: collaboration as a condition of R&D support",
        "Check whether a consortium meets a funder's collaboration rules, see what a rule such as "
        "'every grant includes a small firm' would change, and find partners nearby.",
        "/collaboration/"),
    Capability(
        "policy", "Policy learning", "Measure 4: capacity in local innovation policy",
        "Learn from rated cases of what other places did, find peer Combined Authorities, "
        "and build an evidence pack with costed measures for a strategy.", "/policy/"),
)
