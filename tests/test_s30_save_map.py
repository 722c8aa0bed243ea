"""save_map checks its path before the map is built, as the command line does: an extension other than .html
(a .txt got the HTML map), a folder that does not exist (found only when writing, after the work), a file that
exists."""
from __future__ import annotations

from pathlib import Path

import pytest

from yuanluo.gis.errors import OutputError
from yuanluo.maps.interactive import save_map


def _never(*_: object, **__: object) -> None:
    raise AssertionError("the map was built before the path was checked")


@pytest.mark.parametrize(("name", "code"), [("plan.txt", "OUT-SUFFIX"), ("nodir/plan.html", "OUT-WRITE")])
def test_a_path_save_map_cannot_write_is_refused_before_the_work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                  name: str, code: str) -> None:
    monkeypatch.setattr("yuanluo.maps.interactive.make_map", _never)
    with pytest.raises(OutputError) as e:
        save_map({"households": None}, tmp_path / name)
    assert e.value.codes == [code], e.value.codes
    assert not (tmp_path / name).exists()


def test_an_existing_map_is_not_replaced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("yuanluo.maps.interactive.make_map", _never)
    (tmp_path / "m.html").write_text("old")
    with pytest.raises(OutputError) as e:
        save_map({"households": None}, tmp_path / "m.html")
    assert e.value.codes == ["OUT-EXISTS"] and (tmp_path / "m.html").read_text() == "old"
