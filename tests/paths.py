"""Where the shared development data live: ``../shared`` beside the checkout (as on CI), or $YUANLUO_SHARED."""

from __future__ import annotations

import os
from pathlib import Path

SHARED = Path(os.environ.get("YUANLUO_SHARED", Path(__file__).resolve().parents[2] / "shared"))
ANDORRA_DIR = SHARED / "data" / "andorra"
ANDORRA_GPKG = ANDORRA_DIR / "andorra.gpkg"
