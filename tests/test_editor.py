"""The plan editor page without a browser: payload, safety of the page, determinism, the lock column, the CLI."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from editor_fixtures import EditorCase, synth_case, synth_result
from typer.testing import CliRunner

from yuanluo.gis.lock import read_locks
from yuanluo.maps.editor import editor_payload, render_editor
from yuanluo.maps.offline import external_references
from yuanluo.planners.cli import app

runner = CliRunner()


def _hostile(case: EditorCase) -> tuple[pd.Series, pd.DataFrame]:
    hh = case.households.copy()
    labels = case.labels.copy()
    bad = '</script><img src=x onerror="alert(1)">'
    labels.iloc[1] = bad
    hh.index = pd.Index([bad if i == 2 else h for i, h in enumerate(hh.index.astype(str))], name="hid")
    return labels.set_axis(hh.index), hh


def test_page_is_offline_escaped_and_deterministic() -> None:
    case = synth_case()
    labels, hh = _hostile(case)
    g = case.graph
    g2 = type(g).from_edges(list(hh.index), g.xy, list(zip(g.u.tolist(), g.v.tolist(), strict=True)), crs=g.crs)
    layers = {**case.layers, "households": hh}
    one = render_editor(editor_payload(layers, labels, case.rules, g2))
    two = render_editor(editor_payload(layers, labels, case.rules, g2))
    assert one == two
    assert external_references(one) == []
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', one)
    assert csp and "connect-src 'none'" in csp.group(1) and "unsafe-inline" not in csp.group(1)
    # the hostile id reaches the page only as escaped JSON text
    assert "</script><img" not in one and "onerror=\\\"alert" in one
    assert one.count("<script") == one.count("</script>")


def test_payload_carries_the_rules_graph_and_households() -> None:
    case = synth_case()
    p = editor_payload(case.layers, case.labels, case.rules, case.graph, graph_kind="terrain", locks=["U001"])
    assert p["rules"]["min"] == 15 and p["rules"]["size_by"] == "persons" and p["locks"] == ["U001"]
    assert [lv["code"] for lv in p["hh"]["nest"]] == ["PLAN-CROSS-VILLAGE", "PLAN-CROSS-GROUP"]
    assert p["hh"]["sett"] is not None and "head" in p["hh"]
    v = p["g"]["v"]  # every edge once, as household positions (compacted as Y.ints reads it: runs, or the list)
    runs = (v.get("r") or v.get("zr")) if isinstance(v, dict) else None
    assert (sum(runs[1::2]) if runs else len(v["z"] if isinstance(v, dict) else v)) == case.graph.m
    assert p["t"]["btn.undo"] == "撤销"
    en = editor_payload(case.layers, case.labels, case.rules, case.graph, lang="en")
    assert en["t"]["btn.undo"] == "Undo"


def test_walking_minutes_travel_exact_under_a_limit_and_compact_without() -> None:
    """Every edge's minutes were JSON numbers of 17 digits in every page: a 20,000-household page grew from 0.9 to
    3.2 MB. They are IEEE numbers, packed (maps.editor._walks, s55): exact (64 bits) where the walking rule reads
    them, or where a unit without its head names the minutes to the nearest candidate outside it (s57), 32 bits
    where they only place a drawn centre."""
    from dataclasses import replace

    from yuanluo.maps.editor import _unwalks

    case = synth_case()
    for limit, head, bits in ((2.0, False, 64), (None, True, 64), (None, False, 32)):
        rules = replace(case.rules, max_walk_min=limit, require_head=head)
        g = editor_payload(case.layers, case.labels, rules, case.graph)["g"]
        assert g["wbits"] == bits and isinstance(g["wk"]["s"], str)
        got = np.sort(np.concatenate(_unwalks(g["wk"], bits)))
        want = np.sort(np.concatenate([np.asarray(case.graph.walk_uv), np.asarray(case.graph.walk_vu)]))
        assert len(got) == 2 * case.graph.m
        if bits == 64:
            assert np.array_equal(got, want)
        else:
            assert np.allclose(got, want, rtol=1e-6) and len(g["wk"]["s"]) < 8 * case.graph.m


def test_the_page_splits_settlements_into_the_pieces_the_check_keeps_whole() -> None:
    """A settlement name in two villager groups is two pieces (each kept whole on its own), as the check reads it:
    the page gets one entry per piece, not per name."""
    from yuanluo.gis.check import settlement_pieces

    case = synth_case()
    hh = case.households.copy()
    hh["settlement"] = "S1"  # one name across every group
    pos = pd.Index(case.graph.ids).get_indexer(hh.index)
    key, names = settlement_pieces(hh, case.rules, case.graph, pos)
    p = editor_payload({**case.layers, "households": hh}, case.labels, case.rules, case.graph)
    assert len(names) > 1 and set(names) == {"S1"}
    assert p["hh"]["sett"]["names"] == [str(x) for x in names] and len(p["hh"]["sett"]["size"]) == len(names)


def test_read_locks_reads_the_lock_column(tmp_path: Path) -> None:
    zh = tmp_path / "zh.csv"
    zh.write_text("户编号,院落编号,锁定\nH1,U1,是\nH2,U1,是\nH3,U2,\nH4,U3,1\n", encoding="utf-8-sig")
    assert read_locks(zh) == ["U1", "U3"]
    en = tmp_path / "en.csv"
    en.write_text("hid,unit_id,locked\nH1,A,yes\nH2,B,\n", encoding="utf-8")
    assert read_locks(en) == ["A"]
    none = tmp_path / "plain.csv"
    none.write_text("户编号,院落编号\nH1,A\n", encoding="utf-8")
    assert read_locks(none) == []


def test_edit_command_writes_the_page_and_refuses_to_overwrite(tmp_path: Path) -> None:
    result = synth_result(tmp_path)
    out = tmp_path / "院落编辑.html"
    args = ["edit", str(result), "--min", "15", "--max", "25", "-o", str(out)]
    res = runner.invoke(app, args)
    assert res.exit_code == 0, res.output
    html = out.read_text(encoding="utf-8")
    assert external_references(html) == [] and "yl-editor-data" in html
    assert "内部工作用图" in html and "T.stamp" in html  # stamped as every map of a plan
    res = runner.invoke(app, args)
    assert res.exit_code == 2 and "OUT-EXISTS" in res.output
    assert out.read_text(encoding="utf-8") == html
    res = runner.invoke(app, ["edit", str(tmp_path / "missing.gpkg"), "--min", "15", "--max", "25",
                              "-o", str(tmp_path / "x.html")])
    assert res.exit_code == 2 and "IO-NOTFOUND" in res.output and not (tmp_path / "x.html").exists()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_edit_command_starts_from_a_plan_with_locks(tmp_path: Path, lang: str) -> None:
    result = synth_result(tmp_path)
    case = synth_case()
    plan = tmp_path / "plan.csv"
    lab = case.labels.dropna()
    lock = ["是" if u == "U001" else "" for u in lab]
    pd.DataFrame({"户编号": lab.index, "院落编号": lab.to_numpy(), "锁定": lock}).to_csv(plan, index=False)
    out = tmp_path / "e.html"
    res = runner.invoke(app, ["edit", str(result), "--plan", str(plan), "--min", "15", "--max", "25", "-o", str(out),
                              "--lang", lang])
    assert res.exit_code == 0, res.output
    html = out.read_text(encoding="utf-8")
    assert '"locks":["U001"]' in html
    assert ('"lang":"en"' in html) == (lang == "en")


def test_editor_scripts_build_the_dom_without_html_sinks() -> None:
    from yuanluo.maps.offline import read_own_asset

    for name in ("editor.js", "editor_ui.js", "editor.css"):
        code = read_own_asset(name)
        for sink in ("innerHTML", "outerHTML", "document.write", "insertAdjacentHTML", "eval(", "new Function"):
            assert sink not in code, (name, sink)
    assert "textContent" in read_own_asset("editor_ui.js")


def test_the_english_page_names_the_preset_in_english() -> None:
    """The intro says the rules by name: the English page a preset's English label, not its key (the phone audit's
    "rules: banan (20–50)" beside 巴南区“巴适小院”); every preset has one, the Chinese the preset's own label."""
    from yuanluo.gis.catalogue import text
    from yuanluo.planners.presets import PRESETS, preset

    case = synth_case()
    for name in PRESETS:
        rules = preset(name)
        en = editor_payload(case.layers, case.labels, rules, case.graph, lang="en")["rules"]
        zh = editor_payload(case.layers, case.labels, rules, case.graph, lang="zh")["rules"]
        assert en["name"] == text(f"editor.preset.{name}", "en") != name, en
        assert zh["label"] == text(f"editor.preset.{name}", "zh") == PRESETS[name]["label"], zh
        assert not any("\u4e00" <= ch <= "\u9fff" for ch in en["name"]), en
    assert editor_payload(case.layers, case.labels, case.rules, case.graph, lang="en")["rules"]["name"] == "custom"
    # rules given by bounds alone: the Chinese page said "规则：custom（20–50）"
    assert editor_payload(case.layers, case.labels, case.rules, case.graph, lang="zh")["rules"]["name"] == "自定义"


