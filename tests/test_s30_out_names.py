"""Audit s30 P §1 and Q §6: output names Windows cannot hold are refused on every system, before any work; and
OUT-WRITE says its cause in the message's language, naming the file asked for, never the temporary one.

Yuanluo's files are handed to Windows users: a name with ``: < > ? * " | \\`` or a control character, a device
name (``CON``, ``aux.html``, ``com1.csv``, any case, any extension), a name or a folder the command creates ending
in a dot or a space, a name over 255 characters and two outputs differing only in case were written on Linux with
exit 0 and could not be copied or opened on a Windows PC.
"""

from __future__ import annotations

import os
from pathlib import Path

import geopandas as gpd
import pytest
from typer.testing import CliRunner

from yuanluo.gis.errors import OutputError
from yuanluo.gis.output import write_bytes, write_layers
from yuanluo.planners.cli import app

runner = CliRunner()


def _flat(s: str) -> str:
    return " ".join(s.split())


def _files(d: Path) -> list[str]:
    return sorted(str(p.relative_to(d)) for p in d.rglob("*"))


BAD = [
    ("结果:2024.html", "OUT-NAME-WINDOWS-CHAR", "结果-2024.html"),
    ("a<b>.html", "OUT-NAME-WINDOWS-CHAR", "a-b-.html"),
    ("a?.html", "OUT-NAME-WINDOWS-CHAR", "a-.html"),
    ("a*.html", "OUT-NAME-WINDOWS-CHAR", "a-.html"),
    ('a"b.html', "OUT-NAME-WINDOWS-CHAR", "a-b.html"),
    ("a|b.html", "OUT-NAME-WINDOWS-CHAR", "a-b.html"),
    ("a\\b.html", "OUT-PATH-WINDOWS-OPTION", "a/b.html"),  # a Windows path on Linux: said as such (s55 U)
    ("a\tb.html", "OUT-NAME-WINDOWS-CHAR", "a-b.html"),
    ("aux.html", "OUT-NAME-WINDOWS-RESERVED", "aux_1.html"),
    ("CON.html", "OUT-NAME-WINDOWS-RESERVED", "CON_1.html"),
    ("com1.html", "OUT-NAME-WINDOWS-RESERVED", "com1_1.html"),
    ("Lpt9.tar.html", "OUT-NAME-WINDOWS-RESERVED", "Lpt9_1.tar.html"),
    ("结果.html.", "OUT-NAME-WINDOWS-END", "结果.html"),
    ("结果.html ", "OUT-NAME-WINDOWS-END", "结果.html"),
]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize(("name", "code", "fixed"), BAD)
def test_map_refuses_a_name_windows_cannot_hold(small_result: Path, tmp_path: Path, lang: str, name: str, code: str,
                                                fixed: str) -> None:
    out = tmp_path / name
    r = runner.invoke(app, ["--lang", lang, "map", str(small_result), "-o", str(out)])
    assert r.exit_code == 2, r.output
    said = _flat(r.output)
    assert code in said and "OUT-SUFFIX" not in said, said
    assert str(tmp_path / fixed) in said, said  # a corrected example, which Windows holds
    assert "Windows" in said, said
    assert _files(tmp_path) == [], _files(tmp_path)
    if lang == "zh":
        assert "处理办法" in said and "the output" not in said, said


def test_a_name_longer_than_windows_takes_is_refused_everywhere(small_result: Path, tmp_path: Path) -> None:
    """256 characters of Chinese: 768 bytes, refused by this drive too; 256 non-BMP-free characters under the
    drive's byte limit are impossible on ext4, so the Windows limit is shown through a name the drive refuses
    as well: one error for one long name."""
    out = tmp_path / ("院" * 252 + ".html")
    r = runner.invoke(app, ["--lang", "en", "map", str(small_result), "-o", str(out)])
    assert r.exit_code == 2, r.output
    assert _flat(r.output).count("Error OUT-NAME") == 1, r.output
    from yuanluo.gis.transaction import windows_name_problem

    p = windows_name_problem(out)
    assert p is not None and p.code == "OUT-NAME-WINDOWS-LONG" and len(Path(p.params["example"]).name) <= 255


def test_outputs_differing_only_in_case_are_refused(tmp_path: Path) -> None:
    """repair -o Plan.csv --moves plan.csv: OUT-SAME caught an exact match only; NTFS holds one of the two."""
    from yuanluo.planners.cli import app as cli

    hh = tmp_path / "hh.gpkg"
    gpd.GeoDataFrame({"unit_id": ["u1"]}, geometry=gpd.points_from_xy([0], [0]), crs="EPSG:4545").to_file(hh)
    r = runner.invoke(cli, ["--lang", "en", "repair", str(hh), "--unit-col", "unit_id",
                            "-o", str(tmp_path / "Plan.csv"), "--moves", str(tmp_path / "plan.csv")])
    assert r.exit_code == 2 and "OUT-SAME-CASE" in r.output, r.output
    assert "plan-2.csv" in r.output, r.output
    assert _files(tmp_path) == ["hh.gpkg"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_demo_refuses_a_folder_ending_in_a_dot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str) -> None:
    monkeypatch.chdir(tmp_path)
    r = runner.invoke(app, ["--lang", lang, "demo", "-o", "out/演示 结果./子 ", "-q"])
    assert r.exit_code == 2, r.output
    said = _flat(r.output)
    assert said.count("OUT-NAME-WINDOWS-END") == 2, said  # each folder once, not once per output
    assert "out/演示 结果/子/demo.gpkg" in said, said  # every name corrected in the example
    assert _files(tmp_path) == []


