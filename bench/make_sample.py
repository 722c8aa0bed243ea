"""Rebuild the bundled real sample planners/sample/ from /work/shared/data/andorra (deterministic).

Usage: python bench/make_sample.py [--src DIR] [--out DIR] [--parish Ordino]

Households are proxied from OpenStreetMap buildings of one parish (rule in planners/sample/SOURCE.md):
- kept: building = house, detached, semidetached_house, terrace, bungalow, farm, apartments, residential,
  or yes (untagged), of at least 40 m²;
- dropped: every other building tag (hotel, shed, barn, church, chapel, school, commercial, ...), and
  buildings whose name marks them as non-residential (hotel, refugi, cabana, borda, church, museum, centre,
  comú, school, hall, sawmill), except that a borda with a residential building tag is kept;
- households per building: 1 for 40–400 m²; for apartments/residential tags or names "Edifici …" /
  "… Bloc …", and for any building over 400 m²: round(area × levels / 200) clipped to 2–60 when the number of
  levels is known (3 assumed for apartment tags and names), else round(area / 300) clipped to 2–4.
  The households of one building share its point (co-located).
"""

from __future__ import annotations

import argparse
import os
import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import rasterio
import rasterio.mask

from yuanluo.gis.output import write_layers

UTM = "EPSG:32631"
BUFFER_M = 500.0
RESIDENTIAL = {"house", "detached", "semidetached_house", "terrace", "bungalow", "farm", "apartments",
               "residential", "yes"}
MULTI_TAGS = {"apartments", "residential"}
NON_RES_NAME = re.compile(
    r"hotel|refugi|cabana|cabane|\bbordes?\b|esgl[eé]sia|\bsant[a]?\b|museu|\bcentre\b|com[uú]\b|escola|"
    r"\bsala\b|aserradero|congress",
    re.IGNORECASE,
)
BLOCK_NAME = re.compile(r"^(?:edifici|ed\.)\s|\bbloc\b", re.IGNORECASE)


def households_per_building(b: pd.DataFrame) -> np.ndarray:
    """Number of households (0 = not residential) for each building row (see the module docstring)."""
    tag = b["building"].fillna("yes").astype(str).to_numpy()
    name = b["name"].fillna("").astype(str)
    area = b["area_m2"].to_numpy(dtype=float)
    levels = pd.to_numeric(b["levels"], errors="coerce").to_numpy(dtype=float)
    res_tag = np.isin(tag, sorted(RESIDENTIAL))
    bad_name = name.str.contains(NON_RES_NAME).to_numpy()
    borda_ok = name.str.contains(r"\bbordes?\b", case=False).to_numpy() & np.isin(tag, sorted(RESIDENTIAL - {"yes"}))
    keep = res_tag & (~bad_name | borda_ok) & (area >= 40)
    multi = np.isin(tag, sorted(MULTI_TAGS)) | name.str.contains(BLOCK_NAME).to_numpy()
    lv = np.where(np.isnan(levels) & multi, 3.0, levels)
    big = multi | (area > 400)
    n_levels = np.clip(np.round(area * lv / 200.0), 2, 60)
    n_area = np.clip(np.round(area / 300.0), 2, 4)
    n = np.where(big, np.where(np.isnan(lv), n_area, n_levels), 1.0)
    return np.where(keep, n, 0).astype(np.int64)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--src", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data" / "andorra")
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[1] / "planners" / "sample")
    ap.add_argument("--parish", default="Ordino")
    args = ap.parse_args(argv)
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1737244800")  # 2025-01-19, the OSM extract's date
    gpkg = args.src / "andorra.gpkg"
    parishes = gpd.read_file(gpkg, layer="parishes")
    parish = parishes[parishes["name"] == args.parish].to_crs(UTM)
    if len(parish) != 1:
        raise SystemExit(f"parish {args.parish!r} not found; have {sorted(parishes['name'])}")
    area = parish.geometry.iloc[0]
    clip_utm = area.buffer(BUFFER_M)
    clip_ll = gpd.GeoSeries([clip_utm], crs=UTM).to_crs("EPSG:4326").iloc[0]

    def layer(name: str) -> gpd.GeoDataFrame:
        g = gpd.read_file(gpkg, layer=name, bbox=clip_ll.bounds)
        g = g[g.intersects(clip_ll)]
        return g.sort_values("osm_id", kind="stable").reset_index(drop=True)

    # households: buildings inside the parish itself
    b = gpd.read_file(gpkg, layer="building_points", bbox=clip_ll.bounds).to_crs(UTM)
    b = b[b.within(area)].sort_values("osm_id", kind="stable").reset_index(drop=True)
    n = households_per_building(b)
    rep = np.repeat(np.arange(len(b)), n)
    k = np.concatenate([np.arange(1, m + 1) for m in n[n > 0]]) if n.sum() else np.zeros(0, dtype=int)
    hh = b.iloc[rep].reset_index(drop=True)
    hh = gpd.GeoDataFrame(
        {
            "hid": pd.array([f"AD{i + 1:04d}" for i in range(len(hh))], dtype="str"),
            "osm_id": hh["osm_id"].to_numpy(),
            "building": pd.array(hh["building"].fillna("yes").astype(str), dtype="str"),
            "area_m2": hh["area_m2"].to_numpy(dtype=float),
            "levels": pd.array(pd.to_numeric(hh["levels"], errors="coerce").round(), dtype="Int64"),
            "household_in_building": pd.array(k, dtype="Int64"),
            "households_in_building": pd.array(n[rep], dtype="Int64"),
        },
        geometry=hh.geometry.values,
        crs=UTM,
    ).to_crs("EPSG:4326")

    boundary = parish.to_crs("EPSG:4326")[["osm_id", "name", "admin_level", "geometry"]].reset_index(drop=True)
    clip_gs = gpd.GeoDataFrame(geometry=[clip_ll], crs="EPSG:4326")
    layers = {
        "households": hh,
        "rivers": gpd.clip(layer("waterways"), clip_gs).reset_index(drop=True),
        "water": gpd.clip(layer("water"), clip_gs).reset_index(drop=True),
        "roads": gpd.clip(layer("roads"), clip_gs).reset_index(drop=True),
        "boundary": boundary,
        "places": layer("places"),
    }
    args.out.mkdir(parents=True, exist_ok=True)
    out = args.out / f"andorra_{args.parish.lower()}.gpkg"
    write_layers(out, layers, overwrite=True)

    with rasterio.open(args.src / "dem_30m_utm31n.tif") as src:
        data, transform = rasterio.mask.mask(src, [clip_utm.envelope], crop=True, filled=True)
        profile = src.profile.copy()
    profile.update(height=data.shape[1], width=data.shape[2], transform=transform, compress="deflate",
                   predictor=3, tiled=True, blockxsize=256, blockysize=256)
    tmp = args.out / ".dem.tmp.tif"
    with rasterio.open(tmp, "w", **profile) as dst:
        dst.write(data)
    os.replace(tmp, args.out / "dem.tif")
    counts = {name: len(g) for name, g in layers.items()}
    print(f"{out.name}: {counts}; buildings kept {(n > 0).sum()} of {len(b)}; "
          f"dem {data.shape[1]}x{data.shape[2]}")


if __name__ == "__main__":
    main()
