"""The quickstart notebook: in Chinese, saved with its outputs, current with its generator, and it runs top to bottom
on the bundled sample (a small Chinese CSV written from it, GBK), showing the map inline and repairing an edit."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import nbformat

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
NOTEBOOK = NOTEBOOKS / "quickstart.ipynb"
HAN = re.compile(r"[\u4e00-\u9fff]")


def _generator():
    sys.path.insert(0, str(NOTEBOOKS))
    try:
        import make_quickstart
    finally:
        sys.path.remove(str(NOTEBOOKS))
    return make_quickstart


def _outputs(nb) -> tuple[str, list[dict]]:
    outs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    stream = "".join(o.get("text", "") for o in outs if o.get("output_type") == "stream")
    return stream, [o.get("data", {}) for o in outs if "data" in o]


def test_saved_notebook_is_chinese_current_and_has_its_outputs() -> None:
    saved = nbformat.read(NOTEBOOK, as_version=4)
    built = _generator().build()
    assert [c.source for c in saved.cells] == [c.source for c in built.cells]  # run make_quickstart.py after edits
    code = [c for c in saved.cells if c.cell_type == "code"]
    assert all(c.get("execution_count") for c in code)  # it was run
    assert all(c.get("outputs") for c in code[1:]), "saved with its outputs (all but the set-up cell print)"
    assert not [o for c in code for o in c.outputs if o.get("output_type") == "error"]
    for cell in saved.cells:
        if cell.cell_type == "markdown":
            assert HAN.search(cell.source), cell.source[:40]
    stream, data = _outputs(saved)
    assert "/tmp" not in stream and "\\" not in stream  # relative names only
    assert any("image/png" in d for d in data)


def test_quickstart_notebook_runs(tmp_path: Path) -> None:
    nb = _generator().run(_generator().build(), tmp_path, timeout=300)
    stream, data = _outputs(nb)
    assert "160 户；编码 gb18030" in stream and "'hid': '户编号'" in stream and "'group': '村民小组'" in stream
    assert "检查报告： 检查报告.html" in stream and "改动带来的违规还剩 0 处" in stream
    assert "捕获到错误 CRS-MISSING" in stream and "SiteLeftOutWarning：警告 COVER-SITE-FAR" in stream  # section 7
    frames = [d["text/html"] for d in data if "<iframe srcdoc=" in d.get("text/html", "")]
    assert len(frames) == 1 and "Content-Security-Policy" in frames[0]  # the offline map, inline
    assert any("image/png" in d for d in data)
    files = sorted(p.name for p in (tmp_path / "quickstart_output").iterdir())
    assert files == ["农户表.csv", "检查报告.html", "院落地图.html"]
