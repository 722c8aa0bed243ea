"""Writing results: atomic, deterministic, several layers at once.

:func:`write_layers` writes a dict of layers (GeoDataFrames, or plain DataFrames for attribute-only
tables) to one of three formats:

``gpkg`` (default)
    One GeoPackage holding every layer; a plain DataFrame becomes an attribute-only table
    (``data_type = 'attributes'`` in ``gpkg_contents``). The ``run`` record becomes a key/value table.
    Column names stay canonical; the file carries their aliases in the chosen language (GeoPackage schema
    extension, which QGIS shows), layer titles, and a default QGIS style (``layer_styles``) for the units,
    households, meeting points and service points (:mod:`yuanluo.gis.layerstyle`).
``parquet``
    GeoParquet 1.1 (pyarrow), one file per layer beside ``path``: ``OUT.parquet`` gives
    ``OUT.households.parquet``, ``OUT.units.parquet`` ... When exactly one layer is written and there is
    no ``run`` record, that layer goes to ``path`` itself.
``csv``
    UTF-8 with a byte-order mark (so Excel shows Chinese correctly), one file per layer named as for
    Parquet. Point geometries become ``x`` / ``y`` columns (``geometry_x`` / ``geometry_y`` if those names are
    taken); other geometries become WKT in a ``geometry`` column. CSV carries no CRS.

A named index (``hid``) is written as an ordinary column, so string ids survive every format.

Every write is atomic and part of a transaction (:mod:`yuanluo.gis.transaction`): all files are first
written to temporary names in the target directory and placed only when every one was written — without
``overwrite`` by an atomic create-if-absent, so a concurrent run never has its file replaced. Inside a
command's :func:`transaction` every file of the command is placed together, or none is. On any failure the
temporary files are deleted and existing outputs are left as they were. An existing output without
``overwrite=True`` is ``OUT-EXISTS`` (its fix names ``--overwrite`` on the command line, ``overwrite=True``
from Python), checked before any work; on Windows a path longer than it takes (260 characters, counting the
temporary's name) is ``OUT-PATH-LONG``, checked before the work too; a name Windows cannot hold (``: < > ? * " | \\``,
a device name such as ``aux.html``, a name or a created folder ending in a dot or a space, over 255 characters, two
outputs differing only in case) is refused on every system, the files being handed to Windows users; a directory that cannot be written or a file
held open by another program (retried briefly, as on Windows when QGIS has the file open) is ``OUT-WRITE``,
with the error's code (``EACCES``, ``ENOSPC``, ``ENOENT``, ``EROFS`` …) for which its fix says what to do. A
GeoPackage in a folder with ``!`` in its path, which GDAL is not given as it is (pyogrio reads it as an
archive's), is ``OUT-DIR-BANG``, before the work; a ``;`` or ``!`` in the output's own name is written (its
temporary has ``_`` there: :data:`yuanluo.gis.transaction.TEMP_NAME_UNSAFE`).

The same layers give a byte-identical GeoPackage: GDAL's ``last_change`` timestamps are fixed to the
``run`` record's timestamp (else ``SOURCE_DATE_EPOCH``, else 1970-01-01). The run record holds no clock time
(:func:`run_record`: a time only when ``SOURCE_DATE_EPOCH`` asks for one), so a run repeated on another day
writes the same bytes too.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as _dt
import errno
import hashlib
import importlib.metadata
import json
import os
import platform
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, Literal, cast

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from yuanluo.gis.catalogue import Lang, both
from yuanluo.gis.errors import InputError, OutputError, Problem, problem
from yuanluo.gis.transaction import (
    Transaction,
    case_problem,
    current,
    input_problem,
    overwrite_named,
    path_too_long,
    read_only_problem,
    same_file,
    shown_path,
    temp_name,
    windows_fixed,
    windows_name_problem,
    write_error,
    write_problem,
)
from yuanluo.gis.transaction import (
    exists_problem as exists_problem,  # the map and maturity writers take it here
)

Format = Literal["gpkg", "parquet", "csv"]

_SUFFIX: dict[str, str] = {"gpkg": ".gpkg", "parquet": ".parquet", "csv": ".csv"}
#: the extensions :func:`write_layers` writes each format under (OUT-SUFFIX for any other)
_FORMAT_SUFFIXES: dict[str, tuple[str, ...]] = {"gpkg": (".gpkg",), "parquet": (".parquet", ".geoparquet"),
                                               "csv": (".csv",)}

#: The extensions each kind of output may have (checked with the other output checks, before any work).
LAYER_SUFFIXES = (".gpkg", ".parquet", ".geoparquet", ".csv")
HTML_SUFFIXES = (".html", ".htm")
PRINT_SUFFIXES = (".png", ".pdf")


# ---------------------------------------------------------------------------------------------- timestamps
def _asked_time() -> _dt.datetime | None:
    """The time ``SOURCE_DATE_EPOCH`` asks a run to record, else None (no time is recorded)."""
    sde = os.environ.get("SOURCE_DATE_EPOCH")
    if sde is not None and sde.strip():
        return _dt.datetime.fromtimestamp(int(sde.strip()), tz=_dt.UTC)
    return None


def _iso(t: _dt.datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def data_date(*paths: str | Path | None) -> str:
    """The day a report or a print map carries (``YYYY-MM-DD``, UTC): the day of ``SOURCE_DATE_EPOCH`` when set;
    else the day the newest of the input files ``paths`` was last changed (a ``::layer`` suffix and missing files
    skipped): what the page shows is the data of that day, and the same files give the same bytes on any day
    (a date of the clock made a report printed after midnight differ from one printed before); else, with no
    file (frames handed to the library), today.

    >>> import tempfile
    >>> saved = os.environ.pop("SOURCE_DATE_EPOCH", None)
    >>> f = Path(tempfile.mkdtemp()) / "r.gpkg"
    >>> _ = f.write_bytes(b"x")
    >>> os.utime(f, (86400 * 3, 86400 * 3))
    >>> data_date(f, f"{f}::households", None, f.with_name("missing.csv"))
    '1970-01-04'
    >>> os.environ["SOURCE_DATE_EPOCH"] = "86400"
    >>> data_date(f)
    '1970-01-02'
    >>> del os.environ["SOURCE_DATE_EPOCH"]
    >>> if saved is not None:
    ...     os.environ["SOURCE_DATE_EPOCH"] = saved
    """
    t = _asked_time()
    if t is None:
        times = []
        for given in paths:
            if given is None or str(given) == "":
                continue
            p = Path(str(given).split("::")[0])
            with contextlib.suppress(OSError):
                if p.is_file():
                    times.append(p.stat().st_mtime)
        t = _dt.datetime.fromtimestamp(max(times), tz=_dt.UTC) if times else _dt.datetime.now(tz=_dt.UTC)
    return t.strftime("%Y-%m-%d")


def with_data_date(layers: Mapping[str, Any], *paths: str | Path | None) -> dict[str, Any]:
    """``layers`` (a result's, to be printed) with the day its print maps carry (:func:`data_date` of ``paths``) as
    the run table's ``timestamp`` where the run recorded none (:func:`run_record` records a time only when
    ``SOURCE_DATE_EPOCH`` asks for one), so the sheet says the day of its data, not of the clock. Nothing is
    written: a copy of the mapping, the run table a new frame.

    >>> run = pd.DataFrame({"key": ["tool"], "value": ["yuanluo"]})
    >>> lyr = with_data_date({"run": run}, None)
    >>> lyr["run"]["key"].tolist(), len(lyr["run"]["value"].iloc[1]), len(run)
    (['tool', 'timestamp'], 10, 1)
    """
    out = dict(layers)
    run = out.get("run")
    if isinstance(run, pd.DataFrame) and {"key", "value"} <= set(run.columns):
        if "timestamp" in set(run["key"].astype(str)):
            return out
        out["run"] = pd.concat([run, pd.DataFrame({"key": ["timestamp"], "value": [data_date(*paths)]})],
                               ignore_index=True)
    else:
        out["run"] = pd.DataFrame({"key": ["timestamp"], "value": [data_date(*paths)]})
    return out


def _gpkg_date(run: Mapping[str, Any] | None) -> str:
    """The fixed GPKG ``last_change`` stamp: run timestamp, else SOURCE_DATE_EPOCH, else the epoch."""
    t: _dt.datetime | None = None
    if run and isinstance(run.get("timestamp"), str):
        with contextlib.suppress(ValueError):
            t = _dt.datetime.fromisoformat(run["timestamp"].replace("Z", "+00:00"))
            if t.tzinfo is None:
                t = t.replace(tzinfo=_dt.UTC)
    if t is None:
        sde = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
        t = _dt.datetime.fromtimestamp(int(sde) if sde else 0, tz=_dt.UTC)
    return t.astimezone(_dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


@contextlib.contextmanager
def _gdal_config(options: Mapping[str, str]) -> Iterator[None]:
    import pyogrio

    old = {k: pyogrio.get_gdal_config_option(k) for k in options}
    pyogrio.set_gdal_config_options(dict(options))
    try:
        yield
    finally:
        pyogrio.set_gdal_config_options(old)


# ---------------------------------------------------------------------------------------------- run record
def file_sha256(path: Path) -> str:
    """The SHA-256 of a file's bytes, as the ``run`` table records its inputs."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _version(dist: str) -> str:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


_LIBRARIES = ("numpy", "pandas", "geopandas", "shapely", "pyogrio", "pyproj", "rasterio", "scipy", "networkx",
              "scikit-learn")


