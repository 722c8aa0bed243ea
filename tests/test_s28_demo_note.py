"""``yuanluo demo``'s note of the rules it could not apply told the user to name a candidate-head column with
``--head-col``, an option ``demo`` does not have (the sample has no such column); it now says the sample has none
and where ``--head-col`` is (``yuanluo delineate`` on the user's own household file)."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from yuanluo.gis.catalogue import text
from yuanluo.planners.cli import app


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_demo_note_names_no_option_demo_lacks(tmp_path, lang):
    res = CliRunner().invoke(app, ["demo", "-o", str(tmp_path / "d"), "--lang", lang])
    assert res.exit_code == 0, res.output
    shown = " ".join(res.output.split())
    assert text("cli.unapplied.head", lang) not in shown
    assert " ".join(text("cli.unapplied.head_sample", lang).split()) in shown, shown
    assert "--head-col" not in CliRunner().invoke(app, ["demo", "--help"]).output
