"""The page stops say what the column is and what the page would show (session 33 leftovers of e13d50b, f0716ee).

A service point's name holding a phone number was said as “hubs.name”列的编号是手机号码 (names are no ids), and
household ids that are householder names were to be shown as 这些号码 (numbers).
"""

from __future__ import annotations

from typing import Any

import pytest

from yuanluo.gis.errors import InputError
from yuanluo.gis.personal import require_page_ids

PHONE = "13812345670"


def _stop(ids: list[str], **kw: Any) -> InputError:
    with pytest.raises(InputError) as exc:
        require_page_ids(ids, include_personal=False, **kw)
    return exc.value


def test_a_service_point_name_is_said_as_a_name() -> None:
    p = _stop(["H1"], page="cover_report", also={"hubs.name": [f"张三家 {PHONE}"]}).problems[0]
    assert p.code == "ID-PERSONAL-PAGE-IDS"
    zh, en = p.title("zh"), p.title("en")
    assert "服务点名称" in zh and "手机号码" in zh and "编号是" not in zh, zh
    assert "service point names" in en and "mobile phone numbers" in en and "ids in" not in en, en
    assert "院落编号如 U1" in p.fix("zh") and "单元编号" not in p.fix("zh")


def test_unit_ids_are_said_as_unit_ids() -> None:
    p = _stop(["H1"], page="check_report", file="hh.csv", also={"unit": [PHONE]}).problems[0]
    assert "（院落编号）中有手机号码" in p.title("zh"), p.title("zh")
    assert "(unit ids) holds mobile phone numbers" in p.title("en"), p.title("en")
    for lang in ("zh", "en"):  # the file named once (it was 文件 hh.csv：文件 hh.csv 中“unit”列…)
        assert p.headline(lang).count("hh.csv") == 1, p.headline(lang)
    assert p.headline("zh").startswith("文件 hh.csv：“unit”列（院落编号）"), p.headline("zh")
    assert p.headline("en").startswith("file hh.csv: the column 'unit' (unit ids)"), p.headline("en")


@pytest.mark.parametrize("python", [True, False])
def test_names_as_household_ids_are_not_called_numbers(python: bool) -> None:
    from dataclasses import replace

    p = replace(_stop(["张三", "李四"], page="map", column="户主姓名").problems[0], python=python)
    assert p.code == "ID-PERSONAL-PAGE" and p.params["kind"] == "name"
    assert "显示这些住户编号" in p.fix("zh") and "号码" not in p.fix("zh"), p.fix("zh")
    assert "show these household ids" in p.fix("en") and "numbers" not in p.fix("en"), p.fix("en")