def run_record(*, command: str, inputs: Mapping[str, Path | str], params: Mapping[str, Any],
               seed: int | None) -> dict[str, Any]:
    """A record of one run: tool and library versions, input hashes, parameters, seed and time.

    Parameters
    ----------
    command : str
        The command or workflow name, e.g. ``"delineate"``.
    inputs : mapping of str to path
        Named input files; each is hashed (SHA-256) and its size recorded.
    params : mapping
        Effective parameters (rules, options). Values should be JSON-serialisable.
    seed : int or None
        The random seed of the run.

    Returns
    -------
    dict
        Keys ``tool``, ``tool_version``, ``command``, ``python``, ``platform``, ``libraries``
        (name → version, plus ``gdal`` and ``proj``), ``inputs`` (name → ``{"path", "sha256", "bytes"}``),
        ``params``, ``seed`` and, only when ``SOURCE_DATE_EPOCH`` is set, ``timestamp`` (that time, ISO 8601
        UTC). :func:`write_layers` stores it as a key/value table (nested keys joined with dots).

    Notes
    -----
    The clock is not recorded: the same input and seed give the same output byte for byte, on any day. When a
    plan was made is the time of its file (its modification time, set as it is written, which a file manager
    and QGIS' layer information show); a run that must carry a time in the file itself sets it by
    ``SOURCE_DATE_EPOCH`` (``SOURCE_DATE_EPOCH=$(date +%s) yuanluo delineate …``), which GeoPackages'
    ``last_change`` and the workbook's dates take too.

    Examples
    --------
    >>> saved = os.environ.pop("SOURCE_DATE_EPOCH", None)
    >>> "timestamp" in run_record(command="demo", inputs={}, params={}, seed=1)
    False
    >>> os.environ["SOURCE_DATE_EPOCH"] = "0"
    >>> r = run_record(command="demo", inputs={}, params={"min": 20}, seed=1)
    >>> r["timestamp"], r["seed"], r["params"]
    ('1970-01-01T00:00:00Z', 1, {'min': 20})
    >>> del os.environ["SOURCE_DATE_EPOCH"]
    >>> if saved is not None:
    ...     os.environ["SOURCE_DATE_EPOCH"] = saved
    """
    import pyogrio
    import pyproj

    libs = {name: _version(name) for name in _LIBRARIES}
    libs["gdal"] = str(pyogrio.__gdal_version_string__)
    libs["proj"] = str(pyproj.proj_version_str)
    ins: dict[str, Any] = {}
    for name in sorted(inputs):
        p = Path(inputs[name])
        ins[name] = {"path": str(p), "sha256": file_sha256(p), "bytes": p.stat().st_size}
    rec: dict[str, Any] = {
        "tool": "yuanluo",
        "tool_version": _version("yuanluo"),
        "command": command,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "libraries": libs,
        "inputs": ins,
        "params": dict(params),
        "seed": seed,
    }
    asked = _asked_time()
    if asked is not None:
        rec["timestamp"] = _iso(asked)
    return rec


def run_table(run: Mapping[str, Any]) -> pd.DataFrame:
    """The ``run`` record as a two-column (``key``, ``value``) table of strings.

    Nested mappings are flattened with dotted keys; other non-string values are JSON.

    Examples
    --------
    >>> run_table({"seed": 3, "params": {"min": 20, "nest": ["village"]}}).values.tolist()
    [['seed', '3'], ['params.min', '20'], ['params.nest', '["village"]']]
    """
    rows: list[tuple[str, str]] = []

    def walk(prefix: str, value: Any) -> None:
        if isinstance(value, Mapping):
            for k, v in value.items():
                walk(f"{prefix}.{k}" if prefix else str(k), v)
        elif isinstance(value, str):
            rows.append((prefix, value))
        else:
            rows.append((prefix, json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)))

    walk("", run)
    return pd.DataFrame(rows, columns=["key", "value"], dtype="str")


# ---------------------------------------------------------------------------------------------- layers
def _prepare(df: pd.DataFrame) -> pd.DataFrame:
    """A copy with a named / non-default index turned into a column."""
    idx = df.index
    default = isinstance(idx, pd.RangeIndex) and idx.name is None and idx.start == 0 and idx.step == 1
    if default:
        return df.copy()
    name = idx.name if idx.name is not None else "index"
    out = df.reset_index(names=[name] if not isinstance(idx, pd.MultiIndex) else None)
    return out


def _is_geo(df: pd.DataFrame) -> bool:
    return isinstance(df, gpd.GeoDataFrame) and df._geometry_column_name in df.columns


def _targets(path: Path, names: list[str], fmt: str) -> dict[str, Path]:
    if fmt == "gpkg" or len(names) == 1:
        return {n: path for n in names}
    ext = _SUFFIX[fmt]
    stem = path.name[: -len(path.suffix)] if path.suffix else path.name
    return {n: path.with_name(f"{stem}.{n}{ext}") for n in names}


def _format_of(path: Path) -> Format:
    """The format :func:`write_layers` writes ``path`` in when none is given: from its extension, else GPKG."""
    suf = path.suffix.lower()
    return "parquet" if suf in (".parquet", ".geoparquet") else "csv" if suf == ".csv" else "gpkg"


def layer_files(path: str | os.PathLike[str], names: Sequence[str], fmt: str | None = None) -> list[Path]:
    """The files :func:`write_layers` writes for the layers ``names`` (its run record is the layer ``run``) given
    ``path``, in layer order: ``path`` itself for a GeoPackage or a single layer, else one file per layer named
    after it (``OUT.units.csv``). The one place that names them: the writer asks it, and so does the check before
    the work (:func:`require_free`'s ``layers``), which would otherwise see only ``OUT.csv``, a file not written.

    >>> [p.name for p in layer_files("out.csv", ["households", "units", "run"])]
    ['out.households.csv', 'out.units.csv', 'out.run.csv']
    >>> [p.name for p in layer_files("out.gpkg", ["households", "units", "run"]) + layer_files("a.csv", ["units"])]
    ['out.gpkg', 'a.csv']
    """
    p = Path(path)
    return list(dict.fromkeys(_targets(p, list(names), fmt or _format_of(p)).values()))


#: GeoPackage 1.2, which every GDAL since 2.2 (QGIS 3.0 on) reads without a word: GDAL ≥ 3.7 writes 1.4 by
#: default, and the GDAL of an older QGIS then logs "GeoPackage user_version … may only be partially supported".
#: Nothing here needs 1.3 or 1.4 (the schema, metadata and R-tree extensions are 1.0–1.2).
GPKG_OPTIONS = {"VERSION": "1.2"}


def _write_gpkg(layers: Mapping[str, pd.DataFrame], tmp: Path, date: str, lang: Lang = "zh") -> None:
    import pyogrio

    with _gdal_config({"OGR_CURRENT_DATE": date}):
        for name, df in layers.items():
            if _is_geo(df):
                gdf = gpd.GeoDataFrame(df)
                gtype = None
                if len(gdf) == 0 or gdf.geometry.isna().all():
                    gtype = "Unknown"
                pyogrio.write_dataframe(gdf, tmp, layer=name, driver="GPKG", geometry_type=gtype,
                                        dataset_options=GPKG_OPTIONS)
            else:
                pyogrio.write_dataframe(pd.DataFrame(df), tmp, layer=name, driver="GPKG", dataset_options=GPKG_OPTIONS)
        styles = _style_table(layers, _geometry_columns(tmp), date, lang)
        if styles is not None:
            pyogrio.write_dataframe(styles, tmp, layer=STYLE_TABLE, driver="GPKG", layer_options={"FID": "id"},
                                    dataset_options=GPKG_OPTIONS)
    _describe_gpkg(tmp, layers, lang, date)


#: the table QGIS keeps its styles in (QGIS applies the row marked ``useAsDefault`` when the layer is opened)
STYLE_TABLE = "layer_styles"
_SCHEMA_EXTENSION = "http://www.geopackage.org/spec121/#extension_schema"


def _geometry_columns(gpkg: Path) -> dict[str, str]:
    """``table → geometry column`` of a GeoPackage (read-only)."""
    import sqlite3

    con = sqlite3.connect(f"{sqlite_uri(gpkg)}?mode=ro", uri=True)
    try:
        return {str(t): str(c) for t, c in con.execute("SELECT table_name, column_name FROM gpkg_geometry_columns")}
    finally:
        con.close()


def sqlite_uri(path: str | os.PathLike[str]) -> str:
    """The ``file:`` URI of ``path`` for :func:`sqlite3.connect` (``uri=True``), every character SQLite would
    read as URI syntax escaped: ``#`` (a fragment, which would also drop the query), ``?``, ``%`` (SQLite decodes
    ``%20``), spaces and Chinese. The path is made absolute (a URI has no relative form); on Windows it is
    ``file:///C:/…``, which SQLite reads.

    >>> sqlite_uri("/data/第#2批/a%20b?.gpkg")
    'file:///data/%E7%AC%AC%232%E6%89%B9/a%2520b%3F.gpkg'
    """
    return Path(os.path.abspath(path)).as_uri()


def _style_table(layers: Mapping[str, pd.DataFrame], geom: Mapping[str, str], date: str,
                 lang: Lang) -> pd.DataFrame | None:
    """The ``layer_styles`` rows (QGIS's own schema) of the layers that have a default style, or None; a table's
    ``f_geometry_column`` is empty, as QGIS keeps it."""
    from yuanluo.gis.catalogue import text
    from yuanluo.gis.layerstyle import layer_qml

    if STYLE_TABLE in layers:
        return None
    rows = []
    for name in layers:
        qml = layer_qml(name, layers, lang)
        if qml is not None:
            rows.append({"f_table_catalog": "", "f_table_schema": "", "f_table_name": name,
                         "f_geometry_column": geom.get(name, ""), "styleName": text("style.name", lang), "styleQML": qml,
                         "styleSLD": "", "useAsDefault": True, "description": text("style.about", lang),
                         "owner": "", "ui": None})
    if not rows:
        return None
    out = pd.DataFrame(rows)
    out["ui"] = out["ui"].astype("string")
    out["update_time"] = pd.Timestamp(date.replace("Z", "+00:00"))
    return out


def _describe_gpkg(gpkg: Path, layers: Mapping[str, pd.DataFrame], lang: Lang, date: str) -> None:
    """Field aliases (GeoPackage schema extension, ``gpkg_data_columns``: GDAL reads ``name`` as the alternative
    name, QGIS shows it as the alias) and layer titles (``gpkg_contents.identifier``/``description``); the
    styles' ``update_time`` in the GeoPackage's DATETIME form, ``…:SS.SSSZ`` as in ``gpkg_contents`` (written
    without the milliseconds, GDAL 3.6 (QGIS 3.22) warns "Non-conformant content" on opening)."""
    import sqlite3

    from yuanluo.gis.catalogue import text
    from yuanluo.gis.layerstyle import layer_aliases, layer_title

    con = sqlite3.connect(gpkg)
    try:
        tables = {str(t) for (t,) in con.execute("SELECT table_name FROM gpkg_contents")}
        _create_data_columns(con)
        titles: set[str] = set()
        for name in [*layers, STYLE_TABLE]:
            if name not in tables:
                continue
            cols = [str(r[1]) for r in con.execute(f'PRAGMA table_info("{name}")')]
            for col, alias in layer_aliases(cols, lang, name).items():
                con.execute("INSERT OR REPLACE INTO gpkg_data_columns (table_name, column_name, name, title, "
                            "description) VALUES (?, ?, ?, ?, ?)", (name, col, alias, alias, col))
            title = layer_title(name, lang)
            if title is not None and title not in titles and title not in tables:
                titles.add(title)
                con.execute("UPDATE gpkg_contents SET identifier = ?, description = ? WHERE table_name = ?",
                            (title, text("layer.about", lang, title=title, name=name), name))
        if STYLE_TABLE in tables:
            con.execute(f'UPDATE "{STYLE_TABLE}" SET update_time = ?', (date,))  # the form of _gpkg_date
        con.commit()
    finally:
        con.close()


