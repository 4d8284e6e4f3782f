"""What the score review notebook (01) shows: tables and sentences built from the computed figures.

Every function takes a validated :class:`~cchc_analysis.present.context.Context` (``context(agency=, year=,
data_dir=)``) and returns an HTML fragment a notebook displays as is. No figure is typed by hand: every
number comes from :mod:`cchc_analysis.domain` (through :mod:`cchc_analysis.present.figures`, computed once per
context) and is written through :mod:`cchc_analysis.fmt` the way the seed writes it (82,91/100 điểm; 11,5/12,5
điểm, xếp vị thứ 13/20). Every figure that is not official carries its marker (:func:`display.mark`); a
statement about a real agency that would rest only on illustrative data is withheld with a one-line note.

Why this module is long: one builder per section of notebook 01 (and of the briefing's score part); they share
the figures and the marking rules, and splitting them by section would scatter one page's wording.
"""

from __future__ import annotations

import pandas as pd

from cchc_analysis import fmt
from cchc_analysis.domain import provenance as prov
from cchc_analysis.domain import scoring, targets
from cchc_analysis.present import display
from cchc_analysis.present.context import Context, context  # re-exported: notebooks call score_review.context
from cchc_analysis.present.display import HTML, mark, paragraph, sentence, table
from cchc_analysis.present.figures import Figures, figures

__all__ = [
    "assumptions_table",
    "change_table",
    "composition",
    "context",
    "cover",
    "criteria_table",
    "field_list",
    "field_name_note",
    "field_table",
    "framework_note",
    "headline",
    "lost_summary",
    "lost_table",
    "official_note",
    "previous_year",
    "projection_summary",
    "projection_table",
    "provenance_table",
    "rank_summary",
    "reconciliation",
    "repeated_summary",
    "scenario_table",
    "self_assessment",
    "survey_advice",
    "targets_table",
]

_WORDS: dict[str | None, str] = {">": "trên", ">=": "đạt", "<=": "trong tốp"}


def previous_year(ctx: Context) -> int | None:
    """The latest earlier year in which the agency has results."""
    return figures(ctx).previous_year


def _pct(share: float, provenance: str, decimals: int = 2) -> HTML:
    return mark(fmt.percent(share, decimals), provenance)


# --------------------------------------------------------------------------
# Cover and provenance
# --------------------------------------------------------------------------


def cover(ctx: Context) -> HTML:
    """Title block: the agency, the year reviewed, where the figures come from, and the markers' legend."""
    year = ctx.results_year
    return display.cover(
        kicker="Phân tích kết quả · Chỉ số cải cách hành chính",
        title=ctx.agency_name,
        period=f"Kết quả năm {year} và chỉ tiêu năm {year + 1}",
        note=official_note(ctx),
    )


def official_note(ctx: Context) -> HTML:
    """One sentence saying how official the agency's own figures of the year are."""
    f = figures(ctx)
    kind = prov.combine(f.summary["provenance"])
    if kind == prov.OFFICIAL:
        return sentence(
            "Tổng điểm, điểm và thứ hạng từng lĩnh vực năm {} của {} là số liệu <strong>chính thức</strong>; "
            "nguồn của các số liệu khác ghi trong bảng dưới đây.",
            f.year,
            ctx.agency_name,
        )
    return sentence(
        "Kết quả năm {} của {} là số liệu <strong>{}</strong>{}; nguồn của từng loại số liệu ghi trong bảng dưới đây.",
        f.year,
        ctx.agency_name,
        display.label(kind),
        ", không phải số liệu thật" if kind == prov.ILLUSTRATIVE else "",
    )


def _row_provenance(values: pd.Series) -> str:
    return display.label(prov.weakest(values), capital=True) if len(values) else "Không có số liệu"


def provenance_table(ctx: Context) -> HTML:
    """Which figures are official, derived or illustrative: one row per kind of figure, one wording."""
    f, ds, year, agency = figures(ctx), ctx.ds, ctx.results_year, ctx.agency_id
    framework = ds.framework_for(year)
    below = f.card[f.card["level"] != "field"]
    others = scoring.total_scores(ds, year)
    others = others[others["agency_id"] != agency]
    rows = [
        (f"Tổng điểm năm {year}", _row_provenance(pd.Series([f.summary["provenance"]]))),
        (f"Thứ hạng chung năm {year}", _row_provenance(pd.Series([f.summary["rank_provenance"]]))),
        (f"Điểm từng lĩnh vực năm {year}", _row_provenance(f.fields["provenance"])),
        (f"Thứ hạng từng lĩnh vực năm {year}", _row_provenance(f.fields["rank_provenance"])),
        (f"Điểm từng tiêu chí, tiêu chí thành phần năm {year}", _row_provenance(below["provenance"])),
        (f"Điểm tự đánh giá năm {year}", _row_provenance(pd.Series([f.summary["self_provenance"]]))),
        (f"Điểm điều tra xã hội học năm {year}", _row_provenance(pd.Series([f.summary["survey_provenance"]]))),
    ]
    if f.previous_summary is not None:
        before = f.previous_summary
        assert f.previous_year is not None, "a previous summary implies a previous year"
        old_fields = scoring.field_scores(ds, f.previous_year)
        old_fields = old_fields[old_fields["agency_id"] == agency]
        rows += [
            (f"Tổng điểm năm {f.previous_year}", _row_provenance(pd.Series([before["provenance"]]))),
            (
                f"Thứ hạng, điểm từng lĩnh vực và tiêu chí năm {f.previous_year}",
                _row_provenance(pd.concat([pd.Series([before["rank_provenance"]]), old_fields["provenance"]])),
            ),
        ]
    rows += [
        ("Kết quả của các cơ quan khác", _row_provenance(others["provenance"])),
        (
            f"Tên và điểm tối đa các lĩnh vực năm {year}",
            _row_provenance(framework[framework["level"] == "field"]["provenance"]),
        ),
        (
            f"Tiêu chí, tiêu chí thành phần và điểm tối đa năm {year}",
            _row_provenance(framework[framework["level"] != "field"]["provenance"]),
        ),
        (f"Chỉ tiêu năm {year + 1}", _row_provenance(targets.targets_for(ds, agency, year + 1)["provenance"])),
        (f"Ngưỡng xếp loại năm {year}", _row_provenance(ds.bands[ds.bands["year"] == year]["provenance"])),
    ]
    return table(pd.DataFrame(rows, columns=["Số liệu", "Nguồn"]), caption="Nguồn số liệu")


