"""Session 49 (issue 13, time): the pool's and spare windows' column rules taken for all columns at once
(gis.delineate.pool.column_fits) and the chains' band and head rules in Python numbers (gis.delineate.chains)
give the same answers as the column-by-column and numpy rules they replace (copied here as they were)."""

import numpy as np

from yuanluo.gis.delineate.chains import _keeps_rules, _lack
from yuanluo.gis.delineate.improve import head_lack
from yuanluo.gis.delineate.pool import column_fits
from yuanluo.gis.delineate.problem import Settings


def _fits_one_by_one(cols, now, w, seed, lblock, lo, hi):
    """The rule of pool._recombine and spare._columns before session 49, column by column."""
    out = []
    for i, m in enumerate(cols):
        if i >= now:
            lb = lblock[m][lblock[m] >= 0]
            if not lo <= w[m].sum() <= hi or seed[m].sum() > 1 \
                    or any((lblock == b).sum() != (lb == b).sum() for b in np.unique(lb).tolist()):
                out.append(False)
                continue
        out.append(True)
    return out


def _keeps_rules_numpy(s, w, hd, heads_for, before, chain):
    """chains._keeps_rules before session 49 (numpy arrays, head_lack)."""
    size, heads = before
    x, a, b, y, c = chain
    dz = {a: -w[x], b: w[x] - w[y]}
    dz[c] = dz.get(c, 0.0) + w[y]
    for q, d in dz.items():
        if not s.lo <= size[q] + d <= s.hi:
            return False
    if hd is None or heads is None:
        return True
    dh = {a: -hd[x], b: hd[x] - hd[y]}
    dh[c] = dh.get(c, 0.0) + hd[y]
    return all(head_lack(heads[q] + dh[q], size[q] + dz[q], heads_for) <= head_lack(heads[q], size[q], heads_for)
               for q in dz)


def test_column_fits_answers_as_column_by_column():
    rng = np.random.default_rng(49)
    seen = {True: 0, False: 0}
    for _ in range(400):
        n = int(rng.integers(3, 40))
        w = rng.integers(1, 4, size=n).astype(float)
        seed = rng.random(n) < 0.1
        head = rng.integers(0, 2, size=n) * (rng.random(n) < 0.3)
        lblock = np.where(rng.random(n) < 0.3, rng.integers(0, 4, size=n), -1) if rng.random() < 0.7 \
            else np.full(n, -1)
        cols = [np.sort(rng.choice(n, size=int(rng.integers(1, n + 1)), replace=False))
                for _ in range(int(rng.integers(1, 30)))]
        now = int(rng.integers(0, len(cols) + 1))
        lo, hi = float(rng.integers(1, 8)), float(rng.integers(8, 30))
        fits, wsum, hsum = column_fits(cols, now, w, seed, head, lblock, lo, hi)
        assert fits == _fits_one_by_one(cols, now, w, seed, lblock, lo, hi)
        assert wsum.tolist() == [w[m].sum() for m in cols]
        assert hsum.tolist() == [head[m].sum() for m in cols]
        for f in fits[now:]:
            seen[f] += 1
    assert seen[True] > 100 and seen[False] > 100  # both answers met


def test_lack_of_one_unit_is_head_lack():
    for h in [0, 1, 2, 3, 0.0, 1.0]:
        for z in [1, 5, 8, 9, 25.0]:
            for big in [None, 8]:
                assert _lack(h, z, big) == float(head_lack(h, z, big))


def test_chain_rules_in_python_numbers_answer_as_in_numpy():
    rng = np.random.default_rng(7)
    seen = {True: 0, False: 0}
    for _ in range(3000):
        n, k = 12, 4
        w = rng.integers(1, 4, size=n).astype(float)
        hd = rng.integers(0, 2, size=n) * (rng.random(n) < 0.4)
        size = rng.integers(2, 12, size=k).astype(float)
        heads = rng.integers(0, 3, size=k).astype(float)
        x, y = (int(v) for v in rng.choice(n, size=2, replace=False))
        a, b = (int(v) for v in rng.choice(k, size=2, replace=False))
        c = a if rng.random() < 0.4 else int(rng.choice([q for q in range(k) if q != b]))
        s = Settings(lo=float(rng.integers(2, 5)), hi=float(rng.integers(6, 12)), target=5.0)
        big = None if rng.random() < 0.5 else int(rng.integers(4, 9))
        with_heads = rng.random() < 0.8
        want = _keeps_rules_numpy(s, w, hd if with_heads else None, big,
                                  (size, heads if with_heads else None), (x, a, b, y, c))
        got = _keeps_rules(s, w.tolist(), hd.tolist() if with_heads else None, big,
                           (size.tolist(), heads.tolist() if with_heads else None), (x, a, b, y, c))
        assert got == bool(want)
        seen[got] += 1
    assert seen[True] > 300 and seen[False] > 300
