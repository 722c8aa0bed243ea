r"""A folder typed the Windows way as an output on Linux or macOS (session 55, helper N, review of U's
OUT-PATH-WINDOWS): ``--csv out\`` was said twice, as a name with no extension (OUT-SUFFIX-NONE-OPTION) and as a
Windows path whose fix, ``give --csv out/``, names no file either; now it is OUT-NAME-EMPTY-OPTION, the output is a
folder: give it a file name. ``demo -o D:\演示\`` (a folder the command puts demo.gpkg in) had the fix
``演示//demo.gpkg``; now ``演示/demo.gpkg``. A path with ``//`` and no ``\`` is no Windows path, as before. Both
fail on ec74757."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from yuanluo.gis import errors as E
from yuanluo.gis import output as O
from yuanluo.gis.errors import OutputError

linux = pytest.mark.skipif(os.sep != "/", reason="a \\ is a separator on Windows")


@linux
@pytest.mark.parametrize("given", ["out\\", "D:\\", ".\\规划\\"])
def test_a_folder_typed_the_windows_way_is_no_file_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                       given: str) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(OutputError) as e:
        O.require_free([given], overwrite=False, allowed={given: (".csv", ".xlsx")})
    assert e.value.codes == ["OUT-NAME-EMPTY"]
    (q,) = e.value.problems
    assert q.message("en").splitlines()[0] == f"Error OUT-NAME-EMPTY: the output is not a file name: '{given}' is a folder."
    assert f"“{given}”是一个文件夹" in q.message("zh")
    assert not list(tmp_path.iterdir())


@linux
def test_a_folder_then_a_name_has_one_slash_in_the_fix(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(E, "WSL_DRIVES", tmp_path / "no-wsl")
    q = O.windows_path_problem(Path("D:\\演示\\") / "demo.gpkg")
    assert q is not None and (q.variant, q.params["alt"]) == ("drive", "演示/demo.gpkg")
    q = O.windows_path_problem(Path("out\\\\r.gpkg"))
    assert q is not None and q.params["alt"] == "out/r.gpkg"
    assert O.windows_path_problem(Path("out//r.gpkg")) is None  # (pathlib makes it out/r.gpkg: no Windows path)
    assert O.windows_path_problem(Path("\\\\server\\share\\r.gpkg")).params["alt"] == "//server/share/r.gpkg"
