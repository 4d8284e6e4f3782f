"""Charts for the notebooks: every function returns a :class:`Chart`, a matplotlib figure with a Vietnamese
description of what it shows.

A notebook cell that ends with a chart displays it: a PNG drawn at twice its display size (sharp on phones and on
paper) whose metadata carries the description as ``alt`` (the offline page's template writes it as ``<img alt>``)
and the display size. Figures are made without pyplot, so nothing is displayed twice and nothing is left open.

Sized for a phone: a chart is :data:`WIDTH` inches wide and shown at :data:`DPI` CSS px per inch where there is
room (about 530 px). On a 390 px phone it shrinks to about 370 px, so text of :data:`SMALL` points (the smallest
any chart uses) is still over 9 CSS px there; tests/test_layout.py measures it in the browser.

One palette and one font for all charts; the agency under review is always drawn in PALETTE["agency"].
Modules by subject: ``charts.scores`` (results), ``charts.plan`` (plan progress).
"""

from __future__ import annotations

import base64
import io
import struct
from dataclasses import dataclass
from typing import Any

import matplotlib
from matplotlib.figure import Figure

__all__ = [
    "Chart",
    "DENSITY",
    "DPI",
    "FONT",
    "PALETTE",
    "SMALL",
    "TEXT",
    "TITLE",
    "WIDTH",
    "finish",
    "legend_below",
    "new_figure",
    "title",
]

# Names come from the data: "$…$" in an agency or criterion name must be drawn as text, never parsed as mathtext.
matplotlib.rcParams["text.parse_math"] = False

PALETTE = {
    "agency": "#b3261e",
    "peer": "#9aa5b1",
    "max": "#e4e7eb",
    "target": "#1f6f43",
    "text": "#1f2933",
    "done": "#1f6f43",
    "done_late": "#9cc17a",
    "blocked": "#7b3fa0",
    "not_applicable": "#f5f7fa",
    "on_track": "#5a9e6f",
    "behind": "#e0a526",
    "at_risk": "#d4652f",
    "overdue": "#b3261e",
    "not_started": "#9aa5b1",
    "not_due": "#e4e7eb",
    "missing": "#52606d",
}
# Matplotlib's bundled DejaVu Sans renders Vietnamese; families are passed as a list (matplotlib 3.11).
FONT = ["DejaVu Sans", "sans-serif"]

#: Width of every chart in inches; narrow enough that text stays legible on a phone.
WIDTH = 4.8
#: CSS px per inch of figure where the page has room for the chart's full size.
DPI = 110
#: PNG pixels per CSS px (2: sharp on phone screens and in the A4 PDF).
DENSITY = 2
#: Font sizes in points: titles, ticks and axis labels, value labels and legends (the smallest used).
TITLE = 11
TEXT = 10
SMALL = 9


@dataclass(frozen=True)
class Chart:
    """A figure and what it shows in words (Vietnamese), displayed as a PNG with that ``alt`` text."""

    figure: Figure
    alt: str

    def png(self) -> tuple[bytes, int, int]:
        """The PNG (at :data:`DENSITY` times the display size) and its display width and height in CSS px."""
        buffer = io.BytesIO()
        self.figure.savefig(
            buffer, format="png", dpi=DPI * DENSITY, bbox_inches="tight", pad_inches=0.06, facecolor="white"
        )
        data = buffer.getvalue()
        width, height = struct.unpack(">II", data[16:24])  # the IHDR chunk
        return data, round(width / DENSITY), round(height / DENSITY)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> tuple[dict, dict]:
        data, width, height = self.png()
        bundle = {"image/png": base64.b64encode(data).decode("ascii"), "text/plain": self.alt}
        return bundle, {"image/png": {"alt": self.alt, "width": width, "height": height}}


def new_figure(height: float) -> tuple[Figure, Any]:
    """A figure :data:`WIDTH` inches wide with one axes, laid out by matplotlib's constrained layout."""
    figure = Figure(figsize=(WIDTH, height), dpi=DPI, layout="constrained")
    return figure, figure.subplots()


def title(axes, text: str) -> None:
    """The chart's title, flush with the figure's left edge (a title over the axes alone would run off the right
    edge of a narrow figure whose tick labels are long)."""
    axes.figure.suptitle(text, x=0.01, ha="left", fontfamily=FONT, fontsize=TITLE)


def legend_below(figure: Figure, handles=None, labels=None, ncols: int = 3) -> None:
    """The legend under the plot, where it covers nothing."""
    if handles is None:
        handles, labels = figure.axes[0].get_legend_handles_labels()
    figure.legend(
        handles,
        labels,
        loc="outside lower left",
        ncols=ncols,
        frameon=False,
        prop={"family": FONT, "size": SMALL},
        handlelength=1.4,
        columnspacing=1.0,
    )


def finish(figure: Figure, alt: str) -> Chart:
    """The common look (no top/right spines, the Vietnamese-capable font on ticks) and the description."""
    for axes in figure.axes:
        axes.spines[["top", "right"]].set_visible(False)
        for label in axes.get_xticklabels() + axes.get_yticklabels():
            label.set_fontfamily(FONT)
    return Chart(figure, alt)
