"""What the score review notebook (01) shows: tables and sentences built from the computed figures.

Every function takes a validated :class:`~cchc_analysis.present.context.Context` (``context(agency=, year=,
data_dir=)``) and returns an HTML fragment a notebook displays as is. No figure is typed by hand: every
number comes from :mod:`cchc_analysis.domain.scoring` or :mod:`cchc_analysis.domain.targets` and is written through
:mod:`cchc_analysis.fmt` the way the seed writes it (82,91/100 điểm; 11,5/12,5 điểm, xếp vị thứ 13/20).
Text that comes from data is HTML-escaped.

Why this module is long: one builder per section of notebook 01 (and of the briefing's score part); they share
the formatting helpers at the top, and the truthful-briefing work reorganises them by page section.
"""

from __future__ import annotations

import html

import pandas as pd

from cchc_analysis import fmt
from cchc_analysis.domain import scoring, targets
from cchc_analysis.present.context import Context, context  # noqa: F401  (notebooks call score_review.context)
from cchc_analysis.present.display import HTML, table

PROVENANCE_LABELS = {
    "official": "Chính thức",
    "derived": "Suy ra từ số liệu chính thức",
    "illustrative": "Minh hoạ",
}
_ORDER = ("official", "derived", "illustrative")
_WORDS: dict[str | None, str] = {">": "trên", ">=": "đạt", "<=": "trong tốp"}


def _e(text: object) -> str:
    return html.escape(str(text))


def _provenance(values: pd.Series) -> str:
    """The distinct provenances of some rows, most official first, in Vietnamese."""
    found = [p for p in _ORDER if p in set(values)]
    return "; ".join(PROVENANCE_LABELS[p] for p in found) if found else "Không có số liệu"


def _year(ctx: Context) -> int:
    return ctx.results_year


def previous_year(ctx: Context) -> int | None:
    """The latest earlier year in which the agency has results."""
    earlier = [
        y
        for y in ctx.ds.result_years
        if y < _year(ctx)
        and not ctx.ds.scores[(ctx.ds.scores["year"] == y) & (ctx.ds.scores["agency_id"] == ctx.agency_id)].empty
    ]
    return max(earlier) if earlier else None


def _p(text: str, css: str = "") -> HTML:
    return HTML(f'<p class="{css}">{text}</p>' if css else f"<p>{text}</p>")


# --------------------------------------------------------------------------
# Cover and provenance
# --------------------------------------------------------------------------


def cover(ctx: Context) -> HTML:
    """Title block: the agency, the year reviewed, and where the figures come from."""
    return HTML(
        '<section class="cchc-cover">'
        '<p class="cchc-kicker">Phân tích kết quả · Chỉ số cải cách hành chính</p>'
        f"<h1>{_e(ctx.agency_name)}</h1>"
        f'<p class="cchc-period">Kết quả năm {_year(ctx)} và chỉ tiêu năm {_year(ctx) + 1}</p>'
        f'<p class="cchc-provenance">{official_note(ctx)}</p>'
        "</section>"
    )


def official_note(ctx: Context) -> str:
    """One sentence saying whether the agency's own figures are official or illustrative."""
    year = _year(ctx)
    own = ctx.ds.published[(ctx.ds.published["agency_id"] == ctx.agency_id) & (ctx.ds.published["year"] == year)]
    name = _e(ctx.agency_name)
    if (own["provenance"] == "official").any():
        return (
            f"Tổng điểm, điểm và thứ hạng từng lĩnh vực năm {year} của {name} là số liệu <strong>chính thức</strong>; "
            "các số liệu khác ghi rõ nguồn trong bảng dưới đây."
        )
    if (own["provenance"] == "derived").any():
        return (
            f"Kết quả năm {year} của {name} được <strong>suy ra từ số liệu chính thức</strong>; "
            "các số liệu khác ghi rõ nguồn trong bảng dưới đây."
        )
    return (
        f"Kết quả năm {year} của {name} là số liệu <strong>minh hoạ</strong> do bộ sinh dữ liệu tạo ra, "
        "không phải số liệu thật; nguồn của từng loại số liệu ở bảng dưới đây."
    )


