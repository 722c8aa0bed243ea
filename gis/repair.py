"""Plan repair: the fewest household moves that make a failing plan pass, or a reason per violation why not.

:func:`repair_plan` checks the plan (:func:`yuanluo.gis.check.check_plan`) and then:

**Locked units** (``locked``: the editor's 锁定 column, or ``--lock``) are kept as they are: no household
leaves or joins them, in the exact model (they are outside every region) as in the heuristic (never a target;
:meth:`_State.move` asserts it); a violation of their own is left, with that reason.

**First, declared exceptions** (given ``declared``): a unit the delineation declared an exception that now has
errors, or that holds a household the plan moved in from a unit that now has errors (a unit's only candidate
head typed into the HEAD-SHORT exception next to it: the exception passes with it, and the exact model, holding
the unit to every rule, would keep it there), is put back as declared (households that left it return,
households that joined it go back to the unit the delineation gave them), so that it is the declared exception
again (made again when the plan emptied it); kept only when that leaves fewer errors. The households of a settlement it declared split stay in the units it
gave them while the plan still splits it.

The rules are those of the check: settlement *pieces* are held whole (a name within one group, linked among
itself), a unit joined over an edge pruned for length within the join limit is whole where that edge joins an
island, a piece the short edges cut off from the rest of its nest group (the check's warning PLAN-LONG-JOIN:
:func:`~yuanluo.gis.check.long_joins`), and a unit the check excuses as it stands (status ``exception``), or a declared exception
unit held as declared that carries an error from elsewhere (a household of a settlement it shares typed into
another unit), is left as it is: no household leaves or joins it to fix another. Where moves tie, a household
goes to the unit the delineation gave it (a result's plan).

**Exactly** (:mod:`yuanluo.gis.repair_exact`): on the units with a violation and the units next to them it
solves a small HiGHS MILP whose optimum is the fewest moves keeping every rule — size band, contiguity,
nesting (``Rules.nest_by``), a candidate head (two above ``heads_for_size``; none in as many units of an area as the
check excuses, HEAD-EXCEPTION: :func:`yuanluo.gis.repair_exact.head_allowance`), settlements kept whole, and the
walking limit (``max_walk_min``) to each unit's meeting point — with every unit that keeps households keeping
its anchor (its meeting point, else its centre); where no plan of a region keeps every anchor, the units given no
meeting point are solved again walked to a household of the model's choosing each, their centre then following the
moves as the check walks them (``RepairResult.exact_centres_moved``). Units may be merged away, and up to
:data:`yuanluo.gis.repair_exact.MAX_NEW_UNITS` opened (a root of their own, walked to under the limit; named as
the heuristic's new units, ``U012-2``): the model opening none is solved first, and the one opening them only
for a plan moving fewer, so where no new unit helps the plan is the one it was; where a new unit mends a region
the model opening none had no plan for, the repair is made again without new units and the one moving fewer is
kept (the heuristic sees past the region). Used when the model
has at most :data:`yuanluo.gis.repair_exact.MAX_VARIABLES` binary variables and its optimum fits
``max_moves``. Before it (without ``max_moves``), a unit's cut-off piece that no bridge of at most as many
households joins to the unit's main piece is taken out of it, and the unassigned households are placed first,
each connected group by its own model among the units next to it (a household typed into a unit far away would
otherwise put both neighbourhoods into one model, too large to solve); a placement that would move households
already in a unit (mending a unit a slip emptied, at any cost) waits for the rounds instead, where that unit is
in the model with its own households. What the exact step proves is then the fewest given those first steps
(``RepairResult.exact_placed_first`` names the households, and the note of ``yuanluo repair`` says so): a bridge of
more households than the piece can be households that move anyway (typed into the unit next to theirs), and keeping
the piece then moves fewer (street 5|6|6 with seven slips: 9 moves, the fewest 7); such a repair (one that moved
households it took out that a bridge of households it kept in place joins, or failed, and moved more than its lower
bound) is made again with nothing taken out, and the one moving fewer is kept (7 there: :func:`_detached_again`).

**Otherwise, by a stated heuristic** (greedy; no optimality claim), moving boundary households between
neighbouring units and keeping unit ids, in this order:

1. **unassigned** households join an adjacent unit (same village/group): a unit with room first, among those
   the unit the delineation gave the household (a result's plan), then the smallest; a declared or proven
   exception unit last (a result's own households first go back to the unit its delineation gave them); while
   some household can go home with room there, only those move in a sweep (the others wait for them); a home
   unit that is full first lets a piece cut off from it go to the unit next to it the delineation gave it;
2. **nesting**: a household whose village/group differs from its unit's moves to an adjacent unit of its own:
   first one whose cut-off pieces it joins (it was the link a slip took away), then its unit in the
   delineation, then one holding its settlement, then the smallest;
3. **non-contiguous** units: each cut-off piece either pulls in the few households that join it to
   the main piece (when that is fewer moves than the piece itself, or when they all came from its unit in the
   delineation, however many: slips going home; a joining household whose leaving would cut off households of
   its unit brings them along when they came from there too) or moves whole to an adjacent unit (the one the
   delineation gave most of it first, an exception unit last);
   **settlements**: the households of a split settlement (one that fits in a unit) join, one by one and each
   next to it, the unit holding most of it, while that unit stays within the ceiling;
4. **size** violations: for a unit below the floor the nearest unit with spare households is found
   by a breadth-first search over the unit adjacency graph (a unit holding a household the delineation gave
   the one before it searched first), and one household is shifted along each link of that shortest chain
   (an ejection chain: one move per link; a household going home first); symmetrically for a unit above
   the ceiling;
5. **heads** (``Rules.require_head``): a unit without a candidate head gets one along the shortest chain
   of adjacent units to a unit with two candidates, one candidate moving per link (an ejection chain);
   a chain that would leave a unit outside the band is undone. Not a unit the check excuses (HEAD-EXCEPTION:
   its area has fewer candidates than units, :meth:`_State.head_excused`).

Every single heuristic move keeps the giving unit connected (a household going home with those it brings
along: no more cut up than it was), never takes a unit's only candidate head (but where the check would excuse the
unit without it) or (under a walking limit) its
meeting point, never splits a settlement (one that fits in a unit) its unit holds whole, never crosses a
``Rules.nest_by`` value, and only fills units that can take it. Only when no
chain exists are units **merged** (a unit below the floor into a neighbour that can hold both) or **split** (a
unit above the ceiling cut into two connected parts within the band, the part away from its meeting point the new
unit); a household island cut off from every unit becomes a new unit when its size is within the band, or when it
is a whole island smaller than the floor (in no unit, or a cut-off piece of a unit with no unit next to it: reason
``island-none`` or ``island``), which the check excuses as one unit. A unit's
meeting point leaves it only in a cut-off piece moved whole (step 3: the one repair of its contiguity, a household
typed into it far away given as its meeting point); the unit's meeting point is then chosen again (its centre)
and the ``notes`` say so (``repair.note.meeting``), as for any given meeting point the repaired plan has elsewhere.
A given meeting point that is itself a household the rules would move out of its unit (of another nest group than
its unit's, or the stray part of a split settlement, typed into it and given as its point) is held fixed too; only
when that leaves errors is the repair run again with it free to go home, the unit's meeting point chosen again among
its other households (:func:`_free_foreign_meeting`), and that repair kept when it leaves fewer errors. Without a
walking limit a given meeting point the repaired plan has in another unit is noted too
(``repair.note.meeting_nolimit``: the unit needs another point, or checked with the points as given it is
``PLAN-MEETING``); the meeting points handed on (``RepairResult.meeting_points``) are then each unit's given point
where it is still in the unit, else its centre. A unit the repair makes is named, at the end, after
the unit of the plan most of its households came from, ``<unit>-2``, ``-3``… (the first free), or ``R001``…
when none of them was in a unit. The ``notes`` say the repaired plan against the plan as given, whatever steps
led there (:func:`_plan_notes`): each unit made, its households and where they were; each unit of the plan
dissolved, where its households went; the units locked. The ``reason`` column of the moves says why each
household moved.

While violations remain after the heuristic, a declared exception unit failing again with a household of
another unit in it is first put back as declared (the others going home; kept when it leaves fewer errors),
then the exact step runs again on the units still failing (fewer, so in smaller regions: a plan with scattered
errors in a large village is first one region too large for the model), then the heuristic again,
:data:`EXACT_ROUNDS` rounds at most; each exact step counts the moves from the plan as given.

**Never worse than the plan given** (:func:`_final`): when the repaired plan has an error the plan as given had
not (a rule it kept, broken by a move), the moves into and out of that unit are undone, kept when that leaves
fewer errors (or as many, fewer of them new); moves that still leave no fewer errors than the plan had, some
of them new, are not kept at all (the plan as given is returned, and the reasons say so). **No move that mends
nothing** (:func:`_drop_idle`): after the heuristic, each household moved (then each piece moved together, the
smaller first) goes back to its unit as given where that leaves no more errors and none the plan had not; a plan
solved exactly, the fewest moves, is left as it is, and so is one the move budget stopped (a start of a repair,
said so: a move toward the band mends no error yet).

Every violation left gets its own reason (``repair.reason.violation``): the plan as given did not have it (the
repair's own moves made it: never blamed on a lock or the budget); its unit is locked; only changing a
locked unit mends it (the exact model proved its region infeasible, and solved with the locked units let in it
changes them: those units are named, with the moves into or out of them); the move budget ``max_moves`` held
it back (the exact model's mend moves more, or the budget was spent); the exact model proved that no moves
within the affected units keep every rule (said with its condition, each unit keeping its meeting point or centre,
when the model letting the centres follow the moves was too large or not solved: ``repair.why.anchored``); or the
area was too large for it (or it was not solved) and the heuristic could not fix it. A connected block of
households whose size cannot be cut into units within the band (:meth:`yuanluo.gis.rules.Rules.feasible_size`) is
named as well. A size violation left where the one household that could move for it is its unit's only candidate
head says so before what the exact model or the heuristic found (:func:`_head_refused`: ``repair.why.head_only``).

**A walk no move can mend** (issue 13): where the exact model proves a region infeasible and it holds households
beyond the walking limit that no move within it can bring within the limit, proven from the walking minutes alone
(:func:`_walk_far`: every meeting point the model holds is farther than the limit, and, where a point may follow the
moves or new units may be opened, no household of its group within the limit has households of ``min_size`` of its
group within the limit of itself), the region's proof is not lent to every violation in it (a headless unit next to
such a household read as "can never get a head"). Each of those households gets its own reason from the distances
(``repair.why.walk_far``: the nearest meeting point and its minutes; ``…alone``: no unit at all can hold it within
the limit), and the other violations are solved again (:func:`_waived`): the units whose only errors are those walks
leave the units to mend, the rest are grouped into regions of their own, each solved with those households kept in
their own unit beyond the limit (their walking rows left out there only). An optimum is taken as any (the fewest
moves leaving those households where they are); an infeasible one is that region's own proof, said with their limit
left aside (``repair.why.waived``). The extra models count against the repair's work as every other.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components, dijkstra

import yuanluo.gis.repair_exact as RE
from yuanluo.gis.catalogue import Count, Lang, both, default_lang, text
from yuanluo.gis.check import (
    EXCEPTION_CODES,
    CheckResult,
    Declared,
    HeadAreas,
    _as_bool,
    _context,
    blank_meeting_cells,
    check_plan,
    long_joins,
    meeting_series,
    plan_labels,
    plan_zones,
    require_rows,
    rule_structure,
    settlement_pieces,
    unit_centre,
    walk_unserved,
    with_plan_kept,
)
from yuanluo.gis.delineate.walk import beyond_minutes
from yuanluo.gis.errors import InputError, given_name, problem
from yuanluo.gis.graph import TerrainGraph, length_joins
from yuanluo.gis.keys import nest_key
from yuanluo.gis.plan import KEPT_ATTR, STRICT_PLAN_CODES, plan_kept
from yuanluo.gis.repair_exact import MAX_VARIABLES, ExactOutcome, exact_repair, island_blocks, island_region
from yuanluo.gis.rules import Rules, require_rules, resolve_nesting, unknown_nesting

MOVE_COLUMNS = ["hid", "from_unit", "to_unit", "reason"]
#: every reason a move is recorded with (``move.reason.<reason>`` in the catalogue says it in words)
MOVE_REASONS = ("unassigned", "unassigned_back", "noncontig", "noncontig-join", "nesting", "size-low", "size-high",
                "head", "head-only", "heads-size", "heads-two", "settlement", "settlement-part", "walk", "chain",
                "merge", "split", "new-unit", "restore", "nesting-new", "walk-path", "island", "island-none",
                "nesting-village", "nesting-group", "nesting-new-village", "nesting-new-group", "merge-shrunk",
                "head-merge")

#: rounds of the exact step (each after the heuristic of the round before) on the units still failing
EXACT_ROUNDS = 3

#: A reason or note: a catalogue key and its parameters.
Note = tuple[str, dict[str, Any]]


class RepairNote(tuple[str, dict[str, Any]]):
    """A note or reason of a :class:`RepairResult`: the pair (catalogue key, parameters) it always was, whose
    ``str()`` is its sentence in the language of ``YUANLUO_LANG`` (as :meth:`RepairResult.note_texts` says it),
    not the raw pair."""

    def __str__(self) -> str:
        return _render(self[0], self[1], default_lang())



@dataclass
class RepairResult:
    """The outcome of :func:`repair_plan`.

    Attributes
    ----------
    labels : Series
        Repaired plan, ``hid`` → unit id (str); unassigned households stay missing. The units the plan as given
        recorded as kept locked (:func:`yuanluo.gis.plan.plan_kept`: its status or lock column) that it still
        holds exactly are recorded on it too, so its check finds islands as the repair's check did.
    moves : DataFrame
        Net changes, one row per household whose unit changed: ``hid, from_unit, to_unit, reason``
        (``from_unit`` missing for households that were unassigned).
    passed : bool
        The repaired plan passes :func:`yuanluo.gis.check.check_plan`.
    reasons : list of (key, params)
        Why the plan could not be fully repaired, as catalogue keys and parameters (empty when it passed);
        :meth:`reason` renders them in zh or en (``reason_zh`` / ``reason_if_not`` are the two renderings).
    notes : list of (key, params)
        What changed the set of unit ids, said of the repaired plan against the plan as given: the units locked,
        each unit made (its households, and the units they were in), each unit dissolved (the units its
        households are in now), each unit whose given meeting point went to another unit (its point now, or,
        without a walking limit, that it needs another); :meth:`note_texts` renders them.
    check : CheckResult
        The check of the repaired plan.
    before : CheckResult
        The check of the plan as given (its errors against those of ``check``: what the repair mended).
    meeting_points : Series or None
        unit id → meeting household id of the repaired plan, every unit: under ``Rules.max_walk_min`` those the
        walking limit was kept (and checked) against; without one, when meeting points were given, each unit's
        given point where the repaired plan has it in the unit, else the unit's centre (a unit whose point was
        moved out, one given none, one made: the notes say the first two), which ``check`` with them measures
        as it would; None without a walking limit and without given meeting points.
    method : {"none", "exact", "exact+heuristic", "heuristic"}
        ``exact``: the fewest moves within the affected units and their neighbours (a proven optimum of
        :mod:`yuanluo.gis.repair_exact`, solved separately for groups of affected units whose regions share no
        unit); ``heuristic``: the greedy steps; ``exact+heuristic``: some groups exactly, the rest greedily;
        ``none``: no search was made: the plan passed as it was, or passed once the households moved out of a
        unit the delineation declared an exception were put back (``moves`` then lists them, reason ``restore``).
    exact_status : str
        What the exact stage found (``optimal``, ``infeasible``, ``too-large``, ``unsolved``); ``unsolved`` also
        where it did not run (``method`` ``none``).
    n_variables : int
        Size of the exact model (binary variables).
    region_units : list of str
        The units the exact model covered (the affected units and their neighbours); the others kept their
        households.
    lower_bound : int or None
        At least this many households are moved by any plan that passes (new units allowed), counted from the
        units over and under the band in the plan as given (:func:`_lower_bound`); None where it is not counted
        (sizes by persons, declared exceptions, locked units). The heuristic's moves against it: when they are
        as many, they are the fewest.
    lower_bound_from : {"sizes", "unassigned", "both", "error", "heads", ""}
        What ``lower_bound`` is counted from (:func:`_bound`): the units over and under the band, the households in
        no unit (each gets a unit), both, (1) an error of the plan's labels alone, or the candidate heads (the units
        a plan that passes can have: :func:`_head_bound`); "" where none is counted.
    exact_new_units : int
        The new units each exact model of the repair could open (the fewest of them: its proof is of the plans
        adding at most so many units); 0: none.
    exact_every_new : bool
        Every exact model could open as many new units as a plan of its region can have: the proof needs no
        "at most so many new units".
    exact_past_infeasible : bool
        An exact model opened a unit where the model opening none had no plan for its region (which it left to
        the heuristic): the repair was then made again without new units too (also with a given meeting point of
        another group set free), and the one that did best is kept (this flag says which it is).
    exact_centres_moved : bool
        An exact model whose region had no plan keeping every unit's anchor was solved again with the units given no
        meeting point each walked to a root of its own choosing, and its plan was taken: those units walk to their
        centre after the moves (``meeting_points``), and the optimum of that region is among the plans keeping the
        given meeting points only (:func:`yuanluo.gis.repair_exact._rooted`).
    exact_centres_held : bool
        An exact optimum taken is the fewest only among the plans holding each unit given no meeting point at its
        centre chosen before solving: the model letting those centres follow the moves, asked for a plan moving
        fewer, was too large or not solved (:func:`yuanluo.gis.repair_exact._unanchored`). False: every optimum
        taken was proven with the centres free (the method note says so).
    exact_placed_first : list of str
        The households, moved by the repair, that were taken out of their unit or placed before the exact step on the
        units with a problem (sorted ids): a cut-off piece of a unit that no bridge of as few households joins to the
        rest of it, taken out (:func:`_detach_strays`), and the households in no unit placed by their own models when
        the exact step followed. That step's optimum is the fewest given them: a plan keeping them in their unit, or
        placing them otherwise, may move fewer (street 5|6|6, seven slips: 9 moves, 7 suffice). Empty: none.
    exact_waived : list of str
        The households beyond the walking limit that no move within their region could bring within it
        (:func:`_walk_far`) and that an exact optimum taken kept where they were, beyond it (:func:`_waived`): that
        optimum is the fewest moves mending the other violations, their limit left aside (the method note says so);
        the repaired plan still has them beyond it. Empty: none.
    exact_bridged_anyway : bool
        A piece taken out of its unit (:func:`_detach_strays`) is joined to the rest of it, in the plan as given, by a
        bridge of at most as many households the repair kept where they were (the households it moved, in no unit,
        or of another piece of that unit crossed at no cost): :func:`repair_plan` then makes the repair again with
        nothing taken out, and keeps the one moving fewer.
    """

    labels: pd.Series
    moves: pd.DataFrame
    passed: bool
    reasons: list[Note] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    check: CheckResult | None = None
    before: CheckResult | None = None
    meeting_points: pd.Series | None = None
    method: str = "none"
    exact_status: str = ""
    n_variables: int = 0
    region_units: list[str] = field(default_factory=list)
    lower_bound: int | None = None
    lower_bound_from: str = ""
    exact_new_units: int = 0
    exact_every_new: bool = False
    exact_past_infeasible: bool = False
    exact_centres_moved: bool = False
    exact_centres_held: bool = False
    exact_placed_first: list[str] = field(default_factory=list)
    exact_bridged_anyway: bool = False
    exact_waived: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.reasons = [RepairNote(n) for n in self.reasons]
        self.notes = [RepairNote(n) for n in self.notes]

    def __repr__(self) -> str:
        """A short repr: passed, moves, method and the notes' keys (the tables are ``labels``, ``moves``, ``check``)."""
        return (f"RepairResult(passed={self.passed}, moves={len(self.moves)}, method={self.method!r}"
                f"{f', exact_status={self.exact_status!r}' if self.exact_status else ''}, "
                f"households={len(self.labels)}, notes={[n[0] for n in self.notes]}"
                f"{f', reasons={[n[0] for n in self.reasons]}' if self.reasons else ''})")

    def reason(self, lang: Lang | None = None) -> str | None:
        """Why the plan could not be fully repaired, in ``lang`` (by default ``YUANLUO_LANG``'s, as errors are
        said: :func:`~yuanluo.gis.catalogue.default_lang`); None when it passed."""
        if self.passed:
            return None
        lang = lang or default_lang()
        return text("repair.reason.sep", lang).join(self.reason_lines(lang))

    def reason_lines(self, lang: Lang | None = None) -> list[str]:
        """The reasons of :meth:`reason`, one each (empty when it passed)."""
        lang = lang or default_lang()
        return [] if self.passed else [_render(key, params, lang) for key, params in self.reasons]

    @property
    def reason_zh(self) -> str | None:
        return self.reason("zh")

    @property
    def reason_if_not(self) -> str | None:
        """The reason in English."""
        return self.reason("en")

    def note_texts(self, lang: Lang | None = None) -> list[str]:
        """The notes rendered in ``lang`` (by default ``YUANLUO_LANG``'s)."""
        lang = lang or default_lang()
        return [_render(key, params, lang) for key, params in self.notes]


class Phrases(list[Note]):
    """A note's list parameter of (key, params) phrases that :func:`_render` joins as the language lists things
    ("U007（28 户）、U008（14 户）"), where a plain list of pairs is of clauses, joined with the reasons'
    separator."""


def _render(key: str, params: dict[str, Any], lang: Lang) -> str:
    """One reason or note; a (key, params) pair parameter is rendered first, a list parameter joined as the
    language lists things (a list of such pairs, each a clause, with the reasons' separator; :class:`Phrases`
    as a list)."""
    def value(v: Any) -> Any:
        if isinstance(v, tuple):
            return _render(v[0], v[1], lang)
        if isinstance(v, dict):  # a text in both languages (a plan's meeting-point column: why it names none)
            return v[lang]
        if isinstance(v, list):
            clauses = any(isinstance(x, tuple) for x in v) and not isinstance(v, Phrases)
            return text("repair.reason.sep" if clauses else "list.sep", lang).join(str(value(x)) for x in v)
        if isinstance(v, int | np.integer) and not isinstance(v, bool | np.bool_):
            return Count.of(int(v)).en if lang == "en" else str(int(v))  # a count: English groups thousands
        return v

    return text(key, lang, **{k: value(v) for k, v in params.items()})


class _BudgetReached(Exception):
    """Raised by a move that would exceed ``max_moves``."""


