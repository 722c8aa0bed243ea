"""The command line prints in any code page: output redirected to a file on a Western Windows (cp1252) cannot
hold Chinese, and a run stopped at its first Chinese line with an internal error after writing its outputs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SAMPLE = Path(__file__).resolve().parents[1] / "planners" / "sample" / "andorra_ordino.gpkg"


def run(args: list[str], encoding: str, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    code = "import sys; from yuanluo.planners.launch import main; sys.argv = ['yuanluo'] + sys.argv[1:]; main()"
    env = {**os.environ, "PYTHONIOENCODING": encoding, "PYTHONWARNINGS": "ignore"}
    env.pop("YUANLUO_LANG", None)
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, timeout=300, env=env, cwd=cwd)


def test_chinese_report_redirected_to_a_western_code_page_is_written_in_utf8(tmp_path: Path) -> None:
    res = run(["validate", str(SAMPLE), "--layer", "households"], "cp1252", tmp_path)
    assert res.returncode in (0, 1), res.stderr.decode("utf-8", "replace")[-2000:]
    said = res.stdout.decode("utf-8") + res.stderr.decode("utf-8")
    assert "户" in said and "\\u" not in said


def test_a_bad_input_error_redirected_to_a_western_code_page_is_readable(tmp_path: Path) -> None:
    (tmp_path / "bad.csv").write_text("x,y\n1,2\n", encoding="utf-8")
    res = run(["validate", "bad.csv"], "cp1252", tmp_path)
    assert res.returncode == 2
    said = res.stderr.decode("utf-8")
    assert "bad.csv" in said and "\\u" not in said and "错误" in said


def test_a_chinese_windows_code_page_is_kept(tmp_path: Path) -> None:
    res = run(["validate", str(SAMPLE), "--layer", "households"], "gbk", tmp_path)
    assert res.returncode in (0, 1)
    assert "户" in res.stdout.decode("gbk")