# --------------------------------------------------------------------------
# Overall result
# --------------------------------------------------------------------------


def _change_phrase(f: Figures) -> HTML:
    """ ", cao hơn so với năm 2021 là 4,18 điểm" — or a note when the year before has no official figure."""
    before = f.previous_summary
    if before is None:
        return HTML("")
    provenance = prov.combine(f.summary["provenance"], before["provenance"])
    if display.withhold(f.is_real, provenance):
        return sentence(" (kết quả năm {} {})", f.previous_year, display.WITHHELD)
    change = round(float(f.summary["index"] - before["index"]), 2)
    if not change:
        return sentence(", bằng năm {}", f.previous_year)
    word = "cao hơn" if change > 0 else "thấp hơn"
    return sentence(", {} so với năm {} là {} điểm", word, f.previous_year, mark(fmt.number(abs(change)), provenance))


def headline(ctx: Context) -> HTML:
    """The seed's sentence, from the computed figures: total, change from the year before, rank."""
    f = figures(ctx)
    mine = f.summary
    return paragraph(
        sentence(
            "Năm {}, Chỉ số CCHC của {} đạt <strong>{}</strong> điểm{}, xếp vị thứ <strong>{}</strong> cơ quan, đơn vị.",
            f.year,
            ctx.agency_name,
            mark(fmt.points(mine["index"], scoring.TOTAL_MAX), mine["provenance"]),
            _change_phrase(f),
            mark(fmt.rank(mine["rank"], mine["n_ranked"]), mine["rank_provenance"]),
        ),
        "cchc-headline",
    )


def composition(ctx: Context) -> HTML:
    """Appraisal against self-assessment, the survey, and the band."""
    f = figures(ctx)
    mine = f.summary
    parts = [
        sentence(
            "Điểm thẩm định <strong>{}</strong> điểm ({}, xếp vị thứ {})",
            mark(fmt.points(mine["appraisal_points"], mine["appraisal_max"]), mine["appraisal_provenance"]),
            mark(fmt.percent(mine["appraisal_share"]), mine["appraisal_provenance"]),
            mark(fmt.rank(mine["appraisal_rank"], mine["n_ranked"]), mine["appraisal_rank_provenance"]),
        )
    ]
    if pd.notna(mine["self_points"]) and not display.withhold(f.is_real, mine["self_provenance"]):
        parts[0] = sentence(
            "{}; cơ quan tự đánh giá {} điểm", parts[0], mark(fmt.number(mine["self_points"]), mine["self_provenance"])
        )
    parts.append(
        sentence(
            "điểm điều tra xã hội học <strong>{}</strong> điểm ({}, xếp vị thứ {})",
            mark(fmt.points(mine["survey_points"], mine["survey_max"]), mine["survey_provenance"]),
            mark(fmt.percent(mine["survey_share"]), mine["survey_provenance"]),
            mark(fmt.rank(mine["survey_rank"], mine["n_ranked"]), mine["survey_rank_provenance"]),
        )
    )
    if float(mine["max_points"]) != scoring.TOTAL_MAX:
        parts.append(
            sentence(
                "tổng {} điểm trên điểm tối đa của cơ quan (đã trừ các tiêu chí không áp dụng), quy về thang 100",
                mark(fmt.points(mine["total_points"], mine["max_points"]), mine["provenance"]),
            )
        )
    text = sentence("{}.", display.join(parts, "; "))
    bands = ctx.ds.bands[ctx.ds.bands["year"] == f.year].sort_values("min_share", ascending=False)
    if mine["band"] is not None and not bands.empty:
        thresholds = ", ".join(
            f"{b.label} từ {fmt.percent(b.min_share, 0)}" for b in bands.itertuples() if b.min_share > 0
        )
        text = sentence(
            "{} Xếp loại: <strong>{}</strong> (ngưỡng {} năm {}: {}).",
            text,
            mark(mine["band"], mine["band_provenance"]),
            display.label(prov.weakest(bands["provenance"])),
            f.year,
            thresholds,
        )
    return paragraph(text)


# --------------------------------------------------------------------------
# Fields
# --------------------------------------------------------------------------


def field_list(ctx: Context) -> HTML:
    """The seven fields as the seed lists them: name (points/maximum điểm, xếp vị thứ rank/n)."""
    items = [
        sentence(
            "{} ({} điểm, xếp vị thứ {})",
            row.name,
            mark(fmt.points(row.points, row.max_points), row.provenance),
            mark(fmt.rank(row.rank, row.n_ranked), row.rank_provenance),
        )
        for row in figures(ctx).fields.itertuples()
    ]
    return display.bullets(items, css_class="cchc-fields", ordered=True)