class _State:
    """Mutable working copy of a plan over household positions 0..n-1."""

    #: in the first exact round: the heuristic tried before a model above :data:`~yuanluo.gis.repair_exact.TRIAL_SIZE`
    #: is given to HiGHS (:func:`_trial`, once); None: no trial
    trial: Callable[[], None] | None = None

    def __init__(self, households: Any, labels: pd.Series, rules: Rules, graph: TerrainGraph,
                 declared: Declared | None = None) -> None:
        self.rules = rules
        self.hids = np.asarray(households.index.astype(str), dtype=object)
        n = len(self.hids)
        pos = self._link(households, rules, graph, labels, declared)
        lab = labels.copy()
        lab.index = pd.Index(lab.index.astype(str))
        lab = lab[~lab.index.duplicated(keep="first")].reindex(self.hids).astype("string").str.strip()
        lab = lab.mask((lab == "").fillna(False))
        codes, uniq = pd.factorize(lab, sort=True)
        self.unit_ids: list[str] = [str(u) for u in uniq]
        self.orig = np.asarray(codes, dtype=np.int64)
        self.lab = self.orig.copy()
        self._rule_columns(households, rules, graph, pos)
        self.members: list[set[int]] = [set() for _ in self.unit_ids]
        #: the units of the plan as given are 0..n_given-1; those after were made by the repair
        self.n_given = len(self.unit_ids)
        #: units the heuristic made (a split, an island of households with no unit next to them): named at the
        #: end after the unit of the plan most of their households came from (:func:`_name_made_units`)
        self.made: set[int] = set()
        for h in np.flatnonzero(self.lab >= 0):
            self.members[self.lab[h]].add(int(h))
        self.reasons: dict[int, str] = {}
        #: households that may not move (the meeting points the walking limit is kept against, and a declared
        #: settlement split's households still where the delineation put them)
        self.fixed: set[int] = set()
        #: units that take in an unassigned household only when no other unit next to it can: the declared
        #: exception units the plan holds as declared (a household more and they are no longer)
        self.avoid: set[int] = set()
        #: units the check excuses as they stand (status ``exception``: a declared or proven exception): left
        #: out of the exact model's region, which would hold them to every rule
        self.frozen: set[int] = set()
        #: household → the unit the delineation gave it, for the settlements it declared split: the exact model
        #: keeps them there (the declaration holds while every one of them is), and no settlement row for them
        self.pinned: dict[int, int] = {}
        #: household → the unit the delineation gave it (a result's plan; -1: not known): where a household that
        #: must move goes when moves tie (the exact model's tie-break, the heuristic's first choice)
        self.home = np.full(n, -1, dtype=np.int64)
        #: unit → its households as the delineation declared it an exception: held so, it is excused as it
        #: stands, and an error it carries (a split of its settlement) comes from households elsewhere
        self.declared: dict[int, set[int]] = {}
        #: units whose meeting point was given (and lies in them): they keep it, and so their name, in the exact model
        self.meet_given: set[int] = set()
        #: units whose given meeting point is none of their households in the plan as given: unit → (the id given,
        #: or None for a plan's meeting-point column that names none; where it is, or why none: a phrase)
        self.meet_off: dict[int, tuple[str | None, Any]] = {}
        #: units whose plan's meeting-point column names one household that was none of theirs in the plan as
        #: given (``meet_off`` holds why): unit → that household, the unit's point again where the repair brings it
        #: back into the unit (:func:`_late_meeting`)
        self.meet_named: dict[int, int] = {}
        #: unit → its meeting household, the one :func:`repair_plan` holds (the same dict): a step that must move a
        #: unit's meeting point out of it chooses the unit's point again here (:func:`_move_piece`)
        self.meet: dict[int, int] = {}
        #: units the planner locked (``yuanluo edit``'s 锁定 column, or ``--lock``): no household leaves or joins
        self.locked: set[int] = set()
        #: a unit's far cut-off pieces' households, out of it before the exact step (_detach_strays), and whether
        self.detached: set[int] = set()
        self.detach = True
        self.taken_out: list[tuple[int, set[int], set[int]]] = []  # (unit, piece, its main piece) of each
        #: each household's island for the exact model (:func:`yuanluo.gis.repair_exact.island_blocks`), once
        self.islands: np.ndarray | None = None
        #: households beyond the walking limit that no move within their region can bring within it, proven from
        #: distances (:func:`_walk_far`): the exact model solved again keeps them in their own unit beyond the limit
        #: (``walk_waived``, only while it solves: :func:`_waived`), and each one's reason is its own (hid → Note)
        self.walk_waived: set[int] = set()
        self.walk_far: dict[str, Note] = {}
        #: the households the last check found beyond the walking limit (``PLAN-WALK-LIMIT``: :func:`_unit_codes`)
        self.walk_beyond: set[str] = set()
        #: the households an exact optimum taken kept beyond the limit (``ExactOutcome.waived``)
        self.waived_taken: set[str] = set()
        self.n_steps = 0
        self._exact_state()

    def _exact_state(self) -> None:
        """What the exact models and the repairs :func:`repair_plan` makes again share and count: the move budget,
        the work left, the safety net, the models solved and the parts that proved (set in :meth:`__init__`)."""
        self.budget: int | None = None
        #: ``max_moves`` for the exact models (:func:`_exact_then_greedy`): no more new units than moves fill (``_with_new``)
        self.max_moves: int | None = None
        #: the work (HiGHS's nodes times the model's size) the exact models may still take (:data:`yuanluo.gis.repair_exact.TOTAL_WORK`
        #: from the first exact step on); None: no overall limit
        self.work_left: float | None = None
        #: the wall-clock safety net of the whole :func:`repair_plan` (:class:`yuanluo.gis.repair_exact.Net`), shared
        #: by the repairs it makes; None: none
        self.net: RE.Net | None = None
        #: whether the exact models may open new units (:func:`yuanluo.gis.repair_exact._new_count`), and whether
        #: one did where the model opening none was infeasible (the heuristic it left that to may move fewer)
        self.new_units = True
        self.past_infeasible = False
        #: an exact plan taken let the centres of units given no meeting point follow the moves (``o.rooted``)
        self.centres_moved = False
        #: an exact optimum taken was proven the fewest with the centres of units given no meeting point held only
        self.centres_held = False
        #: households placed by their own models before the exact step on the units with a problem, when that step
        #: followed (:func:`_exact_then_greedy`): its optimum is the fewest given where they were put
        self.placed_first: set[int] = set()
        #: the exact models solved in this repair (:func:`yuanluo.gis.repair_exact._solve`: a digest of the model →
        #: its optimal x, or None: infeasible), shared by the repairs :func:`repair_plan` makes again; None: not kept
        self.memo: RE.Memo | None = None
        #: the parts of regions (their households, :func:`yuanluo.gis.repair_exact._part_id`) that proved a model
        #: infeasible, asked first of the models holding them (:func:`yuanluo.gis.repair_exact._part_infeasible`);
        #: shared like ``memo``
        self.proving: set[bytes] = set()

    def _rule_columns(self, households: Any, rules: Rules, graph: TerrainGraph, pos: np.ndarray) -> None:
        """What the rules read from the household columns: each household's weight (``w``: its persons under
        ``size_by = "persons"``, else 1), its candidate head flag (``head``: None unless ``require_head`` and a
        ``head_candidate`` column), its settlement piece (``settle``: None unless ``keep_settlements`` and a
        ``settlement`` column) and which pieces fit in one unit (``settle_small``)."""
        if rules.size_by == "persons" and "persons" in households.columns:
            self.w = pd.to_numeric(households["persons"], errors="coerce").fillna(0).to_numpy(dtype=float)
        else:
            self.w = np.ones(len(self.hids))
        self.head = (_as_bool(households["head_candidate"]) if rules.require_head
                     and "head_candidate" in households.columns else None)
        #: the check's areas for the head rule (:class:`~yuanluo.gis.check.HeadAreas`, the same for every plan):
        #: how many units of an area may lack a candidate, HEAD-EXCEPTION (the exact model's ``e[u, a]``,
        #: :func:`yuanluo.gis.repair_exact.head_allowance`; the heuristic's :meth:`head_excused`); None without heads
        self.head_areas: HeadAreas | None = None
        if self.head is not None:
            pers = (pd.to_numeric(households["persons"], errors="coerce").fillna(0).to_numpy(dtype=float)
                    if "persons" in households.columns else np.zeros(len(self.hids)))
            self.head_areas = HeadAreas.build(households, rules, graph, pos, pers)
        self.settle: np.ndarray | None = None
        self.settle_small = np.zeros(0, dtype=bool)
        if rules.keep_settlements and "settlement" in households.columns:
            # the settlement pieces the check holds whole: a name within one nest group, linked among itself
            code, uniq = settlement_pieces(households, rules, graph, pos)
            self.settle = np.asarray(code, dtype=np.int64)
            ok_s = self.settle >= 0
            tot = np.bincount(self.settle[ok_s], weights=self.w[ok_s], minlength=len(uniq))
            self.settle_small = tot <= rules.max_size

    def _link(self, households: Any, rules: Rules, graph: TerrainGraph, labels: pd.Series,
              declared: Declared | None) -> np.ndarray:
        """The household adjacency (``indptr``/``indices``), the links that hold a unit together as the check
        sees them (``cindptr``/``cindices``: the long joins by the check's zones, :func:`plan_zones`, of the
        plan as given with what the delineation ``declared``), the walking matrix and the nest key; returns each
        household's node in ``graph``."""
        n = len(self.hids)
        pos = pd.Index(np.asarray(graph.ids, dtype=object)).get_indexer(self.hids)
        if (pos < 0).any():
            raise InputError(problem("REPAIR-GRAPH", ids=sorted(self.hids[pos < 0])))
        node_to_h = np.full(graph.n, -1, dtype=np.int64)
        node_to_h[pos] = np.arange(n)
        hu, hv = node_to_h[graph.u], node_to_h[graph.v]
        ok = (hu >= 0) & (hv >= 0)
        a = sp.coo_matrix((np.ones(int(ok.sum())), (hu[ok], hv[ok])), shape=(n, n))
        a = (a + a.T).tocsr()
        a.sum_duplicates()
        self.indptr, self.indices = a.indptr, a.indices
        self.key = nest_key(households, rules.nest_by)  # one rule for blanks: yuanluo.gis.keys
        #: each nesting level of the households (village, group: the columns they have), to say which one a
        #: nesting move crossed (:meth:`_nest_level`)
        self.levels = [(c, nest_key(households, (c,))) for c in rules.nest_by
                       if c in ("village", "group") and c in getattr(households, "columns", ())]
        if declared is not None and not declared.applies(rules):
            declared = None  # as the check takes it
        zone = plan_zones(households, labels, rules, graph, pos, declared)
        c = _join_edges(graph, node_to_h, pos, self.key, rules.join_limit_min, zone)
        c = (a + c + c.T).tocsr()
        c.sum_duplicates()
        #: what holds a unit together as the check sees it: the graph's edges and those pruned only for
        #: length within ``Rules.join_limit_min`` in one nest group (a unit joined over one is a warning)
        self.cindptr, self.cindices = c.indptr, c.indices
        self.walk = _walk_matrix(graph, hu[ok], hv[ok], ok, n, node_to_h, rules.join_limit_min)
        return pos

    # -------------------------------------------------------------------- basics
    def nbrs(self, h: int) -> np.ndarray:
        """The households a move may follow an edge to (the graph's edges)."""
        return self.indices[self.indptr[h]:self.indptr[h + 1]]

    def cnbrs(self, h: int) -> np.ndarray:
        """The households that hold ``h`` to a unit: its graph neighbours and its long joins (see ``cindptr``)."""
        return self.cindices[self.cindptr[h]:self.cindptr[h + 1]]

    def size(self, j: int) -> float:
        return float(self.w[list(self.members[j])].sum()) if self.members[j] else 0.0

    def unit_key(self, j: int) -> int:
        ks = self.key[sorted(self.members[j])]
        ks = ks[ks >= 0]
        if not len(ks):
            return -1
        vals, cnt = np.unique(ks, return_counts=True)
        return int(vals[np.argmax(cnt)])

    def key_ok(self, h: int, j: int) -> bool:
        kh, kj = int(self.key[h]), self.unit_key(j)
        return kh < 0 or kj < 0 or kh == kj

    def connected(self, nodes: set[int]) -> bool:
        return len(nodes) <= 1 or len(self._reach(min(nodes), nodes)) == len(nodes)

    def _reach(self, start: int, nodes: set[int]) -> set[int]:
        """The households of ``nodes`` reached from ``start`` (as the check joins them: :meth:`cnbrs`)."""
        comp, dq = {start}, deque([start])
        while dq:
            a = dq.popleft()
            for b in self.cnbrs(a).tolist():
                if b in nodes and b not in comp:
                    comp.add(b)
                    dq.append(b)
        return comp

    def pieces(self, nodes: set[int]) -> list[set[int]]:
        """The connected pieces of the households ``nodes``, each found from its smallest household position,
        in that order."""
        left, out = set(nodes), []
        while left:
            comp = self._reach(min(left), left)
            left -= comp
            out.append(comp)
        return out

    def can_give(self, h: int, x: int) -> bool:
        """Household ``h`` may leave unit ``x``: x stays non-empty, connected, with a head, and no settlement the
        check holds whole (one that fits in a unit) that ``x`` holds whole is split by it."""
        rest = self.members[x] - {h}
        if not rest or h in self.fixed or self.splits_settlement(h, x):
            return False
        if self.head is not None and self.head[h] and not self.head[list(rest)].any():
            lab = self.lab.copy()
            lab[h] = -1  # wherever it goes, the unit it joins has a candidate then
            if x not in self.head_excused(lab):
                return False
        return self.connected(rest)

    def head_excused(self, lab: np.ndarray | None = None) -> set[int]:
        """The units without a candidate head that the check excuses (HEAD-EXCEPTION) in the plan ``lab`` (each
        household's unit number, -1 none; the plan as it stands by default): the check's own rule,
        :meth:`yuanluo.gis.check.HeadAreas.excused`. Empty without heads."""
        if self.head is None or self.head_areas is None:
            return set()
        lab = self.lab if lab is None else lab
        a = lab >= 0
        k = int(lab.max()) + 1 if a.any() else 0
        n = np.bincount(lab[a], minlength=k)
        heads = np.bincount(lab[a], weights=self.head[a].astype(float), minlength=k)
        return set(self.head_areas.excused(lab, np.flatnonzero((n > 0) & (heads == 0))))

    def splits_settlement(self, h: int, x: int) -> bool:
        """Whether ``h`` leaving unit ``x`` alone splits a settlement the check holds whole that ``x`` holds
        whole (a rule the plan kept, which the heuristic's steps must not break)."""
        if self.settle is None or self.settle[h] < 0 or not self.settle_small[self.settle[h]]:
            return False
        same = np.flatnonzero((self.settle == self.settle[h]) & (self.lab >= 0))
        return len(same) > 1 and bool((self.lab[same] == x).all())

    def move(self, h: int, to: int, reason: str) -> None:
        assert reason in MOVE_REASONS, reason
        assert to not in self.locked and self.lab[h] not in self.locked, "a locked unit is never changed"
        if self.budget is not None:
            after = self.n_moved() - int(self.lab[h] != self.orig[h]) + int(to != self.orig[h])
            if after > self.budget:
                raise _BudgetReached
        fr = int(self.lab[h])
        if reason in ("nesting", "nesting-new") and fr >= 0:
            reason = self._nest_level(h, fr, reason)
        if reason == "merge" and fr >= 0 and float(self.w[self.orig == fr].sum()) >= self.rules.min_size:
            reason = "merge-shrunk"  # not too small as given: too small only after moves out of it (a settlement's)
        if fr >= 0:
            self.members[fr].discard(h)
        self.members[to].add(h)
        self.lab[h] = to
        self.reasons[h] = reason
        self.n_steps += 1

    def _nest_level(self, h: int, fr: int, reason: str, stay: np.ndarray | None = None) -> str:
        """``reason`` of a nesting move of ``h`` out of unit ``fr`` with the level it crossed: ``-village`` or
        ``-group``, the first of ``Rules.nest_by`` on which ``h`` is not of the unit's own (its most households';
        ``stay``: those of the plan the move is part of, an exact one's, else the unit's now); as given where
        neither column tells (audit G §9 of session 41: "本组" said with the village the only level, and no group
        column)."""
        mem = sorted(self.members[fr] - {h}) if stay is None else [int(x) for x in stay.tolist() if x != h]
        for name, codes in self.levels:
            ks = codes[mem]
            ks = ks[ks >= 0]
            if int(codes[h]) >= 0 and len(ks):
                vals, cnt = np.unique(ks, return_counts=True)
                if int(vals[np.argmax(cnt)]) != int(codes[h]):
                    return f"{reason}-{name}"
        return reason

    def place(self, h: int, to: int) -> None:
        """Household ``h`` into unit ``to`` (-1: no unit) as a plan holds it: no move, no reason, no budget."""
        fr = int(self.lab[h])
        if fr >= 0:
            self.members[fr].discard(h)
        if to >= 0:
            self.members[to].add(h)
        self.lab[h] = to

    def n_moved(self) -> int:
        return int((self.lab != self.orig).sum())

    def unit_nbrs(self, x: int) -> list[int]:
        """The units next to x that a move may change: not those the check excuses as they stand (``frozen``)."""
        out = {int(self.lab[y]) for h in self.members[x] for y in self.nbrs(h).tolist()}
        return sorted(u for u in out if u >= 0 and u != x and u not in self.frozen)

    def boundary(self, x: int, y: int) -> list[int]:
        """Households of x adjacent to unit y that may move to y, best first: those the delineation gave y
        (going home), then those with most edges to y."""
        cand = []
        for h in sorted(self.members[x]):
            k = int(sum(1 for z in self.nbrs(h).tolist() if self.lab[z] == y))
            if k and self.key_ok(h, y):
                cand.append((self.home[h] != y, -k, self.hids[h], h))
        cand.sort()
        return [h for *_, h in cand]

    def new_unit(self, name: str) -> int:
        self.unit_ids.append(name)
        self.members.append(set())
        return len(self.unit_ids) - 1


def _join_edges(graph: TerrainGraph, node_to_h: np.ndarray, pos: np.ndarray, key: np.ndarray,
                limit: float, zone: np.ndarray | None = None) -> sp.coo_matrix:
    """The check's long joins (:func:`~yuanluo.gis.check.long_joins`: those that join an island, a piece the
    short edges cut off from the rest of its nest group and zone, ``zone``: :func:`~yuanluo.gis.check.plan_zones`)
    with both ends in one nest group, between household positions (``pos``: each household's graph node)."""
    n = len(key)
    node_key = np.zeros(graph.n, dtype=np.int64)
    node_key[pos] = key
    u, v = long_joins(graph, limit, node_key, zone)
    hu, hv = node_to_h[u], node_to_h[v]
    ok = (hu >= 0) & (hv >= 0)
    ok[ok] = key[hu[ok]] == key[hv[ok]]
    return sp.coo_matrix((np.ones(int(ok.sum())), (hu[ok], hv[ok])), shape=(n, n))


def _walk_matrix(graph: TerrainGraph, hu: np.ndarray, hv: np.ndarray, ok: np.ndarray, n: int,
                 node_to_h: np.ndarray, join_limit: float) -> sp.csr_matrix:
    """Directed walking minutes between households (``[a, b]``: from a to b; a zero walk kept as 1e-9), across the
    long joins within ``join_limit`` too, the same both ways, as the check walks (:func:`yuanluo.gis.graph.unit_toward`)."""
    wuv = graph.walk_uv if graph.walk_uv is not None else graph.walk_min
    wvu = graph.walk_vu if graph.walk_vu is not None else graph.walk_min
    ju, jv, jw = length_joins(graph, join_limit)
    ja, jb = node_to_h[ju], node_to_h[jv]
    keep = (ja >= 0) & (jb >= 0)
    ja, jb, jw = ja[keep], jb[keep], jw[keep]
    data = np.maximum(np.r_[np.asarray(wuv)[ok], np.asarray(wvu)[ok], jw, jw], 1e-9)
    return sp.csr_matrix((data, (np.r_[hu, hv, ja, jb], np.r_[hv, hu, jb, ja])), shape=(n, n))


# ---------------------------------------------------------------------------------------- steps
def nest_pieces(st: _State, indptr: np.ndarray, indices: np.ndarray) -> tuple[int, np.ndarray, np.ndarray]:
    """The connected pieces of the households over the links ``indptr, indices`` (a CSR adjacency) within one nest
    key: how many, each household's piece, and each piece's size (by the rule's weight)."""
    n = len(st.hids)
    rows = np.repeat(np.arange(n), np.diff(indptr))
    same = st.key[rows] == st.key[indices]
    a = sp.coo_matrix((np.ones(int(same.sum())), (rows[same], indices[same])), shape=(n, n))
    k, comp = connected_components(a, directed=False)
    return k, comp, np.bincount(comp, weights=st.w, minlength=k)


def _infeasible_blocks(st: _State) -> list[tuple[Note, np.ndarray]]:
    """Connected blocks (same nest key) whose size cannot be cut into units within the band, each with its
    households' positions. Connected as the check links households (the graph's edges and the long joins
    within ``Rules.join_limit_min``): a piece the check accepts as joined over a long edge is no block of its
    own."""
    k, comp, tot = nest_pieces(st, st.cindptr, st.cindices)
    out = []
    for c in range(k):
        if not st.rules.feasible_size(int(round(tot[c]))):
            ids = sorted(st.hids[comp == c].tolist())
            more: Any = ("repair.block.more", {}) if len(ids) > 5 else ""
            out.append((("repair.block", {"size": _fmt(tot[c]), "ids": ids[:5], "more": more}),
                        np.flatnonzero(comp == c)))
    return out


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:.1f}"


def _assign_unassigned(st: _State) -> None:
    r = st.rules
    while True:
        free = np.flatnonzero(st.lab < 0)
        for h in free.tolist():
            _make_room_at_home(st, h)
        best: list[tuple[float, str, bool, int, int]] = []
        for h in free.tolist():
            near = {int(st.lab[y]) for y in st.nbrs(h).tolist() if st.lab[y] >= 0}
            joined = {int(st.lab[y]) for y in st.cnbrs(h).tolist() if st.lab[y] >= 0} - near  # over a long join
            for j in sorted((near | joined) - st.locked):
                if st.key_ok(h, j):
                    sz = st.size(j)
                    best.append((0 if sz + st.w[h] <= r.max_size else 1, st.hids[h], j in joined, j, h))
        if not best:
            break
        # a declared or proven exception last (a household more and it is one no longer: a unit over the
        # ceiling can give one back), then a unit with room, then home (a result's households), …
        best.sort(key=lambda t: (t[3] in st.avoid or t[3] in st.frozen, t[0], t[1], st.home[t[4]] != t[3], t[2],
                                 st.size(t[3]), st.unit_ids[t[3]]))
        # … and while some household can go home with room there, only those go this round: a household whose
        # home is reached through another free household waits for it instead of taking the first unit it touches
        home = [t for t in best if st.home[t[4]] == t[3] and t[0] == 0 and t[3] not in st.avoid | st.frozen]
        best = home or best
        done: set[int] = set()
        for _, _, _, j, h in best:
            if h not in done:
                st.move(h, j, "noncontig" if h in st.detached else "unassigned")
                done.add(h)
    _new_units(st)


