"""``yuanluo cover --report`` loads neither the plan check nor the maturity report (session 55, helper N).

The cover report borrows the check report's page helpers (``planners.report``), which imported
``gis.check`` for a type name only (and with it the head proofs and networkx); the run table's rules, which cover
reads from the result, came through ``planners.tables``, which imported ``planners.maturity`` (and ``gis.maturity``)
for two helpers of the workbook it does not write. Both are loaded now only where they are used.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

NOT_NEEDED = ("yuanluo.gis.check", "networkx", "yuanluo.planners.maturity", "yuanluo.gis.maturity")


def test_cover_report_loads_no_check_and_no_maturity(small_result: Path, tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from yuanluo.planners.cli import app\n"
        f"out = CliRunner().invoke(app, ['cover', {str(small_result)!r}, '-o', {str(tmp_path / 'c.gpkg')!r},\n"
        f"                               '--report', {str(tmp_path / 'c.html')!r}, '--lang', 'en'])\n"
        "assert out.exit_code == 0, out.output\n"
        f"print(sorted(m for m in {NOT_NEEDED!r} if m in sys.modules))\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, check=False)
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "c.html").is_file()
    assert run.stdout.strip().splitlines()[-1] == "[]"  # was all four


def test_the_check_report_still_renders() -> None:
    """The check report's ``CheckResult`` is a name for the type checker only; the page is rendered as before."""
    import pandas as pd

    from yuanluo.gis.check import CheckResult
    from yuanluo.gis.rules import Rules
    from yuanluo.planners.report import render_html

    units = pd.DataFrame({"unit_id": ["U1"], "n_households": [3], "persons": [7.0], "size": [3], "status": ["ok"],
                          "codes": [[]], "mean_walk_min": [float("nan")], "max_walk_min": [float("nan")]})
    viol = pd.DataFrame(columns=["code", "unit_id", "hids", "severity", "message_zh", "message_en"])
    page = render_html(CheckResult(violations=viol, units=units, passed=True, graph_kind="straight",
                                   rules=Rules(2, 5)), lang="en")
    assert "PASSED" in page and "U1" in page