def field_table(ctx: Context) -> HTML:
    """Each field: points against maximum, share, rank, self-assessment, points lost, points to the next rank."""
    f = figures(ctx)
    mine = f.fields
    card = f.card.set_index("code")
    gaps = f.rank_gaps.set_index("scope")
    codes = mine["field_code"]
    columns = {
        "Mã": codes,
        "Lĩnh vực": mine["name"],
        "Điểm": [fmt.points(p, m) for p, m in zip(mine["points"], mine["max_points"])],
        "Tỷ lệ": mine["share"].map(fmt.percent),
        "Xếp hạng": [fmt.rank(r, n) for r, n in zip(mine["rank"], mine["n_ranked"])],
        "Tự đánh giá": codes.map(card["self_points"]).map(fmt.number),
        "Bị trừ": codes.map(card["lost"]).map(fmt.number),
        "Cần thêm để lên hạng": [
            "–"
            if pd.isna(gaps.at[c, "points_to_next"])
            else f"{fmt.number(gaps.at[c, 'points_to_next'])} điểm → {fmt.rank(gaps.at[c, 'next_rank'], gaps.at[c, 'n_ranked'])}"
            for c in codes
        ],
    }
    marks = {
        "Điểm": list(mine["provenance"]),
        "Tỷ lệ": list(mine["provenance"]),
        "Xếp hạng": list(mine["rank_provenance"]),
        "Tự đánh giá": list(codes.map(card["self_provenance"])),
        "Bị trừ": list(mine["provenance"]),
        "Cần thêm để lên hạng": list(codes.map(gaps["gap_provenance"])),
    }
    if display.withhold(f.is_real, prov.weakest(marks["Tự đánh giá"])):
        del columns["Tự đánh giá"], marks["Tự đánh giá"]
    numeric = tuple(c for c in columns if c not in ("Mã", "Lĩnh vực"))
    return table(pd.DataFrame(columns), numeric=numeric, marks=marks, caption=f"Kết quả theo lĩnh vực năm {f.year}")


def criteria_table(ctx: Context) -> HTML:
    """Every criterion (second level of the tree) with its points, share and points lost."""
    f = figures(ctx)
    rows = f.card[f.card["level"] == "criterion"]
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
    provenance = list(rows["provenance"])
    marks = {"Điểm": provenance, "Tỷ lệ": provenance, "Bị trừ": provenance}
    return table(frame, numeric=("Điểm", "Tỷ lệ", "Bị trừ"), marks=marks, caption=f"Kết quả theo tiêu chí năm {f.year}")


# --------------------------------------------------------------------------
# Points lost
# --------------------------------------------------------------------------


def lost_summary(ctx: Context) -> HTML:
    """How many points were lost, at which sub-criteria (by code) and in which fields."""
    f = figures(ctx)
    leaves, fields = f.losses, f.field_losses
    if leaves.empty:
        return paragraph(sentence("Năm {}, {} không bị trừ điểm thẩm định ở tiêu chí nào.", f.year, ctx.agency_name))
    codes = sorted(leaves["code"], key=scoring.code_key)
    by_field = display.join(
        (
            sentence("lĩnh vực {} bị trừ {} điểm", c, mark(fmt.number(v), p))
            for c, v, p in zip(fields["code"], fields["lost"], fields["provenance"])
        ),
        "; ",
    )
    text = sentence(
        "Năm {}, {} bị trừ <strong>{}</strong> điểm thẩm định ở <strong>{:02d}</strong> tiêu chí thành phần ({}), "
        "thuộc {:02d} lĩnh vực: {}.",
        f.year,
        ctx.agency_name,
        mark(fmt.number(fields["lost"].sum()), prov.weakest(fields["provenance"])),
        len(codes),
        ", ".join(codes),
        len(fields),
        by_field,
    )
    if len(leaves) > 2:
        half = int(leaves[leaves["cumulative_share"] >= 0.5 - 1e-9].index[0]) + 1
        top = leaves.iloc[:half]
        text = sentence(
            "{} Riêng {:02d} tiêu chí thành phần bị trừ nhiều nhất chiếm {} tổng số điểm bị trừ.",
            text,
            half,
            mark(fmt.percent(leaves["cumulative_share"].iloc[half - 1], 0), prov.weakest(top["provenance"])),
        )
    return paragraph(text)


def _repeated_withheld(f: Figures) -> bool:
    ongoing = f.repeated[f.repeated["ongoing"]]
    return not ongoing.empty and display.withhold(f.is_real, prov.weakest(ongoing["provenance"]))


def lost_table(ctx: Context) -> HTML:
    """The sub-criteria that lost points, largest loss first, with the running share (and repeated losses when
    the earlier years are known for what they are)."""
    f = figures(ctx)
    leaves = f.losses
    ongoing = f.repeated[f.repeated["ongoing"]].set_index("code")
    columns = {
        "Tiêu chí": leaves["code"],
        "Nội dung": leaves["name"],
        "Điểm đạt": [fmt.points(p, m) for p, m in zip(leaves["points"], leaves["max_points"])],
        "Bị trừ": leaves["lost"].map(fmt.number),
        "Luỹ kế": leaves["cumulative_share"].map(lambda s: fmt.percent(s, 0)),
        "Bị trừ liên tiếp": leaves["code"].map(
            lambda c: f"{ongoing.at[c, 'first_year']}–{ongoing.at[c, 'last_year']}" if c in ongoing.index else ""
        ),
    }
    provenance = list(leaves["provenance"])
    marks = {
        "Điểm đạt": provenance,
        "Bị trừ": provenance,
        "Luỹ kế": provenance,
        "Bị trừ liên tiếp": list(leaves["code"].map(ongoing["provenance"]).fillna(prov.OFFICIAL)),
    }
    if _repeated_withheld(f) or ongoing.empty:
        del columns["Bị trừ liên tiếp"], marks["Bị trừ liên tiếp"]
    frame = pd.DataFrame(columns, columns=list(columns))
    return table(
        frame,
        numeric=("Điểm đạt", "Bị trừ", "Luỹ kế"),
        marks=marks,
        caption=f"Tiêu chí thành phần bị trừ điểm năm {f.year}",
    )


