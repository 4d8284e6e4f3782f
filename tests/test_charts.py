"""Every chart, drawn from the embedded data: legible type, no label on top of another label or a line, and a
display bundle that carries its Vietnamese description as ``alt`` with a sharp PNG.

The browser half of "legible on a phone" (how wide the page shows a chart at 390 px) is in tests/test_layout.py.
"""

from __future__ import annotations

import base64
import io
import itertools

import numpy as np
import pytest
from conftest import DATA
from matplotlib.text import Text
from PIL import Image

from cchc_analysis.present import context, progress_review
from cchc_analysis.present.charts import DENSITY, SMALL, Chart
from cchc_analysis.present.charts import plan as plan_charts
from cchc_analysis.present.charts import scores as score_charts

SCORE_CHARTS = ["field_points", "peer_ranking", "loss_pareto", "history", "change_waterfall", "share_heatmap"]
PLAN_CHARTS = ["status_by_unit", "status_by_field", "deadline_timeline"]


@pytest.fixture(scope="module")
def ctx():
    return context.context(agency="ban-dan-toc", year=2022, data_dir=str(DATA))


@pytest.fixture(scope="module", params=["2023-Q2", "2023-Q4"])
def picture(request):
    pctx = progress_review.context(period=request.param, agency="ban-dan-toc", data_dir=str(DATA))
    return progress_review.review(pctx).picture


@pytest.fixture(scope="module")
def charts(ctx, picture) -> dict[str, Chart]:
    made = {name: getattr(score_charts, name)(ctx) for name in SCORE_CHARTS}
    made |= {name: getattr(plan_charts, name)(picture) for name in PLAN_CHARTS}
    return made


def _drawn(chart: Chart):
    canvas = chart.figure.canvas
    chart.figure.draw_without_rendering()
    return canvas.get_renderer() if hasattr(canvas, "get_renderer") else chart.figure._get_renderer()


def _undrawn_ticks(chart: Chart) -> set[int]:
    """Tick labels matplotlib keeps but does not draw, being outside the axis' view limits."""
    hidden = set()
    for axes in chart.figure.axes:
        for axis in (axes.xaxis, axes.yaxis):
            low, high = sorted(axis.get_view_interval())
            for tick in axis.get_major_ticks() + axis.get_minor_ticks():
                if not low - 1e-9 <= tick.get_loc() <= high + 1e-9:
                    hidden |= {id(tick.label1), id(tick.label2)}
    return hidden


def _texts(chart: Chart) -> list[Text]:
    """Every piece of text the figure draws."""
    hidden = _undrawn_ticks(chart)
    return [
        t
        for t in chart.figure.findobj(Text)
        if t.get_visible() and t.get_text().strip() and id(t) not in hidden and t.get_figure(root=True) is chart.figure
    ]


def _inside_axes_labels(chart: Chart) -> list[Text]:
    """Value labels and notes drawn inside the plots (not ticks, titles or legends)."""
    return [t for axes in chart.figure.axes for t in axes.texts if t.get_visible() and t.get_text().strip()]


@pytest.mark.parametrize("name", SCORE_CHARTS + PLAN_CHARTS)
def test_no_text_is_smaller_than_the_smallest_size(charts, name):
    chart = charts[name]
    _drawn(chart)
    sizes = {t.get_text(): t.get_fontsize() for t in _texts(chart)}
    assert sizes and min(sizes.values()) >= SMALL, {k: v for k, v in sizes.items() if v < SMALL}


@pytest.mark.parametrize("name", SCORE_CHARTS + PLAN_CHARTS)
def test_no_label_overlaps_another(charts, name):
    chart = charts[name]
    renderer = _drawn(chart)
    boxes = [(t.get_text(), t.get_window_extent(renderer).padded(-1)) for t in _texts(chart)]
    overlapping = [(a, b) for (a, box_a), (b, box_b) in itertools.combinations(boxes, 2) if box_a.overlaps(box_b)]
    # A stacked bar's count sits inside its own segment; the heatmap's cells are printed inside the frame. Neither
    # is a collision; everything else is.
    assert overlapping == []


def _segments_cross(box, points: np.ndarray) -> bool:
    """Whether the polyline through ``points`` (display coordinates) passes through ``box``."""
    for (x0, y0), (x1, y1) in itertools.pairwise(points):
        for t in np.linspace(0, 1, 60):
            x, y = x0 + (x1 - x0) * t, y0 + (y1 - y0) * t
            if box.x0 < x < box.x1 and box.y0 < y < box.y1:
                return True
    return False


@pytest.mark.parametrize("name", SCORE_CHARTS + PLAN_CHARTS)
def test_no_line_runs_through_a_label(charts, name):
    """LV 7's "8,5/11" sat on the 2023 target line; the history line crossed its first label."""
    chart = charts[name]
    renderer = _drawn(chart)
    crossed = []
    for axes in chart.figure.axes:
        for line in axes.get_lines():
            points = line.get_transform().transform(line.get_path().vertices)
            for label in _inside_axes_labels(chart):
                if _segments_cross(label.get_window_extent(renderer).padded(-1), points):
                    crossed.append((line.get_label(), label.get_text()))
    assert crossed == []


@pytest.mark.parametrize("name", SCORE_CHARTS + PLAN_CHARTS)
def test_displays_as_a_sharp_png_with_its_description(charts, name):
    chart = charts[name]
    bundle, metadata = chart._repr_mimebundle_()
    image = Image.open(io.BytesIO(base64.b64decode(bundle["image/png"])))
    meta = metadata["image/png"]
    assert meta["alt"] == chart.alt == bundle["text/plain"]
    assert abs(image.width - DENSITY * meta["width"]) <= 1 and abs(image.height - DENSITY * meta["height"]) <= 1
    assert 400 <= meta["width"] <= 600  # fits a laptop's column at full size, shrinks on a phone
    assert chart.alt.startswith(("Biểu đồ", "Bản đồ nhiệt")) and len(chart.alt) > 60
    assert "No description" not in chart.alt and "Figure" not in chart.alt


def test_charts_do_not_use_pyplot_so_nothing_is_shown_twice(ctx):
    import matplotlib.pyplot as plt

    before = plt.get_fignums()
    score_charts.history(ctx)
    assert plt.get_fignums() == before
