"""``planners.tables.write_check_csv`` and ``write_check_xlsx`` (Python API) replaced an existing file without a
word (they wrote with ``overwrite=True``): a notebook could overwrite its own plan or another run's findings.
They now take ``overwrite=False`` by default, as the other report writers: an existing output is OUT-EXISTS
before anything is written, the CSV pair is written both or neither, and ``yuanluo check --csv`` (whose
transaction's ``--overwrite`` decides) still writes and replaces as asked."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from test_s26_workbooks import _households, _plan
from typer.testing import CliRunner

from yuanluo.gis.errors import OutputError
from yuanluo.planners.cli import app
from yuanluo.planners.tables import write_check_csv, write_check_xlsx

V = pd.DataFrame({"code": ["SIZE-LOW"], "unit_id": ["U1"], "hids": [["H1"]], "severity": ["error"],
                  "message_zh": ["太小"], "message_en": ["too small"]})
U = pd.DataFrame({"unit_id": ["U1"], "status": ["violation"], "n_households": [1]})


@pytest.mark.parametrize("existing", ["f.csv", "f_units.csv"])
def test_write_check_csv_refuses_an_existing_file_of_the_pair_and_writes_neither(tmp_path: Path,
                                                                                 existing: str) -> None:
    (tmp_path / existing).write_bytes(b"mine\n")
    with pytest.raises(OutputError) as ei:
        write_check_csv(V, U, tmp_path / "f.csv")
    assert ei.value.codes == ["OUT-EXISTS"]
    assert (tmp_path / existing).read_bytes() == b"mine\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == [existing]  # the other one not written either
    a, b = write_check_csv(V, U, tmp_path / "f.csv", overwrite=True)
    assert a.read_bytes().decode("utf-8-sig").startswith("代码") and b.name == "f_units.csv"
    assert b.read_bytes().decode("utf-8-sig").startswith("院落编号")


def test_write_check_xlsx_refuses_an_existing_file(tmp_path: Path) -> None:
    target = tmp_path / "检查.xlsx"
    target.write_bytes(b"mine")
    with pytest.raises(OutputError) as ei:
        write_check_xlsx(V, U, target)
    assert ei.value.codes == ["OUT-EXISTS"] and target.read_bytes() == b"mine"
    assert write_check_xlsx(V, U, target, overwrite=True).read_bytes()[:2] == b"PK"


def test_the_writers_refuse_a_suffix_they_do_not_write(tmp_path: Path) -> None:
    with pytest.raises(OutputError) as ei:
        write_check_csv(V, U, tmp_path / "f.xlsx")
    assert "OUT-SUFFIX" in ei.value.codes
    with pytest.raises(OutputError) as ei:
        write_check_xlsx(V, U, tmp_path / "f.csv")
    assert "OUT-SUFFIX" in ei.value.codes
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name", ["f.csv", "f.xlsx"])
def test_check_csv_writes_and_replaces_only_with_overwrite(tmp_path: Path, name: str) -> None:
    hh, plan = _households(tmp_path), _plan(tmp_path, ["U1"] * 6)
    out = tmp_path / name
    args = ["--lang", "en", "check", str(hh), "--crs", "EPSG:4326", "--plan", str(plan), "--min", "2", "--max", "10",
            "--csv", str(out)]
    runner = CliRunner()
    res = runner.invoke(app, args, env={"COLUMNS": "400"})
    assert res.exit_code in (0, 1) and out.exists(), res.output
    first = out.read_bytes()
    out.write_bytes(b"edited")
    res = runner.invoke(app, args, env={"COLUMNS": "400"})
    assert res.exit_code == 2 and "OUT-EXISTS" in res.output and out.read_bytes() == b"edited", res.output
    res = runner.invoke(app, [*args, "--overwrite"], env={"COLUMNS": "400"})
    assert res.exit_code in (0, 1) and out.read_bytes() == first, res.output
