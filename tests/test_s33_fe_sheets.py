"""The per-unit sheets' household list measures a very long cell a few dozen times, whatever its length.

``static_units._fit`` (shrink a column's cells, then cut them) was left behind, used by a test only, when the list
began wrapping a too-long cell over lines at the list's own size (0d81a3e: the shrinking left an id column at
7.2 pt and still cut): it is gone, and the property its test guarded (thousands of characters measured in few
calls, not one character at a time) is held here of the code the sheets run, :func:`_table`."""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from yuanluo.maps import static_units


def test_a_column_of_very_long_names_is_wrapped_in_few_measurements(monkeypatch) -> None:
    fig = Figure(figsize=(210 / 25.4, 297 / 25.4), dpi=40)
    renderer = static_units._renderer(fig)
    calls = [0]
    measure = renderer.get_text_width_height_descent

    def counted(*a, **kw):
        calls[0] += 1
        return measure(*a, **kw)

    monkeypatch.setattr(renderer, "get_text_width_height_descent", counted)
    monkeypatch.setattr(static_units, "_renderer", lambda f: renderer)
    long_name = "S0004 " + "L" * 4000
    rows = pd.DataFrame({"hid": [f"H{i:03d}" for i in range(26)], "settlement": [long_name] * 25 + ["S1"]})
    drawn = static_units._table(fig, rows, "zh", top=0.5)
    assert drawn >= 1 and calls[0] < 1000, calls[0]  # one character at a time: over 4000
    body = [t.get_text() for t in fig.texts if t.get_text().startswith("S0004")][0].split("\n")
    lines = body[:static_units.CELL_LINES]
    assert lines[0].startswith("S0004 L") and lines[-1].endswith("…") and all(len(x) < 200 for x in lines)
    assert "".join(x.rstrip("…") for x in lines) == long_name[:sum(len(x.rstrip("…")) for x in lines)]
