"""``yuanluo check hh.csv --plan plan.csv``: a unit id of 20,000 characters flooded check's findings table (its unit
cell and its message each printed it whole), where b3c53a6 shortened every other console line (session 42, helper
D). The table now shows such an id by its first 40 characters and its length, as those lines do; the CSV keeps it."""
from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from shared_fixtures import run_cli

from yuanluo.gis.catalogue import text

LONG = "U" + "x" * 19999


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_huge_unit_id_is_shortened_in_the_findings_table(tmp_path: Path, lang: str) -> None:
    rows = ["户编号,经度,纬度"] + [f"H{i:02d},{106.55 + 0.0004 * i:.6f},29.560000" for i in range(12)]
    (tmp_path / "hh.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    plan = "户编号,院落编号\n" + "".join(f"H{i:02d},{LONG if i < 2 else 'U2'}\n" for i in range(12))
    (tmp_path / "plan.csv").write_text(plan, encoding="utf-8")
    out = run_cli(["--lang", lang, "check", str(tmp_path / "hh.csv"), "--crs", "EPSG:4490", "--plan",
                   str(tmp_path / "plan.csv"), "--min", "3", "--max", "10", "--csv", str(tmp_path / "k.csv")],
                  lang, code=1)
    assert "SIZE-LOW" in out and max(len(line) for line in out.splitlines()) < 420, out[:2000]
    assert "x" * 200 not in out
    note = text("cli.value_cut", lang, n="20,000" if lang == "en" else 20000).strip()  # as the console counts (s43)
    assert out.replace("\n", "").count(note[:6]) >= 2, out  # the unit cell and the message
    found = list(csv.reader(io.StringIO((tmp_path / "k.csv").read_text(encoding="utf-8-sig"))))
    assert any(r[1] == LONG for r in found[1:])  # the file keeps the id whole