def test_delineate_check_graph_and_edit_use_the_check(small_result: Path, tmp_path: Path) -> None:
    from badfiles import HEADER, good_rows, write_csv

    hh = write_csv(tmp_path, "hh.csv", [HEADER, *good_rows(12)])
    runs = [
        ["delineate", str(hh), "--crs", "EPSG:4490", "-o", str(tmp_path / "结果:2024.gpkg")],
        ["graph", str(hh), "--crs", "EPSG:4490", "-o", str(tmp_path / "nul.gpkg")],
        ["check", str(small_result), "--csv", str(tmp_path / "问题?.csv")],
        ["check", str(small_result), "--json", str(tmp_path / "PRN.json")],
        ["check", str(small_result), "--report", str(tmp_path / "报告.html ")],
        ["check", str(small_result), "--map", str(tmp_path / "a|b.html")],
        ["edit", str(small_result), "-o", str(tmp_path / "编辑*.html")],
        ["cover", str(small_result), "-o", str(tmp_path / "覆盖.gpkg"), "--map", str(tmp_path / "覆盖:1.html")],
        ["maturity", "template", str(small_result), "-o", str(tmp_path / "com9.xlsx")],
    ]
    for args in runs:
        r = runner.invoke(app, ["--lang", "en", *args])
        assert r.exit_code == 2 and "OUT-NAME-WINDOWS-" in r.output, (args, r.output)
    assert _files(tmp_path) == ["hh.csv"]


def test_names_windows_holds_are_written(small_result: Path, tmp_path: Path) -> None:
    folder = tmp_path / "名 单 folder" / "子 目录"
    folder.mkdir(parents=True)
    for name in ("院落 划分（第一版）.html", "方案 (1).html", "结果 .html"):
        r = runner.invoke(app, ["--lang", "en", "map", str(small_result), "-o", str(folder / name), "-q"])
        assert r.exit_code == 0, r.output
    assert sorted(p.name for p in folder.iterdir()) == ["方案 (1).html", "结果 .html", "院落 划分（第一版）.html"]


# ------------------------------------------------------------------------------------------ Q §6: OUT-WRITE's cause
def _no_english_no_temp(said: str, asked: Path) -> None:
    assert str(asked) in said, said
    assert ".tmp" not in said and "FileNotFoundError" not in said and "Errno" not in said, said
    assert "No such file" not in said and "No space" not in said, said


def test_save_map_into_a_missing_folder_says_so_in_chinese(small_result: Path, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from yuanluo import save_map

    monkeypatch.delenv("YUANLUO_LANG", raising=False)
    hh = gpd.read_file(small_result, layer="households")
    asked = tmp_path / "nodir" / "plan.html"
    with pytest.raises(OutputError) as ei:
        save_map({"households": hh}, asked)
    assert ei.value.code == "OUT-WRITE"
    zh = ei.value.problems[0].message("zh")
    _no_english_no_temp(zh, asked)
    assert f"文件夹 {asked.parent} 不存在" in zh, zh
    en = ei.value.problems[0].message("en")
    _no_english_no_temp(en, asked)
    assert f"the folder {asked.parent} does not exist" in en, en
    assert not (tmp_path / "nodir").exists()


def test_write_layers_into_a_missing_folder_names_the_folder(tmp_path: Path) -> None:
    hh = gpd.GeoDataFrame({"persons": [3]}, geometry=gpd.points_from_xy([0], [0]), crs="EPSG:4545")
    asked = tmp_path / "no" / "r.gpkg"
    with pytest.raises(OutputError) as ei:
        write_layers(asked, {"households": hh})
    zh = ei.value.problems[0].message("zh")
    _no_english_no_temp(zh, asked)
    assert f"文件夹 {asked.parent} 不存在" in zh, zh


def test_a_full_disk_is_said_in_words_naming_the_file_asked_for(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    import errno

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    asked = tmp_path / "a.html"
    with pytest.raises(OutputError) as ei:
        write_bytes(asked, b"<p>x</p>")
    p = ei.value.problems[0]
    assert p.code == "OUT-WRITE" and p.params["reason"] == "ENOSPC"
    for lang in ("zh", "en"):
        _no_english_no_temp(p.message(lang), asked)
    assert "磁盘空间不足" in p.message("zh") and "is full" in p.message("en")
    assert _files(tmp_path) == []