def _new_units(st: _State) -> None:
    """Islands of unassigned households with no unit next to them (left so by the plan, or cut off far from their
    unit: :func:`_detach_strays`): a new unit each when its size is within the band, or when it is a whole island
    smaller than the floor (:func:`~yuanluo.gis.repair_exact.island_blocks`, which the check excuses as one unit),
    named at the end (:func:`_name_made_units`)."""
    island: set[int] = {int(h) for h in np.flatnonzero(st.lab < 0)}
    block = island_blocks(st)
    k = 0
    while island:
        start = min(island, key=lambda h: str(st.hids[h]))
        comp, dq = {start}, deque([start])
        while dq:
            x = dq.popleft()
            for y in st.nbrs(x).tolist():
                if y in island and y not in comp and st.key[y] == st.key[start]:
                    comp.add(y)
                    dq.append(y)
        isle = set(np.flatnonzero(block == block[start]).tolist()) if block[start] >= 0 else set()
        whole = bool(isle) and isle <= island  # every household of the island in no unit (linked by a long join too)
        comp = isle if whole else comp
        island -= comp
        tot = float(st.w[list(comp)].sum())
        if st.rules.min_size <= tot <= st.rules.max_size or whole:
            k += 1
            name = f"R{k:03d}"
            while name in st.unit_ids:
                k += 1
                name = f"R{k:03d}"
            jn = st.new_unit(name)
            st.made.add(jn)
            for h in sorted(comp):
                st.move(h, jn, _island_reason(st, h) if whole else "new-unit")


def _make_room_at_home(st: _State, h: int) -> None:
    """Unassigned ``h`` next to its unit in the delineation, which is full: a piece of that unit cut off from
    the rest, all of whose households belong to one other unit next to it with room, goes there first (the
    contiguity step would move it anyway); ``h`` then goes home instead of into a unit it never belonged to,
    with a household of that unit following it."""
    j, r = int(st.home[h]), st.rules
    out = st.locked | st.avoid | st.frozen
    if j < 0 or j in out or st.size(j) + st.w[h] <= r.max_size or not st.key_ok(h, j) or \
            not any(st.lab[y] == j for y in st.nbrs(h).tolist()):
        return
    for piece in _pieces(st, j)[1:]:
        homes = {int(st.home[k]) for k in piece}
        m = homes.pop() if len(homes) == 1 else -1
        if m < 0 or m == j or m in out or piece & st.fixed or piece & st.pinned.keys() or \
                not all(st.key_ok(k, m) for k in piece) or st.size(m) + float(st.w[list(piece)].sum()) > r.max_size:
            continue
        if any(st.lab[y] == m for k in piece for y in st.nbrs(k).tolist()):
            for k in sorted(piece):
                st.move(k, m, "noncontig")
            return


def _pieces(st: _State, x: int) -> list[set[int]]:
    """The connected pieces of unit x, the heaviest first (ties: the smallest household id)."""
    return _pieces_of(st, st.members[x])


def _pieces_of(st: _State, nodes: set[int]) -> list[set[int]]:
    """The connected pieces of the households ``nodes``, the heaviest first (ties: the smallest household id)."""
    out = st.pieces(nodes)
    out.sort(key=lambda c: (-float(st.w[list(c)].sum()), min(st.hids[list(c)])))
    return out


def _bridge(st: _State, x: int, piece: set[int], main: set[int], limit: int,
            cost: Callable[[int], int | None], own: int | None = None,
            lab: np.ndarray | None = None) -> list[int] | None:
    """The households outside unit ``x`` whose move into it joins ``piece`` to ``main`` at the least cost (at most
    ``limit``), in order from the piece; None when none does. ``cost(b)``: what moving household ``b`` costs, 0 or 1,
    or None where it may not be crossed (a household of another nest group never is; one of ``x`` costs ``own``,
    by default never); ``lab``: the plan whose unit ``x`` that is (default: the plan as it stands). A breadth-first
    search from the piece, those of cost 0 first (0-1 BFS): with every cost 1, the fewest households.

    A row a b c d e: unit X is a, b and e, unit Y c and d. The piece {e} is joined to {a, b} by d and c:

    >>> from types import SimpleNamespace as NS
    >>> nbrs = {0: [1], 1: [0, 2], 2: [1, 3], 3: [2, 4], 4: [3]}
    >>> lab = np.array([0, 0, 1, 1, 0])
    >>> st = NS(nbrs=lambda h: np.array(nbrs[h]), lab=lab, key_ok=lambda h, j: True)
    >>> _bridge(st, 0, {4}, {0, 1}, 2, lambda b: 1), _bridge(st, 0, {4}, {0, 1}, 1, lambda b: 1)
    ([3, 2], None)
    """
    lab = st.lab if lab is None else lab
    prev: dict[int, int] = {}
    depth = dict.fromkeys(piece, 0)
    dq = deque(sorted(piece))
    while dq:
        a = dq.popleft()
        for b in st.nbrs(a).tolist():
            if b in main:
                path = []
                while a not in piece:
                    path.append(a)
                    a = prev[a]
                return path[::-1]
            c = None if not st.key_ok(b, x) else own if lab[b] == x else cost(b)
            if c is None or depth[a] + c > limit or depth.get(b, limit + 1) <= depth[a] + c:
                continue
            depth[b] = depth[a] + c
            prev[b] = a
            (dq.appendleft if c == 0 else dq.append)(b)
    return None


def _bridge_path(st: _State, x: int, piece: set[int], main: set[int], limit: int,
                 home: bool = False) -> list[int] | None:
    """Fewest households of other units (at most ``limit``; none in no unit) whose move joins ``piece`` to ``main``;
    with ``home``, only households the delineation gave x (slips going home)."""
    return _bridge(st, x, piece, main, limit,
                   lambda b: None if st.lab[b] < 0 or (home and st.home[b] != x) else 1)


def _detach_strays(st: _State) -> None:
    """Take out of its unit every cut-off piece that no bridge of at most as many households joins to the
    unit's main piece (the piece must move: a household typed into a unit far away), so that the exact step
    places it among the units next to it, not in one model with the whole neighbourhood of its old unit.
    Pieces holding a household that may not move (a meeting point, a declared split) stay.

    Every unit's pieces are found in the plan as it stands, before any is taken out: a household taken out of one
    unit is still a bridge for another (it was not: a household of U2 typed into I1, between U2 and the rest of U3,
    was taken out first, then U3's own four, as a piece no bridge joined, went to a new unit, and U1 was left below
    the floor, "proven" impossible). A household in no unit is a bridge at no cost: it moves whatever is done
    (:func:`_free_bridge`; it was not crossed, and the piece of one beyond it was taken out and placed elsewhere).

    The main piece is the heaviest; on a tie, a piece of households of no island before an island's piece (the
    island's piece then goes out, to its own unit or its island's), then the smallest id. Which of two equal pieces
    stays can cost moves (street plans against brute force, ``yuanluo.gis.synth_streets``, ids permuted so that
    ties fall either way): the tie broken by the largest id instead moved fewer in 1 and more in 2 of 700 plans,
    and fewer in 1 of 200 under a walking limit, so neither id order is the better; an island's three households
    tied with three of a street typed into its unit, the street's kept and the island's taken out: 6 moves by the
    heuristic where 4 suffice (the island's kept: 4, and in no plan of the scans more)."""
    block = island_blocks(st)
    out: set[int] = set()
    for x in range(len(st.unit_ids)):
        if x in st.frozen:
            continue
        pieces = st.pieces(st.members[x])
        pieces.sort(key=lambda c: (-float(st.w[list(c)].sum()), not bool((block[list(c)] >= 0).all()),
                                   min(st.hids[list(c)])))
        for piece in pieces[1:]:
            if piece & st.fixed or piece & st.pinned.keys():
                continue
            if not _free_bridge(st, x, piece, pieces[0], len(piece)):
                out |= piece
                st.taken_out.append((x, piece, pieces[0]))
    for h in sorted(out):
        st.place(h, -1)
    st.detached |= out


def _free_bridge(st: _State, x: int, piece: set[int], main: set[int], limit: int) -> bool:
    """Whether at most ``limit`` households of other units (and any number in no unit, which move whatever is
    done) join ``piece`` to ``main``, moved into unit ``x``."""
    return _bridge(st, x, piece, main, limit, lambda b: 0 if st.lab[b] < 0 else 1) is not None


def _reattach(st: _State) -> None:
    """A detached household that found no unit goes back to its own (it is not moved)."""
    for h in sorted(st.detached):
        if st.lab[h] < 0:
            st.place(h, int(st.orig[h]))
            st.reasons.pop(h, None)


def _fix_contiguity(st: _State, budget: int | None) -> None:
    for x in range(len(st.unit_ids)):
        if x in st.locked:
            continue
        pieces = _pieces(st, x)
        if len(pieces) <= 1:
            continue
        for piece in pieces[1:]:
            if budget is not None and st.n_moved() >= budget:
                return
            main = _pieces(st, x)[0]
            if piece & main:
                continue
            path = _bridge_path(st, x, piece, main, len(piece) - 1) if len(piece) > 1 else None
            # households of x elsewhere that join it again going home: each a move undone, however many
            path = path or _bridge_path(st, x, piece, main, len(st.lab), home=True)
            if path and all(_with_cut_off(st, h, x) for h in path):
                for h in path:
                    for k in sorted(_with_cut_off(st, h, x) or ()):
                        st.move(k, x, "noncontig-join")
                if piece <= _pieces(st, x)[0]:  # joined (another piece of x may still be apart: its own turn)
                    continue
            _move_piece(st, x, piece)


def _with_cut_off(st: _State, h: int, x: int) -> set[int]:
    """Household ``h`` and, when its leaving would cut them off its unit, the households it links there, as
    they may join unit ``x`` together: ``h`` alone when its unit can give it; else, when ``h`` belongs to ``x``
    in the delineation, ``h`` with the pieces its leaving cuts off if every one of them belongs to ``x`` too
    (slips into the same unit going home together; its unit keeps a head and is no more cut up than before);
    else nothing."""
    y = int(st.lab[h])
    if st.can_give(h, y):
        return {h}
    if st.home[h] != x or h in st.fixed:
        return set()
    link = next(c for c in st.pieces(st.members[y]) if h in c)
    cut = set().union(*_pieces_of(st, link - {h})[1:])
    rest = st.members[y] - {h} - cut
    if not rest or any(st.home[k] != x or k in st.fixed or k in st.pinned or not st.key_ok(k, x) for k in cut):
        return set()
    if st.head is not None and st.head[list(st.members[y])].any() and not st.head[list(rest)].any():
        return set()
    return {h} | cut


def _move_piece(st: _State, x: int, piece: set[int]) -> None:
    """A cut-off piece of unit x moved whole to the adjacent unit with most edges to it: the one the delineation
    gave most of it first (a declared split's too), an exception unit last, never a locked one. A piece with no
    unit next to it that is a whole island (:func:`~yuanluo.gis.repair_exact.island_blocks`: typed into x, which
    holds nothing else of it) is a unit of its own, which the check excuses as one exception unit (reason
    ``island``)."""
    touch: dict[int, int] = {}
    for h in piece:
        for y in st.nbrs(h).tolist():
            j = int(st.lab[y])
            if j >= 0 and j != x and j not in st.locked and st.key_ok(h, j):
                touch[j] = touch.get(j, 0) + 1
    block = island_blocks(st)
    b = int(block[min(piece)])
    if not touch and b >= 0 and piece == set(np.flatnonzero(block == b).tolist()):
        j = st.new_unit(f"\x00isle{min(piece)}")  # named at the end (_name_made_units)
        st.made.add(j)
        for h in sorted(piece):
            st.move(h, j, _island_reason(st, h))
    elif touch:
        home = {u: sum(int(st.home[h]) == u for h in piece) for u in touch}
        j = sorted(touch, key=lambda u: (-home[u], u in st.frozen, -touch[u], st.unit_ids[u]))[0]
        for h in sorted(piece):
            st.move(h, j, "noncontig")
    else:
        return
    m = st.meet.get(x)
    if m is not None and m in piece and st.rules.max_walk_min is not None and st.members[x]:
        # the piece held x's meeting point (a household typed into x far away, chosen as its point): moving the
        # piece is the one repair of x's contiguity, so x's meeting point is chosen again, its centre, in the
        # open (repair_plan's note repair.note.meeting), not left to the check's fallback
        st.fixed.discard(m)
        st.meet[x] = _centre(st, sorted(st.members[x]))
        st.fixed.add(st.meet[x])


def _chain(st: _State, start: int, low: bool) -> list[int] | None:
    """Shortest chain of units from ``start`` to a unit with slack (BFS over the unit graph).

    ``low``: start needs households; a link b -> a means b can give one to a. Otherwise start has
    too many; a link a -> b means a can give one to b.
    """
    r = st.rules
    prev = {start: -1}
    dq = deque([start])
    while dq:
        a = dq.popleft()
        # a unit holding a household of the taker's (in the delineation) next to it first: it goes home
        for b in sorted(st.unit_nbrs(a), key=lambda b: not _goes_home(st, *((b, a) if low else (a, b)))):
            if b in prev:
                continue
            giver, taker = (b, a) if low else (a, b)
            if not any(st.can_give(h, giver) for h in st.boundary(giver, taker)[:8]):
                continue
            prev[b] = a
            sz = st.size(b)
            if (low and sz - 1 >= r.min_size) or (not low and sz + 1 <= r.max_size):
                return _path_to(prev, b)
            dq.append(b)
    return None


def _goes_home(st: _State, giver: int, taker: int) -> bool:
    """Whether unit ``giver`` can give ``taker`` a household the delineation put in ``taker``."""
    return any(st.home[h] == taker and st.can_give(h, giver) for h in st.boundary(giver, taker)[:8])


def _path_to(prev: dict[int, int], b: int) -> list[int]:
    """The breadth-first path from the start (whose ``prev`` is -1) to ``b``: start … b."""
    path = [b]
    while prev[path[-1]] != -1:
        path.append(prev[path[-1]])
    return path[::-1]


def _shift(st: _State, giver: int, taker: int, reason: str) -> bool:
    for h in st.boundary(giver, taker):
        if st.can_give(h, giver):
            st.move(h, taker, reason)
            return True
    return False


def _split_first(st: _State, budget: int | None) -> bool:
    """Units above the ceiling split before any household is shifted, where shifting cannot mend them: in a
    group of units joined by the units next to each other (none the check excuses or locked), the households
    over the ceiling are more than the room below it in all of them. Shifting one household into each neighbour
    first would leave too few to split (units of 24, 31 and 24 in a band of 15–25: 31 pushed down to 29, which
    no split cuts into two of 15). The largest such unit that splits (:func:`_split`) is split, and the groups
    are counted again; whether anything was split."""
    r = st.rules
    live = [j for j in range(len(st.unit_ids)) if st.members[j] and j not in st.frozen]
    seen: set[int] = set()
    done = False
    for j0 in live:
        if j0 in seen:
            continue
        comp, dq = {j0}, deque([j0])
        while dq:
            a = dq.popleft()
            for b in st.unit_nbrs(a):
                if b not in comp:
                    comp.add(b)
                    dq.append(b)
        seen |= comp
        while budget is None or st.n_moved() < budget:
            sizes = {j: st.size(j) for j in comp}
            excess = sum(s - r.max_size for s in sizes.values() if s > r.max_size)
            room = sum(r.max_size - s for s in sizes.values() if s < r.max_size)
            if excess <= room:
                break
            high = sorted((j for j, s in sizes.items() if s > r.max_size), key=lambda j: (-sizes[j], st.unit_ids[j]))
            k = next((j for j in high if _split(st, j)), None)
            if k is None and r.feasible_size(int(round(sum(sizes.values())))):
                # no split within the band (9 and 8 in 5–8): one leaving a part below the floor that the units
                # next to it fill (5 and 4, then one from the 8)
                k = next((j for j in high if _split(st, j, loose=True)), None)
            if k is None:
                break
            comp.add(len(st.unit_ids) - 1)  # the unit the split made
            done = True
    return done


def _fix_sizes(st: _State, budget: int | None) -> None:
    r = st.rules
    _split_first(st, budget)
    for _ in range(4 * len(st.hids) + 10):
        if budget is not None and st.n_moved() >= budget:
            return
        bad = [(st.unit_ids[j], j) for j in range(len(st.unit_ids))
               if st.members[j] and not (r.min_size <= st.size(j) <= r.max_size) and j not in st.frozen]
        if not bad:
            return
        progressed = False
        for _, j in sorted(bad):
            sz = st.size(j)
            if not st.members[j] or r.min_size <= sz <= r.max_size or j in st.frozen:
                continue
            low = sz < r.min_size
            path = _chain(st, j, low)
            if path is not None:
                links = list(zip(path[:-1], path[1:], strict=True))
                for a, b in links:  # start first: start takes from / gives to the next unit
                    giver, taker = (b, a) if low else (a, b)
                    if not _shift(st, giver, taker, "size-low" if low else "size-high"):
                        break
                    progressed = True
                continue
            if low and _merge(st, j):
                progressed = True
            elif not low and _split(st, j):
                progressed = True
        if not progressed and not _split_first(st, budget):
            return


def _heads_of(st: _State, j: int) -> int:
    assert st.head is not None
    return int(st.head[list(st.members[j])].sum()) if st.members[j] else 0


def _head_chain(st: _State, start: int) -> list[int] | None:
    """Shortest chain of units from ``start`` (no candidate head) to a unit with two or more candidates,
    each next unit holding a candidate on the boundary with the previous one (BFS over the unit graph)."""
    prev = {start: -1}
    dq = deque([start])
    while dq:
        a = dq.popleft()
        for b in st.unit_nbrs(a):
            if b in prev or not any(st.head[h] for h in st.boundary(b, a)):  # type: ignore[index]
                continue
            prev[b] = a
            if _heads_of(st, b) >= 2:
                return _path_to(prev, b)
            dq.append(b)
    return None


def _shift_head(st: _State, giver: int, taker: int) -> int | None:
    """Move one candidate head of ``giver`` on its boundary with ``taker`` to ``taker``, keeping ``giver``
    connected and with a candidate; the household moved, or None."""
    assert st.head is not None
    for h in st.boundary(giver, taker):
        if st.head[h] and st.can_give(h, giver):
            st.move(h, taker, "head")
            return h
    return None


def _fix_heads(st: _State, budget: int | None) -> None:
    """PLAN-NO-HEAD: a unit without a candidate head gets one along the shortest chain of units to one
    with two candidates, one candidate moving per link, from the far end (fewest moves among such
    chains; a heuristic, not proven optimal); not a unit the check excuses (HEAD-EXCEPTION,
    :meth:`_State.head_excused`). A chain that would put a unit outside the band, or that
    cannot be moved, is undone and the unit is left as it is (the check reports it)."""
    if st.head is None:
        return
    r = st.rules
    for j in range(len(st.unit_ids)):
        if budget is not None and st.n_moved() >= budget:
            return
        if not st.members[j] or _heads_of(st, j) > 0 or j in st.frozen or j in st.head_excused():
            continue
        path = _head_chain(st, j)
        if path is None:
            continue
        before = {u: (r.min_size <= st.size(u) <= r.max_size) for u in path}
        done: list[tuple[int, int]] = []
        for taker, giver in list(zip(path[:-1], path[1:], strict=True))[::-1]:
            h = _shift_head(st, giver, taker)
            if h is None:
                break
            done.append((h, giver))
        ok = len(done) == len(path) - 1 and all(
            r.min_size <= st.size(u) <= r.max_size for u in path if before[u])
        if not ok:
            for h, giver in done[::-1]:
                st.move(h, giver, st.reasons.get(h, "head"))
                if st.lab[h] == st.orig[h]:
                    st.reasons.pop(h, None)


def _merge(st: _State, j: int) -> bool:
    r, sz = st.rules, st.size(j)
    cands = [y for y in st.unit_nbrs(j) if st.size(y) + sz <= r.max_size
             and all(st.key_ok(h, y) for h in st.members[j])]
    if not cands:
        return False
    y = sorted(cands, key=lambda u: (st.size(u), st.unit_ids[u]))[0]
    for h in sorted(st.members[j]):
        st.move(h, y, "merge")
    return True


def _split(st: _State, j: int, loose: bool = False) -> bool:
    """Unit ``j`` cut into two connected parts within the band (the part away from its meeting point the new
    unit); with ``loose``, the part it keeps may be below the floor (any size the band can take is cut off, the
    rest left for the units next to it to fill). Whether it was cut."""
    r = st.rules
    mem = sorted(st.members[j])
    total = st.size(j)
    # order by BFS from a peripheral household (farthest from the first), cut a connected prefix
    def bfs(src: int) -> list[int]:
        seen, order, dq = {src}, [src], deque([src])
        while dq:
            a = dq.popleft()
            for b in st.cnbrs(a).tolist():
                if b in st.members[j] and b not in seen:
                    seen.add(b)
                    order.append(b)
                    dq.append(b)
        return order

    # from the end far from a household that may not move (its meeting point), so that the part cut off, which
    # moves, is away from it
    keep = sorted(st.members[j] & st.fixed)
    order = bfs(bfs(keep[0] if keep else mem[0])[-1])
    acc = np.cumsum(st.w[order])
    for cut in range(1, len(order)):
        a_sz, b_sz = acc[cut - 1], total - acc[cut - 1]
        if r.min_size <= a_sz <= r.max_size and (r.min_size <= b_sz and st.rules.feasible_size(int(round(b_sz)))
                                                 or loose and 0 < b_sz < r.min_size):
            part = set(order[:cut])
            if part & st.fixed:  # the unit keeps its meeting point: the other part is the new unit
                part = st.members[j] - part
                if part & st.fixed:
                    continue
            if st.connected(part) and st.connected(st.members[j] - part):
                if st.head is not None and not (st.head[list(part)].any() and st.head[list(st.members[j] - part)].any()):
                    continue
                name = f"{st.unit_ids[j]}-2"
                while name in st.unit_ids:
                    name += "b"
                k = st.new_unit(name)
                st.made.add(k)
                for h in sorted(part):
                    st.move(h, k, "split")
                return True
    return False


# ---------------------------------------------------------------------------------------- meeting points
def _centre(st: _State, mem: list[int]) -> int:
    """The unit's centre (:func:`~yuanluo.gis.check.unit_centre`), as ``check`` takes it for a plan without
    meeting points."""
    idx = np.array(sorted(mem))
    return int(idx[unit_centre(st.walk[idx][:, idx].T.tocsr(), st.w[idx], st.hids[idx])])


