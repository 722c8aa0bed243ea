"""Option definitions shared by the commands, each declared once, grouped the way commands use them.

A command names a group as one parameter (``hh: HouseholdFile``); :func:`expand` replaces that parameter by
the group's options in the signature Typer reads, and hands the command one filled-in group object. Help
texts are catalogue keys (``cli.opt.layer``); :mod:`yuanluo.planners.cli.app` renders them in the language
of the command line.
"""

from __future__ import annotations

import dataclasses
import functools
import inspect
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar, get_type_hints

import typer

F = TypeVar("F", bound=Callable[..., Any])

#: the largest size bound and seed the options accept (larger ones are usage errors, exit 2)
MAX_SIZE = 1_000_000
SEED_MAX = 2**32 - 1
#: the longest walk of a neighbour-graph edge, in minutes, unless ``--max-edge-walk`` says otherwise
DEFAULT_EDGE_WALK = 10.0


class OptionGroup:
    """Base of the option groups (dataclasses whose fields are Typer options)."""


def _group_params(cls: type[OptionGroup]) -> list[inspect.Parameter]:
    hints = get_type_hints(cls, include_extras=True)
    out = []
    for f in dataclasses.fields(cls):  # type: ignore[arg-type]
        default = f.default if f.default is not dataclasses.MISSING else inspect.Parameter.empty
        out.append(inspect.Parameter(f.name, inspect.Parameter.KEYWORD_ONLY, annotation=hints[f.name],
                                     default=default))
    return out


def expand(func: F) -> F:
    """Replace every parameter typed as an :class:`OptionGroup` by the group's options (keyword-only).

    Examples
    --------
    >>> @expand
    ... def cmd(hh: Output, n: int = 1) -> bool:
    ...     return hh.overwrite
    >>> list(inspect.signature(cmd).parameters)
    ['overwrite', 'n']
    >>> cmd(overwrite=True, n=2)
    True
    """
    sig = inspect.signature(func, eval_str=True)
    params: list[inspect.Parameter] = []
    groups: dict[str, tuple[type[OptionGroup], list[str]]] = {}
    for p in sig.parameters.values():
        ann = p.annotation
        if isinstance(ann, type) and issubclass(ann, OptionGroup):
            fields = _group_params(ann)
            groups[p.name] = (ann, [f.name for f in fields])
            params.extend(fields)
        else:
            params.append(p.replace(kind=inspect.Parameter.KEYWORD_ONLY))
    names = [p.name for p in params]
    if len(set(names)) != len(names):
        raise TypeError(f"{func.__name__}: an option is declared twice: {names}")

    @functools.wraps(func)
    def wrapper(**kwargs: Any) -> Any:
        from yuanluo.gis.output import given_as

        given = _given_options(kwargs)
        for name, (cls, members) in groups.items():
            kwargs[name] = cls(**{m: kwargs.pop(m) for m in members})
        with given_as(given):  # a wrong output extension names its option (--xlsx), not just the path
            return func(**kwargs)

    wrapper.__signature__ = sig.replace(parameters=params)  # type: ignore[attr-defined]
    wrapper.__annotations__ = {p.name: p.annotation for p in params}
    return wrapper  # type: ignore[return-value]


def _given_options(kwargs: dict[str, Any]) -> list[tuple[Any, str]]:
    """(value, option as the help spells it: ``-o/--output``) for every path or text the running command was
    given (:func:`yuanluo.gis.output.given_as`); none outside a command line."""
    import importlib

    click = typer.BadParameter.__module__.rpartition(".")[0]  # Typer's own copy of Click (>= 0.20), or Click
    try:
        ctx = importlib.import_module(f"{click}.globals").get_current_context(silent=True)
    except (ImportError, AttributeError):  # a Click laid out otherwise: the messages name paths only
        return []
    if ctx is None:
        return []
    return [(kwargs[p.name], "/".join(p.opts)) for p in ctx.command.params
            if getattr(p, "param_type_name", "") == "option" and p.name in kwargs
            and isinstance(kwargs[p.name], str | Path)]