def test_the_page_reads_the_plan_columns_the_command_line_reads() -> None:
    """A plan `yuanluo --lang en repair` writes is headed "Household ID,Unit ID": the command line read it back,
    the editor's 载入方案 did not (its column names were a copy missing the English ones)."""
    import re

    from yuanluo.gis.lock import LOCK_ALIASES
    from yuanluo.gis.plan import ID_ALIASES, UNIT_ALIASES

    js = (Path(__file__).resolve().parents[1] / "maps" / "assets" / "editor.js").read_text(encoding="utf-8")
    for name, python in (("ID_ALIASES", ID_ALIASES), ("UNIT_ALIASES", UNIT_ALIASES), ("LOCK_ALIASES", LOCK_ALIASES)):
        listed = re.search(rf"var {name} = \[(.*?)\];", js)
        assert listed, name
        assert re.findall(r"'([^']*)'", listed.group(1)) == [a.lower() for a in python], name
    # and the page's own export is headed as `yuanluo repair -o` writes a plan, in the page's language
    import pandas as pd

    from yuanluo.gis.catalogue import text
    from yuanluo.planners.tables import plan_csv_table

    for lang in ("zh", "en"):
        written = list(plan_csv_table(pd.DataFrame({"hid": ["H1"], "unit_id": ["U1"]}), lang).columns)
        assert [text("editor.col.hid", lang), text("editor.col.unit", lang)] == written, lang
        assert text("editor.col.locked", lang).lower() in LOCK_ALIASES


