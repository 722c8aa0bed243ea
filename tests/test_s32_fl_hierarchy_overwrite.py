"""``write_hierarchy`` keeps an existing file unless asked to replace it (audit s32 ZC, fixer FL).

``write_hierarchy(nx.DiGraph([("V001", "U001")]), "wh/org.json")`` replaced an existing file without a word (it
wrote with ``overwrite=True`` whatever the caller wanted), where every other library writer (``write_graphml``,
``report.write_csv`` …) refuses with OUT-EXISTS before any work. It now takes ``overwrite=False`` by default,
checked before the tree is copied or encoded; inside a command (``delineate --hierarchy``) the command's
``--overwrite`` decides, as it does for the command's other outputs.
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest
from typer.testing import CliRunner

import yuanluo.gis.hierarchy as H
from yuanluo.gis.errors import OutputError
from yuanluo.planners.cli import app

runner = CliRunner()
ENV = {"COLUMNS": "400"}


@pytest.mark.parametrize("suffix", [".json", ".graphml"])
def test_an_existing_file_is_out_exists_and_kept(tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"org{suffix}"
    out.write_bytes(b"keep me")
    with pytest.raises(OutputError) as exc:
        H.write_hierarchy(nx.DiGraph([("V001", "U001")]), out)
    assert exc.value.codes == ["OUT-EXISTS"]
    assert out.read_bytes() == b"keep me"
    assert str(out) in exc.value.problems[0].message("en")
    assert [p.name for p in tmp_path.iterdir()] == [out.name]  # nothing beside it either


def test_overwrite_true_replaces_it(tmp_path: Path) -> None:
    out = tmp_path / "org.json"
    out.write_bytes(b"old")
    assert H.write_hierarchy(nx.DiGraph([("V001", "U001")]), out, overwrite=True) == out
    back = H.read_hierarchy(out)
    assert list(back.edges) == [("V001", "U001")]


def test_checked_before_any_work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The existing file is refused before the tree is copied: a graph that could not be written (the copy
    raising here) still gets OUT-EXISTS, not the copy's error."""
    out = tmp_path / "org.json"
    out.write_bytes(b"old")

    def no_work(graph: nx.DiGraph) -> nx.DiGraph:
        raise AssertionError("the tree was copied before the output was checked")

    monkeypatch.setattr(H, "_clean_copy", no_work)
    with pytest.raises(OutputError) as exc:
        H.write_hierarchy(nx.DiGraph([("V001", "U001")]), out)
    assert exc.value.codes == ["OUT-EXISTS"]


def test_a_new_file_is_written_and_a_wrong_suffix_said(tmp_path: Path) -> None:
    out = H.write_hierarchy(nx.DiGraph([("V001", "U001")]), tmp_path / "org.graphml")
    assert out.is_file()
    with pytest.raises(OutputError) as exc:
        H.write_hierarchy(nx.DiGraph([("V001", "U001")]), tmp_path / "org.csv")
    assert exc.value.codes == ["HIER-FORMAT"]  # the hierarchy's own suffix message: .graphml or .json
    assert not (tmp_path / "org.csv").exists()


def _households(tmp: Path) -> Path:
    p = tmp / "hh.csv"
    rows = [f"H{i:02d},{500000 + 40 * (i % 4)},{3000000 + 40 * (i // 4)},3,一组" for i in range(12)]
    p.write_text("\n".join(["户编号,x,y,人口,村民小组", *rows]) + "\n", encoding="utf-8")
    return p


def test_delineate_hierarchy_follows_overwrite(tmp_path: Path) -> None:
    """The command's --overwrite decides: without it the existing tree is OUT-EXISTS and nothing is written;
    with it the tree is replaced."""
    hh = _households(tmp_path)
    org = tmp_path / "org.json"
    org.write_bytes(b"old")
    base = ["delineate", str(hh), "--crs", "EPSG:32648", "--min", "3", "--max", "6", "-o", str(tmp_path / "r.gpkg"),
            "--hierarchy", str(org), "-q"]
    res = runner.invoke(app, base, env=ENV)
    assert res.exit_code == 2 and "OUT-EXISTS" in res.output, res.output
    assert org.read_bytes() == b"old" and not (tmp_path / "r.gpkg").exists()
    res = runner.invoke(app, [*base, "--overwrite"], env=ENV)
    assert res.exit_code == 0, res.output
    assert "U" in "".join(map(str, H.read_hierarchy(org).nodes))