def _meeting(st: _State, given: pd.Series | None) -> dict[int, int]:
    """unit number -> household position of its meeting point: the given one where it lies in the unit,
    else (with ``Rules.max_walk_min``) the unit's centre (:func:`_centre`)."""
    pos = {str(h): i for i, h in enumerate(st.hids.tolist())}
    chosen, named, lacking = {}, {}, {}
    if given is not None:
        named = {str(u): str(h) for u, h in given.dropna().items()}
        chosen = {u: pos.get(h, -1) for u, h in named.items()}
        lacking = {str(u): why for u, why in (given.attrs.get("lacking") or {}).items()
                   if not blank_meeting_cells(why)}  # a plan's meeting-point column naming none of the unit's
    out: dict[int, int] = {}
    for j, name in enumerate(st.unit_ids):
        if not st.members[j]:
            continue
        m = chosen.get(name, -1)
        if m >= 0 and st.lab[m] == j:
            out[j] = m
            st.meet_given.add(j)
            continue
        if name in named:  # given, but none of its households (said in the notes: :func:`_meeting_notes`)
            st.meet_off[j] = (named[name], ("repair.meeting.unknown", {}) if m < 0 else (
                "repair.meeting.in_unit", {"unit": st.unit_ids[int(st.lab[m])]}) if st.lab[m] >= 0 else (
                "repair.meeting.in_none", {}))
        elif name in lacking:
            st.meet_off[j] = (None, {lang: lacking[name]["why"][lang] for lang in ("zh", "en")})
            if pos.get(str(lacking[name].get("named")), -1) >= 0:
                st.meet_named[j] = pos[str(lacking[name]["named"])]
        if st.rules.max_walk_min is not None:
            out[j] = _centre(st, sorted(st.members[j]))
    return out


def _meeting_unknown(st: _State, given: pd.Series | None) -> list[Note]:
    """The given meeting points of units the plan does not have: said (``repair.note.meeting_unknown``), as the
    check warns of them (PLAN-MEETING-UNKNOWN), not passed over in silence."""
    unknown = [] if given is None else sorted(set(given.dropna().index.astype(str)) - set(st.unit_ids))
    if not unknown:
        return []
    assert given is not None
    return [("repair.note.meeting_unknown", {"file": str(given.attrs.get("file") or "meeting_points"), "units": unknown})]


def _free_foreign_meeting(st: _State, meet: dict[int, int]) -> bool:
    """A given meeting point that is itself a household the rules would move out of its unit may move like the
    others: a household of another nest group than its unit's (a household of another villager group typed into
    the unit, ``PLAN-CROSS-*``, and given as its point: audit Z5 §1), or the stray part of a split settlement (one
    that fits in a unit, of which the unit holds no more than another unit does: ``PLAN-SETTLEMENT-SPLIT``). A
    given point holds its unit's meeting role; it does not pin a household against a rule: held fixed it would keep
    the unit across groups or the settlement split, and the exact model would say no repair exists. The unit's
    meeting point is chosen again, the centre of its other households (of its own group; not of that settlement),
    held fixed under a walking limit; ``meet`` is updated. The given point stays in ``repair_plan``'s given points:
    where the repair moves it the notes say so (``repair.note.meeting``), where it stays it is the unit's point
    again (:func:`_given_back`). Locked units keep theirs. Returns whether any was freed."""
    freed = False
    for j in sorted(st.meet_given - st.locked):
        m, own = meet.get(j), st.unit_key(j)
        if m is None:
            continue
        if own >= 0 and st.key[m] >= 0 and st.key[m] != own:  # of another nest group
            stay = sorted(h for h in st.members[j] if st.key[h] == own)
        elif _stray_settlement(st, m, j):
            stay = sorted(h for h in st.members[j] if st.settle is None or st.settle[h] != st.settle[m])
        else:
            continue
        if not stay:
            continue
        st.fixed.discard(m)
        meet[j] = _centre(st, stay)
        if st.rules.max_walk_min is not None:
            st.fixed.add(meet[j])
        freed = True
    return freed


def _stray_settlement(st: _State, h: int, j: int) -> bool:
    """Whether household ``h`` of unit ``j`` is of a settlement the check holds whole (one that fits in a unit)
    that the plan splits, ``j`` holding no more of it than another unit does (the stray part, which joining the
    settlement moves out of ``j``)."""
    if st.settle is None or st.settle[h] < 0 or not st.settle_small[st.settle[h]]:
        return False
    same = np.flatnonzero((st.settle == st.settle[h]) & (st.lab >= 0))
    held = np.bincount(st.lab[same], weights=st.w[same], minlength=len(st.unit_ids))
    others = np.delete(held, j)
    return bool(len(others) and others.max() > 0 and held[j] <= others.max())


def _meeting_series(st: _State, meet: dict[int, int]) -> pd.Series | None:
    """The meeting points to check the walking limit against: each unit's own, or the centre of a unit
    that has none (a unit the heuristic created)."""
    if st.rules.max_walk_min is None:
        return None
    rows = {st.unit_ids[j]: str(st.hids[meet[j]] if j in meet and st.lab[meet[j]] == j and _own_point(st, j, meet[j])
                                else st.hids[_centre(st, sorted(st.members[j]))])
            for j in range(len(st.unit_ids)) if st.members[j]}
    return pd.Series(rows, dtype=object, name="meeting_hid").rename_axis("unit_id")


def _own_point(st: _State, j: int, m: int) -> bool:
    """Whether household ``m``, unit ``j``'s point in ``meet``, is one of its own, held as it is: given for it (or
    chosen for it when the one given was let go), the point given for it that was none of its households and that
    the repair moved in (``_State.meet_off``, :func:`_late_meeting`), or of a locked unit; a unit given none is walked
    to its centre as it is now, as the check walks it, not to the centre it had before households left it or joined
    it (street 3|6, H004 and H005 typed into U1, band 2-4: U1 = H003-H005 after the repair was walked to H003)."""
    if j in st.meet_given or j in st.locked:
        return True
    off = st.meet_off.get(j)
    return off is not None and (off[0] == str(st.hids[m]) if off[0] is not None else st.meet_named.get(j) == m)


def _handed_points(st: _State, meet: dict[int, int], given: pd.Series | None) -> pd.Series | None:
    """The repaired plan's meeting points, handed on (``RepairResult.meeting_points``, ``--meeting-out``): under a
    walking limit those it was kept against (:func:`_meeting_series`); without one, where meeting points were
    given, each unit's given point where the repaired plan has it in the unit (or the one household its plan's
    meeting-point column named, ``_State.meet_named``, where the repair brought it back), else the unit's centre
    (a unit whose point the repair moved out, one given none, one made), as the notes name it
    (:func:`_meeting_notes`) and as ``check`` measures a unit given none; None without either."""
    if st.rules.max_walk_min is not None or given is None:
        return _meeting_series(st, meet)
    pos = {str(h): i for i, h in enumerate(st.hids.tolist())}
    named = {str(u): pos.get(str(h), -1) for u, h in given.dropna().items()}
    rows = {}
    for j, unit in enumerate(st.unit_ids):
        if st.members[j]:
            m = named.get(unit, st.meet_named.get(j, -1))  # or the one its plan's column named, back in it
            rows[unit] = str(st.hids[m if m >= 0 and st.lab[m] == j else _centre(st, sorted(st.members[j]))])
    return pd.Series(rows, dtype=object, name="meeting_hid").rename_axis("unit_id")


def _given_back(st: _State, meet: dict[int, int], given: dict[int, int]) -> dict[int, int]:
    """``meet`` with each given meeting point (``given``: unit → household) that is in its unit again (a move of it
    undone) the unit's meeting point again."""
    return {**meet, **{j: m for j, m in given.items() if st.lab[m] == j}}


def _meeting_notes(st: _State, given: dict[int, int], mp: pd.Series | None) -> list[Note]:
    """Each unit whose given meeting point (``given``: unit → household) the repaired plan has in another unit (or
    in none): where it went and, under a walking limit, the unit's meeting point now (``mp``), which the walking
    limit was kept and checked against (``repair.note.meeting``); without one, that the unit needs another of its
    own households as its point, its centre for example (``repair.note.meeting_nolimit``: the check measures the
    walk to a given point, and one outside its unit is ``PLAN-MEETING``). Then each unit whose given point was
    none of its households in the plan as given (``_State.meet_off``: an unknown id, another unit's household; a
    plan's meeting-point column naming none of them), unless the repaired plan has it in the unit and it is the
    unit's point: likewise (``repair.note.meeting_off``, ``_nolimit``; ``repair.note.meeting_column``, and
    ``_nolimit`` without a walking limit). ``mp`` is the meeting points the repair hands on (:func:`_handed_points`),
    the unit's point ``new`` in each note; None only without a walking limit and without given points."""
    out: list[Note] = []
    tail = "" if st.rules.max_walk_min is not None else "_nolimit"
    for j, m in sorted(given.items(), key=lambda t: st.unit_ids[t[0]]):
        unit = st.unit_ids[j]
        if not st.members[j] or st.lab[m] == j or (mp is not None and unit not in mp.index):
            continue
        to = st.unit_ids[int(st.lab[m])] if st.lab[m] >= 0 else "-"
        new = str(mp[unit]) if mp is not None else str(st.hids[_centre(st, sorted(st.members[j]))])
        out.append((f"repair.note.meeting{tail}", {"unit": unit, "hid": str(st.hids[m]), "new": new, "to": to}))
    pos = {str(h): i for i, h in enumerate(st.hids.tolist())}
    for j, (hid, where) in sorted(st.meet_off.items(), key=lambda t: st.unit_ids[t[0]]):
        unit = st.unit_ids[j]
        if not st.members[j] or (mp is not None and unit not in mp.index):
            continue
        new = str(mp[unit]) if mp is not None else str(st.hids[_centre(st, sorted(st.members[j]))])
        if hid is None:  # a plan's meeting-point column naming none of the unit's: the unit's point handed on
            back = st.meet_named.get(j)
            if back is not None and st.lab[back] == j and new == str(st.hids[back]):  # moved back, and its point
                continue
            out.append((f"repair.note.meeting_column{tail}", {"unit": unit, "why": where, "new": new}))
            continue
        p = pos.get(hid, -1)
        if p >= 0 and st.lab[p] == j and new == hid:  # moved into its unit, and its point
            continue
        out.append((f"repair.note.meeting_off{tail}", {"unit": unit, "hid": hid, "where": where, "new": new}))
    return out


def _late_meeting(st: _State, meet: dict[int, int], res: CheckResult, kept_input: bool,
                  check: Callable[[dict[int, int]], CheckResult]) -> tuple[dict[int, int], CheckResult]:
    """Under a walking limit, the given meeting points that were none of their units' households in the plan as
    given (``_State.meet_off``) and that the repaired plan has in them (the repair moved them in) made their units'
    points again, with the check (``check`` of the meeting points), when that check passes or breaks no rule
    ``res`` (the check with ``meet``) keeps; else (or with the plan as given ``kept_input``) ``meet`` and ``res``
    as they are."""
    pos = {str(h): i for i, h in enumerate(st.hids.tolist())}
    late = {j: pos[hid] for j, (hid, _) in st.meet_off.items()
            if hid is not None and hid in pos and st.lab[pos[hid]] == j and meet.get(j) != pos[hid]}
    late.update({j: m for j, m in st.meet_named.items() if st.lab[m] == j and meet.get(j) != m})
    if not late or st.rules.max_walk_min is None or kept_input:
        return meet, res
    trial = {**meet, **late}
    again = check(trial)
    if (again.passed or not res.passed) and _error_keys(again) <= _error_keys(res):
        return trial, again
    return meet, res


def _labels(st: _State) -> pd.Series:
    return pd.Series(pd.array([st.unit_ids[c] if c >= 0 else None for c in st.lab.tolist()], dtype="string"),
                     index=pd.Index(st.hids, name="hid"), name="unit_id")


# ---------------------------------------------------------------------------------------- exact stage
#: the reason of an exact move, from the violation of the unit it leaves (first match) or joins
_MOVE_REASON = {"PLAN-NONCONTIG": "noncontig", "PLAN-CROSS-RIVER": "noncontig", "PLAN-CROSS-VILLAGE": "nesting",
                "PLAN-CROSS-GROUP": "nesting", "PLAN-CROSS-NEST": "nesting", "PLAN-SETTLEMENT-SPLIT": "settlement",
                "PLAN-WALK-LIMIT": "walk", "SIZE-HIGH": "size-high", "SIZE-LOW": "size-low", "PLAN-NO-HEAD": "head",
                "PLAN-FEW-HEADS": "head"}


def _unit_codes(first: CheckResult, st: _State) -> tuple[dict[int, list[str]], dict[str, str]]:
    """Error codes per unit number, and per household named by a violation (its first code)."""
    index = {u: j for j, u in enumerate(st.unit_ids)}
    per_unit: dict[int, list[str]] = {}
    per_hid: dict[str, str] = {}
    v = first.violations
    st.walk_beyond = set()
    for code, unit, units, hids, sev in zip(v["code"], v["unit_id"], v["units"], v["hids"], v["severity"],
                                            strict=True):
        if sev != "error":
            continue
        if code == "PLAN-WALK-LIMIT":
            st.walk_beyond |= {str(h) for h in hids or ()}
        for u in {*(units or ()), *([unit] if unit else [])}:
            if u in index:
                per_unit.setdefault(index[u], []).append(str(code))
        for h in hids or ():
            per_hid.setdefault(str(h), str(code))
    return per_unit, per_hid


def _exact_reasons(st: _State, new: np.ndarray, codes: tuple[dict[int, list[str]], dict[str, str]]) -> None:
    """Apply the exact solution: the moves with their reasons (a unit it empties: ``merge`` when it was too small,
    else the reason of its violation, as for any move out of it). ``walk`` only for a household the check named
    beyond the walking limit; another moved out of or into a unit beyond it is ``walk-path`` (it opened a path for
    the others, or moved the unit's centre)."""
    per_unit, per_hid = codes
    closed = [j for j in range(len(st.unit_ids)) if st.members[j] and not (new == j).any()
              and (st.w[sorted(st.members[j])].sum() < st.rules.min_size or "SIZE-LOW" in per_unit.get(j, []))]
    few = {j for j, cs in per_unit.items() if "PLAN-FEW-HEADS" in cs}  # above heads_for_size with one candidate
    for h in np.flatnonzero(new != st.lab).tolist():
        fr, to = int(st.lab[h]), int(new[h])
        if fr < 0:
            why = "noncontig" if h in st.detached else "unassigned"
        elif fr in closed:
            why = "merge"
        else:
            code = per_hid.get(str(st.hids[h])) or next(iter(per_unit.get(fr, []) + per_unit.get(to, [])), "")
            why = _MOVE_REASON.get(code, "chain")
            if why == "walk" and per_hid.get(str(st.hids[h])) != "PLAN-WALK-LIMIT":
                why = "walk-path"  # not beyond the limit itself: moved for the others of the unit it leaves or joins
            if code == "PLAN-FEW-HEADS":  # brought down to heads_for_size, or given its second candidate
                why = _heads_reason(st, h, fr, to, few, new) or why
            if why == "nesting" and to in st.made:
                why = "nesting-new"  # out of a unit of another group into the new unit the exact model opened
            if why in ("nesting", "nesting-new"):  # the level against the households staying in the unit: moved
                # one by one, the first of 22 leaving a unit with 20 of another group was of the unit's own then
                why = st._nest_level(h, fr, why, np.flatnonzero(new == fr))
            if why in ("size-high", "size-low") and _only_head(st, h, to, per_unit, new):
                why = "head-only"  # it also gives the unit it joins its only candidate: said, not the size alone
        if to in st.made and st.islands is not None and st.islands[h] >= 0:
            why = _island_reason(st, h)  # an island typed into a unit of the band (or in none): a unit of its own
        elif fr >= 0 and fr not in closed and st.islands is not None and st.islands[h] >= 0 and \
                bool(np.any((new == to) & (st.islands == st.islands[h]) & (np.arange(len(new)) != h))):
            why = "noncontig"  # an island household typed into a unit that keeps others: back to its island's unit
        st.move(h, to, why)


def _only_head(st: _State, h: int, to: int, per_unit: dict[int, list[str]], new: np.ndarray) -> bool:
    """Whether exact move ``h`` → ``to`` gives unit ``to``, which had no candidate head (``PLAN-NO-HEAD``), its
    only one: ``h`` is a candidate and no other household of ``to`` in the new plan is."""
    if st.head is None or not bool(st.head[h]) or "PLAN-NO-HEAD" not in per_unit.get(to, []):
        return False
    return int(np.count_nonzero(st.head[new == to])) == 1


def _island_reason(st: _State, h: int) -> str:
    """The reason of island household ``h`` made a unit of its own (an exception the check excuses): ``island``
    when it was in a unit in the plan as given (typed into a unit of the band, or into another island's), else
    ``island-none`` (in no unit)."""
    return "island" if st.orig[h] >= 0 else "island-none"


def _heads_reason(st: _State, h: int, fr: int, to: int, few: set[int], new: np.ndarray) -> str | None:
    """The reason of an exact move for a unit above ``heads_for_size`` with one candidate (``few``): ``heads-size``
    when ``h`` leaves it and it ends within ``heads_for_size`` (one candidate is then enough), ``heads-two`` when
    candidate ``h`` joins it and it stays above; None otherwise (a move making room, say)."""
    big = st.rules.heads_for_size
    if big is None:
        return None
    if fr in few and float(st.w[new == fr].sum()) <= big:
        return "heads-size"
    if to in few and st.head is not None and bool(st.head[h]) and float(st.w[new == to].sum()) > big:
        return "heads-two"
    return None


def _greedy(st: _State, max_moves: int | None) -> None:
    """The stated heuristic (module docstring, steps 1–4 and merge/split); stops at ``max_moves``."""
    st.budget = max_moves
    try:
        _assign_unassigned(st)
        _fix_nesting(st, max_moves)  # first: a household in another group's unit is most often the slip
        _fix_contiguity(st, max_moves)
        _fix_settlements(st, max_moves)
        _fix_sizes(st, max_moves)
        _fix_contiguity(st, max_moves)
        _fix_heads(st, max_moves)
    except _BudgetReached:
        pass


def _fix_settlements(st: _State, budget: int | None) -> None:
    """PLAN-SETTLEMENT-SPLIT: the households of a settlement piece that fits in one unit, outside the unit
    holding most of it, join that unit one at a time, each next to it, while it stays within the ceiling and
    their own units stay connected (with a head); settlements in sorted order. Where the settlement cannot be
    made whole, the moves made stand (the split then names fewer households to move by hand: session 53), and
    their reason says that it stays split (:func:`_settlement_parts`)."""
    if st.settle is None:
        return
    r = st.rules
    for code in np.flatnonzero(st.settle_small).tolist():
        mem = np.flatnonzero((st.settle == code) & (st.lab >= 0))
        units, cnt = np.unique(st.lab[mem], return_counts=True)
        if len(units) < 2:
            continue
        major = int(units[np.lexsort((units, -cnt))[0]])
        if major in st.frozen:
            continue
        left = sorted((int(h) for h in mem if st.lab[h] != major), key=lambda x: str(st.hids[x]))
        while left:
            step = next((h for h in left if int(st.lab[h]) not in st.frozen and st.key_ok(h, major)
                         and st.size(major) + st.w[h] <= r.max_size and st.can_give(h, int(st.lab[h]))
                         and any(st.lab[y] == major for y in st.cnbrs(h).tolist())), None)
            if step is None or (budget is not None and st.n_moved() >= budget):
                break
            st.move(step, major, "settlement")
            left.remove(step)


def _settlement_parts(st: _State) -> None:
    """Each household moved "so that its natural settlement stays in one unit" (reason ``settlement``) whose
    settlement the repaired plan still holds in more than one unit: its reason made ``settlement-part`` (moved to
    join the most of its settlement, which is still split), the reason that comes true. A move the heuristic's
    settlement step made toward a settlement it could not make whole under the ceiling (the hostile village of
    session 56: H000079, H000129-H000131 and H000134, with S0002 and S0012 left split)."""
    if st.settle is None:
        return
    for h, why in list(st.reasons.items()):
        if why != "settlement" or st.lab[h] == st.orig[h] or st.settle[h] < 0:
            continue
        same = (st.settle == st.settle[h]) & (st.lab >= 0)
        if len(np.unique(st.lab[same])) > 1:
            st.reasons[h] = "settlement-part"


def _fix_nesting(st: _State, budget: int | None) -> None:
    """PLAN-CROSS-*: a household whose nest key differs from its unit's moves to an adjacent unit of its own
    key, when its unit stays connected (and keeps a head) without it; households in sorted order. First choice:
    a unit whose pieces it joins, then its unit in the delineation (a settlement declared split holds only while
    its households are where the delineation put them), then a unit holding its settlement."""
    for j in range(len(st.unit_ids)):
        for h in sorted(st.members[j], key=lambda x: str(st.hids[x])):
            if budget is not None and st.n_moved() >= budget:
                return
            if st.key_ok(h, j) or not st.can_give(h, j):
                continue
            near = {int(st.lab[y]) for y in st.nbrs(h).tolist() if st.lab[y] >= 0 and st.lab[y] != j
                    and st.key_ok(h, int(st.lab[y]))} - st.locked
            targets = sorted(near, key=lambda u: (not _joins(st, h, u), st.home[h] != u, not _holds_settlement(st, h, u),
                                                  st.size(u), st.unit_ids[u]))
            if targets:
                st.move(h, targets[0], "nesting")


def _split_merged(st: _State, meet: dict[int, int], budget: int | None) -> None:
    """A unit holding households of two or more nest groups (two units merged by retyping one's id across a group
    border, audit W §1): each connected piece of a group other than the unit's own (:meth:`_State.unit_key`)
    whose size is within the band becomes a new unit, when what stays is connected and both keep a candidate
    head (named at the end: :func:`_name_made_units`). As many moves as sending its households one by one to
    the units of their group next to them (the heuristic's nesting step, which follows), and no unit grows:
    those units may have no room, and the exact model opens at most
    :data:`~yuanluo.gis.repair_exact.MAX_NEW_UNITS` units, where several units may have been typed into one. A unit whose meeting point was not given
    takes the centre of what stays (the merged unit's centre is none of it; ``meet`` and the fixed households
    updated)."""
    r = st.rules
    for j in range(len(st.unit_ids)):
        if j in st.locked or j in st.frozen or not st.members[j]:
            continue
        own, ours = st.unit_key(j), meet.get(j) if j not in st.meet_given else None
        foreign = {h for h in st.members[j] if st.key[h] >= 0 and st.key[h] != own}
        split = False
        pieces = [p for key in sorted({int(st.key[h]) for h in foreign})
                  for p in st.pieces({h for h in foreign if st.key[h] == key})]
        for piece in pieces:
            rest = st.members[j] - piece
            size = float(st.w[sorted(piece)].sum())
            if not rest or not r.min_size <= size <= r.max_size or (piece - {ours}) & st.fixed or piece & st.pinned.keys() or not st.connected(rest):
                continue
            if st.head is not None and not (st.head[sorted(piece)].any() and st.head[sorted(rest)].any()):
                continue
            if budget is not None and st.n_moved() + len(piece) > budget:
                return
            k = st.new_unit(f"{st.unit_ids[j]}-2")
            st.made.add(k)
            for h in sorted(piece):
                st.move(h, k, "nesting-new")
            split = True
        if split and ours is not None and r.max_walk_min is not None:
            st.fixed.discard(ours)
            meet[j] = _centre(st, sorted(st.members[j]))
            st.fixed.add(meet[j])


