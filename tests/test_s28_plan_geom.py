"""Unit polygons given from Python with a feature that has no shape (audit X §5, the Python side): GEOM-EMPTY
naming its row, not GEOM-TYPE 'None' with the household file's fixes."""
import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point, box

from yuanluo.gis.errors import InputError
from yuanluo.gis.plan import assign_by_unit_polygons


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_unit_polygon_without_shape_from_python(lang):
    hh = gpd.GeoDataFrame(geometry=[Point(1, 1), Point(5, 5)], crs="EPSG:32631",
                          index=pd.Index(["a", "b"], name="hid"))
    units = gpd.GeoDataFrame({"uid": ["U1", "U2", "U3"]}, geometry=[box(0, 0, 3, 3), None, box(4, 4, 6, 6)],
                             crs="EPSG:32631")
    with pytest.raises(InputError) as e:
        assign_by_unit_polygons(hh, units, "uid")
    (q,) = e.value.problems
    assert q.code == "GEOM-EMPTY" and q.rows == (2,)
    msg = q.message(lang)
    assert "None" not in msg and "centroids" not in msg
