"""Charts for the notebooks: every function returns a matplotlib Figure and never calls show().

One palette and one font for all charts; the agency under review is always drawn in PALETTE["agency"].
Modules by subject: ``charts.scores`` (results), ``charts.plan`` (plan progress).
"""

from __future__ import annotations

import matplotlib
from matplotlib.figure import Figure

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


def finish(figure: Figure) -> Figure:
    """The common look: no top/right spines, the Vietnamese-capable font on ticks, a tight layout."""
    for axes in figure.axes:
        axes.spines[["top", "right"]].set_visible(False)
        for label in axes.get_xticklabels() + axes.get_yticklabels():
            label.set_fontfamily(FONT)
    figure.tight_layout()
    return figure
