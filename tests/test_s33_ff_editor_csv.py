"""The editor's 载入方案 reads a CSV as ``check --plan`` does (Python's csv module; audit s33 AB, defect 4).

A bare ``"`` inside an unquoted cell (``H000008"><svg onload=…>``) opened a quoted section in the page's parser,
which swallowed the next lines into one cell, while Python's csv reads it as a character and every row stays a
row. Now a ``"`` opens a quoted section only as a cell's first character, as in Python."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from yuanluo.gis.output import write_layers
from yuanluo.gis.plan import read_plan_table
from yuanluo.maps.sample import sample_layers
from yuanluo.planners.cli import app

TEXTS = [
    'a,b\r\nH1"><svg onload=x>,U1\r\nH2,U2\r\n"H3",U3\r\n',
    'a,b\nx"y"z,"q""r"\n"s"t"u,v\n',  # after a closing quote the cell goes on; a later " is a character
    'a,b\n"multi\nline",1\n"x,y",2\n""""," "\n',
    'a\tb\nH1"\tU1\nH2\t"U""2"\n',
    '\ufeffa,b\r\n"unclosed,1\r\nH9,U9\r\n',
]


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, pd.DataFrame]:
    tmp = tmp_path_factory.mktemp("ffcsv")
    layers = sample_layers(40, block=5)
    write_layers(tmp / "r.gpkg", {k: v for k, v in layers.items() if k != "run"})
    res = CliRunner().invoke(app, ["edit", str(tmp / "r.gpkg"), "--preset", "banan", "-o", str(tmp / "edit.html"), "-q"],
                             env={"COLUMNS": "400"})
    assert res.exit_code == 0, res.output
    return tmp / "edit.html", layers["households"]


def test_page_reads_csv_as_python_does(page: tuple[Path, pd.DataFrame]) -> None:
    from browser import browser_unavailable_reason, open_in_chromium

    if browser_unavailable_reason() is not None:
        pytest.skip(str(browser_unavailable_reason()))
    html, hh = page
    ids = [str(x) for x in hh.index]
    units = hh["unit_id"].astype(str).tolist()
    lines = ["户编号,院落编号"] + [f"{h},{u}" for h, u in zip(ids, units, strict=True)]
    lines[8] = f'{ids[7]}"><svg onload=window.__pwn=5>,{units[7]}'  # the audit's hostile row
    plan = "\r\n".join(lines) + "\r\n"
    (html.parent / "plan.csv").write_text(plan, encoding="utf-8")
    js = ("(() => { var E = window.yuanluo.editor; return {parsed: " + json.dumps(TEXTS)
          + ".map(function(t) { return E.parseCsv(t, t.indexOf('\\t') >= 0 ? '\\t' : ','); }), load: E.loadCsv("
          + json.dumps(plan) + ", false), pwn: window.__pwn || 0}; })()")
    rep = open_in_chromium(html, viewport=(390, 844), wait_for="window.yuanluo && window.yuanluo.editor",
                           evaluate={"x": js}, settle_ms=50)
    assert rep.console_errors == [], rep.console_errors
    x = rep.counts["x"]
    for text, got in zip(TEXTS, x["parsed"], strict=True):
        want = list(csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""),
                               delimiter="\t" if "\t" in text else ","))
        assert got == want, (text, got, want)
    # check --plan and the page read the same rows: one unknown id (row 9, the hostile one), nothing swallowed
    _, probs = read_plan_table(html.parent / "plan.csv", pd.DataFrame(index=hh.index))
    unknown = [p for p in probs if p.code == "PLAN-UNKNOWN-ID"]
    assert len(unknown) == 1
    assert x["load"]["ok"] and x["load"]["unknown"] == 1, x["load"]
    assert x["load"]["unknownAt"] == [{"row": 9, "id": f'{ids[7]}"><svg onload=window.__pwn=5>'}], x["load"]
    assert x["pwn"] == 0
