"""Session 43, helper G: a points table that cannot be read stops ``cover`` before the walking graph is built.

``yuanluo cover … --fixed 现有服务点.csv`` without ``--crs`` (or with a row whose coordinates are blank) said
POINTS-CRS (POINTS-COORD) only after the household graph was built: 2.4 s on the audit's 10,000-household town,
longer for a district, for a mistake in the command line. The tables are now read as soon as the households are:
the graph is never built for a run that stops there.
"""

from __future__ import annotations

import pytest
from shared_fixtures import run_cli

from yuanluo.planners import workflows as W
from yuanluo.planners.workflows import sample_paths


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_graph_for_a_table_without_its_crs(tmp_path, monkeypatch, lang):
    def no_graph(*_a, **_k):
        raise RuntimeError("the graph was built")

    monkeypatch.setattr(W, "build_graph", no_graph)
    fixed = tmp_path / "现有服务点.csv"
    fixed.write_text("名称,经度,纬度\n村委会,1.52,42.55\n", encoding="utf-8")
    said = run_cli(["cover", sample_paths()["households"].split("::")[0], "--fixed", str(fixed), "-o",
                    str(tmp_path / "c.gpkg")], lang=lang, code=2)
    assert "POINTS-CRS" in said and "the graph was built" not in said
    assert not (tmp_path / "c.gpkg").exists()