def _create_data_columns(con: Any) -> None:
    """The GeoPackage schema extension's two tables, registered in ``gpkg_extensions`` (as GDAL creates them)."""
    con.execute("CREATE TABLE IF NOT EXISTS gpkg_data_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL, "
                "name TEXT, title TEXT, description TEXT, mime_type TEXT, constraint_name TEXT, "
                "CONSTRAINT pk_gdc PRIMARY KEY (table_name, column_name), "
                "CONSTRAINT gdc_tn UNIQUE (table_name, name))")
    con.execute("CREATE TABLE IF NOT EXISTS gpkg_data_column_constraints (constraint_name TEXT NOT NULL, "
                "constraint_type TEXT NOT NULL, value TEXT, min NUMERIC, min_is_inclusive BOOLEAN, max NUMERIC, "
                "max_is_inclusive BOOLEAN, description TEXT, "
                "CONSTRAINT gdcc_ntv UNIQUE (constraint_name, constraint_type, value))")
    con.execute("CREATE TABLE IF NOT EXISTS gpkg_extensions (table_name TEXT, column_name TEXT, "
                "extension_name TEXT NOT NULL, definition TEXT NOT NULL, scope TEXT NOT NULL, "
                "CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name))")
    for table in ("gpkg_data_columns", "gpkg_data_column_constraints"):
        known = con.execute("SELECT 1 FROM gpkg_extensions WHERE table_name = ? AND extension_name = 'gpkg_schema'",
                            (table,)).fetchone()
        if known is None:
            con.execute("INSERT INTO gpkg_extensions (table_name, column_name, extension_name, definition, scope) "
                        "VALUES (?, NULL, 'gpkg_schema', ?, 'read-write')", (table, _SCHEMA_EXTENSION))


FORMULA_LEAD = ("=", "+", "-", "@", "\t", "\r")


def formula_guarded(v: object) -> bool:
    """Whether :func:`neutralise_formulas` puts a ``'`` before the text ``v``: it starts with a formula lead
    (:data:`FORMULA_LEAD`), or with one or more ``'`` and then one. The second keeps the guard one to one, so
    :func:`yuanluo.gis.plan.unguard` (one ``'`` taken off a text that is ``'`` + such a text) gives back every text as
    it was: ``'=H1`` is written ``''=H1`` and read back as ``'=H1``; ``=H1`` is written ``'=H1``, read back as ``=H1``.

    >>> [formula_guarded(v) for v in ("=1", "'=1", "''-x", "'x", "x=", 5)]
    [True, True, True, False, False, False]
    """
    return isinstance(v, str) and v.lstrip("'").startswith(FORMULA_LEAD)


def neutralise_formulas(df: pd.DataFrame) -> pd.DataFrame:
    """A copy where every text cell a spreadsheet would run as a formula (leading ``=``, ``+``, ``-``, ``@``,
    tab or carriage return) starts with ``'`` instead (OWASP's advice for CSV files opened in Excel), and so does
    a text that already starts with ``'`` before one (:func:`formula_guarded`: ``'=H1`` is ``''=H1``, so that
    reading the CSV back, which takes one ``'`` off, gives ``'=H1`` again). Numbers are left as they are; only CSV
    outputs are changed, never the GeoPackage.

    Examples
    --------
    >>> neutralise_formulas(pd.DataFrame({"hid": ["=1+1", "007", "-x", "'=1", "'x"], "n": [-1, 2, 3, 4, 5]})
    ...                     ).to_dict("list")
    {'hid': ["'=1+1", '007', "'-x", "''=1", "'x"], 'n': [-1, 2, 3, 4, 5]}
    """
    out = pd.DataFrame(df).copy()
    for col in out.columns:
        if out[col].dtype == object or isinstance(out[col].dtype, pd.StringDtype):
            s = out[col]
            text = s.map(formula_guarded)
            if bool(text.any()):
                out[col] = s.where(~text.astype(bool), "'" + s.astype("object").where(text.astype(bool), ""))
    out.columns = [("'" + c) if formula_guarded(c) else c for c in out.columns]
    return out


def _csv_frame(df: pd.DataFrame) -> pd.DataFrame:
    return neutralise_formulas(_csv_columns(df))


#: columns of coded values written in words (the catalogue key ``<prefix>.<code>``; a value without a key is
#: written as it is, e.g. a unit's reason sentence), by column name
WORDED_COLUMNS = {"status": "value.status", "unit_status": "value.status", "severity": "value.severity",
                  "reason": "value.cut", "join_reason": "value.cut", "category": "maturity.category",
                  "indicator": "maturity.indicator"}
#: the most characters Excel keeps in one cell (it cuts a longer one without a word)
EXCEL_CELL_CHARS = 32767


def _listed(v: Any, lang: Lang) -> Any:
    """A list in one cell as the language lists things (``AD0001、AD0002``), never Python's ``['AD0001', …]``;
    one longer than Excel keeps is cut at a whole item and says how many there are in all."""
    from yuanluo.gis.catalogue import text

    if not isinstance(v, (list, tuple, np.ndarray)):
        return v
    items = [str(x) for x in v]
    cell = text("list.sep", lang).join(items)
    if len(cell) <= EXCEL_CELL_CHARS:
        return cell
    return cut_at_item(cell, (text("list.sep", lang),), text("out.csv.more", lang, count=len(items)))


def list_texts(values: Iterable[Any], lang: Lang = "zh") -> list[str]:
    """A column of lists (or their JSON text, as a GeoPackage keeps the units' ``head_candidates``) as one text
    per row, the items joined as ``lang`` lists things (``list.sep``); blank for an empty list or a missing value.

    Examples
    --------
    >>> list_texts(pd.Series(['["A1", "A7"]', "[]", None, ["B2", "B3"], "B4"]), "en")
    ['A1, A7', '', '', 'B2, B3', 'B4']
    """
    from yuanluo.gis.catalogue import text

    sep = text("list.sep", lang)
    out = []
    for v in values:
        if isinstance(v, str) and v.strip().startswith("["):
            with contextlib.suppress(ValueError):
                v = json.loads(v)
        if isinstance(v, list | tuple | np.ndarray):
            out.append(sep.join(str(x) for x in v))
        else:
            out.append("" if v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v)) else str(v))
    return out


def cut_at_item(cell: str, seps: Sequence[str], more: str) -> str:
    """A list in one cell too long for Excel (:data:`EXCEL_CELL_CHARS`) cut after its last whole item (items
    separated by any of ``seps``) that leaves room for ``more`` (what says how many there are), then ``more``.

    >>> cell = cut_at_item("A1;B22;C333;" * 4000, (";",), "…")
    >>> len(cell) <= EXCEL_CELL_CHARS, cell[-8:]
    (True, 'C333;A1…')
    """
    head = cell[:EXCEL_CELL_CHARS - len(more)]
    cut = max((head.rfind(x) for x in seps), default=-1)
    return (head[:cut] if cut > 0 else head) + more


def whole_numbers(df: pd.DataFrame) -> pd.DataFrame:
    """A copy where every whole number of a float column is written without ``.0`` (``23.0`` → ``23``); other
    numbers and blanks are left as they are.

    >>> whole_numbers(pd.DataFrame({"n": [23.0, None], "m": [1.5, 2.0], "s": ["1.0", "x"]})).to_dict("list")
    {'n': [23, None], 'm': [1.5, 2], 's': ['1.0', 'x']}
    """
    out = pd.DataFrame(df).copy()
    for col in out.columns:
        s = out[col]
        if pd.api.types.is_float_dtype(s.dtype):
            vals = s.to_numpy(dtype=float, na_value=np.nan)
            whole = np.isfinite(vals) & (vals == np.round(vals)) & (np.abs(vals) < 2**53)
            cells = vals.astype(object)  # Python floats; then Python ints where whole, None where NaN
            cells[whole] = vals[whole].astype(np.int64).astype(object)
            cells[np.isnan(vals)] = None
            out[col] = pd.Series(cells, index=s.index, dtype=object)
    return out


def is_measure(name: str) -> bool:
    """A column of walking minutes or metres, written to one decimal for people (``mean_walk_min``, ``length_m``).

    >>> [is_measure(c) for c in ("mean_walk_min", "length_m", "n_households", "persons")]
    [True, True, False, False]
    """
    return "walk" in name or name.endswith(("_min", "_m"))


def measures_rounded(df: pd.DataFrame) -> pd.DataFrame:
    """A copy whose float columns of minutes and metres (:func:`is_measure`) are rounded to one decimal.

    >>> measures_rounded(pd.DataFrame({"max_walk_min": [1.425709753487205], "x": [0.123]})).to_dict("list")
    {'max_walk_min': [1.4], 'x': [0.123]}
    """
    out = pd.DataFrame(df).copy()
    for col in out.columns:
        if pd.api.types.is_float_dtype(out[col].dtype) and is_measure(str(col)):
            out[col] = out[col].round(1)
    return out


