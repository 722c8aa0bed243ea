"""The editor under other rules than the delineation's (audit S §2): a delineation's declared settlement splits
hold only under the rules it kept, as ``check`` judges them (``Declared.applies``); the page took them as declared
under any rules, so that under a narrower band it showed them as the warning DECLARED-EXCEPTION, quoting the band
given to the page as the one the delineation used, while ``check`` with the same rules gives PLAN-SETTLEMENT-SPLIT
errors. Now the page drops declarations made under other rules, as the check does."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from browser import browser_unavailable_reason, open_in_chromium
from editor_fixtures import chunk_plan, synth_case
from typer.testing import CliRunner

from yuanluo.gis.rules import Rules

pytestmark = pytest.mark.skipif(browser_unavailable_reason() is not None, reason=str(browser_unavailable_reason()))

#: the rules the result was delineated under, and narrower ones given to the page and the check
MADE = Rules(15, 30, nest_by=(), require_head=False, keep_settlements=True)
BAND = {"made": (15, 30), "other": (15, 25)}

VIOLATIONS = "(() => window.yuanluo.editor.violations())()"


def _result(tmp_path: Path) -> Path:
    """The synthetic village as a result delineated under MADE (its ``run`` table records them), each settlement
    of at most 25 households that the plan splits declared split (``settlement_split``)."""
    from yuanluo.gis.output import write_layers
    from yuanluo.gis.units import unit_territories

    path = tmp_path / "result.gpkg"
    if path.is_file():
        return path
    case = synth_case()
    hh = case.households.copy()
    labels = chunk_plan(hh, 20).fillna("U999")
    hh["unit_id"] = labels.reindex(hh.index.astype(str)).astype(str).to_numpy()
    per = hh.groupby("settlement")["unit_id"].agg(["nunique", "size"])
    split = per.index[(per["nunique"] > 1) & (per["size"] <= 25)]
    assert len(split) >= 1, per
    hh["settlement_split"] = hh["settlement"].isin(split)
    units = unit_territories(case.households, labels.reindex(case.households.index.astype(str)))
    units["status"] = "ok"
    write_layers(path, {"households": hh.reset_index(), "units": units, "rivers": case.layers["rivers"],
                        "roads": case.layers["roads"]},
                 run={"tool": "yuanluo", "command": "delineate", "params": {"rules": MADE.to_dict()}})
    return path


def _rules(tmp_path: Path, which: str) -> Path:
    lo, hi = BAND[which]
    p = tmp_path / f"{which}.toml"
    p.write_text(f'[rules]\nname = "{which}"\nmin_size = {lo}\nmax_size = {hi}\nnest_by = []\n'
                 'require_head = false\nkeep_settlements = true\n', encoding="utf-8")
    return p


def _both(tmp_path: Path, which: str, lang: str) -> tuple[list[dict[str, Any]], dict[str, Any], Path]:
    """The unedited page's violations() and ``check --json`` of the same result under the rules ``which``."""
    from yuanluo.planners.cli import app

    result = _result(tmp_path)
    rules = _rules(tmp_path, which)
    ctx = ["--rivers", f"{result}::rivers", "--roads", f"{result}::roads", "--rules", str(rules)]
    page = tmp_path / f"edit-{which}.html"
    res = CliRunner().invoke(app, ["edit", str(result), *ctx, "--lang", lang, "-o", str(page)])
    assert res.exit_code == 0, res.output
    js = tmp_path / f"check-{which}.json"
    res = CliRunner().invoke(app, ["check", str(result), *ctx, "--lang", lang, "--json", str(js)])
    assert res.exit_code in (0, 1), res.output
    shot = Path("test-artifacts") / f"s30-editor-{which}-{lang}.png"
    rep = open_in_chromium(page, viewport=(390, 844), screenshot=shot,
                           wait_for="window.yuanluo && window.yuanluo.editorUi", evaluate={"v": VIOLATIONS})
    assert rep.console_errors == [] and rep.csp_violations == []
    return rep.counts["v"], json.loads(js.read_text(encoding="utf-8")), shot


def _found(viols: list[dict[str, Any]], unit: str, code: str) -> list[tuple[Any, ...]]:
    return sorted((v[unit], v[code], v["severity"]) for v in viols)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_declared_splits_hold_only_under_the_delineation_s_rules(tmp_path: Path, lang: str) -> None:
    # under the rules it was delineated with: the splits are declared, on the page as in the check
    page, chk, _ = _both(tmp_path, "made", lang)
    assert "DECLARED-EXCEPTION" in {v["code"] for v in page}, page
    assert _found(page, "unit", "code") == _found(chk["violations"], "unit_id", "code")
    said = [v["text"] for v in page if v["code"] == "DECLARED-EXCEPTION"]
    assert all(("15–30" in t) for t in said), said
    # under a narrower band: the splits are errors, as the check says, and no sentence quotes a declaration
    page, chk, shot = _both(tmp_path, "other", lang)
    assert _found(page, "unit", "code") == _found(chk["violations"], "unit_id", "code")
    assert "DECLARED-EXCEPTION" not in {v["code"] for v in page}
    assert "PLAN-SETTLEMENT-SPLIT" in {v["code"] for v in page if v["severity"] == "error"}
    assert sum(v["severity"] == "error" for v in page) == chk["summary"]["n_errors"], chk["summary"]
    assert shot.is_file()