def provenance_table(ctx: Context) -> HTML:
    """Which figures are official, derived or illustrative: one row per kind of figure."""
    ds, year, agency = ctx.ds, _year(ctx), ctx.agency_id
    pub = ds.published[ds.published["year"] == year]
    own = pub[pub["agency_id"] == agency]
    own_total = own[own["scope"] == "total"]
    rank_source = (
        _provenance(own_total["provenance"])
        if own_total["rank"].notna().any()
        else "Tính từ bảng điểm (chưa có thứ hạng công bố)"
    )
    scores = ds.scores[(ds.scores["year"] == year) & (ds.scores["agency_id"] == agency)]
    rows = [
        (f"Tổng điểm năm {year}", _provenance(own_total["provenance"])),
        (f"Thứ hạng năm {year}", rank_source),
        (f"Điểm và thứ hạng từng lĩnh vực năm {year}", _provenance(own[own["scope"] != "total"]["provenance"])),
        (f"Điểm từng tiêu chí, tiêu chí thành phần năm {year}", _provenance(scores["provenance"])),
        (
            f"Điểm điều tra xã hội học năm {year}",
            _provenance(ds.survey[(ds.survey["year"] == year) & (ds.survey["agency_id"] == agency)]["provenance"]),
        ),
        ("Kết quả của các cơ quan khác", _provenance(pub[pub["agency_id"] != agency]["provenance"])),
        (f"Bộ tiêu chí năm {year} (lĩnh vực; tiêu chí)", _provenance(ds.framework_for(year)["provenance"])),
        (f"Chỉ tiêu năm {year + 1}", _provenance(targets.targets_for(ds, agency, year + 1)["provenance"])),
        (f"Ngưỡng xếp loại năm {year}", _provenance(ds.bands[ds.bands["year"] == year]["provenance"])),
    ]
    previous = previous_year(ctx)
    if previous is not None:
        rows.insert(
            5,
            (
                f"Kết quả năm {previous}",
                _provenance(
                    ds.published[(ds.published["year"] == previous) & (ds.published["agency_id"] == agency)][
                        "provenance"
                    ]
                ),
            ),
        )
    return table(pd.DataFrame(rows, columns=["Số liệu", "Nguồn"]), caption="Nguồn số liệu")


# --------------------------------------------------------------------------
# Overall result
# --------------------------------------------------------------------------


def headline(ctx: Context) -> HTML:
    """The seed's sentence, from the computed figures: total, change from the year before, rank."""
    year = _year(ctx)
    mine = scoring.agency_summary(ctx.ds, ctx.agency_id, year)
    text = (
        f"Năm {year}, Chỉ số CCHC của {_e(ctx.agency_name)} đạt "
        f"<strong>{fmt.points(mine['index'], scoring.TOTAL_MAX)}</strong> điểm"
    )
    previous = previous_year(ctx)
    if previous is not None:
        change = round(float(mine["index"] - scoring.agency_summary(ctx.ds, ctx.agency_id, previous)["index"]), 2)
        if change:
            text += (
                f", {'cao hơn' if change > 0 else 'thấp hơn'} so với năm {previous} là {fmt.number(abs(change))} điểm"
            )
        else:
            text += f", bằng năm {previous}"
    text += f", xếp vị thứ <strong>{fmt.rank(mine['rank'], mine['n_ranked'])}</strong> cơ quan, đơn vị."
    return _p(text, "cchc-headline")


def composition(ctx: Context) -> HTML:
    """Appraisal against self-assessment, the survey, and the band."""
    year = _year(ctx)
    mine = scoring.agency_summary(ctx.ds, ctx.agency_id, year)
    parts = [
        f"Điểm thẩm định <strong>{fmt.points(mine['appraisal_points'], mine['appraisal_max'])}</strong> điểm "
        f"({fmt.percent(mine['appraisal_share'])}, xếp vị thứ {fmt.rank(mine['appraisal_rank'], mine['n_ranked'])})"
        + (f"; cơ quan tự đánh giá {fmt.number(mine['self_points'])} điểm" if pd.notna(mine["self_points"]) else ""),
        f"điểm điều tra xã hội học <strong>{fmt.points(mine['survey_points'], mine['survey_max'])}</strong> điểm "
        f"({fmt.percent(mine['survey_share'])}, xếp vị thứ {fmt.rank(mine['survey_rank'], mine['n_ranked'])})",
    ]
    if float(mine["max_points"]) != scoring.TOTAL_MAX:
        parts.append(
            f"tổng {fmt.points(mine['total_points'], mine['max_points'])} điểm trên điểm tối đa của cơ quan "
            "(đã trừ các tiêu chí không áp dụng), quy về thang 100"
        )
    text = "; ".join(parts) + "."
    bands = ctx.ds.bands[ctx.ds.bands["year"] == year].sort_values("min_share", ascending=False)
    if mine["band"] is not None and not bands.empty:
        thresholds = ", ".join(
            f"{_e(b.label)} từ {fmt.percent(b.min_share, 0)}" for b in bands.itertuples() if b.min_share > 0
        )
        source = "minh hoạ" if (bands["provenance"] == "illustrative").any() else "theo cấu hình"
        text += f" Xếp loại: <strong>{_e(mine['band'])}</strong> (ngưỡng {source} năm {year}: {thresholds})."
    return _p(text)


