"""Collaboration rules as data: rule sets, the checker and the vectorised evaluator (no Django)."""
