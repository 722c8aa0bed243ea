"""Column names and cell values of household tables: aliases, normalisation, coordinate parsing.

Chinese household registers name the same thing many ways (户编号 / 户号 / 农户编号 …). This module maps
input column names to the canonical names of the shared data contract, normalises text (NFKC, so
full-width ``１０６．５`` becomes ``106.5``) and parses coordinates written as decimals or as
degrees–minutes–seconds (``106°31′12″E``). Everything here works on whole columns (pandas string
methods), never row by row.

Canonical names
---------------
``hid`` id; ``lon`` / ``lat`` geographic coordinates; ``easting`` / ``northing`` projected coordinates;
``x`` / ``y`` coordinate columns whose meaning depends on the CRS (for the Chinese Gauss–Krüger CRSs the
surveying convention applies: X = northing, Y = easting); ``persons``; ``village``; ``group``;
``settlement``; ``head_candidate`` and ``party_member`` (yes/no; found by :func:`head_columns`, since a register
may mark candidate heads in several columns at once: 党员, 致富带头人, 返乡能人 …).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

import numpy as np
import pandas as pd

from yuanluo.gis.personal import PERSONAL_NAMES, name_key, personal_name

#: Invisible characters taken out of every text cell of a household table (:func:`yuanluo.gis.io.strip_control_characters`)
#: and of a plan's ids (:mod:`yuanluo.gis.plan`), so that the two match: C0 controls (they break GraphML and XML)
#: and the bidirectional marks, overrides and isolates (U+200E/F, U+202A–E, U+2066–9: "U\u202e100" shows as "U001").
INVISIBLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200e\u200f\u202a-\u202e\u2066-\u2069]")

#: canonical name -> aliases (compared after :func:`normalize_name`).
ALIASES: dict[str, tuple[str, ...]] = {
    "hid": ("hid", "户编号", "户号", "农户编号", "编号", "id", "household_id", "householdid", "户id", "hh_id", "hhid"),
    "lon": ("lon", "lng", "long", "longitude", "经度", "东经"),
    "lat": ("lat", "latitude", "纬度", "北纬"),
    "easting": ("easting", "东坐标", "y(东)", "东", "e", "横坐标"),
    "northing": ("northing", "北坐标", "x(北)", "北", "n", "纵坐标"),
    "x": ("x", "x坐标"),
    "y": ("y", "y坐标"),
    "persons": ("persons", "人口", "人数", "家庭人口", "户籍人口", "人口数", "家庭人数", "size"),
    "village": ("village", "行政村", "村", "村名", "村委会", "所属村"),
    "group": ("group", "村民小组", "组", "社", "网格", "小组", "组别"),
    "settlement": ("settlement", "自然院落", "院落名称", "院落", "自然村", "自然村落"),
}

#: political-status columns (政治面貌): their cells name a status (中共党员, 共青团员, 群众 …) rather than say
#: yes/no; a member or probationary member of the Communist Party is a party member and a candidate head
#: (:func:`parse_political_status`)
STATUS_ALIASES: tuple[str, ...] = ("政治面貌", "政治面目", "政治身份", "political_status", "politicalstatus")
#: columns marking a party member (``party_member``; each also marks a candidate head): yes/no columns and the
#: political-status columns
PARTY_ALIASES: tuple[str, ...] = ("party_member", "党员", "中共党员", "是否党员", "是否中共党员", "党员户",
                                  *STATUS_ALIASES)
#: yes/no columns marking a candidate courtyard head (院落长): the candidates named as such, returning capable
#: people, prosperity leaders, village worthies, veterans, and party members. A household is a candidate
#: (``head_candidate``) when any of them says yes; see :func:`head_columns`.
HEAD_ALIASES: tuple[str, ...] = (
    "head_candidate", "院落长候选", "候选院落长", "院落长候选人", "是否院落长候选", "返乡能人", "致富带头人",
    "致富能手", "能人", "乡贤", "新乡贤", "退役军人", *PARTY_ALIASES)

#: canonical columns carried into the household table (coordinates are consumed into the geometry; candidate
#: heads and party members are found by :func:`head_columns`).
ATTRIBUTE_COLUMNS = ("persons", "village", "group", "settlement")
COORD_COLUMNS = ("lon", "lat", "easting", "northing", "x", "y")

#: the cells a yes/no column reads as yes and as no (:func:`parse_bool`; the editor's load reads them too)
YES_WORDS = {"1", "true", "t", "yes", "y", "是", "有", "√", "✓", "✔", "党员", "中共党员", "预备党员", "中共预备党员", "候选",
             "对"}
NO_WORDS = {"0", "false", "f", "no", "n", "否", "无", "×", "✗", "非", "不是", "群众", "非党员", "-"}


#: a cell reading one of these (NFKC, lower case, spaces removed) opens a total row, not a record: a score sheet's
#: unit cell (MAT-TOTAL-ROW, :mod:`yuanluo.gis.maturity`), a roster's last rows (ROW-TOTAL, :func:`is_total_word`)
TOTAL_WORDS: frozenset[str] = frozenset({"合计", "小计", "总计", "共计", "總計", "合計", "小計", "total", "subtotal",
                                         "grandtotal", "sum", "totals"})


def is_total_word(cell: object) -> bool:
    """Whether a cell reads as a total (:data:`TOTAL_WORDS`; spaces and a closing colon ignored).

    Examples
    --------
    >>> [is_total_word(c) for c in ["合计", " 合 计：", "Total", "总计:", "合计户数", "张合计", ""]]
    [True, True, True, True, False, False, False]
    """
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(cell))).rstrip(":").lower() in TOTAL_WORDS


#: the words a clerk's note under a table begins with (其中：党员户 12 户, 注：…, 填表人：…, 制表日期：…), compared
#: with spaces removed (NFKC, lower case); an English one must be the whole label before a colon ("Prepared by:")
NOTE_WORDS: tuple[str, ...] = (
    "其中", "注", "注意", "备注", "附注", "说明", "填表说明", "填表人", "填报人", "填写人", "制表人", "制表", "审核人",
    "审核", "复核人", "审批人", "负责人", "联系人", "联系电话", "经办人", "统计人", "录入人", "调查人", "填表日期",
    "填报日期", "制表日期", "统计日期", "日期", "填报单位", "填表单位", "单位", "数据来源", "资料来源", "签字", "签名",
    "盖章", "村委会盖章", "備註", "備注", "說明",
    "note", "notes", "remark", "remarks", "ofwhich", "including", "preparedby", "checkedby", "approvedby",
    "reviewedby", "compiledby", "filledinby", "date", "source", "contact", "signature", "unit")


def note_word(cell: object) -> str | None:
    """The note word (:data:`NOTE_WORDS`, the longest that fits) a cell's label begins with, the label being the
    text before its first colon, or the whole cell; None for any other cell (a name, an id, a total). Only these
    words of a note are ever said: what follows them (填表人：张三 138…) may be personal.

    Examples
    --------
    >>> [note_word(c) for c in ["其中：党员户 12 户", "注：坐标为 CGCS2000", " 备 注 ", "填表人：张三 电话 13812345678",
    ...                         "制表日期：2024年5月", "审核人", "Prepared by: Li", "张三", "合计", "Notebook", ""]]
    ['其中', '注', '备注', '填表人', '制表日期', '审核人', 'Prepared by', None, None, None, None]
    """
    shown = unicodedata.normalize("NFKC", str(cell)).split(":", 1)[0].strip()
    label = re.sub(r"\s+", "", shown).lower()
    if not label or is_total_word(cell):
        return None
    fits = [w for w in NOTE_WORDS if label == w or (not w.isascii() and label.startswith(w))]
    if not fits:
        return None
    word = max(fits, key=len)
    return shown if word.isascii() else word


#: a numbered line of a note (1. …, 2、…, （3）…, 二、…), read as a note where it follows a total row or a note
NOTE_LINE = re.compile(r"\s*(?:\d{1,2}\s*[.、．)）]|[(（]\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*[)）]"
                       r"|[一二三四五六七八九十]{1,3}\s*[、.．])")


def normalize_text(s: str) -> str:
    """NFKC-normalise and strip a string (full-width digits and letters become ASCII).

    Examples
    --------
    >>> normalize_text("　１０６．５１ ")
    '106.51'
    """
    return unicodedata.normalize("NFKC", str(s)).strip()


def normalize_name(name: str) -> str:
    """Key used to compare column names: NFKC, lower case, no spaces, ASCII brackets.

    Examples
    --------
    >>> normalize_name(" Ｘ（北） ")
    'x(北)'
    """
    s = normalize_text(name).lower()
    return re.sub(r"\s+", "", s)


#: the longest field name of a dBASE table (a Shapefile's ``.dbf``), in bytes of the table's encoding: GDAL, and so
#: QGIS "Save Features As…", cuts a longer name (``head_candidate`` → ``head_candi``)
DBF_NAME_BYTES = 10
#: the encodings a Shapefile's names are cut in (the ``.cpg`` of a Chinese table: UTF-8 or GBK); a cut that keeps
#: fewer than :data:`DBF_MIN_CHARS` characters (three Chinese characters of UTF-8) is too short to say what the
#: column is and is not read as the alias
DBF_ENCODINGS = ("utf-8", "gbk")
DBF_MIN_CHARS = 4


def dbf_forms(alias: str) -> list[str]:
    """The forms a column name takes in a Shapefile's ``.dbf`` (at most :data:`DBF_NAME_BYTES` bytes): the
    name itself, and its longest beginning that fits in each of :data:`DBF_ENCODINGS` when the name is longer
    (of :data:`DBF_MIN_CHARS` characters or more). ``alias`` is taken as written (callers normalise it).

    Examples
    --------
    >>> dbf_forms("head_candidate"), dbf_forms("户编号"), dbf_forms("是否院落长候选")
    (['head_candidate', 'head_candi'], ['户编号'], ['是否院落长候选', '是否院落长'])
    """
    name = str(alias)
    out = [name]
    for enc in DBF_ENCODINGS:
        try:
            raw = name.encode(enc)
        except UnicodeEncodeError:
            continue
        if len(raw) <= DBF_NAME_BYTES:
            continue
        cut = raw[:DBF_NAME_BYTES].decode(enc, errors="ignore")  # never half a character
        if len(cut) >= DBF_MIN_CHARS and cut not in out:
            out.append(cut)
    return out


#: the most fields GDAL (and so QGIS's "Save Features As…" and ogr2ogr) gives one Shapefile cut to: a field whose
#: cut an earlier field took is named by the cut's first 8 characters and ``_1`` … ``_9``, then ``10`` … ``99``
DBF_RENAMES = 99


def dbf_renames(name: str) -> list[str]:
    """The names GDAL gives a field ``name`` too long for a ``.dbf`` whose cut (:func:`dbf_forms`) an earlier field
    of the table took, in the order it tries them: a result's ``settlement_split`` beside its ``settlement`` is
    ``settleme_1``. Only for an ASCII name (Yuanluo's own columns): ``[]`` for any other, and for a name that fits.

    Examples
    --------
    >>> r = dbf_renames("settlement_split")
    >>> r[:2], r[8:10], len(r), dbf_renames("unit_id"), dbf_renames("是否院落长候选")
    (['settleme_1', 'settleme_2'], ['settleme_9', 'settleme10'], 99, [], [])
    """
    if not name.isascii() or len(name) <= DBF_NAME_BYTES:
        return []
    stem = name[:8]
    return [f"{stem}_{i}" if i < 10 else f"{stem}{i:02d}" for i in range(1, DBF_RENAMES + 1)]


#: the household columns of Yuanluo's own files (a result's ``households`` layer, the demo's households) that are no
#: canonical column: a Shapefile saved from them cuts their names (``household_in_building`` → ``household_``,
#: ``settlement_split`` → ``settlement``), and such a cut gives way to another column of the same canonical name
#: (:func:`map_columns`: no COL-AMBIG); ``settlement`` alone is told apart by its cells (:func:`is_flag_column`)
OWN_COLUMNS: tuple[str, ...] = ("unit_id", "unit_status", "meeting_walk_min", "settlement_split",
                                "household_in_building", "households_in_building")


def _own_cuts(columns: Iterable[str]) -> dict[str, str]:
    """``name in a .dbf → column`` for the Shapefile names of ``columns``: the cut (:func:`dbf_forms`) and GDAL's
    renames of it (:func:`dbf_renames`); a name two of them can take is left out (never a guess).

    >>> cuts = _own_cuts(OWN_COLUMNS)
    >>> cuts["settleme_1"], cuts["unit_statu"], cuts["meeting_wa"], cuts["households"], "househol_1" in cuts
    ('settlement_split', 'unit_status', 'meeting_walk_min', 'households_in_building', False)
    """
    forms: dict[str, set[str]] = {}
    for c in columns:
        for f in (*dbf_forms(c)[1:], *dbf_renames(c)):
            forms.setdefault(f, set()).add(c)
    return {f: next(iter(cs)) for f, cs in forms.items() if len(cs) == 1}


#: the names of :data:`OWN_COLUMNS` in a Shapefile saved from Yuanluo's own file (``household_``, ``settlement``, and
#: ``settleme_1`` where the layer has a ``settlement`` column too …) and the column each was: one table, derived
OWN_CUTS: dict[str, str] = _own_cuts(OWN_COLUMNS)


def _dbf_index(groups: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """``name → group`` for every alias of each group and its :func:`dbf_forms`; a cut form that is another
    group's alias, or the cut of two groups' aliases, is left out (never a guess)."""
    full = {normalize_name(a): g for g, al in groups.items() for a in al}
    cuts: dict[str, set[str]] = {}
    for g, al in groups.items():
        for a in al:
            for f in dbf_forms(normalize_name(a))[1:]:
                cuts.setdefault(f, set()).add(g)
    return {**{f: next(iter(gs)) for f, gs in cuts.items() if len(gs) == 1 and f not in full}, **full}


def dbf_aliases(aliases: Iterable[str]) -> tuple[str, ...]:
    """``aliases`` as written followed by their Shapefile cuts (:func:`dbf_forms`), each once, order kept.

    >>> dbf_aliases(["hid", "household_id", "household id"])
    ('hid', 'household_id', 'household id', 'household_', 'household ')
    """
    al = [str(a) for a in aliases]
    return tuple(dict.fromkeys([*al, *(f for a in al for f in dbf_forms(a)[1:])]))


_ALIAS_INDEX: dict[str, str] = _dbf_index(ALIASES)


#: a unit a clerk writes in brackets after a column name (经度(°), 纬度（度）, 人口(人), 东坐标(m)): the name without
#: it is the alias; a name that is an alias with its brackets (``x(北)``) is read as that alias first
_UNIT_SUFFIX = re.compile(r"\((?:°|º|度|deg|degrees?|°e|°n|e|n|m|米|人|口|户|个|wgs84|cgcs2000)\)$")


def canonical_of(name: str) -> str | None:
    """The canonical name a column name maps to, or ``None``; a unit in brackets after the name (``经度(°)``,
    ``人口（人）``) is left off.

    Examples
    --------
    >>> canonical_of("户号"), canonical_of("村民小组"), canonical_of("户主")
    ('hid', 'group', None)
    >>> canonical_of("经度(°)"), canonical_of("纬度（度）"), canonical_of("人口(人)"), canonical_of("X(北)")
    ('lon', 'lat', 'persons', 'northing')
    >>> canonical_of("门牌号"), canonical_of("经度(备注)")
    (None, None)
    """
    key = normalize_name(name)
    found = _ALIAS_INDEX.get(key)
    if found is None and key.endswith(")"):
        found = _ALIAS_INDEX.get(_UNIT_SUFFIX.sub("", key))
    return found


def map_columns(
    columns: Iterable[str], overrides: dict[str, str | None] | None = None
) -> tuple[dict[str, str], dict[str, list[str]]]:
    """Map input column names to canonical names.

    Parameters
    ----------
    columns : iterable of str
        Column names as in the file.
    overrides : dict, optional
        ``canonical -> column`` given explicitly by the user (``id_col`` …); these win over aliases.

    Returns
    -------
    mapping : dict
        ``canonical -> original column`` for every canonical name found once.
    ambiguous : dict
        ``canonical -> [columns]`` for canonical names matched by two or more columns (COL-AMBIG).

    Examples
    --------
    >>> map_columns(["户号", "经度", "纬度", "人口", "备注"])
    ({'hid': '户号', 'lon': '经度', 'lat': '纬度', 'persons': '人口'}, {})
    >>> map_columns(["经度", "lon", "纬度"])[1]
    {'lon': ['经度', 'lon']}

    A Shapefile's cut of one of Yuanluo's own columns (:data:`OWN_CUTS`) gives way to another column of the
    same canonical name: ``household_`` (``household_in_building``) beside ``hid``

    >>> map_columns(["hid", "household_", "unit_id"]), map_columns(["household_"])[0]
    (({'hid': 'hid'}, {}), {'hid': 'household_'})
    """
    cols = [str(c) for c in columns]
    found: dict[str, list[str]] = {}
    explicit = {k: v for k, v in (overrides or {}).items() if v is not None}
    taken = set(explicit.values())
    for c in cols:
        if c in taken:
            continue
        canon = canonical_of(c)
        if canon is not None and canon not in explicit:
            found.setdefault(canon, []).append(c)
    for canon, names in found.items():
        others = [c for c in names if normalize_name(c) not in OWN_CUTS]
        if others and len(others) < len(names):  # household_ beside hid: the cut of household_in_building
            found[canon] = others
    mapping = {k: v[0] for k, v in found.items() if len(v) == 1}
    ambiguous = {k: v for k, v in found.items() if len(v) > 1}
    mapping.update(explicit)
    order = list(ALIASES)
    return dict(sorted(mapping.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else 99)), ambiguous


# the yes/no and status columns: their names and their Shapefile cuts, none that names another kind of column
_HEAD_INDEX = frozenset(n for n in dbf_aliases(map(normalize_name, HEAD_ALIASES)) if n not in _ALIAS_INDEX)
_PARTY_INDEX = frozenset(n for n in dbf_aliases(map(normalize_name, PARTY_ALIASES)) if n not in _ALIAS_INDEX)
_STATUS_INDEX = frozenset(n for n in dbf_aliases(map(normalize_name, STATUS_ALIASES)) if n not in _ALIAS_INDEX)

#: political statuses (GB/T 4762 names and their usual short forms) of a Communist Party member or
#: probationary member: a candidate head
PARTY_STATUSES = frozenset({"中共党员", "中国共产党党员", "共产党员", "中国共产党员", "党员", "中共预备党员",
                            "中国共产党预备党员", "预备党员"})
#: the other political statuses: Youth League members, the masses, members of the eight democratic parties,
#: non-party personages (not candidates by this column)
OTHER_STATUSES = frozenset({
    "共青团员", "中国共产主义青年团团员", "团员", "群众",
    "民革党员", "民革会员", "中国国民党革命委员会会员", "民盟盟员", "中国民主同盟盟员", "民建会员",
    "中国民主建国会会员", "民进会员", "中国民主促进会会员", "农工党党员", "中国农工民主党党员", "致公党党员",
    "中国致公党党员", "九三学社社员", "台盟盟员", "台湾民主自治同盟盟员", "无党派人士", "无党派民主人士"})
#: the values a political-status column may hold, as shown by ATTR-TYPE (language-neutral: they are the cells)
STATUS_VALUES_SHOWN = "中共党员, 预备党员, 共青团员, 群众, 民盟盟员 …, 无党派人士"


def is_status_column(name: object) -> bool:
    """Whether a column name is a political-status column (政治面貌 …), read by :func:`parse_political_status`.

    Examples
    --------
    >>> is_status_column(" 政治面貌 "), is_status_column("党员")
    (True, False)
    """
    return normalize_name(str(name)) in _STATUS_INDEX


def parse_political_status(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Parse a political-status column (政治面貌): a party member or probationary member is True, any other
    status (共青团员, 群众, a democratic party's member, 无党派人士) and blank are False. Returns (bool series,
    bad mask); a value that is no status is bad.

    Examples
    --------
    >>> v, bad = parse_political_status(pd.Series(["中共党员", "预备党员", "共青团员", "群众", "九三学社社员", "",
    ...                                            "中共 党员", "是"]))
    >>> v.tolist(), bad.tolist()
    ([True, True, False, False, False, False, True, False], [False, False, False, False, False, False, False, True])
    """
    raw = values.astype("object")
    blank = raw.isna() | raw.astype("str").str.strip().isin(["", "nan", "NaN", "None", "<NA>"])
    s = raw.where(~blank, "").astype("str").str.normalize("NFKC").str.replace(r"\s+", "", regex=True)
    is_true = s.isin(PARTY_STATUSES)
    bad = ~blank & ~is_true & ~s.isin(OTHER_STATUSES)
    return pd.Series(is_true.to_numpy(dtype=bool), index=values.index), bad


#: a yes/no hint after a candidate-head name (``党员（是/否）``, ``院落长候选人(Y/N)``): a bracketed pair of yes and no
#: words (the closing bracket may be missing: a Shapefile cut); and a leading ``是否`` / ``是否为`` ("whether")
_YESNO_SUFFIX = re.compile(r"[(\[【]\s*(?:是\s*[/|、或]?\s*否|有\s*[/|、或]?\s*无|y\s*/\s*n|yes\s*/\s*no|"
                           r"√\s*/\s*×|1\s*/\s*0)\s*[)\]】]?$")
_WHETHER_PREFIX = re.compile(r"^是否为?")


def _head_key(name: object) -> str:
    """The name a column of candidate heads is known by: :func:`normalize_name`, and, when that is no candidate-head
    name, without a yes/no hint (:data:`_YESNO_SUFFIX`) and then a leading 是否/是否为 where what is left is one (a
    political-status column takes no hint: its cells are statuses, not yes/no). Another name is returned unchanged:
    党员人数 and 党员电话 stay what they are.

    Examples
    --------
    >>> [_head_key(n) for n in ("党员（是/否）", "是否为党员", "是否院落长候选人", "院落长候选人(Y/N)", "党员人数")]
    ['党员', '党员', '院落长候选人', '院落长候选人', '党员人数']
    """
    key = normalize_name(str(name))
    if key in _HEAD_INDEX:
        return key
    bare = _YESNO_SUFFIX.sub("", key)
    for form in (bare, _WHETHER_PREFIX.sub("", bare)):
        if form and form in _HEAD_INDEX and form not in _STATUS_INDEX:
            return form
    return key


def head_columns(columns: Iterable[object], named: Iterable[str] = ()) -> tuple[list[str], list[str]]:
    """The yes/no columns marking candidate heads, and those of them marking party members.

    Parameters
    ----------
    columns : iterable
        Column names as in the file.
    named : iterable of str
        Columns named explicitly (``--head-col``); they come first, in the order given, whatever their name.

    Returns
    -------
    heads : list of str
        ``named``, then every column whose name is one of :data:`HEAD_ALIASES`, in file order, each once; a name
        with a yes/no hint (``党员（是/否）``) or a leading 是否/是否为 (``是否为党员``) is that name (:func:`_head_key`).
    party : list of str
        The columns of ``heads`` whose name is one of :data:`PARTY_ALIASES` (so read).

    Examples
    --------
    >>> head_columns(["户号", "致富带头人", "中共党员", "备注"])
    (['致富带头人', '中共党员'], ['中共党员'])
    >>> head_columns(["户号", "是否返乡", "党员"], named=["是否返乡"])
    (['是否返乡', '党员'], ['党员'])
    >>> head_columns(["党员(是/否)", "是否院落长候选人", "党员人数", "党员电话"])
    (['党员(是/否)', '是否院落长候选人'], ['党员(是/否)'])
    """
    cols = [str(c) for c in columns]
    heads = list(dict.fromkeys(str(n) for n in named))
    heads += [c for c in cols if _head_key(c) in _HEAD_INDEX and c not in heads]
    return heads, [c for c in heads if _head_key(c) in _PARTY_INDEX]


def split_names(values: Iterable[str] | None) -> list[str]:
    """Column names given as a repeatable option and/or comma lists (``,`` or ``，``), stripped, each once.

    Examples
    --------
    >>> split_names(["致富带头人,党员", " 乡贤 ", "党员，能人"])
    ['致富带头人', '党员', '乡贤', '能人']
    >>> split_names(None)
    []
    """
    parts = (p.strip() for v in (values or ()) for p in re.split(r"[,，]", str(v)))
    return list(dict.fromkeys(p for p in parts if p))


def split_enumerated(names: Iterable[str], columns: Iterable[object]) -> list[str]:
    """``names`` (``--head-col``'s, after :func:`split_names`) with each that is no column of ``columns`` but a list
    written with the Chinese enumeration comma ``、``, or with ``;`` / ``；``, whose every part is one, taken as those
    columns (``--head-col 可任院落长、返乡能人``, as a list is written in Chinese); a name that is a column stays whole
    (a header 党员、入党积极分子 is one column), and so does one a part of which is none (said missing as typed).

    >>> split_enumerated(["可任院落长、返乡能人", "党员、积极分子", "乡贤；能人", "能人、某列"],
    ...                  ["可任院落长", "返乡能人", "党员、积极分子", "乡贤", "能人"])
    ['可任院落长', '返乡能人', '党员、积极分子', '乡贤', '能人', '能人、某列']
    """
    cols = {str(c) for c in columns}
    out: list[str] = []
    for name in names:
        parts = [p.strip() for p in re.split(r"[、;；]", name) if p.strip()]
        out += parts if name not in cols and len(parts) > 1 and all(p in cols for p in parts) else [name]
    return list(dict.fromkeys(out))


def header_score(cells: Iterable[str]) -> int:
    """Number of cells of a candidate header row that are known aliases (used to find the header): a column of
    coordinate pairs (经纬度, :func:`pair_column`) is one."""
    return sum(canonical_of(c) is not None or normalize_name(c) in _HEAD_INDEX or normalize_name(c) in _PAIR_INDEX
               for c in cells if str(c).strip())


#: the names of a column holding both coordinates of a household in one cell, longitude first (``106.52,29.56``),
#: as a web map's coordinate picker (高德, 百度) gives them: read where the table has no coordinate columns
PAIR_ALIASES = ("经纬度", "经纬度坐标", "经纬坐标", "坐标", "坐标(经纬度)", "坐标(经度,纬度)", "经度,纬度", "经度纬度",
                "经度、纬度", "gps坐标", "位置坐标", "lnglat", "lng,lat", "lonlat", "lon,lat", "lng/lat", "lon/lat",
                "coordinates")
_PAIR_INDEX = frozenset(normalize_name(a) for a in PAIR_ALIASES)


def pair_column(columns: Iterable[object]) -> str | None:
    """The column of ``columns`` named for a coordinate pair in one cell (:data:`PAIR_ALIASES`: 经纬度, 坐标,
    ``lnglat`` …; a unit in brackets after the name left off), the first one; None when none is.

    >>> pair_column(["户编号", "经纬度"]), pair_column(["户编号", "坐标（经度，纬度）"]), pair_column(["户编号", "地址"])
    ('经纬度', '坐标（经度，纬度）', None)
    """
    for c in columns:
        key = normalize_name(str(c))
        if key in _PAIR_INDEX or (key.endswith(")") and _UNIT_SUFFIX.sub("", key) in _PAIR_INDEX):
            return str(c)
    return None


#: what separates the two coordinates of a pair cell: a comma (ASCII or full-width: NFKC makes it ASCII) or a
#: semicolon, spaces around it allowed; else spaces alone
_PAIR_SEP = re.compile(r"\s*[,;]\s*")


def parse_pair(values: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Parse a column of coordinate pairs (``106.52,29.56``; a full-width comma, a semicolon or spaces between
    them; each as :func:`parse_coordinate` reads one) to longitude and latitude, the first number of a cell the
    longitude, as a web map's coordinate picker writes them.

    Returns
    -------
    x, y : Series of float
        NaN where the cell is blank or is not a pair.
    unparsable : Series of bool
        True where a cell that is not blank is not two coordinates; blanks are not flagged.

    >>> x, y, bad = parse_pair(pd.Series(["106.5,29.5", "106.5，29.5", " 106.5  29.5 ", "106°30′E, 29°30′N",
    ...                                   "106.5", "106.5,29.5,300", "", "a,b"]))
    >>> x.tolist()[:4], y.tolist()[:4], bad.tolist()
    ([106.5, 106.5, 106.5, 106.5], [29.5, 29.5, 29.5, 29.5], [False, False, False, False, True, True, False, True])
    """
    raw = values.astype("object")
    text = raw.where(raw.notna(), "").astype("str").str.normalize("NFKC").str.strip()
    blank = text.isin(["", "nan", "NaN", "None", "NULL", "null"])
    parts = text.map(lambda t: (_PAIR_SEP.split(t) if _PAIR_SEP.search(t) else t.split()) if t else [])
    two = parts.map(len).eq(2) & ~blank
    first = parts.map(lambda p: p[0] if len(p) == 2 else "")
    second = parts.map(lambda p: p[1] if len(p) == 2 else "")
    x, bad_x = parse_coordinate(first)
    y, bad_y = parse_coordinate(second)
    ok = two & ~bad_x & ~bad_y & x.notna() & y.notna()
    nan = pd.Series(np.nan, index=values.index)
    return x.where(ok, nan), y.where(ok, nan), (~blank & ~ok)


# ---------------------------------------------------------------------------------------- values
_DMS = re.compile(
    r"^(?P<h1>[NSEW东西南北])?\s*(?P<sign>[-+])?(?P<deg>\d+(?:\.\d+)?)\s*(?:°|度|d|º|:)\s*"
    r"(?:(?P<min>\d+(?:\.\d+)?)\s*(?:'|′|’|分|m|:)?\s*)?"
    r"(?:(?P<sec>\d+(?:\.\d+)?)\s*(?:\"|″|”|''|′′|秒|s)?\s*)?(?P<h2>[NSEW东西南北])?$",
    re.IGNORECASE,
)


#: degrees, minutes and seconds separated by spaces only (``107 44 0.43``), as some GPS exports write them;
#: minutes and seconds of at most two digits, so that a number grouped by spaces (``35 500 000``) is not one
_SPACED_DMS = re.compile(r"^([NSEW东西南北]?)\s*([-+]?\d{1,3}(?:\.\d+)?)\s+(\d{1,2}(?:\.\d+)?)"
                         r"(?:\s+(\d{1,2}(?:\.\d+)?))?\s*([NSEW东西南北]?)$", re.IGNORECASE)


#: a hemisphere written as a word in front of the value or after it (``东经107°44′``, ``北纬：29.8``,
#: ``29.8北纬``), read as its letter
_HEMISPHERE_WORD = re.compile(r"^\s*(东经|西经|北纬|南纬)\s*:?|(东经|西经|北纬|南纬)\s*$")
_HEMISPHERE_LETTER = {"东经": "E", "西经": "W", "北纬": "N", "南纬": "S"}

#: a decimal value with a hemisphere in front or after it (``E107.733``, ``107.733E``): degrees, as the
#: degree sign says
_HEMISPHERE_DECIMAL = re.compile(r"^(?P<h1>[NSEW东西南北])(?P<v1>[-+]?\d+(?:\.\d+)?)$|"
                                 r"^(?P<v2>\d+(?:\.\d+)?)(?P<h2>[NSEW东西南北])$", re.IGNORECASE)


def _clean_numbers(values: pd.Series, *, spaced_dms: bool = False) -> pd.Series:
    """Cell texts ready to parse: NFKC, Chinese punctuation as ASCII, spaces removed; with ``spaced_dms``
    (coordinates), degrees, minutes and seconds separated by spaces marked as such first.

    >>> _clean_numbers(pd.Series(["107 44 0.43", "N 29 47 59.85", "35 500 000", "１０６．５"]), spaced_dms=True).tolist()
    ['107°44′0.43″', 'N29°47′59.85″', '35500000', '106.5']
    """
    s = values.astype("str").str.normalize("NFKC").str.strip()
    s = s.str.replace("。", ".", regex=False).str.replace("，", ",", regex=False)
    if spaced_dms:
        s = s.str.replace(_HEMISPHERE_WORD, lambda m: _HEMISPHERE_LETTER[m[1] or m[2]], regex=True)
        s = s.str.replace(_SPACED_DMS, lambda m: f"{m[1]}{m[2]}°{m[3]}′{m[4] + '″' if m[4] else ''}{m[5]}",
                          regex=True)
    return s.str.replace(r"\s+", "", regex=True)


def parse_coordinate(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Parse a column of coordinates (decimal, full-width, or DMS) to float.

    Returns
    -------
    parsed : Series of float
        NaN where the cell is blank or cannot be parsed.
    unparsable : Series of bool
        True where a non-blank cell could not be parsed (COORD-PARSE); blanks are not flagged.

    Examples
    --------
    >>> v, bad = parse_coordinate(pd.Series(["106.5", "１０６．５", "106°30′36″E", "29度30分", "S 12°30'", "x1", ""]))
    >>> [round(x, 4) for x in v[:5]], bad.tolist()
    ([106.5, 106.5, 106.51, 29.5, -12.5], [False, False, False, False, False, True, False])
    """
    raw = values.astype("object")
    blank = raw.isna() | raw.astype("str").str.strip().isin(["", "nan", "NaN", "None", "NULL", "null"])
    s = _clean_numbers(raw.where(~blank, ""), spaced_dms=True)
    num = pd.to_numeric(s.where(s.str.fullmatch(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?"), None), errors="coerce")
    out = num.astype(float)
    todo = out.isna() & ~blank
    if todo.any():
        marked = s[todo].str.replace(_HEMISPHERE_DECIMAL,
                                     lambda m: f"{m['h1']}{m['v1']}°" if m["h1"] else f"{m['v2']}°{m['h2']}",
                                     regex=True)
        ex = marked.str.extract(_DMS)
        ok = ex["deg"].notna()
        deg = pd.to_numeric(ex["deg"], errors="coerce").fillna(0)
        mnt = pd.to_numeric(ex["min"], errors="coerce").fillna(0)
        sec = pd.to_numeric(ex["sec"], errors="coerce").fillna(0)
        val = deg + mnt / 60.0 + sec / 3600.0
        hemi = ex["h1"].fillna("") + ex["h2"].fillna("")
        neg = hemi.str.upper().str.contains("[SW西南]", regex=True) | (ex["sign"] == "-")
        val = val.where(~neg, -val)
        ok &= (mnt < 60) & (sec < 60)
        out.loc[todo] = val.where(ok, np.nan).astype(float)
    unparsable = out.isna() & ~blank
    return out.astype(float), unparsable


#: the largest count :func:`parse_int` accepts (a household of a million persons is a typing error, and
#: sums of such counts must stay far from the 64-bit limit)
MAX_COUNT = 1_000_000


def parse_int(values: pd.Series, *, maximum: int = MAX_COUNT) -> tuple[pd.Series, pd.Series]:
    """Parse a column of non-negative integers up to ``maximum`` (e.g. persons); returns (Int64 series, bad mask).

    Examples
    --------
    >>> v, bad = parse_int(pd.Series(["3", "４", "", "2.0", "-1", "two", None, "inf", "1e20"]))
    >>> v.tolist(), bad.tolist()
    ([3, 4, <NA>, 2, <NA>, <NA>, <NA>, <NA>, <NA>], [False, False, False, False, True, True, False, True, True])
    """
    raw = values.astype("object")
    blank = raw.isna() | raw.astype("str").str.strip().isin(["", "nan", "NaN", "None", "<NA>"])
    s = _clean_numbers(raw.where(~blank, "")).str.replace("人", "", regex=False)
    num = pd.to_numeric(s.where(~blank, None), errors="coerce")
    with np.errstate(invalid="ignore"):
        good = num.notna() & np.isfinite(num.fillna(0)) & (num >= 0) & (num <= maximum) & (
            num == np.floor(num.fillna(0)))
    bad = ~blank & ~good
    out = pd.array(np.where(good, num.fillna(0), 0).astype(np.int64), dtype="Int64")
    res = pd.Series(out, index=values.index)
    res[~good] = pd.NA
    return res, bad


def parse_bool(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Parse yes/no cells (是/否, 1/0, true/false, √ …); blank is False. Returns (bool series, bad mask).

    Examples
    --------
    >>> v, bad = parse_bool(pd.Series(["是", "否", "", "√", "maybe", True]))
    >>> v.tolist(), bad.tolist()
    ([True, False, False, True, False, True], [False, False, False, False, True, False])
    """
    raw = values.astype("object")
    blank = raw.isna() | raw.astype("str").str.strip().isin(["", "nan", "NaN", "None", "<NA>"])
    s = raw.where(~blank, "").astype("str").str.normalize("NFKC").str.strip().str.lower()
    s = s.str.replace(r"\.0$", "", regex=True)
    is_true = s.isin(YES_WORDS)
    is_false = s.isin(NO_WORDS)
    bad = ~blank & ~is_true & ~is_false
    return pd.Series(is_true.to_numpy(dtype=bool), index=values.index), bad


#: the values a yes/no column may hold, as shown by ATTR-TYPE (language-neutral: they are the cells)
BOOL_VALUES_SHOWN = "1/0, 是/否, Y/N, √"


def flag_values(values: pd.Series, column: str) -> np.ndarray:
    """A yes/no column of a household frame given to the Python API (``head_candidate``, ``party_member``) as
    booleans: the one reading of such a column by the delineator, the check and the repair, the words of
    :func:`parse_bool` (是/否, √/×, 1/0, yes/no, 党员/群众 …; blank and NA are no), as ``read_households`` reads
    a file's. A value that is neither yes nor no is the input error ATTR-TYPE naming ``column``, the value
    and the households (index) holding such values, never a silent yes.

    Examples
    --------
    >>> flag_values(pd.Series(["是", "否", None, "√", 0, "no"], index=list("abcdef")), "head_candidate").tolist()
    [True, False, False, True, False, False]
    >>> flag_values(pd.Series([True, pd.NA], dtype="boolean"), "head_candidate").tolist()
    [True, False]
    >>> try:
    ...     flag_values(pd.Series(["是", "maybe"], index=["H1", "H2"]), "head_candidate")
    ... except ValueError as e:
    ...     print(e.codes, e.problems[0].ids, e.problems[0].params["sample"])
    ['ATTR-TYPE'] ('H2',) maybe
    """
    if pd.api.types.is_bool_dtype(values.dtype):
        return values.fillna(False).to_numpy(dtype=bool)
    yes, bad = parse_bool(values)
    mask = bad.to_numpy(dtype=bool)
    if mask.any():
        from yuanluo.gis.errors import InputError, problem  # errors → catalogue; imported when needed

        sample = str(values[mask].iloc[0])
        raise InputError(problem("ATTR-TYPE", column=column, allowed=BOOL_VALUES_SHOWN, sample=sample,
                                 ids=values.index[mask].astype(str)))
    return yes.to_numpy(dtype=bool)


#: the cells of a yes/no column as a program writes it (a Shapefile's logical or integer field, a CSV of it)
_FLAG_CELLS = frozenset({"0", "1", "true", "false", "t", "f"})


def is_flag_column(values: pd.Series) -> bool:
    """Whether a column holds yes/no flags only (booleans, or 0/1, true/false cells; blanks allowed, at least one
    not blank): not names (a settlement column cut from ``settlement_split`` by a Shapefile).

    Examples
    --------
    >>> is_flag_column(pd.Series([0, 1, 0])), is_flag_column(pd.Series([True, None])), is_flag_column(pd.Series(["1.0", "FALSE"]))
    (True, True, True)
    >>> is_flag_column(pd.Series(["东院", "1"])), is_flag_column(pd.Series([None, ""])), is_flag_column(pd.Series([1, 2]))
    (False, False, False)
    """
    raw = values.astype("object")
    blank = raw.isna() | raw.astype("str").str.strip().isin(["", "nan", "NaN", "None", "<NA>"])
    if bool(blank.all()):
        return False
    s = raw[~blank].astype("str").str.normalize("NFKC").str.strip().str.lower().str.replace(r"\.0$", "", regex=True)
    return bool(s.isin(_FLAG_CELLS).all())


def split_renamed(frame: pd.DataFrame, taken: Iterable[str] = ()) -> dict[str, str]:
    """``{column: "settlement_split"}`` for the column of ``frame`` that a Shapefile made of a result's
    ``settlement_split`` under another name than ``settlement`` (:data:`OWN_CUTS`: ``settleme_1``, GDAL's name for
    it beside the result's ``settlement`` column) and that holds yes/no flags only (:func:`is_flag_column`); ``{}``
    when there is none, two of them, or ``frame`` has a ``settlement_split`` already or ``taken`` (names columns are
    kept under) holds it. A column named ``settlement`` is a canonical column's name, told apart where the households
    are read (COL-SETTLEMENT-FLAG).

    Examples
    --------
    >>> t = pd.DataFrame({"settlement": ["东院", "西院"], "settleme_1": [0, 1], "settleme_2": ["a", "b"]})
    >>> split_renamed(t), split_renamed(t, ["settlement_split"]), split_renamed(t.rename(columns={"settleme_1": "x"}))
    ({'settleme_1': 'settlement_split'}, {}, {})
    """
    if "settlement_split" in {normalize_name(str(c)) for c in [*frame.columns, *taken]}:
        return {}
    found = [str(c) for i, c in enumerate(frame.columns) if OWN_CUTS.get(normalize_name(str(c))) == "settlement_split"
             and canonical_of(str(c)) is None and is_flag_column(frame.iloc[:, i])]
    return {found[0]: "settlement_split"} if len(found) == 1 else {}


def to_id_strings(values: pd.Series) -> pd.Series:
    """Household ids as strings: NFKC, stripped; integral floats lose their ``.0``; blanks become NA.

    Examples
    --------
    >>> to_id_strings(pd.Series(["001", " ０２ ", None])).tolist()
    ['001', '02', nan]
    >>> to_id_strings(pd.Series([1.0, 2.0])).tolist()
    ['1', '2']
    """
    if pd.api.types.is_float_dtype(values.dtype):
        v = values.to_numpy(dtype=float)
        integral = np.isfinite(v) & (v == np.round(v))
        if integral[~np.isnan(v)].all():
            txt = np.char.mod("%d", np.nan_to_num(v).astype(np.int64)).astype(object)
            txt[np.isnan(v)] = np.nan
            return pd.Series(txt, index=values.index, dtype="object")
    s = values.astype("str").str.normalize("NFKC").str.strip().astype("object")
    return s.where(~s.isin(["", "nan", "NaN", "None", "<NA>"]), np.nan).astype("object")


def to_text(values: pd.Series) -> pd.Series:
    """Text attribute (village, group …): NFKC, stripped, integral floats without ``.0``, blanks NA."""
    return to_id_strings(values).astype("str")


SCI_ID = r"[-+]?\d+(\.\d+)?[eE][-+]?\d+"


# ---------------------------------------------------------------------------------------- personal data
#: Column names (compared by :func:`yuanluo.gis.personal.name_key`) that carry personal data (PIPL art. 28):
#: names, id-card numbers, phones, addresses, accounts, free-text notes. The catalogue and the content checks
#: live in :mod:`yuanluo.gis.personal`; ``yuanluo.maps.style`` re-exports these names.
PERSONAL_COLUMNS: frozenset[str] = frozenset(n for names in PERSONAL_NAMES.values() for n in names)


def is_personal(column: str) -> bool:
    """Whether a column name looks like personal data (name, id-card number, phone, address …).

    Examples
    --------
    >>> [is_personal(c) for c in ["户主姓名", "Phone", "persons", "身份證號", "户编号", "HZXM", "姓 名"]]
    [True, True, False, True, False, True, True]
    """
    return personal_name(column)


def personal_columns(columns: Iterable[object]) -> list[str]:
    """The personal-data columns among ``columns`` by name (file order kept); contents are looked at by
    :func:`yuanluo.gis.personal.find_personal`.

    Examples
    --------
    >>> personal_columns(["户编号", "户主", "经度", "联系电话", "tel_no"])
    ['户主', '联系电话', 'tel_no']
    """
    return [str(c) for c in columns if personal_name(str(c))]


#: id-card number columns (身份证号, 公民身份号码, sfzh …; by :func:`~yuanluo.gis.personal.name_key`, a trailing
#: number or a name holding 身份证 / 证件号 too: 户主身份证号码, 身份证号2)
_ID_CARD_KEYS: frozenset[str] = frozenset(name_key(n) for n in PERSONAL_NAMES["id_number"])
_ID_CARD_PARTS: tuple[str, ...] = ("身份证", "身份證", "证件号", "證件號", "sfzh", "idcard")


def id_card_columns(columns: Iterable[object]) -> list[str]:
    """The id-card number columns among ``columns`` by name (file order kept).

    Examples
    --------
    >>> id_card_columns(["户编号", "身份证号", "户主身份证号码", "SFZH2", "联系电话", "户主姓名"])
    ['身份证号', '户主身份证号码', 'SFZH2']
    """
    out = []
    for c in columns:
        key = name_key(c)
        if re.sub(r"\d+$", "", key) in _ID_CARD_KEYS or any(p in key for p in _ID_CARD_PARTS):
            out.append(str(c))
    return out


# ---------------------------------------------------------------------------------------- division codes
#: Column names holding the 12-digit statistical division code of a village (统计用区划代码,
#: e.g. ``500101001001``: province 2, city 2, county 2, township 3, village 3 digits).
CODE_ALIASES: tuple[str, ...] = (
    "统计用区划代码", "区划代码", "行政区划代码", "村级区划代码", "村区划代码", "村代码", "区划编码",
    "统计用区划编码", "village_code", "villagecode", "division_code", "admin_code", "xzqhdm", "tjyqhdm",
    "行政村代码", "行政村编码", "村编码", "村级代码", "村级编码", "村区划编码",
)
_CODE_INDEX = frozenset(n for n in dbf_aliases(map(normalize_name, CODE_ALIASES))
                        if n not in _ALIAS_INDEX and n not in _HEAD_INDEX)
CODE_DIGITS = 12


def code_columns(columns: Iterable[object]) -> list[str]:
    """The division-code columns among ``columns`` (file order kept).

    Examples
    --------
    >>> code_columns(["户编号", "统计用区划代码", "Village_Code", "代码"])
    ['统计用区划代码', 'Village_Code']
    """
    return [str(c) for c in columns if normalize_name(str(c)) in _CODE_INDEX]


#: Column names holding the township (乡镇 / 街道) a village belongs to: two villages of one name in two
#: towns are two villages (:func:`yuanluo.gis.keys.nest_key`). The column keeps its own name in the household
#: table (as a division-code column does); :func:`town_columns` finds it.
TOWN_ALIASES: tuple[str, ...] = (
    "town", "township", "乡镇", "镇", "乡", "街道", "乡镇街道", "乡镇(街道)", "镇街", "镇(街道)", "乡(镇)",
    "乡镇名称", "乡镇名", "镇名", "所属乡镇", "所属镇", "所属街道", "乡镇/街道", "xiangzhen",
)
_TOWN_INDEX = frozenset(n for n in dbf_aliases(map(normalize_name, TOWN_ALIASES))
                        if n not in _ALIAS_INDEX and n not in _HEAD_INDEX and n not in _CODE_INDEX)


def town_columns(columns: Iterable[object]) -> list[str]:
    """The township columns among ``columns`` (file order kept); full-width brackets are read as ASCII ones.

    Examples
    --------
    >>> town_columns(["户编号", "乡镇", "行政村", "Town", "乡镇（街道）", "街道地址"])
    ['乡镇', 'Town', '乡镇（街道）']
    """
    return [str(c) for c in columns if normalize_name(str(c)) in _TOWN_INDEX]


#: Column names numbering a register's rows (序号): no household attribute, but a column a header names
SERIAL_ALIASES: tuple[str, ...] = ("序号", "序", "顺序号", "行号", "编号序号", "no", "no.", "seq", "serial", "#")
_SERIAL_INDEX = frozenset(normalize_name(n) for n in SERIAL_ALIASES)


def is_serial_column(name: object) -> bool:
    """Whether a column name numbers a register's rows (:data:`SERIAL_ALIASES`: 序号 …).

    Examples
    --------
    >>> is_serial_column(" 序号 "), is_serial_column("No."), is_serial_column("户编号")
    (True, True, False)
    """
    return normalize_name(str(name)) in _SERIAL_INDEX


def known_column(cell: object) -> bool:
    """Whether a header cell names a column the reader knows: a canonical alias (:func:`canonical_of`), a
    candidate-head or party column, a town (:func:`town_columns`) or division-code column (:func:`code_columns`),
    a personal-data or remark column (:func:`~yuanluo.gis.personal.personal_name`: 户主姓名, 身份证号, 联系电话,
    备注 …), a serial number (序号) or a column of coordinate pairs (经纬度, :data:`PAIR_ALIASES`). A value of a
    data row (a name, a number, a place) is none of these.

    Examples
    --------
    >>> [known_column(c) for c in ["镇", "行政区划代码", "户主姓名", "身份证号", "联系电话", "备注", "序号", "经度"]]
    [True, True, True, True, True, True, True, True]
    >>> [known_column(c) for c in ["长寿镇", "杨秀德", "13900000000", "1组", "107.73", "否", ""]]
    [False, False, False, False, False, False, False]
    """
    text = str(cell).strip()
    if not text:
        return False
    n = normalize_name(text)
    return (canonical_of(text) is not None or n in _HEAD_INDEX or n in _TOWN_INDEX or n in _CODE_INDEX
            or n in _SERIAL_INDEX or n in _PAIR_INDEX or personal_name(text))


def parse_division_code(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Division codes as 12-digit strings; returns (str series with NA for blank, bad mask).

    A value is bad when it is not exactly 12 ASCII digits after NFKC normalisation: too short (the
    leading digits were lost when a spreadsheet read it as a number), too long, scientific notation
    (``5.00101E+11``) or text. Integral floats (``500101001001.0``) are accepted.

    Examples
    --------
    >>> v, bad = parse_division_code(pd.Series(["500101001001", "５００１０１００１００２", "", "5.00101E+11",
    ...                                          "50101001001", 500101001003.0]))
    >>> v.tolist()[:2], bad.tolist()
    (['500101001001', '500101001002'], [False, False, False, True, True, False])
    """
    s = to_id_strings(values.astype("object"))
    blank = s.isna()
    s = s.where(blank, s.astype("str").str.replace(r"^(\d+)\.0+$", r"\1", regex=True))
    ok = s.astype("str").str.fullmatch(rf"\d{{{CODE_DIGITS}}}") & s.astype("str").str.isascii()
    bad = (~blank & ~ok.fillna(False)).astype(bool)
    return s.astype("str"), bad