# --------------------------------------------------------------------------
# Fields
# --------------------------------------------------------------------------


def _fields(ctx: Context, year: int) -> pd.DataFrame:
    fields = scoring.field_scores(ctx.ds, year)
    names = ctx.ds.framework_for(year).set_index("code")["name"]
    mine = fields[fields["agency_id"] == ctx.agency_id].copy()
    mine["name"] = mine["field_code"].map(names)
    return mine.sort_values("field_code", key=lambda s: s.map(scoring.code_key)).reset_index(drop=True)


def field_list(ctx: Context) -> HTML:
    """The seven fields as the seed lists them: name (points/maximum điểm, xếp vị thứ rank/n)."""
    items = "".join(
        f"<li>{_e(row.name)} ({fmt.points(row.points, row.max_points)} điểm, xếp vị thứ {fmt.rank(row.rank, row.n_ranked)})</li>"
        for row in _fields(ctx, _year(ctx)).itertuples()
    )
    return HTML(f'<ol class="cchc-fields">{items}</ol>')


def field_table(ctx: Context) -> HTML:
    """Each field: points against maximum, share, rank, self-assessment, points lost, points to the next rank."""
    year = _year(ctx)
    mine = _fields(ctx, year)
    card = scoring.scorecard(ctx.ds, ctx.agency_id, year).set_index("code")
    gaps = scoring.rank_gaps(ctx.ds, ctx.agency_id, year).set_index("scope")
    frame = pd.DataFrame(
        {
            "Mã": mine["field_code"],
            "Lĩnh vực": mine["name"],
            "Điểm": [fmt.points(p, m) for p, m in zip(mine["points"], mine["max_points"])],
            "Tỷ lệ": mine["share"].map(fmt.percent),
            "Xếp hạng": [fmt.rank(r, n) for r, n in zip(mine["rank"], mine["n_ranked"])],
            "Tự đánh giá": mine["field_code"].map(card["self_points"]).map(fmt.number),
            "Bị trừ": mine["field_code"].map(card["lost"]).map(fmt.number),
            "Cần thêm để lên hạng": [
                "–"
                if pd.isna(gaps.at[c, "points_to_next"])
                else f"{fmt.number(gaps.at[c, 'points_to_next'])} điểm → {fmt.rank(gaps.at[c, 'next_rank'], gaps.at[c, 'n_ranked'])}"
                for c in mine["field_code"]
            ],
        }
    )
    return table(
        frame,
        numeric=("Điểm", "Tỷ lệ", "Xếp hạng", "Tự đánh giá", "Bị trừ", "Cần thêm để lên hạng"),
        caption=f"Kết quả theo lĩnh vực năm {year}",
    )


def criteria_table(ctx: Context) -> HTML:
    """Every criterion (second level of the tree) with its points, share and points lost."""
    year = _year(ctx)
    card = scoring.scorecard(ctx.ds, ctx.agency_id, year)
    rows = card[card["level"] == "criterion"]
    frame = pd.DataFrame(
        {
            "Tiêu chí": rows["code"],
            "Nội dung": rows["name"],
            "Điểm": [
                ("Không áp dụng" if na else fmt.points(p, m))
                for p, m, na in zip(rows["points"], rows["max_points"], rows["not_applicable"])
            ],
            "Tỷ lệ": rows["share"].map(fmt.percent),
            "Bị trừ": rows["lost"].map(lambda v: fmt.number(v) if v > 0 else ""),
        }
    )
    return table(frame, numeric=("Điểm", "Tỷ lệ", "Bị trừ"), caption=f"Kết quả theo tiêu chí năm {year}")


