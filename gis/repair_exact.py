"""The exact repair: the fewest household moves that make the affected units keep every rule (a HiGHS MILP).

The affected units (those with a violation) and the units next to them form the *region*; every other unit
stays as it is. Over the region's households ``h`` and units ``u`` the model has a binary ``x[h, u]``
(household ``h`` in unit ``u``) and ``open[u]`` (unit ``u`` keeps households; a closed unit is merged
away), and minimises the number of households whose unit changes (unassigned households always count)::

    min  Σ_h (1 - x[h, unit(h)])
    s.t. Σ_u x[h, u] = 1                                   every household in exactly one unit
         min·open[u] ≤ Σ_h w_h x[h, u] ≤ max·open[u]        size band (households or persons)
         x[h, u] ≤ z[u, key(h)],  Σ_k z[u, k] ≤ 1           nesting: one village/group key per unit
         Σ_{h candidate} x[h, u] ≥ open[u] (+ b[u])          a candidate head; two above heads_for_size
           − Σ_a e[u, a],  Σ_u e[u, a] ≤ allowed(a)          … or none, where the check excuses it (HEAD-EXCEPTION:
                                                             head_allowance, _rows_heads)
         x[h, u] = x[h', u]   for h, h' of one settlement    settlements that fit in a unit kept whole
         x[h, g(h)] = 1       for h of a declared split      where the delineation put it (``pinned``)
         x[a_u, u] = open[u]                                 an open unit keeps its anchor household
         x[h, u_B] = 0 for h not in B; no band or head row    an island B (below): one exception unit
         x[h, u] = 0 when d(h, a_u) > L                        walking limit (a necessary condition; not for a
                                                             household no move can mend in its own unit, while
                                                             ``_State.walk_waived`` holds it: gis.repair._waived)
         flow f[a→b, u] ≤ M·x[a, u], ≤ M·x[b, u];  inflow − outflow = x[h, u] for h ≠ a_u
                                                             contiguity: the anchor reaches every member
         Σ_h r[h, v] = open[v],  r[h, v] ≤ x[h, v]            a new unit v: a root of its own choosing
         inflow − outflow ≥ x[h, v] − M·r[h, v]               … which sends the flow of its contiguity
         Σ_{h: d(h, k) > L} x[h, v] ≤ |…|·(1 − r[k, v])       … and which its households walk to

The anchor ``a_u`` of a unit is its meeting point where one is given (or, with a walking limit, chosen) and still
in the unit, else its centre: the member of its heaviest connected piece from which the farthest member walks least
(a meeting point the heuristic moved out of its unit, with a cut-off piece, is no longer the unit's: the check
then walks the unit to its centre too, and the outcome's ``meet`` hands the centre back).
So the optimum is the fewest moves among the plans in which every unit that keeps households keeps its
anchor — a restriction that keeps the model small (no choice of root) and meeting points in place, lifted for the
units given no meeting point by asking the model again with their roots free (*Centres free*, below). The
anchors tie names to households, so a solution may give a group the name of another unit (a household typed
into a new unit, and the rest of its unit moved to it): the units are then renamed to keep the most households
where they were (:func:`_relabel`; not a unit whose meeting point was given), each taking its group's anchor,
and the model is solved again with them. The flow rows make contiguity exact; cuts are
still added lazily for what the model only approximates, until the solution has none left (at most
:data:`MAX_ROUNDS` rounds):

* a cut-off piece ``P`` of unit ``u`` (``i`` in ``P``, ``j`` in the piece kept, ``N(P)`` the households
  next to ``P``): ``x[i, u] + x[j, u] - Σ_{k ∈ N(P)} x[k, u] ≤ 1`` — any path from ``i`` to ``j`` runs
  through ``N(P)``;
* a household ``h`` beyond the limit inside ``u``: ``x[h, u] ≤ Σ_{k ∈ S} x[k, u]`` over a least set ``S`` of
  the households ``k`` not in ``u`` with ``d(h, k) + d(k, m_u) ≤ L`` that every walk within the limit over the
  unit and those households passes (:func:`_separator`) — a path within the limit must use one of them (every
  household it passes is of the unit or one of those). All of them, as before session 56, is the same cut made
  weaker: test_s28_editor's 49-household region took 13 runs of HiGHS, 19.7 s, now 12, 9.5 s.

An *island* is a piece of one nest group, linked as the check links households, smaller than the band's
floor (:func:`island_blocks`): the check excuses it as one exception unit (SIZE-EXCEPTION), and no plan that passes
has it otherwise (its households link to no one else). The region holds every unit holding a household of its
islands and the units the plan as given made theirs, and their households in no unit (:func:`island_region`, which
:func:`~yuanluo.gis.repair._clusters` groups by too). The model chooses each island's unit (:class:`_Isles`): a unit
of the region it is in or was in (``y[B, u]``, the variable of its first household), or a new unit of its own
(``_Isles.own``: only its households, no band, head, anchor or flow row, not one of the ``K`` below)::

    x[h, u] = x[first(B), u]            for h in B        the island whole, in one unit
    Σ_B y[B, u] ≤ 1,  x[h, u] + Σ_B y[B, u] ≤ 1  for h in no island   a unit is one island's, and then only its
    min·(open[u] − Σ_B y[B, u]) ≤ size,  heads + Σ_B y[B, u] ≥ open[u],  x[a_u, u] = open[u] − Σ_B y[B, u]

so a unit keeps its band, head and anchor rows while it is no island's. An island's households have no flow and no
neighbour row (an island of one has no neighbour in its unit). A unit whose anchor (a household of no island: its
meeting point, or the centre of those) it has none of is an island's or closed; one whose given meeting point is an
island's household is that island's or closed (``_Isles.forced``), and no island with a given meeting point goes to
a unit of its own. So a region with several islands gets the fewest moves over every mix: one island kept in the
unit it is in (the others of that unit moving out), another a unit of its own (audit of session 36: 000193, cut off
by a river, typed into U011; 000064 typed into U005, another island's unit), where session 36 tried "all kept" and
"all alone" and chose each island's unit greedily. An island's household in no unit (left so by the plan) is placed
as the others: into a unit its island is in, or a unit of its own. A unit holding only island households whose name
households of no island had in the plan as given (taken out of it as a piece cut off from the island) may take such
households too, with a root of its own choosing, as a new unit's (:func:`_spare`).

*New units*: the model may open up to ``K`` units the plan does not have (:func:`_new_count`: at most
:data:`MAX_NEW_UNITS`, and no more than the ``⌊W / min⌋`` units the region's weight ``W`` outside islands can
fill). A new unit ``v`` has every row a unit has (band, nesting, heads, settlements) but no anchor: its root is a
variable ``r[h, v]``, the source of its flow, and under a walking limit no household of it is farther than the
limit from its root (the walk within the unit held by the walking cut with ``+ r[m, v]``, ``≤ 1``, for the root
``m`` the solution chose). A unit without a meeting point of its own is walked to its *centre*, the member the
farthest member walks least to (the repair hands it as the unit's meeting point, ``_meeting_series``, as
``check`` takes it for a unit with none), which walks no farther than the root does: a new unit the model keeps within the limit passes the check's, and one whose
centre is within the limit has a root that is, so the rows take no plan away. A unit's given meeting point
(``_State.fixed``) is never put in a new unit (it would hand the unit's households a point of the model's own
choosing under a new name). Households in a new unit count as moved. The repair makes each new unit the
solution opens a unit of its own (named at the end as the heuristic's, ``U012-2``: after the unit most of its
households came from) and says it (``repair.note.new_unit``). The first ``K`` tried that is too large for
:data:`MAX_VARIABLES` is lowered, down to 0 (the model as before). With new units the flow's bound ``M`` is the
most households a unit can hold (:func:`_flow_cap`) and, without a walking limit, each plan has one numbering
(:func:`_rows_order`: a new unit's root is its first household, the new units ordered by them); a region whose
moves no plan with new units can lower (each holds at least the floor, all of it moved) is not asked
(:func:`_worth_opening`).

Both cuts are valid for every plan that keeps the rules, so the optimum of the final model is the fewest
moves *within the region* among the plans with at most ``K`` new units (``ExactOutcome.new_units``), each unit
of the plan that keeps households keeping its anchor (or, solved with the centres free, below, its given meeting
point only); when ``K`` is every number of new units a plan of the
region can have (``every_new``), also without that bound (and an infeasible model then proves that no moves
within the region keep every rule: any plan's units can be the model's new units). A region whose model has
more than :data:`MAX_VARIABLES` binary or :data:`MAX_FLOWS` flow variables is not solved here.

*Centres free*: the anchor of a unit given no meeting point is its centre as the plan stood, the broken plan's; the
check walks the repaired unit to its centre as it is then. A household typed into the unit next to its own moves
both centres (its own unit's away from it, the other's towards it), and held there, the move back may keep no
unit within the walking limit: the model had no plan where the one move back passes the check (audit of session
35, AD0257 in Ordino). So where the models holding the anchors (without new units, then with them) have no plan,
the region is solved again with those units (:func:`_rooted`) each given a root of its own choosing, as a new
unit's (the flow sent from it, every household within the limit of it, the root-aware walking cuts), then with new
units the same way: the centre of a repaired unit walks no farther than its root, so its plan passes the check,
and an infeasible model is a proof with the given meeting points held only. A region the anchors allow a plan for
is solved first with them (the models with free roots are larger, and without a walking limit have no numbering
rows), and its optimum is then asked again with the roots free for a plan moving fewer (:func:`_unanchored`, with as
many new units and within :data:`PROOF_WORK`): infeasible, the anchored optimum is the fewest whatever the
centres (``ExactOutcome.free_proof``; the method note then drops "the centre chosen before solving"); a plan found,
it is taken; too large or not solved, the anchored optimum stands and the note keeps that bound. When the model with
free roots is too large or not solved after an infeasible one, the infeasibility stands, proven only with the
anchors held: ``ExactOutcome.anchored``, and the reason says so. A rooted unit's meeting point is its centre after
the moves (``ExactOutcome.meet``). A unit given no meeting point is held, in the anchored model, at the centre of its
own nest group's households as they are (not the centre standing in as its point under a walking limit, which no
new unit could take: a unit over two groups with that centre in the smaller group kept it, session 43's planted
street, 5 moves where 4 suffice), and its old centre is let go (``ExactOutcome.meet``).

*Time*: the repair is made again with other settings (:func:`~yuanluo.gis.repair.repair_plan`), and those repairs write
many of the first's models again: each model is solved once per repair (``_State.memo``, by a digest of its arrays
and the work it is asked within).
A model of :data:`PART_MIN_VARIABLES` or more is first asked part by part (:func:`_part_infeasible`): a part no unit
mixes with the others that has no plan alone proves the region has none; a part that proved one model so is asked
first of the next ones holding it (session 55: test_s28_editor's plan, the same 54 households proved 28 models, asked
after parts with a plan, 21 s of its 30 s of parts). A first placement of households in no unit
takes only a plan keeping every household now in a unit where it is: where one model holding them there has no plan
(:func:`_placeable`), its models are not solved. Session 46: the editor test's plan, 415 s of repair, 40 s.
Every limit is a count (HiGHS's nodes times the model's size, parts, rounds: :data:`SOLVE_WORK`), never the clock,
so the same plan gives the same repair on a busy machine; the clock is only a far safety net (:data:`CLOCK_SECONDS`), said when reached.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from itertools import chain
from typing import TYPE_CHECKING, Any

import numpy as np
import scipy.sparse as sp
from scipy.optimize import Bounds, LinearConstraint
from scipy.sparse.csgraph import dijkstra

from yuanluo.gis.exact import highs_milp as milp  # HiGHS quiet; tests count its solves through this name

if TYPE_CHECKING:
    from yuanluo.gis.repair import _State

#: the largest model solved exactly (binary variables)
MAX_VARIABLES = 4000
#: work (:func:`_work`) the model with new units may take (its rounds together; the renaming rounds each again),
#: after the model without them solved its region: past it that model's plan stands, claimed without new units. A
#: third of :data:`SOLVE_WORK`, as its 20 s were of the 60 s, so that the question whether a new unit helps does not
#: take the work of the models after it
NEW_WORK = 800
#: the most new units one model may open (each adds a variable per household of the region and one per root, and
#: its flows; :func:`_new_count`). Two, so that a unit of about three times the ceiling among units within the band
#: (5|18|5 in 4–6) is mended exactly; measured in session 35 (``bench/results/repair.md``): with the flow's bound
#: :func:`_flow_cap` and the order rows :func:`_rows_order` the streets that need two solve in 0.5–8 s (under the
#: 20 s then allowed; within :data:`NEW_WORK`), and a region whose moves no new unit can lower is not asked (:func:`_worth_opening`)
MAX_NEW_UNITS = 2
#: the most (household, unit) pairs of a region considered at all (the walking-limit filter may drop some)
MAX_PAIRS = 4 * MAX_VARIABLES
#: the most flow variables (continuous) of a model solved exactly
MAX_FLOWS = 40000
#: rounds of lazy contiguity and walking cuts before giving up
MAX_ROUNDS = 40
#: Every limit below is a count of HiGHS's work, never seconds: a run's work is its branch-and-bound nodes (HiGHS's
#: ``mip_max_nodes``; HiGHS, seeded and single-threaded, counts them the same on an idle or a busy machine) and
#: :data:`ROOT_NODES` more for its root, times its variables in thousands (:func:`_work`; a node of a large model is
#: slow, and so is its root). They were seconds (60 s a model, 20 s a proof, 1 s a part), and under load a proof or a
#: solve stopped where it succeeded before, so that the repaired plan or its reasons changed with the machine's load
#: (session 46: a 10.6 s proof left unsolved at 20 s, load 4.7). Now the same plan gives the same repair byte for
#: byte. Measured in session 47 (``bench/results/repair.md``): 30-70 units a second on the bench's walking models.
#:
#: the nodes a run's root counts as (its presolve, LP, cuts and heuristics: a 11,818-variable part, one node, took
#: 10 s; a 1,925-variable model, 276 nodes, 8.5 s), up to :data:`ROOT_SIZE` variables (:func:`_root_nodes`)
ROOT_NODES = 20
#: the variables above which a root counts as more nodes, by the square of its size over this (:func:`_root_nodes`):
#: a root's seconds grow as about the cube of the model's size above some 8,000 variables, a node's work only as its
#: size (session 51, 552 HiGHS runs of the benches, the editor test's plan and the two edited Andorra plans: median
#: 0.1 s at 8,000-12,000 variables, 0.3 s at 12,000-16,000, 10 s at 30,000-45,000, where a 37,812-variable model given
#: one node beyond its root took 122 s and gave up). No model of the benches or of the editor test's plan is above it
#: (the largest: 17,495); at 24,000 the models of Banan's edited plan that prove its region has no plan (40,939
#: variables, 17.7 s) still run within :data:`SOLVE_WORK`, and those with new units (37,812) no longer within NEW_WORK
ROOT_SIZE = 24000
#: work HiGHS may take on one model, all its rounds of lazy cuts together (each round solves it again), before the
#: region is left to the heuristic (``unsolved``, ``gave_up="work"``). About the 60 s it had: the models of slips
#: and cut-off pieces are solved at their root node (the demo's slips, the streets: a few units each); a model that
#: must prove that no split gives every unit a head candidate can take millions
SOLVE_WORK = 2500
#: work all the exact models of one repair may take together (their rounds, the renaming rounds, the models one unit
#: at a time, their parts, the rounds after the heuristic): past it, no model is solved and what is left goes to the
#: heuristic (``unsolved``, ``gave_up="total"``). :data:`SOLVE_WORK` bounds one model only, and a 951-household plan
#: ran on model after model (audit W); three models at their limit fit in it, as 180 s held three of 60 s
TOTAL_WORK = 3 * SOLVE_WORK
#: work the model with the centres free may take to prove an optimum found with them held the fewest
#: (:func:`_unanchored`; its rounds together); past it the optimum stands, claimed with the centres held
PROOF_WORK = 800
#: the variables above which a model of the first exact round waits for a proof: before HiGHS is given it, the
#: heuristic is tried on the whole plan (:func:`~yuanluo.gis.repair._trial`, once per repair), and where its plan
#: passes moving no more households than the repair's lower bound (:func:`~yuanluo.gis.repair._bound`: any plan that
#: passes moves at least so many) it is the fewest, taken, and the model not asked (:class:`Proven`); else the model
#: is asked as before. Session 53: s102's first model (15,812 variables, 200 households) spent 190-200 s and gave up,
#: while another of 15,087 (the demo) closed at a cheap root; no size tells them apart, a proof can
TRIAL_SIZE = 12000
#: the smallest model (variables) whose parts are tried alone before it (:func:`_part_infeasible`): the models of slips
#: and cut-off pieces, far below it, solve in well under a second as they are
PART_MIN_VARIABLES = 5000
#: work HiGHS may take on one part of a large region (:func:`_part_infeasible`; its size: the variables not fixed at
#: 0), and on the one model of a first placement (:func:`_placeable`): 5-75 nodes on the parts of the editor test's
#: plan (4,175-15,943 variables), each proven infeasible or given a plan in 0.01-2.3 s, one left at its nodes in
#: 6.6 s (session 47; they had 1 s, and three of them ran out of it); one not decided within it is left to the whole
#: model, one whose root alone is more (above 19,047 variables) is not asked. At 300 three parts proving their region
#: infeasible in 0.3-0.4 s were not asked, and their whole models took 18 s; not much more: a part asked for any plan
#: can be far harder than its model (the walking bench's seed 6: a part of an 11,135-variable model, 50 nodes in 95 s,
#: the model at its root in 0.5 s)
PART_WORK = 400
#: a part leaving this share of its model's variables free or more is not asked (:func:`_part_infeasible`): it is the
#: model less its objective, and asked for any plan it can be far slower (the walking bench's seed 6: such a part,
#: 11,133 of 11,135 variables free, 36.9 s where the model took 0.45 s; the editor test's parts leave 83-89 % free)
PART_MOST = 0.95
#: the parts of one model asked alone at most, lightest first (:func:`_part_infeasible`, once a model: the rounds of
#: lazy cuts after its first solve only add rows to a model that had a plan)
PARTS = 4
#: the nodes of the first run of a model asked for its optimum (:func:`_highs_run`): its root. One it does not close
#: is run again with a row: at least as many households stay in their unit as in that root's plan
STAGE_NODES = 1
#: the wall-clock safety net, seconds: HiGHS is stopped once one :func:`~yuanluo.gis.repair.repair_plan` (every repair
#: it makes) has run this long from its start. Far above any repair measured (the editor test's plan: about a minute), so
#: that it decides nothing on a machine however busy; reached, the model is left as out of time (``gave_up="time"``)
#: and the repair says so (``repair.note.clock``: the result may differ from a run on a less busy machine)
CLOCK_SECONDS = 1800.0
#: the models one repair solved (``_State.memo``): digest of the model's arrays, the work it was asked within,
#: whether its parts were tried before and whether the repair counts its work → (its optimal x, None when
#: infeasible, :data:`GAVE_UP`;
#: the work that run added to ``model.used``; the work its parts took of the repair's, ``st.work_left``; whether the
#: model's parts were tried after it, ``model.parts_tried``)
Memo = dict[bytes, tuple["np.ndarray | None", float, float, float]]
#: what :func:`_solve` returns for a model HiGHS gave up on (node limit, or the clock), as against ``None`` (infeasible)
GAVE_UP = np.zeros(0, dtype=np.int64)


@dataclass
class Net:
    """The wall-clock safety net of one :func:`~yuanluo.gis.repair.repair_plan` (every exact model of every repair it
    makes): ``stop``, the ``time.monotonic()`` at which HiGHS is stopped (:data:`CLOCK_SECONDS` from the repair's
    start); ``hit``, the HiGHS runs it stopped. The plan is decided by counts only; a run the clock stopped is said
    (``repair.note.clock``), as its result may differ from a run on a less busy machine."""

    stop: float
    hit: int = 0
    #: the progress of the repair (:func:`~yuanluo.gis.repair.repair_plan`'s ``progress``): a catalogue key and its
    #: fields, called as each HiGHS run starts (``repair.step.exact``), each plan is checked, each repair is made
    say: Callable[[str, dict[str, Any]], None] | None = None
    #: the HiGHS runs made so far (the models a memo answered are not run again)
    runs: int = 0

    def tell(self, key: str, **params: Any) -> None:
        """The repair is at ``key`` (a ``repair.step.*`` catalogue key): said to ``say``, where given."""
        if self.say is not None:
            self.say(key, params)

    def left(self) -> float:
        """Seconds left before the net stops HiGHS."""
        return self.stop - time.monotonic()


def _work(nodes: int, size: int) -> float:
    """The work of a HiGHS run of ``nodes`` branch-and-bound nodes on a model of ``size`` variables: its nodes and
    :data:`ROOT_NODES` for its root, times its variables in thousands.

    >>> _work(1, 1925), _work(276, 1925)
    (40.425, 569.8)
    """
    return (nodes + ROOT_NODES) * size / 1000.0


def _root_nodes(size: int) -> float:
    """The nodes the root of a model of ``size`` variables counts as before it is run: :data:`ROOT_NODES`, times
    the square of its size over :data:`ROOT_SIZE` above it. A run whose work leaves no node after it is not run.

    >>> _root_nodes(1925), _root_nodes(24000), _root_nodes(48000)
    (20.0, 20.0, 80.0)
    """
    return ROOT_NODES * max(1.0, size / ROOT_SIZE) ** 2


def _highs_run(st: _State, model: _Model, arrays: Arrays, work: float) -> np.ndarray | None:
    """HiGHS on these arrays (:func:`_matrices`) within ``work`` (:func:`_work`: so many nodes on a model of this
    size, its variables not fixed at 0; and the clock, ``st.net``): the optimal x; None when proven infeasible;
    :data:`GAVE_UP` when it stopped at its nodes or the clock (``model.clocked``), or failed, or its root alone is
    more work (:func:`_root_nodes`: a model above :data:`ROOT_SIZE` variables is not run unless its work leaves a
    node after a root of that many nodes; the nodes HiGHS may take are counted as before). The work it took is
    added to ``model.used``: its nodes, or its root only where HiGHS says none (a proof of infeasibility), or all
    its nodes where it stopped at them.

    A model asked for its optimum (an objective of stays, no row asking a number of them: ``model.stay_row``) is run
    first within its root (:data:`STAGE_NODES`); where that does not close it, again within the nodes left, with the
    row that at least as many households stay in their unit as in the root's plan (the tie-break is less than one
    move in all, :func:`_matrices`, so the optimum keeps as many or more; the same optimum, found with a bound the LP
    holds): changshou's 149-household region, 30 nodes and 15.9 s in one run, took 3 s at its root and 6 s with the
    row, the same plan (session 57). Its work counts both runs. Only a model's first round is so (``model.staged``):
    its later rounds are run once. A model under a walking limit is run once, as before: the walking bench's models
    gained nothing from a root first and paid it twice (seed 5's first root, 3.6 s, had no plan; seed 9's row did not
    help)."""
    c, a_mat, lo, hi, upper, integral = arrays
    net = st.net
    left = net.left() if net is not None else CLOCK_SECONDS
    model.clocked = False
    size = max(int(np.count_nonzero(upper > 0)), 1)
    nodes = int(np.floor(work * 1000.0 / size + 1e-9)) - ROOT_NODES
    if work * 1000.0 / size + 1e-9 < _root_nodes(size) + 1:  # no node left after its root (20 up to ROOT_SIZE)
        return GAVE_UP
    if left <= 0:
        return _clocked(model, net)
    if net is not None:
        net.runs += 1
        net.tell("repair.step.exact", n=net.runs, size=size)

    def run(rows: Any, low: np.ndarray, high: np.ndarray, node_limit: int, seconds: float) -> Any:
        return milp(c, constraints=[LinearConstraint(rows, low, high)], bounds=Bounds(0, upper), integrality=integral,
                    options={"presolve": True, "node_limit": node_limit, "time_limit": seconds})

    start = time.monotonic()
    stays = c == -1.0
    if (nodes > STAGE_NODES + ROOT_NODES and getattr(model, "stay_row", None) is None and bool(stays.any())
            and not getattr(model, "staged", False) and st.rules.max_walk_min is None):  # (a model's stand-in may lack them)
        model.staged = True
        res = run(a_mat, lo, hi, STAGE_NODES, left)
        if res.status not in (0, 2):  # not closed at its root: again, knowing what its root's plan keeps
            model.used += _work(STAGE_NODES, size)
            nodes -= STAGE_NODES + ROOT_NODES
            left -= time.monotonic() - start
            start = time.monotonic()
            if left <= 0:
                return _clocked(model, net)
            if res.x is not None:
                a_mat = sp.vstack([a_mat, sp.csr_matrix(stays.astype(float)[None, :])], format="csr")
                lo, hi = np.append(lo, float(np.round(stays @ res.x))), np.append(hi, np.inf)
            res = run(a_mat, lo, hi, nodes, left)
    else:
        res = run(a_mat, lo, hi, nodes, left)
    took = getattr(res, "mip_node_count", None)
    if res.status == 0 and res.x is not None:
        model.used += _work(max(int(took or 1), 1), size)
        return np.asarray(res.x)
    if res.status == 2:  # proven: no plan of the region keeps every rule
        model.used += _work(1, size)
        return None
    model.used += _work(nodes, size)
    if time.monotonic() - start >= left * 0.999:  # stopped by the clock, not by its nodes
        return _clocked(model, net)
    return GAVE_UP


def _clocked(model: _Model, net: Net | None) -> np.ndarray:
    """:data:`GAVE_UP`, the model noted as stopped by the clock (:class:`Net`), not by its work."""
    model.clocked = True
    if net is not None:
        net.hit += 1
    return GAVE_UP


class Proven(Exception):
    """Raised by a state's ``trial`` (:func:`~yuanluo.gis.repair._trial`) before a model above :data:`TRIAL_SIZE`
    is given to HiGHS: the heuristic's plan, now the state's, passes and moves no more than the lower bound."""


@dataclass
class ExactOutcome:
    """What the exact stage found: ``status`` is ``"optimal"`` (``labels`` set), ``"infeasible"`` (no plan of
    the region keeps every rule), ``"too-large"`` or ``"unsolved"`` (HiGHS or the cut rounds gave up)."""

    status: str
    n_variables: int = 0
    labels: np.ndarray | None = None
    moves: int = 0
    units: list[int] = field(default_factory=list)
    #: unit → meeting household it takes with ``labels`` (a unit renamed to keep more households in place takes
    #: the meeting point of the group it names: :func:`_relabel`)
    meet: dict[int, int] = field(default_factory=dict)
    #: why an ``unsolved`` model was left: ``"work"`` (HiGHS stopped at :data:`SOLVE_WORK`), ``"total"`` (the
    #: exact models of the repair together reached :data:`TOTAL_WORK`), ``"rounds"`` (the lazy cuts still
    #: found something after :data:`MAX_ROUNDS` rounds), ``"time"`` (the safety net :data:`CLOCK_SECONDS`, said by
    #: ``repair.note.clock``); empty otherwise
    gave_up: str = ""
    #: the units the model could open (:func:`_new_count`), and whether that is every number of new units a plan
    #: of the region can have (its proof then needs no "without more new units")
    new_units: int = 0
    every_new: bool = False
    #: the new units ``labels`` opens: numbers from the state's unit count on (the caller makes them units)
    opened: list[int] = field(default_factory=list)
    #: the model without new units had no plan for the region, and this one, with them, has
    past_infeasible: bool = False
    #: the units whose anchor was a variable (each a root of its own choosing, as a new unit's: no meeting point
    #: of theirs given, :func:`_rooted`); the caller drops their old points (``meet``: their centres now)
    rooted: list[int] = field(default_factory=list)
    #: an ``infeasible`` outcome proven only with each unit keeping its anchor (its meeting point, or its centre in
    #: the plan as it stood), the model letting the anchors follow the households too large or not solved: the
    #: reason says so (``repair.why.anchored``)
    anchored: bool = False
    #: an ``optimal`` outcome proven the fewest with the centres of the units given no meeting point free to follow
    #: the moves (:func:`_unanchored`), not only with each held at its anchor; the method note says which
    free_proof: bool = False
    #: the units of the plan that ``labels`` makes an island's (only its households, :class:`_Isles`); the caller
    #: drops their old points (``meet``: the island's centre now, under a walking limit)
    isled: list[int] = field(default_factory=list)
    #: the units of the plan holding only island households that ``labels`` gives households of no island, each
    #: with a root of its own choosing (:func:`_spare`); the caller drops their old points (``meet``: their centres
    #: now, under a walking limit)
    spared: list[int] = field(default_factory=list)
    #: the move budget an ``infeasible`` proof is bounded by (``max_moves``), where the model was asked for fewer new
    #: units than ``new_units`` could be because each moves at least ``least_new`` households (:func:`_with_new`):
    #: no plan within the budget opens more; None: the proof needs no budget
    within_moves: int | None = None
    least_new: int = 0
    #: the households (ids) beyond the walking limit that no move can bring within it, kept in their unit beyond it
    #: in this model (:func:`yuanluo.gis.repair._waived`): an infeasible outcome is a proof with their limit left aside
    waived: list[str] = field(default_factory=list)
    #: of :func:`_relabelled`: the most households of the region that a plan holding every unit at the anchor it was
    #: first asked with (its first model, before any renaming) keeps in their unit, proven by that model's optimum;
    #: -1 where that model proved there is no such plan; None where it proved neither (:func:`_unanchored` then asks
    #: its proof of every plan)
    held_most: int | None = None


@dataclass
class _Isles:
    """The islands of a region (:func:`island_blocks`) and the units each may be: ``block`` (each household's
    island, or -1), ``cand`` (island → the units of the plan in the region it may be: those holding any of its
    households, or that did in the plan as given, but one whose given meeting point is not the island's),
    ``own`` (island → the new unit of its own it may be instead, numbered past the state's units and the
    :data:`MAX_NEW_UNITS` of the band; none where the repair opens no units or the island holds a unit's given
    meeting point), ``first`` (island → its first household, whose variables stand for the island's: an island is
    one unit whole), ``forced`` (unit → the island holding its given meeting point: that island's unit, or closed)."""

    block: np.ndarray
    cand: dict[int, list[int]] = field(default_factory=dict)
    own: dict[int, int] = field(default_factory=dict)
    first: dict[int, int] = field(default_factory=dict)
    forced: dict[int, int] = field(default_factory=dict)

    def of(self, h: int) -> int:
        """The island of household ``h`` among the region's islands, or -1."""
        b = int(self.block[h])
        return b if b in self.cand else -1


@dataclass
class _Block:
    """Rows written as arrays (:func:`_rows_flow`): entry ``i`` is ``data[i]`` at row ``start + ri[i]``, column
    ``ci[i]``; the rows themselves stand in ``_Model.rows`` as placeholders (their bounds, no entry of their own:
    :data:`_ARC_ROW`, :data:`_HOLD_ROW`, :data:`_ROOT_ROW`), so that a row's number is its place in the list as
    before. :func:`_matrices` adds the entries; the row matrix is the same as with each row's dict."""

    start: int
    ri: np.ndarray
    ci: np.ndarray
    data: np.ndarray


#: the placeholders of a :class:`_Block`'s rows in ``_Model.rows`` (one empty dict shared, never written to): a flow
#: bounded by its arc's end (``≤ 0``), a household's flow held (``= 0``), a possible root's (``≥ 0``)
_NO_ENTRY: dict[int, float] = {}
_ARC_ROW = (_NO_ENTRY, -np.inf, 0.0)
_HOLD_ROW = (_NO_ENTRY, 0.0, 0.0)
_ROOT_ROW = (_NO_ENTRY, 0.0, np.inf)


@dataclass
class _Model:
    """The region and its variables: ``pairs`` (household, unit) of the x variables, then open, z, b."""

    hh: np.ndarray
    units: np.ndarray
    pairs: list[tuple[int, int]]
    col: dict[tuple[int, int], int]
    n: int
    open_col: dict[int, int]
    rows: list[tuple[dict[int, float], float, float]] = field(default_factory=list)
    #: rows written as arrays (:func:`_rows_flow`), standing in ``rows`` as placeholders
    blocks: list[_Block] = field(default_factory=list)
    #: variables that are continuous (the flows), with their upper bound
    flows: dict[int, float] = field(default_factory=dict)
    #: other continuous variables (:func:`_rows_order`'s running counts), with their upper bound
    counts: dict[int, float] = field(default_factory=dict)
    #: the units the model may open (numbers past the state's units), each with its root variables
    new: list[int] = field(default_factory=list)
    #: (household, new unit) → the column of ``r[h, v]``: household ``h`` is the root of new unit ``v``
    root_col: dict[tuple[int, int], int] = field(default_factory=dict)
    #: the last solution's values (the roots of the new units are read from it)
    last_x: np.ndarray | None = None
    #: units of the plan whose root is a variable as a new unit's (no anchor: :func:`_rooted`)
    rooted: list[int] = field(default_factory=list)
    #: new units each for one island (``_Isles.own``): only its households, whole, none of the band's rows
    isle: list[int] = field(default_factory=list)
    #: the region's islands and the units each may be
    isles: _Isles | None = None
    #: the units that may hold households of no island (those with an anchor outside the islands, the rooted, the
    #: new): held to the band, the heads and contiguity when they do
    band: set[int] = field(default_factory=set)
    #: unit → the columns ``x[first(B), u]`` of the islands ``B`` it may be (one of them at most, and then nothing
    #: else: no band or head row)
    isl_cols: dict[int, list[int]] = field(default_factory=dict)
    #: the row asking at least so many households to stay in their unit (:func:`_optimum`'s ``stay``), if any
    stay_row: int | None = None
    #: whether its parts were asked alone (:func:`_part_infeasible`: once, before its first solve)
    parts_tried: bool = False
    #: the rows that number the new units of a plan one way only (:func:`_rows_new`, :func:`_rows_order`)
    order_rows: list[int] = field(default_factory=list)
    #: whether it was run within its root first (:func:`_highs_run`, its first round): its later rounds, the same
    #: model with a few cuts more, are run once (the walking bench's seed 5: five rounds, each root 3-4 s without a
    #: plan, then run as before; seed 9: rounds whose row did not help, each root paid twice)
    staged: bool = False
    #: the work HiGHS took on it so far (:func:`_work`: its parts, its rounds), and whether its last run was stopped
    #: by the clock (:class:`Net`), not by its work
    used: float = 0.0
    clocked: bool = False

    def island(self, h: int) -> bool:
        """Whether household ``h`` is of one of the region's islands (its rows are the island's, not the band's)."""
        return self.isles is not None and self.isles.of(h) >= 0

    def add(self, coef: dict[int, float], lo: float, hi: float) -> None:
        self.rows.append((coef, lo, hi))


def affected_region(st: _State, bad_units: set[int], free: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Household positions and unit numbers of the region: the affected units, their neighbours, the units
    their households came from and went to (in the plan as given), the unassigned households ``free``, and
    every unit holding part of a settlement that fits in one unit; not the units the check excuses as they
    stand (``_State.frozen``), unless affected."""
    units = set(bad_units)
    for j in list(bad_units):
        units.update(st.unit_nbrs(j))
        # the units its households came from and those its own households are in now: where a move undoes
        mem = np.fromiter(st.members[j], dtype=np.int64)
        units.update(int(u) for u in np.unique(st.orig[mem]) if u >= 0)
        units.update(int(u) for u in np.unique(st.lab[st.orig == j]) if u >= 0)
    for h in free.tolist():
        units.update(int(st.lab[y]) for y in st.cnbrs(h).tolist() if st.lab[y] >= 0)
    if st.settle is not None and len(st.settle_small):
        for _ in range(2):
            inside = np.isin(st.lab, sorted(units))
            touched = np.unique(st.settle[inside & (st.settle >= 0) & st.settle_small[np.maximum(st.settle, 0)]])
            units.update(int(u) for u in np.unique(st.lab[np.isin(st.settle, touched) & (st.lab >= 0)]))
    units_arr = np.array(sorted(u for u in units if st.members[u] and (u in bad_units or u not in st.frozen)),
                         dtype=np.int64)
    hh = np.flatnonzero(np.isin(st.lab, units_arr) | np.isin(np.arange(len(st.lab)), free))
    return hh, units_arr


def island_blocks(st: _State) -> np.ndarray:
    """Each household's island (a block number), or -1: the pieces of one nest group linked by the check's
    links (the graph's edges and the long joins within the join limit) smaller than the band's floor. The
    check excuses such a piece, held as one unit, as an exception (SIZE-EXCEPTION); a larger piece whose size
    no split fits holds units within the band beside its exception, and is not an island here. Found once per
    repair (the links and the weights do not change as households move)."""
    if st.islands is None:
        from yuanluo.gis.repair import nest_pieces

        _, comp, tot = nest_pieces(st, st.cindptr, st.cindices)
        st.islands = np.where((tot < st.rules.min_size)[comp], comp, -1)
    return st.islands


#: rounds of :func:`island_region` adding the units of the region's islands (each round may reach another island)
ISLAND_ROUNDS = 8


def island_region(st: _State, bad_units: set[int], free: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """:func:`affected_region`, with every unit holding a household of an island of the region or that held one in
    the plan as given (even a unit the plan emptied, or one the check excuses as it stands), and every household of
    such an island in no unit: an island is one unit, whole, and where it goes (a unit it was in, or a unit of its
    own) decides whether a unit keeps its name with the island or with others; decided in one model with the units it
    touches, not by the order in which models are solved (audit of session 37: an island household typed into a band
    unit, solved apart from its own island's unit, moved two households where one move mends the plan). A unit the
    island was the main piece of (:func:`_island_homes`) comes as an affected unit, with the units next to it; another
    (a unit of the band an island household was typed into) with its own households only. Not locked units: an island
    with a household in one is left as it stands (:func:`_stranded`)."""
    block = island_blocks(st)
    bad, loose = set(bad_units), {int(h) for h in free.tolist()}
    # the unit a household in no unit was taken out of (a piece cut off from an island: _detach_strays), holding only
    # island households now: it may take it back (:func:`_spare`)
    extra = {int(st.orig[h]) for h in loose if st.orig[h] >= 0 and int(st.orig[h]) not in st.locked
             and st.members[int(st.orig[h])] and bool((block[sorted(st.members[int(st.orig[h])])] >= 0).all())}
    hh, units = affected_region(st, bad, free)
    if extra - set(units.tolist()):
        units = np.union1d(units, np.array(sorted(extra), dtype=np.int64))
        hh = np.flatnonzero(np.isin(st.lab, units) | np.isin(np.arange(len(st.lab)), sorted(loose)))
    for _ in range(ISLAND_ROUNDS):
        isl = np.unique(block[hh][block[hh] >= 0])
        if not len(isl):
            break
        mem = np.flatnonzero(np.isin(block, isl))
        held = ({int(u) for u in st.lab[mem]} | {int(u) for u in st.orig[mem]}) - {-1} - st.locked
        more, more_free = held - set(units.tolist()), {int(h) for h in mem[st.lab[mem] < 0]} - loose
        if not more and not more_free:
            break
        homes = _island_homes(st, block, isl)
        bad |= more & homes
        extra |= more - homes
        loose |= more_free
        hh, units = affected_region(st, bad, np.array(sorted(loose), dtype=np.int64))
        units = np.union1d(units, np.array(sorted(extra | (bad - set(units.tolist()))), dtype=np.int64))
        hh = np.flatnonzero(np.isin(st.lab, units) | np.isin(np.arange(len(st.lab)), sorted(loose)))
    return hh, units


def _island_homes(st: _State, block: np.ndarray, isl: np.ndarray) -> set[int]:
    """The units of the plan as given that the islands ``isl`` were the main piece of: each unit holding an island's
    households (now, or in the plan as given) with no connected piece of others heavier than them in the plan as
    given (households typed into an island's unit are pieces of their own). A unit of the band an island household
    was typed into (one household of 30) is none: it comes into the model without the units next to it."""
    out: set[int] = set()
    for b in isl.tolist():
        mem = np.flatnonzero(block == b)
        for u in np.unique(np.r_[st.orig[mem], st.lab[mem]]).tolist():
            if u < 0:
                continue
            own = float(st.w[mem[st.orig[mem] == u]].sum())
            rest = set(np.flatnonzero((st.orig == u) & (block != b)).tolist())
            if all(float(st.w[sorted(p)].sum()) <= own for p in st.pieces(rest)):
                out.add(int(u))
    return out


def _stranded(st: _State, hh: np.ndarray, units: np.ndarray, block: np.ndarray) -> np.ndarray:
    """Which households of ``hh`` are of an island the model cannot move whole: one with a household outside the
    region (in a locked unit, say), or held by a declared split (``_State.pinned``) to a unit outside it. They
    are left as they stand (not a proof)."""
    inside, there = set(units.tolist()), set(hh.tolist())
    out = np.zeros(len(hh), dtype=bool)
    for b in np.unique(block[hh][block[hh] >= 0]).tolist():
        mem = np.flatnonzero(block == b)
        if any(h not in there or (st.lab[h] >= 0 and int(st.lab[h]) not in inside) or
               (h in st.pinned and st.pinned[h] not in inside) for h in mem.tolist()):
            out |= block[hh] == b
    return out


def _isles(st: _State, hh: np.ndarray, units: np.ndarray, block: np.ndarray, meet: dict[int, int],
           gone: set[int]) -> _Isles:
    """The islands among ``hh`` and the units each may be (:class:`_Isles`): a unit of the region holding any of its
    households or that held one in the plan as given, but not one whose given meeting point (``meet``, not ``gone``)
    is elsewhere; a new unit of its own, where the repair opens units, unless the island holds a unit's given meeting
    point; a unit held by a declared split, only that one."""
    out = _Isles(block=block)
    inside = set(units.tolist())
    given = {u: m for u, m in meet.items() if u in st.meet_given and u not in gone}
    out.forced = {u: int(block[m]) for u, m in given.items() if block[m] >= 0}
    first = len(st.unit_ids) + MAX_NEW_UNITS
    for i, b in enumerate(np.unique(block[hh][block[hh] >= 0]).tolist()):
        mem = hh[block[hh] == b].tolist()
        out.first[b] = min(mem)
        near = ({int(st.lab[h]) for h in mem} | {int(st.orig[h]) for h in mem}) & inside
        pins = {st.pinned[h] for h in mem if h in st.pinned}
        out.cand[b] = sorted(u for u in near if (u not in given or int(block[given[u]]) == b)
                             and (not pins or u in pins))
        if st.new_units and not pins and not {m for m in given.values() if block[m] == b}:
            out.own[b] = first + i
    return out


def _region_walk(st: _State, hh: np.ndarray) -> tuple[np.ndarray, dict[int, int]]:
    """Walking minutes between the region's households over the graph restricted to the region
    (``d[a, b]``: from ``hh[a]`` to ``hh[b]``), and the position of each household in ``hh``."""
    at = {int(h): i for i, h in enumerate(hh.tolist())}
    sub = st.walk[hh][:, hh]
    return np.asarray(dijkstra(sub, directed=True)), at


def _build(st: _State, hh: np.ndarray, units: np.ndarray, meet: dict[int, int],
           d: np.ndarray | None, at: dict[int, int], anchors: dict[int, int],
           *, isles: _Isles | None = None, band: Collection[int] | None = None,
           new: Collection[int] = (), rooted: Collection[int] = ()) -> _Model | None:
    """The variables and the rows that do not need a solution to be written (``isles``: the region's islands and
    the units each may be, :func:`_isles`; ``band``: the units of the plan that may hold households of no island,
    all by default; ``new``: the numbers of the units it may open, each with a root of its own, :func:`_rows_new`;
    ``rooted``: units of the plan that take a root of their own choosing too, no anchor, :func:`_rooted`). An
    island's household pairs only with the units its island may be (``isles.cand`` and ``isles.own``), another
    only with the units of the band."""
    limit = st.rules.max_walk_min
    isles = isles or _Isles(block=np.full(len(st.lab), -1, dtype=np.int64))
    new = [int(v) for v in new]
    rooted = [int(u) for u in rooted]
    own = sorted(isles.own.values())
    kept = _kept_points(st) if new else set()
    if rooted:  # a rooted unit's old centre is no meeting point any more: it may go to a new unit like any household
        kept -= {st.meet[u] for u in rooted if u in st.meet and st.meet[u] not in st.pinned}
    band_units = (set(units.tolist()) if band is None else {int(u) for u in band}) | set(new)
    units = np.concatenate([units, np.array(new + own, dtype=np.int64)])
    pairs: list[tuple[int, int]] = []
    keys_of: dict[int, set[int]] = {int(u): set() for u in units}
    for h in hh.tolist():
        b = isles.of(h)
        for u in units.tolist() if b < 0 else [*isles.cand[b], *([isles.own[b]] if b in isles.own else [])]:
            if b < 0 and u not in band_units:
                continue
            if u in new and h in kept:  # a unit's given meeting point never leaves it for a new unit
                continue
            m = meet.get(u)
            if b < 0 and limit is not None and m is not None and d is not None and d[at[h], at[m]] > limit + 1e-9 \
                    and not (h in st.walk_waived and u == st.lab[h]):  # a waived one stays in its unit beyond it
                continue
            pairs.append((h, u))
            keys_of[u].add(int(st.key[h]))
    col = {p: i for i, p in enumerate(pairs)}
    n = len(pairs)
    open_col = {int(u): n + i for i, u in enumerate(units.tolist())}
    n += len(units)
    with_root = set(new) | set(rooted)
    root_col = {(h, v): n + i for i, (h, v) in enumerate(p for p in pairs if p[1] in with_root and isles.of(p[0]) < 0)}
    n += len(root_col)
    if n > MAX_VARIABLES:
        return None
    model = _Model(hh, units, pairs, col, n, open_col, new=new, root_col=root_col, rooted=rooted, isle=own,
                   isles=isles, band=band_units)
    z_col: dict[tuple[int, int], int] = {}
    for u in units.tolist():
        if len(keys_of[u]) > 1:
            for k in sorted(keys_of[u]):
                z_col[(u, k)] = model.n
                model.n += 1
    for b, us in isles.cand.items():  # y[B, u]: the column of the island's first household
        for u in us:
            model.isl_cols.setdefault(u, []).append(col[(isles.first[b], u)])
    _rows_basic(st, model, meet, z_col, anchors)
    _rows_isles(model)
    _rows_new(st, model, d, at)
    _rows_flow(st, model, anchors)
    if len(model.flows) > MAX_FLOWS:
        return None
    return model


def _rows_basic(st: _State, model: _Model, meet: dict[int, int], z_col: dict[tuple[int, int], int],
                anchors: dict[int, int]) -> None:
    """Assignment, size, nesting, heads, settlements and meeting-point rows. A unit that may be an island's
    (``model.isl_cols``) is held to the band and the heads, and keeps its anchor, only while it is none:
    ``min·(open[u] − Σ_B y[B, u]) ≤ size``, a head unless ``y``, ``x[a_u, u] = open[u] − Σ_B y[B, u]``; a unit that
    holds no household outside the islands (``model.band``) has none of these rows."""
    r, col = st.rules, model.col
    by_h: dict[int, list[int]] = {}
    by_u: dict[int, list[int]] = {}
    for (h, u), c in col.items():
        by_h.setdefault(h, []).append(c)
        by_u.setdefault(u, []).append(c)
    for h in model.hh.tolist():
        model.add(dict.fromkeys(by_h.get(h, []), 1.0), 1.0, 1.0)
    excusable = head_allowance(st, model) if st.head is not None else {}
    excuse_cols: dict[int, list[int]] = {}  # area → the columns e[u, a] of its units
    for u in model.units.tolist():
        o = model.open_col[u]
        isl = dict.fromkeys(model.isl_cols.get(u, []), 1.0)
        size = {c: float(st.w[model.pairs[c][0]]) for c in by_u.get(u, [])}
        if u in model.band:
            model.add({**size, o: -float(r.min_size), **{c: float(r.min_size) for c in isl}}, 0.0, np.inf)
            model.add({**size, o: -float(r.max_size)}, -np.inf, 0.0)
        for c in by_u.get(u, []):
            model.add({c: 1.0, o: -1.0}, -np.inf, 0.0)
        zs = {k: c for (uu, k), c in z_col.items() if uu == u}
        if zs:
            model.add(dict.fromkeys(zs.values(), 1.0), -np.inf, 1.0)
            for c in by_u.get(u, []):
                model.add({c: 1.0, zs[int(st.key[model.pairs[c][0]])]: -1.0}, -np.inf, 0.0)
        if st.head is not None and u in model.band:
            _rows_heads(st, model, u, [c for c in by_u.get(u, []) if not model.island(model.pairs[c][0])], isl,
                        excusable, by_u.get(u, []), excuse_cols)
        m = anchors.get(u)
        if m is not None and (m, u) in col:
            model.add({col[(m, u)]: 1.0, o: -1.0, **({} if model.island(m) else isl)}, 0.0, 0.0)
    for a, es in sorted(excuse_cols.items()):  # no more units of an area without a candidate than the check excuses
        model.add(dict.fromkeys(es, 1.0), -np.inf, float(excusable[a]))
    _rows_settlements(st, model)
    for h, home in st.pinned.items():  # a declared settlement split holds while each household is where it was put
        pin = col.get((h, home))
        if pin is not None:
            model.add({pin: 1.0}, 1.0, 1.0)
    _rows_neighbour(st, model, by_h)


def _rows_isles(model: _Model) -> None:
    """An island is one unit, whole: each of its households where its first is (``x[h, u] = x[first(B), u]``); a
    unit is one island's at most (``Σ_B y[B, u] ≤ 1``) and, while it is, holds no other household
    (``x[h, u] + Σ_B y[B, u] ≤ 1``). Its contiguity needs no flow: an island is linked within itself, and none of
    it links to a household outside it."""
    isles = model.isles
    if isles is None or not isles.cand:
        return
    members: dict[int, list[int]] = {}
    others: dict[int, list[int]] = {}  # unit that may be an island's → its columns of households of no island
    for h in model.hh.tolist():
        if isles.of(h) >= 0:
            members.setdefault(isles.of(h), []).append(h)
    for (h, u), c in model.col.items():
        if u in model.isl_cols and not model.island(h):
            others.setdefault(u, []).append(c)
    for b, us in isles.cand.items():
        r = isles.first[b]
        for u in [*us, *([isles.own[b]] if b in isles.own else [])]:
            for h in members[b]:
                if h != r and (h, u) in model.col:
                    model.add({model.col[(h, u)]: 1.0, model.col[(r, u)]: -1.0}, 0.0, 0.0)
    for u, cs in model.isl_cols.items():
        if len(cs) > 1:
            model.add(dict.fromkeys(cs, 1.0), -np.inf, 1.0)
        for c in others.get(u, []):
            model.add({c: 1.0, **dict.fromkeys(cs, 1.0)}, -np.inf, 1.0)


def _rows_new(st: _State, model: _Model, d: np.ndarray | None, at: dict[int, int]) -> None:
    """The rows of the units the model may open (``model.new``) beyond those every unit has: one root among its
    households when open (``Σ_h r[h, v] = open[v]``, ``r[h, v] ≤ x[h, v]``), opened in order (``open[v] ≥
    open[v + 1]``: no two numberings of one plan), and under a walking limit no household farther than the
    limit from the root (``Σ_{h: d(h, k) > L} x[h, v] ≤ |…|·(1 - r[k, v])``, walked over the region; the walk
    within the unit is held by the cuts, :func:`_walk_cuts`). The units of the plan with a root of their own choosing
    (``model.rooted``, :func:`_rooted`) have the same rows but the order; one that may be an island's has a root
    only while it is none (``Σ_h r[h, v] = open[v] − Σ_B y[B, v]``), the root never an island's household."""
    limit = st.rules.max_walk_min
    if limit is None:
        _rows_order(model)
    for i, v in enumerate([*model.new, *model.rooted]):
        o = model.open_col[v]
        roots = {c: 1.0 for (h, u), c in model.root_col.items() if u == v}
        model.add({**roots, o: -1.0, **dict.fromkeys(model.isl_cols.get(v, []), 1.0)}, 0.0, 0.0)
        for (h, u), c in model.root_col.items():
            if u == v:
                model.add({c: 1.0, model.col[(h, v)]: -1.0}, -np.inf, 0.0)
        if 0 < i < len(model.new):
            model.order_rows.append(len(model.rows))
            model.add({model.open_col[model.new[i - 1]]: 1.0, o: -1.0}, 0.0, np.inf)
        if limit is None or d is None:
            continue
        # the households of the region that may be in ``v`` (outside islands), in the region's order, and their
        # columns: each root's far ones picked from them at once (the same rows as asking each household in turn)
        mine = [h for h in model.hh.tolist() if (h, v) in model.col and not model.island(h)]
        cols = np.array([model.col[(h, v)] for h in mine], dtype=np.int64)
        rows_at = np.array([at[h] for h in mine], dtype=np.int64)
        for (k, u), c in model.root_col.items():
            if u != v:
                continue
            far = cols[d[rows_at, at[k]] > limit + 1e-9].tolist()
            if far:
                model.add({**dict.fromkeys(far, 1.0), c: float(len(far))}, -np.inf, float(len(far)))


def _rows_order(model: _Model) -> None:
    """Without a walking limit, one numbering of each plan of the new units: the root of a new unit is its first
    household in the order of ``model.hh`` (``r[h_j, v] ≥ x[h_j, v] − c[j − 1, v]``, with the running count
    ``c[j, v] = Σ_{i ≤ j} x[h_i, v]``), and a new unit's first household comes after the first of the new unit
    before it (``x[h_j, v] ≤ c[j − 1, v − 1]``). Every plan keeps one numbering (any member of a unit can send its
    flow, and the new units can be numbered by their first households), so the optimum is the same; without the
    rows the model has one copy of each plan per root and per order of its new units, and a model with two of them
    ran past ``NEW_SECONDS`` (20 s, then its limit) on streets of 110 households (session 35). Under a walking limit the root is the
    point the unit walks to, which need not be its first household: no rows. A unit of the plan with a root of its
    own choosing (``model.rooted``) has its first household as its root too (without it, one copy of each plan per
    household of the unit: a street of 30 households, 2|9|1|8|9, took 7.9 s, with it 3.2 s; session 36), not the
    order. The households of islands are not counted (never a root: a unit holding an island holds nothing else)."""
    hh = [h for h in model.hh.tolist() if not model.island(h)]
    rooted = [*model.new, *model.rooted]
    before: dict[int, list[int | None]] = {}  # new unit → the column of c[j − 1, v] for each j (None: 0)
    for v in rooted:
        prev: int | None = None
        out: list[int | None] = []
        for h in hh:
            out.append(prev)
            c = model.col.get((h, v))
            if c is None:
                continue
            cv = model.n
            model.n += 1
            model.counts[cv] = float(len(hh))
            model.add({cv: 1.0, c: -1.0, **({prev: -1.0} if prev is not None else {})}, 0.0, 0.0)
            prev = cv
        before[v] = out
    for i, v in enumerate(rooted):
        for j, h in enumerate(hh):
            c = model.col.get((h, v))
            if c is None:
                continue
            b = before[v][j]
            model.add({model.root_col[(h, v)]: 1.0, c: -1.0, **({b: 1.0} if b is not None else {})}, 0.0, np.inf)
            if 0 < i < len(model.new):
                p = before[model.new[i - 1]][j]
                model.order_rows.append(len(model.rows))
                model.add({c: 1.0, **({p: -1.0} if p is not None else {})}, -np.inf, 0.0)


def _flow_cap(st: _State, model: _Model) -> float:
    """The most households one unit of the model can hold: the most of the region's households whose weights
    together stay within the ceiling (an island's unit holds less than the floor). The bound ``M`` of the flow
    rows: ``len(hh)`` is as valid, but with new units it leaves the relaxation so loose that a model with two of
    them ran past ``NEW_SECONDS`` (20 s, then its limit) where this bound solves it in seconds (session 35). Only for a model with
    new units; the model without them is as it was (with units rooted as they are, :func:`_rooted`, the bound made
    a street of 30 households slower, 3.2 → 11 s, session 36)."""
    n = len(model.hh)
    if not model.new:
        return float(n)
    held = int(np.searchsorted(np.cumsum(np.sort(st.w[model.hh])), float(st.rules.max_size) + 1e-9, side="right"))
    return float(min(n, max(held, 1)))


def _rows_flow(st: _State, model: _Model, anchors: dict[int, int]) -> None:
    """Contiguity as a single-commodity flow: the anchor of an open unit sends one unit of flow to each of
    its other households along edges inside the unit (``f[a→b, u] ≤ M·x[a, u]``, ``≤ M·x[b, u]``): the links the
    check holds a unit together by (:meth:`~yuanluo.gis.repair._State.cnbrs`: the graph's edges, and a long join
    only where it joins an island, :func:`~yuanluo.gis.check.long_joins`). A unit the model may open has its
    root as a variable (``r[h, v]``): each of its households takes in one unit of flow more than it sends on, but
    its root, which may send up to ``M`` (``inflow − outflow ≥ x[h, v] − M·r[h, v]``). The households of islands
    have no flow: an island is one unit whole (:func:`_rows_isles`), linked within itself and to nothing else.

    Written a unit at a time with arrays (:class:`_Block`, read by :func:`_matrices`): per unit, its arcs in the
    order of their tail, then of the tail's neighbours (``f``, numbered so), two rows an arc, then a row per
    household of the unit but its anchor, in household order (session 61 E: the rows as dicts were 8 of the 58 s of
    test_s28's repair). The same rows, columns and bounds as writing each row's dict."""
    cap = _flow_cap(st, model)
    inside = sorted(h for h in model.hh.tolist() if not model.island(h))
    if not inside:
        return
    pairs = [(a, int(b)) for a in inside for b in st.cnbrs(a).tolist()]
    inset = set(inside)
    arcs = np.array([(a, b) for a, b in pairs if b in inset and a != b], dtype=np.int64).reshape(-1, 2)
    tail, head = arcs[:, 0], arcs[:, 1]
    hh = np.array(inside, dtype=np.int64)
    top = int(max(hh.max(), arcs.max() if len(arcs) else 0)) + 1
    by_unit: dict[int, list[tuple[int, int]]] = {}
    for (h, u), c in model.col.items():
        by_unit.setdefault(u, []).append((h, c))
    for u in model.units.tolist():
        if u in model.isle:
            continue
        root = anchors.get(u, -1)  # -1: a new unit, whose root is a variable
        colu = np.full(top, -1, dtype=np.int64)  # household → its column x[h, u], -1 where it has none
        for h, c in by_unit.get(u, []):
            if h < top:
                colu[h] = c
        ca, cb = colu[tail], colu[head]
        keep = (ca >= 0) & (cb >= 0) & (head != root)
        ca, cb, a, b = ca[keep], cb[keep], tail[keep], head[keep]
        k = len(ca)
        f = np.arange(model.n, model.n + k, dtype=np.int64)
        model.n += k
        model.flows.update(dict.fromkeys(f.tolist(), cap))
        # the households with a row of their own (a column in u, not its anchor), in household order
        mine = hh[(colu[hh] >= 0) & (hh != root)]
        at = np.full(top, -1, dtype=np.int64)
        at[mine] = np.arange(len(mine), dtype=np.int64)
        rc = np.array([model.root_col.get((h, u), -1) for h in mine.tolist()], dtype=np.int64)
        start = len(model.rows)
        two = np.arange(2 * k, dtype=np.int64)
        out = at[a] >= 0  # the arc's tail sends it on (an anchor sends without a row of its own)
        ri = np.concatenate([two, two, 2 * k + at[b], 2 * k + at[a[out]], 2 * k + np.arange(len(mine)),
                             2 * k + np.flatnonzero(rc >= 0)])
        ci = np.concatenate([np.repeat(f, 2), np.stack([ca, cb], axis=1).ravel(), f, f[out], colu[mine], rc[rc >= 0]])
        data = np.concatenate([np.ones(2 * k), np.full(2 * k, -cap), np.ones(k), np.full(int(out.sum()), -1.0),
                               np.full(len(mine), -1.0), np.full(int((rc >= 0).sum()), cap)])
        model.blocks.append(_Block(start, ri, ci, data))
        model.rows.extend([_ARC_ROW] * (2 * k))
        model.rows.extend([_ROOT_ROW if r >= 0 else _HOLD_ROW for r in rc.tolist()])


def _rows_neighbour(st: _State, model: _Model, by_h: dict[int, list[int]]) -> None:
    """When no household alone reaches the floor, a household of a unit has a neighbour in it:
    ``x[h, u] ≤ Σ_{k next to h} x[k, u]`` (the first contiguity cuts, written at once). Not for a household of an
    island, which the band does not hold: an island of one household is a unit of one, with no neighbour in it (the
    row made its model infeasible, and the repair said no plan kept the rules)."""
    if float(st.w[model.hh].max()) >= st.rules.min_size:
        return
    for h in model.hh.tolist():
        if model.island(h):
            continue
        for c in by_h.get(h, []):
            u = model.pairs[c][1]
            coef = {c: 1.0}
            for k in st.cnbrs(h).tolist():
                if (k, u) in model.col:
                    coef[model.col[(k, u)]] = -1.0
            model.add(coef, -np.inf, 0.0)


def head_allowance(st: _State, model: _Model) -> dict[int, int]:
    """Area → how many units of the model lying wholly in it may lack a candidate head: the check's rule
    (:func:`~yuanluo.gis.check.rule_head`), which excuses the units of an area (:class:`~yuanluo.gis.check.HeadAreas`)
    without a candidate, as HEAD-EXCEPTION, while they are no more than the area must have in any plan
    (:meth:`~yuanluo.gis.check.HeadAreas.unavoidable`: its candidates fewer than the units its size needs, by the
    shortfall, or a plain proof that no split gives every unit one). The units outside the model stay as they are,
    so those of them without a candidate lying wholly in the area count against it. Only the areas of the model's
    households of no island, where some unit may lack one; none without :attr:`_State.head_areas`."""
    ha = st.head_areas
    if ha is None or st.head is None:
        return {}
    inside = set(model.units.tolist())
    out: dict[int, int] = {}
    for a in sorted({int(ha.area[h]) for h in model.hh.tolist() if not model.island(h)}):
        allow = ha.unavoidable(a)
        if allow <= 0:
            continue
        held = np.flatnonzero(ha.area == a)
        for u in sorted({int(x) for x in st.lab[held]} - inside - {-1}):
            mem = sorted(st.members[u])
            if mem and not st.head[mem].any() and bool((ha.area[mem] == a).all()):
                allow -= 1
        if allow > 0:
            out[a] = allow
    return out


def _rows_heads(st: _State, model: _Model, u: int, cols: list[int], isl: dict[int, float] | None = None,
                excusable: dict[int, int] | None = None, all_cols: list[int] | None = None,
                excuse_cols: dict[int, list[int]] | None = None) -> None:
    """At least one candidate head in an open unit; two above ``heads_for_size`` (binary ``b``); none while the
    unit is an island's (``isl``: its columns ``y[B, u]``; ``cols`` holds no island household).

    Where the check would excuse a unit without a candidate (``excusable``: area → how many of the model's units,
    :func:`head_allowance`), the unit may have none instead: a binary ``e[u, a]`` per area ``a`` it may lie in,
    ``heads + Σ_a e[u, a] ≥ open[u]`` (``+ 2·Σ_a e`` against ``open + b``), ``Σ_a e[u, a] ≤ 1``, no candidate
    while excused (``heads + |heads|·Σ_a e ≤ |heads|``: a unit with one candidate is not lacking, and above
    ``heads_for_size`` it is PLAN-FEW-HEADS), wholly in ``a`` (``Σ_{h ∉ a} x[h, u] ≤ |…|·(1 − e[u, a])``: the
    check excuses only a unit lying in one area), and no more of an area's than it allows (written by the caller
    from ``excuse_cols``)."""
    assert st.head is not None
    heads = {c: 1.0 for c in cols if st.head[model.pairs[c][0]]}
    heads.update(isl or {})
    o = model.open_col[u]
    excuse: dict[int, int] = {}
    if excusable and st.head_areas is not None and excuse_cols is not None:
        area = st.head_areas.area
        for a in sorted({int(area[model.pairs[c][0]]) for c in cols} & excusable.keys()):
            excuse[a] = model.n
            model.n += 1
            excuse_cols.setdefault(a, []).append(excuse[a])
        for a, e in excuse.items():
            off = [c for c in (all_cols or cols) if int(area[model.pairs[c][0]]) != a]
            if off:
                model.add({**dict.fromkeys(off, 1.0), e: float(len(off))}, -np.inf, float(len(off)))
        if excuse:
            model.add(dict.fromkeys(excuse.values(), 1.0), -np.inf, 1.0)
            if heads:
                model.add({**heads, **dict.fromkeys(excuse.values(), float(len(heads)))}, -np.inf, float(len(heads)))
    big = st.rules.heads_for_size
    if big is None or big >= st.rules.max_size:
        model.add({**heads, o: -1.0, **dict.fromkeys(excuse.values(), 1.0)}, 0.0, np.inf)
        return
    b = model.n
    model.n += 1
    model.add({**heads, o: -1.0, b: -1.0, **dict.fromkeys(excuse.values(), 2.0)}, 0.0, np.inf)
    size = {c: float(st.w[model.pairs[c][0]]) for c in cols}
    model.add({**size, b: -float(st.rules.max_size - big)}, -np.inf, float(big))


def _rows_settlements(st: _State, model: _Model) -> None:
    """A settlement that fits in one unit: all its households share a unit."""
    if st.settle is None:
        return
    s = st.settle[model.hh]
    for code in np.unique(s[s >= 0]).tolist():
        if not st.settle_small[code]:
            continue
        mem = model.hh[s == code].tolist()
        first = mem[0]
        for h in mem[1:]:
            for u in model.units.tolist():
                a, b = model.col.get((first, u)), model.col.get((h, u))
                if a is None and b is None:
                    continue
                coef = {a: 1.0} if a is not None else {}
                if b is not None:
                    coef[b] = coef.get(b, 0.0) - 1.0
                model.add(coef, 0.0, 0.0)


def too_few_heads(st: _State, model: _Model) -> bool:
    """Whether counting alone proves the model has no plan: every household of the region is in a unit of the
    band (no island in the model), so it opens at least ⌈size / max⌉ units, and each open unit holds a candidate
    of its own or is one of the units the check excuses (:func:`head_allowance`), so it opens at most the region's
    candidates plus those allowances. Found on the Andorra sample (951 households, a 341-household area of 二组 with
    4 candidates in 10 units, 6 without one where the check excuses 5): regions of 6 units and 216 households with 2
    candidates and 3 excusable, solved and proven infeasible by HiGHS in 16 s and 15 s, gave up at 20 s, of the
    180 s all the exact models may take; here in no time, leaving it to the regions that may mend something."""
    if st.head is None or model.isl_cols or model.isle or not set(model.units.tolist()) <= model.band:
        return False
    if any(model.island(h) for h in model.hh.tolist()):
        return False
    size = float(st.w[model.hh].sum())
    fewest = int(np.ceil(size / float(st.rules.max_size) - 1e-9))
    return fewest > int(st.head[model.hh].sum()) + sum(head_allowance(st, model).values())


#: a model as HiGHS takes it (:func:`_matrices`): objective, row matrix, row bounds (low, high), column upper bounds,
#: integrality
Arrays = tuple[np.ndarray, sp.csr_matrix, np.ndarray, np.ndarray, np.ndarray, np.ndarray]


def _matrices(st: _State, model: _Model) -> Arrays:
    """The model as HiGHS takes it: objective, row matrix, row bounds, column upper bounds and integrality. The
    objective counts a household leaving its unit as one move (``-1`` on staying), with a tie-break of less than
    one move in all towards the unit the delineation gave it."""
    c = np.zeros(model.n)
    eps = 0.5 / max(len(model.hh), 1)  # all of them together less than one move: a tie-break only
    for (h, u), i in model.col.items():
        if st.orig[h] == u:
            c[i] = -1.0
        elif st.home[h] == u:  # a move that ties goes to the unit the delineation gave the household
            c[i] = -eps
    rows = model.rows
    count = np.fromiter((len(coef) for coef, _, _ in rows), dtype=np.int64, count=len(rows))
    total = int(count.sum())
    ri = np.repeat(np.arange(len(rows), dtype=np.int64), count)
    ci = np.fromiter(chain.from_iterable(coef for coef, _, _ in rows), dtype=np.int64, count=total)
    data = np.fromiter(chain.from_iterable(coef.values() for coef, _, _ in rows), dtype=float, count=total)
    lo = [a for _, a, _ in rows]
    hi = [b for _, _, b in rows]
    if model.blocks:  # the rows written as arrays (their placeholders above hold no entry)
        ri = np.concatenate([ri, *(b.ri + b.start for b in model.blocks)])
        ci = np.concatenate([ci, *(b.ci for b in model.blocks)])
        data = np.concatenate([data, *(b.data for b in model.blocks)])
    a_mat = sp.csr_matrix((data, (ri, ci)), shape=(len(model.rows), model.n))
    upper, integral = np.ones(model.n), np.ones(model.n)
    for caps in (model.flows, model.counts):
        if caps:
            at = np.fromiter(caps.keys(), dtype=np.int64, count=len(caps))
            upper[at], integral[at] = np.fromiter(caps.values(), dtype=float, count=len(caps)), 0
    return c, a_mat, np.asarray(lo, dtype=float), np.asarray(hi, dtype=float), upper, integral


def _memo_key(parts: tuple[np.ndarray, ...]) -> bytes:
    """A digest of the model's arrays (:func:`_matrices`): two models with the same one are the same model."""
    digest = hashlib.blake2b(digest_size=20)
    for a in parts:
        a = np.ascontiguousarray(a)
        digest.update(str((a.dtype, a.shape)).encode())
        digest.update(a.tobytes())
    return digest.digest()


def _solve(st: _State, model: _Model, work: float = SOLVE_WORK) -> np.ndarray | None:
    """The MILP's optimal x as household → unit over the region; None when infeasible (by counting,
    :func:`too_few_heads`, by a part of the region, :func:`_part_infeasible`, or HiGHS's proof), :data:`GAVE_UP`
    when HiGHS gave up (its ``work``, or the clock: ``model.clocked``); the work taken is added to ``model.used``.
    A model solved before in the same repair (``st.memo``: the same arrays, as the repair made again with other
    settings writes the regions its first steps share) asked within the same ``work``, its parts tried or not as now,
    takes that answer and what that run added to ``model.used``, to the repair's work (its parts, ``st.work_left``)
    and to ``model.parts_tried``: HiGHS, deterministic, gives the same ones to the same model and node limit, so a
    model answered by the memo gives the repair a run would give. Asked within other work, it is solved again (a
    model given up on, or too large to run, within one work may be solved within more; session 55: the memo took
    an answer within other work, added the work asked for one given up on, and the parts' work not at all)."""
    if too_few_heads(st, model):
        return None
    arrays = _matrices(st, model)
    c, a_mat, lo, hi, upper, integral = arrays
    memo = st.memo
    # what the run depends on: the work, whether its parts were tried, whether the repair counts work, and which of
    # the parts it would ask proved a model before (the order they are asked in: :func:`_part_infeasible`)
    first = [i for i, p in enumerate(_parts_asked(st, model)) if _part_id(p) in st.proving] if st.proving else []
    asked = np.array([work, float(model.parts_tried), float(st.work_left is None), *first])
    key = _memo_key((asked, c, a_mat.data, a_mat.indices, a_mat.indptr, lo, hi, upper, integral))
    got = memo.get(key) if memo is not None else None
    model.clocked = False
    if got is not None:
        x, model.used, model.parts_tried = got[0], model.used + got[1], bool(got[3])
        if st.work_left is not None:
            st.work_left -= got[2]
    else:
        used, left = model.used, st.work_left
        x = _highs(st, model, arrays, work)
        if memo is not None and not model.clocked:
            parts = 0.0 if left is None or st.work_left is None else left - st.work_left
            memo[key] = (x, model.used - used, parts, float(model.parts_tried))
    if x is None or x is GAVE_UP:
        return x
    model.last_x = x
    lab = np.full(len(st.lab), -2, dtype=np.int64)
    for (h, u), i in model.col.items():
        if x[i] > 0.5:
            lab[h] = u
    return lab


def _highs(st: _State, model: _Model, arrays: Arrays, work: float) -> np.ndarray | None:
    """HiGHS on the model: its optimal x; None when a part of the region has no plan (:func:`_part_infeasible`) or
    HiGHS proved the model infeasible; :data:`GAVE_UP` when it stopped at ``work`` or the clock, or failed. The
    parts' work is not the model's: it is counted in the repair's (``st.work_left``) only."""
    used = model.used
    if _part_infeasible(st, model, arrays):
        return None
    if model.clocked:
        return GAVE_UP
    parts, model.used = model.used - used, used
    if st.work_left is not None:
        st.work_left -= parts
    return _highs_run(st, model, arrays, work)


def _parts(st: _State, model: _Model) -> list[np.ndarray]:
    """The region's households in parts no unit of any plan of the model mixes, lightest first (ties: first
    household): linked by the edges the contiguity rows use (:meth:`~yuanluo.gis.repair._State.cnbrs`) within
    one nest key, an island and a settlement kept whole (their rows tie their households' units together)."""
    hh = model.hh
    at = {int(h): i for i, h in enumerate(hh.tolist())}
    parent = list(range(len(hh)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(i: int, j: int) -> None:
        a, b = find(i), find(j)
        if a != b:
            parent[max(a, b)] = min(a, b)

    tied: dict[tuple[str, int], int] = {}
    for i, h in enumerate(hh.tolist()):
        for y in st.cnbrs(h).tolist():
            j = at.get(int(y))
            if j is not None and st.key[h] == st.key[int(y)]:
                union(i, j)
        ties = [("island", model.isles.of(h))] if model.isles is not None and model.isles.of(h) >= 0 else []
        if st.settle is not None and st.settle[h] >= 0:
            ties.append(("settlement", int(st.settle[h])))
        for t in ties:
            if t in tied:
                union(i, tied[t])
            else:
                tied[t] = i
    roots = np.array([find(i) for i in range(len(hh))])
    parts = [hh[roots == r] for r in np.unique(roots)]
    return sorted(parts, key=lambda p: (float(st.w[p].sum()), int(p[0])))


def _part_infeasible(st: _State, model: _Model, arrays: Arrays) -> bool:
    """Whether a part of a large region alone (:func:`_parts`) has no plan: a proof that the region has none, found in
    a fraction of the time HiGHS takes on the whole (session 46: the editor test's 300-household plan, regions of
    255 and 300 households proven infeasible in 5–20 s each, a part of 54 or 77 in 0.3–0.5 s).

    A unit of any plan of the model holds households of one part only: its households are linked by the edges its
    flow uses and share one nest key, and an island or a settlement is whole in one unit. So a plan of the model,
    its households outside a part ``P`` taken out (their columns 0, their units closed), is a plan of the model
    restricted to ``P``: the assignment rows of the others dropped, their columns fixed at 0, the rows that must
    keep so many households in place (``model.stay_row``) asking as many fewer as the others could keep. The rows
    numbering the new units one way (``model.order_rows``) are dropped too: the part's new units need not be the
    first ones. Every other row (band, heads and their excuses, anchors, roots, flows, walking and contiguity cuts,
    settlements, islands) holds with those columns 0 for a unit holding households of ``P`` only. Not for a model
    with a declared split pinned (its rows fix households' units). Each part is asked for any plan (no objective),
    of the :data:`PARTS` lightest (at most) those that proved a model infeasible before in this :func:`repair_plan`
    (``st.proving``) first, the rest lightest first (not one as large as the model, :data:`PART_MOST`), within
    :data:`PART_WORK` each: one proven infeasible proves
    the model so, one not decided is no proof (the whole model is solved as before); the clock stopping one ends the
    question (``model.clocked``)."""
    parts = _parts_asked(st, model)
    if model.parts_tried or model.n < PART_MIN_VARIABLES or any(h in st.pinned for h in model.hh.tolist()):
        return False
    model.parts_tried = True
    if not parts:
        return False
    _, a_mat, lo, hi, upper, integral = arrays
    x_cols: dict[int, list[int]] = {}
    for (h, _u), i in model.col.items():
        x_cols.setdefault(h, []).append(i)
    hh = model.hh.tolist()  # the first rows are the assignment rows, one per household in this order (_rows_basic)
    assert bool(np.all(lo[:len(hh)] == 1.0) and np.all(hi[:len(hh)] == 1.0))
    for part in sorted(parts, key=lambda p: _part_id(p) not in st.proving):  # the ones that proved before first
        inside = set(part.tolist())
        up, low, high = upper.copy(), lo.copy(), hi.copy()
        low[model.order_rows], high[model.order_rows] = -np.inf, np.inf  # the part's new units in any order
        for i, h in enumerate(hh):
            if h not in inside:
                up[x_cols.get(h, [])] = 0.0
                low[i] = -np.inf
        if np.count_nonzero(up > 0) >= PART_MOST * model.n:  # the whole model less its objective: no quicker
            continue
        if model.stay_row is not None:  # the others kept in place: as many fewer asked of the part
            keep = sum(1 for h in hh if h not in inside and (h, int(st.orig[h])) in model.col)
            low[model.stay_row] -= keep
        x = _highs_run(st, model, (np.zeros(model.n), a_mat, low, high, up, integral), PART_WORK)
        if x is None:
            st.proving.add(_part_id(part))
            return True
        if model.clocked:
            return False
    return False


def _parts_asked(st: _State, model: _Model) -> list[np.ndarray]:
    """The parts :func:`_part_infeasible` would ask of ``model`` now, lightest first (:data:`PARTS` at most); none
    when it asks none (parts tried, a model below :data:`PART_MIN_VARIABLES`, a declared split pinned, one part)."""
    if model.parts_tried or model.n < PART_MIN_VARIABLES or any(h in st.pinned for h in model.hh.tolist()):
        return []
    parts = _parts(st, model)
    return parts[:PARTS] if len(parts) >= 2 else []


def _part_id(part: np.ndarray) -> bytes:
    """A part by its households (``st.proving``: the parts that proved a model of the region infeasible)."""
    return np.sort(part).astype(np.int64).tobytes()


def _pieces(st: _State, nodes: set[int]) -> list[list[int]]:
    """The connected pieces of ``nodes`` (:meth:`_State.pieces`), each as a sorted list."""
    return [sorted(c) for c in st.pieces(nodes)]


def _cuts(st: _State, model: _Model, lab: np.ndarray, meet: dict[int, int],
          d: np.ndarray | None, at: dict[int, int]) -> int:
    """Add the contiguity and walking cuts the solution ``lab`` violates; how many were added. None for a unit
    holding an island (:func:`_rows_isles`: the island whole, and nothing else), whose walk is the island's own."""
    added = 0
    for u in model.units.tolist():
        mem = set(np.flatnonzero(lab == u).tolist())
        if not mem or any(model.island(h) for h in mem):
            continue
        pieces = _pieces(st, mem)
        m = meet.get(u)
        pieces.sort(key=lambda p: (m not in p, -len(p), p[0]))
        for piece in pieces[1:]:
            nb = {int(y) for x in piece for y in st.cnbrs(x).tolist()} - set(piece)
            sep = {model.col[(k, u)]: -1.0 for k in nb if (k, u) in model.col}
            for i in piece:
                model.add({**sep, model.col[(i, u)]: 1.0, model.col[(pieces[0][0], u)]: 1.0}, -np.inf, 1.0)
                added += 1
        root = None
        if (u in model.new or u in model.rooted) and model.last_x is not None:  # walked to the root it chose
            root = next((h for h in sorted(mem) if model.last_x[model.root_col[(h, u)]] > 0.5), None)
            m = root
        if len(pieces) == 1 and m is not None and d is not None and st.rules.max_walk_min is not None:
            added += _walk_cuts(st, model, u, mem, m, d, at, root=root is not None)
    return added


def _walk_cuts(st: _State, model: _Model, u: int, mem: set[int], m: int, d: np.ndarray,
               at: dict[int, int], *, root: bool = False) -> int:
    """The walking cuts of unit ``u`` (its households ``mem``) towards ``m``; ``root``: ``m`` is the root the
    solution chose for a new unit, and the cut holds only while it is (``+ r[m, u]`` on the left, ``≤ 1``)."""
    limit = st.rules.max_walk_min
    assert limit is not None
    inside = np.array(sorted(mem))
    walk = np.asarray(dijkstra(st.walk[inside][:, inside].T, directed=True, indices=int(np.searchsorted(inside, m))))
    added = 0
    for h in inside[walk > limit + 1e-9].tolist():
        if h in st.walk_waived and u == st.lab[h]:  # beyond the limit in its own unit, and no move can mend it
            continue
        coef = {model.col[(h, u)]: 1.0}
        if root:
            coef[model.root_col[(m, u)]] = 1.0
        on = [k for k in model.hh.tolist()
              if k not in mem and (k, u) in model.col and d[at[h], at[k]] + d[at[k], at[m]] <= limit + 1e-9]
        for k in _separator(st, mem, on, h, m, limit, d, at):
            coef[model.col[(k, u)]] = -1.0
        model.add(coef, -np.inf, 1.0 if root else 0.0)
        added += 1
    return added


def _separator(st: _State, mem: set[int], on: list[int], h: int, m: int, limit: float, d: np.ndarray,
               at: dict[int, int]) -> list[int]:
    """A least set of ``on`` (the households outside the unit on some walk from ``h`` to ``m`` within the limit) that
    every such walk passes: each left out in turn, farthest detour first, where the walk from ``h`` to ``m`` over the
    unit's households and the others of ``on`` left out stays beyond the limit (a walk within the limit has only
    households of the unit or of ``on``). Those on no such walk (over the unit's households and all of ``on``) are left
    out at once. Stronger than ``on`` whole, and its cut as valid (tests/test_s56_r_walk_separator.py)."""
    cap = limit + 1e-9
    near = np.array(sorted({k for k in mem if d[at[h], at[k]] + d[at[k], at[m]] <= cap} | {h, m} | set(on)))
    sub = st.walk[near][:, near].tocsr()
    i_h, i_m = int(np.searchsorted(near, h)), int(np.searchsorted(near, m))
    both = dijkstra(sub, directed=True, indices=i_h) + dijkstra(sub.T, directed=True, indices=i_m)
    detour = {k: float(both[int(np.searchsorted(near, k))]) for k in on}
    kept = {k for k in on if detour[k] <= cap}  # the others are on no walk within the limit over these households
    for k in sorted(kept, key=lambda k: (-(d[at[h], at[k]] + d[at[k], at[m]]), k)):
        kept.discard(k)
        idx = np.flatnonzero(~np.isin(near, list(kept)))
        walk = dijkstra(sub[idx][:, idx], directed=True, indices=int(np.searchsorted(idx, i_h)))
        if walk[int(np.searchsorted(idx, i_m))] <= cap:
            kept.add(k)
    return sorted(kept)


def exact_repair(st: _State, bad_units: set[int], free: np.ndarray, meet: dict[int, int],
                 first: bool = False) -> ExactOutcome:
    """Solve the region of ``bad_units`` (and the unassigned households ``free``) exactly; see the module. ``first``:
    the placement of households in no unit before the units with a problem are solved
    (:func:`~yuanluo.gis.repair._place_free`), which takes a plan keeping every anchor only: where there is none, the
    placement waits for the rounds, whose models let the centres follow the moves (:func:`_rooted`)."""
    hh, units = island_region(st, bad_units, free)
    block = island_blocks(st)
    hh = hh[~_stranded(st, hh, units, block)]  # islands the model cannot move whole: left as they are, not a proof
    if not len(hh) or (not len(units) and not (st.new_units and (block[hh] >= 0).any())):
        return ExactOutcome("infeasible")
    if st.work_left is not None and st.work_left <= 0:  # the repair's exact work is spent
        return ExactOutcome("unsolved", units=units.tolist(), gave_up="total")
    if len(hh) * len(units) > MAX_PAIRS:  # too large before any pair is written (and the walks computed)
        return ExactOutcome("too-large", n_variables=len(hh) * len(units), units=units.tolist())
    meet = dict(meet)
    inside = set(hh.tolist())
    # a meeting point no longer in its unit (the heuristic moved it: a cut-off piece holding it went to the unit
    # next to it, then maybe on by a split or a merge) is not the unit's: the unit walks to its centre, as the
    # check takes it (``_meeting_series``), and the model holds the centre (the caller takes it: ``meet``)
    gone = {u for u in units.tolist() if u in meet and (st.lab[meet[u]] != u or meet[u] not in inside)}
    for u in gone:
        del meet[u]
    k, every = _new_count(st, hh, block)
    need_d = st.rules.max_walk_min is not None and bool(meet or gone or k)
    d, at = _region_walk(st, hh) if need_d else (None, {int(h): i for i, h in enumerate(hh.tolist())})
    isles = _isles(st, hh, units, block, meet, gone)
    return _isled(st, _region(st, hh, units, meet, gone, d, at, isles=isles, k=k, every=every, first=first), hh,
                  units, isles)


def _region(st: _State, hh: np.ndarray, units: np.ndarray, meet: dict[int, int], gone: set[int],
            d: np.ndarray | None, at: dict[int, int], *, isles: _Isles, k: int, every: bool,
            first: bool = False) -> ExactOutcome:
    """The region solved with its islands each in a unit of its own choosing (``isles``): the model without new
    units, then with them (:func:`_with_new`), then, where neither has a plan, with the centres free
    (:func:`_rooted`). A unit's anchor is a household of no island (its meeting point, else the centre of those):
    it keeps it while it is no island's; a unit holding island households only has none (it is an island's unit or
    closed), and one whose given meeting point is an island's household is that island's (``isles.forced``)."""
    from yuanluo.gis.repair import _centre

    meet = dict(meet)
    inside = set(hh.tolist())
    anchors: dict[int, int] = {}
    band: set[int] = set()
    for u in units.tolist():
        m = meet.get(u)
        mine = sorted(h for h in (st.members[u] & inside) if isles.of(h) < 0)
        if u in isles.forced:  # its given meeting point is an island's household: that island's unit, or closed
            anchors[u] = meet[u]
        elif mine:
            band.add(u)
            # the centre of the households of the unit's own nest group: a unit drawn over two groups keeps that
            # group, not a household of the smaller one (the centre of all of 二组二院落's 22 of 二组 and 20 of 三组
            # was a 三组 household, so the model moved the 22 out where the 20 suffice)
            own = [h for h in mine if st.key_ok(h, u)] or mine
            # a point given for the unit is held; a unit given none (under a walking limit its centre stands in as
            # its point) is held at the centre of its own group as it is now, as when no limit is set: its old centre
            # held, a unit drawn over two groups with its centre in the smaller one had to keep that group
            held = m is not None and isles.of(m) < 0 and (u in st.meet_given or u in st.locked or m in st.pinned)
            anchors[u] = m if m is not None and held else _centre(st, own)
            if m is not None and m != anchors[u]:
                meet[u] = anchors[u]
        if u in gone and u in anchors and st.rules.max_walk_min is not None:
            meet[u] = anchors[u]
    spare = _spare(st, hh, units, isles, anchors)
    band |= set(spare)
    for u in spare:  # its point, if any, is an island's household: walked to its root instead
        meet.pop(u, None)
    # the model as it was (no new unit) first; then, with new units, only a plan moving fewer: where none does,
    # the first optimum stands (the same plan as before) and is the fewest with new units too
    o = _relabelled(st, hh, units, meet, d, at, anchors, isles=isles, band=band, spare=spare)
    most = o.held_most  # what the anchors alone allow, proven: _unanchored's proof need not ask it again
    # the units whose point the model changed (gone from them, or a centre the anchor above replaced): handed back
    moved = {u: meet[u] for u in sorted(meet) if u in set(units.tolist()) and (u in gone or st.meet.get(u) != meet[u])}
    o.meet = {**moved, **o.meet}
    if first and (o.status == "infeasible" or o.status == "optimal" and o.labels is not None and bool(
            np.any((o.labels != st.lab) & (st.lab >= 0)))) and not _placeable(
            st, hh, units, meet, d, at, anchors, isles=isles, band=band, k=k, loose=_rooted(st, units, gone),
            spare=spare):
        return o  # a plan moving households in units, or none: the placement leaves it to the rounds either way
    o = _with_new(st, hh, units, o, gone, meet, anchors, d=d, at=at, isles=isles, band=band, k=k, every=every,
                  spare=spare)
    loose = _rooted(st, units, gone)
    # not for a first placement (``first``): it waits for the rounds instead, which solve the same region with the
    # units that fail. Solved here, the models with the centres free were 7 of the 10.8 s of 100 street plans under a
    # walking limit (bench_repair.py --streets 6 100 6 3), for the same repairs plan by plan (800 plans, session 39)
    if o.status == "optimal":  # the fewest with the centres held: is it the fewest with them free?
        return _unanchored(st, hh, units, o, meet, anchors, d, at, isles=isles, band=band, loose=loose, held=most,
                           spare=spare)
    if o.status != "infeasible" or not loose or first:
        return _centres_now(st, o, o.spared)
    # no plan keeps every unit's anchor, with new units or without: the units given no meeting point (walked to their
    # centre wherever the moves put it, as the check walks them) solved again with a root of their own choosing each
    if d is None and st.rules.max_walk_min is not None:
        d, at = _region_walk(st, hh)
    meet = {u: m for u, m in meet.items() if u not in loose}
    anchors = {u: m for u, m in anchors.items() if u not in loose}
    again = _relabelled(st, hh, units, meet, d, at, anchors, isles=isles, band=band, rooted=loose)
    if again.status not in ("optimal", "infeasible"):  # too large or not solved: proven with the anchors kept only
        o.anchored = True
        return o
    again = _with_new(st, hh, units, again, gone, meet, anchors, d=d, at=at, isles=isles, band=band, k=k,
                      every=every, rooted=loose)
    again.free_proof = again.status == "optimal"  # the units given no meeting point had no anchor to hold
    return _centres_now(st, again, loose)


def _placeable(st: _State, hh: np.ndarray, units: np.ndarray, meet: dict[int, int], d: np.ndarray | None,
               at: dict[int, int], anchors: dict[int, int], *, isles: _Isles, band: set[int], k: int,
               loose: list[int], spare: list[int]) -> bool:
    """For a first placement (:func:`~yuanluo.gis.repair._place_free`, which takes only a plan keeping every household
    now in a unit where it is) whose first model had no plan or one moving such a household: whether a plan to take
    may exist, or the models after it (new units, the centres free) are not worth solving.
    Asked of one model holding every plan those models can give (the units given no meeting point and the ``spare``
    ones with a root of their own choosing, as in :func:`_unanchored`, where each anchored plan is the plan with its
    anchor as the root, ``loose``; the ``k`` units :func:`_new_count` allows) with every household now in a unit
    held there: infeasible, each of those models has only plans the placement leaves to the rounds, and the rounds
    solve the region with its failing units anyway (session 46: one household in no unit beside six units of 49
    households walked to their centres, 2-24 s a model chain, each plan moving 25-29 households and left to the
    rounds, 47 of the 91 s of the editor test's repair). True where the model is too large, or a unit rooted here
    walks to no point of its own in those models (it would be held to a walk they do not hold it to)."""
    limit = st.rules.max_walk_min
    if limit is not None and any(u in anchors and meet.get(u) != anchors[u] for u in loose):
        return True
    if limit is not None and d is None:
        d, at = _region_walk(st, hh)
    rooted = set(loose) | set(spare)
    new = list(range(len(st.unit_ids), len(st.unit_ids) + k))
    model = _build(st, hh, units, {u: m for u, m in meet.items() if u not in rooted}, d, at,
                   {u: m for u, m in anchors.items() if u not in rooted}, isles=isles, band=band, new=new,
                   rooted=sorted(rooted))
    if model is None:
        return True
    for h in hh.tolist():
        u = int(st.lab[h])
        if u < 0:
            continue
        col = model.col.get((h, u))
        if col is None:  # no plan of the model keeps it where it is
            return False
        model.add({col: 1.0}, 1.0, 1.0)
    _, a_mat, lo, hi, upper, integral = _matrices(st, model)
    x = _highs_run(st, model, (np.zeros(model.n), a_mat, lo, hi, upper, integral), PART_WORK)
    if st.work_left is not None:
        st.work_left -= model.used
    return x is not None


def _unanchored(st: _State, hh: np.ndarray, units: np.ndarray, o: ExactOutcome, meet: dict[int, int],
                anchors: dict[int, int], d: np.ndarray | None, at: dict[int, int], *, isles: _Isles, band: set[int],
                loose: list[int], held: int | None = None, spare: Collection[int] = ()) -> ExactOutcome:
    """The optimum ``o`` of the model holding each unit at its anchor, proven the fewest without that hold where the
    model allows it: the units given no meeting point (``loose``, :func:`_rooted`) each with a root of its own
    choosing, as when no plan keeps the anchors, with as many new units as ``o`` could open, asked for a plan moving
    fewer than ``o``. Infeasible: ``o`` is the fewest whatever the centres (``free_proof``); a plan found: it is, and
    taken; too large or not solved within :data:`PROOF_WORK`: ``o`` stands, the fewest with the anchors held only,
    as the method note says. The anchor of a unit given no meeting point is only the model's choice: a street unit
    walked to its old centre, the plan as given's, moved a household the limit let stay when walked to its centre
    after the moves (3 moves where 2 suffice, the seeded small cases of test_s44_d_repair_brute).

    The plans of the model with the centres free in which every unit of ``loose`` is closed or holds the anchor the
    first anchored model held it at are plans of that anchored model, which proved its plans keep at most ``held``
    households in place (:attr:`ExactOutcome.held_most`, no more than ``o`` keeps): so the proof first asks only for
    a plan in which one of them is open without its anchor (:func:`_away`, :func:`_anchor_left`). No such plan
    proves ``o`` the fewest; where HiGHS finds one or gives up, the model is solved as before. Session 56:
    Changshou's edited plan, a 149-household region whose proof took 23 s, proven so in 0.5 s."""
    if not loose:  # every anchor is a given meeting point (or an island's): the model's optimum is the fewest
        o.free_proof = True
        return _centres_now(st, o, o.spared)
    assert o.labels is not None
    if d is None and st.rules.max_walk_min is not None:
        d, at = _region_walk(st, hh)
    kept = int((o.labels[hh] == st.orig[hh]).sum())
    k = _worth_opening(st, hh, o.new_units, len(hh) - kept) if o.new_units else 0
    away = _away(st, meet, anchors, isles, loose, held=held, kept=kept, k=k, spare=spare)
    again = _optimum(st, hh, units, {u: m for u, m in meet.items() if u not in loose}, d, at,
                     {u: m for u, m in anchors.items() if u not in loose}, isles=isles, band=band, k=k,
                     stay=kept + 1, work=PROOF_WORK, rooted=loose, away=away)
    if again.status == "infeasible":  # no plan of the region moves fewer, wherever its centres are
        o.free_proof = True
    if again.status != "optimal":
        return _centres_now(st, o, o.spared)
    again.new_units, again.every_new, again.free_proof = o.new_units, o.every_new, True
    again.within_moves, again.least_new = o.within_moves, o.least_new
    again.past_infeasible = o.past_infeasible
    return _centres_now(st, again, loose)


def _away(st: _State, meet: dict[int, int], anchors: dict[int, int], isles: _Isles, loose: list[int], *,
          held: int | None, kept: int, k: int, spare: Collection[int]) -> list[tuple[int, int]]:
    """The units of ``loose`` (rooted in :func:`_unanchored`'s model, asked for a plan keeping at least ``kept + 1``
    households in their unit) with the anchor the first anchored model held each at: (unit, anchor). A plan of the
    rooted model in which each of them is closed or holds its anchor (without a walking limit as a member, its
    contiguity holding from the anchor as from any member; with one as its root, so that its households walk within
    the limit to the anchor, the point the anchored model walked it to) is a plan of the anchored model: the two are
    written over the same households, units, band, islands and points of the other units, neither with a new unit,
    and differ only in these units' anchor or root rows (and, under a walking limit, in a rooted unit's pairs, which
    its root's rows bound as the anchored model's pairs are bounded). The anchored model's plans keep at most
    ``held`` households in place; so where ``held`` is at most ``kept``, a plan keeping more has one of these units
    open without its anchor, and the proof may ask only for those (:func:`_anchor_left`).

    Empty (the proof asks for every plan, as before) where that does not hold or is not shown here: the first model
    proved nothing (``held`` None), the rooted model may open new units (``k``), the region has islands or units
    rooted in both (``spare``), or, under a walking limit, the anchored model walked a unit to another point than
    its anchor."""
    if held is None or held > kept or k or isles.cand or spare:
        return []
    limit = st.rules.max_walk_min
    out = []
    for u in loose:
        a = anchors.get(u)
        if a is None:  # a unit of the region with no household outside the islands: in neither model's band
            continue
        if limit is not None and meet.get(u, a) != a:
            return []
        out.append((int(u), int(a)))
    return out


def _anchor_left(st: _State, model: _Model, away: Collection[tuple[int, int]]) -> bool:
    """Whether ``model`` (:func:`_unanchored`'s, its rows before any cut) has no plan in which some unit of ``away``
    is open without its anchor: its rows and ``Σ_u (open[u] − x[a_u, u]) ≥ 1`` (under a walking limit ``r[a_u, u]``,
    the anchor as the root), asked of HiGHS with the model's objective within :data:`PART_WORK` (the repair's work
    left, at most; once a :func:`~yuanluo.gis.repair.repair_plan`, ``st.memo``), counted in the repair's work
    (``st.work_left``), not the model's (``model.used``: the model, solved after a plan found or a question left,
    has its work as before). True: HiGHS proved it (by :func:`_away`, the model then has no plan at all); False: a
    plan found, the work or the clock reached, or a unit's column missing.
    Changshou's edited plan (session 56): the 149-household region's 8,139-variable model, 23 s asked for any plan
    keeping 142 households in place, 0.5 s asked so (proven at HiGHS's root)."""
    limit = st.rules.max_walk_min
    coef: dict[int, float] = {}
    for u, a in away:
        c = model.root_col.get((a, u)) if limit is not None else model.col.get((a, u))
        if c is None or u not in model.open_col:
            return False
        o = model.open_col[u]
        coef[o] = coef.get(o, 0.0) + 1.0
        coef[c] = coef.get(c, 0.0) - 1.0
    work = float(PART_WORK) if st.work_left is None else min(float(PART_WORK), st.work_left)
    if not coef or work <= 0:
        return False
    c_obj, a_mat, lo, hi, upper, integral = _matrices(st, model)
    cols = np.fromiter(coef.keys(), dtype=np.int64, count=len(coef))
    row = sp.csr_matrix((np.fromiter(coef.values(), dtype=float, count=len(coef)), (np.zeros(len(coef), dtype=np.int64),
                                                                                    cols)), shape=(1, model.n))
    arrays = (c_obj, sp.vstack([a_mat, row], format="csr"), np.append(lo, 1.0), np.append(hi, np.inf), upper, integral)
    c_obj, a_mat, lo, hi, upper, integral = arrays
    # asked once a repair_plan, as a model is (st.memo; the -1 tells it from a model's key, _solve)
    key = _memo_key((np.array([work, -1.0]), c_obj, a_mat.data, a_mat.indices, a_mat.indptr, lo, hi, upper, integral))
    got = st.memo.get(key) if st.memo is not None else None
    if got is not None:
        x, spent = got[0], got[1]
    else:
        used = model.used
        x = _highs_run(st, model, arrays, work)
        spent, model.used = model.used - used, used
        if st.memo is not None and not model.clocked:
            st.memo[key] = (x, spent, 0.0, 0.0)
    if st.work_left is not None:
        st.work_left -= spent
    return x is None


def _isled(st: _State, o: ExactOutcome, hh: np.ndarray, units: np.ndarray, isles: _Isles) -> ExactOutcome:
    """``o`` with the units of the plan its labels make an island's (``o.isled``: they held households of no island
    before), and, under a walking limit, each one's meeting point the centre of its island (``o.meet``), as the check
    walks it."""
    from yuanluo.gis.repair import _centre

    if o.status != "optimal" or o.labels is None:
        return o
    for u in units.tolist():
        mem = hh[o.labels[hh] == u].tolist()
        if mem and all(isles.of(h) >= 0 for h in mem) and any(isles.of(h) < 0 for h in st.members[u]):
            o.isled.append(int(u))
            if st.rules.max_walk_min is not None:
                o.meet[int(u)] = _centre(st, mem)
    return o


def _with_new(st: _State, hh: np.ndarray, units: np.ndarray, o: ExactOutcome, gone: set[int], meet: dict[int, int],
              anchors: dict[int, int], *, d: np.ndarray | None, at: dict[int, int], isles: _Isles, band: set[int],
              k: int, every: bool, rooted: Collection[int] = (), spare: Collection[int] = ()) -> ExactOutcome:
    """After the model without new units (``o``): with up to ``k`` new units (:func:`_new_count`; ``every``: that is
    every number a plan of the region can have), asked only for a plan moving fewer; where none does, the first
    optimum stands (the same plan as before) and is the fewest with new units too. Returns the outcome taken, with
    the new units its proof covers (none where ``k`` is 0: every number of them where that is every, a region
    whose weight outside its islands fills no unit of the band; it was left unsaid, and a region of an island in no
    unit, made a unit of its own, was said to be solved "without opening a new unit", one "may move fewer").
    With ``st.max_moves``, no more new units are asked than the budget fills, each moving at least a floor's
    households: a proof of no plan is then one within the budget (:func:`_bounded`)."""
    # a plan within the move budget opens no more new units than its moves fill: the model is asked for no more
    within = k if st.max_moves is None else _worth_opening(st, hh, k, st.max_moves + 1)
    if k == 0 and o.status in ("optimal", "infeasible"):
        o.new_units, o.every_new = 0, every
    while k > 0 and o.status in ("optimal", "infeasible"):
        fewer = None if o.labels is None else int((o.labels[hh] == st.orig[hh]).sum()) + 1
        worth = k if fewer is None else _worth_opening(st, hh, k, len(hh) - fewer + 1)
        if worth == 0:  # no plan with new units moves fewer: the first optimum is the fewest with up to k of them
            o.new_units, o.every_new = k, every
            break
        capped = worth > within  # more new units than the budget fills: not asked, the proof bounded by the budget
        if capped and within == 0:  # (an optimum found within the budget is never capped: it moves fewer)
            _bounded(st, hh, o, 0)
            break
        again = _relabelled(st, hh, units, meet, d, at, anchors, isles=isles, band=band, k=min(worth, within),
                            stay=fewer, rooted=rooted, spare=spare)
        if again.status == "too-large":  # the new units' variables made it too large: fewer of them
            k, every = min(worth, within) - 1, False
            within = min(within, k)
            continue
        if again.status == "optimal":
            again.meet = {**{u: meet[u] for u in sorted(gone) if u in meet}, **again.meet}
            again.past_infeasible = o.status == "infeasible"  # the heuristic the model left it to may move fewer
            o = again
        if again.status in ("optimal", "infeasible"):  # proven either way: the fewest with up to k new units
            o.new_units, o.every_new = k, every
            if capped:
                _bounded(st, hh, o, within)
        break
    return o


def _bounded(st: _State, hh: np.ndarray, o: ExactOutcome, asked: int) -> None:
    """``o`` proven with ``asked`` new units at most, where more of them were not asked: each moves at least so many
    households (:func:`_worth_opening`) that more would go over the budget ``st.max_moves``. An optimum within the
    budget moves fewer than any such plan and is the fewest with up to ``o.new_units`` as they were; otherwise the
    outcome's claim is the ``asked`` new units, and, where it is a proof of no plan, within the budget
    (``within_moves``, said by ``repair.why.infeasible.budget`` and ``repair.why.infeasible.new.budget``)."""
    assert st.max_moves is not None
    if o.status == "optimal" and o.moves <= st.max_moves:
        return
    lo = float(st.rules.min_size)
    heavy = np.cumsum(np.sort(st.w[hh])[::-1])
    o.new_units, o.every_new = asked, False
    o.within_moves = st.max_moves
    o.least_new = 1 if lo <= 0 else max(int(np.searchsorted(heavy, lo - 1e-9, side="left")) + 1, 1)


def _centres_now(st: _State, o: ExactOutcome, rooted: list[int]) -> ExactOutcome:
    """``o`` with each rooted unit's meeting point (``o.meet``, under a walking limit) its centre in the plan ``o``
    (the check's, no point of its own being given), which walks no farther than the root the model kept the limit
    to."""
    from yuanluo.gis.repair import _centre

    if o.status == "optimal" and o.labels is not None and rooted and st.rules.max_walk_min is not None:
        o.meet = {**o.meet, **{u: _centre(st, np.flatnonzero(o.labels == u).tolist())
                               for u in rooted if (o.labels == u).any()}}
    return o


def _rooted(st: _State, units: np.ndarray, gone: set[int]) -> list[int]:
    """The units of the region whose anchor may follow the moves: those given no meeting point of their own (or whose
    given point the heuristic moved out of them), walked to their centre as the check walks them. Their anchor (their
    centre in the plan as it stood) is only the model's choice, and a plan in which the moves shift a unit's centre
    may be the only one: the model solved again with a root of each one's own choosing (as a new unit's, its walking
    limit measured from it: the unit's centre walks no farther) finds it, or proves that there is none."""
    return [int(u) for u in units.tolist() if u not in st.meet_given or u in gone]


def _spare(st: _State, hh: np.ndarray, units: np.ndarray, isles: _Isles, anchors: dict[int, int]) -> list[int]:
    """The units of the region holding only island households (no anchor: an island's unit, or closed) whose name
    households of no island had in the plan as given: such a unit may hold households of no island too, with a root
    of its own choosing, as a new unit's (:func:`_rows_new`; while it is no island's). Its street households were
    taken out of it as a piece cut off from the island (:func:`~yuanluo.gis.repair._detach_strays`, a piece no
    heavier than the island's): where the island goes to another unit, the unit's name kept with them is fewer moves.
    A street of eight, one in U1 and seven in U2, and an island of two, one typed into U1 and one in I1 (U1's two
    pieces a tie, the island's id first): U1 was the island's or closed, so the island went to I1, U1 was closed and
    a new unit took U1's household and three of U2's (5 moves, where 4 suffice: U1 keeps its own and takes three)."""
    out = []
    for u in units.tolist():
        if u in anchors or u in isles.forced:
            continue
        if bool(np.any((st.orig[hh] == u) & (isles.block[hh] < 0))):
            out.append(int(u))
    return out


def _relabelled(st: _State, hh: np.ndarray, units: np.ndarray, meet: dict[int, int], d: np.ndarray | None,
                at: dict[int, int], anchors: dict[int, int], *, isles: _Isles, band: set[int],
                k: int = 0, stay: int | None = None, rooted: Collection[int] = (),
                spare: Collection[int] = ()) -> ExactOutcome:
    """:func:`_optimum`, then solved again under the names that keep more households where they were
    (:func:`_relabel`, at most :data:`RELABEL_ROUNDS` times; not with ``rooted`` units, whose names no anchor ties
    to a household, nor the units that are an island's or can be none but one); a name given the group of a
    ``spare`` unit (rooted, :func:`_spare`) is rooted in its place; ``meet`` of the outcome: the meeting points the
    renamed units took."""
    work = NEW_WORK if k else SOLVE_WORK
    o = _optimum(st, hh, units, meet, d, at, anchors, isles=isles, band=band, k=k, stay=stay, work=work,
                 rooted=rooted, spare=spare)
    held = (int((o.labels[hh] == st.orig[hh]).sum()) if o.status == "optimal" and o.labels is not None
            else -1 if o.status == "infeasible" else None)
    for _ in range(0 if rooted else RELABEL_ROUNDS):
        if o.status != "optimal" or o.labels is None:
            break
        isled = {int(u) for u in units.tolist() if any(isles.of(h) >= 0 for h in hh[o.labels[hh] == u].tolist())}
        perm = _relabel(st, hh, units, o.labels, keep=(set(units.tolist()) - band) | isled)
        if not perm:
            break
        # the same grouping under the names that keep more households where they are: each renamed unit takes
        # the anchor (and meeting point) of the group it names, and the model is solved again with them, so the
        # count it proves is of the groups, not of the names it happened to give them; the group of a spare unit
        # has no anchor: the name it takes is rooted instead
        was = set(spare)
        anchors = {**{u: a for u, a in anchors.items() if u not in perm.values()},
                   **{u: anchors[v] for v, u in perm.items() if v in anchors}}
        spare = sorted({perm.get(v, v) for v in was})
        moved_meet = {u: meet[v] for v, u in perm.items() if v in meet}
        meet = {**{u: m for u, m in meet.items() if u not in {perm[v] for v in was if v in perm}}, **moved_meet}
        again = _optimum(st, hh, units, meet, d, at, anchors, isles=isles, band=band, k=k, stay=stay,
                         work=work, spare=spare)
        if again.status != "optimal" or again.moves >= o.moves:
            break  # not expected (the renamed plan is one of the new model's): the first optimum stands
        again.meet = {**o.meet, **moved_meet}
        o = again
    o.held_most = held
    return o


def _new_count(st: _State, hh: np.ndarray, block: np.ndarray) -> tuple[int, bool]:
    """How many new units the model of the region ``hh`` may open (:data:`MAX_NEW_UNITS` at most), and whether
    that is every number of them a plan of the region can have: a unit held to the band has at least ``min`` of
    weight, so no plan of the region holds more than ``⌊W / min⌋`` of them (``W``: the weight of its households
    outside islands, whose units the band does not hold), new ones among them."""
    if not st.new_units:
        return 0, False
    lo = float(st.rules.min_size)
    weight = float(st.w[hh[block[hh] < 0]].sum())
    if lo <= 0:
        return MAX_NEW_UNITS, False
    most = int(np.floor(weight / lo + 1e-9))
    # a given meeting point is never put in a new unit (:func:`_build`): a plan that does so is not among its own
    return min(MAX_NEW_UNITS, most), most <= MAX_NEW_UNITS and not _kept_points(st) & set(hh.tolist())


def _worth_opening(st: _State, hh: np.ndarray, k: int, moves: int) -> int:
    """How many of ``k`` new units a plan of the region moving fewer than ``moves`` households can open: each
    holds at least ``m`` households (the fewest of the region's whose weights reach the floor; one when the floor
    is 0) and every household in a new unit counts as moved, so ``j`` of them move at least ``j·m``. A model
    asked for fewer moves with more is infeasible; with none it is not asked at all (the slips of a plan move a
    few households where a unit holds 15 or more), so the claim "with at most ``k`` units added" is proven
    without it. An island's new unit (``_Isles.own``) is not one of the ``k``: it holds less than the floor, and its
    households count in ``moves`` as any other's.

    >>> from types import SimpleNamespace as NS
    >>> st = NS(w=np.ones(30), rules=NS(min_size=4))
    >>> [_worth_opening(st, np.arange(30), 2, moves) for moves in (4, 5, 8, 9, 12)]
    [0, 1, 1, 2, 2]
    """
    lo = float(st.rules.min_size)
    if lo <= 0:
        m = 1
    else:
        heavy = np.cumsum(np.sort(st.w[hh])[::-1])
        if not len(heavy) or heavy[-1] < lo - 1e-9:  # the region cannot fill a unit
            return 0
        m = max(int(np.searchsorted(heavy, lo - 1e-9, side="left")) + 1, 1)
    return max(0, min(k, (moves - 1) // m))


def _kept_points(st: _State) -> set[int]:
    """The households a new unit never takes: the meeting points held fixed (``_State.fixed``, under a walking
    limit) and those given for their units (``_State.meet_given``); not the centre standing in as the point of a unit
    given none (it moves with the unit's households: the check walks the unit to its centre as it is)."""
    centres = {m for u, m in st.meet.items() if u not in st.meet_given and u not in st.locked and m not in st.pinned}
    return (st.fixed - centres) | {m for u, m in st.meet.items() if u in st.meet_given}


#: rounds of renaming the exact solution's units and solving again (:func:`_relabel`)
RELABEL_ROUNDS = 3


def _fills_band(w: np.ndarray, lo: float, hi: float, units: int) -> bool:
    """Whether households of weights ``w`` can fill some number of units, at most ``units``, each within the band
    ``[lo, hi]`` by their total alone: some ``j ≤ units`` with ``j·lo ≤ Σw ≤ j·hi``. Where not, the model of a
    region whose households outside its islands weigh ``w`` has no plan (:func:`_optimum`, before HiGHS is asked):
    each of them is in a unit of the band (:func:`_build`), a unit holding one of them holds no island
    (:func:`_rows_isles`) and so weighs between the floor and the ceiling (:func:`_rows_basic`), and the band's
    units, its new ones among them, are ``units``. A necessary condition only: a plan also needs the weights split
    into such parts, and the units linked and within the rules.

    >>> _fills_band(np.ones(23), 8, 8, 5), _fills_band(np.ones(24), 8, 8, 5), _fills_band(np.ones(24), 8, 8, 2)
    (False, True, False)
    >>> _fills_band(np.ones(26), 8, 12, 2), _fills_band(np.ones(26), 8, 12, 3), _fills_band(np.zeros(0), 8, 12, 0)
    (False, True, True)
    """
    total = float(np.sum(w))
    if total <= 1e-9:
        return True
    fewest = max(1, int(np.ceil(total / hi - 1e-9))) if hi > 0 else units + 1
    most = int(np.floor(total / lo + 1e-9)) if lo > 0 else units
    return fewest <= min(most, units)


def _optimum(st: _State, hh: np.ndarray, units: np.ndarray, meet: dict[int, int], d: np.ndarray | None,
             at: dict[int, int], anchors: dict[int, int], *, isles: _Isles, band: set[int],
             k: int = 0, stay: int | None = None, work: float = SOLVE_WORK,
             rooted: Collection[int] = (), spare: Collection[int] = (),
             away: Collection[tuple[int, int]] = ()) -> ExactOutcome:
    """The model of the region with these anchors and meeting points, and ``k`` units it may open (numbered from
    the state's unit count on), solved with its lazy cuts; ``stay``: at least so many of the region's households
    stay in their unit (a plan moving fewer than one found before), else infeasible; ``work``: HiGHS's work (:func:`_work`)
    for all the rounds together (within the repair's, ``st.work_left``); ``rooted``: units with a root of their own choosing (no anchor, no meeting point
    in ``meet``: :func:`_rooted`); ``spare``: units holding only island households that may take others, rooted
    the same way (:func:`_spare`); ``away``: (unit, anchor) pairs of which a plan keeping ``stay`` must leave one,
    where the plans leaving none are proven to keep fewer (:func:`_away`): asked first (:func:`_anchor_left`), a
    proof that there is none is the model's."""
    new = list(range(len(st.unit_ids), len(st.unit_ids) + k))
    spare = [int(u) for u in spare if u not in set(rooted)]
    model = _build(st, hh, units, meet, d, at, anchors, isles=isles, band=band, new=new, rooted=[*rooted, *spare])
    if model is None:
        return ExactOutcome("too-large", n_variables=len(hh) * (len(units) + k), units=units.tolist())
    if stay is not None:
        model.stay_row = len(model.rows)
        model.add({c: 1.0 for (h, u), c in model.col.items() if st.orig[h] == u}, float(stay), np.inf)
    if not _fills_band(st.w[[h for h in hh.tolist() if not model.island(h)]], float(st.rules.min_size),
                       float(st.rules.max_size), len(model.band)):
        return ExactOutcome("infeasible", model.n, units=units.tolist())  # proven by counts: HiGHS not asked
    if st.trial is not None and _size(model) > TRIAL_SIZE:
        st.trial()  # the heuristic first: Proven where its plan is the fewest, else the state as it was
    if away and not too_few_heads(st, model) and _anchor_left(st, model, away):
        return ExactOutcome("infeasible", model.n, units=units.tolist())  # no plan leaves an anchor: none at all
    for _ in range(MAX_ROUNDS):  # the work of the rounds together, not each
        left = work - model.used
        total = st.work_left is not None and st.work_left < left  # the repair's exact work ends first
        if total:
            assert st.work_left is not None
            left = st.work_left
        used = model.used
        lab = _solve(st, model, left) if left > 0 else GAVE_UP
        if st.work_left is not None:
            st.work_left -= model.used - used
        if lab is None:
            return ExactOutcome("infeasible", model.n, units=units.tolist())
        if lab is GAVE_UP:
            why = "time" if model.clocked else "total" if total else "work"
            return ExactOutcome("unsolved", model.n, units=units.tolist(), gave_up=why)
        if _cuts(st, model, lab, meet, d, at) == 0:
            out = st.lab.copy()
            out[hh] = lab[hh]
            opened = sorted((set(new) | set(model.isle)) & set(out[hh].tolist()))
            spared = sorted(u for u in spare if bool(np.any((out[hh] == u) & (isles.block[hh] < 0))))
            return ExactOutcome("optimal", model.n, out, int((out != st.orig).sum()), units.tolist(), opened=opened,
                                rooted=sorted(int(u) for u in rooted), spared=spared)
    return ExactOutcome("unsolved", model.n, units=units.tolist(), gave_up="rounds")


def _size(model: _Model) -> int:
    """The variables of the model not fixed at 0 (its size as HiGHS is given it: :func:`_highs_run`)."""
    return model.n - sum(1 for cap in (*model.flows.values(), *model.counts.values()) if cap <= 0)


def _relabel(st: _State, hh: np.ndarray, units: np.ndarray, out: np.ndarray, keep: set[int]) -> dict[int, int]:
    """unit → the name it should have: the renaming of the region's units in the solution ``out`` that leaves the
    most households in the unit they are in as the plan was given (their unit as the delineation gave it
    breaking ties), when it leaves more than the names the model gave; empty otherwise. The model's anchors tie
    each name to one household, so a unit typed in for one household of another can take that unit's whole rest
    (moving all of it) where giving the one household back is one move. Island, locked, pinned and declared
    units (``keep``) and units whose meeting point was given keep their names.
    """
    from scipy.optimize import linear_sum_assignment

    fixed = keep | st.locked | set(st.pinned.values()) | set(st.declared) | st.meet_given
    free = [int(u) for u in units.tolist() if u not in fixed]
    if len(free) < 2:
        return {}
    at = {u: i for i, u in enumerate(free)}
    gain = np.zeros((len(free), len(free)))
    tie = 0.5 / max(len(hh), 1)
    for h in hh.tolist():
        v, u = at.get(int(out[h])), at.get(int(st.orig[h]))
        if v is not None and u is not None:
            gain[v, u] += 1.0
        w = at.get(int(st.home[h])) if v is not None else None
        if w is not None:
            gain[v, w] += tie
    rows, cols = linear_sum_assignment(gain, maximize=True)
    if int(gain[rows, cols].round().sum()) <= int(np.trace(gain).round()):
        return {}
    return {free[int(r)]: free[int(c)] for r, c in zip(rows, cols, strict=True) if r != c}
