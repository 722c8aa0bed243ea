"""Yuanluo (院落): courtyard-unit delineation, checking, services and maps for rural China.

The three parts install under this one namespace:

- :mod:`yuanluo.gis` — the geospatial core (load, validate, terrain, graph, delineate, check, repair);
- :mod:`yuanluo.planners` — rule presets, workflows, reports and the ``yuanluo`` command line;
- :mod:`yuanluo.maps` — offline interactive maps and print maps.

The public API is re-exported here and imported on first use, so ``import yuanluo`` stays cheap.

Examples
--------
>>> import yuanluo
>>> yuanluo.UnitDelineator(min_size=20, max_size=50).get_params()["max_size"]
50
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

#: public name -> module that defines it
_EXPORTS: dict[str, str] = {
    "read_households": "yuanluo.gis.io",
    "read_layer": "yuanluo.gis.io",
    "LoadReport": "yuanluo.gis.io",
    "read_dem": "yuanluo.gis.terrain",
    "Terrain": "yuanluo.gis.terrain",
    "build_graph": "yuanluo.gis.neighbours",
    "TerrainGraph": "yuanluo.gis.graph",
    "Rules": "yuanluo.gis.rules",
    "UnitDelineator": "yuanluo.gis.cluster",
    "check_plan": "yuanluo.gis.check",
    "CheckResult": "yuanluo.gis.check",
    "repair_plan": "yuanluo.gis.repair",
    "RepairResult": "yuanluo.gis.repair",
    "make_village": "yuanluo.gis.synth",
    "YuanluoError": "yuanluo.gis.errors",
    "InputError": "yuanluo.gis.errors",
    "InvariantError": "yuanluo.gis.errors",
    "preset": "yuanluo.planners.presets",
    "save_map": "yuanluo.maps.interactive",
    "make_map": "yuanluo.maps.interactive",
    "print_map": "yuanluo.maps.static",
}

__all__ = [
    "CheckResult",
    "InputError",
    "InvariantError",
    "LoadReport",
    "RepairResult",
    "Rules",
    "Terrain",
    "TerrainGraph",
    "UnitDelineator",
    "YuanluoError",
    "build_graph",
    "check_plan",
    "make_map",
    "make_village",
    "preset",
    "print_map",
    "read_dem",
    "read_households",
    "read_layer",
    "repair_plan",
    "save_map",
    "__version__",
]

if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from yuanluo.gis.check import CheckResult, check_plan
    from yuanluo.gis.cluster import UnitDelineator
    from yuanluo.gis.errors import InputError, InvariantError, YuanluoError
    from yuanluo.gis.graph import TerrainGraph
    from yuanluo.gis.io import LoadReport, read_households, read_layer
    from yuanluo.gis.neighbours import build_graph
    from yuanluo.gis.repair import RepairResult, repair_plan
    from yuanluo.gis.rules import Rules
    from yuanluo.gis.synth import make_village
    from yuanluo.gis.terrain import Terrain, read_dem
    from yuanluo.maps.interactive import make_map, save_map
    from yuanluo.maps.static import print_map
    from yuanluo.planners.presets import preset


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'yuanluo' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