# --------------------------------------------------------------------------
# Points lost
# --------------------------------------------------------------------------


def lost_summary(ctx: Context) -> HTML:
    """How many points were lost, at which sub-criteria (by code) and in which fields."""
    year = _year(ctx)
    leaves = scoring.pareto_losses(ctx.ds, ctx.agency_id, year)
    if leaves.empty:
        return _p(f"Năm {year}, {_e(ctx.agency_name)} không bị trừ điểm thẩm định ở tiêu chí nào.")
    fields = scoring.pareto_losses(ctx.ds, ctx.agency_id, year, by="field")
    codes = sorted(leaves["code"], key=scoring.code_key)
    by_field = "; ".join(f"lĩnh vực {c} bị trừ {fmt.number(v)} điểm" for c, v in zip(fields["code"], fields["lost"]))
    text = (
        f"Năm {year}, {_e(ctx.agency_name)} bị trừ <strong>{fmt.number(leaves['lost'].sum())}</strong> điểm thẩm "
        f"định ở <strong>{len(codes):02d}</strong> tiêu chí thành phần ({', '.join(codes)}), thuộc {len(fields)} "
        f"lĩnh vực: {by_field}."
    )
    half = leaves[leaves["cumulative_share"] >= 0.5 - 1e-9].index[0] + 1
    if len(leaves) > 2:
        text += (
            f" {half} tiêu chí thành phần bị trừ nhiều nhất chiếm "
            f"{fmt.percent(leaves['cumulative_share'].iloc[half - 1], 0)} tổng số điểm bị trừ."
        )
    return _p(text)


def lost_table(ctx: Context) -> HTML:
    """The sub-criteria that lost points, largest loss first, with the running share and repeated losses."""
    year = _year(ctx)
    leaves = scoring.pareto_losses(ctx.ds, ctx.agency_id, year)
    repeated = scoring.repeated_losses(ctx.ds, ctx.agency_id, year)
    ongoing = repeated[repeated["ongoing"]].set_index("code")
    frame = pd.DataFrame(
        {
            "Tiêu chí": leaves["code"],
            "Nội dung": leaves["name"],
            "Điểm đạt": [fmt.points(p, m) for p, m in zip(leaves["points"], leaves["max_points"])],
            "Bị trừ": leaves["lost"].map(fmt.number),
            "Luỹ kế": leaves["cumulative_share"].map(lambda s: fmt.percent(s, 0)),
            "Bị trừ liên tiếp": leaves["code"].map(
                lambda c: f"{ongoing.at[c, 'first_year']}–{ongoing.at[c, 'last_year']}" if c in ongoing.index else ""
            ),
        },
        columns=["Tiêu chí", "Nội dung", "Điểm đạt", "Bị trừ", "Luỹ kế", "Bị trừ liên tiếp"],
    )
    return table(frame, numeric=("Điểm đạt", "Bị trừ", "Luỹ kế"), caption=f"Tiêu chí thành phần bị trừ điểm năm {year}")


def repeated_summary(ctx: Context) -> HTML:
    """Sub-criteria that lost points in two or more consecutive years up to the year reviewed."""
    year = _year(ctx)
    repeated = scoring.repeated_losses(ctx.ds, ctx.agency_id, year)
    ongoing = repeated[repeated["ongoing"]]
    if ongoing.empty:
        previous = previous_year(ctx)
        if previous is None:
            return _p(f"Chưa có kết quả năm trước năm {year} để xem tiêu chí nào bị trừ điểm nhiều năm liền.")
        return _p(f"Không có tiêu chí thành phần nào bị trừ điểm cả năm {previous} và năm {year}.")
    items = ", ".join(
        f"{c} ({a}–{b})"
        for c, a, b in sorted(
            zip(ongoing["code"], ongoing["first_year"], ongoing["last_year"]), key=lambda t: scoring.code_key(t[0])
        )
    )
    return _p(
        f"<strong>{len(ongoing):02d}</strong> tiêu chí thành phần bị trừ điểm nhiều năm liền: {items}. "
        "Đây là những điểm yếu lặp lại cần ưu tiên khắc phục."
    )