def csv_in_words(df: pd.DataFrame, layer: str | None, lang: Lang) -> pd.DataFrame:
    """A layer's table for a person opening it in Excel or WPS: headers in ``lang``
    (:func:`yuanluo.gis.layerstyle.header_names`), statuses and yes/no in words, walking minutes to one decimal,
    whole numbers without ``.0``.

    >>> t = pd.DataFrame({"unit_id": ["U1"], "status": ["exception"], "size": [10.0], "mean_walk_min": [0.41156],
    ...                   "has_head": [True]})
    >>> csv_in_words(t, "units", "zh").to_dict("records")
    [{'院落编号': 'U1', '状态': '例外', '规模（按规则计）': 10, '平均步行分钟': 0.4, '有院落长候选': '是'}]
    """
    from yuanluo.gis.catalogue import has, text
    from yuanluo.gis.layerstyle import header_names

    out = pd.DataFrame(df).copy()
    for col in out.columns:
        name, s = str(col), out[col]
        prefix = WORDED_COLUMNS.get(name)
        if s.dtype == object and s.map(lambda v: isinstance(v, (list, tuple, np.ndarray))).any():
            out[col] = s.map(lambda v: _listed(v, lang))
        elif prefix is not None and (s.dtype == object or isinstance(s.dtype, pd.StringDtype)):
            words = {v: text(f"{prefix}.{v}", lang) for v in s.dropna().unique()
                     if isinstance(v, str) and has(f"{prefix}.{v}")}  # each distinct value once
            out[col] = s.map(lambda v, w=words: w.get(v, v) if isinstance(v, str) else v)
        elif pd.api.types.is_bool_dtype(s.dtype):
            out[col] = s.map(lambda v: text("out.csv.yes" if v else "out.csv.no", lang) if pd.notna(v) else v)
    out = whole_numbers(measures_rounded(out))  # minutes and metres to one decimal
    out.columns = header_names([str(c) for c in out.columns], lang, layer)
    return out


def _csv_columns(df: pd.DataFrame) -> pd.DataFrame:
    if not _is_geo(df):
        return pd.DataFrame(df)
    gdf = gpd.GeoDataFrame(df)
    gcol = gdf._geometry_column_name
    geom = gdf.geometry.values
    out = pd.DataFrame(gdf.drop(columns=[gcol]))
    present = ~(shapely.is_missing(geom) | shapely.is_empty(geom))
    types = shapely.get_type_id(geom[present])
    if len(types) == 0 or (types == 0).all():
        xcol, ycol = ("x", "y") if not ({"x", "y"} & set(out.columns)) else ("geometry_x", "geometry_y")
        x = np.full(len(gdf), np.nan)
        y = np.full(len(gdf), np.nan)
        x[present] = shapely.get_x(geom[present])
        y[present] = shapely.get_y(geom[present])
        out[xcol] = x
        out[ycol] = y
    else:
        wkt = np.full(len(gdf), None, dtype=object)
        wkt[present] = shapely.to_wkt(geom[present], rounding_precision=-1)
        out["geometry"] = pd.array(wkt, dtype="str")
    return out


def _write_single(df: pd.DataFrame, tmp: Path, fmt: str) -> None:
    if fmt == "parquet":
        if _is_geo(df):
            gpd.GeoDataFrame(df).to_parquet(tmp, index=False)
        else:
            pd.DataFrame(df).to_parquet(tmp, index=False)
    else:
        with open(tmp, "w", encoding="utf-8-sig", newline="") as f:
            _csv_frame(df).to_csv(f, index=False, lineterminator="\r\n")


@contextlib.contextmanager
def joined(overwrite: bool) -> Iterator[Transaction]:
    """The open transaction (whose ``overwrite`` then decides), else a new one committed on leaving: library
    functions that write several files wrap their writes in it, so that they too write all or none."""
    tx = current()
    if tx is not None:
        yield tx
        return
    with Transaction(overwrite=overwrite) as own:
        yield own


#: how the outputs of the running command were given: (the object a caller was handed, its name, such as the
#: command-line option ``--xlsx``), set by the command line around a command (:func:`given_as`)
_GIVEN: contextvars.ContextVar[tuple[tuple[Any, str], ...]] = contextvars.ContextVar("yuanluo_given_as",
                                                                                    default=())
#: the suffixes allowed per output: a mapping (output → suffixes) or pairs (output, suffixes); pairs keep two
#: outputs given the same path apart, as a mapping cannot
Allowed = Mapping[str | os.PathLike[str] | None, Sequence[str]] | Sequence[tuple[str | os.PathLike[str] | None,
                                                                                  Sequence[str]]]
#: (output, the names of the layers a command may write there) pairs: :func:`require_free`'s ``layers``
Layered = Sequence[tuple[str | os.PathLike[str] | None, Sequence[str]]]


@contextlib.contextmanager
def given_as(pairs: Iterable[tuple[Any, str]]) -> Iterator[None]:
    """Within the block, an output checked by :func:`require_free` is named by how it was given: ``pairs`` of
    (the very object the caller was handed, its name, e.g. ``--xlsx``), matched by identity, so that a message
    says which option holds a wrong extension.

    Examples
    --------
    >>> m = Path("m.txt")
    >>> with given_as([(m, "--map")]):
    ...     try:
    ...         require_free([m], overwrite=True, need_dirs=False, allowed={m: HTML_SUFFIXES})
    ...     except OutputError as e:
    ...         print(e.problems[0].code, e.problems[0].params["option"])
    OUT-SUFFIX-OPTION --map
    """
    token = _GIVEN.set(tuple(pairs))
    try:
        yield
    finally:
        _GIVEN.reset(token)


def _given_names(objs: Iterable[Any]) -> list[str]:
    """The names (:func:`given_as`) of the objects ``objs``, each once, in the order given."""
    want = [id(o) for o in objs]
    names: list[str] = []
    for obj, name in _GIVEN.get():
        if id(obj) in want and name not in names:
            names.append(name)
    return names


def _is_folder(p: Path) -> bool:
    """Whether ``p`` is an existing folder; False where that cannot be told (a name too long to look up)."""
    try:
        return p.is_dir()
    except OSError:
        return False


def _suffix_problems(paths: Sequence[Any], allowed: Allowed) -> list[Problem]:
    """OUT-SUFFIX-OPTION (naming the option, when known: :func:`given_as`) or OUT-SUFFIX for every output whose
    extension is not among those allowed for it, once each. In a mapping, outputs given the same path are one
    key holding the suffixes of one of them: OUT-SUFFIX-SHARED names the options that share it."""
    entries = list(allowed.items()) if isinstance(allowed, Mapping) else list(allowed)
    found: list[Problem] = []
    seen: set[tuple[Path, tuple[str, ...]]] = set()
    for key, suffixes in entries:
        if key is None or not _named(key):  # no name at all: OUT-NAME-EMPTY (:func:`_nameless`)
            continue
        p = Path(key)
        if _is_folder(p):  # an existing folder: OUT-IS-DIR says so (:func:`_folder_problems`), one error for one cause
            continue
        ok = tuple(s.lower() for s in suffixes)
        if not ok or p.suffix.lower() in ok or (p, ok) in seen or _end_only(p, ok):
            continue
        seen.add((p, ok))
        params: dict[str, Any] = {"target": shown_path(p), "suffix": p.suffix or "-", "allowed": " ".join(ok)}
        code = "OUT-SUFFIX" if p.suffix else "OUT-SUFFIX-NONE"  # "x", "x.", ".png": no extension at all
        shared = [o for o in paths if o is not None and Path(o).resolve() == p.resolve()]
        if isinstance(allowed, Mapping) and len(shared) > 1:  # one key for several outputs: which one is unknown
            names = _given_names(shared)
            found.append(problem("OUT-SUFFIX-SHARED", options=names, **params) if len(names) > 1 and p.suffix
                         else problem(code, **params))
            continue
        names = _given_names([key])
        found.append(problem(f"{code}-OPTION", option=names[0], **params) if len(names) == 1
                     else problem(code, **params))
    return found


def _end_only(p: Path, ok: Sequence[str]) -> bool:
    """Whether the name of ``p`` has one of the extensions ``ok`` (all when empty) but for the dots or spaces it
    ends in (``结果.html.``): OUT-NAME-WINDOWS-END says so, not OUT-SUFFIX (one error for one cause).

    >>> _end_only(Path("结果.html."), (".html",)), _end_only(Path("sheets."), (".pdf",)), _end_only(Path("a.html"), ())
    (True, False, False)
    """
    name = p.name.rstrip(". ")
    if name == p.name or not name:
        return False
    return not ok or Path(name).suffix.lower() in ok


def _typed_folders(p: Path) -> list[Path]:
    """The folders of the output ``p`` as it was given, outermost first: every one but the drive's top (``/``,
    ``C:\\``), whether it exists or the command creates it (a folder Windows cannot hold cannot be copied
    there either, and "create it first" must not lead to one).

    >>> [f.as_posix() for f in _typed_folders(Path("a/b/c.html"))], _typed_folders(Path("c.html"))
    (['a', 'a/b'], [])
    """
    return [f for f in reversed(p.parents) if f.name]


def _bad_folders(p: Path) -> list[Path]:
    """The folders of ``p`` (:func:`_typed_folders`) whose names Windows does not take."""
    return [f for f in _typed_folders(p) if windows_name_problem(p, f) is not None]