def _joins(st: _State, h: int, u: int) -> bool:
    """Whether household ``h`` touches two or more pieces of unit ``u`` (it was the link a slip took away)."""
    pieces = st.pieces(st.members[u])
    if len(pieces) < 2:
        return False
    nb = set(st.nbrs(h).tolist())
    return sum(bool(p & nb) for p in pieces) >= 2


def _holds_settlement(st: _State, h: int, u: int) -> bool:
    """Whether unit ``u`` holds households of ``h``'s settlement piece (one kept whole by the rules)."""
    if st.settle is None or st.settle[h] < 0:
        return False
    return any(st.settle[y] == st.settle[h] for y in st.members[u])


def _violation_reasons(res: CheckResult, st: _State, outcomes: list[ExactOutcome], meet: dict[int, int],
                       max_moves: int | None, *, households: Any = None,
                       had: set[tuple[str, str]] | None = None) -> list[Note]:
    """One reason per violation left: its code, its unit and why the repair could not fix it, in this order: its
    unit is locked; the exact model proved its region infeasible while units are locked and, with the locks
    lifted, mends it by changing locked units (:func:`_locked_mend`: those units named); the exact model's mend
    of its region moves more households than ``max_moves``, or the move budget was spent; the locks again when
    the region was solved (or not) and the violation is left, and lifting them mends it (a settlement split
    across a locked unit, which no move outside the lock can join); else what the exact model found for the
    region holding that unit. A split settlement's reason names the settlement (two splits whose main unit is the
    same read otherwise as one line twice), as the check names it, when ``households`` has its column. A
    violation the plan as given did not have (``had``: its errors' code and unit) was made by the repair's own
    moves: said so, never blamed on a lock or the budget."""
    settlement = (pd.Series(households["settlement"].to_numpy(), index=pd.Index(households.index.astype(str)))
                  if households is not None and "settlement" in households.columns else None)
    of_unit = {st.unit_ids[u]: o for o in outcomes for u in o.units}
    overall = _summary(outcomes)
    locked = {st.unit_ids[j] for j in st.locked}
    spent = max_moves is not None and st.n_moved() >= max_moves
    mends: dict[int, Note | None] = {}  # one diagnosis per region (outcome)
    v = res.violations
    out: list[Note] = []
    hids_of = v["hids"] if "hids" in v.columns else pd.Series([None] * len(v), index=v.index)
    for code, unit, sev, hids in zip(v["code"], v["unit_id"], v["severity"], hids_of, strict=True):
        if sev != "error":
            continue
        o = of_unit.get(str(unit))
        why: Note
        if had is not None and (str(code), str(unit)) not in had:
            why = ("repair.why.made", {})
        elif str(unit) in locked:
            why = ("repair.why.locked", {})
        elif (far := _walk_far_why(st, str(code), hids)) is not None:  # no move brings them within the limit
            why = far
        elif o is not None and o.status == "infeasible":  # a proof, whatever the budget; unless a lock made it
            if st.locked and id(o) not in mends:
                mends[id(o)] = _locked_mend(st, o, res, meet)
            why = mends.get(id(o)) or _why(o)
            held = sorted(st.unit_ids[j] for j in o.units if j in st.meet_given) if st.fixed else []
            if held and mends.get(id(o)) is None:  # proven with those units' given meeting points held: said so
                why = ("repair.why.given_points", {"proof": why, "units": held})
        elif max_moves is not None and o is not None and o.status == "optimal" and o.moves > max_moves:
            why = ("repair.why.budget_need", {"need": o.moves, "max_moves": max_moves})
        elif spent:
            why = ("repair.why.budget", {"max_moves": max_moves})
        else:
            if o is not None and st.locked and id(o) not in mends:  # solved or not, a lock may be what kept it
                mends[id(o)] = _locked_mend(st, o, res, meet)
            why = (mends.get(id(o)) if o is not None else None) or (
                _why(o) if o is not None else _why(overall) if not outcomes else ("repair.why.not_reached", {}))
        refused = _head_refused(st, str(code), str(unit)) if why[0] in _GENERIC_WHYS else None
        if refused is not None:  # the one household that could move is its unit's only candidate: said so
            why = (refused[0], {**refused[1], "why": why})
        name = _settlement_of(settlement, hids) if code == "PLAN-SETTLEMENT-SPLIT" else None
        if pd.isna(unit) or not str(unit):  # households in no unit (PLAN-UNASSIGNED): their ids, as the check says
            ids = sorted(str(h) for h in (hids if hids is not None and not isinstance(hids, float) else ()))
            more: Any = ("repair.block.more", {}) if len(ids) > 5 else ""
            out.append(("repair.reason.violation.none", {"code": str(code), "ids": ids[:5], "more": more,
                                                         "why": why}))
        elif name is not None:
            out.append(("repair.reason.violation.settlement", {"code": str(code), "unit": str(unit or "-"),
                                                               "settlement": name, "why": why}))
        else:
            out.append(("repair.reason.violation", {"code": str(code), "unit": str(unit or "-"), "why": why}))
    return out


def _walk_far_why(st: _State, code: str, hids: Any) -> Note | None:
    """The reason of a ``PLAN-WALK-LIMIT`` whose households (``hids``) no move can bring within the limit, each one's
    clause (``st.walk_far``, :func:`_walk_far`), with one ending: with the meeting points held, unless each clause
    proves it of every plan, new units included (``repair.why.walk_far.alone``). None for another violation."""
    if code != "PLAN-WALK-LIMIT" or hids is None or isinstance(hids, float) or not len(hids) or not all(
            str(h) in st.walk_far for h in hids):
        return None
    each = [st.walk_far[str(h)] for h in sorted(map(str, hids))]
    alone = all(k.startswith("repair.why.walk_far.alone") for k, _ in each)
    tail = ("repair.why.walk_far.alone.tail" if alone else "repair.why.walk_far.tail") + (
        ".many" if len(each) > 1 else "")
    return "repair.why.walk_far.all", {"each": list(each), "tail": (tail, {"n_units": each[0][1]["n_units"]})}


def _settlement_of(settlement: pd.Series | None, hids: Any) -> str | None:
    """The settlement of a violation's households (the first one that has a name), or None."""
    if settlement is None or hids is None:
        return None
    names = settlement.reindex([str(h) for h in hids]).dropna().astype(str)
    names = names[names.str.strip() != ""]
    return str(names.iloc[0]) if len(names) else None


def _locked_mend(st: _State, o: ExactOutcome, res: CheckResult, meet: dict[int, int]) -> Note | None:
    """Why the region of ``o``, which the exact model proved infeasible, could not be mended, when the locks are
    the reason: its failing units solved again with the locked units let into the region; when that is optimal
    and changes a locked unit, the locked units of the region (a mend changes one of them), those the solution
    found changes (one fewest solution of many, maybe) and its moves into or out of them (the first five).
    None when the locks are not the reason (still infeasible, or not solved)."""
    index = {u: j for j, u in enumerate(st.unit_ids)}
    v = res.violations
    failing = {index[u] for u in v.loc[v["severity"] == "error", "unit_id"].dropna().astype(str) if u in index}
    bad = (failing & set(o.units)) - st.locked
    if not bad:
        return None
    frozen = st.frozen
    st.frozen = frozen - st.locked  # the locked units may join the region: nothing is applied
    try:
        lifted = exact_repair(st, bad, np.zeros(0, dtype=np.int64), meet)
    finally:
        st.frozen = frozen
    if lifted.status != "optimal" or lifted.labels is None:
        return None
    new = lifted.labels
    touched = sorted((h for h in np.flatnonzero(new != st.lab).tolist()
                      if int(st.lab[h]) in st.locked or int(new[h]) in st.locked), key=lambda h: str(st.hids[h]))
    units = sorted({st.unit_ids[int(x)] for h in touched for x in (st.lab[h], new[h]) if int(x) in st.locked})
    if not units:
        return None
    # the locked units of the region, any of which a mend might change: the fewest moves found change ``units``,
    # not the only way (U009 bordered by U005, U007, U008, all locked: 000047, 000050 from U005 mend it too)
    near = sorted({st.unit_ids[u] for u in lifted.units if u in st.locked} | set(units))
    names = _new_names(st, new, lifted.opened)
    moves = Phrases(("repair.why.move", {"hid": str(st.hids[h]), "fr": st.unit_ids[int(st.lab[h])],
                                         "to": names.get(int(new[h])) or st.unit_ids[int(new[h])]})
                    if st.lab[h] >= 0 else ("repair.why.move_in", {"hid": str(st.hids[h]),
                                                                   "to": names.get(int(new[h]))
                                                                   or st.unit_ids[int(new[h])]})
                    for h in touched[:5])
    more: Any = ("repair.block.more", {}) if len(touched) > 5 else ""
    if len(near) == 1:
        return "repair.why.locked_needed.one", {"units": near[0], "moves": moves, "more": more}
    return "repair.why.locked_needed", {"locked": near, "units": units, "moves": moves, "more": more}


def _new_names(st: _State, labels: np.ndarray, opened: list[int]) -> dict[int, str]:
    """The names the new units ``opened`` of an exact solution not taken would get (:func:`_name_made_units`'s
    scheme: ``<unit>-2`` after the unit most of their households were in, ``R001`` when none was in one)."""
    taken = set(st.unit_ids)
    out: dict[int, str] = {}
    for v in opened:
        came = pd.Series([st.unit_ids[int(st.orig[h])] for h in np.flatnonzero(labels == v) if st.orig[h] >= 0],
                         dtype=object).value_counts()
        parent = min(came.index, key=lambda u: (-came[u], u)) if len(came) else None
        k = 2 if parent is not None else 1
        while (name := f"{parent}-{k}" if parent is not None else f"R{k:03d}") in taken:
            k += 1
        taken.add(name)
        out[v] = name
    return out