def _given_on_command_line(name: str) -> bool | None:
    """Whether the option of parameter ``name`` was typed on the running command line (not left at its
    default); None outside a command line."""
    import importlib

    click = typer.BadParameter.__module__.rpartition(".")[0]  # Typer's own copy of Click (>= 0.20), or Click
    try:
        ctx = importlib.import_module(f"{click}.globals").get_current_context(silent=True)
        source = importlib.import_module(f"{click}.core").ParameterSource
    except (ImportError, AttributeError):
        return None
    if ctx is None:
        return None
    return bool(ctx.get_parameter_source(name) == source.COMMANDLINE)


def _quiet_on_command_line() -> bool:
    """Whether the running command line has ``-q`` (an option group is made before the command sets up the
    console, so :func:`yuanluo.planners.console.quiet` is not yet its own); outside a command line, that."""
    import importlib

    from yuanluo.planners import console as C

    click = typer.BadParameter.__module__.rpartition(".")[0]  # Typer's own copy of Click (>= 0.20), or Click
    try:
        ctx = importlib.import_module(f"{click}.globals").get_current_context(silent=True)
    except (ImportError, AttributeError):
        ctx = None
    if ctx is None or "quiet" not in ctx.params:
        return C.quiet()
    return bool(ctx.params["quiet"])


# ----------------------------------------------------------------------------------------- groups
def _known_lang(value: str | None) -> str | None:
    """``--lang`` names a language Yuanluo speaks, else a usage error (CLI-USAGE) in both languages, since the
    one wanted is not known."""
    if value is None:
        return None
    from yuanluo.planners import console as C

    if C.known_lang(value) is None:
        from yuanluo.gis.catalogue import LANGS, text
        from yuanluo.planners.cli.app import TranslatedUsageError

        raise TranslatedUsageError("\n".join(text("cli.bad.coded", lang, text=text("cli.bad.lang", lang, value=value))
                                             for lang in LANGS))
    return value


#: ``--lang``: on every command and on the group itself (``yuanluo --lang en validate …``). The environment
#: variable ``YUANLUO_LANG`` is read once, for the whole command line, by
#: :func:`yuanluo.planners.console.lang_from_argv` (an explicit ``--lang`` wins over it wherever it is placed).
LangOption = Annotated[str | None, typer.Option("--lang", help="cli.opt.lang", callback=_known_lang)]


@dataclasses.dataclass
class Common(OptionGroup):
    """Language and logging, on every command."""

    lang: LangOption = None
    verbose: Annotated[int, typer.Option("-v", "--verbose", count=True, help="cli.opt.verbose")] = 0
    quiet: Annotated[bool, typer.Option("-q", "--quiet", help="cli.opt.quiet")] = False


@dataclasses.dataclass
class HouseholdFile(OptionGroup):
    """The household file and how to read it: every command that reads households."""

    households: Annotated[str, typer.Argument(help="cli.arg.households", metavar="cli.meta.households",
                                                        show_default=False)]
    layer: Annotated[str | None, typer.Option("--layer", help="cli.opt.layer")] = None
    crs: Annotated[str | None, typer.Option("--crs", help="cli.opt.crs")] = None
    encoding: Annotated[str | None, typer.Option("--encoding", help="cli.opt.encoding")] = None
    centroids: Annotated[bool, typer.Option("--centroids", help="cli.opt.centroids")] = False
    id_col: Annotated[str | None, typer.Option("--id-col", help="cli.opt.id_col")] = None
    x_col: Annotated[str | None, typer.Option("--x-col", help="cli.opt.x_col")] = None
    y_col: Annotated[str | None, typer.Option("--y-col", help="cli.opt.y_col")] = None
    head_col: Annotated[list[str] | None, typer.Option("--head-col", help="cli.opt.head_col",
                                                    metavar="cli.meta.column")] = None

    def columns(self) -> dict[str, Any]:
        """The explicit column mapping (``hid``, ``x``, ``y``; ``head_candidate``: the ``--head-col`` columns)
        for :func:`yuanluo.gis.io.read_households`."""
        from yuanluo.gis.columns import split_names

        given: dict[str, Any] = {"hid": self.id_col, "x": self.x_col, "y": self.y_col,
                                 "head_candidate": split_names(self.head_col) or None}
        return {k: v for k, v in given.items() if v is not None}

    def specs(self) -> list[Any]:
        """The files this group reads (``file::layer`` specs), for the output checks."""
        return [self.households]

    def read_kwargs(self) -> dict[str, Any]:
        """Keyword arguments of :func:`yuanluo.planners.workflows.load_inputs` for the household file."""
        return {"layer": self.layer, "crs": self.crs, "encoding": self.encoding, "centroids": self.centroids,
                "columns": self.columns()}