def repeated_summary(ctx: Context) -> HTML:
    """Sub-criteria that lost points in two or more consecutive years up to the year reviewed."""
    f = figures(ctx)
    ongoing = f.repeated[f.repeated["ongoing"]]
    if f.previous_year is None:
        return paragraph(f"Chưa có kết quả năm trước năm {f.year} để xem tiêu chí nào bị trừ điểm nhiều năm liền.")
    if _repeated_withheld(f):
        return paragraph(
            sentence(
                "Điểm từng tiêu chí thành phần năm {} của {} {} (số liệu trong bộ dữ liệu là minh hoạ), nên báo cáo "
                "chưa xác định tiêu chí thành phần nào bị trừ điểm nhiều năm liền.",
                f.previous_year,
                ctx.agency_name,
                display.WITHHELD,
            ),
            "cchc-note",
        )
    if ongoing.empty:
        return paragraph(f"Không có tiêu chí thành phần nào bị trừ điểm cả năm {f.previous_year} và năm {f.year}.")
    rows = sorted(
        zip(ongoing["code"], ongoing["first_year"], ongoing["last_year"], ongoing["provenance"]),
        key=lambda t: scoring.code_key(t[0]),
    )
    items = display.join((sentence("{} ({})", c, mark(f"{a}–{b}", p)) for c, a, b, p in rows), ", ")
    return paragraph(
        sentence(
            "Có <strong>{:02d}</strong> tiêu chí thành phần bị trừ điểm nhiều năm liền: {}. "
            "Đây là những điểm yếu lặp lại cần ưu tiên khắc phục.",
            len(ongoing),
            items,
        )
    )


