"""The per-unit sheets' household list shows the columns asked for with ``--fields`` (session 34, audit #4).

``yuanluo map … --per-unit pu.pdf --fields 姓名,persons --include-personal`` said 已写出 but the list kept to its
fixed columns (LIST_COLUMNS). It now adds up to MAX_EXTRA of the asked columns, by the maps' allow-list: a
personal one only with ``include_personal`` (else named as left out, as before); a long cell cut with "…"; the
asked columns beyond MAX_EXTRA are named in the list's title.
"""

from __future__ import annotations

from typing import Any

import pytest
from shared_fixtures import sheet_figures

from yuanluo.gis.catalogue import text
from yuanluo.maps import static_units as SU
from yuanluo.maps.sample import sample_layers


def _texts(monkeypatch: pytest.MonkeyPatch, lyr: dict[str, Any], lang: str, **kw: Any) -> list[str]:
    return [t.get_text() for f in sheet_figures(monkeypatch, lyr, lang, 40, **kw) for t in f.texts]


def _layers() -> dict[str, Any]:
    lyr = sample_layers(60, block=4)
    hh = lyr["households"]
    hh["户主姓名"] = [f"张{i}" + ("很长的名字" * 8 if i == 0 else "") for i in range(len(hh))]
    hh["房屋结构"] = "砖混"
    hh["备注"] = "无"
    return lyr


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_asked_fields_are_listed(monkeypatch: pytest.MonkeyPatch, lang: str) -> None:
    texts = _texts(monkeypatch, _layers(), lang, fields=["户主姓名", "房屋结构"], include_personal=True)
    assert "户主姓名" in texts and "房屋结构" in texts, texts
    body = next(t for t in texts if t.startswith("张"))
    assert "张1" in body.split("\n") and "砖混" in next(t for t in texts if t.startswith("砖混"))
    assert not any(text("print.list_left_out", lang, columns="").strip() in t for t in texts)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_personal_field_needs_include_personal(monkeypatch: pytest.MonkeyPatch, lang: str) -> None:
    texts = _texts(monkeypatch, _layers(), lang, fields=["户主姓名", "房屋结构"])
    assert "户主姓名" not in texts and "房屋结构" in texts
    assert not any("张1" in t.split("\n") for t in texts)
    head = next(t for t in texts if t.startswith(text("print.household_list", lang, n=0).split("0")[0]))
    assert "户主姓名" in head  # named as left out as personal data


def test_long_cells_cut_and_fields_beyond_the_most_named(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = _texts(monkeypatch, _layers(), "zh", fields=["户主姓名", "房屋结构", "备注"], include_personal=True)
    body = next(t for t in texts if t.startswith("张"))
    assert body.split("\n")[0].endswith("…") and len(body.split("\n")[0]) < 30
    head = next(t for t in texts if t.startswith(text("print.household_list", "zh", n=0).split("0")[0]))
    assert text("print.list_not_shown", "zh", n=SU.MAX_EXTRA, columns="备注") in head
    assert "备注" not in texts
