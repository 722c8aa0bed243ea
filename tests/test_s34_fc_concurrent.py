"""Yuanluo pages rendered by several threads at once stay inert (session 34, FC).

While a page renders, ``maps.interactive._not_compiled`` puts its own class in place of branca's module global
``Template`` (and of ``Element.render``) so that no household text is compiled as a Jinja template, and puts
them back afterwards. Two threads rendering at the same moment (a notebook's thread pool) interleaved that:
the first to finish put the real ``Template`` back while the other still rendered (its households' texts
compiled as templates again: ``{% if 1 %}`` in a village name stopped the page), and the other then "restored"
the swapped class, leaving it in place for good. The swap is now made once for all Yuanluo renders in progress
and held under one lock."""

from __future__ import annotations

import io
import threading
from typing import Any

import branca.element
import pytest
from branca.element import Element

from yuanluo.maps import interactive
from yuanluo.maps.interactive import make_map, notebook_html, render_html
from yuanluo.maps.sample import sample_layers

PAYLOAD = "村{{7*7}}{% if 1 %}"
TITLE = "题{{7*7}}{% if 1 %}"


def _layers(seed: int) -> dict[str, Any]:
    lyr = sample_layers(20, block=5, seed=seed)
    lyr["households"]["village"] = PAYLOAD
    return lyr


def _literal(html: str) -> bool:
    return (f'"v":["{PAYLOAD}"]' in html and f"<title>{TITLE}</title>" in html
            and f'<div class="yl-title">{TITLE}</div>' in html)


@pytest.fixture
def originals(monkeypatch: pytest.MonkeyPatch) -> tuple[Any, Any]:
    """branca's ``Template`` and ``Element.render`` as they are before the test, put back after it whatever
    the test left (so that a failure here does not spoil the tests after it)."""
    monkeypatch.setattr(branca.element, "Template", branca.element.Template)
    monkeypatch.setattr(Element, "render", Element.render)
    return branca.element.Template, Element.render


def test_a_render_ending_while_another_runs_leaves_that_one_inert(originals, monkeypatch):
    """The interleaving forced step by step: the second thread starts rendering while the first is inside its
    render, and the first then ends while the second is still inside its own."""
    maps = [make_map(_layers(1), title=TITLE), make_map(_layers(2), title=TITLE)]
    first_in, second_in, first_out = threading.Event(), threading.Event(), threading.Event()
    seen = threading.local()
    render = interactive._Js.render

    def paced(self: Any, **kwargs: Any) -> Any:  # the first of Yuanluo's scripts each thread renders
        if not getattr(seen, "once", False):
            seen.once = True
            if threading.current_thread().name == "first":
                first_in.set()
                second_in.wait(1.0)  # old code: the second is inside its render now (new: it waits for ours)
            else:
                second_in.set()
                first_out.wait(1.0)  # old code: the first has put branca's Template back meanwhile
        return render(self, **kwargs)

    monkeypatch.setattr(interactive._Js, "render", paced)
    out: dict[int, Any] = {}

    def run(k: int) -> None:
        try:
            if k == 1:
                first_in.wait(5.0)
            out[k] = render_html(maps[k])
        except Exception as exc:  # noqa: BLE001 - reported below
            out[k] = exc
        finally:
            if k == 0:
                first_out.set()

    threads = [threading.Thread(target=run, args=(k,), name=("first", "second")[k]) for k in (0, 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not any(t.is_alive() for t in threads)
    assert [type(out[k]).__name__ for k in (0, 1)] == ["str", "str"], out
    assert _literal(out[0]) and _literal(out[1])
    assert branca.element.Template is originals[0] and Element.render is originals[1]


def test_many_threads_rendering_at_once(originals):
    """Four threads, each rendering maps 12 times through every way a page is rendered (render_html, folium's
    render() of the page, save() to a file object, the notebook's display): the payload literal every time,
    branca as it was afterwards."""
    maps = [make_map(_layers(k), title=TITLE) for k in range(4)]

    def saved(m: Any) -> str:
        buf = io.BytesIO()
        m.save(buf, close_file=False)
        return buf.getvalue().decode("utf-8")

    ways = [render_html, lambda m: m.get_root().render(), saved, notebook_html]
    bad: list[str] = []
    start = threading.Barrier(4)

    def run(k: int) -> None:
        start.wait()
        for i in range(12):
            way = ways[(k + i) % len(ways)]
            try:
                html = way(maps[k])
            except Exception as exc:  # noqa: BLE001 - reported below
                bad.append(f"thread {k}, render {i}: {exc!r}")
                continue
            if way is notebook_html:
                html = html.replace("&quot;", '"').replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
            if not _literal(html):
                bad.append(f"thread {k}, render {i}: the payload compiled")

    threads = [threading.Thread(target=run, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not any(t.is_alive() for t in threads)
    assert bad == []
    assert branca.element.Template is originals[0] and Element.render is originals[1]


def test_a_failed_render_puts_branca_back_and_lets_the_next_one_run(originals, monkeypatch):
    m = make_map(_layers(3), title=TITLE)
    render = interactive._Js.render

    def broken(self: Any, **kwargs: Any) -> Any:
        raise RuntimeError("broken script")

    monkeypatch.setattr(interactive._Js, "render", broken)
    with pytest.raises(RuntimeError, match="broken script"):
        render_html(m)
    assert branca.element.Template is originals[0] and Element.render is originals[1]
    monkeypatch.setattr(interactive._Js, "render", render)
    out: list[str] = []
    t = threading.Thread(target=lambda: out.append(render_html(m)))  # another thread: the lock was let go
    t.start()
    t.join(30)
    assert not t.is_alive() and _literal(out[0])
    assert branca.element.Template is originals[0] and Element.render is originals[1]