def self_assessment(ctx: Context) -> HTML:
    """Where the appraisal took points the agency had given itself (withheld when the self-assessment of a
    real agency is only illustrative)."""
    f = figures(ctx)
    gaps = scoring.self_assessment_gaps(ctx.ds, ctx.agency_id, f.year)
    if display.withhold(f.is_real, f.summary["self_provenance"]):
        return paragraph(
            sentence(
                "Điểm tự đánh giá năm {} của {} {}, nên báo cáo chưa so sánh tự đánh giá với kết quả thẩm định.",
                f.year,
                ctx.agency_name,
                display.WITHHELD,
            ),
            "cchc-note",
        )
    if gaps.empty:
        return paragraph(f"Năm {f.year}, điểm thẩm định trùng với điểm tự đánh giá ở mọi tiêu chí có tự đánh giá.")
    over = gaps[gaps["self_gap"] > 0]
    text = sentence("Năm {}, điểm thẩm định khác điểm tự đánh giá ở {:02d} tiêu chí thành phần", f.year, len(gaps))
    if not over.empty:
        text = sentence(
            "{}; đoàn thẩm định trừ {} điểm so với tự đánh giá ở {}",
            text,
            mark(fmt.number(over["self_gap"].sum()), prov.weakest(over["gap_provenance"])),
            ", ".join(over["code"]),
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
    marks = {
        "Tự đánh giá": list(gaps["self_provenance"]),
        "Thẩm định": list(gaps["provenance"]),
        "Chênh lệch": list(gaps["gap_provenance"]),
    }
    numeric = ("Tự đánh giá", "Thẩm định", "Chênh lệch")
    return HTML(
        paragraph(sentence("{}.", text))
        + table(frame, numeric=numeric, marks=marks, caption="Tự đánh giá và thẩm định")
    )


# --------------------------------------------------------------------------
# Peers and ranks
# --------------------------------------------------------------------------


def rank_summary(ctx: Context) -> HTML:
    """The rank, the points that would have given the next rank, and those for the target rank."""
    f = figures(ctx)
    target = f.rank_target
    total = f.rank_gaps.set_index("scope").loc["total"]
    gap = total["gap_provenance"]
    text = sentence(
        "Năm {}, {} xếp vị thứ <strong>{}</strong>.",
        f.year,
        ctx.agency_name,
        mark(fmt.rank(total["rank"], total["n_ranked"]), total["rank_provenance"]),
    )
    if pd.notna(total["points_to_next"]):
        text = sentence(
            "{} Cần thêm {} điểm để bằng cơ quan liền trên (vị thứ {}).",
            text,
            mark(fmt.number(total["points_to_next"]), gap),
            mark(fmt.rank(total["next_rank"], total["n_ranked"]), gap),
        )
    else:
        text = sentence("{} Cơ quan đứng đầu bảng xếp hạng.", text)
    if target is not None:
        reached = total["points_to_target"] == 0
        text = sentence(
            "{} Chỉ tiêu năm {} là {} {}: {}",
            text,
            f.year + 1,
            _WORDS.get(target["comparator"], ""),
            fmt.rank(target["value"], target["out_of"]),
            "đã đạt với kết quả năm nay."
            if reached
            else sentence(
                "so với kết quả năm {} của các cơ quan khác, cần thêm {} điểm.",
                f.year,
                mark(fmt.number(total["points_to_target"]), gap),
            ),
        )
    text = sentence("{} Thứ hạng tính theo cách xếp hạng đồng hạng: các cơ quan bằng điểm cùng vị thứ.", text)
    if prov.combine(gap) != prov.OFFICIAL:
        text = sentence("{} Kết quả của các cơ quan khác là số liệu {}.", text, display.label(gap))
    return paragraph(text)


# --------------------------------------------------------------------------
# Year over year and framework changes
# --------------------------------------------------------------------------


def _framework_cell(row) -> str:
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


def change_table(ctx: Context) -> HTML:
    """The fields and the total this year against the year before, on the share of the maximum; rows and ranks
    of a real agency whose earlier figures are only illustrative are withheld, with a note."""
    f = figures(ctx)
    if f.change is None:
        return paragraph(f"Chưa có kết quả năm trước năm {f.year} của cơ quan để so sánh.")
    change = f.change
    kept = change[[not display.withhold(f.is_real, p) for p in change["provenance_from"]]]
    dropped = len(change) - len(kept)
    rank_ok = [not display.withhold(f.is_real, p) for p in kept["rank_provenance_from"]]
    frame = pd.DataFrame(
        {
            "Lĩnh vực": [
                ("Tổng (thang 100)" if s == "total" else f"{s}. {n}") for s, n in zip(kept["scope"], kept["name"])
            ],
            f"Năm {f.previous_year}": [
                fmt.points(p, m) if s != "total" else fmt.points(sh * 100, 100)
                for s, p, m, sh in zip(kept["scope"], kept["points_from"], kept["max_points_from"], kept["share_from"])
            ],
            f"Năm {f.year}": [
                fmt.points(p, m) if s != "total" else fmt.points(sh * 100, 100)
                for s, p, m, sh in zip(kept["scope"], kept["points_to"], kept["max_points_to"], kept["share_to"])
            ],
            "Thay đổi tỷ lệ (điểm %)": kept["change_share"].map(lambda v: fmt.signed(v * 100, 1)),
            "Thứ hạng": [
                f"{int(a)} → {int(b)}" if ok else f"{display.WITHHELD} → {int(b)}"
                for a, b, ok in zip(kept["rank_from"], kept["rank_to"], rank_ok)
            ],
            "Bộ tiêu chí": [_framework_cell(row) for row in kept.itertuples()],
        }
    )
    marks = {
        f"Năm {f.previous_year}": list(kept["provenance_from"]),
        f"Năm {f.year}": list(kept["provenance_to"]),
        "Thay đổi tỷ lệ (điểm %)": list(kept["change_provenance"]),
        "Thứ hạng": [p if ok else None for p, ok in zip(kept["change_rank_provenance"], rank_ok)],
    }
    body = table(
        frame,
        numeric=(f"Năm {f.previous_year}", f"Năm {f.year}", "Thay đổi tỷ lệ (điểm %)", "Thứ hạng"),
        marks=marks,
        caption=f"So sánh năm {f.year} với năm {f.previous_year} (theo tỷ lệ điểm đạt trên điểm tối đa)",
    )
    if not dropped and all(rank_ok):
        return body
    note = sentence(
        "Điểm và thứ hạng từng lĩnh vực, thứ hạng chung năm {} của {} {} (số liệu trong bộ dữ liệu là minh hoạ), "
        "nên bảng chỉ so sánh tổng điểm.",
        f.previous_year,
        ctx.agency_name,
        display.WITHHELD,
    )
    return HTML(body + paragraph(note, "cchc-note"))


def framework_note(ctx: Context, year_from: int | None = None, year_to: int | None = None) -> HTML:
    """What changed in the criteria between two years (default: the year reviewed and the next one)."""
    year_from = int(year_from or ctx.results_year)
    year_to = int(year_to or year_from + 1)
    if year_to not in ctx.ds.years or year_from not in ctx.ds.years:
        return paragraph(f"Chưa có bộ tiêu chí năm {year_to} để so sánh với năm {year_from}.")
    changes = scoring.framework_changes(ctx.ds, year_from, year_to)
    if changes.empty:
        return paragraph(f"Bộ tiêu chí năm {year_to} giống năm {year_from}: so sánh trực tiếp được điểm từng lĩnh vực.")
    origin = pd.concat([ctx.ds.framework_for(year_from), ctx.ds.framework_for(year_to)])
    origin = prov.group_weakest(origin["provenance"], origin["code"])
    parts = []
    for row in changes.itertuples():
        label = {"field": "lĩnh vực", "criterion": "tiêu chí"}.get(row.level, "tiêu chí thành phần")
        p = origin.get(row.code, prov.ILLUSTRATIVE)
        if row.change == "max_changed" and row.level == "field":
            way = "lên" if row.max_points_to > row.max_points_from else "xuống"
            parts.append(
                sentence(
                    "điểm tối đa {} {} từ {} {} {} điểm",
                    label,
                    row.code,
                    fmt.number(row.max_points_from),
                    way,
                    mark(fmt.number(row.max_points_to), p),
                )
            )
        elif row.change == "renamed" and row.level == "field":
            parts.append(sentence("{} {} đổi tên từ “{}” thành “{}”", label, row.code, row.name_from, row.name_to))
        elif row.change == "added":
            parts.append(
                sentence(
                    "thêm {} {} “{}” ({} điểm)", label, row.code, row.name_to, mark(fmt.number(row.max_points_to), p)
                )
            )
        elif row.change == "removed":
            parts.append(
                sentence(
                    "bỏ {} {} “{}” ({} điểm)", label, row.code, row.name_from, mark(fmt.number(row.max_points_from), p)
                )
            )
    text = sentence(
        "<strong>Bộ tiêu chí năm {} thay đổi so với năm {}:</strong> {}. Vì vậy, khi so sánh giữa hai năm, dùng tỷ lệ "
        "điểm đạt trên điểm tối đa thay vì điểm tuyệt đối.",
        year_to,
        year_from,
        display.join(parts, "; "),
    )
    return paragraph(text, "cchc-warning")


def field_name_note(ctx: Context, year_from: int | None = None, year_to: int | None = None) -> HTML:
    """Once per page that shows both years: the fields whose names differ between the two frameworks."""
    year_from = int(year_from or ctx.results_year)
    year_to = int(year_to or year_from + 1)
    if year_to not in ctx.ds.years:
        return HTML("")
    old = ctx.ds.framework_for(year_from).query("level == 'field'").set_index("code")["name"]
    new = ctx.ds.framework_for(year_to).query("level == 'field'").set_index("code")["name"]
    differ = [c for c in sorted(set(old.index) & set(new.index), key=scoring.code_key) if old[c] != new[c]]
    if not differ:
        return HTML("")
    parts = display.join(
        (
            sentence("lĩnh vực {}: năm {} là “{}”, năm {} là “{}”", c, year_from, old[c], year_to, new[c])
            for c in differ
        ),
        "; ",
    )
    return paragraph(sentence("Tên lĩnh vực khác nhau giữa hai năm — {}.", parts), "cchc-note")


# --------------------------------------------------------------------------
# Targets, the survey thresholds, the projection and the scenarios
# --------------------------------------------------------------------------


def targets_table(ctx: Context) -> HTML:
    """Each target of the next year against this year's result, and the gap."""
    f = figures(ctx)
    gaps = f.target_gaps()
    if gaps.empty:
        return paragraph(
            sentence("Dữ liệu chưa có chỉ tiêu năm {} của {} (bảng plan/targets.csv).", f.year + 1, ctx.agency_name)
        )
    fields = f.fields.set_index("field_code")
    rows, marks_last, marks_gap = [], [], []
    for g in gaps.itertuples():
        if g.metric == "rank":
            target, last = f"{_WORDS[g.comparator]} {fmt.rank(g.target, g.out_of)}", fmt.rank(g.last, g.last_max)
            gap = "Đã đạt" if g.met else f"lên {fmt.number(g.gap)} bậc"
            scope = "Thứ hạng chung"
            provenance = f.summary["rank_provenance"]
        else:
            target = f"{_WORDS[g.comparator]} {fmt.points(g.target, g.target_max)} điểm"
            last = f"{fmt.points(g.last, g.last_max)} điểm"
            gap = (
                "Đã đạt"
                if g.met
                else (f"trên {fmt.number(g.gap)} điểm" if g.comparator == ">" else f"{fmt.number(g.gap)} điểm")
            )
            scope = "Tổng điểm (tính cả điều tra xã hội học)" if g.scope == "total" else f"{g.scope}. {g.name}"
            provenance = f.summary["provenance"] if g.scope == "total" else fields.at[g.scope, "provenance"]
        rows.append({"Phạm vi": scope, f"Kết quả {f.year}": last, f"Chỉ tiêu {f.year + 1}": target, "Còn thiếu": gap})
        marks_last.append(provenance)
        marks_gap.append(prov.combine(provenance, g.provenance))
    body = table(
        pd.DataFrame(rows),
        numeric=(f"Kết quả {f.year}", f"Chỉ tiêu {f.year + 1}", "Còn thiếu"),
        marks={f"Kết quả {f.year}": marks_last, "Còn thiếu": marks_gap},
        caption=f"Chỉ tiêu năm {f.year + 1} so với kết quả năm {f.year}",
    )
    return HTML(body + field_name_note(ctx))


def survey_advice(ctx: Context) -> HTML:
    """The smallest survey share for each overall target, which one binds, and the margin to last year's share."""
    f = figures(ctx)
    rows = f.thresholds
    if rows.empty:
        return HTML("")
    p = f.projection
    assert p is not None, "the survey thresholds and scenarios exist only with a projection"
    last = mark(fmt.percent(p.survey_share, 2), f.summary["survey_provenance"])
    parts = []
    for r in rows.itertuples():
        word = "trên" if r.strict else "từ"
        if r.metric == "points":
            goal = sentence("để tổng điểm {} {} điểm", _WORDS.get(r.comparator, ""), fmt.number(r.target))
        else:
            goal = sentence(
                "để {} {} (bằng chỉ số {} của cơ quan đang xếp thứ {} năm {})",
                _WORDS.get(r.comparator, ""),
                fmt.rank(r.target, r.out_of),
                mark(fmt.number(r.index_needed), r.provenance),
                int(r.target),
                f.year,
            )
        if not r.reachable:
            parts.append(sentence("{}: không đạt được kể cả khi điểm điều tra xã hội học tối đa", goal))
        else:
            parts.append(sentence("{}, tỷ lệ cần {} {}", goal, word, _pct(r.min_share, r.provenance)))
    binding = rows[rows["binding"]].iloc[0]
    which = "chỉ tiêu thứ hạng" if binding["metric"] == "rank" else "chỉ tiêu tổng điểm"
    margin = binding["margin"] * 100
    verdict = (
        sentence(
            "Ràng buộc chặt hơn là <strong>{}</strong>: tỷ lệ năm {} ({}) chỉ cao hơn ngưỡng này {} điểm phần trăm.",
            which,
            f.year,
            last,
            mark(fmt.number(margin, 2), binding["provenance"]),
        )
        if margin >= 0
        else sentence(
            "Ràng buộc chặt hơn là <strong>{}</strong>: tỷ lệ năm {} ({}) còn thấp hơn ngưỡng này {} điểm phần trăm.",
            which,
            f.year,
            last,
            mark(fmt.number(-margin, 2), binding["provenance"]),
        )
    )
    text = sentence(
        "Khi mọi lĩnh vực đạt chỉ tiêu năm {} ({} điểm thẩm định), tỷ lệ điểm điều tra xã hội học tối thiểu: {}. {} "
        "Mỗi điểm phần trăm của tỷ lệ này tương ứng {} điểm chỉ số.",
        p.target_year,
        fmt.points(p.appraisal_points, p.appraisal_max),
        display.join(parts, "; "),
        verdict,
        fmt.number(p.survey_points_per_pp),
    )
    if prov.combine(*rows["provenance"]) == prov.ILLUSTRATIVE:
        text = sentence(
            "{} Ngưỡng theo thứ hạng giả định các cơ quan khác giữ nguyên kết quả năm {} (số liệu minh hoạ).",
            text,
            f.year,
        )
    return paragraph(text)


def projection_summary(ctx: Context) -> HTML:
    """Where the agency lands next year if every field target is met, and what the survey must bring."""
    f = figures(ctx)
    p = f.projection
    if p is None:
        return paragraph(
            sentence(
                "Chưa có chỉ tiêu điểm theo lĩnh vực năm {} của {} nên không dự báo kết quả năm sau.",
                f.year + 1,
                ctx.agency_name,
            )
        )
    index_p, rank_p = f.projection_provenance, f.projection_rank_provenance
    survey_p = f.summary["survey_provenance"]
    text = sentence(
        "Nếu mọi lĩnh vực đạt chỉ tiêu năm {}, điểm thẩm định là <strong>{}</strong> điểm; với điểm điều tra xã hội học "
        "giữ tỷ lệ năm {} ({}, tức {} điểm), Chỉ số CCHC năm {} dự kiến đạt <strong>{}</strong> điểm ({} điểm so với "
        "năm {})",
        p.target_year,
        fmt.points(p.appraisal_points, p.appraisal_max),
        p.base_year,
        _pct(p.survey_share, survey_p),
        mark(fmt.points(p.survey_points, p.survey_max), index_p),
        p.target_year,
        mark(fmt.points(p.index, scoring.TOTAL_MAX), index_p),
        mark(fmt.signed(p.index - p.last_index), index_p),
        p.base_year,
    )
    if p.total_target is not None:
        text = sentence(
            "{}, {} chỉ tiêu {} {} điểm",
            text,
            "đạt" if p.meets_total_target else "chưa đạt",
            _WORDS.get(p.total_comparator, ""),
            fmt.number(p.total_target),
        )
    text = sentence(
        "{}, xếp vị thứ <strong>{}</strong> nếu các cơ quan khác giữ nguyên kết quả năm {}",
        text,
        mark(fmt.rank(p.rank, p.n_ranked), rank_p),
        p.base_year,
    )
    if p.rank_target is not None:
        text = sentence(
            "{} ({} chỉ tiêu tốp {})",
            text,
            "đạt" if p.meets_rank_target else "chưa đạt",
            fmt.rank(p.rank_target, p.n_ranked),
        )
    met = f.scenarios.set_index("scenario").loc["targets_met"]
    if pd.notna(met["margin_below"]):
        text = sentence(
            "{}; cách cơ quan liền sau ({}) {} điểm",
            text,
            met["peer_below"],
            mark(fmt.number(met["margin_below"]), met["rank_provenance"]),
        )
    return HTML(paragraph(sentence("{}.", text)) + survey_advice(ctx))


_SCENARIOS = {
    "targets_met": "Mọi lĩnh vực đạt chỉ tiêu; điều tra xã hội học giữ tỷ lệ năm {base}",
    "losses_repeat": "Như trên, nhưng {codes} lại bị trừ {lost} điểm như năm {base}",
    "survey_down": "Mọi lĩnh vực đạt chỉ tiêu; tỷ lệ điều tra xã hội học giảm {drop} điểm phần trăm",
}


def _missed(row) -> str:
    names = {"points": "tổng điểm", "rank": "thứ hạng"}
    if not row.missed:
        return "Đạt cả hai chỉ tiêu"
    return "Không đạt chỉ tiêu " + " và ".join(names[m] for m in row.missed)


def scenario_table(ctx: Context) -> HTML:
    """Three scenarios of the next year (each: total, rank, margin to the peers around it, missed target) and the
    sentence that reads them."""
    f = figures(ctx)
    rows = f.scenarios
    if rows.empty:
        return HTML("")
    base, drop = (
        f.year,
        100 * (rows.iloc[0]["survey_share"] - rows.set_index("scenario").at["survey_down", "survey_share"]),
    )
    labels = [
        _SCENARIOS[r.scenario].format(
            base=base, codes=", ".join(r.repeated) or "–", lost=fmt.number(r.lost_again), drop=fmt.number(drop)
        )
        for r in rows.itertuples()
    ]
    frame = pd.DataFrame(
        {
            "Kịch bản": labels,
            "Chỉ số dự kiến": [fmt.points(i, scoring.TOTAL_MAX) for i in rows["index"]],
            "Thứ hạng": [fmt.rank(r, n) for r, n in zip(rows["rank"], rows["n_ranked"])],
            "Hơn cơ quan liền sau": [
                "–" if pd.isna(m) else f"{fmt.number(m)} điểm ({n})"
                for m, n in zip(rows["margin_below"], rows["peer_below"])
            ],
            "Kém cơ quan liền trên": [
                "–" if pd.isna(m) else f"{fmt.number(m)} điểm ({n})"
                for m, n in zip(rows["gap_above"], rows["peer_above"])
            ],
            "Kết luận": [_missed(r) for r in rows.itertuples()],
        }
    )
    rank_p = list(rows["rank_provenance"])
    marks = {
        "Chỉ số dự kiến": list(rows["provenance"]),
        "Thứ hạng": rank_p,
        "Hơn cơ quan liền sau": rank_p,
        "Kém cơ quan liền trên": rank_p,
    }
    body = table(
        frame,
        numeric=("Chỉ số dự kiến", "Thứ hạng", "Hơn cơ quan liền sau", "Kém cơ quan liền trên"),
        marks=marks,
        caption=f"Kịch bản năm {base + 1} (các cơ quan khác giữ nguyên kết quả năm {base})",
    )
    failing = [label for label, r in zip(labels, rows.itertuples()) if r.missed]
    met = rows.iloc[0]
    if met["missed"]:
        reading = sentence(
            "Kể cả khi mọi lĩnh vực đạt chỉ tiêu và tỷ lệ điều tra xã hội học giữ mức năm {}, {}.",
            base,
            _missed(rows.iloc[0]).lower().replace("không đạt", "vẫn không đạt"),
        )
    elif failing:
        others = len(rows) - 1
        reading = sentence(
            "Chỉ khi mọi lĩnh vực đạt chỉ tiêu và tỷ lệ điều tra xã hội học giữ mức năm {} thì mới đạt cả hai chỉ "
            "tiêu, và khi đó chỉ hơn cơ quan liền sau {} điểm; {} không đạt chỉ tiêu. Kế hoạch vì vậy không có dư địa "
            "cho việc lặp lại khoản bị trừ điểm lớn nhất năm {} hay để mức hài lòng của người dân giảm.",
            base,
            mark(fmt.number(met["margin_below"]), met["rank_provenance"]) if pd.notna(met["margin_below"]) else "–",
            "cả hai kịch bản còn lại đều"
            if len(failing) == others == 2
            else f"{len(failing):02d}/{others:02d} kịch bản còn lại",
            base,
        )
    else:
        reading = sentence("Cả ba kịch bản đều đạt hai chỉ tiêu năm {}.", base + 1)
    if any(display.label(p) == display.label(prov.ILLUSTRATIVE) for p in rank_p):
        reading = sentence("{} Thứ hạng xếp so với kết quả minh hoạ của các cơ quan khác.", reading)
    return HTML(body + paragraph(reading))


def projection_table(ctx: Context) -> HTML:
    """Each field's last points and projected points, and on what basis."""
    f = figures(ctx)
    p = f.projection
    if p is None:
        return HTML("")
    fields = p.fields
    basis = {"target": "Đạt chỉ tiêu", "held_share": f"Giữ tỷ lệ năm {p.base_year}"}
    last_p = f.fields.set_index("field_code")["provenance"]
    rows = pd.DataFrame(
        {
            "Lĩnh vực": [f"{c}. {n}" for c, n in zip(fields["field_code"], fields["name"])],
            f"Năm {p.base_year}": [fmt.points(a, b) for a, b in zip(fields["last_points"], fields["last_max"])],
            f"Dự kiến {p.target_year}": [fmt.points(a, b) for a, b in zip(fields["points"], fields["max_points"])],
            "Cơ sở": fields["basis"].map(basis),
        }
    )
    summary = f.summary
    extra = pd.DataFrame(
        [
            {
                "Lĩnh vực": "Điều tra xã hội học",
                f"Năm {p.base_year}": fmt.points(summary["survey_points"], summary["survey_max"]),
                f"Dự kiến {p.target_year}": fmt.points(p.survey_points, p.survey_max),
                "Cơ sở": f"Giữ tỷ lệ năm {p.base_year}",
            },
            {
                "Lĩnh vực": "Chỉ số (thang 100)",
                f"Năm {p.base_year}": fmt.points(p.last_index, scoring.TOTAL_MAX),
                f"Dự kiến {p.target_year}": fmt.points(p.index, scoring.TOTAL_MAX),
                "Cơ sở": display.mark(f"Xếp vị thứ {fmt.rank(p.rank, p.n_ranked)}", f.projection_rank_provenance),
            },
        ]
    )
    marks = {
        f"Năm {p.base_year}": [*fields["field_code"].map(last_p), summary["survey_provenance"], summary["provenance"]],
        f"Dự kiến {p.target_year}": [None] * len(fields) + [f.projection_provenance] * 2,
    }
    return table(
        pd.concat([rows, extra], ignore_index=True),
        numeric=(f"Năm {p.base_year}", f"Dự kiến {p.target_year}"),
        marks=marks,
        caption=f"Dự báo năm {p.target_year} nếu đạt mọi chỉ tiêu lĩnh vực",
    )


def assumptions_table(ctx: Context) -> HTML:
    """The projection's assumptions, stated."""
    p = figures(ctx).projection
    if p is None:
        return HTML("")
    return table(pd.DataFrame({"Giả định": p.assumptions["description"]}), caption="Giả định của dự báo")


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
    """Computed totals, field points and ranks against the figures the province really published; generated
    figures are not counted as a reconciliation."""
    year = ctx.results_year
    rows = scoring.reconcile(ctx.ds, year)
    real = rows[rows["reconciled"]]
    names = ctx.ds.agencies.set_index("agency_id")["short_name"]
    generated = rows[~rows["reconciled"]]
    skipped = (
        sentence(
            " Các số liệu còn lại của bảng số liệu công bố ({:02d} cơ quan) là số liệu minh hoạ hoặc suy ra, không phải "
            "số liệu công bố, nên không được đối chiếu.",
            generated["agency_id"].nunique(),
        )
        if not generated.empty
        else ""
    )
    if real.empty:
        return paragraph(sentence("Chưa có số liệu công bố chính thức năm {} để đối chiếu.{}", year, skipped))
    whose = ", ".join(names.get(a, a) for a in real["agency_id"].unique())
    bad = real[~real["matches"]]
    if bad.empty:
        return paragraph(
            sentence(
                "Đối chiếu với số liệu công bố chính thức năm {}: <strong>{}/{}</strong> số liệu (tổng điểm, điểm và thứ "
                "hạng từng lĩnh vực của {}) khớp với kết quả tính từ bảng điểm.{}",
                year,
                len(real),
                len(real),
                whose,
                skipped,
            )
        )
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
    text = sentence(
        "<strong>Cảnh báo:</strong> {}/{} số liệu công bố chính thức năm {} không khớp với kết quả tính từ bảng điểm. "
        "Báo cáo này dùng kết quả tính lại; cần kiểm tra lại bảng điểm hoặc số liệu công bố.",
        len(bad),
        len(real),
        year,
    )
    return HTML(
        paragraph(text, "cchc-warning") + table(frame, numeric=("Công bố", "Tính lại"), caption="Số liệu không khớp")
    )