@dataclasses.dataclass
class Terrain(OptionGroup):
    """What walking between households depends on: elevation, rivers, water, roads, the edge limit.

    ``--max-edge-walk`` is the longest walk of one neighbour edge; it is not the walking limit from a household
    to its meeting point (``max_walk_min`` of a rule file), hence the name.
    """

    dem: Annotated[Path | None, typer.Option("--dem", help="cli.opt.dem")] = None
    rivers: Annotated[str | None, typer.Option("--rivers", help="cli.opt.rivers")] = None
    water: Annotated[str | None, typer.Option("--water", help="cli.opt.water")] = None
    roads: Annotated[str | None, typer.Option("--roads", help="cli.opt.roads")] = None
    max_edge_walk: Annotated[float, typer.Option("--max-edge-walk", help="cli.opt.max_edge_walk", min=0.1,
                                                 max=1440.0)] = DEFAULT_EDGE_WALK
    #: the old spelling of ``--max-edge-walk`` (hidden; a CLI-DEPRECATED warning names the new one)
    max_walk: Annotated[float | None, typer.Option("--max-walk", hidden=True, help="cli.opt.max_edge_walk",
                                                   min=0.1, max=1440.0)] = None

    def __post_init__(self) -> None:
        """Take the deprecated ``--max-walk`` when the new spelling was not given, and say so; both given with
        different values is CLI-WALK-BOTH (a usage error naming both), with the same value only the warning."""
        if self.max_walk is None:
            return
        from yuanluo.gis.errors import InputError, problem
        from yuanluo.planners import console as C

        given = _given_on_command_line("max_edge_walk")
        new_given = self.max_edge_walk != DEFAULT_EDGE_WALK if given is None else given
        if new_given and self.max_edge_walk != self.max_walk:
            raise InputError(problem("CLI-WALK-BOTH", old="--max-walk", new="--max-edge-walk",
                                     old_value=f"{self.max_walk:g}", new_value=f"{self.max_edge_walk:g}"))
        if not _quiet_on_command_line():  # a warning: -q prints none (read before the command's setup runs)
            C.err.print(problem("CLI-DEPRECATED", severity="warning", old="--max-walk", new="--max-edge-walk")
                        .message(C.lang()), markup=False)
        self.max_edge_walk = self.max_walk
        self.max_walk = None

    def specs(self) -> list[Any]:
        """The files this group reads, for the output checks."""
        return [self.dem, self.rivers, self.water, self.roads]

    def read_kwargs(self) -> dict[str, Any]:
        """Keyword arguments of :func:`yuanluo.planners.workflows.load_inputs` for these layers."""
        return {"dem": self.dem, "rivers": self.rivers, "water": self.water, "roads": self.roads,
                "max_edge_walk": self.max_edge_walk}


