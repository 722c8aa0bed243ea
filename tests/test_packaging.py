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
    assert found <= listed
    # The rest are folders of data files, listed so that setuptools 77 and later install them without a warning: each
    # is a folder without __init__.py whose package-data patterns match files there.
    data = listed - found
    assert data == set(conf["package-data"]) - {"yuanluo"}
    for pkg in sorted(data):
        parent = max((n for n in mapping if pkg.startswith(n + ".")), key=len)
        folder = ROOT / mapping[parent] / Path(*pkg[len(parent) + 1 :].split("."))
        assert not (folder / "__init__.py").exists(), pkg
        matched = [f for pat in conf["package-data"][pkg] for f in folder.glob(pat) if f.is_file()]
        assert matched, pkg


def test_every_data_file_is_installed() -> None:
    """Each file in git under gis/, planners/ and maps/ that is not a module matches a package-data pattern."""
    conf = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    mapping = conf["package-dir"]
    covered: set[Path] = set()
    for pkg, patterns in conf["package-data"].items():
        parent = max((n for n in mapping if pkg == n or pkg.startswith(n + ".")), key=len)
        folder = ROOT / mapping[parent] / Path(*pkg[len(parent) + 1 :].split(".") if pkg != parent else ())
        covered |= {f for pat in patterns for f in folder.glob(pat) if f.is_file()}
    tracked = subprocess.run(
        ["git", "ls-files", "gis", "planners", "maps"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    data = {ROOT / f for f in tracked if not f.endswith(".py")}
    assert sorted(map(str, data - covered)) == []
