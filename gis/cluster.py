"""Delineation of courtyard units: :class:`UnitDelineator`, a pipeline of stages (:mod:`yuanluo.gis.delineate`).

Algorithm (per run; every step works on all nest groups and components at once). The stages live in
:mod:`yuanluo.gis.delineate`: ``prepare`` (steps 1–3), ``construct`` (4), ``repair``, ``rescue`` and ``settle`` (5),
``improve`` (6), ``bounds`` (7), ``result``; they share one
:class:`~yuanluo.gis.delineate.problem.DelineationProblem` built once per fit:

1. Households are put in hid order (determinism, row-order invariance); graph edges that cross a
   ``nest_by`` value are dropped, so every unit stays inside its village / villager group.
   Households at one location (one building: joined by a zero-length graph edge) are contracted into
   one node (size = summed size, walking time to a neighbour = the shortest of its members'), so they
   always share a unit. A location larger than the ceiling is first split into as few parts as needed,
   balanced and in hid order (``COLOC-SPLIT``); households at one location in different nest groups
   stay apart (``COLOC-NEST``). Steps 2–7 work on nodes; walking costs count each node once per
   household it holds, so the objective stays the total over households; labels are expanded after.
2. Components whose size cannot be split within the band (∃k: k·min ≤ n ≤ k·max fails) are joined to
   the nearest other component of the same nest group over the cheapest edge the graph pruned *for
   length only* (never river/water), if it is at most ``join_limit_min`` walking minutes.
3. Natural settlements (given, or detected by :mod:`yuanluo.gis.settlements`) become blocks. A spanning forest
   is built by walking time with edges inside a block made nearly free, so every block is a subtree.
4. A dynamic programme over the spanning forest chooses which tree edges to cut. State = size of the
   open part at a node (0..max); cost = size deviation from ``target_size`` ((s-T)²/T per unit),
   minus the walking minutes of each cut edge (cut at natural gaps), plus a penalty for cutting inside
   a settlement, plus a large penalty per household below the floor. Parts never exceed the ceiling.
5. Parts still below the floor in feasible components are repaired: merged with an adjacent unit, or
   merged and re-split along random spanning trees (a ReCom move). A part still below the floor is
   rescued: a region of whole units around it grows ring by ring (up to the whole component) and is cut
   anew, feasibility first, along more spanning trees (walking-time, jittered, random), then with
   settlements no longer kept whole (``SETTLEMENT-SPLIT`` warning: the band is a hard rule, a settlement a
   preference), then by an exact, node-limited feasibility MILP with contiguity for regions of at most
   40 nodes (200 searched at most in a run). What cannot be put in the band becomes an *exception* unit
   with its reason; nothing is dropped: ``RULE-INFEASIBLE`` when the component's size does not fit or the
   MILP proved that no
   contiguous split of the component exists, ``RULE-NOSPLIT`` when none was found within the budget. In a
   component whose size fits no split within the band, two neighbouring parts both outside it are re-split
   into the most parts within the band, then the least walk (:func:`~yuanluo.gis.delineate.heads.remnant_cut`):
   a path of 28 under 15–25 gives one unit of 15 and a remnant of 13, not two exceptions of 14.
   Settlement blocks that fit in one unit but are split are joined again (:mod:`~yuanluo.gis.delineate.settle`:
   a move of the block into one of its units, else a re-cut of its units and up to two rings of neighbours
   with the block contracted), keeping the band, contiguity and seeds; a block still split is a
   ``SETTLEMENT-SPLIT`` warning.
6. Local search: boundary households move between adjacent units when the exact total walking time to
   the units' meeting points (the household minimising the sum of shortest-path walking times inside
   the unit) drops, keeping bounds, contiguity and whole settlements.
   Then merge–resplit (the ReCom idea, optimising): two adjacent ``ok`` units are merged and re-split
   into the two contiguous parts within the band that walk least; candidates are the edge cuts of the
   merged set's minimum spanning tree and of shortest-path forests grown from two meeting points
   (two-medoid iteration), screened all at once with subtree sizes and a shortest-path lower bound, the
   best few evaluated exactly. Only strict improvements are taken; locked settlements stay whole, two
   seeds never share a part, nest groups are never crossed (their edges are gone). Pairs are visited
   in unit order for at most ``recombine_passes`` passes, each followed by the local search again.
   After the head stage (below), two-move chains (:mod:`~yuanluo.gis.delineate.chains`): a household moves
   to a neighbouring unit while one of that unit's moves on (or back: a swap), where one move alone would
   break the band or raise a unit's lack of candidate heads; taken when the walk drops strictly.
7. Optionally (``exact``), small components get a proven lower bound from :mod:`yuanluo.gis.exact`.
8. :func:`yuanluo.gis.invariants.verify_delineation` checks the result independently.

Candidate heads (``require_head`` with a ``head_candidate`` column; :mod:`yuanluo.gis.delineate.heads`):
steps 4–5 draw the units for walking alone. In the local search and merge–resplit a unit lacking a
candidate costs ``HEAD_SOFT_MIN`` (2) walking minutes, so the cheap fixes come almost free. Then the rule is
made hard (``head_fix``): each unit still lacking one is re-split with the neighbour whose re-split gives
both a candidate for the fewest walking minutes (keeping settlements whole first, else splitting one:
``SETTLEMENT-SPLIT``); a unit still lacking is re-cut with two units near it by the head-aware tree DP
(a candidate moves along a chain of three; of the sets that work, the one walking least), then with a
neighbour by the exact MILP (of the pairs that work, the one walking least); a component that still lacks,
usually because it holds too few candidates for its number of units, is cut anew with fewer units by the
head-aware tree DP (a state counts the open part's candidates) and re-cut around what still lacks, taken
when fewer heads lack; a small component that still lacks (at most ``head_exact_max_n`` nodes) is cut by the
exact MILP with a candidate in every part, or proven to have no such split (a larger one too, where a plain
reason of :mod:`~yuanluo.gis.delineate.headproof` holds); the units changed and their
neighbours are searched again with the hard rule (no move raises a unit's lack). Repairs and rescues of
parts below the floor keep the rule too (the rescue MILP first asks a candidate in every part). Components
are checked first (candidates at distinct locations ≥ the fewest units); units still without enough
candidates are exceptions ``HEAD-SHORT`` (the component is short, with the shortfall, or proven to have no
split) or ``HEAD-UNPLACED`` (a search limit; with ``head_chains``, the command line's ``--thorough-heads``, such
a unit is first re-cut with a chain of units to ones with a candidate to spare: :mod:`~yuanluo.gis.delineate.headchains`).
This order costs less walking than cutting
around the candidates from the start (``bench/results/heads.md``). With ``max_walk_min`` the local search and
merge–resplit pay a penalty per household beyond the limit of its meeting point, and an ``ok`` unit still
with one is a ``WALK-LIMIT`` exception.

Seed points (``fit(..., seeds=[hid, ...])``: traditional courtyard centres, existing meeting points) enter
steps 4–7: the DP state also records whether a part holds a seed and joining two seeded parts costs more
than any soft term (never more than one household below the floor), repairs merge two seeded parts only
after every re-split failed, seeds never move in the local search, and a unit's meeting point is its seed.
What the rules do not allow is reported (``SEED-MERGED``), never forced; see :meth:`UnitDelineator.fit`.

Default ``target_size``: the middle of the band, ``round((min + max) / 2)``. Pure walking time drives
units down to the floor (about 21 households under 20–50); the middle of the band halves the number of
heads a village must find, and leaves every unit room to gain or lose households later without leaving
the band.
Default ``size_weight`` 0.3: the target steers the number of units, not each unit's exact size. With a
weight of 1 the DP cut units at the target size rather than at natural gaps, which cost 6% more walking
at 1,000–3,000 synthetic households under 20–50 for 2–4% fewer units (bench/bench_compare.py).
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any, Literal

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClusterMixin

from yuanluo.gis import progress
from yuanluo.gis.delineate.alloc import alloc_walk
from yuanluo.gis.delineate.bounds import bounds
from yuanluo.gis.delineate.chains import chain_moves
from yuanluo.gis.delineate.construct import construct, heads_on
from yuanluo.gis.delineate.headchains import head_chains
from yuanluo.gis.delineate.heads import HEAD_SOFT_MIN, head_exceptions, head_fix, remnant_cut
from yuanluo.gis.delineate.improve import Units, local_search, locked_nodes, recombine
from yuanluo.gis.delineate.params import PARAMETER_CONSTRAINTS, check_params, param_problem
from yuanluo.gis.delineate.pool import pool_heads
from yuanluo.gis.delineate.prepare import prepare
from yuanluo.gis.delineate.problem import DelineationProblem, Settings, feasible
from yuanluo.gis.delineate.repair import repair
from yuanluo.gis.delineate.rescue import rescue
from yuanluo.gis.delineate.result import Outcome, Result, build_result
from yuanluo.gis.delineate.settle import settle_whole, split_blocks
from yuanluo.gis.delineate.spare import spare_windows
from yuanluo.gis.delineate.walk import walk_exceptions
from yuanluo.gis.errors import InputError, Problem, given_name, problem, require_metric
from yuanluo.gis.graph import TerrainGraph
from yuanluo.gis.invariants import verify_delineation
from yuanluo.gis.rules import Rules, nest_problems, require_rules, resolve_nest_by
from yuanluo.gis.settlements import DEFAULT_SETTLEMENT_WALK_MIN

__all__ = ["UnitDelineator", "SizeBy"]

SizeBy = Literal["households", "persons"]


def persons_problems(households: pd.DataFrame) -> list[Problem]:
    """What stops a delineation whose sizes count persons (``size_by = "persons"``): no persons column
    (``CHECK-PERSONS``, :func:`yuanluo.gis.check.no_persons_column`), or households whose count is blank, negative
    or not whole (``CLUSTER-PERSONS``, their ids); ``validate --rules`` says them before the delineation.

    >>> hh = pd.DataFrame({"persons": [3, None, 2.5]}, index=pd.Index(["H1", "H2", "H3"], name="hid"))
    >>> [(p.code, list(p.ids)) for p in persons_problems(hh)]
    [('CLUSTER-PERSONS', ['H2', 'H3'])]
    """
    if "persons" not in households.columns:
        from yuanluo.gis.check import no_persons_column

        return [no_persons_column(households)]  # no column at all: said so, not "0 households lack one"
    p = pd.to_numeric(households["persons"], errors="coerce")
    bad = p.isna() | (p < 0) | (p.fillna(0) % 1 != 0)
    return [problem("CLUSTER-PERSONS", ids=households.index.astype(str)[bad.to_numpy()])] if bad.any() else []


# ---------------------------------------------------------------------------------------------- estimator
class UnitDelineator(ClusterMixin, BaseEstimator):
    """Delineate courtyard units: contiguous, size-bounded, nested, settlement-aware.

    Parameters
    ----------
    min_size, max_size : int
        Hard size band of an ``ok`` unit (inclusive), in households or persons (``size_by``).
    size_by : {"households", "persons"}
        What a unit's size counts.
    target_size : float, optional
        Preferred unit size, the planner's steer on the number of units. Default: the middle of the band.
    nest_by : str or sequence of str
        Household columns a unit must not straddle; a bare string is one column (``nest_by="group"``, as in
        :class:`~yuanluo.gis.rules.Rules`). A nesting column Yuanluo knows (village, group, settlement
        or an alias) that the households lack is not applied; any other name they have no column for is a typo,
        ``RULE-NEST-UNKNOWN`` from :meth:`fit` (:func:`yuanluo.gis.rules.nest_problems`).
    settlement_col : str
        Column naming natural settlements; when absent, settlements are detected
        (:func:`yuanluo.gis.settlements.detect_settlements`, edges of at most ``settlement_walk_min``).
    settlement_walk_min : float
        Walking minutes that link households into one detected settlement.
    keep_settlements : bool
        Keep a settlement that fits in one unit whole: a rule wherever the size band allows. A settlement
        block (the connected piece of one settlement within one nest group, as
        :func:`yuanluo.gis.check.check_plan` reads it) of at most ``max_size`` is a subtree of every spanning
        tree, a split one is joined again after the repairs (:mod:`yuanluo.gis.delineate.settle`), and the
        local search, merge–resplit and exact adoption never split a whole one. One the band does not allow
        to keep whole is reported (``SETTLEMENT-SPLIT`` warning naming its households); a settlement larger
        than ``max_size`` is split where the walk is shortest and not reported (the check does not either).
    keep_colocated : bool
        Households at one location (one building: a zero-length graph edge joins them) always share a unit
        (a hard rule, default). A location larger than ``max_size`` is split into the fewest parts that fit,
        balanced by size and in hid order (``COLOC-SPLIT`` warning); households at one location in
        different ``nest_by`` groups stay apart (``COLOC-NEST`` warning). ``False`` treats them as
        separate households joined by free edges (the behaviour before this rule).
    join_limit_min : float
        Longest pruned-for-length edge (walking minutes) over which an island may be joined.
    require_head : bool
        Every ``ok`` unit holds a candidate head (``head_candidate``) when that column is given: a hard rule
        kept by every stage (a state of the tree DP, a move rule of the local search and merge–resplit, a
        constraint of the repairs). Each component is checked first (candidates at distinct locations ≥
        the fewest units it needs); a unit left without one is an exception, ``HEAD-SHORT`` (the component
        has too few candidates, ``reason_params`` give the shortfall; or it is proven, by the plain reasons
        of :mod:`~yuanluo.gis.delineate.headproof` or the exact search, that no split within the band gives
        every unit one, ``"proven": true``) or ``HEAD-UNPLACED`` (enough
        candidates, but no such split was found). ``False``: not a rule (the units
        are as without the column).
    heads_for_size : int, optional
        Only with ``require_head``: a unit above this size needs two candidate heads (a management group).
    max_walk_min : float, optional
        Walking limit from a household to its unit's meeting point (minutes, measured as
        :func:`yuanluo.gis.check.check_plan` does). No household of an ``ok`` unit is beyond it: a unit
        that has one is an exception, ``WALK-LIMIT`` (households beyond it, the farthest walk). The local
        search and merge–resplit steer toward the limit: a unit's cost adds a penalty per household beyond it
        (measured on the contracted node graph, so the steering is approximate; the exception is the
        guarantee), and a boundary household beyond it may move to a neighbouring unit where it is within it
        even when it walks more. The construction and repairs do not yet know the limit.
    exact : {"auto", True, False}
        Compute a proven lower bound (and adopt an exact solution when it is contiguous and better) with
        :mod:`yuanluo.gis.exact`: ``"auto"`` for components of at most ``exact_max_n`` households, at most
        5·``exact_max_n`` households in all, each solve limited to ``exact_node_limit`` branch-and-bound
        nodes (a deterministic limit: no wall-clock time enters the result); ``True`` for components up to
        4·``exact_max_n`` without a node limit.
    exact_max_n : int
    exact_time_limit : float, optional
        Only with ``exact=True``: seconds per solve. Makes the result depend on the machine's speed.
    exact_node_limit : int
        Branch-and-bound nodes per solve in ``"auto"`` mode.
    head_exact_max_n : int
        Only with ``require_head``: components of at most this many location nodes that still hold a unit
        without a candidate head after the re-cuts are cut by the exact MILP with a candidate in every part
        (default 100). A larger value (the command line's ``--thorough-heads`` asks 400) leaves fewer units
        ``HEAD-UNPLACED``, at the price of time and walking: on four Changshou villages of 3,000 households,
        24 → 2 such units, walking +7.7 %, 14.5 → 92.7 s (``bench/results/heads.md``, session 12).
    head_chains : bool
        Only with ``require_head``: a unit still without a candidate head in a larger component is given one by
        re-cutting a chain of up to five units from it to units with a candidate to spare, the cut walking least
        (:mod:`~yuanluo.gis.delineate.headchains`). Off by default; the command line's ``--thorough-heads``
        turns it on with ``head_exact_max_n=400``. Alone, on 16 Changshou villages of 3,000 households: 71 → 49
        such units, walking +1.1 % (some 20 minutes per head), time +83 %; after the larger exact search it
        finds work only in components beyond it (there, 5 left, none placed; in one of two Changshou villages of
        10,000 households 2 → 0, walking +0.8 %, time +15 %; the Andorra sample with candidates drawn: 2 → 1 and
        4 → 3; ``bench/results/heads.md``, session 47).
    size_weight : float
        Weight of the size-deviation term (per unit ``(s - target)² / target``) against walking minutes
        (each cut edge counts its walking minutes, at most 15) in the construction DP. Default 0.3: the
        target steers the number of units while units follow natural gaps.
    max_iter : int
        Passes of the local search.
    recombine_passes : int
        Passes of the merge–resplit stage over pairs of adjacent units (0: off).
    random_state : int
        Seed of the only random generator (used by repairs), at least 0.

    A scikit-learn estimator: ``__init__`` only stores the parameters (``get_params``, ``set_params`` and
    ``sklearn.base.clone`` work); :meth:`fit` checks them against ``_parameter_constraints`` and reports every
    bad one, with the other input problems, as one :class:`~yuanluo.gis.errors.InputError`
    (``CLUSTER-PARAM``, in zh and en).

    Attributes
    ----------
    labels_ : Series
        Unit id (``"U001"`` …) per household, indexed by ``hid``; never missing.
    status_ : Series
        ``"ok"`` or ``"exception"`` per household.
    units_ : DataFrame
        One row per unit: ``unit_id, n_households, persons, size, status, reason, code, village, group,
        meeting_hid, mean_walk_min, max_walk_min, has_head, n_heads, head_hid, head_candidates, seed,
        reason_params`` (``seed``: the honoured seed point, which is also ``meeting_hid``, or ``""``;
        ``head_hid``: the suggested head, the candidate nearest the meeting point by walking time inside the
        unit, ties by hid, ``""`` without one; ``head_candidates``: every candidate of the unit in that
        order, JSON text). ``code`` and ``reason_params`` (JSON text) say why a
        unit is an exception; ``reason`` is that rendered in Chinese
        (:func:`yuanluo.gis.delineate.reasons.unit_reasons` renders it in either language).
    exceptions_ : DataFrame
        The exception units (``unit_id, n_households, size, code, reason, reason_params``).
    problems_ : list of Problem
        Exception, missing-head and merged-seed (``SEED-MERGED``) findings, as coded problems with zh/en
        messages.
    seeds_ : DataFrame
        One row per seed point given to :meth:`fit` (sorted by ``hid``): ``hid, unit_id, honoured``
        (``honoured``: it is its unit's meeting point). Empty without seeds.
    joins_ : DataFrame
        Island joins made (``hid_a, hid_b, walk_min``).
    colocated_ : DataFrame
        One row per location holding two or more households (``hid``: its first household, ``n_households``,
        ``size``, ``n_parts``: 1, or the parts a location above the ceiling was split into), sorted by ``hid``.
    recombine_moves_ : int
        Merge–resplit moves made (each lowered the total walking time).
    objective_ : float
        Total walking minutes from households to their unit's meeting point (every household counts, also
        households sharing a location).
    lower_bound_, gap_ : float or None
        Proven lower bound for the same number of units and relative gap, when every component got one
        (among plans that keep each location in one unit).
    bounds_ : DataFrame
        Per bounded component: ``n, p, objective, lower_bound, gap, exact_adopted``.
    timings_ : dict
        Seconds per stage.

    :meth:`check` checks the fitted delineation as ``yuanluo check`` checks a result: with its own rules,
    meeting points and declared exceptions (a delineation always passes it).

    Examples
    --------
    A chain of 60 households, 100 m apart, split into units of 20–30:

    >>> import geopandas as gpd
    >>> from yuanluo.gis.graph import TerrainGraph
    >>> xy = np.c_[np.arange(60) * 100.0, np.zeros(60)]
    >>> ids = [f"{i:03d}" for i in range(60)]
    >>> hh = gpd.GeoDataFrame(index=pd.Index(ids, name="hid"), geometry=gpd.points_from_xy(*xy.T),
    ...                       crs="EPSG:4545")
    >>> g = TerrainGraph.from_edges(ids, xy, [(i, i + 1) for i in range(59)], crs="EPSG:4545")
    >>> d = UnitDelineator(20, 30, random_state=0).fit(hh, g)
    >>> d.units_["n_households"].tolist()
    [30, 30]
    >>> d.check(hh, g).passed
    True
    """

    _parameter_constraints: dict[str, list[Any]] = PARAMETER_CONSTRAINTS

    problems_: list[Problem]
    joins_: pd.DataFrame
    colocated_: pd.DataFrame

    def __init__(
        self,
        min_size: int = 20,
        max_size: int = 50,
        *,
        size_by: SizeBy = "households",
        target_size: float | None = None,
        nest_by: Sequence[str] = ("village", "group"),
        settlement_col: str = "settlement",
        settlement_walk_min: float = DEFAULT_SETTLEMENT_WALK_MIN,
        keep_settlements: bool = True,
        keep_colocated: bool = True,
        join_limit_min: float = 20.0,
        require_head: bool = True,
        heads_for_size: int | None = None,
        max_walk_min: float | None = None,
        exact: Literal["auto"] | bool = "auto",
        exact_max_n: int = 60,
        exact_time_limit: float | None = None,
        exact_node_limit: int = 200,
        head_exact_max_n: int = 100,
        head_chains: bool = False,
        size_weight: float = 0.3,
        max_iter: int = 20,
        recombine_passes: int = 4,
        random_state: int = 0,
    ) -> None:
        self.min_size = min_size
        self.max_size = max_size
        self.size_by = size_by
        self.target_size = target_size
        self.nest_by = nest_by
        self.settlement_col = settlement_col
        self.settlement_walk_min = settlement_walk_min
        self.keep_settlements = keep_settlements
        self.keep_colocated = keep_colocated
        self.join_limit_min = join_limit_min
        self.require_head = require_head
        self.heads_for_size = heads_for_size
        self.max_walk_min = max_walk_min
        self.exact = exact
        self.exact_max_n = exact_max_n
        self.exact_time_limit = exact_time_limit
        self.exact_node_limit = exact_node_limit
        self.head_exact_max_n = head_exact_max_n
        self.head_chains = head_chains
        self.size_weight = size_weight
        self.max_iter = max_iter
        self.recombine_passes = recombine_passes
        self.random_state = random_state

    @classmethod
    def from_rules(cls, rules: Rules, **kw: Any) -> UnitDelineator:
        """Build from a :class:`yuanluo.gis.rules.Rules` (band, size_by, nest_by, require_head, heads_for_size,
        keep_settlements, join_limit_min, max_walk_min).

        Examples
        --------
        >>> UnitDelineator.from_rules(Rules(15, 25), random_state=1).max_size
        25
        """
        rules = require_rules(rules)
        params: dict[str, Any] = dict(
            min_size=rules.min_size, max_size=rules.max_size, size_by=rules.size_by,
            nest_by=tuple(rules.nest_by), require_head=rules.require_head, heads_for_size=rules.heads_for_size,
            max_walk_min=rules.max_walk_min,
            keep_settlements=rules.keep_settlements, join_limit_min=rules.join_limit_min,
        )
        params.update(kw)
        est = cls(**params)
        est._source_rules = rules  # their name and label, for rules() while the parameters say the same rules
        return est

    # ------------------------------------------------------------------------------------ helpers
    def _nest_names(self) -> tuple[str, ...]:
        """``nest_by`` as a tuple of names: a bare string is one column (``nest_by="group"``), as in
        :class:`~yuanluo.gis.rules.Rules`, never its letters.

        >>> UnitDelineator(nest_by="group")._nest_names(), UnitDelineator(nest_by=["village"])._nest_names()
        (('group',), ('village',))
        """
        return (self.nest_by,) if isinstance(self.nest_by, str) else tuple(self.nest_by)

    def _settings(self) -> Settings:
        """The validated parameters as the stages read them."""
        lo, hi = int(self.min_size), int(self.max_size)
        target = float(self.target_size) if self.target_size is not None else float(round((lo + hi) / 2))
        return Settings(
            lo=lo, hi=hi, target=target, size_weight=float(self.size_weight), size_by=str(self.size_by),
            nest_by=self._nest_names(), settlement_col=self.settlement_col,
            settlement_walk_min=float(self.settlement_walk_min), keep_settlements=bool(self.keep_settlements),
            keep_colocated=bool(self.keep_colocated), join_limit_min=float(self.join_limit_min),
            require_head=bool(self.require_head),
            heads_for_size=None if self.heads_for_size is None else int(self.heads_for_size),
            max_walk_min=None if self.max_walk_min is None else float(self.max_walk_min), exact=self.exact, exact_max_n=int(self.exact_max_n),
            exact_time_limit=self.exact_time_limit, exact_node_limit=int(self.exact_node_limit),
            head_exact_max_n=int(self.head_exact_max_n),
            max_iter=int(self.max_iter), recombine_passes=int(self.recombine_passes),
        )

    def _validate(self, households: pd.DataFrame, graph: TerrainGraph) -> list[Problem]:
        """Every problem with the parameters and the input (``CLUSTER-*``)."""
        probs = check_params(self.get_params())
        idx = households.index.astype(str)
        if idx.has_duplicates:
            probs.append(problem("CLUSTER-DUP-IDS", ids=idx[idx.duplicated()].unique()))
        if isinstance(self.nest_by, str | list | tuple) and all(isinstance(n, str) for n in self._nest_names()):
            # a name neither a column nor a known nesting one: a typo (a name that is no text is CLUSTER-PARAM)
            probs.extend(nest_problems(self._nest_names(), households))
        gpos = pd.Index(graph.ids).get_indexer(idx)
        if (gpos < 0).any():
            probs.append(problem("CLUSTER-IDS", ids=idx[gpos < 0]))
        if self.size_by == "persons":
            probs.extend(persons_problems(households))
        return probs

    @staticmethod
    def _validate_seeds(households: pd.DataFrame, seeds: Iterable[Any] | None) -> tuple[np.ndarray, list[Problem]]:
        """Seed ids as sorted unique strings, and the problems with them (``SEED-UNKNOWN``, ``CLUSTER-PARAM``)."""
        none = np.array([], dtype=str)
        if seeds is None:
            return none, []
        if isinstance(seeds, str | bytes):
            return none, [param_problem("seeds", seeds, "delineate.kind.seeds")]
        vals = pd.Series(list(seeds), dtype=object)
        vals = vals[vals.notna()].astype(str)
        sid = np.unique(vals.to_numpy(dtype=str))
        known = np.isin(sid, households.index.astype(str).to_numpy())
        if (~known).any():
            return sid[known], [problem("SEED-UNKNOWN", ids=sid[~known])]
        return sid, []

    # ------------------------------------------------------------------------------------ fit
    def fit(self, households: pd.DataFrame, graph: TerrainGraph, seeds: Iterable[Any] | None = None
            ) -> UnitDelineator:
        """Delineate units for ``households`` (indexed by ``hid``) over ``graph``; returns ``self``.

        Parameters
        ----------
        households : GeoDataFrame
            Households in a projected metric CRS, indexed by ``hid``.
        graph : TerrainGraph
            The household graph (:func:`yuanluo.gis.neighbours.build_graph`).
        seeds : iterable of str, optional
            Household ids of seed points (traditional courtyard centres, existing meeting points) to
            centre units on. A fit argument, not a constructor parameter, because seeds are data about
            these households (like scikit-learn's ``sample_weight``): the same estimator can be fitted to
            other villages. Order and repeats do not matter; missing values (blank cells) are skipped;
            ids are compared as strings, so ``"007"`` and ``7`` differ.

            - Every seed that can be honoured is the meeting point of its unit (``units_.meeting_hid``
              and ``units_.seed``), and the unit's walking times are measured to it.
            - Two seeds are never put in one unit when the size band allows separating them: joining two
              seeded parts is penalised above every soft cost in the tree DP, is the last resort in
              repairs, and seeds never move in the local search, so each unit grows around its seed.
            - Seeds never break a hard rule (size band, contiguity, nesting). When a unit must hold
              two or more seeds (e.g. a component too small for two units), the seed that minimises the
              unit's walking time is its meeting point and the others are reported in ``problems_`` as
              ``SEED-MERGED`` warnings; ``seeds_`` lists every seed with its unit and whether it was
              honoured.
            - Ids not among the households are a ``SEED-UNKNOWN`` input error (raised with every other
              input problem at once).
            - Exact p-median solutions (``exact``) are not adopted in components holding seeds (their
              lower bounds still hold).
            - Deterministic: the same input, seeds and ``random_state`` give the same units.
        """
        clock = _Clock()
        _require_inputs(households, graph)
        # a GeoDataFrame's own CRS (none: CRS-UNSET, as check_plan says it); a plain table's, the graph's
        require_metric(households if hasattr(households, "crs") else graph.crs, "households", "hh")
        require_metric(graph.crs, "graph")
        probs = self._validate(households, graph)
        seed_ids, seed_probs = self._validate_seeds(households, seeds)
        if probs + seed_probs:
            raise InputError(probs + seed_probs)
        # a nest_by name the reader renames (村民小组, Village) is the column it became (group, village)
        s = replace(self._settings(), nest_by=resolve_nest_by(self._nest_names(), households.columns))
        # 1–4: households in hid order, nesting, one node per location, island joins, settlement blocks
        p = prepare(households, graph, seed_ids, s, np.random.default_rng(self.random_state))
        g = p.graph
        clock.lap("prepare")
        # the units are drawn for walking first; the candidate-head rule is soft in the search and made hard
        # by its own stage (head_fix), which costs less walking than cutting around the candidates
        lab = construct(g, replace(s, require_head=False))  # spanning-forest DP within the band
        clock.lap("construct")
        lab, failed = repair(g, s, lab, feasible(np.bincount(g.comp, weights=g.w), s.lo, s.hi), p.rng)
        clock.lap("repair")
        rescued = rescue(g, s, lab, failed, p.rng)  # regions re-cut, then the exact MILP
        lab = rescued.labels
        clock.lap("rescue")
        size = np.bincount(lab, weights=g.w, minlength=int(lab.max()) + 1)
        part_ok = ((size >= s.lo) & (size <= s.hi))[lab] & ~p.heavy & ~np.isin(lab, rescued.failed)
        units = Units(g.csr(), lab.copy(), g.seed, p.mult, None, s.heads_for_size, g.w,
                      limit=s.max_walk_min)  # the walking limit steers the local search and merge–resplit
        remnant_cut(g, s, units, part_ok)  # a component no split fits: the most units within the band, then walk
        still = set(rescued.split_blocks) | set(settle_whole(g, s, units, part_ok, p.rng))
        clock.lap("settlements")  # settlements that fit made whole where the band allows
        if heads_on(g, s):  # each candidate head lacking costs HEAD_SOFT_MIN walking minutes in the search
            units.heads, units.lam = np.asarray(g.head, dtype=float), HEAD_SOFT_MIN
        locked = locked_nodes(g, s, units.lab)
        local_search(g, s, units, part_ok, locked)
        clock.lap("local_search")
        self.recombine_moves_ = recombine(g, s, units, part_ok, locked)  # merge–resplit of unit pairs
        clock.lap("recombine")
        walk_good = units.lab.copy()  # the units before the head stage: columns of the pool below
        proven = head_fix(g, s, units, part_ok, p.rng)  # a head in every unit: pair re-splits, re-cuts, exact
        chain_moves(g, s, units, part_ok)  # moves in twos where one alone would break the band or the head rule
        # small components still lacking: the parts of many cuts pooled, the best cover chosen by HiGHS
        pool_heads(g, s, units, part_ok, walk_good, p.rng)
        # full neighbourhoods around a unit with a candidate to spare, re-cut with one unit more where that walks
        # less, each unit with its head (the rule off: nothing to spare, the same units)
        spare_windows(g, s, units, part_ok, walk_good, p.rng)
        # the areas the head stage changed, re-allocated to the units' meeting points by an LP where that walks
        # less, each unit with its head (it may give a head to a unit still lacking one)
        alloc_walk(g, s, units, part_ok, walk_good)
        if self.head_chains:  # units still lacking in large components: a chain of units re-cut, walking least
            head_chains(g, s, units, part_ok, proven, p.rng)
        # settlements a re-split for a head cut, whole again by moves where the rules allow (a re-cut there cost
        # 5.7 % more walk for 17 of 42 splits at Banan, 3,000 households, seeds 0–3; moves 0.5 % for 8)
        settle_whole(g, s, units, part_ok, p.rng, recut=False)
        # also those split for a head, and those split where the band cannot be kept (exception units)
        split = sorted(still | set(split_blocks(g, s, units.lab, np.ones(len(part_ok), dtype=bool))))
        clock.lap("heads")
        bounds_df = bounds(g, s, units, part_ok)  # exact bounds on small components
        clock.lap("exact")
        head_why = head_exceptions(g, s, units, part_ok, proven)  # units still lacking a candidate head
        walk_also: dict[int, dict[str, Any]] = {}  # exceptions for another reason, beyond the limit too
        head_why = walk_exceptions(p, graph, units, part_ok, s.max_walk_min, walk_also) | head_why
        res = build_result(p, households, graph,
                           Outcome(units, part_ok, rescued.failed, rescued.proven, split, bounds_df,
                                   head_why, walk_also))
        self._store(res, p, bounds_df)
        clock.lap("result")
        verify_delineation(
            households, graph, self.labels_, self.status_, (s.lo, s.hi, s.size_by), s.nest_by,
            extra_edges=self.joins_[["hid_a", "hid_b"]].to_numpy() if len(self.joins_) else None,
        )
        clock.lap("verify")
        self.timings_ = clock.done()
        return self

    def rules(self) -> Rules:
        """The rules this delineator keeps, as a :class:`yuanluo.gis.rules.Rules` (for :func:`check_plan` and
        :func:`repair_plan`). Built by :meth:`from_rules` of named rules (a preset), they keep its name and label
        (the check's report says 长寿区“寿和小院”) as long as the parameters still say the same rules.

        >>> d = UnitDelineator.from_rules(Rules(15, 25, name="changshou", label="长寿区“寿和小院”"))
        >>> d.rules().name, d.rules().label
        ('changshou', '长寿区“寿和小院”')
        >>> d.max_size = 30
        >>> d.rules().name, d.rules().label
        ('custom', '')
        """
        own = Rules(int(self.min_size), int(self.max_size), size_by=self.size_by, nest_by=self._nest_names(),
                    require_head=bool(self.require_head),
                    heads_for_size=None if self.heads_for_size is None else int(self.heads_for_size),
                    keep_settlements=bool(self.keep_settlements),
                    max_walk_min=None if self.max_walk_min is None else float(self.max_walk_min),
                    join_limit_min=float(self.join_limit_min))
        src = getattr(self, "_source_rules", None)
        named = None if src is None else replace(own, name=src.name, label=src.label)
        return named if named is not None and named == src else own

    def _own_plan(self, what: str) -> tuple[Rules, pd.Series, Any]:
        """What :meth:`check` and :meth:`repair` hand on with a plan: this delineator's :meth:`rules`, its
        meeting points (unit id → meeting household) and what it declared (:class:`yuanluo.gis.check.Declared`:
        the exception units with their reasons, the settlements it had to split). ``what`` names the method
        for ``API-NOT-FITTED``."""
        from yuanluo.gis.check import Declared
        from yuanluo.gis.delineate.reasons import reasons_in

        if not hasattr(self, "labels_"):
            raise InputError(problem("API-NOT-FITTED", what=what, fit="UnitDelineator.fit"))
        rules = self.rules()
        split = None
        if rules.keep_settlements:
            told = {str(h) for p in self.problems_ if p.code == "SETTLEMENT-SPLIT" for h in p.ids}
            idx = self.labels_.index.astype(str)
            split = pd.Series(idx.isin(sorted(told)), index=idx)
        declared = Declared.of(self.units_, self.labels_, reasons=reasons_in, split=split, rules=rules.to_dict())
        return rules, self.units_.set_index("unit_id")["meeting_hid"], declared

    def check(self, households: pd.DataFrame, graph: TerrainGraph) -> Any:
        """The fitted delineation checked as ``yuanluo check`` checks its result: :func:`check_plan` of
        ``labels_`` with this delineator's :meth:`rules`, its meeting points and what it declared (the
        exception units with their reasons, the settlements it had to split), which are then warnings
        (DECLARED-EXCEPTION), not errors. Without the declarations (``check_plan(households, labels_, rules,
        graph=graph)``) an exception unit is an error: that is a check of the plan alone. Returns a
        :class:`yuanluo.gis.check.CheckResult`; ``passed`` is always True for a fitted delineation."""
        from yuanluo.gis.check import check_plan

        rules, meeting, declared = self._own_plan("UnitDelineator.check")
        return check_plan(households, self.labels_, rules, graph=graph, unapplied=True,
                          meeting_points=meeting, declared=declared)

    def repair(self, households: pd.DataFrame, graph: TerrainGraph, labels: Any, **kw: Any) -> Any:
        """Repair an edited copy of this delineation's plan as ``yuanluo repair`` repairs its result:
        :func:`~yuanluo.gis.repair.repair_plan` of ``labels`` with this delineator's :meth:`rules`, its meeting
        points and what it declared, as :meth:`check` hands them on. A unit still exactly as declared keeps its
        exception (a warning, nothing is moved for it); without the declarations (``repair_plan(households,
        labels, rules, graph)``) every exception unit the delineation had to leave is an error to mend, and
        the repair may take minutes and still fail.

        Parameters
        ----------
        households, graph
            The households and graph the delineator was fitted on.
        labels : Series
            ``hid`` → unit id: ``labels_`` with the hand edits (as :func:`~yuanluo.gis.repair.repair_plan`
            takes it). Not modified.
        **kw
            Passed to :func:`~yuanluo.gis.repair.repair_plan` (``max_moves``, ``locked``, ``graph_kind``;
            ``meeting_points`` or ``declared`` given here replace the delineator's own).

        Returns
        -------
        RepairResult

        Examples
        --------
        >>> from yuanluo.gis.neighbours import build_graph
        >>> from yuanluo.gis.synth import make_village
        >>> hh = make_village(60, seed=3).households
        >>> g = build_graph(hh)
        >>> m = UnitDelineator(min_size=15, max_size=25, random_state=0).fit(hh, g)
        >>> edited = m.labels_.copy()
        >>> edited.iloc[:2] = "U099"
        >>> res = m.repair(hh, g, edited)
        >>> res.passed, sorted(set(res.labels)) == sorted(set(m.labels_))
        (True, True)
        """
        from yuanluo.gis.repair import repair_plan

        rules, meeting, declared = self._own_plan("UnitDelineator.repair")
        kw = {"meeting_points": meeting, "declared": declared, **kw}
        return repair_plan(households, labels, rules, graph, **kw)

    def fit_predict(self, households: pd.DataFrame, graph: TerrainGraph,
                    seeds: Iterable[Any] | None = None) -> pd.Series:
        """:meth:`fit`, then return ``labels_``."""
        return self.fit(households, graph, seeds).labels_

    def _store(self, res: Result, p: DelineationProblem, bounds_df: pd.DataFrame) -> None:
        """Set the fitted attributes."""
        self.labels_ = res.labels
        self.status_ = res.status
        self.units_ = res.units
        self.exceptions_ = res.exceptions
        self.problems_ = res.problems
        self.seeds_ = res.seeds
        self.joins_ = res.joins
        self.colocated_ = p.colocated
        self.objective_ = res.objective
        self.target_size_ = p.settings.target
        self.n_units_ = len(res.units)
        self.bounds_ = bounds_df
        self.lower_bound_: float | None = res.lower_bound
        self.gap_: float | None = res.gap


def _require_inputs(households: Any, graph: Any) -> None:
    """Coded errors for what :meth:`UnitDelineator.fit` cannot take: households that are not a table
    (``HOUSEHOLDS-TYPE``), an index of more than one level (``HOUSEHOLDS-INDEX``), a graph that is not a
    :class:`TerrainGraph` (``CLUSTER-GRAPH-TYPE``: none given, or the two swapped), no households at all
    (``CLUSTER-EMPTY``)."""
    from yuanluo.gis.neighbours import require_households, require_id_index

    if not isinstance(households, pd.DataFrame):
        require_households(households)
    require_id_index(households)
    if not isinstance(graph, TerrainGraph):
        raise InputError(problem("CLUSTER-GRAPH-TYPE", given=given_name(graph)))
    if not len(households):
        raise InputError(problem("CLUSTER-EMPTY"))


class _Clock:
    """Seconds per stage (``timings_``)."""

    def __init__(self) -> None:
        self.t0 = self.t = time.perf_counter()
        self.laps: dict[str, float] = {}
        progress.report("step.fit.prepare")

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = now - self.t
        self.t = now
        progress.fit_stage_done(name)

    def done(self) -> dict[str, float]:
        self.laps["total"] = time.perf_counter() - self.t0
        return self.laps
