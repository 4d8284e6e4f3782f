"""What the what-if notebook (04) shows: a static scenario table everywhere, and widgets in a live frontend.

Every figure comes from :func:`cchc_analysis.domain.scenarios.what_if`, the same computation as the briefing's
scenario table. The widgets (ipywidgets) exist only when the cell runs in a frontend that shows them (JupyterLab
announces the cell it runs in the request's metadata; papermill does not); the display object always carries the
static table as ``text/html``, which is what the rendered page keeps (it drops widget views and has no script).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from cchc_analysis import fmt
from cchc_analysis.domain import provenance as prov
from cchc_analysis.domain import scenarios, scoring
from cchc_analysis.present import display
from cchc_analysis.present.context import Context, context  # re-exported: the notebook calls what_if.context
from cchc_analysis.present.display import HTML, mark, sentence

__all__ = [
    "Explorer",
    "Preset",
    "build_widgets",
    "cards",
    "compute",
    "context",
    "cover",
    "explorer",
    "has_frontend",
    "presets",
    "scenario_table",
]

_TARGETS = {"points": "tổng điểm", "rank": "thứ hạng"}


@dataclass(frozen=True)
class Preset:
    """A starting point of the explorer and a row of the static table."""

    key: str
    label: str
    field_points: dict[str, float] | None = None
    won_back: tuple[str, ...] = ()
    lost_again: tuple[str, ...] = ()
    survey_share: float | None = None  # None: the base year's share
    notes: tuple[str, ...] = field(default=())


def presets(ctx: Context) -> list[Preset]:
    """The agency's last results, and the seed's scenarios: every field target met; the largest loss of the base
    year lost again; the survey five points below (each with the base year's survey share unless said)."""
    ds, agency, year = ctx.ds, ctx.agency_id, ctx.results_year
    goals = scenarios.target_points(ds, agency, year)
    repeat = scenarios.largest_loss(ds, agency, year, year + 1)
    last_share = float(scoring.agency_summary(ds, agency, year)["survey_share"])
    return [
        Preset("last", f"Giữ kết quả năm {year} (tỷ lệ điểm từng lĩnh vực và điều tra xã hội học như năm {year})"),
        Preset("targets_met", f"Mọi lĩnh vực đạt chỉ tiêu, điều tra xã hội học như năm {year}", goals),
        Preset(
            "losses_repeat",
            f"Mọi lĩnh vực đạt chỉ tiêu, trừ {', '.join(repeat)} lại bị trừ điểm như năm {year}",
            goals,
            lost_again=repeat,
        ),
        Preset(
            "survey_down",
            f"Mọi lĩnh vực đạt chỉ tiêu, điều tra xã hội học giảm "
            f"{fmt.number(100 * scenarios.SURVEY_DROP)} điểm phần trăm",
            goals,
            survey_share=max(0.0, last_share - scenarios.SURVEY_DROP),
        ),
    ]


def cover(ctx: Context) -> HTML:
    """The page's title block: whose what-if, from which results, and the markers' legend."""
    year = ctx.results_year
    return display.cover(
        kicker="Phân tích giả định · Chỉ số cải cách hành chính",
        title=ctx.agency_name,
        period=f"Nếu … thì sao? Năm {year + 1}, tính từ kết quả năm {year}",
        note=sentence(
            "Tổng điểm dự kiến là số liệu <strong>{}</strong> (theo giả định của từng kịch bản); thứ hạng được xếp so "
            "với kết quả năm {} của các cơ quan khác, giả định các cơ quan này giữ nguyên kết quả.",
            display.label(prov.DERIVED),
            year,
        ),
    )


def compute(ctx: Context, preset: Preset) -> scenarios.WhatIf:
    return scenarios.what_if(
        ctx.ds,
        ctx.agency_id,
        ctx.results_year,
        won_back=preset.won_back,
        lost_again=preset.lost_again,
        field_points=preset.field_points,
        survey_share=preset.survey_share,
    )


def _gap(w: scenarios.WhatIf, target: str) -> HTML:
    """ "Đạt (dư 3,09 điểm)" or "Thiếu 2,03 điểm" for one overall target, marked with its provenance."""
    if target == "points":
        met, margin, gap, provenance = w.meets_total, w.margin_total, w.gap_total, w.provenance
    else:
        met, margin, gap, provenance = w.meets_rank, w.margin_rank, w.gap_rank, w.rank_provenance
    if met is None or margin is None or gap is None:
        return HTML("–")
    if met:
        return sentence("Đạt (dư {} điểm)", mark(fmt.number(margin), provenance))
    return sentence("Thiếu {} điểm", mark(fmt.number(gap), provenance))


def _target_name(w: scenarios.WhatIf, target: str) -> str:
    if target == "points":
        word = {">": "trên", ">=": "từ"}.get(str(w.total_comparator), "")
        return f"Tổng điểm {word} {fmt.number(w.total_target)}".replace("  ", " ")
    return f"Tốp {w.rank_target}/{w.n_ranked}"


def _binding(w: scenarios.WhatIf) -> str:
    if w.binding is None:
        return "–"
    name = _TARGETS[w.binding]
    if w.missed:
        return f"Chỉ tiêu {name} (thiếu nhiều hơn)" if len(w.missed) == 2 else f"Chỉ tiêu {name} (chưa đạt)"
    return f"Chỉ tiêu {name} (dư ít hơn)"


def cards(ctx: Context, w: scenarios.WhatIf) -> HTML:
    """One what-if as headline cards: total, rank, the gap to each overall target and the binding one."""
    items: list[tuple[object, object, object]] = [
        (
            f"Tổng điểm dự kiến năm {w.target_year}",
            mark(fmt.points(w.index, scoring.TOTAL_MAX), w.provenance),
            f"Thẩm định {fmt.points(w.appraisal_points, w.appraisal_max)}; điều tra xã hội học "
            f"{fmt.points(w.survey_points, w.survey_max)} ({fmt.percent(w.survey_share, 2)})",
        ),
        (
            "Thứ hạng dự kiến",
            mark(fmt.rank(w.rank, w.n_ranked), w.rank_provenance),
            f"Các cơ quan khác giữ kết quả năm {w.base_year}",
        ),
    ]
    for target in ("points", "rank"):
        if (w.meets_total if target == "points" else w.meets_rank) is not None:
            items.append((f"Chỉ tiêu: {_target_name(w, target)}", _gap(w, target), ""))
    items.append(("Chỉ tiêu quyết định", _binding(w), "Chỉ tiêu có khoảng dư nhỏ nhất (hoặc thiếu nhiều nhất)"))
    return display.cards(items)


def scenario_table(ctx: Context) -> HTML:
    """The presets as a static table (the page the report renders, and the explorer's fallback)."""
    rows = [(p, compute(ctx, p)) for p in presets(ctx)]
    if not rows:
        return HTML("")
    first = rows[0][1]
    frame = pd.DataFrame(
        {
            "Kịch bản": [p.label for p, _ in rows],
            "Tổng điểm": [fmt.points(w.index, scoring.TOTAL_MAX) for _, w in rows],
            "Thứ hạng": [fmt.rank(w.rank, w.n_ranked) for _, w in rows],
            _target_name(first, "points"): [_gap(w, "points") for _, w in rows],
            _target_name(first, "rank"): [_gap(w, "rank") for _, w in rows],
            "Chỉ tiêu quyết định": [_binding(w) for _, w in rows],
        }
    )
    marks = {"Tổng điểm": [w.provenance for _, w in rows], "Thứ hạng": [w.rank_provenance for _, w in rows]}
    body = display.table(
        frame,
        numeric=("Tổng điểm", "Thứ hạng", _target_name(first, "points"), _target_name(first, "rank")),
        marks=marks,
        caption=f"Kịch bản năm {first.target_year} (các cơ quan khác giữ nguyên kết quả năm {first.base_year})",
    )
    note = ""
    if any(prov.combine(w.rank_provenance) == prov.ILLUSTRATIVE for _, w in rows):
        note = " Thứ hạng xếp so với kết quả minh hoạ của các cơ quan khác."
    reading = sentence(
        "Mỗi dòng tính bằng cùng một hàm với bảng kịch bản của báo cáo lãnh đạo: tổng điểm quy về thang 100, "
        "thứ hạng so với kết quả năm {} của các cơ quan khác, khoảng cách tới từng chỉ tiêu và chỉ tiêu quyết định.{}",
        first.base_year,
        note,
    )
    return HTML(body + display.paragraph(reading))


# --------------------------------------------------------------------------
# The explorer
# --------------------------------------------------------------------------


def has_frontend() -> bool:
    """Whether the running cell was sent by a frontend that shows widgets (JupyterLab puts the cell's id in the
    request's metadata; papermill and nbclient do not, and outside a kernel there is no frontend)."""
    from ipykernel.kernelapp import IPKernelApp

    if not IPKernelApp.initialized():
        return False
    kernel = getattr(IPKernelApp.instance(), "kernel", None)
    if kernel is None:
        return False
    parent = kernel.get_parent() or {}
    return "cellId" in (parent.get("metadata") or {})


class Explorer:
    """The what-if explorer: widgets in a live frontend, the static table as ``text/html`` everywhere."""

    def __init__(self, ctx: Context, *, interactive: bool | None = None) -> None:
        self.ctx = ctx
        self.static = scenario_table(ctx)
        self.widget: Any = build_widgets(ctx) if (has_frontend() if interactive is None else interactive) else None

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        bundle: dict[str, Any] = {"text/html": self.static._repr_html_(), "text/plain": display.plain(self.static)}
        if self.widget is not None:
            view = self.widget._repr_mimebundle_()
            bundle["application/vnd.jupyter.widget-view+json"] = view["application/vnd.jupyter.widget-view+json"]
        return bundle


def explorer(ctx: Context) -> Explorer:
    return Explorer(ctx)


_CHOICES = ("keep", "won", "lost")


def build_widgets(ctx: Context) -> Any:
    """The widgets: a preset, each field's points, each lost sub-criterion won back or lost again, the survey share;
    the cards below recompute on every change through :func:`scenarios.what_if`."""
    import ipywidgets as widgets

    ds, agency, year = ctx.ds, ctx.agency_id, ctx.results_year
    all_presets = {p.key: p for p in presets(ctx)}
    start = compute(ctx, all_presets["last"])
    lost = scenarios.lost_codes(ds, agency, year)
    wide = widgets.Layout(width="auto")
    label_style = {"description_width": "initial"}

    preset = widgets.Dropdown(
        options=[(p.label, p.key) for p in all_presets.values()],
        value="last",
        description="Điểm xuất phát",
        style=label_style,
        layout=widgets.Layout(width="100%"),
    )
    sliders: dict[str, Any] = {}
    readouts: dict[str, Any] = {}
    field_rows = []
    for f in start.fields.itertuples():
        slider = widgets.FloatSlider(
            value=float(f.points), min=0.0, max=float(f.max_points), step=0.05, readout=False, continuous_update=False
        )
        slider.add_class(f"cchc-field-{f.field_code}")
        sliders[f.field_code] = slider
        readouts[f.field_code] = widgets.Label()
        field_rows.append(
            widgets.HBox(
                [
                    widgets.Label(f"{f.field_code}. {f.name}", layout=widgets.Layout(width="22em")),
                    slider,
                    readouts[f.field_code],
                ]  # fmt: skip
            )
        )
    choices: dict[str, Any] = {}
    code_rows = []
    for c in lost.itertuples():
        amount = fmt.number(c.lost)
        toggle = widgets.ToggleButtons(
            options=[("Không điều chỉnh", "keep"), (f"Lấy lại +{amount}", "won"), (f"Lại bị trừ −{amount}", "lost")],
            value="keep",
            style={"button_width": "auto"},
        )
        toggle.add_class(f"cchc-code-{c.code.replace('.', '-')}")
        choices[c.code] = toggle
        code_rows.append(widgets.HBox([widgets.Label(f"{c.code} (lĩnh vực {c.field_code})", layout=wide), toggle]))
    survey = widgets.FloatSlider(
        value=round(100 * start.survey_share, 2), min=0.0, max=100.0, step=0.1, readout=False, continuous_update=False
    )
    survey.add_class("cchc-survey")
    survey_readout = widgets.Label()
    result = widgets.HTML()
    result.add_class("cchc-what-if-result")
    error = widgets.HTML()
    applying = [False]  # a preset sets every control at once: recompute once, after the last

    def recompute(*_: object) -> None:
        if applying[0]:
            return
        for code, slider in sliders.items():
            readouts[code].value = f"{fmt.number(slider.value)}/{fmt.number(slider.max)} điểm"
        survey_readout.value = f"{fmt.number(survey.value)} %"
        chosen = {code: t.value for code, t in choices.items()}
        try:
            w = scenarios.what_if(
                ds,
                agency,
                year,
                won_back=tuple(c for c, v in chosen.items() if v == "won"),
                lost_again=tuple(c for c, v in chosen.items() if v == "lost"),
                field_points={code: float(s.value) for code, s in sliders.items()},
                survey_share=float(survey.value) / 100,
            )
        except Exception as problem:  # shown in the widget, never as a traceback
            error.value = display.paragraph(str(problem), "cchc-warning")._repr_html_()
            return
        error.value = ""
        result.value = cards(ctx, w)._repr_html_()

    def apply(change: dict[str, Any]) -> None:
        p = all_presets[change["new"]]
        w = compute(ctx, p)
        points = dict(zip(w.fields["field_code"], w.fields["points"] - w.fields["adjusted"]))
        applying[0] = True
        try:
            for code, slider in sliders.items():
                slider.value = float(points[code])
            for code, toggle in choices.items():
                toggle.value = "won" if code in p.won_back else "lost" if code in p.lost_again else "keep"
            survey.value = round(100 * w.survey_share, 2)
        finally:
            applying[0] = False
        recompute()

    preset.observe(apply, names="value")
    for control in (*sliders.values(), *choices.values(), survey):
        control.observe(recompute, names="value")
    recompute()
    heading = widgets.HTML
    return widgets.VBox(
        [
            preset,
            result,
            error,
            heading(f"<strong>Điểm từng lĩnh vực năm {start.target_year}</strong>"),
            *field_rows,
            heading(
                f"<strong>Tiêu chí thành phần bị trừ điểm năm {year}</strong> (điều chỉnh so với điểm lĩnh vực ở trên)"
            ),
            *code_rows,
            heading("<strong>Tỷ lệ điểm điều tra xã hội học</strong>"),
            widgets.HBox([survey, survey_readout]),
        ],
        layout=widgets.Layout(width="100%"),
    )
