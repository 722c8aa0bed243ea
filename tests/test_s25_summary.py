"""The delineation's summary counts what its words say.

"规模合规院落 / units within the band" counted the units without exceptions: 39 of 101 on a 2,000-household
village under a 2-minute walking limit, where 95 units held 15–25 households (the others were exceptions for
their walk or heads only), and the run table's ``share_in_bounds`` was 0.41 where 98 % of households were in
units within the band.
"""

from __future__ import annotations

from pathlib import Path

import pyogrio
import pytest
from typer.testing import CliRunner

from yuanluo.gis.synth import make_village
from yuanluo.planners.cli import app

runner = CliRunner()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_units_within_the_band_are_counted_by_size(lang: str, tmp_path: Path) -> None:
    make_village(400, seed=7).write(tmp_path / "v")
    (tmp_path / "rules.toml").write_text('[rules]\npreset = "changshou"\nmax_walk_min = 1.5\n', encoding="utf-8")
    v = tmp_path / "v"
    res = runner.invoke(app, ["--lang", lang, "delineate", str(v / "households.gpkg"), "--dem", str(v / "dem.tif"),
                              "--rivers", f"{v / 'context.gpkg'}::rivers", "--roads", f"{v / 'context.gpkg'}::roads",
                              "--rules", str(tmp_path / "rules.toml"), "-o", str(tmp_path / "r.gpkg")])
    assert res.exit_code == 0, res.output
    units = pyogrio.read_dataframe(tmp_path / "r.gpkg", layer="units", read_geometry=False)
    in_band = units["n_households"].between(15, 25)
    ok = units["status"] == "ok"
    assert in_band.sum() > ok.sum()  # some exceptions for their walk alone: the two counts differ here
    band_word, ok_word = ("规模在区间内的院落", "符合规定的院落（无例外）") if lang == "zh" else \
        ("units within the band", "units keeping every rule")
    lines = {ln.split("│")[1].strip(): ln.split("│")[2].strip() for ln in res.output.splitlines() if ln.count("│") >= 3}
    assert lines[band_word] == str(int(in_band.sum())) and lines[ok_word] == str(int(ok.sum()))
    run = pyogrio.read_dataframe(tmp_path / "r.gpkg", layer="run", read_geometry=False)
    counts = run.set_index("key")["value"]
    assert float(counts["params.counts.units_in_band"]) == in_band.sum()
    assert float(counts["params.counts.share_in_bounds"]) == pytest.approx(units.loc[in_band, "n_households"].sum() / 400)
    assert float(counts["params.counts.share_ok"]) == pytest.approx(units.loc[ok, "n_households"].sum() / 400)
