"""Write notebooks/quickstart.ipynb (kept as code so reviews see a plain diff). Run: python notebooks/make_quickstart.py"""

from __future__ import annotations

from pathlib import Path

import nbformat as nbf

cells = [
    nbf.v4.new_markdown_cell(
        "# Yuanluo quickstart: load → graph → delineate → check → map\n\n"
        "The bundled real sample is an Andorran mountain parish (© OpenStreetMap contributors, ODbL; SRTM DEM). "
        "Everything below uses the public API of `gis`, `planners` and `maps`, and runs offline."
    ),
    nbf.v4.new_code_cell(
        "import tempfile\n"
        "from pathlib import Path\n\n"
        "import geopandas as gpd\n\n"
        "from yuanluo.gis.check import check_plan\n"
        "from yuanluo.gis.cluster import UnitDelineator\n"
        "from yuanluo.gis.graph import components_report\n"
        "from yuanluo.gis.io import read_households, read_layer\n"
        "from yuanluo.gis.neighbours import build_graph\n"
        "from yuanluo.gis.terrain import read_dem\n"
        "from yuanluo.gis.units import meeting_points, unit_territories\n"
        "from yuanluo.maps.interactive import save_map\n"
        "from yuanluo.planners.presets import preset\n"
        "from yuanluo.planners.workflows import sample_paths, split_layer\n\n"
        "paths = {k: split_layer(v) for k, v in sample_paths().items()}\n"
        "out = Path(tempfile.mkdtemp())"
    ),
    nbf.v4.new_markdown_cell("## 1. Load and validate the households (reprojected to a metric working CRS)"),
    nbf.v4.new_code_cell(
        "hh_path, hh_layer = paths['households']\n"
        "households, report = read_households(hh_path, layer=hh_layer)\n"
        "print(len(households), 'households; working CRS', households.crs.to_string())\n"
        "[p.code for p in report.warnings]"
    ),
    nbf.v4.new_markdown_cell("## 2. Terrain-aware neighbour graph: walking time over the DEM, rivers crossed only at bridges"),
    nbf.v4.new_code_cell(
        "crs = households.crs\n"
        "terrain = read_dem(paths['dem'][0], working_crs=crs, households=households)\n"
        "layers = {k: read_layer(p, kind=k, working_crs=crs, layer=lyr) for k, (p, lyr) in paths.items()\n"
        "          if k in ('rivers', 'water', 'roads', 'boundary')}\n"
        "graph = build_graph(households, terrain=terrain, rivers=layers['rivers'], water=layers['water'],\n"
        "                    roads=layers['roads'])\n"
        "print(graph.n, 'nodes,', graph.m, 'edges; cut:', graph.meta.get('cut_counts'))\n"
        "components_report(graph).head()"
    ),
    nbf.v4.new_markdown_cell("## 3. Delineate under the Banan rule (20–50 households per unit)"),
    nbf.v4.new_code_cell(
        "rules = preset('banan')\n"
        "model = UnitDelineator.from_rules(rules, random_state=0).fit(households, graph)\n"
        "model.units_[['unit_id', 'n_households', 'status', 'reason', 'mean_walk_min']].head(10)"
    ),
    nbf.v4.new_code_cell(
        "ok = model.units_[model.units_.status == 'ok']\n"
        "assert ok.n_households.between(rules.min_size, rules.max_size).all()\n"
        "assert model.labels_.index.equals(households.index)\n"
        "print(len(model.units_), 'units,', int((model.units_.status != 'ok').sum()), 'exceptions')"
    ),
    nbf.v4.new_markdown_cell("## 4. Check the plan as a town official would"),
    nbf.v4.new_code_cell(
        "result = check_plan(households, model.labels_, rules, graph=graph)\n"
        "assert result.passed\n"
        "result.violations[['code', 'unit_id', 'severity']]"
    ),
    nbf.v4.new_markdown_cell("## 5. An offline HTML map"),
    nbf.v4.new_code_cell(
        "hh = households.assign(unit_id=model.labels_, unit_status=model.status_)\n"
        "units = model.units_.merge(unit_territories(households, model.labels_), on='unit_id')\n"
        "units = gpd.GeoDataFrame(units, geometry='geometry', crs=crs)\n"
        "meet = meeting_points(households, model.labels_, model.units_.set_index('unit_id')['meeting_hid'])\n"
        "html = save_map({'households': hh, 'units': units, 'meeting_points': meet, **layers}, out / 'map.html',\n"
        "                hillshade=terrain, credit='© OpenStreetMap contributors')\n"
        "print(html, html.stat().st_size // 1024, 'KB')"
    ),
]
nb = nbf.v4.new_notebook(cells=cells, metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                              "language": "python"}})
Path(__file__).with_name("quickstart.ipynb").write_text(nbf.writes(nb), encoding="utf-8")
