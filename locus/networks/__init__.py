"""Collaboration networks (Django-free core): graphs of organisations and projects, metrics per
place and the partner recommender. Built with the collaboration capability (see docs/adr)."""
