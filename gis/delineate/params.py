"""The estimator's parameter constraints, and their check as coded, bilingual input errors.

:data:`PARAMETER_CONSTRAINTS` is declared in scikit-learn's form (``_parameter_constraints``), so
scikit-learn's tools read it; :func:`check_params` checks the same constraints itself and reports every
bad value as a ``CLUSTER-PARAM`` problem naming the parameter, the value and the expected kind in zh and
en (never scikit-learn's English-only exception text), together with the checks across parameters
(``min_size <= max_size``, ``target_size`` within the band).

Examples
--------
>>> [p.params["param"] for p in check_params({"min_size": 20, "max_size": 50, "size_weight": -5})]
['size_weight']
>>> probs = check_params({"min_size": 30, "max_size": 20, "max_iter": "x"})
>>> print(probs[0].message("en").splitlines()[0])
Error CLUSTER-PARAM: bad delineation parameter max_iter='x': expected an integer of at least 0.
>>> print(probs[1].message("zh").splitlines()[0])
错误 CLUSTER-PARAM：划分参数 max_size 的值 20 无效，应为不小于 min_size（30）的整数。
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from numbers import Integral, Real
from typing import Any

from sklearn.utils._param_validation import Interval, StrOptions, make_constraint

from yuanluo.gis.catalogue import LANGS, text
from yuanluo.gis.errors import Problem, problem

__all__ = ["PARAMETER_CONSTRAINTS", "check_params", "param_problem"]

_POS_INT = Interval(Integral, 1, None, closed="left")
_NONNEG_INT = Interval(Integral, 0, None, closed="left")
_NONNEG = Interval(Real, 0, None, closed="left")
_POS = Interval(Real, 0, None, closed="neither")

PARAMETER_CONSTRAINTS: dict[str, list[Any]] = {
    "min_size": [_POS_INT],
    "max_size": [_POS_INT],
    "size_by": [StrOptions({"households", "persons"})],
    "target_size": [_POS, None],
    "nest_by": ["array-like"],
    "settlement_col": [str],
    "settlement_walk_min": [_NONNEG],
    "keep_settlements": ["boolean"],
    "keep_colocated": ["boolean"],
    "join_limit_min": [_NONNEG],
    "require_head": ["boolean"],
    "heads_for_size": [_POS_INT, None],
    "max_walk_min": [_POS, None],
    "exact": [StrOptions({"auto"}), "boolean"],
    "exact_max_n": [_POS_INT],
    "exact_time_limit": [_POS, None],
    "exact_node_limit": [_POS_INT],
    "head_exact_max_n": [_POS_INT],
    "head_chains": ["boolean"],
    "size_weight": [_NONNEG],
    "max_iter": [_NONNEG_INT],
    "recombine_passes": [_NONNEG_INT],
    "random_state": [_NONNEG_INT],
}


def _value(v: Any) -> str:
    r = repr(v)
    return r if len(r) <= 40 else r[:37] + "..."


def param_problem(param: str, value: Any, key: str, **fields: Any) -> Problem:
    """A ``CLUSTER-PARAM`` problem: ``param`` has ``value``, the catalogue text ``key`` says what it must be."""
    expected = {lang: text(key, lang, **fields) for lang in LANGS}
    return problem("CLUSTER-PARAM", param=param, value=_value(value), expected=expected)


def _bound(c: Interval, lang: Any) -> str:
    if c.left is None:
        return ""
    which = "ge" if c.closed in ("left", "both") else "gt"
    low = int(c.left) if c.type is Integral else c.left
    return text(f"delineate.bound.{which}", lang, low=low)


def _expected(constraints: Sequence[Any], lang: Any) -> str:
    """The constraints of one parameter in words."""
    parts: list[str] = []
    for c in constraints:
        if isinstance(c, Interval):
            kind = "int" if c.type is Integral else "number"
            parts.append(text(f"delineate.kind.{kind}", lang, bound=_bound(c, lang)))
        elif isinstance(c, StrOptions):
            parts.append(text("delineate.kind.options", lang, options=text("list.sep", lang).join(sorted(c.options))))
        elif c is None:
            parts.append("None")
        elif c == "boolean":
            parts.append(text("delineate.kind.bool", lang))
        elif c == "array-like":
            parts.append(text("delineate.kind.columns", lang))
        elif c is str:
            parts.append(text("delineate.kind.text", lang))
    return text("delineate.kind.or", lang).join(parts)


def _satisfied(value: Any, constraints: Sequence[Any]) -> bool:
    for c in constraints:
        if isinstance(c, Interval) and isinstance(value, bool):
            continue  # True is an Integral to Python, never a size or a count to a planner
        if make_constraint(c).is_satisfied_by(value):
            return True
    return False


def check_params(params: Mapping[str, Any]) -> list[Problem]:
    """Every bad parameter among ``params`` (a ``get_params()`` dict; absent ones are not checked)."""
    probs: list[Problem] = []
    for name, constraints in PARAMETER_CONSTRAINTS.items():
        if name not in params:
            continue
        v = params[name]
        ok = _satisfied(v, constraints)
        if name == "nest_by":  # a bare string is one column's name (as Rules takes it), never its letters
            ok = isinstance(v, str) or (ok and all(isinstance(c, str) for c in v))
        if not ok:
            expected = {lang: _expected(constraints, lang) for lang in LANGS}
            probs.append(problem("CLUSTER-PARAM", param=name, value=_value(v), expected=expected))
    bad = {p.params["param"] for p in probs}
    lo, hi = params.get("min_size"), params.get("max_size")
    if not {"min_size", "max_size"} & bad and lo is not None and hi is not None and lo > hi:
        probs.append(param_problem("max_size", hi, "delineate.kind.not_below", lo=lo))
    t = params.get("target_size")
    if (t is not None and not {"min_size", "max_size", "target_size"} & bad and lo is not None
            and hi is not None and lo <= hi and not lo <= t <= hi):
        probs.append(param_problem("target_size", t, "delineate.kind.in_band", lo=lo, hi=hi))
    return probs