def _clusters(st: _State, bad: set[int], free: np.ndarray, merge: bool = True) -> list[tuple[set[int], np.ndarray]]:
    """The affected units (and the unassigned households, together) grouped so that the regions of
    different groups share no unit: each group is solved as its own exact model. A region holds the units of its
    islands (:func:`~yuanluo.gis.repair_exact.island_region`): an island household with no unit next to it (cut off
    from a unit it was typed into, or in none) is one group with the units its island touches. Without ``merge``:
    each unit, and each connected group of unassigned households, on its own."""
    items: list[tuple[set[int], np.ndarray]] = [({j}, np.zeros(0, dtype=np.int64)) for j in sorted(bad)]
    if len(free):  # each connected group of unassigned households on its own
        sub = sp.csr_matrix((np.ones(len(st.indices)), st.indices, st.indptr), shape=(len(st.lab),) * 2)[free][:, free]
        _, comp = connected_components(sub, directed=False)
        items += [(set(), free[comp == c]) for c in np.unique(comp)]
    if not merge:
        return items
    parent = list(range(len(items)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[int, int] = {}
    for i, (b, f) in enumerate(items):
        for u in island_region(st, b, f)[1].tolist():
            if u in owner:
                parent[find(i)] = find(owner[u])
            else:
                owner[u] = i
    groups: dict[int, list[int]] = {}
    for i in range(len(items)):
        groups.setdefault(find(i), []).append(i)
    return [(set().union(*(items[i][0] for i in g)), np.concatenate([items[i][1] for i in g]).astype(np.int64))
            for _, g in sorted(groups.items())]


def _exact_then_greedy(st: _State, codes: tuple[dict[int, list[str]], dict[str, str]], meet: dict[int, int],
                       max_moves: int | None, recheck: Callable[[], CheckResult],
                       bound: int | None = None) -> tuple[str, list[ExactOutcome]]:
    """Each group of affected units solved exactly where it can be (within ``max_moves``); the heuristic
    for what is left; then, while violations remain, the exact step again on the units still failing (the
    heuristic leaves fewer and smaller groups), and the heuristic again, :data:`EXACT_ROUNDS` rounds at most.
    The exact models together have :data:`~yuanluo.gis.repair_exact.TOTAL_WORK` (``st.work_left``, which the
    diagnoses of the violations left keep to as well); past them, what is left goes to the heuristic.
    In the first round, before a model above :data:`~yuanluo.gis.repair_exact.TRIAL_SIZE` variables is given to
    HiGHS, the heuristic is tried on the whole plan (:func:`_trial`): where its plan passes moving no more than
    ``bound`` (:func:`_bound`: any plan that passes moves at least so many) it is the fewest, kept, and the method is
    ``exact``. Returns the method (``exact``, ``exact+heuristic`` or ``heuristic``) and the last round's outcomes."""
    solved_any = False
    outcomes: list[ExactOutcome] = []
    st.work_left = RE.TOTAL_WORK  # every exact model of the repair together, then the heuristic
    st.max_moves = max_moves
    if max_moves is None and st.detach:  # a detached piece counts as moved until it is placed
        _detach_strays(st)
    loose = np.flatnonzero(st.lab < 0)
    first = _place_free(st, codes, meet, max_moves)  # the unassigned first, each group in its own model
    if any(_within(o, max_moves) for o in first):
        solved_any = True  # placed exactly: what the heuristic does after it makes the repair "exact+heuristic"
        res = recheck()
        if res.passed:
            _reattach(st)
            return "exact", first
        codes, st.frozen = _unit_codes(res, st), _frozen(res, st)
        # the exact step after it starts from these placements: its optimum is the fewest given them
        st.placed_first |= {int(h) for h in loose[st.lab[loose] >= 0]}
    for r in range(EXACT_ROUNDS):
        if r == 0 and max_moves is None and bound:  # the heuristic first, before a large model (RE.TRIAL_SIZE)
            st.trial = lambda: _trial(st, meet, recheck, bound)
        try:
            outcomes, solved, parts = _exact_round(st, codes, meet, max_moves, r)
            solved_any = solved_any or parts
        except RE.Proven:  # the heuristic's plan moves no more than the bound: the fewest, no model asked
            st.trial = None
            _reattach(st)
            return "exact", [ExactOutcome("optimal", moves=st.n_moved())]
        st.trial = None
        solved_any = solved_any or solved > 0
        if r == 0 and solved == len(outcomes):
            _reattach(st)
            return "exact", outcomes
        if r > 0:
            if not solved:
                break
            res = recheck()
            if res.passed:
                break
            codes, st.frozen = _unit_codes(res, st), _frozen(res, st)
        _split_merged(st, meet, max_moves)
        if st.net is not None:
            st.net.tell("repair.step.heuristic")
        _greedy(st, max_moves)
        res = _declared_back(st, recheck(), recheck, max_moves)
        if res.passed:
            break
        codes, st.frozen = _unit_codes(res, st), _frozen(res, st)
    _reattach(st)
    return ("exact+heuristic" if solved_any else "heuristic"), outcomes


def _exact_round(st: _State, codes: tuple[dict[int, list[str]], dict[str, str]], meet: dict[int, int],
                 max_moves: int | None, r: int) -> tuple[list[ExactOutcome], int, bool]:
    """Round ``r`` of the exact step (:func:`_exact_then_greedy`): each group of the units failing solved and taken
    where it can be. Returns its outcomes, how many were taken, and whether one was solved one unit at a time
    (:func:`_one_by_one`)."""
    outcomes: list[ExactOutcome] = []
    solved, parts_any = 0, False
    st.walk_far = {}  # the round's own: its outcomes are the ones the reasons say
    for bad, free in _clusters(st, set(codes[0]) - st.frozen, np.flatnonzero(st.lab < 0)):
        o = exact_repair(st, bad, free, meet)
        if o.status == "too-large" and r > 0 and len(bad) + len(free) > 1:  # what the heuristic left
            o, parts = _one_by_one(st, bad, free, meet, codes, max_moves)
            parts_any = parts_any or parts > 0
        for each in _waived(st, o, bad, free, meet, codes) if o.status == "infeasible" else [o]:
            outcomes.append(each)
            if each.status == "optimal" and each.labels is None:  # solved part by part, already applied
                solved += 1
            elif _apply(st, each, codes, max_moves, meet):
                solved += 1
    return outcomes, solved, parts_any


def _waived(st: _State, o: ExactOutcome, bad: set[int], free: np.ndarray, meet: dict[int, int],
            codes: tuple[dict[int, list[str]], dict[str, str]]) -> list[ExactOutcome]:
    """A region the exact model proved infeasible (``o``) that holds households beyond the walking limit which no
    move within it can bring within the limit (:func:`_walk_far`, from distances alone): each of those is given its
    own reason (``st.walk_far``), and the region's other violations are solved again without them: the units whose
    only errors are those households' walks leave the units to mend, the rest grouped again into regions of their own
    (:func:`_clusters`), each solved with those households kept in their own unit beyond the limit
    (``st.walk_waived``: their walking rows left out there only, so the model cannot use the waiver to move others).
    An optimum mends the others with the fewest moves that leave those households where they are; an infeasible one
    is the proof of its own region, said with their limit left aside (``ExactOutcome.waived``); a region too large or
    not solved (its work spent) keeps the proof of ``o``. The models count against the repair's work
    (``st.work_left``) as every other. Returns the outcomes to take in place of ``o`` (``[o]`` where no such household
    is, or no other unit is left to mend)."""
    hh, units = island_region(st, bad, free)
    far = _walk_far(st, o, hh, units, meet)
    st.walk_far.update({str(st.hids[h]): why for h, why in far.items()})
    # waived only in a unit whose meeting point is held (given, in it): a unit walked to its centre would have it
    # pulled towards the household left beyond the limit, away from the root the model walked the others to
    waive = {h for h in far if int(st.lab[h]) in st.meet_given and meet.get(int(st.lab[h])) is not None
             and st.lab[meet[int(st.lab[h])]] == st.lab[h]}
    if not waive:
        return [o]
    mine = {j for j in bad if set(codes[0].get(j, [])) <= {"PLAN-WALK-LIMIT"} and all(
        h in waive for h in st.members[j] if str(st.hids[h]) in st.walk_beyond)}
    rest = bad - mine
    if not rest and not len(free):
        return [o]
    out: list[ExactOutcome] = []
    st.walk_waived = waive
    try:
        for b, f in _clusters(st, rest, free):
            sub = exact_repair(st, b, f, meet)
            sub.waived = sorted(str(st.hids[h]) for h in waive & set(island_region(st, b, f)[0].tolist()))
            out.append(sub)
    finally:
        st.walk_waived = set()
    if any(sub.status not in ("optimal", "infeasible") for sub in out):  # too large or not solved (the work spent):
        # its violations keep the proof of the region as a whole, still true (first: a region solved after it wins)
        return [o, *(sub for sub in out if sub.status in ("optimal", "infeasible"))]
    return out


def _walk_far(st: _State, o: ExactOutcome, hh: np.ndarray, units: np.ndarray, meet: dict[int, int]
              ) -> dict[int, Note]:
    """The households of the region ``hh`` (units ``units``) the check found beyond the walking limit
    (``PLAN-WALK-LIMIT``) that no move within the region can bring within it, each with its reason, proven from the
    walking minutes over the region's households (no walk within a unit is shorter): every meeting point the model
    holds (one given for its unit, in it) is farther than the limit from it, and, where a unit's point may follow
    the moves (a unit given none, as the check walks it to its centre) or the model ``o`` could open new units,
    no household of its nest group within the limit of it has households of that group of ``min_size`` within the
    limit of itself either, walking within one group (a unit holding it would need such a meeting point: the check's
    proof of a remote household, :func:`~yuanluo.gis.check.walk_unserved`, over the region; ``repair.why.walk_far.alone``); held
    points only (``repair.why.walk_far``): the proof holds with those points as they are and no unit added, as the
    model's did. Not an island's household (the check excuses its unit as one)."""
    limit = st.rules.max_walk_min
    if limit is None or not len(hh):
        return {}
    isl = island_blocks(st)
    walkers = [h for h in hh.tolist() if st.lab[h] >= 0 and isl[h] < 0 and str(st.hids[h]) in st.walk_beyond]
    if not walkers:
        return {}
    inside = set(hh.tolist())
    points = {u: meet[u] for u in units.tolist()
              if u in st.meet_given and meet.get(u) is not None and meet[u] in inside and st.lab[meet[u]] == u}
    loose = len(points) < len(units) or o.new_units > 0
    at = {h: i for i, h in enumerate(hh.tolist())}
    sub = st.walk[hh][:, hh]
    frm = np.atleast_2d(dijkstra(sub, directed=True, indices=[at[h] for h in walkers]))
    cap = float(limit) + 1e-9
    unserved = (walk_unserved(sub, np.array([at[h] for h in walkers]), st.key[hh], st.w[hh], float(limit),
                              float(st.rules.min_size)) if loose else np.zeros(len(walkers), dtype=bool))
    out: dict[int, Note] = {}
    for i, h in enumerate(walkers):
        to_pt = sorted((float(frm[i, at[m]]), str(st.hids[m]), st.unit_ids[u]) for u, m in points.items())
        if to_pt and to_pt[0][0] <= cap:
            continue
        params: dict[str, Any] = {"hid": str(st.hids[h]), "limit": _fmt(float(limit)), "n_units": len(units)}
        near: Any = ""
        if to_pt and np.isfinite(to_pt[0][0]):
            near = ("repair.why.walk_far.near", {"unit": to_pt[0][2], "point": to_pt[0][1],
                                                  "minutes": beyond_minutes(to_pt[0][0], float(limit))})
        if loose:
            # no point it could have: a household of its nest group within the limit of it, where households of its
            # group of min_size walk within the limit (the check's proof of a remote household, over the region)
            if not unserved[i]:
                continue
            what = "delineate.what.persons" if st.rules.size_by == "persons" else "delineate.what.households"
            alone = "repair.why.walk_far.alone" + (".group" if st.rules.nest_by else "")
            out[h] = (alone, {**params, "near": near, "min": _fmt(float(st.rules.min_size)),
                                                    "what": both(what)})
        else:
            out[h] = ("repair.why.walk_far", {**params, "near": near})
    return out


def _trial(st: _State, meet: dict[int, int], recheck: Callable[[], CheckResult], bound: int) -> None:
    """The heuristic tried on the whole plan before the first exact round gives HiGHS a model above
    :data:`~yuanluo.gis.repair_exact.TRIAL_SIZE` variables (``st.trial``; once per repair): units an area has more
    of without a candidate head than the check excuses dissolved first (:func:`_dissolve_headless`), then the
    heuristic as the rounds run it. Where the plan then passes moving no more than ``bound`` households (any plan that
    passes moves at least so many: :func:`_bound`), it is the fewest: kept, and :class:`~yuanluo.gis.repair_exact.Proven`
    raised (the model not asked). Else the state is put back as it was, and the model is asked as before."""
    st.trial = None
    saved = _state_copy(st)
    _split_merged(st, meet, None)
    _dissolve_headless(st)
    _greedy(st, None)
    res = _declared_back(st, recheck(), recheck, None)
    if res.passed and st.n_moved() <= bound:
        raise RE.Proven
    _state_back(st, saved)


def _state_copy(st: _State) -> dict[str, Any]:
    """What the heuristic may change in ``st``, copied (:func:`_trial`): its arrays per household, its sets, dicts and
    lists (a list of sets: each set). Not the models solved (``st.memo``, which the heuristic does not touch; nor the
    parts that proved, ``st.proving``): it is
    the dict every repair :func:`repair_plan` makes shares, and a copy put back kept the models solved after the trial
    from the repairs made after it (session 54's trial; test_s28_editor's plan: 59 models and 24 parts solved again)."""
    out: dict[str, Any] = {}
    for k, v in vars(st).items():
        if k in ("memo", "proving"):
            out[k] = v
        elif isinstance(v, np.ndarray) and v.ndim == 1 and len(v) == len(st.hids):
            out[k] = v.copy()
        elif isinstance(v, (set, dict)):
            out[k] = type(v)(v)
        elif isinstance(v, list):
            out[k] = [set(x) if isinstance(x, set) else x for x in v]
        else:
            out[k] = v
    return out


def _state_back(st: _State, saved: dict[str, Any]) -> None:
    """``st`` as :func:`_state_copy` saved it; its meeting points (``st.meet``, the repair's own dict) in place."""
    for k in [k for k in vars(st) if k not in saved]:
        delattr(st, k)
    for k, v in saved.items():
        if k == "meet":
            st.meet.clear()
            st.meet.update(v)
        else:
            setattr(st, k, v)


def _dissolve_headless(st: _State) -> None:
    """Units of an area lacking a candidate head beyond what the check excuses there (:meth:`HeadAreas.beyond`)
    dissolved: the smallest (ties: by id), as many as the area lacks beyond. While some household of them can, one
    goes to a unit next to it that is kept, within the ceiling and of its nest key (the one with most room left
    first, then by unit and household id), reason ``head-merge``. Not a locked or excused unit (``frozen``), nor a
    household held (``fixed``). What is left goes to the heuristic."""
    ha = st.head_areas
    if ha is None or st.head is None:
        return
    codes = np.where(st.lab >= 0, st.lab, -1)
    lacking = np.array([j for j in range(len(st.unit_ids)) if st.members[j] and not st.head[sorted(st.members[j])].any()],
                       dtype=np.int64)
    beyond = ha.beyond(codes, lacking)
    for ar, js in sorted(set(beyond.values())):
        extra = len(js) - ha.unavoidable(ar)
        order = sorted((j for j in js if j not in st.frozen and j not in st.locked),
                       key=lambda j: (st.size(j), st.unit_ids[j]))
        gone = order[:extra]
        while True:  # a household of one goes once a unit kept is next to it (another dissolved first)
            step = [(-(st.rules.max_size - st.size(y) - st.w[h]), st.unit_ids[y], str(st.hids[h]), h, y)
                    for j in gone for h in sorted(st.members[j]) if h not in st.fixed
                    for y in sorted({int(st.lab[z]) for z in st.nbrs(h).tolist()})
                    if y >= 0 and y not in gone and y not in st.frozen and y not in st.locked
                    and st.size(y) + st.w[h] <= st.rules.max_size and st.key_ok(h, y)]
            if not step:
                break
            *_, h, y = min(step)
            st.move(h, y, "head-merge")


def _declared_back(st: _State, res: CheckResult, recheck: Callable[[], CheckResult],
                   max_moves: int | None) -> CheckResult:
    """After the heuristic: a declared exception unit with an error again while a household of another unit
    is in it (a slip the check excused until the heuristic changed the units around it) gets its declared
    households back, the others going home; kept when it leaves fewer errors. Else the next exact step holds
    the unit to every rule and gives it a head, dissolving a unit next to it for one."""
    if max_moves is not None:
        return res
    failing = set(res.violations.loc[res.violations["severity"] == "error", "unit_id"].dropna().astype(str))
    moved: list[tuple[int, int, str | None]] = []
    for j, want in sorted(st.declared.items()):
        if st.unit_ids[j] in failing and st.members[j] != want and j not in st.locked:
            _put_back(st, j, want, lambda h: int(st.home[h]), moved)
    if not moved:
        return res
    again = recheck()
    if _errors(again) < _errors(res):
        return again
    _undo(st, moved)  # kept only when it leaves fewer errors
    return res


def _put_back(st: _State, j: int, want: set[int], home: Callable[[int], int | None],
              moved: list[tuple[int, int, str | None]]) -> None:
    """Unit ``j`` as declared (households ``want``): those that left it come back, those that joined it go to
    ``home`` (their unit in the delineation); nothing when one of them has no unit to go to or a locked unit
    would change. Each move is added to ``moved`` as (household, unit it came from, its reason before) as it
    is made (a budget reached stops it half-way: ``moved`` says how far)."""
    away = {h: home(h) for h in st.members[j] - want}
    if any(k is None or k < 0 or k == j or k in st.locked for k in away.values()) or any(
            st.lab[h] in st.locked for h in want - st.members[j]):
        return
    for h, to in [(h, j) for h in sorted(want - st.members[j])] + [(h, k) for h, k in sorted(away.items()) if k is not None]:
        moved.append((h, int(st.lab[h]), st.reasons.get(h)))
        st.move(h, to, "restore")


def _undo(st: _State, moved: list[tuple[int, int, str | None]]) -> None:
    """Take back the moves of :func:`_put_back` (last first): each household where it was, with its reason."""
    for h, fr, why in moved[::-1]:
        if fr >= 0:
            st.move(h, fr, "restore")
        else:
            st.place(h, -1)
        if why is None:
            st.reasons.pop(h, None)
        else:
            st.reasons[h] = why


def _within(o: ExactOutcome, max_moves: int | None) -> bool:
    """Whether the exact outcome ``o`` is a solution to take: optimal, with labels, within ``max_moves``."""
    return o.status == "optimal" and o.labels is not None and (max_moves is None or o.moves <= max_moves)


def _apply(st: _State, o: ExactOutcome, codes: tuple[dict[int, list[str]], dict[str, str]],
           max_moves: int | None, meet: dict[int, int]) -> bool:
    """Take the exact solution ``o`` when it is one to take (:func:`_within`), with the meeting points it moved
    (``meet`` updated: a unit renamed to keep households in place); whether it was taken."""
    if not _within(o, max_moves):
        return False
    assert o.labels is not None
    _exact_reasons(st, _open_new(st, o), codes)
    st.waived_taken |= set(o.waived)
    st.past_infeasible |= o.past_infeasible
    st.centres_moved |= bool(o.rooted)
    st.centres_held |= not o.free_proof
    for u in o.isled:  # an island's unit now: its old point (a household of no island, gone from it) is none of its
        old = meet.get(u)
        if old is not None and old not in st.pinned and o.meet.get(u, old) != old:
            st.fixed.discard(old)
    for u in [*o.rooted, *o.spared]:  # its anchor followed the moves, or it had none (an island's unit that took
        old = meet.pop(u, None)       # others): its old point is none of its (o.meet has its centre now)
        if old is not None and old not in st.pinned:
            st.fixed.discard(old)
    if o.meet and st.rules.max_walk_min is not None:
        for u, m in o.meet.items():  # a point replaced (a centre that moved with the unit's households): let go
            old = meet.get(u)
            if old is not None and old != m and old not in st.pinned and u not in st.locked:
                st.fixed.discard(old)
        meet.update(o.meet)
        st.fixed |= set(o.meet.values())
    return True


def _open_new(st: _State, o: ExactOutcome) -> np.ndarray:
    """The labels of the exact solution ``o`` with each new unit it opens made a unit of the state (one the repair
    made, named at the end as the heuristic's are: :func:`_name_made_units`)."""
    assert o.labels is not None
    out = o.labels.copy()
    for v in o.opened:
        j = st.new_unit(f"\x00new{v}")
        st.made.add(j)
        out[o.labels == v] = j
    o.opened = []
    o.labels = out
    return out


def _place_free(st: _State, codes: tuple[dict[int, list[str]], dict[str, str]], meet: dict[int, int],
                max_moves: int | None) -> list[ExactOutcome]:
    """The unassigned households (left so by the plan, or cut-off pieces taken out of a unit far away), each
    connected group placed by the exact model among the units next to it, before the units with violations are
    grouped: placed with them, every stray joins the regions of two neighbourhoods into one, often too large for
    a model (a region with a unit failing for another reason is infeasible: that group waits for the rounds).
    Groups whose regions share a unit are one model; when that is too large, each group is solved on its own,
    one after the other. Returns the outcome of every model."""
    out = []
    for bad, free in _clusters(st, set(), np.flatnonzero(st.lab < 0)):
        o = exact_repair(st, bad, free, meet, first=True)  # a plan keeping the anchors, or the rounds
        if o.status == "too-large":
            for _, part in _clusters(st, set(), free, merge=False):
                if st.lab[int(part[0])] < 0:  # not placed by a group before it
                    out.append(_place(st, part, codes, meet, max_moves))
            continue
        out.append(_place(st, free, codes, meet, max_moves, o))
    return out


def _place(st: _State, free: np.ndarray, codes: tuple[dict[int, list[str]], dict[str, str]], meet: dict[int, int],
           max_moves: int | None, o: ExactOutcome | None = None) -> ExactOutcome:
    """The exact model's placement of the unassigned ``free`` (``o``: already solved), applied when found and
    within ``max_moves``; its units include those the households came from."""
    o = o or exact_repair(st, set(), free, meet)
    if o.labels is not None and (bool(np.any((o.labels != st.lab) & (st.lab >= 0))) or _island_left(st, o, free)):
        # households in units moved to place the free ones: a unit of the region fails for another reason (a
        # slip took households out of it), and the model mends it here, at any cost (dissolving it, or filling it
        # from the unit next to it while its own households are still away); that waits for the rounds, where
        # the unit is in the model with its own households. So does an island taken out of a unit it was in and
        # placed elsewhere: whether that unit keeps its name with the island or with others is the rounds' choice
        return ExactOutcome(o.status, o.n_variables, None, o.moves, o.units, new_units=o.new_units,
                            every_new=o.every_new, anchored=o.anchored, within_moves=o.within_moves,
                            least_new=o.least_new)
    _apply(st, o, codes, max_moves, meet)
    o.units = sorted(set(o.units) | {int(st.orig[h]) for h in free.tolist() if st.orig[h] >= 0})  # came from
    return o


def _island_left(st: _State, o: ExactOutcome, free: np.ndarray) -> bool:
    """Whether the placement ``o`` makes a household of an island among ``free`` (taken out of a unit it was in,
    :func:`_detach_strays`) a unit of its own while the unit it was in is in the model: whether the island or the
    others of that unit keep its name is for the rounds, where the units those others came from are in the model
    too. Three households of a street typed into an island's unit, as many as the island: the three stayed in it as
    its main piece, the island was taken out and placed in a unit of its own, the unit the three came from was then
    too small and merged away (6 moves, where the three going back are 3)."""
    isl, there = island_blocks(st), set(o.units)
    assert o.labels is not None
    return any(isl[h] >= 0 and st.orig[h] in there and o.labels[h] >= len(st.unit_ids) for h in free.tolist())


def _one_by_one(st: _State, bad: set[int], free: np.ndarray, meet: dict[int, int],
                codes: tuple[dict[int, list[str]], dict[str, str]],
                max_moves: int | None) -> tuple[ExactOutcome, int]:
    """A group too large for one model, solved unit by unit (each unit with a violation in its own region, the
    others as they stand; an unassigned household on its own), each solution applied before the next: every
    solution keeps every rule in its region, so the ones before stay kept. Returns the outcome of the group
    (optimal when every part was solved; the moves are then already applied, ``labels`` None) and the number of
    parts solved."""
    parts = [({j}, np.zeros(0, dtype=np.int64)) for j in sorted(bad)] + [(set(), np.array([h])) for h in free]
    done, last = 0, ExactOutcome("too-large")
    solved: list[ExactOutcome] = []
    for b, f in parts:
        if f.size and st.lab[int(f[0])] >= 0:  # placed by an earlier part
            done += 1
            continue
        o = exact_repair(st, b, f, meet)
        if _apply(st, o, codes, max_moves, meet):
            done += 1
            solved.append(o)
        else:
            last = o
    if done == len(parts):
        return ExactOutcome("optimal", last.n_variables, None, int((st.lab != st.orig).sum()), sorted(bad),
                            new_units=min((o.new_units for o in solved), default=0),
                            every_new=all(o.every_new for o in solved)), done
    return last, done


def _summary(outcomes: list[ExactOutcome]) -> ExactOutcome:
    """The outcomes of every group as one: the first status that is not optimal, the sizes added up."""
    if not outcomes:
        return ExactOutcome("unsolved")
    first = next((o for o in outcomes if o.status != "optimal"), None)
    new_units = min(o.new_units for o in outcomes)
    bounded = first is not None and first.within_moves is not None and first.new_units == new_units
    return ExactOutcome(first.status if first else "optimal", sum(o.n_variables for o in outcomes), None,
                        sum(o.moves for o in outcomes), sorted({u for o in outcomes for u in o.units}),
                        gave_up=first.gave_up if first else "", new_units=new_units,
                        every_new=all(o.every_new for o in outcomes), anchored=bool(first and first.anchored),
                        within_moves=first.within_moves if bounded and first else None,
                        least_new=first.least_new if bounded and first else 0)


def _checker(households: Any, st: _State, rules: Rules, graph: TerrainGraph, graph_kind: str,
             declared: Declared | None, checks: dict[Any, CheckResult] | None = None) -> Callable[[Any], CheckResult]:
    """The check of the plan as ``st`` holds it, walked to the meeting points it is given. ``checks``: the checks
    the repairs of one :func:`repair_plan` made, by plan and meeting points: a plan checked before against the same
    points is not checked again. :func:`repair_plan` makes its repair up to eight times (:func:`_attempt`,
    :func:`_detached_again`, :func:`_given_points_released`), each checking the plan as given first, and the check
    is a function of the plan and its points (the rules, graph and exceptions are those of the one repair), so the
    repair is the same byte for byte (session 50: a third of the repair of Changshou's edited Andorra plan was the
    plan as given checked again)."""
    def check(m: Any) -> CheckResult:
        points = _meeting_series(st, m)
        key = (st.lab.tobytes(), tuple(st.unit_ids), None if points is None else tuple(points.items()))
        if checks is None or key not in checks:
            if st.net is not None:
                st.net.tell("repair.step.check")
            got = check_plan(households, _labels(st), rules, graph=graph, graph_kind=graph_kind,
                             meeting_points=points, declared=declared)
            if checks is None:
                return got
            checks[key] = got
        return checks[key]

    return check


def _repair_once(households: Any, labels: pd.Series, rules: Rules, graph: TerrainGraph, *, free: bool,
                 max_moves: int | None, graph_kind: str, meeting_points: pd.Series | None,
                 declared: Declared | None, locked: Sequence[str], new_units: bool = True,
                 detach: bool = True, memo: RE.Memo | None = None, net: RE.Net | None = None,
                 checks: dict[Any, CheckResult] | None = None,
                 proving: set[bytes] | None = None) -> RepairResult | None:
    """:func:`repair_plan` on its checked arguments; with ``free`` the given meeting points of another nest group
    than their unit's may move (:func:`_free_foreign_meeting`), None when there is none; ``new_units``: whether
    the exact models may open units; ``detach``: whether far cut-off pieces are taken out first (:func:`_detach_strays`);
    ``memo``: the exact models solved by the repairs made before it (``_State.memo``), ``proving`` the parts that
    proved one infeasible (``_State.proving``); ``net``: the clock's safety net
    of them all (``_State.net``); ``checks``: the plans the repairs before it checked (:func:`_checker`)."""
    st = _State(households, labels, rules, graph, declared)
    st.new_units, st.detach, st.memo, st.net = new_units, detach, memo, net
    st.proving = st.proving if proving is None else proving
    _require_known_rows(households, labels, rules, graph)
    notes: list[Note] = []
    blocks = _infeasible_blocks(st)
    meet = st.meet = _meeting(st, meeting_points)
    notes += _meeting_unknown(st, meeting_points)
    given_meet = {j: m for j, m in meet.items() if j in st.meet_given}  # the meeting points given, in their units
    if rules.max_walk_min is not None:
        st.fixed = set(meet.values())
    _lock(st, locked, notes)
    chk = _checker(households, st, rules, graph, graph_kind, declared, checks)
    first = given = chk(meet)
    if declared is not None and len(declared.origin):
        homes = declared.origin.astype(str).reindex(st.hids).map({u: j for j, u in enumerate(st.unit_ids)})
        st.home = homes.fillna(-1).to_numpy(dtype=np.int64)
    if declared is not None and declared.applies(rules):
        index = {u: j for j, u in enumerate(st.unit_ids)}  # unassigned households keep off declared units
        st.avoid = {index[u] for u in declared.holding(_labels(st)) if u in index}
        _pin_declared_splits(st, declared, index)
        if not first.passed and max_moves != 0:
            st.budget = max_moves
            back = _restore_declared(st, declared, first)  # households moved out of a declared unit go back first
            st.budget = None
            if back:
                again = chk(meet)
                if _errors(again) < _errors(first):
                    first = again
                else:  # kept only when it leaves fewer errors
                    _undo(st, back)
        _declared_members(st, declared)
    method, outcomes = "none", list[ExactOutcome]()
    st.frozen = _frozen(first, st)
    bound, bound_from = _bound(st, given, declared)
    if free and not _free_foreign_meeting(st, meet):  # after the check of the plan as given (its own points)
        return None
    if not first.passed:
        method, outcomes = _exact_then_greedy(st, _unit_codes(first, st), meet, max_moves, lambda: chk(meet), bound)
    outcome = _summary(outcomes)
    _name_made_units(st)
    res, meet, kept_input = _final(st, given, meet, meeting_points, lambda m: chk(_given_back(st, m, given_meet)), method)
    meet = _given_back(st, meet, given_meet)
    # a given point the repair moved into its unit is its point again where that is no worse
    meet, res = _late_meeting(st, meet, res, kept_input, chk)
    _settlement_parts(st)  # a settlement move's reason as the repaired plan holds it
    out, mp = _labels(st), _handed_points(st, meet, meeting_points)
    notes += _plan_notes(st) + _meeting_notes(st, given_meet, mp) + _head_exception_notes(given, res)
    index = {u: j for j, u in enumerate(st.unit_ids)}
    reasons: list[Note] = []
    if not res.passed:
        v = res.violations
        error = v["severity"] == "error"
        errors = v.loc[error, "code"]
        # the blocks hold back size and shape only, and only of the units holding them (an island the check
        # excuses, as the delineation's exception, holds nothing back)
        shaped = ~v["code"].isin(["PLAN-WALK-LIMIT", "PLAN-NO-HEAD", "PLAN-FEW-HEADS", "PLAN-MEETING",
                                  "PLAN-SETTLEMENT-SPLIT"])
        failing = {index[u] for u in v.loc[error & shaped, "unit_id"].dropna().astype(str) if u in index}
        # nor does an island (below the floor), whose unit fails only for what else it holds or how it is cut
        held = [note for note, mem in blocks
                if failing & set(st.lab[mem].tolist()) and float(st.w[mem].sum()) >= rules.min_size]
        if held:
            reasons.append(("repair.reason.blocks", {"lo": rules.min_size, "hi": rules.max_size, "blocks": held}))
        if max_moves is not None and st.n_moved() >= max_moves:
            reasons.append(("repair.reason.budget", {"max_moves": max_moves}))
        if kept_input:
            reasons.append(("repair.reason.kept_input", {"left": _errors(res)}))
        reasons.append(("repair.reason.left", {"codes": sorted(set(errors))}))  # warnings are not left to fix
        reasons += _violation_reasons(res, st, outcomes, meet, max_moves, households=households,
                                      had=_error_keys(given))
    return RepairResult(labels=out, moves=_moves(st), passed=res.passed, reasons=reasons, notes=notes, check=res,
                        before=given, meeting_points=mp, method=method, exact_status=outcome.status,
                        n_variables=outcome.n_variables, region_units=[st.unit_ids[j] for j in outcome.units],
                        lower_bound=bound, lower_bound_from=bound_from, exact_new_units=outcome.new_units, exact_every_new=outcome.every_new,
                        exact_past_infeasible=st.past_infeasible, exact_centres_moved=st.centres_moved,
                        exact_centres_held=st.centres_held,
                        exact_placed_first=_placed_first(st), exact_bridged_anyway=_bridged_anyway(st),
                        exact_waived=_waived_left(st, res))


def _waived_left(st: _State, res: CheckResult) -> list[str]:
    """The households an exact optimum taken kept beyond the walking limit (no move could mend them) that the
    repaired plan still has beyond it: its fewest moves are those of the others (``RepairResult.exact_waived``)."""
    v = res.violations
    beyond = {str(h) for code, sev, hids in zip(v["code"], v["severity"], v["hids"], strict=True)
              if code == "PLAN-WALK-LIMIT" and sev == "error" for h in hids or ()}
    return sorted(st.waived_taken & beyond)


def _declared_members(st: _State, declared: Declared) -> None:
    """``st.declared``: each declared exception unit the plan holds (with a declared unit the plan emptied, its
    index made again) → its households as the delineation declared it."""
    index = {u: j for j, u in enumerate(st.unit_ids)}
    pos = {h: i for i, h in enumerate(st.hids.tolist())}
    for u, mem in declared.members.groupby(declared.members.astype(str), sort=True):
        if str(u) in index:
            st.declared[index[str(u)]] = {pos[h] for h in mem.index.astype(str) if h in pos}


def _bridged_anyway(st: _State) -> bool:
    """Whether a piece :func:`_detach_strays` took out is joined to its unit's main piece, in the plan as given, by
    a bridge of at most as many households the repair kept where they were: one it moved, or one in no unit, is
    crossed at no cost (it moves anyway), and so is one of another piece of that unit (joined with it)."""
    return any(_bridge(st, x, piece, main, len(piece), lambda b: 0 if st.orig[b] < 0 or st.lab[b] != st.orig[b] else 1,
                       own=0, lab=st.orig) is not None
               for x, piece, main in st.taken_out)


def _placed_first(st: _State) -> list[str]:
    """The households the repair moved that were taken out of their unit (:func:`_detach_strays`) or placed by
    their own models before the exact step (``_State.placed_first``), as sorted ids."""
    return sorted(str(st.hids[h]) for h in st.detached | st.placed_first if st.lab[h] != st.orig[h])

# ---------------------------------------------------------------------------------------- entry
def repair_plan(
    households: Any,
    labels: pd.Series,
    rules: Rules,
    graph: TerrainGraph,
    *,
    max_moves: int | None = None,
    graph_kind: str = "terrain",
    meeting_points: pd.Series | None = None,
    declared: Declared | None = None,
    locked: Sequence[str] = (),
    progress: Callable[[str, dict[str, Any]], None] | None = None,
) -> RepairResult:
    """Repair a failing plan with the fewest household moves: exactly on the affected units where the model
    is small enough, by the stated heuristic otherwise (see the module docstring).

    Parameters
    ----------
    households : GeoDataFrame
        Households (index ``hid``, each id once: else ``CLUSTER-DUP-IDS``) in a projected metric CRS (not a
        GeoDataFrame: ``HOUSEHOLDS-TYPE``). Not modified.
    labels : Series
        ``hid`` → unit id (missing = unassigned); a dict or a list of (hid, unit) pairs is taken as one, as
        :func:`~yuanluo.gis.check.check_plan` takes it (:func:`~yuanluo.gis.check.plan_labels`); anything else (a
        plain list of unit ids) is ``LABELS-TYPE``. Ids that are not households (``PLAN-UNKNOWN-ID``) and a
        household listed with two units (``PLAN-DUP-ASSIGN``) stop it, as they stop ``yuanluo repair``. Not modified.
    rules : Rules
        A :class:`~yuanluo.gis.rules.Rules` (a preset's name instead: ``RULES-TYPE``). A ``nest_by`` name the
        households have no column for and Yuanluo does not know is ``RULE-NEST-UNKNOWN``, as in ``check_plan``.
        No households at all: ``CHECK-EMPTY``.
    graph : TerrainGraph
        Neighbour graph holding every household; moves only follow its edges (none, or something else:
        ``REPAIR-GRAPH-TYPE``).
    max_moves : int, optional
        Stop after this many households have changed unit.
    graph_kind : {"terrain", "straight"}
        Passed to the final :func:`yuanluo.gis.check.check_plan`.
    meeting_points : Series, optional
        unit id → meeting household id (a dict, or a table of two columns, unit id then household id, is taken as
        one, as :func:`~yuanluo.gis.check.check_plan` takes it: :func:`~yuanluo.gis.check.meeting_series`; a plain
        list is ``MEETING-POINTS-TYPE``). With ``Rules.max_walk_min`` a unit keeps its meeting point (or, where
        none is given or it lies outside the unit, gets its centre: the household from which the farthest
        member walks least) and every household stays within the limit of it; the check uses them too. A given
        point of another nest group than its unit's, or the stray part of a split settlement, moves home when
        that is the only way to mend the plan (the unit's point is then chosen again, and ``notes`` say so, with
        a walking limit or without).
        A given point the walking limit fails from, in the plan as given and after a repair holding it, is let go
        where that mends more, and one it fails from in the plan as given is let go where the repair holding it
        passed but letting it go moves fewer households (ties: the point given; the unit walks to its centre, or a
        point the repair chooses; ``notes`` say so, with the moves each needs: ``repair.note.meeting_walk``); a
        proof of the exact model made with given points held says so (``repair.why.given_points``).
    declared : Declared, optional
        The exceptions the delineation declared (as :func:`~yuanluo.gis.check.check_plan` takes them): their
        errors are warnings there, so nothing is moved for them.
    locked : sequence of str
        Units the planner locked (the editor's 锁定 column, :func:`yuanluo.gis.lock.read_locks`): no household
        leaves or joins them; a violation of their own is left, with that reason.
    progress : callable, optional
        Called with a catalogue key and its fields as the repair moves on (for a progress display): each time the
        repair is made (``repair.step.pass``, ``n``), each plan checked (``repair.step.check``), each exact model
        handed to HiGHS (``repair.step.exact``: ``n``, ``size`` its variables), the step-by-step heuristic
        (``repair.step.heuristic``). It decides nothing.

    Returns
    -------
    RepairResult

    Examples
    --------
    A row of six households, units A = a..c and B = d..f, band 3–3; ``c`` was moved to B:

    >>> import geopandas as gpd
    >>> from shapely import points
    >>> ids = list("abcdef")
    >>> xy = [[50 * i, 0] for i in range(6)]
    >>> hh = gpd.GeoDataFrame(geometry=points(xy), crs="EPSG:32631", index=pd.Index(ids, name="hid"))
    >>> g = TerrainGraph.from_edges(ids, xy, [(i, i + 1) for i in range(5)], crs="EPSG:32631")
    >>> res = repair_plan(hh, pd.Series(list("AABBBB"), index=ids), Rules(3, 3), g)
    >>> res.passed, res.moves[["hid", "from_unit", "to_unit"]].values.tolist()
    (True, [['c', 'B', 'A']])
    """
    own = plan_kept(labels)  # the plan's own record of its kept units (its status or lock column)
    declared = with_plan_kept(declared, labels)  # the units the plan records kept locked: the check's zones
    labels = _require_arguments(households, labels, graph)  # households: a GeoDataFrame in metres
    rules = require_rules(rules)
    meeting_points = meeting_series(meeting_points)
    require_rows(households, "repair")
    unknown_nesting(rules, households)
    rules = resolve_nesting(rules, households)  # nest_by as the file's own headers (村民小组): the reader's column

    # a given meeting point is held fixed; only when that leaves errors and one of them is a household of another
    # nest group than its unit's (typed into it, audit Z5 §1) or the stray part of a split settlement is the repair
    # run again with it free to go home. The repairs made again write many of the first's models again (the regions of
    # their first steps): each model is solved once (``memo``)
    memo: RE.Memo = {}
    proving: set[bytes] = set()  # the parts that proved a model infeasible: asked first of the next (all repairs)
    # every exact model of every repair made: decided by counts (nodes, parts, rounds), the clock a far safety net only,
    # said when reached (the result may then differ from a run on a less busy machine)
    net = RE.Net(time.monotonic() + RE.CLOCK_SECONDS, say=progress)
    passes = [0]
    checks: dict[Any, CheckResult] = {}  # a plan checked once for the same meeting points: the plan as given above all

    def run(points: pd.Series | None) -> RepairResult:
        def once(free: bool, new_units: bool = True, detach: bool = True) -> RepairResult | None:
            passes[0] += 1
            net.tell("repair.step.pass", n=passes[0])
            return _repair_once(households, labels, rules, graph, free=free, max_moves=max_moves,
                                graph_kind=graph_kind, meeting_points=points, declared=declared, locked=locked,
                                new_units=new_units, detach=detach, memo=memo, net=net, checks=checks,
                                proving=proving)

        res = _attempt(once, True)
        if max_moves is None:  # households are taken out first only without max_moves
            res = _detached_again(res, lambda: _attempt(once, False))
        return res

    res = run(meeting_points)
    res = _given_points_released(res, rules, meeting_points, locked, run)
    if res.before is not None and _points_off(labels, meeting_points):
        # the plan as given is walked, as the repair holds it, to the points given in their units; a point given
        # outside its unit (its household moved to another, or none of the plan's) is the error PLAN-MEETING of
        # ``check`` with the points as given, which ``before`` says too (what was wrong: ``yuanluo repair``'s
        # "violations before" is the count ``yuanluo check`` gave)
        res.before = check_plan(households, labels, rules, graph=graph, graph_kind=graph_kind,
                                meeting_points=meeting_points, declared=declared)
    if net.hit:  # the safety net stopped HiGHS: said, as another run of the same plan may differ
        res.notes.append(RepairNote(("repair.note.clock", {"seconds": _fmt(RE.CLOCK_SECONDS)})))
    if len(own):  # the repaired plan records those it still holds as the plan did, so its check is the check's
        held = Declared(pd.Series([], dtype=object), {}, kept=own).holding_kept(res.labels)
        res.labels.attrs[KEPT_ATTR] = own[own.isin(sorted(held)).to_numpy(dtype=bool)].to_dict()
    return res


def _points_off(labels: pd.Series, given: pd.Series | None) -> bool:
    """Whether a meeting point is given for a unit of the plan (``labels``) that is not one of its households.

    >>> lab = pd.Series(["A", "A", "B"], index=["a", "b", "c"])
    >>> _points_off(lab, pd.Series({"A": "a", "B": "c"})), _points_off(lab, pd.Series({"A": "c"}))
    (False, True)
    >>> _points_off(lab, pd.Series({"Z": "c"})), _points_off(lab, pd.Series({"B": "x"})), _points_off(lab, None)
    (False, True, False)
    """
    if given is None:
        return False
    unit = labels.dropna().astype(str)
    unit.index = unit.index.astype(str)
    units = set(unit)
    return any(str(u) in units and unit.get(str(h)) != str(u) for u, h in given.dropna().items())


def _given_points_released(res: RepairResult, rules: Rules, given: pd.Series | None, locked: Sequence[str],
                           run: Callable[[pd.Series | None], RepairResult]) -> RepairResult:
    """A repair left failing ``PLAN-WALK-LIMIT`` in units (not ``locked``) whose given meeting point it held and
    which failed it in the plan as given too, the given point the cause from the start (audit G §1 of session
    41: U058's 议事点 typed as its farthest member, "proven" impossible, while the unit's centre keeps everyone
    within the limit), made again (``run``) with those units' given points let go: each such unit walks to its
    centre, or to a point the repair chooses, and a meeting point changed is the one change more. Taken when it
    passes or leaves fewer errors; its notes then say, for each unit, the point given and the point now
    (``repair.note.meeting_walk``: the meeting point, not the households, was the cause). Else ``res``.

    A repair that passed holding such a point (failing the limit in the plan as given; the repair moved households
    to fit it, or dissolved its unit) is made again with those points let go too, and the one moving fewer
    households kept (ties: the given points; issue 13, found in session 42: Andorra's U008 given its farthest member
    AD0308 under a 22.5 min limit, AD0712 of U023 typed into U001, passed by dissolving U008 and moving 39, where
    letting AD0308 go moves AD0712 alone); its notes then say the moves each needs
    (``repair.note.meeting_walk_costly``, ``…_costly_none`` where letting them go moves no household). So is one
    whose point the repair holding it moved out of its unit (a piece cut off around it joined the unit next to it,
    and the unit walked to its centre after moving more households: street 5|5, U1 given its end H005, H004 typed
    into U2, 2 moves where letting H005 go moves H004 back alone). A repair that passed moving no household is kept
    as it is."""
    if rules.max_walk_min is None or given is None or res.check is None or res.meeting_points is None:
        return res

    def walk_failing(chk: CheckResult | None) -> set[str]:
        v = chk.violations if chk is not None else pd.DataFrame(columns=["code", "severity", "unit_id"])
        return set(v.loc[(v["code"] == "PLAN-WALK-LIMIT") & (v["severity"] == "error"), "unit_id"].dropna().astype(str))

    points = {str(u): str(h) for u, h in given.dropna().items()}
    free = walk_failing(res.before) - {str(x) for x in locked}
    if res.passed:  # held, its unit dissolved around it, or the point moved out of it: each compared
        held = sorted(u for u in free if u in points)
    else:
        held = sorted(u for u in walk_failing(res.check) & free
                      if u in points and str(res.meeting_points.get(u)) == points[u])
    if not held or (res.passed and not len(res.moves)):  # nothing moved: letting a point go cannot move fewer
        return res
    alt = run(given[~given.index.astype(str).isin(held)])
    if alt.check is None:
        return res
    if res.passed and not (alt.passed and len(alt.moves) < len(res.moves)):
        return res
    if not res.passed and not (alt.passed or _errors(alt.check) < _errors(res.check)):
        return res
    alt.before = res.before  # the plan as given is checked with its given points (the CLI: what was wrong)
    mp = alt.meeting_points if alt.meeting_points is not None else pd.Series(dtype=object)
    limit = _fmt(rules.max_walk_min)
    # passed both ways: the moves each needs ("no household" where letting it go moves none); else it failed kept
    why = (("repair.note.meeting_walk_unmet", {"limit": limit}) if not res.passed else
           ("repair.note.meeting_walk_costly", {"limit": limit, "kept": len(res.moves), "moved": len(alt.moves)})
           if len(alt.moves) else ("repair.note.meeting_walk_costly_none", {"limit": limit, "kept": len(res.moves)}))
    alt.notes += [RepairNote(("repair.note.meeting_walk", {"unit": u, "hid": points[u], "new": str(mp[u]),
                                                           "limit": limit, "why": why}))
                  for u in held if u in mp.index and str(mp[u]) != points[u]]
    return alt


def _attempt(once: Callable[..., RepairResult | None], detach: bool) -> RepairResult:
    """The repair (``once``: :func:`_repair_once` on the arguments of :func:`repair_plan`), made again with the
    given meeting points of another nest group set free where it fails, and without new units where one mended a
    region the model opening none had no plan for; ``detach``: whether far cut-off pieces are taken out first."""
    res = once(False, detach=detach)
    assert res is not None and res.check is not None
    if not res.passed:
        again = once(True, detach=detach)
        if again is not None and again.check is not None and (
                again.passed or _errors(again.check) < _errors(res.check)):
            res = again
    if res.exact_past_infeasible:
        # a new unit mended a region the model opening none had no plan for: the heuristic it left that to (which
        # sees past the region), or a given meeting point of another group set free, may move fewer; made again
        # without new units, the better one is kept (passing, then fewer errors, then fewer moves; ties: this one)
        def rank(r: RepairResult) -> tuple[bool, int, int]:
            assert r.check is not None
            return r.passed, -_errors(r.check), -len(r.moves)

        for free in (False, True):
            alt = once(free, new_units=False, detach=detach)
            if alt is not None and alt.check is not None and rank(alt) > rank(res):
                res = alt
    return res


def _detached_again(res: RepairResult, again: Callable[[], RepairResult]) -> RepairResult:
    """A repair that took a piece out of its unit before the exact step (:func:`_detach_strays`) which a bridge of
    as many households it kept in place joins (``exact_bridged_anyway``), or that failed after taking households out,
    and moved more than the lower bound, made again (``again``) with nothing taken out: the exact step then keeps or
    moves those pieces itself, where its model is small enough. The better one is kept (passing, then fewer moves;
    ties: the first). The taking out counts a bridge of households that move anyway as a cost: street 5|6|6 with
    seven slips, U2's H011 cut off by U2's own H008–H010 typed into U3 (three for one) was taken out, and the
    repair moved 9 where 7 (the slips undone) suffice. Made again wherever something was taken out, two more plans
    of 1,100 street plans reached the fewest, at 2.3–3.0 times the seconds on Andorra's island slips."""
    if not (res.exact_bridged_anyway or (res.exact_placed_first and not res.passed)) or (
            res.passed and res.lower_bound is not None and len(res.moves) <= res.lower_bound):
        return res
    alt = again()
    if not alt.passed or (res.passed and len(alt.moves) >= len(res.moves)):
        return res
    return alt


def _require_arguments(households: Any, labels: Any, graph: Any) -> pd.Series:
    """The plan as a Series, when the arguments are what :func:`repair_plan` takes; else the coded error of the
    mistake, as :func:`~yuanluo.gis.check.check_plan` and :meth:`~yuanluo.gis.cluster.UnitDelineator.fit` say
    it: households that are not a GeoDataFrame (``HOUSEHOLDS-TYPE``), a graph that is not a
    :class:`TerrainGraph` (``REPAIR-GRAPH-TYPE``: none given, or the arguments swapped), a plan that is not
    household id → unit (``LABELS-TYPE``: a plain list of unit ids; a dict or a list of pairs is taken as one),
    household ids repeated (``CLUSTER-DUP-IDS``)."""
    from yuanluo.gis.neighbours import require_households

    require_households(households)
    if not isinstance(graph, TerrainGraph):
        raise InputError(problem("REPAIR-GRAPH-TYPE", given=given_name(graph)))
    labels = plan_labels(labels)
    idx = households.index.astype(str)
    if idx.has_duplicates:
        raise InputError(problem("CLUSTER-DUP-IDS", ids=sorted(set(idx[idx.duplicated()]))))
    return labels


#: plan findings that stop a repair, as they stop ``yuanluo repair``
#: (the one list: :data:`~yuanluo.gis.plan.STRICT_PLAN_CODES`)
STRICT_CODES = STRICT_PLAN_CODES


def _require_known_rows(households: Any, labels: pd.Series, rules: Rules, graph: TerrainGraph) -> None:
    """``PLAN-UNKNOWN-ID`` (ids of ``labels`` that are not households) and ``PLAN-DUP-ASSIGN`` (a household the
    Series lists twice with two units) as the coded error, found by the check's own rule
    (:func:`~yuanluo.gis.check.rule_structure`, as :func:`~yuanluo.gis.check.check_plan` reports them). Nothing
    is used "for now": the first unit of a repeated id is not taken; the fix says how to keep one in Python.

    >>> import geopandas as gpd
    >>> from shapely import points
    >>> hh = gpd.GeoDataFrame(geometry=points([[0, 0], [50, 0]]), crs="EPSG:32631", index=pd.Index(["a", "b"]))
    >>> g = TerrainGraph.from_edges(["a", "b"], [[0, 0], [50, 0]], [(0, 1)], crs="EPSG:32631")
    >>> try:
    ...     _require_known_rows(hh, pd.Series(["A", "A", "B"], index=["a", "b", "bb"]), Rules(2, 2), g)
    ... except InputError as e:
    ...     print(e.codes, e.problems[0].ids)
    ['PLAN-UNKNOWN-ID'] ('bb',)
    """
    found = rule_structure(_context(households, labels, rules, graph, None, ()))
    bad = [v.problem for v in found if v.code in STRICT_CODES and v.problem.severity == "error"]
    if bad:
        then = both("repair.dup.python")  # in place of check_plan's "the first unit is used for now"
        raise InputError([replace(p, params={**p.params, "then": then}) if "then" in p.params else p for p in bad])


def _lock(st: _State, locked: Sequence[str], notes: list[Note]) -> None:
    """The units the planner locked: kept as they are (their households may not move, no household joins them:
    see :meth:`_State.move`), and said so."""
    index = {u: j for j, u in enumerate(st.unit_ids)}
    unknown = sorted({str(u) for u in locked} - set(index))
    if unknown:  # as the command line says it (gis.lock.lock_sources), never a lock dropped in silence
        raise InputError(problem("LOCK-UNKNOWN", ids=unknown, units=sorted(index)[:10]))
    st.locked = {index[str(u)] for u in locked}
    st.fixed |= {h for j in st.locked for h in st.members[j]}
    if st.locked:
        notes.append(("repair.note.locked", {"count": len(st.locked),
                                             "units": sorted(st.unit_ids[j] for j in st.locked)}))


def _name_made_units(st: _State) -> None:
    """The units the heuristic made, named in one scheme: after the unit of the plan as given most of their
    households came from (ties: the smaller id), ``<unit>-2``, ``-3``… (the first not taken); ``R001``… when none
    of them was in a unit. In order of that unit, then of their smallest household id. A made unit emptied
    since gets a name no unit has (it is in no output)."""
    given = [st.unit_ids[j] for j in range(len(st.unit_ids)) if j not in st.made]
    taken = set(given)
    named = []
    for j in st.made:
        mem = sorted(st.members[j])
        if not mem:
            continue
        came = pd.Series([st.unit_ids[int(st.orig[h])] for h in mem if st.orig[h] >= 0], dtype=object)
        cnt = came.value_counts()
        parent = min(cnt.index, key=lambda u: (-cnt[u], u)) if len(cnt) else None
        named.append((parent is None, parent or "", min(str(x) for x in st.hids[mem]), j, parent))
    for _, _, _, j, parent in sorted(named):
        k = 2 if parent is not None else 1
        while (name := f"{parent}-{k}" if parent is not None else f"R{k:03d}") in taken:
            k += 1
        taken.add(name)
        st.unit_ids[j] = name
    for j in sorted(st.made):
        if not st.members[j]:
            st.unit_ids[j] = f"\x00{j}"  # in no output; only kept apart from the names in use


def _head_exception_notes(given: CheckResult, res: CheckResult) -> list[Note]:
    """Each unit of the repaired plan without a candidate head that the check excuses (HEAD-EXCEPTION) and did not
    as the plan was given (``repair.note.head_exception``): the repair may leave such a unit, as the check allows,
    and says so rather than leave it to the warning of a later check."""
    def excused(r: CheckResult) -> set[str]:
        v = r.violations
        return set(v.loc[v["code"] == "HEAD-EXCEPTION", "unit_id"].dropna().astype(str))

    return [("repair.note.head_exception", {"unit": u}) for u in sorted(excused(res) - excused(given))]


def _plan_notes(st: _State) -> list[Note]:
    """The repaired plan against the plan as given: each unit it has that the plan had not (made by a split, for
    an island, or a declared exception made again), with its households and the units they were in; each unit
    of the plan it no longer has, with the units its households are in now. Counts are of households."""
    def phrases(units: list[int], one: str, none: str) -> Phrases:
        cnt = pd.Series(units, dtype=np.int64).value_counts()
        order = sorted(cnt.index, key=lambda u: (u < 0, -cnt[u], st.unit_ids[u] if u >= 0 else ""))
        return Phrases((none, {"count": int(cnt[u])}) if u < 0 else (one, {"unit": st.unit_ids[u],
                                                                             "count": int(cnt[u])})
                       for u in order)

    made: list[Note] = []
    gone: list[Note] = []
    for j in range(len(st.unit_ids)):
        if j >= st.n_given and st.members[j]:
            mem = sorted(st.members[j])
            made.append(("repair.note.new_unit", {
                "unit": st.unit_ids[j], "count": len(mem),
                "sources": phrases([int(st.orig[h]) for h in mem], "repair.note.from", "repair.note.from_none")}))
        elif j < st.n_given and not st.members[j]:
            was = np.flatnonzero(st.orig == j)
            gone.append(("repair.note.dissolved", {
                "unit": st.unit_ids[j], "count": len(was),
                "targets": phrases([int(st.lab[h]) for h in was], "repair.note.to", "repair.note.to_none")}))
    return sorted(made, key=lambda n: str(n[1]["unit"])) + sorted(gone, key=lambda n: str(n[1]["unit"]))


def _restore_declared(st: _State, declared: Declared, first: CheckResult) -> list[tuple[int, int, str | None]]:
    """Each declared exception unit that now has an error, that holds a household the plan moved in from a unit
    that now has an error (the declared households stay: only the others are free to leave it), or that the
    plan no longer has while the units its households are in now have errors, is put back as it was declared:
    the households that left it return, and the households that joined it go back to the unit the delineation
    gave them (when that unit is in the plan). It is then the declared exception again (its errors the warning
    DECLARED-EXCEPTION). A household the plan leaves without a unit goes back to the unit the delineation gave
    it, when the plan has that unit. Returns the moves made, (household, unit it came from; -1: none)."""
    bad = set(first.violations.loc[first.violations["severity"] == "error", "unit_id"].dropna().astype(str))
    pos = {h: i for i, h in enumerate(st.hids.tolist())}
    index = {u: j for j, u in enumerate(st.unit_ids)}
    origin = {pos[h]: str(u) for h, u in declared.origin.items() if h in pos}
    moved: list[tuple[int, int, str | None]] = []
    for u, mem in declared.members.groupby(declared.members.astype(str), sort=True):
        j = index.get(str(u))
        if j in st.locked:
            continue
        want = {pos[h] for h in mem.index.astype(str) if h in pos}
        if j is None and want and all(st.lab[h] < 0 or st.unit_ids[st.lab[h]] in bad for h in want):
            j = index[str(u)] = st.new_unit(str(u))  # every household of it moved into failing units: made again
        elif j is None or st.members[j] == want:
            continue
        elif str(u) not in bad and not any(
                origin.get(h) in bad and origin.get(h) != str(u) for h in st.members[j] - want):
            # it passes as it is, and no household typed into it left a failing unit (a candidate head taken
            # from its own unit into the exception next to it: going home mends that unit in one move)
            continue
        try:  # nothing when a household that joined it has no unit to go back to
            _put_back(st, j, want, lambda h: index.get(origin.get(h, "")), moved)
        except _BudgetReached:
            break
    for h in np.flatnonzero(st.lab < 0).tolist():  # left without a unit: back where the delineation put it
        k = index.get(origin.get(int(h), ""))
        if k is not None and k not in st.locked:
            try:
                st.move(int(h), k, "unassigned_back")
            except _BudgetReached:
                break
            moved.append((int(h), -1, None))
    return moved


def _pin_declared_splits(st: _State, declared: Declared, index: dict[str, int]) -> None:
    """The households of the settlements the delineation declared split that the plan still splits: pinned to
    the unit it gave them (:attr:`_State.pinned`), those already there kept from the heuristic's moves, and
    their settlements no longer held whole by the exact model (the delineation found no division keeping them
    whole). A settlement the plan has made whole is held whole as any other."""
    pos = {h: i for i, h in enumerate(st.hids.tolist())}
    home: dict[int, int] = {}
    for h, u in declared.settled.items():
        i, j = pos.get(str(h)), index.get(str(u))
        if i is not None and j is not None:
            home[i] = j
    if st.settle is None:
        return
    a = (st.settle >= 0) & (st.lab >= 0)
    pairs = np.unique(np.c_[st.settle[a], st.lab[a]], axis=0)  # (settlement piece, unit) once each
    split = set(np.flatnonzero(np.bincount(pairs[:, 0]) > 1).tolist())
    for i, j in home.items():
        if int(st.settle[i]) in split:
            st.pinned[i] = j
            if st.lab[i] == j:
                st.fixed.add(i)
            st.settle_small[st.settle[i]] = False


def _frozen(res: CheckResult, st: _State) -> set[int]:
    """The units the check excuses as they stand (status ``exception``), and the declared exception units held
    as declared that carry an error all the same (a household of a settlement it shares, declared split, typed
    elsewhere): held to every rule in a region, such a unit would be "repaired" (a head found for it by taking
    its neighbour's), where putting the other household back mends it. Not a unit excused for its head alone
    (HEAD-EXCEPTION, no other exception): the exact model and the heuristic hold the head rule as the check does,
    an area's units without a candidate no more than it allows (:func:`yuanluo.gis.repair_exact.head_allowance`),
    and a move may mend it or its neighbour (a unit of two households without a candidate, frozen, left its
    neighbour of one too small for any plan of the region: session 45)."""
    index = {u: j for j, u in enumerate(st.unit_ids)}
    u = res.units
    exc = u["status"] == "exception"
    if st.head_areas is not None:
        exc &= ~u["codes"].map(lambda cs: set(cs) & set(EXCEPTION_CODES) == {"HEAD-EXCEPTION"})
    out = {index[x] for x in u.loc[exc, "unit_id"].astype(str) if x in index}
    return out | st.locked | {j for j, mem in st.declared.items() if mem and st.members[j] == mem}


#: errors of a plan that depend on its labels alone (not on meeting points): a plan that passes differs from it
LABEL_ERRORS = frozenset({"SIZE-LOW", "SIZE-HIGH", "PLAN-NONCONTIG", "PLAN-CROSS-RIVER", "PLAN-CROSS-VILLAGE",
                          "PLAN-CROSS-GROUP", "PLAN-CROSS-NEST", "PLAN-SETTLEMENT-SPLIT", "PLAN-FEW-HEADS",
                          "PLAN-NO-HEAD", "PLAN-UNASSIGNED"})


def _bound(st: _State, given: CheckResult, declared: Declared | None) -> tuple[int | None, str]:
    """A lower bound on the households any plan that passes must move, and what it is counted from: ``sizes``
    (:func:`_lower_bound`), ``unassigned`` (the households in no unit, PLAN-UNASSIGNED: every one gets a unit),
    ``both``, ``error`` (1: the plan as given has an error of its labels alone, :data:`LABEL_ERRORS`, so a plan
    that passes has other labels), or ``heads`` (:func:`_head_bound`, where it counts more than all of these);
    (None, "") where none is counted.

    A household in no unit starts in no unit and ends in one, so it is none of the ``over`` moves out of a unit
    over the ceiling and counts once more at most (ending in a unit under the floor): with ``free`` of them the
    bound is ``max(over + free, ⌈(over + under + free) / 2⌉)``."""
    v = given.violations
    err = v[v["severity"] == "error"]
    free = len({h for ids in err.loc[err["code"] == "PLAN-UNASSIGNED", "hids"] for h in ids})
    sizes = _lower_bound(st, given, declared, parts=True)
    over, under = sizes if isinstance(sizes, tuple) else (0, 0)
    alone = max(over, -(-(over + under) // 2))
    bound = max(over + free, -(-(over + under + free) // 2))
    heads = _head_bound(st, declared)
    if heads is not None and heads > max(bound, int(err["code"].isin(sorted(LABEL_ERRORS)).any())):
        return heads, "heads"
    if free and bound > alone:
        return bound, "unassigned" if bound == free else "both"
    if sizes is not None and alone:
        return alone, "sizes"
    if err["code"].isin(sorted(LABEL_ERRORS)).any():
        return 1, "error"
    return (None, "") if sizes is None else (0, "sizes")


def _head_bound(st: _State, declared: Declared | None) -> int | None:
    """A lower bound on the households any plan that passes must move, from the candidate heads (``require_head``);
    None where it is not counted (no candidate column, a locked unit, a declared exception).

    A unit of a plan that passes holds a candidate head, each its own, or is excused without one (HEAD-EXCEPTION:
    :meth:`HeadAreas.excused`, no more units of an area than :meth:`HeadAreas.unavoidable`): it has at most
    ``K = candidates + Σ unavoidable`` units. A household stays where the unit of its name as given keeps it, so
    at most ``K`` names keep households, each at most its households as given, and at most the ceiling of them when
    every connected block (one nest group) it touches can be cut within the band (else the check may excuse a whole
    block above it, as :func:`_lower_bound` says) and sizes are in households: the households of the ``K`` names
    keeping most stay at most, every other household moves (one in no unit too). Tested against brute force
    (tests/test_s54_r_repair_proof.py).

    >>> import geopandas as gpd
    >>> from shapely import points
    >>> from yuanluo.gis.graph import TerrainGraph
    >>> ids = [f"h{i}" for i in range(6)]
    >>> hh = gpd.GeoDataFrame({"head_candidate": [True] + [False] * 5}, geometry=points([[i, 0] for i in range(6)]),
    ...                       index=pd.Index(ids, name="hid"), crs="EPSG:32631")
    >>> g = TerrainGraph.from_edges(ids, [[i, 0] for i in range(6)], [(i, i + 1) for i in range(5)], crs="EPSG:32631")
    >>> st = _State(hh, pd.Series(["A", "A", "B", "B", "C", "C"], index=ids), Rules(2, 6, require_head=True), g)
    >>> _head_bound(st, None)  # 1 candidate, 6 households need 1 unit: 1 unit, the 4 of B and C move
    4
    """
    ha = st.head_areas
    if st.head is None or ha is None or st.locked or (declared is not None and len(declared.members)):
        return None
    r = st.rules
    k = int(ha.candidates.sum()) + sum(ha.unavoidable(a) for a in range(len(ha.total)))
    given = st.orig[st.orig >= 0]
    sizes = np.bincount(given, minlength=st.n_given)
    if (st.w == 1.0).all():
        _, comp, tot = nest_pieces(st, st.cindptr, st.cindices)
        ok_block = np.array([r.feasible_size(int(round(t))) for t in tot], dtype=bool)
        for j in np.flatnonzero(sizes > r.max_size).tolist():
            if ok_block[comp[st.orig == j]].all():
                sizes[j] = int(np.floor(r.max_size))
    kept = int(np.sort(sizes)[::-1][:k].sum())
    return max(len(st.hids) - kept, 0)


def _lower_bound(st: _State, given: CheckResult, declared: Declared | None,
                 parts: bool = False) -> int | tuple[int, int] | None:
    """A lower bound on the households any plan that passes must move, from the sizes of the plan as given; None
    where it is not counted (sizes by persons, a declared exception or a locked unit: the check excuses what it
    holds as it stands, as it does a whole island too small or too large for the band).

    Each unit ``u`` with SIZE-HIGH (``s`` households, ceiling ``max``): whatever unit keeps its name keeps at most
    ``max`` of them, so at least ``s - max`` leave it. Each unit with SIZE-LOW: whatever keeps its name has at least
    ``min`` households, so ``min - s`` come in, or none keeps it and all ``s`` leave: at least ``min(min - s, s)``
    moves start or end there. A household moved starts in one unit and ends in one, so counted at most twice:
    the bound is ``max(over, ⌈(over + under) / 2⌉)``. A unit counts only when every connected block (one nest
    group) it touches can be cut into units within the band: else the check may excuse a whole block, whatever its
    size, as one exception unit (SIZE-EXCEPTION). Tested against brute force over every composition of small
    streets (tests/test_s32_fh_repair_order.py)."""
    if not (st.w == 1.0).all() or st.locked or (declared is not None and len(declared.members)):
        return None
    r = st.rules
    _, comp, tot = nest_pieces(st, st.cindptr, st.cindices)
    ok_block = np.array([r.feasible_size(int(round(t))) for t in tot], dtype=bool)
    index = {u: j for j, u in enumerate(st.unit_ids)}
    v = given.violations
    v = v[v["severity"] == "error"]
    over = under = 0
    for code, unit in sorted(set(zip(v["code"].astype(str), v["unit_id"].astype(str), strict=True))):
        j = index.get(unit)
        if code not in ("SIZE-HIGH", "SIZE-LOW") or j is None or j in st.frozen:
            continue
        mem = np.flatnonzero(st.orig == j)
        if not len(mem) or not ok_block[comp[mem]].all():
            continue
        s = len(mem)
        if code == "SIZE-HIGH" and s > r.max_size:
            over += int(np.ceil(s - r.max_size))
        elif code == "SIZE-LOW" and s < r.min_size:
            under += min(int(np.ceil(r.min_size - s)), s)
    return (over, under) if parts else max(over, -(-(over + under) // 2))


def _errors(res: CheckResult) -> int:
    return int((res.violations["severity"] == "error").sum())


def _error_keys(res: CheckResult) -> set[tuple[str, str]]:
    """(code, unit id) of each error of ``res``."""
    v = res.violations
    err = v["severity"] == "error"
    return {(str(c), str(u)) for c, u in zip(v.loc[err, "code"], v.loc[err, "unit_id"], strict=True)}


def _final(st: _State, given: CheckResult, meet: dict[int, int], meeting_points: pd.Series | None,
           check: Callable[[dict[int, int]], CheckResult], method: str = "") -> tuple[CheckResult, dict[int, int], bool]:
    """The repaired plan's check (``check`` of the meeting points), after the moves into and out of a unit with an
    error the plan as given had not are undone where that helps (:func:`_drop_made`); when the moves still leave
    no fewer errors than ``given``, some of them new, none is kept (the plan as given, its own meeting points);
    else, where the heuristic moved households (``method``: the repair's), the moves that mend nothing are undone
    (:func:`_drop_idle`; an exact plan is the fewest moves, and one the move budget stopped a start: left as they are).
    Returns the check, the meeting points and whether the plan as given was kept."""
    res = check(meet)
    if not res.passed:
        res = _drop_made(st, res, given, lambda: check(meet))
    kept_input = not res.passed and st.n_moved() > 0 and _errors(res) >= _errors(given) and bool(
        _error_keys(res) - _error_keys(given))
    if kept_input:
        _revert(st)
        meet = _meeting(st, meeting_points)
        res = check(meet)
    elif "heuristic" in method and (st.max_moves is None or st.n_moved() < st.max_moves):
        res = _drop_idle(st, res, given, set(meet.values()), lambda: check(meet))
    return res, meet, kept_input


def _drop_idle(st: _State, res: CheckResult, given: CheckResult, points: set[int],
               recheck: Callable[[], CheckResult]) -> CheckResult:
    """The repaired plan checked as ``res`` with the moves that mend nothing undone: each household moved (then each piece
    of households moved together from one unit to another, the smaller first; in the order of their positions) goes back
    to its unit as given where that leaves no more errors and every error left one of ``res``, naming no household more,
    or else fewer errors the plan as given had not (:func:`_no_error_back`): a move that mends an error, wholly or in
    part, and breaks no rule the plan kept, is not idle (the heuristic's chains can move a household that a later step
    made unneeded: session 52, P's row A = a b, B = c d e, C = f–i, band 3–4, where c's move to A was undone and f's
    from C to B kept for nothing; session 53, the editor test's plan, where three households of another group moved out
    of U025 went back as idle, its PLAN-CROSS-GROUP naming four households again instead of one). Only where no unit
    within the band leaves it, none is emptied or cut in two, and the household is not a meeting point (``points``) nor
    was in no unit: those are checked (``recheck``). Returns the check kept."""
    had = _error_keys(given)
    lo, hi = st.rules.min_size, st.rules.max_size

    def in_band(s: float) -> bool:
        return s == 0 or lo <= s <= hi

    def try_back(group: set[int], res: CheckResult) -> CheckResult:
        (fr,), (to,) = {int(st.orig[h]) for h in group}, {int(st.lab[h]) for h in group}
        w = float(st.w[list(group)].sum())
        rest, back = st.members[to] - group, st.members[fr] | group
        if (not rest or (in_band(st.size(fr)) and not in_band(st.size(fr) + w))
                or (in_band(st.size(to)) and not in_band(st.size(to) - w))
                or (st.connected(st.members[to]) and not st.connected(rest))
                or (st.connected(st.members[fr]) and not st.connected(back))):
            return res
        for h in group:
            st.place(h, fr)
        again = recheck()
        if _errors(again) <= _errors(res) and _no_error_back(again, res, had):
            for h in group:
                st.reasons.pop(h, None)
            return again
        for h in group:
            st.place(h, to)
        return res

    def moved() -> list[int]:
        return [h for h in np.flatnonzero(st.lab != st.orig).tolist()
                if st.orig[h] >= 0 and st.lab[h] >= 0 and h not in points and h not in st.fixed
                and int(st.lab[h]) not in st.locked and int(st.orig[h]) not in st.locked]

    for h in moved():
        res = try_back({h}, res)
    pairs: dict[tuple[int, int], set[int]] = {}
    for h in moved():
        pairs.setdefault((int(st.orig[h]), int(st.lab[h])), set()).add(h)
    pieces = [p for _, same in sorted(pairs.items()) for p in st.pieces(same) if len(p) > 1]
    for p in sorted(pieces, key=lambda p: (len(p), min(p))):
        res = try_back(p, res)
    return res


def _no_error_back(again: CheckResult, res: CheckResult, had: set[tuple[str, str]]) -> bool:
    """Whether ``again`` (the plan with a move undone) brings back no error the move mended: each of its errors is
    one of ``res`` (its code and unit) naming no household more; or, where one comes back or grows, the move had
    made an error the undo takes away and brings none: ``again``'s errors of a code and unit the plan as given had
    not (``had``) are fewer, all of them ``res``'s (a move that mends one rule by breaking another the plan kept goes
    back, as :func:`_drop_made` takes the moves back: as many errors, fewer new)."""
    def errors(r: CheckResult) -> dict[tuple[str, str], list[set[str]]]:
        v = r.violations
        err = v["severity"] == "error"
        out: dict[tuple[str, str], list[set[str]]] = {}
        for c, u, ids in zip(v.loc[err, "code"], v.loc[err, "unit_id"], v.loc[err, "hids"], strict=True):
            out.setdefault((str(c), str(u)), []).append({str(h) for h in (ids if isinstance(ids, list | tuple) else ())})
        return out

    now = errors(res)
    if all(any(ids <= was for was in now.get(key, [])) for key, each in errors(again).items() for ids in each):
        return True
    return _error_keys(again) - had < _error_keys(res) - had


def _drop_made(st: _State, res: CheckResult, given: CheckResult, recheck: Callable[[], CheckResult]) -> CheckResult:
    """The repaired plan checked as ``res``, with the errors the plan as given (``given``) had not (a rule it kept,
    broken by a move): the moves into and out of their units are undone (each household back in its unit as
    given), kept when that leaves fewer errors, or as many and fewer of them new. Returns the check kept."""
    had = _error_keys(given)
    for _ in range(3):
        made = _error_keys(res) - had
        index = {u: j for j, u in enumerate(st.unit_ids)}
        units = {index[u] for _, u in made if u in index}
        moved = [h for h in np.flatnonzero(st.lab != st.orig).tolist()
                 if int(st.lab[h]) in units or int(st.orig[h]) in units]
        if res.passed or not moved:
            return res
        was = [(h, int(st.lab[h]), st.reasons.get(h)) for h in moved]
        for h in moved:
            st.place(h, int(st.orig[h]))
            st.reasons.pop(h, None)
        again = recheck()
        if (_errors(again), len(_error_keys(again) - had)) >= (_errors(res), len(made)):
            for h, fr, why in was:
                st.place(h, fr)
                if why is not None:
                    st.reasons[h] = why
            return res
        res = again
    return res


def _revert(st: _State) -> None:
    """Every household back in its unit of the plan as given (no move, no reason)."""
    for h in np.flatnonzero(st.lab != st.orig).tolist():
        st.place(h, int(st.orig[h]))
        st.reasons.pop(h, None)
    st.detached.clear()


#: The reasons of a violation left that say no more than what the exact model or the heuristic found (not a lock,
#: the budget or the repair's own moves): :func:`_head_refused` may say what held the size back.
_GENERIC_WHYS = frozenset({"repair.why.infeasible", "repair.why.infeasible.new", "repair.why.infeasible.all",
                           "repair.why.anchored", "repair.why.given_points", "repair.why.too_large",
                           "repair.why.optimal_left", "repair.why.unsolved", "repair.why.unsolved_time",
                           "repair.why.unsolved_work", "repair.why.unsolved_total", "repair.why.unsolved_rounds", "repair.why.not_reached"})


def _head_refused(st: _State, code: str, unit: str) -> Note | None:
    """What held a size violation left back when the one household that could move for it is the only candidate
    head of its unit (every move keeps a unit's only candidate, :meth:`_State.can_give`; the exact model keeps a
    head in every unit): a unit above the ceiling (``SIZE-HIGH``) whose only household that could join a
    neighbouring unit (next to it, of its nest group, leaving the unit non-empty and in one piece, not held as a
    meeting point, splitting no settlement) is its only candidate (``repair.why.head_only``); a unit below the
    floor (``SIZE-LOW``) that only one household of a neighbouring unit could join, the only candidate of its unit
    (``repair.why.head_only.in``). The key and its fields (``unit``, ``hid``; ``to`` for the second), else None:
    without the head rule, or where other households could move, or none.
    """
    if st.head is None or code not in ("SIZE-HIGH", "SIZE-LOW") or unit not in st.unit_ids:
        return None
    x = st.unit_ids.index(unit)
    if x in st.locked:
        return None

    def could_go(h: int, fr: int, to: int) -> bool:  # can_give without its head rule
        rest = st.members[fr] - {h}
        return (bool(rest) and h not in st.fixed and not st.splits_settlement(h, fr) and st.key_ok(h, to)
                and st.connected(rest))

    near = [y for y in st.unit_nbrs(x) if y not in st.locked]
    pairs = ({(h, x) for y in near for h in st.boundary(x, y) if could_go(h, x, y)} if code == "SIZE-HIGH" else
             {(h, y) for y in near for h in st.boundary(y, x) if could_go(h, y, x)})
    if len(pairs) != 1:
        return None
    (h, fr), = pairs
    if not st.head[h] or _heads_of(st, fr) != 1:
        return None
    if code == "SIZE-HIGH":
        return "repair.why.head_only", {"unit": unit, "hid": str(st.hids[h])}
    return "repair.why.head_only.in", {"unit": st.unit_ids[fr], "hid": str(st.hids[h]), "to": unit}


def _why(outcome: ExactOutcome) -> Note:
    """Why the violations left could not be fixed, from what the exact stage found."""
    key = {"infeasible": "repair.why.infeasible", "too-large": "repair.why.too_large",
           "optimal": "repair.why.optimal_left"}.get(outcome.status, "repair.why.unsolved")
    if key == "repair.why.unsolved" and outcome.gave_up == "time":  # what stopped it, and when
        return "repair.why.unsolved_time", {"n_units": len(outcome.units), "seconds": _fmt(RE.CLOCK_SECONDS)}
    if key == "repair.why.unsolved" and outcome.gave_up == "work":
        return "repair.why.unsolved_work", {"n_units": len(outcome.units), "work": _fmt(RE.SOLVE_WORK)}
    if key == "repair.why.unsolved" and outcome.gave_up == "total":
        return "repair.why.unsolved_total", {"n_units": len(outcome.units), "work": _fmt(RE.TOTAL_WORK)}
    if key == "repair.why.unsolved" and outcome.gave_up == "rounds":
        return "repair.why.unsolved_rounds", {"n_units": len(outcome.units), "rounds": RE.MAX_ROUNDS}
    why: Note = key, {"n_units": len(outcome.units), "n_variables": outcome.n_variables, "limit": MAX_VARIABLES}
    if key == "repair.why.infeasible" and outcome.within_moves is not None:  # more new units: over the move budget
        budget = {"n_units": len(outcome.units), "max_moves": outcome.within_moves, "least": outcome.least_new}
        why = (("repair.why.infeasible.new.budget", {**budget, "k": outcome.new_units}) if outcome.new_units else
               ("repair.why.infeasible.budget", budget))
    elif key == "repair.why.infeasible" and outcome.every_new:  # every number of new units a plan can have: a proof
        why = "repair.why.infeasible.all", {"n_units": len(outcome.units)}
    elif key == "repair.why.infeasible" and outcome.new_units:
        why = "repair.why.infeasible.new", {"n_units": len(outcome.units), "k": outcome.new_units}
    if key == "repair.why.infeasible" and outcome.waived:  # proven with the walks no move can mend left aside
        why = "repair.why.waived", {"proof": why, "hids": list(outcome.waived)}
    if key == "repair.why.infeasible" and outcome.anchored:  # proven only with each unit's point kept: said so
        return "repair.why.anchored", {"proof": why}
    return why


def _moves(st: _State) -> pd.DataFrame:
    changed = np.flatnonzero(st.lab != st.orig)
    names = st.unit_ids
    return pd.DataFrame({
        "hid": st.hids[changed].astype(str),
        "from_unit": [names[st.orig[h]] if st.orig[h] >= 0 else None for h in changed],
        "to_unit": [names[st.lab[h]] if st.lab[h] >= 0 else None for h in changed],
        "reason": [st.reasons.get(int(h), "") for h in changed],
    }, columns=MOVE_COLUMNS).sort_values("hid", kind="stable").reset_index(drop=True)
