"""Peer networks: facilitated local peer-learning programmes for firms (measure 2 of the brief).

Recruitment, groups formed by the engine in `locus.grouping`, meetings with calendar invites,
attendance, diagnostics (ONS MES-style management score and a digital-adoption index), outcomes
and a cost ledger limited to facilitation, hosting and promotion.
"""