@dataclasses.dataclass
class Areas(OptionGroup):
    """Village boundary and villager-group polygons."""

    boundary: Annotated[str | None, typer.Option("--boundary", help="cli.opt.boundary")] = None
    groups: Annotated[str | None, typer.Option("--groups", help="cli.opt.groups")] = None
    group_field: Annotated[str | None, typer.Option("--group-field", help="cli.opt.group_field")] = None

    def specs(self) -> list[Any]:
        """The files this group reads, for the output checks."""
        return [self.boundary, self.groups]

    def read_kwargs(self) -> dict[str, Any]:
        """Keyword arguments of :func:`yuanluo.planners.workflows.load_inputs` for these layers."""
        return {"boundary": self.boundary, "groups": self.groups, "group_field": self.group_field}


@dataclasses.dataclass
class RuleChoice(OptionGroup):
    """The rules: a preset, a rule file, or explicit bounds (which override)."""

    preset: Annotated[str | None, typer.Option("--preset", help="cli.opt.preset")] = None
    min_size: Annotated[int | None, typer.Option("--min", help="cli.opt.min", min=1, max=MAX_SIZE)] = None
    max_size: Annotated[int | None, typer.Option("--max", help="cli.opt.max", min=1, max=MAX_SIZE)] = None
    rules_file: Annotated[Path | None, typer.Option("--rules", help="cli.opt.rules")] = None

    def specs(self) -> list[Any]:
        """The files this group reads, for the output checks."""
        return [self.rules_file]

    def resolve_for(self, path: str, verb: str, *, read: Callable[[], object] | None = None) -> Any:
        """:meth:`resolve` with the rules the household file ``path`` records when it is a Yuanluo result and no
        whole rules are given (a preset, a rule file, or both bounds): said on stderr, not with ``-q``
        (``verb`` its command): ``cli.rules.recorded`` when no rule option is given, ``cli.rules.recorded_partial``
        naming the bound given (``--min 25``) and applied over the recorded rules; ``.persons`` where the band
        counts persons. ``read``: see :meth:`resolve`."""
        from yuanluo.planners import console as C
        from yuanluo.planners import workflows as W

        whole = self.preset is not None or self.rules_file is not None or None not in (self.min_size, self.max_size)
        if not whole:  # a mistyped path is IO-NOTFOUND, not RULE-NONE with a fix that cannot help
            from yuanluo.gis.errors import InputError, missing_file

            gone = missing_file(path)
            if gone is not None and gone.code == "IO-NOTFOUND":
                raise InputError(gone)
        recorded = None if whole else W.result_rules(path)
        chosen = self.resolve(recorded=recorded, read=read)
        if recorded is not None:
            bounds = [f"{opt} {v}" for opt, v in (("--min", self.min_size), ("--max", self.max_size)) if v is not None]
            key = "cli.rules.recorded_partial" if bounds else "cli.rules.recorded"
            if getattr(chosen, "size_by", "households") == "persons":
                key += ".persons"
            limit = getattr(chosen, "max_walk_min", None)  # the walking limit too: a check under it, said
            walk = "" if limit is None else C.msg("cli.rules.recorded_walk", minutes=f"{float(limit):g}")
            C.note(C.msg(key, file=path, min=chosen.min_size, max=chosen.max_size, option=" ".join(bounds),
                         verb=C.msg(f"cli.rules.verb.{verb}"), walk=walk), stream=C.err)
        return chosen

    def resolve(self, recorded: Any = None, *, read: Callable[[], object] | None = None) -> Any:
        """The :class:`yuanluo.gis.rules.Rules` chosen, else ``recorded`` (a result's own rules) with any bounds
        given (RULE-NONE when there are none); a setting without effect, and a rule file read as GBK
        (RULE-FILE-GBK), are said on stderr (not with ``-q``).

        ``read`` reads the file whose rules were looked for: called before RULE-NONE is raised, so that a file
        that cannot be read (truncated: IO-CORRUPT; not there; not a result) is said as that, not as rules not
        given when it could have recorded them."""
        from yuanluo.gis.errors import InputError
        from yuanluo.planners import console as C
        from yuanluo.planners.presets import resolve_rules

        said: list[Any] = []  # the rule file read as GBK (RULE-FILE-GBK)
        try:
            rules = resolve_rules(preset_name=self.preset, min_size=self.min_size, max_size=self.max_size,
                                  rules_file=self.rules_file, recorded=recorded, notes=said)
        except InputError as exc:
            if read is not None and recorded is None and any(p.code == "RULE-NONE" for p in exc.problems):
                read()  # its own error first, else the rules not given
            raise
        if not C.quiet():
            for note in [*said, *rules.notes(None if self.rules_file is None else str(self.rules_file))]:
                C.err.print(note.message(C.lang()), markup=False)
        return rules


