"""Commercialisation pathways (no Django, no DuckDB): stages, normalisation, scores, statistical
neighbours, weak links, opportunities and specialisation, as pure functions over Arrow tables and
numpy arrays."""
