"""The quickstart notebook shows an analyst what goes wrong and how it is said (session 50, helper N): a coded error
caught and printed in one language, a finding printed as its message, the service-point objects' one-line
summaries, a site no one can walk to said as a SiteLeftOutWarning, and meeting points from ``model.units_``."""

from __future__ import annotations

from pathlib import Path

import nbformat

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "quickstart.ipynb"


def _section(nb: nbformat.NotebookNode, title: str) -> tuple[list[str], str]:
    """The sources of the cells from the markdown cell starting with ``title`` on, and their printed output."""
    start = next(i for i, c in enumerate(nb.cells) if c.cell_type == "markdown" and c.source.startswith(title))
    cells = nb.cells[start:]
    stream = "".join(o.get("text", "") for c in cells if c.cell_type == "code" for o in c.get("outputs", [])
                     if o.get("output_type") == "stream")
    return [c.source for c in cells], stream


def test_the_notebook_says_what_goes_wrong() -> None:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    sources, said = _section(nb, "## 7. 出了问题时")
    code = "\n".join(sources[1:])
    assert "except YuanluoError as e" in code and "e.render('zh')" in code and "SiteLeftOutWarning" in code
    assert "捕获到错误 CRS-MISSING\n错误 CRS-MISSING：文件 quickstart_output/农户表.csv 没有声明坐标系" in said, said
    assert "例如 read_households(path, crs='EPSG:4490')（" in said  # the fix names the keyword, not --crs
    assert "警告 RULE-INFEASIBLE：院落 U008" in said and "Problem(" not in said  # a finding prints as its message
    assert "ServiceNetwork(n=160, sites=14 " in said and "CoverEntries(pairs=" in said and "array(" not in said
    assert "SiteLeftOutWarning：警告 COVER-SITE-FAR：" in said and "attached=0, far=1" in said
    assert not any(o.get("output_type") == "error" for c in nb.cells for o in c.get("outputs", []))
    maps = [c.source for c in nb.cells if "meeting_points(" in c.source]
    assert maps and all("meeting_points(households, model.labels_, model.units_)" in s for s in maps)
