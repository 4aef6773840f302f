"""Specialisation: location quotients and economic complexity.

Location quotient ``LQ[r, i] = (E[r, i] / E[r]) / (E[i] / E)`` (employment or GVA of region r in
sector i; E without an index is a total over regions or sectors). A region is specialised in a
sector when ``LQ >= 1`` (the presence matrix M of the complexity literature).

Economic complexity (Hidalgo and Hausmann's method of eigenvectors, as in Harvard Growth Lab's
``py-ecomplexity``): with diversity ``k_r = sum_i M[r, i]`` and ubiquity ``k_i = sum_r M[r, i]``,
``M~[r, r'] = sum_i M[r, i] M[r', i] / (k_r k_i)``; the ECI is the eigenvector of the second
largest eigenvalue of M~, signed to correlate positively with diversity and z-scored. The PCI
(sector complexity) is the analogous eigenvector of the sector matrix, standardised with the
ECI's own mean and standard deviation before z-scoring, as in ``py-ecomplexity``.
"""

from __future__ import annotations

import numpy as np


def location_quotients(values: np.ndarray, *, reference: np.ndarray | None = None) -> np.ndarray:
    """LQ of every region (rows) in every sector (columns); NaN where undefined.

    The national shares ``E_i / E`` come from the rows themselves when they tile the country (ITL1
    or ITL2 regions), and from ``reference`` (the country's employment by sector) when they do not:
    the Combined Authorities cover about a third of Great Britain's jobs and no London, so their own
    total is not the nation."""
    e = np.asarray(values, dtype=float)
    if e.ndim != 2 or (e < 0).any():
        raise ValueError("values must be a non-negative regions x sectors matrix")
    region_tot = e.sum(axis=1, keepdims=True)
    if reference is None:
        sector_tot = e.sum(axis=0, keepdims=True)
    else:
        sector_tot = np.asarray(reference, dtype=float).reshape(1, -1)
        if sector_tot.shape[1] != e.shape[1] or (sector_tot < 0).any():
            raise ValueError("reference must give a non-negative value for each sector (column)")
    total = sector_tot.sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        lq = (e / region_tot) / (sector_tot / total)
    return np.where(np.isfinite(lq), lq, np.nan)


def _second_eigenvector(m: np.ndarray, k_rows: np.ndarray, k_cols: np.ndarray) -> np.ndarray:
    """Eigenvector of the second largest eigenvalue of ``D_r^-1 M D_c^-1 M^T`` computed through the
    similar symmetric matrix ``D_r^-1/2 M D_c^-1 M^T D_r^-1/2`` (real spectrum, ``eigh``)."""
    half = 1.0 / np.sqrt(k_rows)
    left = m * half[:, None]
    sym = (left / k_cols[None, :]) @ left.T
    _vals, vecs = np.linalg.eigh(sym)  # ascending eigenvalues
    return half * vecs[:, -2]


def complexity(values: np.ndarray, *, threshold: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """(ECI per region, PCI per sector) from a regions x sectors matrix of employment or value."""
    lq = location_quotients(values)
    m = (np.nan_to_num(lq, nan=0.0) >= threshold).astype(float)
    keep_r = m.sum(axis=1) > 0
    keep_i = m.sum(axis=0) > 0
    eci = np.full(m.shape[0], np.nan)
    pci = np.full(m.shape[1], np.nan)
    if keep_r.sum() < 3 or keep_i.sum() < 2:
        return eci, pci
    mk = m[np.ix_(keep_r, keep_i)]
    kr = mk.sum(axis=1)
    ki = mk.sum(axis=0)
    e = _second_eigenvector(mk, kr, ki)
    p = _second_eigenvector(mk.T, ki, kr)
    if np.corrcoef(e, kr)[0, 1] < 0:
        e = -e
    # the sector vector is signed to agree with the region vector through M
    if np.corrcoef((mk / kr[:, None]) @ p, e)[0, 1] < 0:
        p = -p
    e_mean, e_sd = e.mean(), e.std()
    eci[keep_r] = (e - e_mean) / e_sd
    p_std = (p - e_mean) / e_sd
    pci[keep_i] = (p_std - p_std.mean()) / p_std.std()
    return eci, pci