def test_edit_takes_the_rules_a_result_records(tmp_path: Path) -> None:
    """`yuanluo edit demo.gpkg -o edit.html` stopped with RULE-NONE although the result's run table names its rules
    (banan); given no rules, the page judges by those, and --min/--max given alone change only the bounds."""
    import json

    from editor_fixtures import synth_case

    from yuanluo.gis.output import write_layers
    from yuanluo.gis.units import unit_territories
    from yuanluo.planners.presets import preset

    case = synth_case()
    path = tmp_path / "result.gpkg"
    hh = case.households.copy()
    hh["unit_id"] = case.labels.reindex(hh.index.astype(str)).fillna("").astype(str).to_numpy()
    units = unit_territories(case.households, case.labels.reindex(case.households.index.astype(str)))
    write_layers(path, {"households": hh.reset_index(), "units": units, "rivers": case.layers["rivers"],
                        "roads": case.layers["roads"]}, run={"tool": "yuanluo", "params": {"rules": preset("banan").to_dict()}})

    def rules_of(page: Path) -> dict[str, object]:
        html = page.read_text(encoding="utf-8")
        data = re.search(r'<script type="application/json"[^>]*>(.*?)</script>', html, re.S)
        assert data, "no data block"
        return json.loads(data.group(1))["rules"]

    page = tmp_path / "edit.html"
    res = runner.invoke(app, ["edit", str(path), "-o", str(page)])
    assert res.exit_code == 0, res.output
    got = rules_of(page)
    assert (got["name"], got["min"], got["max"]) == ("banan", 20, 50), got
    page2 = tmp_path / "edit2.html"
    res = runner.invoke(app, ["edit", str(path), "--max", "40", "-o", str(page2)])
    assert res.exit_code == 0, res.output
    got = rules_of(page2)
    assert (got["name"], got["min"], got["max"]) == ("banan", 20, 40), got
    # a file without a run table names no rules: RULE-NONE, as before
    (tmp_path / "plain").mkdir()
    plain = synth_result(tmp_path / "plain")
    res = runner.invoke(app, ["edit", str(plain), "-o", str(tmp_path / "edit3.html")])
    assert res.exit_code != 0 and "RULE-NONE" in res.output, res.output
