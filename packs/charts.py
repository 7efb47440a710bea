"""SPC charts for packs: the dashboard's altair chart, drawn offline by vl-convert.

vl-convert runs Vega-Lite in its own embedded JavaScript engine and bundles its fonts, so no
network and no browser are needed. The packs' font (Liberation Sans, committed in
``packs/fonts``) is registered with it so that charts and text match.
"""

from __future__ import annotations

import functools
from pathlib import Path

import altair as alt
import vl_convert as vlc

from metrics import ALL_DISTRICTS
from packs.content import KpiPage, Pack
from presentation.spc_chart import spc_chart

FONTS = Path(__file__).parent / "fonts"
FONT_FAMILY = "Liberation Sans"
# Drawing size in CSS pixels; a PDF point is a pixel here, so the PDF scales it to its frame.
WIDTH, HEIGHT = 470, 165


@functools.cache
def _setup() -> str | None:
    """Register the pack font once; the Vega-Lite version matching altair's schema."""
    vlc.register_font_directory(str(FONTS.resolve()))
    major, minor = alt.SCHEMA_VERSION.lstrip("v").split(".")[:2]
    version = f"{major}.{minor}"
    return version if version in vlc.get_vegalite_versions() else None


def chart_spec(page: KpiPage, pack: Pack, height: int = HEIGHT) -> dict:
    """The Vega-Lite spec of a page's SPC chart, in the pack's font, with no title of its own."""
    chart = spc_chart(
        page.chart,
        page.metric,
        pack.grain,
        district=None if pack.district == ALL_DISTRICTS else pack.district,
        width=WIDTH,
        height=height,
        title="",
    )
    # Validated against the schema in the tests; skipping it here saves a second per pack.
    spec = chart.to_dict(validate=False)
    spec["config"] = {"font": FONT_FAMILY, "view": {"stroke": None}}
    return spec


def chart_pdf(spec: dict) -> bytes:
    """The chart as a one-page vector PDF with its fonts embedded."""
    return vlc.vegalite_to_pdf(spec, vl_version=_setup(), allowed_base_urls=[])


def chart_png(spec: dict, scale: float = 2.5) -> bytes:
    """The chart as a PNG (for PowerPoint, which takes no PDF or, portably, no SVG)."""
    return vlc.vegalite_to_png(spec, vl_version=_setup(), scale=scale, allowed_base_urls=[])
