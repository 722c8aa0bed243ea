"""The result's run table says how the household file was read (audit s40 G): --crs as typed and as resolved, the
encoding, the sheet and first household row of a workbook, the column mapping; same input and seed, same bytes."""
from __future__ import annotations

import json
from pathlib import Path

import pyogrio
import pytest
from shared_fixtures import run_cli


def _roster_rows(n: int = 24) -> list[list[str]]:
    """A title row, then a header of Chinese names (户号, 户主姓名, 人口, 经度, 纬度) and ``n`` households in a row."""
    rows = [["汉阳镇 农户花名册（2026年）"], ["户号", "户主姓名", "人口", "经度", "纬度"]]
    rows += [[f"{i + 1:06d}", f"王{i}", "3", f"{106.55 + 0.0004 * i:.6f}", f"{29.56 + 0.0003 * (i % 3):.6f}"]
             for i in range(n)]
    return rows


def _run(gpkg: Path) -> dict[str, str]:
    df = pyogrio.read_dataframe(gpkg, layer="run")
    return dict(zip(df["key"], df["value"], strict=True))


def test_gbk_csv_gcj02_recorded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    hh = tmp_path / "花名册.csv"
    hh.write_bytes("\n".join(",".join(r) for r in _roster_rows()).encode("gbk") + b"\n")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    outs = []
    for k in (1, 2):
        out = tmp_path / f"r{k}.gpkg"
        run_cli(["delineate", str(hh), "--crs", "gcj02", "--min", "4", "--max", "8", "--seed", "0", "-o", str(out)])
        outs.append(out)
    run = _run(outs[0])
    assert run["inputs.households.format"] == "csv"
    assert run["inputs.households.crs_given"] == "gcj02"  # as typed
    assert run["inputs.households.crs"] == "gcj02"  # as resolved
    assert run["inputs.households.working_crs"].startswith("EPSG:")
    assert run["inputs.households.encoding_given"] == "null"
    assert run["inputs.households.encoding"].lower() in ("gbk", "gb18030")
    assert run["inputs.households.first_row"] == "3"  # below the title and the header
    cols = json.loads(run["inputs.households.columns"])
    assert cols["hid"] == "户号" and cols["lon"] == "经度" and cols["lat"] == "纬度" and cols["persons"] == "人口"
    assert "inputs.households.sheet" not in run
    assert outs[0].read_bytes() == outs[1].read_bytes()  # the new rows keep the result byte for byte


def test_xlsx_sheet_recorded(tmp_path: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "花名册"
    for r in _roster_rows():
        ws.append(r)
    hh = tmp_path / "花名册.xlsx"
    wb.save(hh)
    out = tmp_path / "r.gpkg"
    run_cli(["delineate", str(hh), "--crs", "cgcs2000", "--encoding", "utf-8", "--min", "4", "--max", "8",
             "-o", str(out)], lang="en")
    run = _run(out)
    assert run["inputs.households.format"] == "xlsx"
    assert run["inputs.households.sheet"] == "花名册"
    assert run["inputs.households.first_row"] == "3"
    assert run["inputs.households.crs_given"] == "cgcs2000" and run["inputs.households.crs"] == "EPSG:4490"
    assert run["inputs.households.encoding_given"] == "utf-8"
    assert json.loads(run["inputs.households.columns"])["hid"] == "户号"
