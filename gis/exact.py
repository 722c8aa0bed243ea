"""Exact and bounded models for small delineation problems (scipy.optimize.milp, HiGHS).

:func:`size_bounded_pmedian` solves a p-median model with size bounds on the shortest-path walking
times of one connected component, *ignoring contiguity*. Because a delineation's units are connected,
each unit's walking times inside the unit are at least the shortest-path times in the whole
component; so for the same number of units ``p`` the model's optimum (or HiGHS's dual bound when
stopped by the time limit) is a proven lower bound on the total walking time of any delineation.
When its optimal assignment happens to be contiguous it is itself an optimal delineation.

:func:`highs_milp` is the one way Yuanluo calls HiGHS (``tests/test_s57_h_quiet_solver.py``):
``scipy.optimize.milp`` with the solver's own C-level writes to standard output silenced
(:func:`quiet_native_stdout`). HiGHS prints some debugging lines with ``printf``, outside ``disp`` (seen:
``HighsMipSolverData::transformNewIntegerFeasibleSolution tmpSolver.run();``), which would otherwise land in a
Chinese console or in a piped command's output.
"""

from __future__ import annotations

import ctypes
import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.optimize
import scipy.sparse as sp
from scipy.optimize import Bounds, LinearConstraint

_QUIET_LOCK = threading.Lock()
#: whether a :func:`quiet_native_stdout` block holds file descriptor 1 on devnull now (its owner restores it)
_quiet_on = False
_libc: list[Any] = []  # the C library, once looked up ([None] where there is none to call)


def _flush_c_stdio() -> None:
    """``fflush(NULL)``: the C library's buffered output (HiGHS's ``printf``, fully buffered on a pipe) written out
    now, before file descriptor 1 changes, not after it is back. Nothing where the C library cannot be loaded."""
    if not _libc:
        try:  # Windows: the universal C runtime Python and scipy's HiGHS share; CDLL(None) is a TypeError there
            _libc.append(ctypes.CDLL("ucrtbase" if os.name == "nt" else None))
        except (OSError, TypeError, AttributeError):
            _libc.append(None)
    if _libc[0] is not None:
        _libc[0].fflush(None)


def _flush_python_stdout() -> None:
    try:
        sys.stdout.flush()
    except (AttributeError, OSError, ValueError):
        pass


def _silence_fd1() -> int | None:
    """File descriptor 1 pointed at devnull; returns a copy of the old one, or ``None`` (nothing changed) where
    ``sys.stdout`` has no file descriptor (pytest's ``capsys``, a notebook's stream) or the change fails."""
    try:
        sys.stdout.flush()
        sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # io.UnsupportedOperation is both of the last two
        return None
    saved = None
    try:
        _flush_c_stdio()
        saved = os.dup(1)
        null = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(null, 1)
        finally:
            os.close(null)
    except OSError:
        if saved is not None:
            os.close(saved)
        return None
    return saved


@contextmanager
def quiet_native_stdout() -> Iterator[None]:
    """Within the block, writes to file descriptor 1 (C code's ``printf``, ``os.write(1, ...)``) go to devnull;
    standard error is left alone (Python's tracebacks, faulthandler, the CLI's progress). The block that turned
    it on turns it off, also on an exception or Ctrl-C; a block within it, in this thread or another (a solve in
    a worker thread while its caller waits), changes nothing. Where ``sys.stdout`` has no file descriptor
    (pytest's ``capsys``, a doctest, a notebook), nothing is redirected. What Python itself prints within the
    block is lost as well (``sys.stdout`` is flushed on the way in and out).
    """
    global _quiet_on
    with _QUIET_LOCK:
        saved = None if _quiet_on else _silence_fd1()
        if saved is not None:
            _quiet_on = True
    try:
        yield
    finally:
        if saved is not None:
            with _QUIET_LOCK:
                try:
                    _flush_python_stdout()
                    _flush_c_stdio()
                    os.dup2(saved, 1)
                finally:
                    os.close(saved)
                    _quiet_on = False


def highs_milp(c: Any, **kwargs: Any) -> Any:
    """``scipy.optimize.milp(c, **kwargs)`` (HiGHS) within :func:`quiet_native_stdout`: its result, nothing
    printed.

    >>> highs_milp(np.array([1.0, 2.0]), integrality=np.ones(2), bounds=Bounds(1, 3)).x.tolist()
    [1.0, 1.0]
    """
    with quiet_native_stdout():
        return scipy.optimize.milp(c, **kwargs)  # looked up at the call: a test may stand in for HiGHS


@dataclass(frozen=True)
class PMedianResult:
    """Outcome of :func:`size_bounded_pmedian`.

    Attributes
    ----------
    lower_bound : float
        Proven lower bound on the total walking time for ``p`` units (``nan`` if none was found).
    objective : float
        Objective of the best integer assignment found (``nan`` if none).
    median : ndarray of int or None
        For each node, the node position of its median (meeting point), when an assignment was found.
    optimal : bool
        The MILP was solved to optimality (``lower_bound == objective``).
    status : str
        HiGHS's message.
    """

    lower_bound: float
    objective: float
    median: np.ndarray | None
    optimal: bool
    status: str