def windows_path_problem(p: Path, *, sep: str | None = None, given_as_obj: Any = None, folder: bool = False,
                         option: str | None = None, empty_alt: str = ".") -> Problem | None:
    r"""OUT-PATH-WINDOWS (OUT-PATH-WINDOWS-OPTION naming the option, when known: :func:`given_as`) for an output
    written the Windows way — ``D:\out\r.gpkg``, ``out\r.gpkg``, ``.\r.gpkg``, ``D:/out/r.gpkg`` — on a system
    whose separator ``sep`` (:data:`os.sep` when the check runs) is ``/``: there a ``\`` is a letter of a file's
    name and ``D:`` a folder's, so the file would be written as ``D:\out\r.gpkg`` in the current folder, not
    where the planner looks. The fix gives the path with ``/`` (``{alt}``); of a drive's path the rest of it
    (variant ``drive``), or, where this system shows the drive as ``/mnt/d`` (Windows' own Linux, WSL), the path
    there (variant ``mounted``). None on Windows, where ``\`` separates folders and ``D:`` is a drive.
    ``given_as_obj``: the object the caller was handed for ``p`` (its option is known by it), else ``p``;
    ``option`` names it outright. ``folder``: ``p`` is a folder the command writes its files in (``demo -o
    D:\演示\``), said as a folder (variants ``folder``, ``folder_drive``, ``folder_mounted``), its fix the folder
    with ``/`` (``empty_alt`` for a drive's top, ``D:\``, where the drive is not this system's folder).

    >>> windows_path_problem(Path("out\\r.gpkg"), sep="/").params["alt"]
    'out/r.gpkg'
    >>> q = windows_path_problem(Path("D:\\no-such-drive\\r.gpkg"), sep="/")
    >>> q.code, q.params["drive"], q.params["alt"] == "no-such-drive/r.gpkg" or q.variant == "mounted"
    ('OUT-PATH-WINDOWS', 'D:', True)
    >>> windows_path_problem(Path("out\\r.gpkg"), sep="\\"), windows_path_problem(Path("规划/r 1.gpkg"), sep="/")
    (None, None)
    >>> windows_path_problem(Path("演示\\") / "demo.gpkg", sep="/").params["alt"]
    '演示/demo.gpkg'
    >>> q = windows_path_problem(Path("out\\演示\\"), sep="/", folder=True, option="-o")
    >>> q.variant, q.params["alt"], q.params["option"]
    ('folder', 'out/演示', '-o')
    """
    import re

    if (sep or os.sep) != "/":
        return None
    given = str(p)
    raw = given.replace("\\", "/")
    slashed = re.sub(r"(?<=[^/])/{2,}", "/", raw)  # one / between folders: D:\演示\ given for a folder, + /demo.gpkg
    drive = re.match(r"^([A-Za-z]:)/+", slashed)
    if drive is None and raw == given:
        return None
    names = [option] if option else _given_names([p if given_as_obj is None else given_as_obj])
    code = "OUT-PATH-WINDOWS-OPTION" if len(names) == 1 else "OUT-PATH-WINDOWS"
    extra: dict[str, Any] = {"option": names[0]} if len(names) == 1 else {}
    kind = "folder" if folder else ""
    if folder:  # the folder as it is named: no / after it
        slashed = slashed.rstrip("/") or slashed
    if drive is None:
        return replace(problem(code, target=shown_path(given), alt=shown_path(slashed), **extra), variant=kind)
    rest = slashed[drive.end():] or ("" if folder else Path(slashed).name)
    from yuanluo.gis import errors

    mount = errors.WSL_DRIVES / drive[1][0].lower()  # read when it runs: a test points it elsewhere
    variant = "mounted" if mount.is_dir() else "drive"
    alt = str(mount / rest) if variant == "mounted" else (rest or empty_alt)
    return replace(problem(code, target=shown_path(given), drive=drive[1].upper(), alt=shown_path(alt),
                           mount=shown_path(mount), **extra), variant=f"{kind}_{variant}" if kind else variant)


def _windows_paths(outs: Sequence[Path], given: Sequence[Any]) -> tuple[list[Problem], set[int]]:
    r"""OUT-PATH-WINDOWS(-OPTION) for the outputs ``outs`` written the Windows way (:func:`windows_path_problem`;
    ``given`` the objects they were given as, in their order), and the positions of those outputs. Each option is
    said; an output no option names (a file named after one, ``out\r_units.csv`` beside ``--csv out\r.csv``; a
    file of a folder given, ``D:\演示/demo.gpkg``) only where no output of the same folder was said.

    >>> found, at = _windows_paths([Path("out\\r.csv"), Path("out\\r_units.csv"), Path("b\\x.csv")], [])
    >>> [q.params["target"] for q in found], sorted(at)
    (['out\\r.csv', 'b\\x.csv'], [0, 1, 2])
    """
    made = [(i, windows_path_problem(p, given_as_obj=given[i] if i < len(given) else None))
            for i, p in enumerate(outs)]
    found = [(i, q) for i, q in made if q is not None]
    folders: set[str] = set()
    said: list[Problem] = []
    for _, q in sorted(found, key=lambda iq: (iq[1].code != "OUT-PATH-WINDOWS-OPTION", iq[0])):
        folder = str(q.params["target"]).replace("\\", "/").rpartition("/")[0]
        if q.code == "OUT-PATH-WINDOWS" and folder in folders:
            continue
        folders.add(folder)
        said.append(q)
    order = {id(q): i for i, q in found}
    return sorted(said, key=lambda q: order[id(q)]), {i for i, _ in found}


def _windows_problems(outs: Sequence[Path], suffixes: Mapping[Path, Sequence[str]],
                      given: Sequence[Any] = ()) -> list[Problem]:
    """What Windows does not take in the outputs' names, whatever system this is (:func:`windows_name_problem`):
    in each output's name (a name ending in a dot or a space only when its extension is right but for them:
    :func:`_end_only`; else OUT-SUFFIX says it), in every folder of it as given (:func:`_typed_folders`), and
    OUT-SAME-CASE for two outputs differing only in case. The length of the whole path is OUT-PATH-LONG's, known
    only on Windows (:func:`path_too_long`). A path written the Windows way on another system is
    OUT-PATH-WINDOWS (:func:`windows_path_problem`; ``given``: the objects the outputs were given as, in their
    order, which name its option), and nothing more of it.

    >>> [p.code for p in _windows_problems([Path("a:b.csv"), Path("n/CON.html"), Path("x/Plan.csv"),
    ...                                     Path("x/plan.csv")], {})]
    ['OUT-NAME-WINDOWS-CHAR', 'OUT-NAME-WINDOWS-RESERVED', 'OUT-SAME-CASE']
    >>> [(p.code, p.params["example"]) for p in _windows_problems([Path("new:dir/COM¹.html")], {})]
    [('OUT-NAME-WINDOWS-RESERVED', 'new-dir/COM¹_1.html'), ('OUT-NAME-WINDOWS-CHAR', 'new-dir/COM¹_1.html')]
    """
    found, written = _windows_paths(outs, given)
    said: set[Path] = set()  # a folder of several outputs is said once
    for i, p in enumerate(outs):
        if i in written:  # a Windows path on Linux or macOS: that, not its letters one by one
            continue
        ok = tuple(suffixes.get(p, ()))
        bad = windows_name_problem(p, end=_end_only(p, ok))
        folders = _bad_folders(p)
        if bad is not None and folders:  # one example with every name corrected
            bad = windows_name_problem(p, end=_end_only(p, ok), example=str(_corrected(p, True)))
        if bad is not None:
            found.append(bad)
        for f in folders:
            if f not in said:
                said.add(f)
                found.append(cast(Problem, windows_name_problem(p, f, example=str(_corrected(p, bad is not None)))))
    groups: dict[str, list[Path]] = {}
    for p in outs:
        groups.setdefault(str(p.resolve()).lower(), []).append(p)
    for group in groups.values():
        distinct = [q for i, q in enumerate(group) if all(q.resolve() != r.resolve() for r in group[:i])]
        if len(distinct) > 1:
            found.append(case_problem(distinct))
    return found


def _refuse_windows_names(targets: Sequence[Path], given: Path | None = None) -> None:
    """Refuse, before a writer of the Python API writes anything, what the command line refuses in its outputs'
    names (:func:`_windows_problems`: OUT-NAME-BYTES, OUT-NAME-WINDOWS-CHAR, -RESERVED, -END, -LONG, in the name
    and in every folder as given, and OUT-SAME-CASE among ``targets``), and OUT-SAME-CASE for a target differing
    only in case from one already written in the open transaction (:func:`yuanluo.gis.transaction.current`).
    ``given`` is the path the caller gave when the files written are named after it (``OUT.units.csv``): its
    name is checked first, and the files named after it only when it passes (one error for one cause).

    >>> _refuse_windows_names([Path("结果 （第一版）.gpkg"), Path("名 单/方案 (1).csv")])
    >>> try:
    ...     _refuse_windows_names([Path("结果:2024.units.csv")], given=Path("结果:2024.csv"))
    ... except OutputError as e:
    ...     print(e.codes, e.problems[0].params["example"])
    ['OUT-NAME-WINDOWS-CHAR'] 结果-2024.csv
    """
    found = _windows_problems([given], {}) if given is not None else []
    if not found:
        found = _windows_problems(list(targets), {})
    tx = current()
    if not found and tx is not None:
        for t in targets:
            key = str(t.resolve()).lower()
            other = next((s for s in tx.targets if str(s.resolve()).lower() == key and s.resolve() != t.resolve()),
                         None)
            if other is not None:
                found.append(case_problem([other, t]))
    if found:
        raise OutputError(found)


def _corrected(p: Path, name: bool) -> Path:
    """``p`` with the name of every folder corrected for Windows (:func:`windows_fixed`), and its own with them
    when ``name``; ``.`` and ``..`` are kept."""
    parts = [f.name for f in _typed_folders(p)]
    top = p.parents[len(parts)] if parts else p.parent
    return top.joinpath(*(x if x in (".", "..") else windows_fixed(x) for x in parts),
                        windows_fixed(p.name) if name else p.name)


def _named(p: Any) -> bool:
    r"""Whether the output ``p`` has a file name (:func:`_nameless`): not an empty path, ``.``, ``./`` or ``/``, nor,
    where the separator is ``/``, a folder typed the Windows way, ``out\`` or ``D:\``, whose ``\`` is read there as
    a letter of a name (``--csv out\`` was said as a name without an extension and as a Windows path whose fix,
    ``out/``, is no file's name either).

    >>> [_named(x) for x in (Path("a.png"), Path(""), Path("/"))], _named("out\\") == (os.sep != "/")
    ([True, False, False], True)
    """
    return bool(Path(p).name) and not (os.sep == "/" and str(p).endswith("\\"))


def _nameless(paths: Iterable[Any]) -> list[Problem]:
    r"""OUT-NAME-EMPTY (OUT-NAME-EMPTY-OPTION naming the option, when known: :func:`given_as`) for every output
    that has no file name (:func:`_named`): an empty path (``-o ""``, a script's unset variable, which becomes
    ``.``), ``.``, ``./`` or ``/``, and on Linux or macOS a folder typed the Windows way (``out\``); every other check
    of such an output would fail on its name.

    >>> [p.code for p in _nameless([Path(""), None, Path("a.png"), Path("/")])]
    ['OUT-NAME-EMPTY', 'OUT-NAME-EMPTY']
    """
    found: list[Problem] = []
    for p in paths:
        if p is None or _named(p):
            continue
        names = _given_names([p])
        target = str(Path(p))
        # "" and "." are one path (Typer makes "" one): say both, never that the user typed a "." they did not
        what = both("out.nameless.empty") if target == "." else both("out.nameless.folder", target=target)
        found.append(problem("OUT-NAME-EMPTY-OPTION", option=names[0], target=target, what=what) if len(names) == 1
                     else problem("OUT-NAME-EMPTY", target=target, what=what))
    return found


#: bytes written into the hidden probe file of :func:`_access_problem`: enough that a full drive refuses them
#: (ENOSPC), little enough to cost nothing
PROBE_BYTES = 64 * 1024


