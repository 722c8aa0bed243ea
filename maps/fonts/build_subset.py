"""Rebuild ``YuanluoSansSC-Regular.ttf``: a TrueType subset of Noto Sans CJK SC Regular for the print maps.

Installed beside the font (its folder is a data package) but never imported; run by hand when the character set has
to grow::

    python maps/fonts/build_subset.py NotoSansCJK-Regular.ttc maps/fonts/YuanluoSansSC-Regular.ttf

The source is ``NotoSansCJK-Regular.ttc`` (Noto Sans CJK 2.004, SIL Open Font License 1.1; Debian package
``fonts-noto-cjk`` 1:20220127+repack1-1, sha256 b76b0433...541690a; see README.md). The subset holds
every Han character of GBK (20,923, which include GB 2312's 6,763), every character of GB 2312 (both levels of Han characters, the punctuation, full-width forms, Greek and
Cyrillic), printable ASCII and Latin-1, the general punctuation and arrows the maps use, and every character
of Yuanluo's message catalogue (``gis/messages/*.toml``). Outlines are converted from CFF cubics to
TrueType quadratics (``glyf``) so that matplotlib can embed the font in a PDF as Type 42; layout tables
keep only ``kern`` (all matplotlib reads). The family is renamed to "Yuanluo Sans SC" (a modified version
under the OFL keeps no name of the original; "Noto" and "Source" are not used).
"""

from __future__ import annotations

import sys
import tomllib
import unicodedata
from pathlib import Path

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTCollection, TTFont, newTable

FAMILY = "Yuanluo Sans SC"
PS_NAME = "YuanluoSansSC-Regular"
SC_FACE = 2  # index of "Noto Sans CJK SC" in NotoSansCJK-Regular.ttc
MAX_ERR = 1.0  # font units (1000 per em): largest distance of a quadratic from the cubic it replaces
REPO = Path(__file__).resolve().parents[2]


def gb2312() -> set[int]:
    """Every character of GB 2312 (rows 1-9 symbols, rows 16-87 Han characters)."""
    out: set[int] = set()
    for row in range(0xA1, 0xFF):
        for cell in range(0xA1, 0xFF):
            try:
                ch = bytes((row, cell)).decode("gb2312")
            except UnicodeDecodeError:
                continue
            out.add(ord(ch))
    return out


def gbk_han() -> set[int]:
    """Every Han character GBK encodes (all 20,902 of U+4E00-U+9FA5 and 21 compatibility ideographs): 20,923.

    Rare characters of real village names (塆 in 李家塆, 磜, 堉, 峃, 垱, 塝, 氹, 坵, 湴) are outside GB 2312 but
    inside GBK; with them in the subset a print map needs no system font for any Han character GBK has.
    """
    out: set[int] = set()
    for lead in range(0x81, 0xFF):
        for trail in range(0x40, 0xFF):
            if trail == 0x7F:
                continue
            try:
                ch = bytes((lead, trail)).decode("gbk")
            except UnicodeDecodeError:
                continue
            if len(ch) == 1 and unicodedata.name(ch, "").startswith("CJK "):
                if "IDEOGRAPH" in unicodedata.name(ch):
                    out.add(ord(ch))
    return out


def catalogue_chars() -> set[int]:
    """Every character in the strings of ``gis/messages/*.toml``."""
    out: set[int] = set()

    def walk(value: object) -> None:
        if isinstance(value, str):
            out.update(ord(c) for c in value)
        elif isinstance(value, dict):
            for v in value.values():
                walk(v)

    for path in sorted((REPO / "gis" / "messages").glob("*.toml")):
        walk(tomllib.loads(path.read_text(encoding="utf-8")))
    return out


def charset() -> list[int]:
    """The code points of the subset, sorted."""
    cps = gb2312() | gbk_han() | catalogue_chars()
    cps |= set(range(0x20, 0x7F)) | set(range(0xA0, 0x100))
    cps |= set(range(0x2010, 0x2028)) | set(range(0x2030, 0x203C)) | set(range(0x2190, 0x2200))
    cps |= set(range(0x3000, 0x3020)) | set(range(0xFF01, 0xFF5F)) | {0x2212, 0x2713, 0x2714, 0x2717, 0x00D7}
    return sorted(c for c in cps if c >= 0x20 and not 0xD800 <= c < 0xE000)


def to_truetype(font: TTFont) -> None:
    """Replace the CFF outlines of ``font`` by TrueType quadratic outlines (``glyf``/``loca``)."""
    order = font.getGlyphOrder()
    gs = font.getGlyphSet()
    glyphs = {}
    for name in order:
        pen = TTGlyphPen(None)
        gs[name].draw(Cu2QuPen(pen, MAX_ERR, reverse_direction=True))
        glyphs[name] = pen.glyph()
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = glyphs
    font["glyf"] = glyf
    font["loca"] = newTable("loca")
    del font["CFF "]
    if "VORG" in font:
        del font["VORG"]
    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    for attr in ("maxZones", "maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                 "maxStackElements", "maxSizeOfInstructions", "maxComponentElements"):
        setattr(maxp, attr, 0)
    maxp.maxZones = 1
    font["head"].indexToLocFormat = 0
    font["head"].glyphDataFormat = 0
    post = font["post"]
    post.formatType = 2.0
    post.extraNames = []
    post.mapping = {}
    post.glyphOrder = order
    font.sfntVersion = "\x00\x01\x00\x00"
    font["glyf"].compile(font)  # computes bounding boxes; maxp is recalculated on save


def rename(font: TTFont) -> None:
    """Give the subset its own family name, keeping the copyright, licence and designer records."""
    name = font["name"]
    keep = {0, 7, 8, 9, 10, 11, 12, 13, 14}
    name.names = [r for r in name.names if r.nameID in keep and r.platformID == 3 and r.langID == 0x409]
    version = font["head"].fontRevision
    for nid, value in ((1, FAMILY), (2, "Regular"), (3, f"{version:.3f};{PS_NAME}"), (4, FAMILY),
                       (5, f"Version {version:.3f}; subset of Noto Sans CJK SC for Yuanluo"), (6, PS_NAME)):
        name.setName(value, nid, 3, 1, 0x409)
    if "FFTM" in font:
        del font["FFTM"]


def build(source: Path, target: Path) -> None:
    """Subset, convert and rename the SC face of ``source`` into ``target``."""
    font = TTCollection(str(source), lazy=False).fonts[SC_FACE]
    font.recalcTimestamp = False  # keep the source's time stamps: same input, same bytes
    options = subset.Options()
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.glyph_names = True
    options.layout_features = ["kern"]  # matplotlib reads the kern table only; no alternates
    options.drop_tables += ["vhea", "vmtx", "BASE", "DSIG"]
    sub = subset.Subsetter(options)
    sub.populate(unicodes=charset())
    sub.subset(font)
    to_truetype(font)
    rename(font)
    font.save(str(target), reorderTables=True)


if __name__ == "__main__":
    build(Path(sys.argv[1]), Path(sys.argv[2]))