def size_bounded_pmedian(
    dist: np.ndarray,
    weights: np.ndarray,
    min_size: float,
    max_size: float,
    p: int,
    *,
    time_limit: float | None = None,
    node_limit: int | None = None,
    relax: bool = False,
) -> PMedianResult:
    """p-median with size bounds: min Σ d(i, median(i)) s.t. every cluster's weight in [min, max].

    Parameters
    ----------
    dist : ndarray, shape (n, n)
        Shortest-path walking minutes between nodes (finite).
    weights : ndarray, shape (n,)
        Size contributed by each node (1 per household, or persons).
    min_size, max_size : float
        Size band of a cluster.
    p : int
        Number of clusters.
    time_limit : float, optional
        Seconds for HiGHS; on timeout the dual bound is still a valid lower bound. A time limit makes the
        result depend on the machine's speed and load: leave it unset where output must be reproducible.
    node_limit : int, optional
        Branch-and-bound nodes for HiGHS: a deterministic work limit (same input, same result).
    relax : bool
        Solve the LP relaxation only (a weaker bound, fast for a few hundred nodes).

    Examples
    --------
    Four houses on a line, two pairs 10 minutes apart, clusters of exactly two:

    >>> x = np.array([0.0, 1.0, 10.0, 11.0])
    >>> r = size_bounded_pmedian(np.abs(x[:, None] - x[None, :]), np.ones(4), 2, 2, 2)
    >>> r.optimal, round(r.lower_bound, 6), len(set(r.median.tolist()))
    (True, 2.0, 2)
    """
    d = np.asarray(dist, dtype=float)
    w = np.asarray(weights, dtype=float)
    n = len(w)
    nx = n * n
    c = np.r_[d.ravel(), np.zeros(n)]
    ii, jj = np.divmod(np.arange(nx), n)  # x index k = i*n + j
    rows = []
    # 1. each node assigned once
    a1 = sp.csr_matrix((np.ones(nx), (ii, np.arange(nx))), shape=(n, nx + n))
    rows.append(LinearConstraint(a1, 1, 1))
    # 2. x_ij <= y_j
    a2 = sp.csr_matrix((np.r_[np.ones(nx), -np.ones(nx)], (np.r_[np.arange(nx), np.arange(nx)],
                                                           np.r_[np.arange(nx), nx + jj])), shape=(nx, nx + n))
    rows.append(LinearConstraint(a2, -np.inf, 0))
    # 3. size band: L y_j <= sum_i w_i x_ij <= U y_j
    a3w = sp.csr_matrix((w[ii], (jj, np.arange(nx))), shape=(n, nx + n))
    ylo = sp.csr_matrix((np.full(n, -float(min_size)), (np.arange(n), nx + np.arange(n))), shape=(n, nx + n))
    yhi = sp.csr_matrix((np.full(n, -float(max_size)), (np.arange(n), nx + np.arange(n))), shape=(n, nx + n))
    rows.append(LinearConstraint(a3w + ylo, 0, np.inf))
    rows.append(LinearConstraint(a3w + yhi, -np.inf, 0))
    # 4. p medians; a median serves itself
    a4 = sp.csr_matrix((np.ones(n), (np.zeros(n, dtype=int), nx + np.arange(n))), shape=(1, nx + n))
    rows.append(LinearConstraint(a4, p, p))
    diag = np.arange(n) * n + np.arange(n)
    a5 = sp.csr_matrix((np.r_[np.ones(n), -np.ones(n)], (np.r_[np.arange(n), np.arange(n)], np.r_[diag, nx + np.arange(n)])),
                       shape=(n, nx + n))
    rows.append(LinearConstraint(a5, 0, np.inf))
    integrality = np.zeros(nx + n) if relax else np.r_[np.zeros(nx), np.ones(n)]
    options: dict[str, Any] = {"disp": False}
    if time_limit is not None:
        options["time_limit"] = float(time_limit)
    if node_limit is not None:
        options["node_limit"] = int(node_limit)
    res = highs_milp(c, constraints=rows, integrality=integrality, bounds=Bounds(0, 1), options=options)
    lb = getattr(res, "mip_dual_bound", None)
    if relax or lb is None or not np.isfinite(lb):
        lb = float(res.fun) if (res.status == 0 and relax) else float("nan")
    median = None
    obj = float("nan")
    if res.x is not None and not relax:
        x = res.x[:nx].reshape(n, n)
        y = res.x[nx:]
        xr = np.where(y[None, :] > 0.5, x, -1.0)
        median = np.argmax(xr, axis=1)
        obj = float(d[np.arange(n), median].sum())
    optimal = bool(res.status == 0 and not relax)
    if optimal:
        lb = float(res.fun)
    return PMedianResult(lower_bound=float(lb), objective=obj, median=median, optimal=optimal,
                         status=str(res.message))