def _read_only(folder: Path) -> bool:
    """Whether ``folder`` is on a read-only file system (POSIX ``statvfs``; False where that cannot be told)."""
    try:
        return bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except (AttributeError, OSError):
        return False


def _access_problem(p: Path, folder: Path) -> Problem | None:
    """OUT-WRITE with ``EROFS`` (a read-only drive), ``EACCES`` (no right to write) or ``ENOSPC`` (a full drive)
    for writing ``p`` into the existing ``folder``, or None.

    The permission bits are not the answer where they promise what the folder refuses (root passes every
    ``os.access``; ``/proc``, a full or a network drive, a folder another program locks): a hidden file is made in
    the folder, :data:`PROBE_BYTES` are written into it (an empty file is still made on a full drive) and it is
    removed, and the error of making or writing it (its code, as the write's own error would give it) is the
    answer before the work, not after it. A drive with room for the probe may still fill up during the work: that
    is OUT-WRITE after it, as before."""
    if not os.access(folder, os.W_OK | os.X_OK) or _read_only(folder):
        return write_problem(p, "EROFS" if _read_only(folder) else "EACCES", folder)
    probe = ""
    try:
        fd, probe = tempfile.mkstemp(prefix=".yuanluo-", suffix=".probe", dir=folder)
        try:
            left = memoryview(bytes(PROBE_BYTES))
            while left:
                left = left[os.write(fd, left):]
        finally:
            os.close(fd)
    except OSError as exc:
        code = exc.errno
        reason = errno.errorcode.get(code, type(exc).__name__) if isinstance(code, int) else type(exc).__name__
        # a folder that is there and still says ENOENT (/proc): the system refused, in the message's words
        return write_problem(p, reason, folder, cause="" if reason == "ENOENT" else reason)
    finally:
        if probe:
            with contextlib.suppress(OSError):
                os.unlink(probe)
    return None


def _name_max(folder: Path) -> int:
    try:
        return int(os.pathconf(folder, "PC_NAME_MAX"))
    except (AttributeError, OSError, ValueError):
        return 255


def _too_long(p: Path, folder: Path) -> Problem | None:
    """OUT-NAME-LONG when the name of ``p`` or of the hidden temporary it is first written to is longer than the
    folder's file system takes (255 bytes on most): checked before the work, not found after it."""
    limit = _name_max(folder)
    longest = max(len(os.fsencode(p.name)), len(os.fsencode(temp_name(p).name)))
    if longest <= limit:
        return None
    return problem("OUT-NAME-LONG", target=shown_path(p), length=len(os.fsencode(p.name)), limit=limit)


def _allowed_per_path(allowed: Allowed) -> dict[Path, tuple[str, ...]]:
    """The suffixes allowed for each output path (the first entry's, when two outputs are one path)."""
    found: dict[Path, tuple[str, ...]] = {}
    for key, suffixes in (list(allowed.items()) if isinstance(allowed, Mapping) else list(allowed)):
        if key is not None:
            found.setdefault(Path(key), tuple(s.lower() for s in suffixes))
    return found


def _inside(folder: Path, suffixes: Sequence[str]) -> Path:
    """A file in ``folder`` named after it, with an extension the output takes (the first of ``suffixes``
    unless the folder's name has one of them): the example OUT-IS-DIR gives, which no other check refuses. A
    folder given as ``.`` or ``..`` is named by the folder it is (``../<its name>.gpkg``, not the dot-file
    ``../...gpkg``), a name's leading dots are left out (no hidden file), and the drive's top folder, which has
    no name, gives ``yuanluo``.

    >>> _inside(Path("outdir"), (".gpkg", ".csv")).as_posix(), _inside(Path("a.csv"), (".gpkg", ".csv")).as_posix()
    ('outdir/outdir.gpkg', 'a.csv/a.csv')
    >>> up = _inside(Path(".."), (".gpkg",))  # named after the folder above this one, whatever it is called
    >>> up.parent.as_posix(), up.suffix, up.name.startswith(".")
    ('..', '.gpkg', False)
    >>> _inside(Path("/"), (".gpkg",)).as_posix(), _inside(Path(".hidden"), (".html",)).as_posix()
    ('/yuanluo.gpkg', '.hidden/hidden.html')
    """
    ok = [s.lower() for s in suffixes]
    name = folder.name
    if not name.strip("."):  # "", "." or "..": the name of the folder it is
        try:
            name = folder.resolve().name
        except (OSError, RuntimeError):
            name = ""
    name = name.lstrip(".") or "yuanluo"
    if not ok or Path(name).suffix.lower() in ok:
        return folder / name
    return folder / (Path(name).stem + ok[0])


def _bang_folder(p: Path) -> Problem | None:
    """OUT-DIR-BANG when ``p`` is a GeoPackage in a folder with ``!`` in its path that GDAL would not be given as
    it is: pyogrio reads a path as a URI (``pyogrio.util.vsi_path``) and takes what comes before a ``!`` as an
    archive, so ``/data/第1批!/r.gpkg`` was written as ``r.gpkg`` in the working folder, or failed (exit 3). The
    temporary's own name has no ``!`` (:data:`yuanluo.gis.transaction.TEMP_NAME_UNSAFE`); a folder cannot be
    renamed for it. Not on Windows for a path with a drive (``C:\\…``), which pyogrio passes as it is.

    >>> _bang_folder(Path("/data/第1批!/新!/r.gpkg")).params["folder"]
    '/data/第1批!'
    >>> _bang_folder(Path("/data/第1批!/r.csv")) is None, _bang_folder(Path("/data/a;b/r!1.gpkg")) is None
    (True, True)
    """
    if p.suffix.lower() != ".gpkg":
        return None
    from pyogrio.util import vsi_path

    tmp = str(temp_name(p))
    if vsi_path(tmp) == tmp:
        return None
    bang = next((f for f in reversed([p.parent, *p.parent.parents]) if "!" in f.name), None)
    if bang is None:
        return None
    return problem("OUT-DIR-BANG", target=shown_path(p), folder=shown_path(bang),
                   example=shown_path(bang.with_name(bang.name.replace("!", "_"))))


def _folder_problems(outs: Sequence[Path], create: bool = False,
                     suffixes: Mapping[Path, Sequence[str]] | None = None) -> list[Problem]:
    """The problems of writing each output into its folder: OUT-DIR-FILE (the folder, or a folder above it, is
    a file), OUT-WRITE with ``ENOENT`` (the folder does not exist, unless ``create``: the command makes it),
    ``EROFS`` (a read-only drive) or ``EACCES`` (no right to write there; for a folder to create, its nearest
    existing folder), OUT-IS-DIR (the output is a folder), OUT-NAME-LONG (a name too long) and, on Windows,
    OUT-PATH-LONG (the path, or that of the temporary it is first written to, longer than Windows takes).
    ``suffixes`` (the extensions each output takes) make OUT-IS-DIR's example a name that has one."""
    suffixes = suffixes or {}
    found: list[Problem] = []
    for p in outs:
        folder = p.parent
        bang = _bang_folder(p)
        if bang is not None:
            found.append(bang)
        windows_long = path_too_long(p)  # on Windows: the path, or its temporary's, longer than MAX_PATH
        if windows_long is not None:
            found.append(windows_long)
        if folder.is_dir():
            long = _too_long(p, folder)
            if long is not None:  # stat() of such a name fails: nothing more to check
                found.append(long)
                continue
            access = _access_problem(p, folder)
            if access is not None:
                found.append(access)
            if p.is_dir():
                found.append(problem("OUT-IS-DIR", target=shown_path(p), example=shown_path(_inside(p, suffixes.get(p, ()))),
                                     overwrite=overwrite_named()))
            continue
        above = folder
        while not (above.exists() or above.is_symlink()) and above.parent != above:
            above = above.parent
        if above.exists() and not above.is_dir():
            found.append(problem("OUT-DIR-FILE", target=shown_path(p), folder=shown_path(above)))
        elif not create or not above.is_dir():
            found.append(write_problem(p, "ENOENT", folder))
        else:
            found.extend(x for x in (_access_problem(p, above), _too_long(p, above)) if x is not None)
    return found


