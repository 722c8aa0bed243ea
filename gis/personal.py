"""Personal data in household tables: which columns hold names, id-card numbers, phones, addresses.

A town's household register holds personal information (PIPL art. 28) beside what the units need. Maps are
passed from phone to phone, so they carry fields by **allow-list**: only what the map needs
(:data:`MAP_FIELDS`) plus the columns the user names (``--fields``); a named column recognised as personal also
needs ``--include-personal``. A column is recognised

* **by name**: a broad catalogue of the names registers use (Chinese, simplified and traditional; pinyin
  initials; English), compared after NFKC, lower case and with spaces, ``_``, ``-`` and ``.`` removed, plus a
  few parts a name may contain (``户主姓名``, ``联系电话2``, ``owner_phone``);
* **by content**: a value holding an 18-digit mainland id-card number with a valid GB 11643 check digit, an
  old 15-digit one (a province's area code, a valid ``YYMMDD`` birth date, three digits), an 11-digit mainland
  mobile number (``1[3-9]`` and nine digits; ``138 1234 5678``, ``138-1234-5678``, ``138.1234.5678``), a landline
  number with its area code (``023-68123456``, ``(023)68123456``, ``02368123456``), or a bank card number (16 to 19
  digits, ``62``, ``4`` or ``5`` first, a valid Luhn check), in an evenly spread sample of its values. For the
  15-digit id-card and bank card numbers, most such numbers of the column must be valid (a column of codes passes
  a check digit or holds a date only now and then).

A name ``tel1`` or ``证号2`` is the name without its trailing digits; a name whose parts (split at spaces, ``_``,
``-``, ``.``) include ``tel``, ``phone``, ``sfz`` … is personal too (``owner_tel``, ``tel_home``); ``账号`` alone is not
(an account number of a bank or card is: ``银行账号``, ``一卡通账号``).

Examples
--------
>>> find_personal(pd.DataFrame({"户主名": ["张三"], "col7": ["11010519491231002X"], "persons": [3]}))
{'户主名': 'name', 'col7': 'id_number'}
>>> map_fields(pd.DataFrame({"persons": [3], "户主名": ["张三"], "mark": ["a"]}), ["户主名", "mark"])
['persons', 'mark']
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from typing import Literal

import numpy as np
import pandas as pd

from yuanluo.gis.catalogue import LANGS, Lang, text
from yuanluo.gis.errors import InputError, Problem, problem

How = Literal["name", "id_number", "mobile", "landline", "bank_card"]

#: the household fields every map shows (canonical columns of :mod:`yuanluo.gis.columns`; none is personal)
MAP_FIELDS = ("persons", "village", "group", "settlement", "head_candidate")

#: column names of personal data, grouped by what they hold (compared by :func:`name_key`)
PERSONAL_NAMES: dict[str, tuple[str, ...]] = {
    "name": ("姓名", "名字", "户主", "户主名", "户主姓名", "户主名字", "户名", "联系人", "联系人姓名", "家长",
             "户主姓名(签字)", "签名", "签字", "成员姓名", "人员姓名",
             "xm", "hzxm", "hz", "hzmc", "lxr", "xingming",
             "name", "names", "fullname", "full_name", "first_name", "last_name", "surname", "given_name",
             "owner", "owner_name", "head_name", "householder", "householder_name", "hh_name", "contact_name",
             "person_name", "resident", "resident_name"),
    "id_number": ("公民身份号码", "身份证", "身份证号", "身份证号码", "身份证件号码", "证件号", "证件号码",
                  "身份號碼", "身份證", "身份證號", "身份證號碼", "證件號碼", "户主身份证号", "居民身份证号",
                  "证号", "證號", "证件", "證件", "身份证件", "户口本号",
                  "sfzh", "sfzhm", "zjhm", "zjh", "sfz", "gmsfhm", "hzsfzh",
                  "id_card", "idcard", "id_no", "idno", "id_number", "idnumber", "citizen_id", "national_id",
                  "identity", "identity_no", "id_card_no", "passport", "passport_no"),
    "phone": ("电话", "电话号码", "手机", "手机号", "手机号码", "联系电话", "联系方式", "联系号码", "固定电话",
              "座机", "座机号", "座机号码", "固话", "固话号码", "宅电", "传真", "座機", "固話",
              "電話", "手機", "手機號", "手機號碼", "聯繫電話", "聯絡電話", "聯繫方式",
              "dh", "lxdh", "sjhm", "sjh", "lxfs", "dhhm", "gddh",
              "phone", "phone_no", "phone_number", "telephone", "tel", "tel_no", "telno", "mobile", "mobile_no",
              "cell", "cellphone", "contact", "contact_phone", "contact_no", "landline", "fax"),
    "address": ("地址", "住址", "家庭住址", "家庭地址", "详细地址", "居住地址", "户籍地址", "户籍地", "现住址",
                "門牌地址", "家庭住址(门牌)", "住址門牌",
                "dz", "zz", "jtzz", "xzz", "hjdz",
                "address", "addr", "home_address", "street_address", "residence"),
    "account": ("微信", "微信号", "微信號", "qq", "qq号", "邮箱", "电子邮箱", "電郵",
                "银行卡", "银行卡号", "银行账号", "银行帐号", "卡号", "一卡通", "一卡通账号", "一卡通帐号", "社保卡",
                "社保卡号", "医保卡号", "存折", "存折号", "存折账号", "补贴账号", "开户账号", "銀行卡號", "銀行帳號",
                "yhkh", "yhzh", "sbkh", "ykt", "yktzh",
                "bank_card", "bankcard", "bank_account", "bank_account_no", "card_no", "card_number", "iban",
                "wx", "wxh", "wechat", "wechat_id", "weixin", "email", "e_mail", "mail"),
    "note": ("备注", "備註", "说明", "附注", "其他", "其它", "情况说明", "bz", "remark", "remarks", "note", "notes",
             "comment", "comments", "memo", "description"),
}
#: parts of a column name that make it personal wherever they stand (``户主姓名``, ``联系电话2``, ``owner_phone``)
PERSONAL_PARTS = ("姓名", "电话", "電話", "手机", "手機", "身份证", "身份證", "证件号", "證件號", "住址", "地址",
                  "微信", "联系方式", "聯繫方式", "备注", "備註", "座机", "座機", "固话", "固話", "证件", "證件",
                  "银行卡", "银行账", "银行帐", "銀行卡", "銀行帳", "一卡通", "社保卡", "医保卡", "存折", "卡号", "卡號",
                  "phone", "mobile", "idcard", "id_card", "wechat", "address", "email", "passport", "bankcard",
                  "bankaccount", "landline", "telephone")
#: words of a column name (split at spaces, ``_``, ``-``, ``.``; trailing digits dropped) that make it personal
#: (``owner_tel``, ``tel_home``, ``sfz 2``): short ones, which inside another word mean nothing (``hotel``)
PERSONAL_WORDS = ("tel", "fax", "sfz", "sfzh", "zjh", "zjhm", "lxdh", "sjh", "sjhm", "iban")

_DROP = re.compile(r"[\s_\-.·]+")


def name_key(name: object) -> str:
    """The key a column name is compared by: NFKC, lower case, spaces, ``_``, ``-``, ``.`` removed.

    Examples
    --------
    >>> name_key(" 姓　名 "), name_key("TEL_NO"), name_key("Ｉｄ-Card")
    ('姓名', 'telno', 'idcard')
    """
    return _DROP.sub("", unicodedata.normalize("NFKC", str(name)).lower())


_NAME_INDEX: frozenset[str] = frozenset(name_key(n) for names in PERSONAL_NAMES.values() for n in names)
_PART_KEYS: tuple[str, ...] = tuple(name_key(p) for p in PERSONAL_PARTS)
_WORDS: frozenset[str] = frozenset(PERSONAL_WORDS)
_TRAILING_DIGITS = re.compile(r"\d+$")


_NOTE_KEYS: frozenset[str] = frozenset(name_key(n) for n in PERSONAL_NAMES["note"])
_NOTE_PART_KEYS: tuple[str, ...] = tuple(name_key(p) for p in ("备注", "備註"))


def note_name(column: object) -> bool:
    """Whether a column's name marks it a free-text remark (备注, 说明, notes …) and nothing more personal: held back
    as personal data (a remark may hold a name or a phone number), but said as what it is, not as a name column.

    Examples
    --------
    >>> [note_name(c) for c in ["备注", "备注2", "户主备注", "remarks", "户主姓名", "电话备注", "persons"]]
    [True, True, True, True, False, False, False]
    """
    key = name_key(column)
    bare = _TRAILING_DIGITS.sub("", key)
    if not (key in _NOTE_KEYS or bare in _NOTE_KEYS or any(p in key for p in _NOTE_PART_KEYS)):
        return False
    other = key
    for p in _NOTE_PART_KEYS:
        other = other.replace(p, "")
    return not any(p in other for p in _PART_KEYS if p not in _NOTE_PART_KEYS)  # 电话备注 is a phone column


def personal_name(column: object) -> bool:
    """Whether a column *name* marks personal data.

    Examples
    --------
    >>> [personal_name(c) for c in ["公民身份号码", "姓 名", "HZXM", "tel_no", "户主电话", "persons", "村民小组"]]
    [True, True, True, True, True, False, False]
    >>> [personal_name(c) for c in ["座机", "tel1", "owner_tel", "证号", "一卡通账号", "账号", "户编号", "hotel"]]
    [True, True, True, True, True, False, False, False]
    """
    key = name_key(column)
    if key in _NAME_INDEX or _TRAILING_DIGITS.sub("", key) in _NAME_INDEX or any(p in key for p in _PART_KEYS):
        return True
    words = re.split(r"[\s_\-.·]+", unicodedata.normalize("NFKC", str(column)).lower())
    return any(_TRAILING_DIGITS.sub("", w) in _WORDS for w in words if w)


# ------------------------------------------------------------------------------------------- content
_ID_WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2], dtype=np.int64)
_ID_CHECK = np.array(list("10X98765432"))
_ID_CANDIDATE = re.compile(r"(?<![0-9A-Za-z])([1-9]\d{16}[0-9Xx])(?![0-9A-Za-z])")
#: an old 15-digit id-card number: area code, birth date YYMMDD (19YY), three digits
_ID15_CANDIDATE = re.compile(r"(?<![0-9A-Za-z])([1-8]\d)\d{4}(\d{2})(\d{2})(\d{2})\d{3}(?![0-9A-Za-z])")
#: the province codes of mainland id-card numbers (GB/T 2260)
_PROVINCES = frozenset({11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46,
                        50, 51, 52, 53, 54, 61, 62, 63, 64, 65})
# neither a digit nor a decimal point and a digit before or after (``106.13812345678`` is a longitude)
_NOT_BEFORE, _NOT_AFTER = r"(?<!\d)(?<!\d\.)", r"(?!\d)(?!\.\d)"
_MOBILE = re.compile(_NOT_BEFORE + r"(?:\+?86[\s-]?)?1[3-9]\d(?:(?:[\s-]?\d{4}){2}|\.\d{4}\.\d{4})" + _NOT_AFTER)
#: a landline number with its area code (010, 02x, 03xx-09xx): ``023-68123456``, ``(023)6812 3456``, ``02368123456``
_AREA = r"(?:010|02\d|0[3-9]\d{2})"
_LANDLINE = re.compile(_NOT_BEFORE + r"(?:\+?86[\s-]?)?(?:[(（]" + _AREA + r"[)）][\s-]?|" + _AREA + r"[\s-]?)"
                       r"[2-9]\d{2,3}[\s-]?\d{4}" + _NOT_AFTER)
#: a bank card number: 16-19 digits, or four groups of four and up to three more, ``62`` (UnionPay), 4 or 5 first
_CARD_CANDIDATE = re.compile(r"(?<![0-9A-Za-z])((?:62|[45])\d{14,17}|(?:62|[45])\d{2}(?:[\s-]\d{4}){3}(?:[\s-]?\d{1,3})?)"
                             r"(?![0-9A-Za-z])")
#: the share of a column's 15-digit id-card or bank-card candidates that must be valid
MOSTLY = 0.8
#: how many distinct values of a column are looked at (evenly spread over the sorted distinct values)
SAMPLE = 2000


def valid_id_numbers(values: Sequence[str]) -> np.ndarray:
    """Which 18-character strings are mainland id-card numbers with a valid GB 11643 check digit.

    Examples
    --------
    >>> valid_id_numbers(["11010519491231002X", "110105194912310021", "11010519491231002"]).tolist()
    [True, False, False]
    """
    vals = [v.upper() for v in values]
    ok = np.array([len(v) == 18 and v[:17].isascii() and v[:17].isdigit() for v in vals], dtype=bool)
    if not ok.any():
        return ok
    digits = np.array([[int(c) for c in v[:17]] for v, good in zip(vals, ok, strict=True) if good], dtype=np.int64)
    check = _ID_CHECK[(digits @ _ID_WEIGHTS) % 11]
    ok[np.flatnonzero(ok)] = check == np.array([v[17] for v, good in zip(vals, ok, strict=True) if good])
    return ok


def valid_old_id_numbers(values: Sequence[str]) -> np.ndarray:
    """Which strings are old 15-digit mainland id-card numbers: a province's area code, a valid birth date
    ``YYMMDD`` of 19YY, three digits.

    Examples
    --------
    >>> valid_old_id_numbers(["500113900101005", "500113901301005", "990113900101005", "50011390010100"]).tolist()
    [True, False, False, False]
    """
    import calendar

    out = np.zeros(len(values), dtype=bool)
    for i, v in enumerate(values):
        m = _ID15_CANDIDATE.fullmatch(v)
        if m is None or int(m.group(1)) not in _PROVINCES:
            continue
        year, month, day = 1900 + int(m.group(2)), int(m.group(3)), int(m.group(4))
        out[i] = 1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]
    return out


def valid_cards(values: Sequence[str]) -> np.ndarray:
    """Which strings (digits, maybe spaced or hyphenated) are 16-19 digits with a valid Luhn check.

    Examples
    --------
    >>> valid_cards(["6217 0000 0000 0006", "6217000000000005", "621700000000006"]).tolist()
    [True, False, False]
    """
    out = np.zeros(len(values), dtype=bool)
    for i, v in enumerate(values):
        digits = [int(c) for c in re.sub(r"[\s-]", "", v)]
        if not 16 <= len(digits) <= 19:
            continue
        total = sum(d if k % 2 == 0 else (2 * d - 9 if d > 4 else 2 * d) for k, d in enumerate(reversed(digits)))
        out[i] = total % 10 == 0
    return out


def _mostly(ok: np.ndarray) -> bool:
    """Whether ``ok`` has a true value and at least :data:`MOSTLY` of it is true."""
    return bool(ok.any()) and float(ok.mean()) >= MOSTLY


def _as_text(values: pd.Series) -> list[str]:
    """Distinct non-blank values as sorted text (integral numbers without ``.0``; fractional numbers and
    booleans left out: they hold no id-card or phone number)."""
    s = values.dropna()
    if pd.api.types.is_bool_dtype(s.dtype):
        return []
    if pd.api.types.is_numeric_dtype(s.dtype):
        v = pd.to_numeric(s, errors="coerce").to_numpy(dtype=float)
        v = v[np.isfinite(v) & (v == np.floor(v)) & (np.abs(v) < 1e19)]
        return [str(int(x)) for x in np.unique(v)]
    return sorted({unicodedata.normalize("NFKC", str(x)) for x in s.tolist()})


def content_kind(values: pd.Series, *, sample: int = SAMPLE) -> How | None:
    """``"id_number"``, ``"mobile"``, ``"landline"`` or ``"bank_card"`` when a value of the sample holds one
    (for old 15-digit id-card and bank card numbers: when most of the column's candidates are valid), else None.

    Examples
    --------
    >>> content_kind(pd.Series(["电话 138-1234-5678", "无"])), content_kind(pd.Series([110105194912310021, 3]))
    ('mobile', None)
    >>> content_kind(pd.Series(["户主 11010519491231002x"])), content_kind(pd.Series([106.13812345678]))
    ('id_number', None)
    >>> content_kind(pd.Series([500113900101005])), content_kind(pd.Series(["138.1234.5678"]))
    ('id_number', 'mobile')
    >>> content_kind(pd.Series(["(023)68123456", "无"])), content_kind(pd.Series(["6217 0000 0000 0006"]))
    ('landline', 'bank_card')
    >>> content_kind(pd.Series(["H000123", "500113", "3297662.57"]))
    """
    txt = _as_text(values)
    if len(txt) > sample:
        txt = [txt[i] for i in np.unique(np.linspace(0, len(txt) - 1, sample).round().astype(np.int64))]
    ids = [m for v in txt for m in _ID_CANDIDATE.findall(v)]
    if ids and valid_id_numbers(ids).any():
        return "id_number"
    old = [m.group(0) for v in txt for m in _ID15_CANDIDATE.finditer(v)]
    if old and _mostly(valid_old_id_numbers(old)):
        return "id_number"
    if any(_MOBILE.search(v) for v in txt):
        return "mobile"
    if any(_LANDLINE.search(v) for v in txt):
        return "landline"
    cards = [m for v in txt for m in _CARD_CANDIDATE.findall(v)]
    if cards and _mostly(valid_cards(cards)):
        return "bank_card"
    return None


def find_personal(frame: pd.DataFrame, columns: Iterable[object] | None = None) -> dict[str, How]:
    """The personal-data columns of ``frame`` (all its columns, or ``columns``) and how each was recognised.

    The geometry column is never looked at. File order is kept.

    Examples
    --------
    >>> find_personal(pd.DataFrame({"HZXM": ["李四"], "c": ["13912345678"], "d": ["x"]}))
    {'HZXM': 'name', 'c': 'mobile'}
    """
    geom = getattr(frame, "_geometry_column_name", None)
    out: dict[str, How] = {}
    for col in frame.columns if columns is None else columns:
        if col == geom or col not in frame.columns:
            continue
        if personal_name(col) and not note_name(col):
            out[str(col)] = "name"
            continue
        values = frame[col]
        if isinstance(values, pd.DataFrame):  # a duplicated column name: look at every copy
            values = pd.concat([values.iloc[:, i] for i in range(values.shape[1])], ignore_index=True)
        kind = content_kind(values)
        if kind is not None:  # a remark holding phone numbers is said by what it holds
            out[str(col)] = kind
        elif note_name(col):
            out[str(col)] = "name"  # by its name: a remark, held back for what it may hold (said apart)
    return out


# ------------------------------------------------------------------------------------------- the maps
def parse_fields(value: str | Sequence[str] | None) -> list[str]:
    """The column names of a ``--fields`` value (``a,b``; Chinese commas and ``、`` too), stripped, in order,
    each once.

    Examples
    --------
    >>> parse_fields("备注, 户主名，备注、col7"), parse_fields(None)
    (['备注', '户主名', 'col7'], [])
    """
    if value is None:
        return []
    parts = re.split(r"[,，、]", value) if isinstance(value, str) else [str(v) for v in value]
    return list(dict.fromkeys(p.strip() for p in parts if p.strip()))


def map_fields(frame: pd.DataFrame, fields: Sequence[str] = (), *, include_personal: bool = False,
               needed: Sequence[str] = MAP_FIELDS, skip: Iterable[str] = ()) -> list[str]:
    """The household columns a map may carry: the ``needed`` ones present, then the user's ``fields`` present;
    a column recognised as personal (:func:`find_personal`) only when it is in ``fields`` and
    ``include_personal`` is set. Nothing else, whatever the frame holds.

    Examples
    --------
    >>> f = pd.DataFrame({"persons": [2], "手機": ["13912345678"], "col7": ["11010519491231002X"], "n": [1]})
    >>> map_fields(f), map_fields(f, ["n", "手機"]), map_fields(f, ["n", "手機"], include_personal=True)
    (['persons'], ['persons', 'n'], ['persons', 'n', '手機'])
    """
    drop = {str(s) for s in skip}
    cols = {str(c): c for c in frame.columns}
    wanted = [c for c in dict.fromkeys([*needed, *(str(f) for f in fields)]) if c in cols and c not in drop]
    personal = find_personal(frame, [cols[c] for c in wanted])
    requested = {str(f) for f in fields}
    return [c for c in wanted if c not in personal or (include_personal and c in requested)]


def shown_personal(found: Mapping[str, How], fields: Sequence[str], include_personal: bool) -> list[str]:
    """The personal columns a map will carry: those named in ``fields`` when ``include_personal`` is set."""
    named = set(fields)
    return [c for c in found if include_personal and c in named]


def asked_personal(found: Mapping[str, How], fields: Sequence[str], include_personal: bool) -> list[str]:
    """The personal columns ``fields`` named that a map leaves out for want of ``include_personal``.

    >>> asked_personal({"户主名": "name", "col7": "id_number"}, ["col7", "n"], False)
    ['col7']
    >>> asked_personal({"户主名": "name"}, ["户主名"], True)
    []
    """
    named = set(fields)
    return [c for c in found if not include_personal and c in named]


def personal_problem(found: Mapping[str, How], file: str | None, shown: Sequence[str] = (),
                     asked: Sequence[str] = ()) -> Problem | None:
    """ATTR-PERSONAL (warning): the personal columns found, how (by name, by content: id-card, mobile, landline or
    bank card numbers),
    which are kept out of the HTML maps and which are shown because ``--fields`` named them with
    ``--include-personal``; None when nothing was found. Its fix says there is nothing to do, unless ``--fields``
    named personal columns (``asked``) without ``--include-personal``: then that they are personal data the maps
    and tables leave out, and how to show them (``--fields <asked> --include-personal``); and every output the two
    options serve (``personal.fix.serves``: web maps, printed unit sheets, the Excel plan, the repaired plan).

    Examples
    --------
    >>> p = personal_problem({"户主名": "name", "col7": "id_number"}, "h.csv", shown=["户主名"])
    >>> p.params["by_name"], p.params["by_id"], p.params["by_mobile"], p.params["kept"], p.params["shown"]
    (['户主名'], ['col7'], ['—'], ['col7'], ['户主名'])
    >>> p = personal_problem({"户主名": "name", "电话": "name"}, "h.csv", asked=["户主名", "电话"])
    >>> print(p.params["lead"]["en"], p.params["example"])  # doctest: +NORMALIZE_WHITESPACE
    --fields names personal data (户主名, 电话), which the maps, the printed unit sheets and the plan tables leave out
    without --include-personal.  户主名,电话
    """
    if not found:
        return None
    show = [c for c in found if c in set(shown)]

    def join(cols: Iterable[str]) -> list[str]:
        return list(cols) or ["—"]

    by = {how: [c for c, h in found.items() if h == how]
          for how in ("name", "id_number", "mobile", "landline", "bank_card")}
    # a remark (备注) is held back as personal data but is no name column: said as what it is
    by["note"] = [c for c in by["name"] if note_name(c)]
    by["name"] = [c for c in by["name"] if c not in set(by["note"])]
    kept = [c for c in found if c not in show]

    def clauses(lang: Lang, parts: list[tuple[str, list[str]]]) -> str:
        sep = text("list.sep", lang)
        return text("list.clause_sep", lang).join(text(key, lang, cols=sep.join(cols)) for key, cols in parts if cols)

    said = {lang: clauses(lang, [("personal.by_name", by["name"]), ("personal.by_id", by["id_number"]),
                                 ("personal.by_mobile", by["mobile"]), ("personal.by_landline", by["landline"]),
                                 ("personal.by_card", by["bank_card"]), ("personal.by_note", by["note"])])
            for lang in LANGS}
    holds = {lang: text("personal.holds." + ("note" if len(by["note"]) == len(found) else
                                            "both" if by["note"] else "personal"), lang) for lang in LANGS}
    maps = {lang: clauses(lang, [("personal.kept", kept), ("personal.shown" if kept else "personal.shown_first", show)])
            for lang in LANGS}  # only the clauses that name a column: no "—"
    asked = [c for c in found if c in set(asked) and c not in show]
    lead = {lang: text("personal.fix.asked", lang, cols=text("list.sep", lang).join(asked)) if asked
            else text("personal.fix.lead", lang) for lang in LANGS}
    example = ",".join(asked) if asked else next(iter(found))  # one --fields value: 户主名,电话
    serves = {lang: text("personal.fix.serves", lang) for lang in LANGS}  # every output the two options serve
    return problem("ATTR-PERSONAL", severity="warning", file=file, found_text=said, maps=maps, example=example,
                   lead=lead, serves=serves, holds=holds, by_note=join(by["note"]),
                   by_name=join(by["name"]), by_id=join(by["id_number"]), by_mobile=join(by["mobile"]),
                   by_landline=join(by["landline"]), by_card=join(by["bank_card"]),
                   kept=join(kept), shown=join(show),
                   found=tuple(found.items()))


def with_shown(problems: Iterable[Problem], fields: Sequence[str], include_personal: bool) -> list[Problem]:
    """``problems`` with every ATTR-PERSONAL re-stated for a map drawn with ``fields`` / ``include_personal``
    (what it keeps out and what it shows; the personal columns ``fields`` named that it leaves out for want of
    ``include_personal``, with how to show them); other problems unchanged.

    Examples
    --------
    >>> p = personal_problem({"户主名": "name", "col7": "id_number"}, "h.csv")
    >>> [q.params["kept"] for q in with_shown([p], ["col7"], True)]
    [['户主名']]
    """
    out: list[Problem] = []
    for p in problems:
        found = dict(p.params.get("found", ())) if p.code == "ATTR-PERSONAL" else {}
        q = personal_problem(found, p.file, shown_personal(found, fields, include_personal),
                             asked_personal(found, fields, include_personal)) if found else None
        out.append(q if q is not None else p)
    return out


def resolve_fields(frame: pd.DataFrame, fields: Sequence[str], file: str | None,
                   notes: list[Problem] | None = None) -> list[str]:
    """The ``--fields`` names as columns of ``frame``: a name of the file that became a canonical column
    (``人口`` → ``persons``) is that column; a candidate-head column the reader folded into ``head_candidate`` /
    ``party_member`` when it read ``frame`` (``返乡能人``, ``党员`` …, as ``frame.attrs["folded"]`` lists them:
    :func:`yuanluo.gis.io.folded_heads`) is that column, said in ``notes`` by FIELDS-FOLDED (warning: its own
    values are not kept); the name of such a column that ``frame``'s file did not have (a result, which holds only
    ``head_candidate`` / ``party_member``: :func:`folded_column`) is that column too, said by FIELDS-SHOWN-AS (a
    plain note: nothing was folded); a name that is none of these is FIELDS-UNKNOWN (exit 2).

    Examples
    --------
    >>> resolve_fields(pd.DataFrame({"persons": [3], "备注": ["a"]}), ["人口", "备注"], "h.csv")
    ['persons', '备注']
    >>> read = pd.DataFrame({"head_candidate": [True], "party_member": [True]})
    >>> read.attrs["folded"] = {"返乡能人": "head_candidate", "党员": "party_member"}
    >>> notes: list[Problem] = []
    >>> resolve_fields(read, ["返乡能人", "党员"], "h.csv", notes)
    ['head_candidate', 'party_member']
    >>> [(n.code, n.params["columns"]) for n in notes]
    [('FIELDS-FOLDED', ['返乡能人']), ('FIELDS-FOLDED', ['党员'])]
    >>> notes = []
    >>> resolve_fields(pd.DataFrame({"party_member": [True]}), ["党员"], "out.gpkg", notes)
    ['party_member']
    >>> [(n.code, n.params["columns"]) for n in notes]
    [('FIELDS-SHOWN-AS', ['党员'])]
    """
    from yuanluo.gis.catalogue import both
    from yuanluo.gis.columns import canonical_of
    from yuanluo.gis.errors import InputError
    from yuanluo.gis.io import FOLDED_ATTR

    present = [str(c) for c in frame.columns if c != getattr(frame, "_geometry_column_name", None)]
    folded_here = {str(k): str(v) for k, v in dict(frame.attrs.get(FOLDED_ATTR) or {}).items() if v in present}
    out: list[str] = []
    missing: list[str] = []
    folded: dict[str, list[str]] = {}
    shown_as: dict[str, list[str]] = {}
    for f in fields:
        canon = canonical_of(f)
        into = folded_column(f, present)
        if f in present:
            out.append(f)
        elif canon is not None and canon in present:
            out.append(canon)
        elif f in folded_here:
            out.append(folded_here[f])
            folded.setdefault(folded_here[f], []).append(f)
        elif into is not None:
            out.append(into)
            shown_as.setdefault(into, []).append(f)
        else:
            missing.append(f)
    if missing:
        raise InputError(problem("FIELDS-UNKNOWN", file=file, columns=list(missing),
                                 available=list(present) or ["—"]))
    if notes is not None:
        notes.extend(problem("FIELDS-FOLDED", severity="warning", file=file, columns=names, column=into,
                             example=names[0]) for into, names in folded.items())
        notes.extend(problem("FIELDS-SHOWN-AS", severity="warning", file=file, columns=names, column=into,
                             label=both(f"field.{into}")) for into, names in shown_as.items())
    return list(dict.fromkeys(out))


def folded_column(name: str, present: Iterable[str]) -> str | None:
    """The column of ``present`` a candidate-head column ``name`` of a household file is folded into when it is
    read, whether or not the file that ``present`` came from had it (:func:`yuanluo.gis.io.read_households` keeps ``head_candidate``, yes when any candidate-head column
    says yes, and ``party_member``, yes when any party-member column does, not the columns themselves): a
    party-member column (``党员``) is ``party_member``, any other candidate-head column (``返乡能人``, ``乡贤``)
    ``head_candidate``; None for another name, or when ``present`` lacks the column.

    Examples
    --------
    >>> cols = ["persons", "head_candidate", "party_member"]
    >>> folded_column("返乡能人", cols), folded_column("中共党员", cols), folded_column("党员", ["head_candidate"])
    ('head_candidate', 'party_member', None)
    >>> folded_column("备注", cols)
    """
    from yuanluo.gis.columns import head_columns

    heads, party = head_columns([name])
    have = set(present)
    into = "party_member" if party else "head_candidate" if heads else None
    return into if into is not None and into in have else None


def listed_fields(frame: pd.DataFrame, columns: Sequence[str], fields: Sequence[str] = (), *,
                  include_personal: bool = False) -> tuple[list[str], dict[str, How]]:
    """The ``columns`` of a printed or handed-out table (the per-unit sheets' household list, the xlsx plan) that
    it may carry, and the personal ones it leaves out: the same allow-list as the maps (:func:`map_fields`, by
    name *and* content), limited to the table's own ``columns`` present in ``frame``; a column recognised as
    personal only when named in ``fields`` with ``include_personal``.

    Examples
    --------
    >>> f = pd.DataFrame({"group": ["一组"], "settlement": ["13912345678"], "persons": [3]})
    >>> listed_fields(f, ["group", "settlement", "persons", "village"])
    (['group', 'persons'], {'settlement': 'mobile'})
    >>> listed_fields(f, ["group", "settlement"], ["settlement"], include_personal=True)
    (['group', 'settlement'], {})
    """
    present = [str(c) for c in columns if c in frame.columns]
    keep = [c for c in map_fields(frame, fields, include_personal=include_personal, needed=present) if c in present]
    left = {c: how for c, how in find_personal(frame, present).items() if c not in keep}
    return keep, left


# ------------------------------------------------------------------------------------------- the ids on a page
#: the pages that show the household ids (a name of each in ID-PERSONAL-PAGE: ``personal.page.<page>``)
Page = Literal["map", "editor", "cover_map", "cover_report", "maturity_map", "check_report"]


def personal_ids(ids: Iterable[object]) -> How | None:
    """What the household ids hold when they are personal data (id-card, mobile, landline or bank card numbers:
    :func:`content_kind`, as ID-PERSONAL says when a table is read), else None.

    Examples
    --------
    >>> personal_ids(["11010519491231002X", "H2"]), personal_ids(["13912345678"]), personal_ids(["001", "002"])
    ('id_number', 'mobile', None)
    >>> personal_ids([])
    """
    values = pd.Series([str(i) for i in ids], dtype=object)
    return content_kind(values) if len(values) else None


def require_page_ids(ids: Iterable[object], *, include_personal: bool, page: Page, file: str | None = None,
                     column: str = "hid", id_col: bool = False,
                     also: Mapping[str, Iterable[object]] | None = None) -> None:
    """Stop a page (HTML) that would show household ``ids`` holding personal data unless it was asked for.

    Every page shows the household ids (the popups, the search box, the editor's list, the report's tables), so
    when they are id-card, mobile, landline or bank card numbers (:func:`personal_ids`), or their column's name
    marks personal data (``户主姓名``, ``电话``: :func:`personal_name`, of ``column`` or of the ``ids``' own name)
    the page carries them to whoever it is passed to: by allow-list, it is written only with ``include_personal``
    (``--include-personal``). Otherwise ID-PERSONAL-PAGE (exit 2) names ``file``, the id ``column``, what it
    holds, the ``page`` and the fixes: another id column (``id_col``: the command reads the household table and
    has ``--id-col``; else the households are delineated again with it), household numbers made first, or
    ``--include-personal`` to show them knowingly. The other ids the page shows (``also``: unit ids, meeting
    households, heads, candidate lists, each by the column they come from: :func:`page_ids`) are held to the same
    test by content, ID-PERSONAL-PAGE-IDS naming the column. Tables and GeoPackages are not pages: they keep the
    ids (ID-PERSONAL warns).

    Examples
    --------
    >>> require_page_ids(["001", "002"], include_personal=False, page="map")
    >>> require_page_ids(["11010519491231002X"], include_personal=True, page="map")
    >>> try:
    ...     require_page_ids(["13912345678"], include_personal=False, page="editor", file="r.gpkg")
    ... except InputError as exc:
    ...     p = exc.problems[0]
    >>> p.code, p.file, p.params["column"], p.params["kind"]
    ('ID-PERSONAL-PAGE', 'r.gpkg', 'hid', 'mobile')
    >>> try:
    ...     require_page_ids(["张三"], include_personal=False, page="map", column="户主姓名")
    ... except InputError as exc:
    ...     p = exc.problems[0]
    >>> p.code, p.params["column"], p.params["kind"]
    ('ID-PERSONAL-PAGE', '户主姓名', 'name')
    >>> try:
    ...     require_page_ids(["001"], include_personal=False, page="map", also={"unit": ["13912345678"]})
    ... except InputError as exc:
    ...     p = exc.problems[0]
    >>> p.code, p.params["column"], p.params["kind"]
    ('ID-PERSONAL-PAGE-IDS', 'unit', 'mobile')
    """
    if include_personal:
        return
    from yuanluo.gis.catalogue import both, has

    ids = list(ids) if not isinstance(ids, (pd.Index, pd.Series)) else ids
    own = getattr(ids, "name", None)
    kind = personal_ids(ids)
    if kind is None and len(ids) and any(personal_name(c) for c in (column, own) if c is not None):
        kind = "name"
    if kind is not None:
        raise InputError(problem("ID-PERSONAL-PAGE", file=file or "households", column=column, kind=kind,
                                 what=both(f"personal.kind.{kind}"), page=both(f"personal.page.{page}"),
                                 other=both("personal.page_fix.id_col" if id_col else "personal.page_fix.redo")))
    for col, values in (also or {}).items():
        other = personal_ids(values)
        if other is not None:
            where = both("personal.ids.in_file", file=file) if file else both("personal.ids.in_result")
            role = f"personal.ids.col.{str(col).rpartition('.')[2]}"  # what the column is (服务点名称)
            raise InputError(problem("ID-PERSONAL-PAGE-IDS", file=file, where=where, column=str(col),
                                     holds=both(role if has(role) else "personal.ids.col.other"),
                                     kind=other, what=both(f"personal.kind.{other}"),
                                     page=both(f"personal.page.{page}")))


#: the columns of each result layer whose values a page shows as ids (beside the households' own ids)
PAGE_ID_COLUMNS: dict[str, tuple[str, ...]] = {
    "households": ("hid", "unit", "unit_id", "meeting_hid", "head_hid"),
    "units": ("unit", "unit_id", "meeting_hid", "head_hid", "head_candidates"),
    "meeting_points": ("hid", "unit", "unit_id", "meeting_hid"),
    "violations": ("unit_id", "units", "hids"),  # a check's findings (check --map)
    "hubs": ("name", "hub_name"),  # a coverage's service points, named as the --candidates / --fixed file names them
    "sites_left_out": ("name",),
}


def _id_values(values: Iterable[object]) -> list[str]:
    """The ids in ``values``: each value's text, a list (``head_candidates``) split at commas, blanks left out."""
    out: list[str] = []
    for v in values:
        if v is None or (isinstance(v, float) and v != v):
            continue
        parts = v if isinstance(v, (list, tuple, set)) else re.split(r"[,，;；、]", str(v))
        out.extend(s for s in (str(p).strip() for p in parts) if s and s not in ("nan", "None", "<NA>"))
    return out


def points_personal(layer: pd.DataFrame | None) -> list[Problem]:
    """ATTR-PERSONAL-POINTS (warning) for a points file (``--candidates``, ``--fixed``: :func:`yuanluo.gis.io.read_points`)
    whose columns hold personal data (``负责人身份证``): none of them reaches a page or a table; the points' name
    column, which the pages show, is left to :func:`require_page_ids` (:data:`PAGE_ID_COLUMNS`: ``hubs.name``).

    Examples
    --------
    >>> t = pd.DataFrame({"名称": ["张三家 13812345678"], "负责人身份证": ["11010519491231002X"], "x": [1.0]})
    >>> [(p.code, p.params["by_name"]) for p in points_personal(t)]
    [('ATTR-PERSONAL-POINTS', ['负责人身份证'])]
    >>> points_personal(None)
    []
    """
    if layer is None:
        return []
    from yuanluo.gis.io import POINT_NAME_COLUMNS

    cols = [c for c in layer.columns if str(c) not in POINT_NAME_COLUMNS]
    where = layer.attrs.get("file") or layer.attrs.get("source")
    p = personal_problem(find_personal(layer, cols), str(where) if where else None)
    if p is None:
        return []
    return [problem("ATTR-PERSONAL-POINTS", severity="warning", file=p.file, found_text=p.params["found_text"],
                    found=p.params["found"], by_name=p.params["by_name"], by_id=p.params["by_id"])]


def page_ids(layers: Mapping[str, pd.DataFrame | None]) -> dict[str, list[str]]:
    """The ids other than the households' index that a page of result ``layers`` shows, by ``layer.column``
    (:data:`PAGE_ID_COLUMNS`; a meeting-point layer's index too): what :func:`require_page_ids` takes as ``also``.

    Examples
    --------
    >>> u = pd.DataFrame({"unit": ["U1"], "head_hid": ["13912345678"], "head_candidates": ["H1, 13812345678"]})
    >>> page_ids({"units": u, "households": None})
    {'units.unit': ['U1'], 'units.head_hid': ['13912345678'], 'units.head_candidates': ['H1', '13812345678']}
    """
    out: dict[str, list[str]] = {}
    for name, cols in PAGE_ID_COLUMNS.items():
        frame = layers.get(name)
        if frame is None:
            continue
        if name == "meeting_points" and not isinstance(frame.index, pd.RangeIndex):
            out[f"{name}.{frame.index.name or 'index'}"] = _id_values(frame.index)
        for c in cols:
            if c in frame.columns and isinstance(frame[c], pd.Series):
                out[f"{name}.{c}"] = _id_values(frame[c])
    return out


def said_id_column(problems: Iterable[Problem], default: str = "hid") -> str:
    """The id column of the household file as its ID-PERSONAL warning names it (``户编号``), else ``default``: the
    column :func:`require_page_ids` names for a table read by the command.

    Examples
    --------
    >>> from yuanluo.gis.validate import check_personal
    >>> said_id_column(check_personal([], "h.csv", ids=["13912345678"], id_column="户编号")), said_id_column([])
    ('户编号', 'hid')
    """
    said = [p.params.get("column") for p in problems if p.code == "ID-PERSONAL"]
    return str(said[0]) if said and said[0] else default


def warn_print_ids(households: pd.DataFrame | None) -> list[Problem]:
    """ID-PERSONAL for a print map or unit sheets drawn from Python (:func:`yuanluo.maps.static.print_map`,
    :func:`yuanluo.maps.static_units.render_unit_sheets`) of households whose ids are id-card, phone or bank card
    numbers (or whose id column's name marks personal data): print maps keep the ids, with this warning, emitted
    as a :class:`UserWarning` as the Python API's other findings are (``yuanluo map`` says it in its notes, so
    nothing is emitted inside a command of the command line). Returns the problems said.

    Examples
    --------
    >>> import warnings
    >>> hh = pd.DataFrame({"persons": [3]}, index=pd.Index(["13912345678"], name="hid"))
    >>> with warnings.catch_warnings(record=True) as seen:
    ...     warnings.simplefilter("always")
    ...     [p.code for p in warn_print_ids(hh)], len(seen)
    (['ID-PERSONAL'], 1)
    >>> warn_print_ids(hh.set_axis(pd.Index(["H1"], name="hid")))
    []
    """
    from yuanluo.gis.catalogue import on_command_line
    from yuanluo.gis.errors import warn_problems
    from yuanluo.gis.validate import check_personal

    if households is None or on_command_line():
        return []
    ids = households["hid"] if "hid" in households.columns else households.index  # a layer read by geopandas
    said = [p for p in check_personal([], "households", ids=list(ids), id_column=str(ids.name or "hid"))
            if p.code == "ID-PERSONAL"]
    warn_problems(said, stacklevel=3)
    return said