@dataclasses.dataclass
class PlanSource(OptionGroup):
    """Where a plan comes from: a table, unit polygons, or a column of the household file."""

    plan: Annotated[str | None, typer.Option("--plan", help="check.opt.plan")] = None
    units: Annotated[str | None, typer.Option("--units", help="cli.opt.units")] = None
    unit_col: Annotated[str | None, typer.Option("--unit-col", "--unit-field", "--unit-id-field",
                                                 help="cli.opt.unit_col")] = None
    units_crs: Annotated[str | None, typer.Option("--units-crs", help="cli.opt.units_crs")] = None

    def specs(self) -> list[Any]:
        """The files this group reads, for the output checks."""
        return [self.plan, self.units]

    @property
    def household_unit_col(self) -> str | None:
        """The household file's column holding the plan (``--unit-col`` without ``--plan`` or ``--units``), else
        None: a roster of people read with it says its members in two of its units (ID-PERSONS-PLAN)."""
        return self.unit_col if self.plan is None and self.units is None else None

    def meeting_points(self, inputs: Any, given: str | None, id_col: str | None, labels: Any = None) -> Any:
        """The meeting points a check or repair of this plan uses: the table ``given`` (``--meeting-points``, which
        wins; a point given by its coordinates is the nearest household of its row's unit in ``labels``, the plan),
        else those the plan table's meeting-point column gives (议事点, as a delineation's ``--xlsx`` plan
        writes it: :func:`yuanluo.gis.plan.plan_meeting_points`), else, for a result's own plan (its households'
        ``unit_id``), the result's own meeting points; else None (each unit measured to its centre)."""
        from yuanluo.gis.plan import plan_meeting_points
        from yuanluo.planners import workflows as W

        if given:
            return W.read_meeting_points(given, id_col=id_col, unit_col=self.unit_col, households=inputs.households,
                                         crs=W.household_crs(inputs), labels=labels)
        if self.plan is not None:
            return plan_meeting_points(self.plan, inputs.households, id_col=id_col, unit_col=self.unit_col)
        own = self.units is None and self.unit_col in (None, "unit_id")
        return W.result_meeting_points(inputs) if own else None