def require_free(paths: Iterable[str | os.PathLike[str] | None], *, overwrite: bool,
                 inputs: Iterable[str | os.PathLike[str] | None] = (), need_dirs: bool = True,
                 allowed: Allowed | None = None, layers: Layered = ()) -> None:
    """Check every output of a command before any work, and refuse them all at once when one is wrong.

    ``None`` entries (outputs not asked for) are skipped. Problems: OUT-NAME-EMPTY or OUT-NAME-EMPTY-OPTION (an
    output with no file name, such as an empty path: :func:`_nameless`), OUT-INPUT (an output that is an input —
    the same path or, through a hard link, the same file — refused even with ``overwrite``), OUT-SAME (two
    outputs that are one file), OUT-SUFFIX (an extension not in ``allowed[path]``; OUT-SUFFIX-NONE for a name
    with none; OUT-SUFFIX-OPTION, OUT-SUFFIX-NONE-OPTION or OUT-SUFFIX-SHARED naming the option or options, see
    :func:`given_as`; ``allowed`` may be (path, suffixes) pairs, which keep two outputs of one path apart), OUT-WRITE with ``ENOENT``, ``EROFS`` or ``EACCES`` (the
    folder of an output does not exist, is on a read-only drive or cannot be written; with ``need_dirs=False``,
    for a folder the command creates, a missing folder is fine when its nearest existing folder can be
    written), OUT-DIR-FILE (a file where the folder should be), OUT-IS-DIR (an output that is a folder, which
    ``overwrite`` cannot replace), OUT-NAME-LONG (a name the file system does not take), OUT-PATH-LONG (on
    Windows, a path longer than it takes, counting the temporary each output is first written to), OUT-DIR-BANG
    (a GeoPackage in a folder with ``!`` in its path, which GDAL would not be given: :func:`_bang_folder`), on every
    system what Windows does not take in a name (OUT-NAME-WINDOWS-CHAR, -RESERVED, -END, -LONG and OUT-SAME-CASE:
    :func:`_windows_problems`), OUT-EXISTS (an existing output without ``overwrite``) and, with ``overwrite``, OUT-WRITE
    for an existing output marked read-only (:func:`yuanluo.gis.transaction.read_only_problem`), which Windows
    refuses to replace once the work is done. The fixes name ``--overwrite`` on the command line and
    ``overwrite=True`` for a caller from Python. ``layers`` are (output, the names of the layers the command may
    write there) pairs: the files named after such an output (``OUT.units.csv``: :func:`layer_files`) are checked
    too, as outputs (OUT-INPUT, OUT-SAME, OUT-NAME-LONG, OUT-PATH-LONG, OUT-EXISTS, a read-only file), not found
    after the work.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp()); (d / "a.gpkg").write_bytes(b"x")
    1
    >>> require_free([d / "a.gpkg", None, d / "b.html"], overwrite=True)
    >>> require_free([d / "b.html"], overwrite=False)
    >>> require_free([d / "a.gpkg"], overwrite=False)
    Traceback (most recent call last):
    ...
    yuanluo.gis.errors.OutputError: ...
    >>> try:
    ...     require_free([d / "a.gpkg", d / "no" / "m.html", d / "a.gpkg"], overwrite=True, inputs=[d / "a.gpkg"])
    ... except OutputError as e:
    ...     print(e.codes)
    ['OUT-INPUT', 'OUT-SAME', 'OUT-WRITE']
    >>> try:
    ...     require_free([d / "m.txt"], overwrite=True, allowed={d / "m.txt": HTML_SUFFIXES})
    ... except OutputError as e:
    ...     print(e.codes)
    ['OUT-SUFFIX']
    """
    paths = list(paths)
    nameless = _nameless(paths)
    paths = [p for p in paths if p is None or _named(p)]  # a path without a name is said once, checked no more
    kept = [p for p in paths if p is not None]
    outs = [Path(p) for p in kept]
    named_after = _layer_files_of(layers, outs)
    every = [*outs, *named_after]
    resolved = [p.resolve() for p in every]
    ins = [Path(p) for p in inputs if p is not None]
    found: list[Problem] = list(nameless)
    clash = [p for p in every if any(same_file(p, i) for i in ins)]
    if clash:
        found.append(input_problem(clash))
    same = sorted({shown_path(p) for p, r in zip(every, resolved, strict=True) if resolved.count(r) > 1})
    if same:
        found.append(problem("OUT-SAME", targets=list(same)))
    found.extend(_suffix_problems(paths, allowed or {}))
    found.extend(_windows_problems(outs, _allowed_per_path(allowed or {}), given=kept))
    # a missing folder whose name Windows does not take: OUT-NAME-WINDOWS-* says it, not "create it first"
    unholdable = {shown_path(p) for p in outs if _bad_folders(p)}
    found.extend(x for x in _folder_problems(outs, create=not need_dirs, suffixes=_allowed_per_path(allowed or {}))
                 if not (x.code == "OUT-WRITE" and x.params.get("reason") == "ENOENT"
                         and str(x.params.get("target")) in unholdable))
    named = {str(x.params.get("target")) for x in found if x.code == "OUT-NAME-LONG"}
    found = [x for x in found if not (x.code == "OUT-NAME-WINDOWS-LONG" and x.params.get("name") == Path(str(
        x.params.get("target"))).name and str(x.params.get("target")) in named)]  # one error for one long name
    found.extend(_layer_file_lengths(named_after))
    named |= {str(x.params.get("target")) for x in found if x.code == "OUT-NAME-LONG"}
    taken = [p for p in every if shown_path(p) not in named and p.exists() and not p.is_dir() and p not in clash]
    if taken and not overwrite:
        found.append(exists_problem(taken))
    if overwrite:  # a file to replace that is marked read-only: said now, not after the work
        found.extend(x for x in map(read_only_problem, dict.fromkeys(taken)) if x is not None)
    if found:
        raise OutputError(_one_per_folder(found))


def _layer_files_of(layers: Layered, outs: Sequence[Path]) -> list[Path]:
    """The files named after the outputs of ``layers`` (:func:`layer_files`) that are not outputs themselves.

    >>> [p.name for p in _layer_files_of([(Path("o.csv"), ["units", "run"]), (None, ["x"])], [Path("o.csv")])]
    ['o.units.csv', 'o.run.csv']
    """
    files = [f for p, names in layers if p is not None and Path(p).name and names for f in layer_files(p, names)]
    return [f for f in dict.fromkeys(files) if f not in outs]


def _layer_file_lengths(files: Sequence[Path]) -> list[Problem]:
    """OUT-NAME-LONG or (on Windows) OUT-PATH-LONG of each layer file named after an output, whose name is longer
    than the output's own; none where the folder is not there (the output's OUT-WRITE says so)."""
    out: list[Problem] = []
    for f in files:
        folder = f.parent
        if not folder.is_dir():
            continue
        long = path_too_long(f)
        out.extend(x for x in (long, _too_long(f, folder) if long is None else None) if x is not None)
    return out


#: the problems of an output's folder, said once for the outputs of one folder (:func:`_one_per_folder`)
_OF_FOLDER = ("OUT-WRITE", "OUT-DIR-FILE")


def _one_per_folder(found: Sequence[Problem]) -> list[Problem]:
    """``found`` with the OUT-WRITE problems of one folder and one cause (a folder missing, read-only …), and the
    OUT-DIR-FILE of one file where the folder should be, said once, naming together the outputs it would hold, where
    the first of them stood: a command writing three files into a missing folder said "the folder does not exist"
    three times.

    >>> from yuanluo.gis.transaction import write_problem
    >>> found = [write_problem(Path(f"out/{n}"), "ENOENT", Path("out")) for n in ("a.gpkg", "b.html")]
    >>> one = _one_per_folder([*found, problem("OUT-SAME", targets=["x"])])
    >>> [q.code for q in one], print(one[0].message("en"))
    Error OUT-WRITE: cannot write out/a.gpkg, out/b.html (ENOENT: the folder out does not exist).
      Fix: create the folder out first and retry, or write the output to a folder that exists.
    (['OUT-WRITE', 'OUT-SAME'], None)
    """
    def key(q: Problem) -> tuple[str, ...]:
        cause = q.params.get("cause") or {}
        return (q.code, str(q.params.get("reason")), str(q.params.get("folder")), *map(str, cause.values()),
                q.variant)

    def of_folder(q: Problem) -> bool:  # a file marked read-only is a problem of its own, said for itself
        return q.code in _OF_FOLDER and q.variant != "readonly"

    held: dict[tuple[str, ...], list[str]] = {}
    for q in found:
        if of_folder(q):
            held.setdefault(key(q), []).append(str(q.params.get("target")))
    out: list[Problem] = []
    for q in found:
        if not of_folder(q):
            out.append(q)
        elif held.get(key(q)):
            targets = list(dict.fromkeys(held.pop(key(q))))
            out.append(q if len(targets) == 1 else replace(q, params={**q.params, "target": targets}))
    return out


def transaction(paths: Sequence[str | os.PathLike[str] | None], *, overwrite: bool,
                inputs: Iterable[str | os.PathLike[str] | None] = (), need_dirs: bool = True,
                allowed: Allowed | None = None, layers: Layered = ()) -> Transaction:
    """Check a command's outputs (:func:`require_free`; ``layers``: the layers each layer output may hold, whose
    files named after it are checked too) and open the one transaction they are written in.

    Use it as a context manager around the command's work: every :func:`write_layers` / :func:`write_bytes`
    inside writes a temporary, and on leaving the block every output is placed, or (on any error or interrupt)
    none is.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> with transaction([d / "a.html", d / "b.html"], overwrite=False, allowed={d / "a.html": HTML_SUFFIXES}):
    ...     _ = write_bytes(d / "a.html", b"<p>a</p>")
    ...     raise ValueError("stopped before the second file")
    Traceback (most recent call last):
    ...
    ValueError: stopped before the second file
    >>> list(d.iterdir())
    []
    """
    ins = [Path(p) for p in inputs if p is not None]
    require_free(paths, overwrite=overwrite, inputs=ins, need_dirs=need_dirs, allowed=allowed, layers=layers)
    files = {Path(p): layer_files(p, names) for p, names in layers if p is not None and Path(p).name and names}
    return Transaction(overwrite=overwrite, inputs=ins, planned=paths, files=files)


def require_writer_free(outputs: Sequence[tuple[str | os.PathLike[str], Sequence[str]]], *, overwrite: bool,
                        inputs: Iterable[str | os.PathLike[str] | None] = ()) -> None:
    """The checks of a library writer called from Python (a notebook), made before any work as a command's
    :func:`transaction` makes them (:func:`require_free`): ``outputs`` are (path, the suffixes the writer writes
    there) pairs; an existing output without ``overwrite`` is OUT-EXISTS, an extension the writer does not write
    OUT-SUFFIX, an output that is one of ``inputs`` OUT-INPUT. Inside an open transaction (a command, which checked
    its outputs first) the transaction's ``overwrite`` and inputs decide, as they do for :func:`write_bytes`.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp()); (d / "hh.csv").write_bytes(b"x")
    1
    >>> require_writer_free([(d / "r.html", HTML_SUFFIXES)], overwrite=False)
    >>> try:
    ...     require_writer_free([(d / "hh.csv", HTML_SUFFIXES)], overwrite=False)
    ... except OutputError as e:
    ...     print(e.codes)
    ['OUT-SUFFIX', 'OUT-EXISTS']
    """
    tx = current()
    pairs = [(p, tuple(s)) for p, s in outputs]
    require_free([p for p, _ in pairs], overwrite=tx.overwrite if tx is not None else overwrite,
                 inputs=[*inputs, *(tx.inputs if tx is not None else ())], allowed=pairs)


