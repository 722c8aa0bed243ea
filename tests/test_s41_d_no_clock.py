"""Same input and seed, same output byte for byte, also without SOURCE_DATE_EPOCH: the run record holds no clock
time (two delineations a second apart wrote different GeoPackages and run CSVs, the run's timestamp row); a time is
recorded only when SOURCE_DATE_EPOCH asks for one."""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import SimpleNamespace

import pyogrio
import pytest
from shared_fixtures import run_cli

import yuanluo.gis.output as out


def _roster(path: Path) -> Path:
    rows = [["户号", "人口", "经度", "纬度"]]
    rows += [[f"{i + 1:06d}", "3", f"{106.55 + 0.0004 * i:.6f}", f"{29.56 + 0.0003 * (i % 3):.6f}"] for i in range(20)]
    path.write_text("\n".join(",".join(r) for r in rows) + "\n", encoding="utf-8")
    return path


class _Clock(dt.datetime):
    """A clock that moves on by an hour each time it is read."""

    ticks = 0

    @classmethod
    def now(cls, tz: dt.tzinfo | None = None) -> _Clock:  # type: ignore[override]
        cls.ticks += 1
        return cls(2026, 12, 4, cls.ticks % 24, 0, 0, tzinfo=tz)


def test_two_runs_same_bytes_without_source_date_epoch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    # runs an hour apart by gis.output's clock, whatever the machine's speed
    monkeypatch.setattr(out, "_dt", SimpleNamespace(datetime=_Clock, UTC=dt.UTC))
    hh = _roster(tmp_path / "花名册.csv")
    for k in (1, 2):
        run_cli(["delineate", str(hh), "--min", "4", "--max", "8", "--crs", "EPSG:4490", "--seed", "3",
                 "-o", str(tmp_path / f"r{k}.gpkg"), "--xlsx", str(tmp_path / f"p{k}.xlsx")])
        run_cli(["delineate", str(hh), "--min", "4", "--max", "8", "--crs", "EPSG:4490", "--seed", "3",
                 "-o", str(tmp_path / f"c{k}.csv")])
    assert (tmp_path / "r1.gpkg").read_bytes() == (tmp_path / "r2.gpkg").read_bytes()
    assert (tmp_path / "p1.xlsx").read_bytes() == (tmp_path / "p2.xlsx").read_bytes()
    csvs = sorted(p.name for p in tmp_path.glob("c1.*.csv"))
    assert "c1.run.csv" in csvs
    for name in csvs:
        assert (tmp_path / name).read_bytes() == (tmp_path / name.replace("c1.", "c2.")).read_bytes(), name
    run = pyogrio.read_dataframe(tmp_path / "r1.gpkg", layer="run")
    assert "timestamp" not in set(run["key"])


def test_time_recorded_when_asked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764460800")
    hh = _roster(tmp_path / "花名册.csv")
    run_cli(["delineate", str(hh), "--min", "4", "--max", "8", "--crs", "EPSG:4490", "-o", str(tmp_path / "r.gpkg")])
    run = pyogrio.read_dataframe(tmp_path / "r.gpkg", layer="run")
    assert dict(zip(run["key"], run["value"], strict=True))["timestamp"] == "2025-11-30T00:00:00Z"
