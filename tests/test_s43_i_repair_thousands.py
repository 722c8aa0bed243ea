"""repair's notes and reasons in English group the thousands, as check's findings do (session 43, helper I):
'new unit U9 (1,187 households)', Chinese '新建院落 U9（1187 户）'; a count of one stays singular."""

from __future__ import annotations

from yuanluo.gis.repair import _render


def test_repair_notes_group_thousands_in_english_only() -> None:
    p = {"unit": "U9", "count": 1187, "sources": "x"}
    assert _render("repair.note.new_unit", p, "en").startswith("new unit U9 (1,187 households)")
    assert _render("repair.note.new_unit", p, "zh").startswith("新建院落 U9（1187 户）")
    assert _render("repair.note.from", {"unit": "U1", "count": 1}, "en") == "1 household from U1"
    assert _render("repair.note.from", {"unit": "U1", "count": 999}, "en") == "999 households from U1"
