"""edit --lang en said "Wrote e.html (…)" where every other command says "Written: …" (session 53, helper U); the
Chinese said 已写出 in both. One word for one thing."""

from __future__ import annotations

from yuanluo.gis.catalogue import text


def test_edit_says_written_as_every_command_does() -> None:
    said = text("cli.edit.written", "en", file="e.html", n=12, k=2, size="0.3 MB")
    assert said == "Written: e.html (12 households, 2 units, 0.3 MB).", said
    assert text("cli.written", "en", files="e.html") == "Written: e.html"
    assert text("cli.edit.written", "zh", file="e.html", n=12, k=2, size="0.3 MB").startswith(
        text("cli.written", "zh", files="e.html"))
