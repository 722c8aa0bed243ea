"""The one import namespace: ``yuanluo.gis``, ``yuanluo.planners``, ``yuanluo.maps``; nothing top-level."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import yuanluo

ROOT = Path(__file__).resolve().parents[1]


def test_public_api_names_resolve() -> None:
    for name in yuanluo.__all__:
        assert getattr(yuanluo, name) is not None, name
    assert set(yuanluo._EXPORTS) | {"__version__"} == set(yuanluo.__all__)


def test_top_level_names_are_not_installed(tmp_path: Path) -> None:
    code = (
        "import importlib.util, sys\n"
        "bad = [m for m in ('gis', 'maps', 'planners') if importlib.util.find_spec(m) is not None]\n"
        "import yuanluo.gis, yuanluo.maps, yuanluo.planners\n"
        "from yuanluo import UnitDelineator\n"
        "from sklearn.base import clone\n"
        "clone(UnitDelineator(min_size=20, max_size=50))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_every_package_folder_is_listed() -> None:
    conf = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    mapping = conf["package-dir"]
    listed = set(conf["packages"])
    found = {"yuanluo"}
    for name, folder in mapping.items():
        if name == "yuanluo":
            continue
        for init in (ROOT / folder).rglob("__init__.py"):
            rel = init.parent.relative_to(ROOT / folder)
            found.add(".".join([name, *rel.parts]))
    assert found == listed
