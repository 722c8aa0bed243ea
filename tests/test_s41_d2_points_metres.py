"""Session 41 (audit H item 7): POINTS-COORD asked for decimal degrees (106.52) even when the points' --crs is
in metres; its fix now asks for eastings and northings in metres there, degrees as before otherwise."""

from __future__ import annotations

from pathlib import Path

import pytest

from yuanluo.gis.errors import InputError
from yuanluo.gis.io import read_points


@pytest.mark.parametrize(("crs", "xy", "metres"), [("EPSG:4545", ("529200.5", "3265980.3"), True),
                                                  ("EPSG:4490", ("106.52", "29.51"), False)])
def test_points_coord_fix_fits_the_crs(tmp_path: Path, crs: str, xy: tuple[str, str], metres: bool) -> None:
    pts = tmp_path / "p.csv"
    pts.write_text(f"名称,x,y\nA,{xy[0]},{xy[1]}\nB,,\n", encoding="utf-8")
    with pytest.raises(InputError) as e:
        read_points(pts, kind="candidates", working_crs="EPSG:4545", crs=crs)
    p = next(q for q in e.value.problems if q.code == "POINTS-COORD")
    for lang, word, deg in (("zh", "以米计", "小数度"), ("en", "in metres", "decimal degrees")):
        said = p.message(lang)  # type: ignore[arg-type]
        assert (word in said) is metres and (deg in said) is not metres, said