def self_assessment(ctx: Context) -> HTML:
    """Where the appraisal took points the agency had given itself."""
    year = _year(ctx)
    gaps = scoring.self_assessment_gaps(ctx.ds, ctx.agency_id, year)
    if gaps.empty:
        return _p(f"Năm {year}, điểm thẩm định trùng với điểm tự đánh giá ở mọi tiêu chí có tự đánh giá.")
    over = gaps[gaps["self_gap"] > 0]
    text = (
        f"Năm {year}, điểm thẩm định khác điểm tự đánh giá ở {len(gaps):02d} tiêu chí thành phần"
        + (
            f"; đoàn thẩm định trừ {fmt.number(over['self_gap'].sum())} điểm so với tự đánh giá ở "
            f"{', '.join(over['code'])}"
            if not over.empty
            else ""
        )
        + "."
    )
    frame = pd.DataFrame(
        {
            "Tiêu chí": gaps["code"],
            "Nội dung": gaps["name"],
            "Tự đánh giá": [fmt.points(s, m) for s, m in zip(gaps["self_points"], gaps["max_points"])],
            "Thẩm định": [fmt.points(p, m) for p, m in zip(gaps["points"], gaps["max_points"])],
            "Chênh lệch": gaps["self_gap"].map(lambda v: fmt.signed(-v)),
        }
    )
    return HTML(
        _p(text) + table(frame, numeric=("Tự đánh giá", "Thẩm định", "Chênh lệch"), caption="Tự đánh giá và thẩm định")
    )


# --------------------------------------------------------------------------
# Peers and ranks
# --------------------------------------------------------------------------


def _rank_target(ctx: Context, year: int) -> pd.Series | None:
    rows = targets.targets_for(ctx.ds, ctx.agency_id, year)
    rows = rows[(rows["scope"] == "total") & (rows["metric"] == "rank")]
    return rows.iloc[0] if not rows.empty else None


def rank_summary(ctx: Context) -> HTML:
    """The rank, the points that would have given the next rank, and those for the target rank."""
    year = _year(ctx)
    target = _rank_target(ctx, year + 1)
    gaps = scoring.rank_gaps(ctx.ds, ctx.agency_id, year, target_rank=None if target is None else int(target["value"]))
    total = gaps.set_index("scope").loc["total"]
    text = (
        f"Năm {year}, {_e(ctx.agency_name)} xếp vị thứ <strong>{fmt.rank(total['rank'], total['n_ranked'])}</strong>."
    )
    if pd.notna(total["points_to_next"]):
        text += (
            f" Cần thêm {fmt.number(total['points_to_next'])} điểm để bằng cơ quan liền trên "
            f"(vị thứ {fmt.rank(total['next_rank'], total['n_ranked'])})."
        )
    else:
        text += " Cơ quan đứng đầu bảng xếp hạng."
    if target is not None:
        text += (
            f" Chỉ tiêu năm {year + 1} là {_WORDS.get(target['comparator'], '')} "
            f"{fmt.rank(target['value'], target['out_of'])}: "
        )
        text += (
            "đã đạt với kết quả năm nay."
            if total["points_to_target"] == 0
            else f"so với kết quả năm {year} của các cơ quan khác, cần thêm {fmt.number(total['points_to_target'])} điểm."
        )
    text += " Thứ hạng tính theo cách xếp hạng đồng hạng: các cơ quan bằng điểm cùng vị thứ."
    return _p(text)


# --------------------------------------------------------------------------
# Year over year and framework changes
# --------------------------------------------------------------------------


