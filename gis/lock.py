"""Locked units: what a planner fixed by hand, kept exactly while the delineator redraws the rest.

A plan table written by the editor (``yuanluo edit``) has a third column, 锁定 (``locked``), set on every row of a
locked unit; :func:`read_locks` reads it back (the plan readers ignore it). :func:`parse_lock_option` turns the
``--lock`` option (``U003,U007``, ``valid``, or nothing = the locks recorded in the plan) into unit ids.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from yuanluo.gis.plan import ID_ALIASES, UNIT_ALIASES, _find_col, _norm, _read_raw

__all__ = ["LOCK_ALIASES", "YES", "read_locks"]

#: Header names of the lock column (NFKC, lower case).
LOCK_ALIASES: tuple[str, ...] = ("锁定", "locked", "lock")
#: Cell values that mean "locked".
YES: frozenset[str] = frozenset({"1", "true", "yes", "y", "是", "t"})


def read_locks(path: str | Path) -> list[str]:
    """The units marked locked in a plan table (sorted; empty when the table has no lock column).

    Examples
    --------
    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "plan.csv")
    >>> _ = open(p, "w", encoding="utf-8-sig").write("户编号,院落编号,锁定\\n1,U1,是\\n2,U1,是\\n3,U2,\\n")
    >>> read_locks(p)
    ['U1']
    """
    raw = _read_raw(Path(path))
    for r in range(min(10, len(raw))):
        row = [str(x) for x in raw.iloc[r].tolist()]
        i, u, k = (_find_col(row, None, ID_ALIASES), _find_col(row, None, UNIT_ALIASES),
                   _find_col(row, None, LOCK_ALIASES))
        if i is not None and u is not None and i != u:
            if k is None:
                return []
            body = raw.iloc[r + 1:]
            units = np.array([_norm(x) for x in body.iloc[:, u].astype(str)], dtype=object)
            flag = np.array([_norm(x).lower() in YES for x in body.iloc[:, k].astype(str)], dtype=bool)
            return sorted({x for x in units[flag] if x})
    return []
