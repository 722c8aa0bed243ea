"""English console counts grouped in thousands, as the reports write them (session 43, helper F).

The reports have written '1,200 households' since be8e3f2/8da89da (``gis.catalogue.number``), while the console's
summaries still said '1200 households' ('yuanluo --lang en validate' of 1,200 households: 'file v.gpkg: 1200
households, …'; delineate's table, check's verdict, cover's line, edit's line, repair's, maturity's). The console now
writes every count of its summaries through ``console.num``: English '1,200', Chinese the digits as they are
('1200 户'), as be8e3f2 decided for the reports."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from shared_fixtures import run_cli

from yuanluo.planners import console as C

N = 1234


def _households(tmp_path: Path) -> Path:
    """``N`` households on a grid about 25 m apart (a text table in CGCS2000 longitudes and latitudes)."""
    rows = ["户编号,经度,纬度"] + [f"H{i:05d},{106.55 + 0.00025 * (i % 40):.6f},{29.56 + 0.00025 * (i // 40):.6f}"
                                  for i in range(N)]
    path = tmp_path / "hh.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_validate_and_graph_group_their_counts(tmp_path: Path, lang: str) -> None:
    hh = _households(tmp_path)
    out = run_cli(["--lang", lang, "validate", str(hh), "--crs", "EPSG:4490"], lang)
    assert ("1,234 households" if lang == "en" else "1234 户") in out, out
    out = run_cli(["--lang", lang, "graph", str(hh), "--crs", "EPSG:4490", "-o", str(tmp_path / "g.gpkg")], lang)
    said = out.splitlines()[0]
    if lang == "en":
        assert said.startswith("1,234 households, ") and " edges, " in said, said
        edges = said.split(", ")[1].split()[0]
        assert "," in edges and int(edges.replace(",", "")) > 1000, said  # 2,000-odd edges, grouped
    else:
        assert said.startswith("1234 户，") and "," not in said.split("；")[0], said


class _Result:
    """What print_check reads of a check result: its summary, its verdict and its findings (none here)."""

    passed = True
    violations = pd.DataFrame({"code": pd.Series([], dtype=str), "severity": pd.Series([], dtype=str)})

    def summary(self) -> dict[str, Any]:
        return {"n_households": 12345, "n_units": 1020, "n_units_exception": 1001, "n_errors": 0,
                "n_warnings": 2500, "n_unchecked": 0}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_check_delineate_and_cover_summaries_group_their_counts(lang: str, capsys: pytest.CaptureFixture[str],
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from yuanluo.planners.cli import check as check_cli
    from yuanluo.planners.cli import cover as cover_cli
    from yuanluo.planners.cli import delineate as delineate_cli

    monkeypatch.setenv("COLUMNS", "300")
    C.setup(lang)
    try:
        check_cli.print_check(_Result(), [], "…", unapplied=[])
        said = capsys.readouterr().out
        if lang == "en":
            assert "12,345 households, 1,020 units (exceptions: 1,001), 0 violations, 2,500 warnings" in said, said
        else:
            assert "12345 户，1020 个院落（其中 1001 个为例外），0 处违规，2500 处提示" in said, said

        class Rules:
            min_size, max_size, size_by = 20, 50, "households"

        delineate_cli.print_summary({"households": 12345, "units": 1020, "exception_units": 3, "size_median": 36.0,
                                     "mean_walk_min": 1234.56}, Rules())
        rows = {line.split("│")[1].strip(): line.split("│")[2].strip()
                for line in capsys.readouterr().out.splitlines() if line.count("│") == 3}
        households, units = C.msg("cli.sum.households"), C.msg("cli.sum.units")
        walk = C.msg("cli.sum.mean_walk_min")
        assert rows[households] == ("12,345" if lang == "en" else "12345"), rows
        assert rows[units] == ("1,020" if lang == "en" else "1020"), rows
        assert rows[C.msg("cli.sum.size_median")] == "36.0", rows
        assert rows[walk] == ("1,234.6" if lang == "en" else "1234.6"), rows

        fields = cover_cli._summary_fields({"households": 12345, "points": 1200, "mobile_points": 0, "served": 10001,
                                            "unreachable": 0, "limit_min": 15.0, "mean_walk_min": 4.5,
                                            "gap": 0.0, "levels": ["hub"]})
        line = C.msg("cli.cover.done", **fields)
        if lang == "en":
            assert line.startswith("12,345 households, 1,200 service points; 10,001 households"), line  # no mobile asked (s53 U)
        else:
            assert line.startswith("12345 户，1200 个服务点；10001 户"), line
    finally:
        C.setup("zh")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_table_of_warnings_by_code_groups_its_counts(lang: str, capsys: pytest.CaptureFixture[str],
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """print_problem_summary (input warnings, delineation notes): the count column and 'and 1,231 more'."""
    from yuanluo.gis.errors import problem

    monkeypatch.setenv("COLUMNS", "300")
    C.setup(lang)
    try:
        problems = [problem("IO-NOTFOUND", severity="warning", file=f"f{i}.csv") for i in range(N)]
        C.print_problem_summary(problems, title="t", stream=C.out)
        said = capsys.readouterr().out
        counts = [line.split("│")[2].strip() for line in said.splitlines() if "IO-NOTFOUND" in line]
        assert counts == (["1,234"] if lang == "en" else ["1234"]), said
        assert C.msg("cli.more", count="1,231" if lang == "en" else "1231") in said, said
    finally:
        C.setup("zh")