def change_table(ctx: Context) -> HTML:
    """The fields and the total this year against the year before, on the share of the maximum."""
    year, previous = _year(ctx), previous_year(ctx)
    if previous is None:
        return _p(f"Chưa có kết quả năm trước năm {year} của cơ quan để so sánh.")
    change = scoring.year_over_year(ctx.ds, ctx.agency_id, previous, year)

    def framework(row) -> str:
        if not row.framework_changed:
            return "Không đổi"
        parts = []
        if row.max_changed:
            parts.append("điểm tối đa thay đổi")
        if row.added:
            parts.append("thêm " + ", ".join(row.added))
        if row.removed:
            parts.append("bỏ " + ", ".join(row.removed))
        return "; ".join(parts)

    frame = pd.DataFrame(
        {
            "Lĩnh vực": [
                ("Tổng (thang 100)" if s == "total" else f"{s}. {n}") for s, n in zip(change["scope"], change["name"])
            ],
            f"Năm {previous}": [
                fmt.points(p, m) if s != "total" else fmt.points(sh * 100, 100)
                for s, p, m, sh in zip(
                    change["scope"], change["points_from"], change["max_points_from"], change["share_from"]
                )
            ],
            f"Năm {year}": [
                fmt.points(p, m) if s != "total" else fmt.points(sh * 100, 100)
                for s, p, m, sh in zip(
                    change["scope"], change["points_to"], change["max_points_to"], change["share_to"]
                )
            ],
            "Thay đổi tỷ lệ (điểm %)": change["change_share"].map(lambda v: fmt.signed(v * 100, 1)),
            "Hạng": [f"{int(a)} → {int(b)}" for a, b in zip(change["rank_from"], change["rank_to"])],
            "Bộ tiêu chí": [framework(row) for row in change.itertuples()],
        }
    )
    return table(
        frame,
        numeric=(f"Năm {previous}", f"Năm {year}", "Thay đổi tỷ lệ (điểm %)", "Hạng"),
        caption=f"So sánh năm {year} với năm {previous} (theo tỷ lệ điểm đạt trên điểm tối đa)",
    )


def framework_note(ctx: Context, year_from: int | None = None, year_to: int | None = None) -> HTML:
    """What changed in the criteria between two years (default: the year reviewed and the next one)."""
    year_from = int(year_from or _year(ctx))
    year_to = int(year_to or year_from + 1)
    if year_to not in ctx.ds.years or year_from not in ctx.ds.years:
        return _p(f"Chưa có bộ tiêu chí năm {year_to} để so sánh với năm {year_from}.")
    changes = scoring.framework_changes(ctx.ds, year_from, year_to)
    if changes.empty:
        return _p(f"Bộ tiêu chí năm {year_to} giống năm {year_from}: so sánh trực tiếp được điểm từng lĩnh vực.")
    parts = []
    for row in changes.itertuples():
        label = {"field": "lĩnh vực", "criterion": "tiêu chí"}.get(row.level, "tiêu chí thành phần")
        if row.change == "max_changed" and row.level == "field":
            parts.append(
                f"điểm tối đa {label} {row.code} từ {fmt.number(row.max_points_from)} "
                f"{'lên' if row.max_points_to > row.max_points_from else 'xuống'} {fmt.number(row.max_points_to)} điểm"
            )
        elif row.change == "renamed" and row.level == "field":
            parts.append(f"{label} {row.code} đổi tên thành “{_e(row.name_to)}”")
        elif row.change == "added":
            parts.append(f"thêm {label} {row.code} “{_e(row.name_to)}” ({fmt.number(row.max_points_to)} điểm)")
        elif row.change == "removed":
            parts.append(f"bỏ {label} {row.code} “{_e(row.name_from)}” ({fmt.number(row.max_points_from)} điểm)")
    text = f"<strong>Bộ tiêu chí năm {year_to} thay đổi so với năm {year_from}:</strong> " + "; ".join(parts) + ". "
    text += "Vì vậy, khi so sánh giữa hai năm, dùng tỷ lệ điểm đạt trên điểm tối đa thay vì điểm tuyệt đối."
    return _p(text, "cchc-warning")


# --------------------------------------------------------------------------
# Targets and the projection
# --------------------------------------------------------------------------


def targets_table(ctx: Context) -> HTML:
    """Each target of the next year against this year's result, and the gap."""
    year = _year(ctx)
    gaps = targets.target_gaps(ctx.ds, ctx.agency_id, year)
    if gaps.empty:
        return _p(f"Dữ liệu chưa có chỉ tiêu năm {year + 1} của {_e(ctx.agency_name)} (bảng plan/targets.csv).")
    rows = []
    for g in gaps.itertuples():
        if g.metric == "rank":
            target, last = f"{_WORDS[g.comparator]} {fmt.rank(g.target, g.out_of)}", fmt.rank(g.last, g.last_max)
            gap = "Đã đạt" if g.met else f"lên {fmt.number(g.gap)} bậc"
            scope = "Thứ hạng chung"
        else:
            target = f"{_WORDS[g.comparator]} {fmt.points(g.target, g.target_max)} điểm"
            last = f"{fmt.points(g.last, g.last_max)} điểm"
            gap = (
                "Đã đạt"
                if g.met
                else (f"trên {fmt.number(g.gap)} điểm" if g.comparator == ">" else f"{fmt.number(g.gap)} điểm")
            )
            scope = "Tổng điểm (tính cả điều tra xã hội học)" if g.scope == "total" else f"{g.scope}. {g.name}"
        rows.append({"Phạm vi": scope, f"Kết quả {year}": last, f"Chỉ tiêu {year + 1}": target, "Còn thiếu": gap})
    return table(
        pd.DataFrame(rows),
        numeric=(f"Kết quả {year}", f"Chỉ tiêu {year + 1}", "Còn thiếu"),
        caption=f"Chỉ tiêu năm {year + 1} so với kết quả năm {year}",
    )