def write_bytes(path: str | os.PathLike[str], data: bytes, *, overwrite: bool = False) -> Path:
    """Write one file atomically (temporary file beside it, then placed); the old file is kept on failure.

    Used for everything that is not a layer file: HTML maps, reports, PNG/PDF print maps, JSON. Inside an open
    :func:`transaction` the file is placed with the others when the transaction ends, and the transaction's
    ``overwrite`` decides (not the argument). A name Windows cannot hold is refused as the command line refuses
    it (:func:`_refuse_windows_names`), before anything is written.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> write_bytes(d / "a.txt", b"one").read_bytes()
    b'one'
    >>> write_bytes(d / "a.txt", b"two")
    Traceback (most recent call last):
    ...
    yuanluo.gis.transaction.TransactionError: ...
    """
    target = Path(path)
    if not _named(path):
        raise OutputError(_nameless([path]))
    _refuse_windows_names([target])  # the command line's check, for a caller from Python
    with joined(overwrite) as tx:
        if target.exists() and not tx.overwrite:
            raise OutputError(exists_problem([target]))
        tmp = tx.temp_for(target)
        try:
            with open(tmp, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
        except OSError as exc:
            raise write_error(exc, target) from exc
    return target


def _layers_format(path: Path, layers: Mapping[str, pd.DataFrame], fmt: Format | None,
                   run: Mapping[str, Any] | None) -> Format:
    """The output format (from the suffix unless given), after checking the layers can be written (OUT-LAYERS:
    a programming error of the caller, with an English detail for the developer)."""
    if fmt is None:
        fmt = _format_of(path)
    if fmt not in _SUFFIX:
        raise OutputError(problem("OUT-LAYERS", file=shown_path(path), detail=f"unknown format {fmt!r}"))
    details = [f"{n!r} is {type(df).__name__}" for n, df in layers.items() if not isinstance(df, pd.DataFrame)]
    if run is not None and "run" in layers:
        details.append("a layer named 'run' and a run record")
    if not layers and run is None:
        details.append("no layers")
    if details:
        raise OutputError(problem("OUT-LAYERS", file=shown_path(path), detail="; ".join(details)))
    return fmt


def write_layers(
    path: str | os.PathLike[str],
    layers: Mapping[str, pd.DataFrame],
    *,
    overwrite: bool = False,
    fmt: Format | None = None,
    run: Mapping[str, Any] | None = None,
    lang: Lang | None = None,
) -> list[Path]:
    """Write layers atomically to a GeoPackage (default), GeoParquet or CSV.

    Parameters
    ----------
    path : path-like
        The output. For GeoParquet / CSV with several layers, the layer files are
        ``<stem>.<layer>.parquet`` / ``.csv`` beside it (see the module docstring).
    layers : mapping of str to DataFrame or GeoDataFrame
        Layer name → table, written in the given order. A plain DataFrame is an attribute-only table.
        Inputs are not modified.
    overwrite : bool
        Replace existing outputs; without it an existing output is ``OUT-EXISTS``.
    fmt : {"gpkg", "parquet", "csv"}, optional
        Format; by default from the suffix of ``path`` (``.parquet``/``.geoparquet``, ``.csv``), else GPKG. Any other
        suffix than the format's (``.gpkg``; ``.parquet``/``.geoparquet``; ``.csv``) is ``OUT-SUFFIX``: a GeoPackage
        named ``方案.xlsx`` or ``plan.shp`` would open in neither Excel nor QGIS.
    run : mapping, optional
        A run record (see :func:`run_record`), written last as the key/value table ``run``.
    lang : {"zh", "en"}, optional
        Language of a GeoPackage's field aliases, layer titles and QGIS styles (:mod:`yuanluo.gis.layerstyle`;
        the column names themselves stay canonical; Chinese when not given). A CSV written with ``lang`` is a
        table for people (:func:`csv_in_words`: headers, statuses and yes/no in that language, walking minutes
        to one decimal, whole numbers without ``.0``); without it, canonical names and values.

    Returns
    -------
    list of Path
        The files written, in layer order (one entry for a GeoPackage).

    Raises
    ------
    InputError
        ``OUT-LAYERS-TYPE``: ``layers`` is not a mapping (a list of frames: give ``{"households": gdf}``).
    OutputError
        ``OUT-SUFFIX`` (or ``OUT-SUFFIX-NONE``), ``OUT-EXISTS``, ``OUT-WRITE`` (with the error's code and cause) or
        ``OUT-LAYERS``; a name Windows cannot
        hold, in ``path``, a folder of it or a layer file named after it, as the command line refuses it
        (``OUT-NAME-WINDOWS-CHAR``, ``-RESERVED``, ``-END``, ``-LONG``, ``OUT-NAME-BYTES``, ``OUT-SAME-CASE``:
        :func:`_refuse_windows_names`), before anything is written.

    Examples
    --------
    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> hh = gpd.GeoDataFrame({"persons": [3, 2]}, geometry=gpd.points_from_xy([0, 50], [0, 0]),
    ...                       index=pd.Index(["007", "008"], name="hid"), crs="EPSG:4545")
    >>> [p.name for p in write_layers(d / "out.gpkg", {"households": hh}, run={"seed": 0})]
    ['out.gpkg']
    >>> import pyogrio
    >>> [name for name, _ in pyogrio.list_layers(d / "out.gpkg")]
    ['households', 'run', 'layer_styles']
    >>> hh["unit_status"] = ["ok", "exception"]
    >>> _ = write_layers(d / "out.gpkg", {"households": hh}, overwrite=True)
    >>> [name for name, _ in pyogrio.list_layers(d / "out.gpkg")]
    ['households', 'layer_styles']
    >>> [p.name for p in write_layers(d / "out.csv", {"households": hh, "units": pd.DataFrame({"n": [2]})})]
    ['out.households.csv', 'out.units.csv']
    """
    if not _named(path):
        raise OutputError(_nameless([path]))
    path = Path(path)
    if not isinstance(layers, Mapping):  # a list of frames, or one frame: which layer is which is unknown
        raise InputError(problem("OUT-LAYERS-TYPE", given=type(layers).__name__))
    given = fmt
    fmt = _layers_format(path, layers, fmt, run)
    # a GeoPackage named 方案.xlsx opens nowhere: the suffixes of the format given, else of every format
    wrong = _suffix_problems([path], {path: _FORMAT_SUFFIXES[fmt] if given is not None else LAYER_SUFFIXES})
    if wrong:
        raise OutputError(wrong)
    names = list(layers) + (["run"] if run is not None else [])
    targets = _targets(path, names, fmt)
    unique_targets = layer_files(path, names, fmt)
    _refuse_windows_names(unique_targets, given=path)  # the command line's check, for a caller from Python
    bang = _bang_folder(path)
    if bang is not None:
        raise OutputError(bang)
    with joined(overwrite) as tx:
        tx.expect(path, unique_targets)  # a failure from here on names the files of these layers, no others
        existing = [p for p in unique_targets if p.exists()]
        if existing and not tx.overwrite:
            raise OutputError(exists_problem(existing))
        if not path.parent.is_dir():
            raise OutputError(write_problem(unique_targets if len(unique_targets) > 1 else path, "ENOENT",
                                            path.parent))
        tmps = {t: tx.temp_for(t) for t in unique_targets}
        frames: dict[str, pd.DataFrame] = {n: _prepare(df) for n, df in layers.items()}
        if run is not None:
            frames["run"] = run_table(_from_output(run, path))
        _write_frames(frames, fmt, tmps[path] if fmt == "gpkg" else None,
                      {name: tmps[targets[name]] for name in frames}, _gpkg_date(run), path, lang, targets)
    return unique_targets


def _from_output(run: Mapping[str, Any], path: Path) -> Mapping[str, Any]:
    """``run`` with each input's path also as seen from the output's folder (``from_output``): a result read
    from another working directory finds the DEM it was delineated over by that path (the recorded ``path`` is
    relative to the folder the command ran in). Left out where no relative path exists (another drive).

    >>> r = _from_output({"inputs": {"dem": {"path": "/data/v/dem.tif"}}}, Path("/data/out/r.gpkg"))
    >>> r["inputs"]["dem"]["from_output"]
    '../v/dem.tif'
    """
    ins = run.get("inputs")
    if not isinstance(ins, Mapping) or not ins:
        return run
    here = path.parent.resolve()
    out: dict[str, Any] = {}
    for name, entry in ins.items():
        out[name] = entry
        if isinstance(entry, Mapping) and entry.get("path"):
            try:
                rel = os.path.relpath(Path(str(entry["path"])).resolve(), here)
            except ValueError:  # on another drive (Windows)
                continue
            out[name] = {**entry, "from_output": Path(rel).as_posix()}
    return {**run, "inputs": out}


def _write_frames(frames: Mapping[str, pd.DataFrame], fmt: str, gpkg_tmp: Path | None, tmps: Mapping[str, Path],
                  date: str, path: Path, lang: Lang | None = None, targets: Mapping[str, Path] | None = None) -> None:
    """Write the prepared frames to their temporaries (a GeoPackage with aliases and styles in ``lang``); OS and
    GDAL write errors become OUT-WRITE, naming the file of the layer being written (``targets``: ``out.units.csv``
    of ``out.csv``), else ``path``."""
    try:
        if gpkg_tmp is not None:
            _write_gpkg(frames, gpkg_tmp, date, lang or "zh")
        else:
            for name, df in frames.items():
                path = (targets or {}).get(name, path)  # the file this layer goes to, as the error names it
                table = csv_in_words(_csv_columns(df), name, lang) if fmt == "csv" and lang is not None else df
                _write_single(table, tmps[name], fmt)
    except OSError as exc:
        raise write_error(exc, path) from exc
    except Exception as exc:
        import sqlite3

        import pyogrio.errors

        behind = _os_error_behind(exc, gpkg_tmp) if gpkg_tmp is not None else None
        if behind is not None and isinstance(exc, pyogrio.errors.DataSourceError | pyogrio.errors.DataLayerError
                                             | sqlite3.OperationalError):
            raise write_error(behind, path) from exc
        if isinstance(exc, pyogrio.errors.DataSourceError | pyogrio.errors.DataLayerError):
            raise write_error(exc, path) from exc
        raise


#: Free space below which a GeoPackage that GDAL or SQLite failed to write is taken as a full disk (ENOSPC)
FULL_BELOW = 1 << 20


def _os_error_behind(exc: Exception, tmp: Path) -> OSError | None:
    """The system error behind GDAL's or SQLite's failure to write the GeoPackage ``tmp`` (their words — "Failed to
    commit transaction", "unable to open database file" — do not give the code OUT-WRITE's fix explains): a full
    disk (their words, or less than :data:`FULL_BELOW` left), else the error of creating ``tmp`` from here
    (``EROFS``, ``EACCES``, ``ENAMETOOLONG`` …); None when neither is found. ``tmp`` is the transaction's, removed
    with it."""
    import shutil

    full = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(tmp))
    words = str(exc).lower()
    if "disk is full" in words or "no space left" in words:
        return full
    try:
        os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644))
    except OSError as probe:
        return probe
    try:
        return full if shutil.disk_usage(tmp.parent).free < FULL_BELOW else None
    except OSError:
        return None