@dataclasses.dataclass
class MapFields(OptionGroup):
    """Which household columns an HTML map carries besides the ones it needs (allow-list; personal data only
    when named and ``--include-personal``)."""

    fields: Annotated[str | None, typer.Option("--fields", help="cli.opt.fields")] = None
    include_personal: Annotated[bool, typer.Option("--include-personal", help="cli.opt.include_personal")] = False
    credit: Annotated[str | None, typer.Option("--credit", help="cli.opt.credit")] = None

    def data_credit(self, recorded: str | None) -> str | None:
        """The data credit the maps carry and the run records: ``--credit`` (its lines and spaces run together:
        one line at the foot of a map), else ``recorded`` (the credit a result's ``run`` records), else None. A
        blank ``--credit ""`` drops a recorded credit.

        >>> MapFields(credit="  © OpenStreetMap\\n contributors ").data_credit(None)
        '© OpenStreetMap contributors'
        >>> MapFields().data_credit("© A"), MapFields(credit=" ").data_credit("© A")
        ('© A', None)
        """
        if self.credit is None:
            return recorded
        return " ".join(self.credit.split()) or None

    def names(self) -> list[str]:
        """The column names given to ``--fields`` (comma-separated), each once."""
        from yuanluo.gis.personal import parse_fields

        return parse_fields(self.fields)

    def _without_id(self, households: Any) -> tuple[list[str], list[str]]:
        """The ``--fields`` names but those of the household id (the table's index: its name, ``hid``, or a
        name of an id column, 户号 …, that is no column of the table), and those.

        >>> import pandas as pd
        >>> hh = pd.DataFrame({"persons": [3]}, index=pd.Index(["A1"], name="hid"))
        >>> MapFields(fields="hid,persons,户号")._without_id(hh)
        (['persons'], ['hid', '户号'])
        """
        from yuanluo.gis.columns import canonical_of

        index = getattr(households, "index", None)
        own = {str(index.name)} if index is not None and index.name is not None else set()
        present = {str(c) for c in getattr(households, "columns", ())}
        names, ids = [], []
        for f in self.names():
            if f not in present and (f in own or canonical_of(f) == "hid"):
                ids.append(f)
            else:
                names.append(f)
        return names, ids

    def resolve(self, households: Any, file: Any, warnings: list[Any] | None = None, *, drawn: bool = True
                ) -> dict[str, Any]:
        """The map's keyword arguments (``fields``, ``include_personal``) for ``households`` read from ``file``
        (FIELDS-UNKNOWN for a name that is not a column; a candidate-head column the reader folded into
        ``head_candidate``/``party_member``, such as 返乡能人 or 党员, is that column, FIELDS-FOLDED added; such a
        name the file does not have, beside its canonical column, is that column too, FIELDS-SHOWN-AS added);
        ``warnings`` has its ATTR-PERSONAL restated in place for what the map (when ``drawn``) keeps out and shows,
        and FIELDS-NONE added when ``--include-personal`` comes without ``--fields`` (and the household ids are no
        id-card or phone numbers, which it lets into a page: :func:`yuanluo.gis.personal.require_page_ids`). A name
        of the household id (``hid``, 户号, the id column read) is no column: every map shows the id, said on stderr
        (``cli.fields.id``, not with ``-q``)."""
        from yuanluo.gis.personal import personal_ids, resolve_fields, with_shown

        folded: list[Any] = []
        names, ids = self._without_id(households)
        if ids and drawn:  # the id is the table's index, not a column; every map shows it
            from yuanluo.planners import console as C

            C.note(C.msg("cli.fields.id", column=C.msg("list.sep").join(ids)), stream=C.err)
        cols = resolve_fields(households, names, None if file is None else str(file), folded)
        if warnings is not None:
            warnings.extend(folded)
            warnings[:] = with_shown(warnings, cols if drawn else [], self.include_personal)
            if self.include_personal and not self.names() and personal_ids(households.index) is None:
                # the option alone shows nothing more (ids that are id-card or phone numbers it lets in): say so
                from yuanluo.gis.errors import problem

                warnings.append(problem("FIELDS-NONE", severity="warning"))
        return {"fields": cols, "include_personal": self.include_personal}


@dataclasses.dataclass
class PlanFields(MapFields):
    """:class:`MapFields` of ``delineate``, whose ``--fields`` go into its ``--xlsx`` plan as well as its map."""

    fields: Annotated[str | None, typer.Option("--fields", help="cli.opt.fields.plan")] = None
    include_personal: Annotated[bool, typer.Option("--include-personal",
                                                   help="cli.opt.include_personal.plan")] = False


@dataclasses.dataclass
class SheetFields(MapFields):
    """:class:`MapFields` of ``map``, whose ``--fields`` go onto its ``--per-unit`` sheets as well as its HTML map
    (not onto a print map of the whole area)."""

    fields: Annotated[str | None, typer.Option("--fields", help="cli.opt.fields.sheets")] = None
    include_personal: Annotated[bool, typer.Option("--include-personal",
                                                   help="cli.opt.include_personal.sheets")] = False


@dataclasses.dataclass
class Output(OptionGroup):
    """Whether existing outputs may be replaced."""

    overwrite: Annotated[bool, typer.Option("--overwrite", help="cli.opt.overwrite")] = False