def _projection(ctx: Context) -> targets.Projection | None:
    year = _year(ctx)
    gaps = targets.targets_for(ctx.ds, ctx.agency_id, year + 1)
    if gaps[(gaps["metric"] == "points") & (gaps["scope"] != "total")].empty:
        return None
    return targets.project(ctx.ds, ctx.agency_id, year)


def projection_summary(ctx: Context) -> HTML:
    """Where the agency lands next year if every field target is met, and what the survey must bring."""
    year = _year(ctx)
    p = _projection(ctx)
    if p is None:
        return _p(
            f"Chưa có chỉ tiêu điểm theo lĩnh vực năm {year + 1} của {_e(ctx.agency_name)} nên không dự báo "
            "kết quả năm sau."
        )
    text = (
        f"Nếu mọi lĩnh vực đạt chỉ tiêu năm {p.target_year}, điểm thẩm định là "
        f"<strong>{fmt.points(p.appraisal_points, p.appraisal_max)}</strong> điểm; với điểm điều tra xã hội học giữ "
        f"tỷ lệ năm {p.base_year} ({fmt.percent(p.survey_share, 2)}, tức {fmt.points(p.survey_points, p.survey_max)} "
        f"điểm), Chỉ số CCHC năm {p.target_year} dự kiến đạt <strong>{fmt.points(p.index, scoring.TOTAL_MAX)}</strong> "
        f"điểm ({fmt.signed(p.index - p.last_index)} điểm so với năm {p.base_year})"
    )
    if p.total_target is not None:
        text += (
            f", {'đạt' if p.meets_total_target else 'chưa đạt'} chỉ tiêu "
            f"{_WORDS.get(p.total_comparator, '')} {fmt.number(p.total_target)} điểm"
        )
    text += (
        f", xếp vị thứ <strong>{fmt.rank(p.rank, p.n_ranked)}</strong> nếu các cơ quan khác giữ nguyên kết quả năm "
        f"{p.base_year}"
    )
    if p.rank_target is not None:
        text += f" ({'đạt' if p.meets_rank_target else 'chưa đạt'} chỉ tiêu tốp {fmt.rank(p.rank_target, p.n_ranked)})"
    text += "."
    text += (
        f" Mỗi điểm phần trăm của tỷ lệ điều tra xã hội học tương ứng {fmt.number(p.survey_points_per_pp)} điểm chỉ số."
    )
    if p.min_survey_share is not None:
        needed = p.min_survey_share * p.survey_max
        if not p.min_survey_reachable:
            text += (
                f" Kể cả khi điểm điều tra xã hội học đạt tối đa, tổng điểm vẫn chưa đạt chỉ tiêu "
                f"{fmt.number(p.total_target)} điểm."
            )
        elif p.min_survey_share <= 0:
            text += " Chỉ riêng điểm thẩm định đã đủ đạt chỉ tiêu tổng điểm."
        else:
            strict = "trên " if p.min_survey_strict else "từ "
            text += (
                f" Để tổng điểm vẫn {_WORDS.get(p.total_comparator, '')} {fmt.number(p.total_target)} điểm, tỷ lệ "
                f"điều tra xã hội học chỉ cần {strict}<strong>{fmt.percent(p.min_survey_share, 2)}</strong> "
                f"({strict}{fmt.points(needed, p.survey_max)} điểm)."
            )
    return _p(text)


