"""One language at a time: ``yuanluo demo`` and every help page print no English sentence in Chinese and no
Chinese in English (data values, codes, ids, option names, file names, units and product names excepted)."""

from __future__ import annotations

import collections
import os
import re
from pathlib import Path

import geopandas as gpd
import pytest
import typer.main
from typer.testing import CliRunner

from yuanluo.planners.cli import app

runner = CliRunner()
COMMANDS = sorted(typer.main.get_command(app).commands)  # type: ignore[attr-defined]
#: sub-command names (``yuanluo maturity template``) are names to type, too
SUBCOMMANDS = sorted({sub for c in typer.main.get_command(app).commands.values()  # type: ignore[attr-defined]
                      for sub in getattr(c, "commands", {})})

HAN = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff01-\uff5e]")
#: what may stay Latin in Chinese text: product and format names, codes, ids, options and their values, paths, units
PRODUCTS = {
    "GeoPackage", "GeoJSON", "Shapefile", "GeoParquet", "GeoTIFF", "CSV", "HTML", "PNG", "PDF", "JSON", "TOML",
    "GraphML", "Excel", "QGIS", "GPS", "GIS", "OpenStreetMap", "ODbL", "SRTM", "NASA", "USGS", "DEM", "CJK",
    "Noto", "Sans", "SC", "UTF", "GBK", "WGS", "CGCS", "EPSG", "yuanluo", "YUANLUO_LANG", "zh", "en", "banan",
    "changshou", "qingshen", "osm", "tianditu", "amap", "gbk", "gcj02", "min", "km", "str", "int", "float",
    "bool", "path", "Andorra", "Ordino", "PIPL", "WenQuanYi", "Micro", "Hei", "Microsoft", "YaHei", "SimHei",
    "Debian", "Ubuntu", "Windows", "WPS", "walk", "coverage", "Unicode", *COMMANDS, *SUBCOMMANDS,
}
ALLOWED = [
    r"\S*[/\\]\S*",  # paths
    r"[\w.-]*\.(?:gpkg|html|png|pdf|csv|json|graphml|tif|toml|xlsx|txt|shp|prj|otf|ttf|ttc)\b",  # file names
    r"(?<![\w-])--?[A-Za-z][\w-]*",  # options
    r"\b[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+\b",  # problem codes
    r"\b[A-Z]{1,3}\d+\b",  # ids such as U002, AD0001, and paper sizes A4
    r"\b[\w]+::[\w]+\b",  # file::layer
    r"\b[a-z]+:\d+(?:,[a-z]+:\d+)*",  # an option value such as village:1,group:1
    r"EPSG:\d+",
    r"\b[A-Z]+(?:_[A-Z]+)+\b",  # environment variables
    r"\*\.\w+",  # file patterns
    r"\b[a-z]+\d+\b",  # codes such as gcj02
    r"sudo apt-get install [\w-]+",  # a shell command to type
    r"\bfonts-[\w-]+",  # package names
    r"“[\x20-\x7e]+”",  # a code-like value quoted as the catalogue quotes them: “nest_by”, “require_head = false”
]
LATIN_RUN = re.compile(r"[A-Za-z]{2,}")


def latin_words(text: str) -> list[str]:
    """The runs of two or more Latin letters left once the allowed tokens are taken out.

    >>> latin_words("已写出 out/demo.gpkg；用 --overwrite 覆盖 OUT-EXISTS，U002 有 GeoPackage")
    []
    >>> latin_words("院落 U002 有 1 households")
    ['households']
    """
    for pattern in ALLOWED:
        text = re.sub(pattern, " ", text)
    return [w for w in LATIN_RUN.findall(text) if w not in PRODUCTS]


def han_chars(text: str) -> list[str]:
    """The Chinese characters (and full-width punctuation) of ``text``."""
    return HAN.findall(text)


def test_the_checks_themselves() -> None:
    assert latin_words("院落 U002 有 1 households（isolated component）") == ["households", "isolated", "component"]
    assert latin_words("已写出 /tmp/a/demo.gpkg, demo.html；FONT-CJK-MISSING：用 --overwrite") == []
    assert han_chars("Written: 院落.gpkg") == ["院", "落"]


@pytest.fixture(autouse=True)
def _no_language_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("YUANLUO_LANG", raising=False)
    monkeypatch.setenv("COLUMNS", "200")


@pytest.mark.parametrize("command", [[], *[[c] for c in COMMANDS]])
def test_help_is_chinese_by_default(command: list[str]) -> None:
    res = runner.invoke(app, [*command, "--help"])
    assert res.exit_code == 0, res.output
    assert han_chars(res.output)
    assert latin_words(res.output) == [], res.output


