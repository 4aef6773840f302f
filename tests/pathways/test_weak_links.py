"""Weak links on a constructed case with a known answer."""

import numpy as np

from locus.pathways.weak_links import stage_weak_links, weak_links_compute


def _world(n=60, dip=0.3, seed=1):
    rng = np.random.default_rng(seed)
    x = rng.uniform(0.1, 0.9, n)
    y = 0.2 + 0.6 * x + rng.normal(0, 0.01, n)
    y[7] -= dip  # area 7 converts its research far worse than the rest
    y[11] += dip  # area 11 far better
    codes = [f"R{i:02d}" for i in range(n)]
    normal = [c for i, c in enumerate(codes) if i not in (7, 11)]  # planted areas are nobody's peer
    neighbours = {c: [p for p in normal if p != c][(i % 50):(i % 50) + 4] for i, c in enumerate(codes)}
    values = {c: y[i] + rng.normal(0, 0.01, 4) for i, c in enumerate(codes)}
    values = {c: v - v.mean() + y[i] for i, (c, v) in enumerate(values.items())}
    return codes, x, y, neighbours, values


def test_known_weak_link_is_found_and_others_are_not():
    codes, x, y, neighbours, values = _world()
    links = stage_weak_links(codes=codes, stage="ke", y=y, upstream=x[:, None], upstream_ids=["research"],
                             indicator_values=values, neighbours=neighbours, n_boot=500, seed=3)
    by = {link.area_code: link for link in links}
    assert by["R07"].is_weak and by["R07"].hi < 0
    assert abs(by["R07"].gap + 0.3) < 0.05  # the planted shortfall
    assert by["R11"].is_strong and not by["R11"].is_weak
    weak = {c for c, link in by.items() if link.is_weak}
    assert "R07" in weak and len(weak) <= 3  # at 95% a chance flag or two is expected among 60
    # expected is the regression line plus the neighbours' mean residual
    link = by["R20"]
    assert abs(link.expected - (0.2 + 0.6 * x[20])) < 0.05
    assert link.lo <= link.gap <= link.hi


def test_interval_widens_when_indicators_disagree():
    codes, x, y, neighbours, values = _world()
    noisy = dict(values)
    noisy["R30"] = np.asarray([y[30] - 0.4, y[30] + 0.4, y[30] - 0.4, y[30] + 0.4])
    base = {link.area_code: link for link in stage_weak_links(
        codes=codes, stage="s", y=y, upstream=x[:, None], upstream_ids=["r"], indicator_values=values,
        neighbours=neighbours, n_boot=400, seed=5)}
    wide = {link.area_code: link for link in stage_weak_links(
        codes=codes, stage="s", y=y, upstream=x[:, None], upstream_ids=["r"], indicator_values=noisy,
        neighbours=neighbours, n_boot=400, seed=5)}
    assert (wide["R30"].hi - wide["R30"].lo) > 3 * (base["R30"].hi - base["R30"].lo)


def test_reproducible_with_the_same_seed_and_skips_missing_scores():
    codes, x, y, neighbours, values = _world()
    scores = np.column_stack([x, y])
    scores[3, 1] = np.nan
    a = weak_links_compute(codes=codes, stage_ids=["research", "ke"], scores=scores,
                           indicator_values={(c, "ke"): values[c] for c in codes}, neighbours=neighbours,
                           n_boot=200, seed=9)
    b = weak_links_compute(codes=codes, stage_ids=["research", "ke"], scores=scores,
                           indicator_values={(c, "ke"): values[c] for c in codes}, neighbours=neighbours,
                           n_boot=200, seed=9)
    assert a == b
    assert "R03" not in {link.area_code for link in a}
    assert len(a) == len(codes) - 1


def test_areas_without_scores_never_leak_into_neighbour_means():
    codes, x, y, neighbours, values = _world()
    y = y.copy()
    y[0] = np.nan  # padded neighbour slots point at index 0: its NaN must not spread
    links = stage_weak_links(codes=codes, stage="s", y=y, upstream=x[:, None], upstream_ids=["r"],
                             indicator_values=values, neighbours=neighbours, n_boot=200, seed=2)
    assert all(np.isfinite([link.expected, link.lo, link.hi]).all() for link in links)


def test_bootstrap_counts_are_resamples_with_replacement():
    import numpy as np

    from locus.pathways.weak_links import _resample_counts

    counts = _resample_counts(np.random.default_rng(3), 7, 4000)
    assert counts.shape == (4000, 7) and (counts.sum(axis=1) == 7).all() and (counts >= 0).all()
    # each row is drawn once per resample on average, with the binomial(7, 1/7) spread
    assert np.allclose(counts.mean(axis=0), 1.0, atol=0.06)
    assert np.allclose(counts.var(axis=0), 7 * (1 / 7) * (6 / 7), atol=0.08)
