"""A Python user's own texts on a Yuanluo map (audit s33 AD, py_api2.py).

573f307/cd0f143 made every page data-inert, but refused (InvariantError, "a Yuanluo bug", an English sentence in
the Chinese message) any ``Element(text)`` outside the page's sections, so an ordinary
``folium.Element('<p>plain</p>').add_to(m)`` stopped ``render_html``, ``notebook_html``, ``save_map`` and
``m.save`` (which left a 0-byte file). Now such a text, and a ``folium.Html``, is drawn at the top of the page's
body with its text as it is (never rendered as a template), wherever it was added (an ``Element`` inside a
popup too), and ``m.save`` writes atomically."""

from __future__ import annotations

from pathlib import Path

import folium
import pytest
from branca.element import Element, MacroElement

from yuanluo.maps.interactive import make_map, notebook_html, render_html, save_map
from yuanluo.maps.sample import sample_layers


def _payload(where: Path) -> str:
    """Jinja that, rendered, creates ``where/PWNED``."""
    return "{{ cycler.__init__.__globals__.os.system('touch " + str(where / "PWNED") + "') }}"


def test_a_users_element_and_html_on_the_map_are_drawn_as_they_are(tmp_path: Path) -> None:
    m = make_map(sample_layers(20, block=5, seed=1), lang="zh")
    hostile = "<p>plain {{7*7}} " + _payload(tmp_path) + "</p>"
    folium.Element("<p>plain</p>").add_to(m)
    folium.Element(hostile).add_to(m)
    folium.Html("<i>html {{7*7}}</i>", script=True).add_to(m)
    group = folium.FeatureGroup(name="g").add_to(m)
    folium.Element("<p>in a group</p>").add_to(group)
    html = render_html(m)
    for t in ("<p>plain</p>", hostile, "<i>html {{7*7}}</i>", "<p>in a group</p>"):
        assert html.count(t) == 1, t
    assert "plain 49" not in html and "html 49" not in html
    body = html[html.index("<body>"):]
    assert body.index("<p>plain</p>") < body.index('class="folium-map"')  # drawn at the top of the body
    assert "&lt;p&gt;plain&lt;/p&gt;" in notebook_html(m)
    assert save_map(m, tmp_path / "a.html").read_text(encoding="utf-8") == html
    m.save(str(tmp_path / "folium.html"))
    saved = (tmp_path / "folium.html").read_text(encoding="utf-8")
    assert "<p>plain</p>" in saved and hostile in saved
    assert render_html(m).count("<p>plain</p>") == 1  # drawn once, however often the map is saved
    assert not (tmp_path / "PWNED").exists()


def test_an_element_inside_a_popup_is_text_as_it_is(tmp_path: Path) -> None:
    """folium renders a popup's Element inside the popup's script: never as a template either."""
    m = make_map(sample_layers(20, block=5, seed=1), lang="en")
    text = "<b>pop {{7*7}}</b>" + _payload(tmp_path)
    folium.Marker([0.0, 0.0], popup=folium.Popup(folium.Element(text))).add_to(m)
    html = render_html(m)
    assert "<b>pop {{7*7}}</b>" in html and "pop 49" not in html
    m.save(str(tmp_path / "folium.html"))
    assert "<b>pop {{7*7}}</b>" in (tmp_path / "folium.html").read_text(encoding="utf-8")
    assert not (tmp_path / "PWNED").exists()


class _Broken(MacroElement):
    def render(self, **kwargs: object) -> str:
        raise RuntimeError("broken element")


def test_folium_save_leaves_no_empty_file(tmp_path: Path) -> None:
    """m.save renders the page first and places it whole: a failure leaves no new file and an old one as it
    was (folium's own save opened the file first and left it empty)."""
    m = make_map(sample_layers(20, block=5, seed=1), lang="en")
    _Broken().add_to(m)
    with pytest.raises(RuntimeError):
        m.save(str(tmp_path / "new.html"))
    assert list(tmp_path.iterdir()) == []
    old = tmp_path / "old.html"
    old.write_text("old page", encoding="utf-8")
    with pytest.raises(RuntimeError):
        m.save(old, overwrite=True)  # an existing file is refused without overwrite (test_s39_i_map_save.py)
    assert old.read_text(encoding="utf-8") == "old page"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.html"]


def test_folium_save_to_a_file_object(tmp_path: Path) -> None:
    m = make_map(sample_layers(20, block=5, seed=1), lang="en")
    Element("<p>x</p>").add_to(m)
    with open(tmp_path / "f.html", "wb") as fh:
        m.save(fh, close_file=False)
        assert not fh.closed
    assert "<p>x</p>" in (tmp_path / "f.html").read_text(encoding="utf-8")