@pytest.mark.parametrize("command", [[], *[[c] for c in COMMANDS]])
def test_lang_en_anywhere_switches_the_help_to_english(command: list[str]) -> None:
    for args in ([*command, "--help", "--lang", "en"], ["--lang", "en", *command, "--help"],
                 [*command, "--lang=en", "--help"]):
        res = runner.invoke(app, args)
        assert res.exit_code == 0, res.output
        assert han_chars(res.output) == [], (args, res.output)
        assert "Usage:" in res.output


def test_the_environment_variable_switches_the_help(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("YUANLUO_LANG", "en")
    assert han_chars(runner.invoke(app, ["check", "--help"]).output) == []
    assert han_chars(runner.invoke(app, ["check", "--help", "--lang", "zh"]).output)


@pytest.fixture(scope="module")
def demo_outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    d = tmp_path_factory.mktemp("demo-lang")
    out: dict[str, str] = {}
    old = os.environ.pop("YUANLUO_LANG", None)
    try:
        for lang in ("zh", "en"):
            res = runner.invoke(app, ["demo", "-o", str(d / lang), "--lang", lang])
            assert res.exit_code == 0, res.output
            out[lang] = res.output.replace(str(d), "")
            units = gpd.read_file(d / lang / "demo.gpkg", layer="units")
            out[f"{lang}-reasons"] = "\n".join(units["reason"].dropna().astype(str))
    finally:
        if old is not None:
            os.environ["YUANLUO_LANG"] = old
    return out


def _without_notes(text: str) -> str:
    """The output without the table of delineation notes (its texts come from the delineator's reasons)."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if "划分提示" in line)
    end = next(i for i in range(start, len(lines)) if lines[i].startswith("└"))
    return "\n".join(lines[:start] + lines[end + 1:])


@pytest.mark.slow
def test_demo_in_chinese_prints_no_english(demo_outputs: dict[str, str]) -> None:
    text = _without_notes(demo_outputs["zh"])
    assert "已写出" in text and "院落划分结果" in text
    assert latin_words(text) == [], text


@pytest.mark.slow
def test_demo_in_chinese_prints_no_english_in_the_delineation_notes(demo_outputs: dict[str, str]) -> None:
    assert latin_words(demo_outputs["zh"]) == []


@pytest.mark.slow
def test_the_geopackage_reasons_are_in_the_chosen_language(demo_outputs: dict[str, str]) -> None:
    assert demo_outputs["zh-reasons"] and demo_outputs["en-reasons"]
    assert latin_words(demo_outputs["zh-reasons"]) == []
    assert han_chars(demo_outputs["en-reasons"]) == []


@pytest.mark.slow
def test_demo_in_english_prints_no_chinese(demo_outputs: dict[str, str]) -> None:
    text = demo_outputs["en"]
    assert "Written" in text
    assert han_chars(text) == [], text


def test_messages_follow_lang_before_the_command_and_the_environment(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    p = tmp_path / "hh.csv"
    p.write_text("户编号,经度,纬度\n1,106.55,29.56\n2,106.5504,29.5603\n", encoding="utf-8")
    en = runner.invoke(app, ["--lang", "en", "validate", str(p), "--crs", "EPSG:4490"])
    assert en.exit_code == 0 and "2 households" in en.output and not han_chars(en.output.replace(str(p), ""))
    zh = runner.invoke(app, ["validate", str(p), "--crs", "EPSG:4490"])
    assert "2 户" in zh.output and latin_words(zh.output) == []
    monkeypatch.setenv("YUANLUO_LANG", "en")
    bad = runner.invoke(app, ["validate", str(tmp_path / "missing.csv")])
    assert bad.exit_code == 2 and "does not exist" in bad.output and not han_chars(bad.output)


def _kept(text: str) -> collections.Counter[str]:
    """The characters of a help page but spaces and the panels' box lines."""
    return collections.Counter(ch for ch in text if not ch.isspace() and not "\u2500" <= ch <= "\u257f")


#: every help page: the group's, each command's and each sub-command's (``yuanluo maturity load``)
PAGES = [[], *[[c] for c in COMMANDS],
         *[[c, sub] for c, cmd in sorted(typer.main.get_command(app).commands.items())  # type: ignore[attr-defined]
           for sub in sorted(getattr(cmd, "commands", {}))]]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("command", PAGES)
def test_help_at_80_columns_loses_nothing(command: list[str], lang: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A terminal of 80 columns shows every character the help has (rich ended a run of Chinese, which has no
    space to wrap at, with "…" at the column's edge: 23 cuts in ``delineate --help``)."""
    pages = {}
    for width in (80, 1000):
        monkeypatch.setenv("COLUMNS", str(width))
        res = runner.invoke(app, [*command, "--help", "--lang", lang])
        assert res.exit_code == 0, res.output
        pages[width] = res.output
    assert _kept(pages[80]) == _kept(pages[1000]), pages[80]
    # and a word of Latin letters inside Chinese text ("GeoParquet", "changshou") is never folded in two
    words = set(re.findall(r"[A-Za-z][A-Za-z0-9]{2,}", pages[1000]))
    split = sorted(w for w in words if w not in pages[80] and len(w) < 30)
    assert not split, (split, pages[80])


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("command", PAGES)
def test_help_shows_a_flag_without_a_value(command: list[str], lang: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A flag (``--overwrite``, ``-q``, ``--help``) and a counted flag (``-v``) take no value: the help showed
    ``<是/否>`` / ``<yes/no>`` (``<整数>`` for ``-v``) beside them, yet ``--overwrite 是`` is an extra argument."""
    monkeypatch.setenv("COLUMNS", "1000")
    res = runner.invoke(app, [*command, "--help", "--lang", lang])
    assert res.exit_code == 0, res.output
    cmd: typer.core.TyperCommand = typer.main.get_command(app)  # type: ignore[assignment]
    for name in command:
        cmd = cmd.commands[name]  # type: ignore[attr-defined]
    flags = [p for p in cmd.params if getattr(p, "is_flag", False) or getattr(p, "count", False)]
    flags.append(cmd.get_help_option(typer.Context(cmd)))
    for flag in flags:
        opt = max(flag.opts, key=len)
        line = next(x for x in res.output.splitlines() if re.search(rf"│\s+{re.escape(opt)}\s", x))
        assert "<" not in line, line
    assert "<是/否>" not in res.output and "<yes/no>" not in res.output


def _unreadable_files(tmp: Path) -> dict[str, list[str]]:
    """Commands reading a file no library can read: (arguments), keyed by what is broken."""
    import numpy as np
    import rasterio
    from badfiles import CASES
    from rasterio.transform import from_origin

    out: dict[str, list[str]] = {}
    for name in ("truncated-geojson", "gpkg-not-sqlite", "xlsx-that-is-text"):
        sub = tmp / name
        sub.mkdir()
        path, kwargs = CASES[name].make(sub)
        out[name] = ["validate", str(path), *(["--crs", kwargs["crs"]] if "crs" in kwargs else [])]
    ok = tmp / "ok.tif"
    with rasterio.open(ok, "w", driver="GTiff", width=200, height=200, count=1, dtype="float32", crs="EPSG:32631",
                       transform=from_origin(380000, 4720000, 30, 30)) as dst:
        dst.write(np.random.default_rng(0).normal(500, 50, (1, 200, 200)).astype("float32"))
    trunc = tmp / "trunc.tif"
    trunc.write_bytes(ok.read_bytes()[: ok.stat().st_size // 2])
    households = next(p for p in (tmp / "truncated-geojson").iterdir())
    good = tmp / "good.geojson"
    from badfiles import good_gdf
    good_gdf().to_file(good, driver="GeoJSON")
    out["truncated-dem"] = ["graph", str(good), "--dem", str(trunc), "-o", str(tmp / "g.gpkg")]
    plan = tmp / "plan.xlsx"
    plan.write_text("hid,unit_id\n001,U1\n", encoding="utf-8")
    out["plan-xlsx-that-is-text"] = ["check", str(good), "--plan", str(plan), "--preset", "banan"]
    del households
    return out


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_unreadable_file_is_told_in_the_chosen_language(tmp_path: Path, lang: str) -> None:
    """A truncated GeoJSON or DEM, or a workbook that is text, printed the reading library's own English
    ("Failed to read GeoJSON data", "TIFFReadEncodedStrip() failed", "File is not a zip file") inside the
    Chinese message. The reason is now the catalogue's, and ``-v`` shows the library's words as well."""
    runner = CliRunner()
    for name, args in _unreadable_files(tmp_path).items():
        res = runner.invoke(app, ["--lang", lang, *args])
        assert res.exit_code == 2, (name, res.output)
        said = res.output.replace(str(tmp_path), "")
        assert ("CORRUPT" in said or "PLAN-FILE" in said), (name, said)
        if lang == "zh":
            assert latin_words(said) == [], (name, said)
        else:
            assert han_chars(said) == [], (name, said)
        verbose = runner.invoke(app, ["--lang", lang, *args, "-v"])
        assert verbose.exit_code == 2, (name, verbose.output)
        # -v adds the library's own words where a library failed (not where the first bytes gave it away)
        added = [line for line in verbose.output.splitlines()
                 if line not in res.output.splitlines() and not line.startswith("[")]  # not a progress line
        assert bool(added) == ("-v" in said), (name, said, added)
