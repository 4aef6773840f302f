"""Great-circle distances (haversine, mean Earth radius) for scalars and arrays."""

from __future__ import annotations

import math

import numpy as np

EARTH_RADIUS_KM = 6371.0088


def haversine_km(*, lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Distance in km between two points given in decimal degrees (WGS84)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def _unit_vectors(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    p, lam = np.radians(lat), np.radians(lon)
    return np.stack([np.cos(p) * np.cos(lam), np.cos(p) * np.sin(lam), np.sin(p)], axis=-1)


def haversine_matrix(*, lat_a: np.ndarray, lon_a: np.ndarray, lat_b: np.ndarray,
                     lon_b: np.ndarray) -> np.ndarray:
    """Matrix of great-circle distances (km) between points a (rows) and b (columns).

    Computed from the chord between unit vectors (same great-circle distance as the
    haversine formula, to well under a metre at these scales); NaN where a point is unknown.
    """
    a = _unit_vectors(np.asarray(lat_a, dtype=float), np.asarray(lon_a, dtype=float))
    b = _unit_vectors(np.asarray(lat_b, dtype=float), np.asarray(lon_b, dtype=float))
    dot = sum(a[:, k][:, None] * b[:, k][None, :] for k in range(3))  # no BLAS threads
    chord2 = np.maximum(2.0 - 2.0 * dot, 0.0)
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(chord2) / 2))