def projection_table(ctx: Context) -> HTML:
    """Each field's last points and projected points, and on what basis."""
    p = _projection(ctx)
    if p is None:
        return HTML("")
    f = p.fields
    basis = {"target": "Đạt chỉ tiêu", "held_share": f"Giữ tỷ lệ năm {p.base_year}"}
    rows = pd.DataFrame(
        {
            "Lĩnh vực": [f"{c}. {n}" for c, n in zip(f["field_code"], f["name"])],
            f"Năm {p.base_year}": [fmt.points(a, b) for a, b in zip(f["last_points"], f["last_max"])],
            f"Dự kiến {p.target_year}": [fmt.points(a, b) for a, b in zip(f["points"], f["max_points"])],
            "Cơ sở": f["basis"].map(basis),
        }
    )
    extra = pd.DataFrame(
        [
            {
                "Lĩnh vực": "Điều tra xã hội học",
                f"Năm {p.base_year}": fmt.points(
                    *scoring.agency_summary(ctx.ds, ctx.agency_id, p.base_year)[["survey_points", "survey_max"]]
                ),
                f"Dự kiến {p.target_year}": fmt.points(p.survey_points, p.survey_max),
                "Cơ sở": f"Giữ tỷ lệ năm {p.base_year}",
            },
            {
                "Lĩnh vực": "Chỉ số (thang 100)",
                f"Năm {p.base_year}": fmt.points(p.last_index, scoring.TOTAL_MAX),
                f"Dự kiến {p.target_year}": fmt.points(p.index, scoring.TOTAL_MAX),
                "Cơ sở": f"Xếp vị thứ {fmt.rank(p.rank, p.n_ranked)}",
            },
        ]
    )
    return table(
        pd.concat([rows, extra], ignore_index=True),
        numeric=(f"Năm {p.base_year}", f"Dự kiến {p.target_year}"),
        caption=f"Dự báo năm {p.target_year} nếu đạt mọi chỉ tiêu lĩnh vực",
    )


def assumptions_table(ctx: Context) -> HTML:
    """The projection's assumptions, stated."""
    p = _projection(ctx)
    if p is None:
        return HTML("")
    frame = pd.DataFrame({"Giả định": p.assumptions["description"]})
    return table(frame, caption="Giả định của dự báo")


# --------------------------------------------------------------------------
# Reconciliation
# --------------------------------------------------------------------------

_STATUS = {
    "points_differ": "Điểm lệch",
    "rank_differ": "Thứ hạng lệch",
    "both_differ": "Điểm và thứ hạng lệch",
    "not_computed": "Không có bảng điểm để tính",
}


def reconciliation(ctx: Context) -> HTML:
    """Computed totals, field points and ranks against every published figure of the year; mismatches listed."""
    year = _year(ctx)
    rows = scoring.reconcile(ctx.ds, year)
    if rows.empty:
        return _p(f"Chưa có số liệu công bố năm {year} để đối chiếu.")
    bad = rows[~rows["matches"]]
    agencies = rows["agency_id"].nunique()
    if bad.empty:
        return _p(
            f"Đối chiếu với số liệu công bố năm {year}: <strong>{len(rows)}/{len(rows)}</strong> số liệu (tổng điểm, "
            f"điểm từng lĩnh vực và thứ hạng của {agencies} cơ quan) khớp với kết quả tính từ bảng điểm."
        )
    names = ctx.ds.agencies.set_index("agency_id")["short_name"]
    frame = pd.DataFrame(
        {
            "Cơ quan": bad["agency_id"].map(names).fillna(bad["agency_id"]),
            "Phạm vi": bad["scope"].map(lambda s: "Tổng điểm" if s == "total" else f"Lĩnh vực {s}"),
            "Công bố": [
                f"{fmt.number(p)} · hạng {fmt.rank(r, n) if pd.notna(r) else '–'}"
                for p, r, n in zip(bad["points_published"], bad["rank_published"], bad["n_ranked_published"])
            ],
            "Tính lại": [
                f"{fmt.number(p)} · hạng {fmt.rank(r, n) if pd.notna(r) else '–'}"
                for p, r, n in zip(bad["points_computed"], bad["rank_computed"], bad["n_ranked_computed"])
            ],
            "Tình trạng": bad["status"].map(_STATUS),
        }
    )
    text = (
        f"<strong>Cảnh báo:</strong> {len(bad)}/{len(rows)} số liệu công bố năm {year} không khớp với kết quả tính "
        "từ bảng điểm. Báo cáo này dùng kết quả tính lại; cần kiểm tra lại bảng điểm hoặc số liệu công bố."
    )
    return HTML(_p(text, "cchc-warning") + table(frame, numeric=("Công bố", "Tính lại"), caption="Số liệu không khớp"))
