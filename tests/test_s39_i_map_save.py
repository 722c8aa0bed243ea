"""``m.save("x.html")`` on a map from :func:`yuanluo.make_map` (audit s39 F, folium's habit in a notebook).

folium's own ``save()`` wrote folium's page, whose Leaflet is loaded from the private ``yuanluo-vendor:``
scheme: the file showed no map. And it replaced an existing file without a word. Now ``save`` writes what
:func:`yuanluo.save_map` writes (the offline page, Leaflet inlined, with its Content-Security-Policy), refuses an
existing file (``OUT-EXISTS``) unless ``overwrite=True``, and gives a file object the same bytes."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from yuanluo.gis.errors import OutputError
from yuanluo.maps.interactive import make_map, save_map
from yuanluo.maps.sample import sample_layers


@pytest.fixture(scope="module")
def layers() -> dict:
    return sample_layers(20, block=5, seed=1)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_save_writes_what_save_map_writes(tmp_path: Path, layers: dict, lang: str) -> None:
    m = make_map(layers, lang=lang)
    m.save(str(tmp_path / "folium.html"))
    m.save(tmp_path / "as_path.html")
    page = save_map(m, tmp_path / "save_map.html").read_bytes()
    assert (tmp_path / "folium.html").read_bytes() == page
    assert (tmp_path / "as_path.html").read_bytes() == page
    text = page.decode("utf-8")
    assert "yuanluo-vendor:" not in text and "Content-Security-Policy" in text


def test_save_refuses_an_existing_file_unless_overwrite(tmp_path: Path, layers: dict) -> None:
    m = make_map(layers, lang="en")
    old = tmp_path / "x.html"
    old.write_text("precious", encoding="utf-8")
    with pytest.raises(OutputError) as err:
        m.save(str(old))
    assert err.value.codes == ["OUT-EXISTS"]
    assert old.read_text(encoding="utf-8") == "precious"
    m.save(str(old), overwrite=True)
    assert old.read_bytes() == save_map(m, tmp_path / "y.html").read_bytes()


def test_a_file_object_gets_the_same_page(tmp_path: Path, layers: dict) -> None:
    m = make_map(layers, lang="zh")
    buf = io.BytesIO()
    m.save(buf, close_file=False)
    assert not buf.closed
    assert buf.getvalue() == save_map(m, tmp_path / "m.html").read_bytes()
    with open(tmp_path / "f.html", "wb") as fh:
        m.save(fh)
        assert fh.closed
    assert (tmp_path / "f.html").read_bytes() == buf.getvalue()
