"""Checks across tables: references, maxima, sums and completeness.

Each check takes the parsed tables and returns Problems that point at the
exact file, row and column through the ``_file`` and ``_row`` columns that
``contracts.parse_table`` keeps. Values left empty by an earlier parsing problem
are skipped here, so one mistake is reported once.

Why this module is long: each cross-table rule is a short function, and all of them share the bookkeeping of
cells that already failed to parse (so a bad cell is reported once); one module keeps that bookkeeping private.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import numpy as np
import pandas as pd

from cchc_analysis import fmt
from cchc_analysis.errors import Problem, ProblemCode
from cchc_analysis.ingest import schedule
from cchc_analysis.ingest.contracts import ProblemCap, code_key

__all__ = [
    "BLOCKED_NEEDS_CAUSE",
    "COMPLETED_AFTER_UPDATE",
    "DATE_NEEDS_DONE",
    "DONE_NEEDS_100",
    "DONE_NEEDS_DATE",
    "LEVEL_BY_DEPTH",
    "NO_PERCENT",
    "RANK_DECIMALS",
    "TOLERANCE",
    "check_dataset",
    "check_framework",
    "check_plan_starts",
    "check_progress",
    "check_published",
    "check_published_ranks",
    "check_scores",
    "check_survey",
    "check_targets",
    "check_tasks",
    "done_but_incomplete",
    "occurrence_problem",
    "parsing_text",
    "row_problems",
]

TOLERANCE = 1e-6
LEVEL_BY_DEPTH = {1: "field", 2: "criterion", 3: "sub_criterion"}


def _problem(record: pd.Series | dict, column: str | None, value: object, expected: str, code: ProblemCode) -> Problem:
    shown = None if value is None else (fmt.number(value) if isinstance(value, float) else str(value))
    return Problem(str(record["_file"]), int(record["_row"]), column, shown, expected, code)


def _present(value: object) -> bool:
    return value is not None and not (isinstance(value, float) and pd.isna(value)) and value is not pd.NA


class _Anything(set):
    """Stands for the ids of a table that could not be read: every reference to it is let through."""

    def __contains__(self, item: object) -> bool:
        return True


def _known(values: pd.Series, ids: set[str]) -> pd.Series:
    """A boolean mask: is each value one of ``ids``. (Series.isin would iterate an _Anything as an empty set.)"""
    return values.map(lambda value: value in ids).astype(bool)


def _invalid(table: pd.DataFrame, record: pd.Series | dict, column: str) -> bool:
    """Whether this cell failed to parse (already reported by contracts.parse_table)."""
    return (str(record["_file"]), int(record["_row"]), column) in table.attrs.get("invalid_cells", ())


def check_dataset(tables: dict[str, pd.DataFrame], unreadable: set[str], framework_years: set[int]) -> list[Problem]:
    """Cross-table checks. A table in ``unreadable`` (a file-level or header problem, already reported)
    is not used to judge references to it, so one broken file is reported once, not once per row elsewhere."""
    framework = tables["framework"]
    agencies = _Anything() if "agencies" in unreadable else set(tables["agencies"]["agency_id"].dropna())
    units = _Anything() if "units" in unreadable else set(tables["units"]["unit_id"].dropna())
    problems: list[Problem] = []
    problems += check_framework(framework)
    maxima = {(int(r.year), r.code): float(r.max_points) for r in framework.itertuples() if _present(r.max_points)}
    parents = {(int(r.year), r.parent_code) for r in framework.itertuples() if _present(r.parent_code)}
    fields = {(int(r.year), r.code) for r in framework.itertuples() if r.level == "field"}
    readable_years = {int(y) for y in framework["year"].dropna()}
    # A year whose framework file exists but could not be read: known, but nothing can be checked against it.
    years = _Anything() if "framework" in unreadable and not framework_years else set(framework_years)
    maxima_years = readable_years
    problems += check_scores(tables["scores"], agencies, years, maxima, parents, maxima_years)
    problems += check_survey(tables["survey"], agencies)
    problems += check_published(tables["published"], agencies, years, fields, maxima_years)
    problems += check_tasks(tables["tasks"], agencies, units, years, maxima, fields, maxima_years)
    problems += list(_unknown_agency(tables["plans"], agencies))
    if "plans" not in unreadable:
        problems += check_plan_starts(tables["tasks"], tables["plans"])
    problems += check_targets(tables["targets"], agencies, years, maxima, fields, maxima_years)
    if "tasks" not in unreadable:
        problems += check_progress(tables["progress"], tables["tasks"])
    return problems


def check_framework(framework: pd.DataFrame) -> list[Problem]:
    problems = []
    for year, table in framework.groupby("year"):
        by_code = {record["code"]: record for record in table.to_dict("records") if _present(record["code"])}
        children: dict[str, list] = {}
        counted: set[str] = set()  # a repeated code is reported as duplicate_key; count it once in its parent's sum
        for record in table.to_dict("records"):
            code, parent = record["code"], record["parent_code"]
            if not _present(code):
                continue
            depth = code.count(".") + 1
            expected_parent = code.rsplit(".", 1)[0] if depth > 1 else None
            if _present(record["level"]) and record["level"] != LEVEL_BY_DEPTH.get(depth, "detail"):
                problems.append(
                    _problem(
                        record,
                        "level",
                        record["level"],
                        f"mã {code} có {depth} cấp nên cấp phải là {LEVEL_BY_DEPTH.get(depth, 'detail')}",
                        ProblemCode.BAD_LEVEL,
                    )
                )
            if (parent if _present(parent) else None) != expected_parent:
                expected = (
                    f"tiêu chí cha phải là {expected_parent}" if expected_parent else "lĩnh vực không có tiêu chí cha"
                )
                problems.append(
                    _problem(
                        record, "parent_code", parent if _present(parent) else "", expected, ProblemCode.BAD_PARENT
                    )
                )
            elif expected_parent and expected_parent not in by_code:
                problems.append(
                    _problem(
                        record,
                        "parent_code",
                        parent,
                        f"không có tiêu chí {expected_parent} trong bộ tiêu chí năm {year}",
                        ProblemCode.UNKNOWN_PARENT,
                    )
                )
            if expected_parent and expected_parent in by_code and code not in counted:
                # the code decides the parent, even if parent_code is wrong (reported above)
                counted.add(code)
                children.setdefault(expected_parent, []).append(record)
        for parent_code, kids in children.items():
            parent = by_code[parent_code]
            if not _present(parent["max_points"]) or any(not _present(k["max_points"]) for k in kids):
                continue
            total = sum(float(k["max_points"]) for k in kids)
            if abs(total - float(parent["max_points"])) > TOLERANCE:
                problems.append(
                    _problem(
                        parent,
                        "max_points",
                        float(parent["max_points"]),
                        f"tổng điểm tối đa của các tiêu chí con ({', '.join(k['code'] for k in kids)}) "
                        f"là {fmt.number(total)}, phải bằng điểm tối đa của {parent_code}",
                        ProblemCode.SUM_MISMATCH,
                    )
                )
    return problems


def _capped(rows: pd.DataFrame, column: str, make: Callable[[dict], Problem]) -> list[Problem]:
    """``make(record)`` for the first rows of each file, then one line counting the rest: a million rows with
    the same mistake cost a count, not a million row objects."""
    cap = ProblemCap()
    admitted = [i for i, file in enumerate(rows["_file"].tolist()) if cap.admit(file, column)]
    return [make(record) for record in rows.iloc[admitted].to_dict("records")] + cap.summaries()


def _unknown_agency(table: pd.DataFrame, agencies: set[str], column: str = "agency_id") -> list[Problem]:
    return _capped(
        table[~_known(table[column], agencies) & table[column].notna()],
        column,
        lambda record: _problem(
            record, column, record[column], "mã cơ quan không có trong agencies", ProblemCode.UNKNOWN_AGENCY
        ),
    )


def _known_year(record: pd.Series, years: set[int], column: str = "year") -> Problem | None:
    if _present(record[column]) and int(record[column]) not in years:
        return _problem(
            record,
            column,
            int(record[column]),
            f"không có bộ tiêu chí cho năm này; các năm có: {', '.join(map(str, sorted(years)))}",
            ProblemCode.UNKNOWN_YEAR,
        )
    return None


def _suspicious_scores(
    scores: pd.DataFrame, maxima: dict[tuple[int, str], float], parents: set[tuple[int, str]]
) -> pd.Series:
    """Rows that may hold a problem, found with whole-column operations; only these are checked one by one.

    A row is clean when its (year, code) is a leaf with a maximum, its points are within that maximum, a
    not-applicable row has no points, and an applicable row has appraised points. Everything else (including
    unknown years and codes) goes to the row-by-row checks, which say exactly what is wrong.
    """
    leaves = pd.DataFrame(
        [(year, code, maximum) for (year, code), maximum in maxima.items() if (year, code) not in parents],
        columns=["year", "code", "_max"],
    ).astype({"year": "Int64", "code": scores["code"].dtype, "_max": "float64"})
    merged = scores[["year", "code"]].merge(leaves, on=["year", "code"], how="left")
    limit = merged["_max"].to_numpy() + TOLERANCE
    self_points, appraised = scores["self_points"].to_numpy(), scores["appraised_points"].to_numpy()
    not_applicable = scores["not_applicable"].to_numpy(dtype=bool)
    with np.errstate(invalid="ignore"):
        over = (self_points > limit) | (appraised > limit)
        points_on_na = not_applicable & (
            ((~np.isnan(self_points)) & (self_points != 0)) | ((~np.isnan(appraised)) & (appraised != 0))
        )
    missing = ~not_applicable & np.isnan(appraised)
    unknown = merged["_max"].isna().to_numpy()
    return pd.Series(unknown | over | points_on_na | missing, index=scores.index)


def check_scores(
    scores: pd.DataFrame,
    agencies: set[str],
    years: set[int],
    maxima: dict[tuple[int, str], float],
    parents: set[tuple[int, str]],
    checkable: set[int],
) -> list[Problem]:
    problems = list(_unknown_agency(scores, agencies))
    for record in scores[_suspicious_scores(scores, maxima, parents)].to_dict("records"):
        if not (_present(record["year"]) and _present(record["code"])):
            continue
        year, code = int(record["year"]), record["code"]
        if (problem := _known_year(record, years)) is not None:
            problems.append(problem)
            continue
        if year not in checkable:
            continue
        if (year, code) not in maxima:
            problems.append(
                _problem(
                    record, "code", code, f"mã tiêu chí không có trong bộ tiêu chí năm {year}", ProblemCode.UNKNOWN_CODE
                )
            )
            continue
        if (year, code) in parents:
            problems.append(
                _problem(
                    record,
                    "code",
                    code,
                    "chỉ chấm điểm tiêu chí lá (không có tiêu chí con); điểm của tiêu chí cha được cộng từ tiêu chí con",
                    ProblemCode.NOT_A_LEAF,
                )
            )
            continue
        maximum = maxima[(year, code)]
        for column in ("self_points", "appraised_points"):
            value = record[column]
            if record["not_applicable"] and _present(value) and value != 0:
                problems.append(
                    _problem(
                        record,
                        column,
                        float(value),
                        "tiêu chí không áp dụng thì để trống điểm",
                        ProblemCode.POINTS_ON_NOT_APPLICABLE,
                    )
                )
            elif _present(value) and value > maximum + TOLERANCE:
                problems.append(
                    _problem(
                        record,
                        column,
                        float(value),
                        f"điểm vượt quá điểm tối đa {fmt.number(maximum)} của tiêu chí {code}",
                        ProblemCode.ABOVE_MAXIMUM,
                    )
                )
        if (
            not record["not_applicable"]
            and not _present(record["appraised_points"])
            and not _invalid(scores, record, "appraised_points")
            and not _invalid(scores, record, "not_applicable")
        ):
            problems.append(
                _problem(
                    record,
                    "appraised_points",
                    None,
                    "thiếu điểm thẩm định (chỉ được để trống khi tiêu chí không áp dụng)",
                    ProblemCode.MISSING_VALUE,
                )
            )
    leaves: dict[int, set[str]] = {}
    for year, code in maxima:
        if (year, code) not in parents:
            leaves.setdefault(year, set()).add(code)
    valid = scores.dropna(subset=["agency_id", "year", "code"])
    valid = valid[_known(valid["agency_id"], agencies)]
    for (agency, year), group in valid.groupby(["agency_id", "year"]):
        missing = sorted(leaves.get(int(year), set()) - set(group["code"]), key=code_key)
        if missing:
            record = group.iloc[0]
            listed = ", ".join(missing[:12]) + (" …" if len(missing) > 12 else "")
            problems.append(
                Problem(
                    str(record["_file"]),
                    None,
                    "code",
                    None,
                    f"cơ quan {agency} năm {year} thiếu điểm của {len(missing)} tiêu chí lá: {listed}",
                    ProblemCode.MISSING_SCORE,
                )
            )
    return problems


def check_survey(survey: pd.DataFrame, agencies: set[str]) -> list[Problem]:
    problems = list(_unknown_agency(survey, agencies))
    over = survey[survey["survey_points"] > survey["survey_max"] + TOLERANCE]
    for record in over.to_dict("records"):
        problems.append(
            _problem(
                record,
                "survey_points",
                float(record["survey_points"]),
                f"điểm vượt quá điểm tối đa {fmt.number(record['survey_max'])} của phần điều tra",
                ProblemCode.ABOVE_MAXIMUM,
            )
        )
    return problems


def _check_scope(
    record: pd.Series, years: set[int], fields: set[tuple[int, str]], checkable: set[int], year_column: str = "year"
) -> Problem | None:
    if (problem := _known_year(record, years, year_column)) is not None:
        return problem
    scope = record["scope"]
    if not _present(scope) or not _present(record[year_column]) or int(record[year_column]) not in checkable:
        return None
    if scope != "total" and (int(record[year_column]), scope) not in fields:
        return _problem(
            record,
            "scope",
            scope,
            "cần total hoặc mã một lĩnh vực của bộ tiêu chí năm đó (1…7)",
            ProblemCode.UNKNOWN_SCOPE,
        )
    return None


def check_published(
    published: pd.DataFrame, agencies: set[str], years: set[int], fields: set[tuple[int, str]], checkable: set[int]
) -> list[Problem]:
    problems = list(_unknown_agency(published, agencies))
    scope_known = pd.Series(
        [
            (scope == "total" or (int(year), scope) in fields) and int(year) in years and int(year) in checkable
            if _present(year) and _present(scope)
            else False
            for year, scope in zip(published["year"], published["scope"])
        ],
        index=published.index,
        dtype=bool,
    )
    with np.errstate(invalid="ignore"):
        suspicious = (
            ~scope_known
            | (published["points"] > published["max_points"] + TOLERANCE)
            | (published["rank"] > published["n_ranked"]).fillna(False).astype(bool)
            | (published["rank"].isna() != published["n_ranked"].isna())
        )
    for record in published[suspicious].to_dict("records"):
        if (problem := _check_scope(record, years, fields, checkable)) is not None:
            problems.append(problem)
        if (
            _present(record["points"])
            and _present(record["max_points"])
            and record["points"] > record["max_points"] + TOLERANCE
        ):
            problems.append(
                _problem(
                    record,
                    "points",
                    float(record["points"]),
                    f"điểm vượt quá điểm tối đa {fmt.number(record['max_points'])}",
                    ProblemCode.ABOVE_MAXIMUM,
                )
            )
        if _present(record["rank"]) and _present(record["n_ranked"]) and record["rank"] > record["n_ranked"]:
            problems.append(
                _problem(
                    record,
                    "rank",
                    int(record["rank"]),
                    f"thứ hạng không thể lớn hơn số cơ quan được xếp hạng ({int(record['n_ranked'])})",
                    ProblemCode.RANK_OUT_OF_RANGE,
                )
            )
        if (
            _present(record["rank"]) != _present(record["n_ranked"])
            and not _invalid(published, record, "rank")
            and not _invalid(published, record, "n_ranked")
        ):
            empty = "n_ranked" if _present(record["rank"]) else "rank"
            problems.append(
                _problem(
                    record,
                    empty,
                    None,
                    "thứ hạng và số cơ quan được xếp hạng phải cùng có hoặc cùng để trống",
                    ProblemCode.INCOMPLETE_RANK,
                )
            )
    return problems


RANK_DECIMALS = 6  # shares are compared after rounding, as the ranking does (0.1 + 0.2 ties with 0.3)


def check_published_ranks(published: pd.DataFrame) -> list[Problem]:
    """Published ranks against the published points: in a year and scope whose table is complete (as many rows
    with points as ``n_ranked`` says were ranked), each rank must be the competition rank of its row — one plus
    the number of rows with a higher value, the index for the total and the share of the row's maximum for a field
    (an agency with a not-applicable criterion is ranked on its own maximum). Ties share a rank: 1, 1, 1, 4, …

    The results workbook's import applies it; ``check_dataset`` does not yet (tests/test_corpus.py accepts a
    published maximum edited alone, which moves the ranks)."""
    problems: list[Problem] = []
    rows = published.dropna(subset=["year", "scope", "points", "max_points"])
    rows = rows[rows["max_points"] > 0]
    for _, group in rows.groupby(["year", "scope"]):
        counts = group["n_ranked"].dropna()
        if counts.empty or len(group) < int(counts.max()):
            continue  # peers missing: their points cannot be compared
        values = (group["points"] / group["max_points"]).round(RANK_DECIMALS)
        for index, record in group.iterrows():
            if not _present(record["rank"]) or _invalid(published, record, "rank"):
                continue
            expected = int((values > values[index]).sum()) + 1
            if int(record["rank"]) != expected:
                problems.append(
                    _problem(
                        record,
                        "rank",
                        int(record["rank"]),
                        f"theo điểm công bố ({fmt.number(record['points'])}/{fmt.number(record['max_points'])}) "
                        f"thì thứ hạng phải là {expected}/{len(group)} (xếp hạng cạnh tranh, đồng điểm đồng hạng)",
                        ProblemCode.RANK_MISMATCH,
                    )
                )
    return problems


def check_tasks(
    tasks: pd.DataFrame,
    agencies: set[str],
    units: set[str],
    years: set[int],
    maxima: dict[tuple[int, str], float],
    fields: set[tuple[int, str]],
    checkable: set[int],
) -> list[Problem]:
    problems = list(_unknown_agency(tasks, agencies))
    for _, record in tasks[~_known(tasks["unit_id"], units) & tasks["unit_id"].notna()].iterrows():
        problems.append(
            _problem(
                record,
                "unit_id",
                record["unit_id"],
                f"mã đơn vị không có trong units; các mã hợp lệ: {', '.join(sorted(units))}",
                ProblemCode.UNKNOWN_UNIT,
            )
        )
    for _, record in tasks.iterrows():
        if (problem := _known_year(record, years, "plan_year")) is not None:
            problems.append(problem)
            continue
        if not _present(record["plan_year"]) or int(record["plan_year"]) not in checkable:
            continue
        year = int(record["plan_year"])
        if _present(record["field_code"]) and (year, record["field_code"]) not in fields:
            problems.append(
                _problem(
                    record,
                    "field_code",
                    record["field_code"],
                    f"cần mã một lĩnh vực của bộ tiêu chí năm {year} (1…7)",
                    ProblemCode.UNKNOWN_CODE,
                )
            )
        for column in ("sub_criteria", "inferred_codes"):
            for code in record[column] or ():
                if (year, code) not in maxima and (year - 1, code) not in maxima:
                    problems.append(
                        _problem(
                            record,
                            column,
                            code,
                            f"mã tiêu chí không có trong bộ tiêu chí năm {year - 1} hoặc {year}",
                            ProblemCode.UNKNOWN_CODE,
                        )
                    )
        if record["kind"] == "one_off" and not _present(record["due_date"]) and not _invalid(tasks, record, "due_date"):
            problems.append(
                _problem(
                    record,
                    "due_date",
                    None,
                    "nhiệm vụ một lần cần hạn hoàn thành (dd/mm/yyyy)",
                    ProblemCode.MISSING_VALUE,
                )
            )
        if (
            record["kind"] == "recurring"
            and not _present(record["frequency"])
            and not _invalid(tasks, record, "frequency")
        ):
            problems.append(
                _problem(
                    record,
                    "frequency",
                    None,
                    "nhiệm vụ định kỳ cần tần suất: monthly, quarterly, six_monthly hoặc yearly",
                    ProblemCode.MISSING_VALUE,
                )
            )
    return problems


def check_targets(
    targets: pd.DataFrame,
    agencies: set[str],
    years: set[int],
    maxima: dict[tuple[int, str], float],
    fields: set[tuple[int, str]],
    checkable: set[int],
) -> list[Problem]:
    problems = list(_unknown_agency(targets, agencies))
    for record in targets.to_dict("records"):
        if (problem := _check_scope(record, years, fields, checkable)) is not None:
            problems.append(problem)
            continue
        if not (_present(record["year"]) and _present(record["value"]) and _present(record["scope"])):
            continue
        if int(record["year"]) not in checkable:
            continue
        if record["metric"] == "points":
            maximum = 100.0 if record["scope"] == "total" else maxima.get((int(record["year"]), record["scope"]))
            if maximum is not None and record["value"] > maximum + TOLERANCE:
                problems.append(
                    _problem(
                        record,
                        "value",
                        float(record["value"]),
                        f"chỉ tiêu vượt quá điểm tối đa {fmt.number(maximum)}",
                        ProblemCode.ABOVE_MAXIMUM,
                    )
                )
        elif record["metric"] == "rank":
            if not _present(record["out_of"]):
                if _invalid(targets, record, "out_of"):
                    continue
                problems.append(
                    _problem(
                        record,
                        "out_of",
                        None,
                        "chỉ tiêu thứ hạng cần số cơ quan được xếp hạng",
                        ProblemCode.MISSING_VALUE,
                    )
                )
            elif record["value"] > record["out_of"] or record["value"] < 1 or not float(record["value"]).is_integer():
                problems.append(
                    _problem(
                        record,
                        "value",
                        float(record["value"]),
                        f"thứ hạng phải là số nguyên từ 1 đến {int(record['out_of'])}",
                        ProblemCode.RANK_OUT_OF_RANGE,
                    )
                )
    return problems


def check_plan_starts(tasks: pd.DataFrame, plans: pd.DataFrame) -> list[Problem]:
    """Every plan with tasks has a start date (plan/plans), and no one-off task is due before it."""
    starts = {(r.agency_id, int(r.plan_year)): r.start_date for r in plans.itertuples() if _present(r.plan_year)}
    problems = []
    reported: set[tuple[str, int]] = set()
    for _, record in tasks.iterrows():
        if not (_present(record["agency_id"]) and _present(record["plan_year"])):
            continue
        key = (record["agency_id"], int(record["plan_year"]))
        if key not in starts:
            if key not in reported:
                reported.add(key)
                problems.append(
                    _problem(
                        record,
                        "plan_year",
                        int(record["plan_year"]),
                        "kế hoạch này chưa có dòng trong plan/plans (ngày bắt đầu của kế hoạch): "
                        "cần agency_id, plan_year, title, start_date",
                        ProblemCode.MISSING_PLAN,
                    )
                )
            continue
        due, start = record["due_date"], starts[key]
        if record["kind"] == "one_off" and _present(due) and _present(start) and due < start:
            problems.append(
                _problem(
                    record,
                    "due_date",
                    fmt.date(due),
                    f"hạn hoàn thành ở trước ngày bắt đầu của kế hoạch ({fmt.date(start)}, plan/plans)",
                    ProblemCode.DUE_BEFORE_PLAN_START,
                )
            )
    return problems


#: The rules between cells of a progress row (the table and the units' workbook both apply them).
DONE_NEEDS_100 = "nhiệm vụ đã hoàn thành thì phần trăm hoàn thành phải là 100 (hoặc để trống)"
DONE_NEEDS_DATE = "đã hoàn thành thì cần ngày hoàn thành (dd/mm/yyyy)"
DATE_NEEDS_DONE = "chỉ ghi ngày hoàn thành khi trạng thái là Hoàn thành"
BLOCKED_NEEDS_CAUSE = "gặp vướng mắc thì cần ghi vướng mắc và nguyên nhân"
COMPLETED_AFTER_UPDATE = "ngày hoàn thành không thể sau ngày cập nhật"
NO_PERCENT = (
    "nhiệm vụ hằng tháng, hằng quý hoặc thường xuyên được theo dõi theo từng lần (đã thực hiện hay chưa), "
    "không ghi phần trăm; để trống ô phần trăm"
)


def done_but_incomplete(status: object, percent: object) -> bool:
    """A progress row that says "done" with less than 100 % (code ``inconsistent_status``)."""
    return status == "done" and _present(percent) and isinstance(percent, (int, float)) and percent < 100


def row_problems(values: dict[str, object], task: dict[str, object] | None) -> list[tuple[str, str, ProblemCode]]:
    """The rules between the cells of one progress row, as (column, expected, code): done needs a completion
    date (and 100 % if a percent is given), a completion date needs done and cannot follow the update, a
    blocker needs its cause, and a monthly/quarterly/continuous occurrence takes no percent."""
    found: list[tuple[str, str, ProblemCode]] = []
    status, completed = values.get("status"), values.get("completed_on")
    if done_but_incomplete(status, values.get("percent_done")):
        found.append(("percent_done", DONE_NEEDS_100, ProblemCode.INCONSISTENT_STATUS))
    if status == "done" and not _present(completed):
        found.append(("completed_on", DONE_NEEDS_DATE, ProblemCode.MISSING_VALUE))
    if _present(status) and status != "done" and _present(completed):
        found.append(("completed_on", DATE_NEEDS_DONE, ProblemCode.INCONSISTENT_STATUS))
    updated = values.get("updated_on")
    if _present(completed) and _present(updated) and completed > updated:  # type: ignore[operator]
        found.append(("completed_on", COMPLETED_AFTER_UPDATE, ProblemCode.BAD_DATE))
    if status == "blocked" and not parsing_text(values.get("blocker")):
        found.append(("blocker", BLOCKED_NEEDS_CAUSE, ProblemCode.MISSING_VALUE))
    if (
        task is not None
        and _present(values.get("percent_done"))
        and schedule.judged_without_percent(str(task["kind"]), task["frequency"])
    ):
        found.append(("percent_done", NO_PERCENT, ProblemCode.PERCENT_ON_RECURRING))
    return found


def parsing_text(value: object) -> str:
    return str(value).strip() if _present(value) else ""


def occurrence_problem(occurrence: str, quarter: object, task: dict[str, object]) -> tuple[str, ProblemCode] | None:
    """Whether ``occurrence`` is one of the task's, begun by the end of the update's ``quarter``."""
    year = int(task["plan_year"])  # type: ignore[call-overload]
    found = {
        o: (label, first) for o, label, first, _ in schedule.windows(str(task["kind"]), task["frequency"], year, None)
    }
    if occurrence not in found:
        listed = ", ".join(found)
        return f"nhiệm vụ {task['task_id']} không có lần thực hiện này; các lần hợp lệ: {listed}", (
            ProblemCode.UNKNOWN_OCCURRENCE
        )
    label, first = found[occurrence]
    if isinstance(quarter, str) and "-Q" in quarter and int(quarter[:4]) == year:
        end = _quarter_end(quarter)
        if first > end:
            return (
                f"{label} bắt đầu sau quý của lần cập nhật ({quarter}); chưa thể báo cáo",
                ProblemCode.OCCURRENCE_NOT_BEGUN,
            )
    return None


def _quarter_end(quarter: str) -> dt.date:
    year, index = int(quarter[:4]), int(quarter[-1])
    return (dt.date(year, 3 * index + 1, 1) if index < 4 else dt.date(year + 1, 1, 1)) - dt.timedelta(days=1)


def check_progress(progress: pd.DataFrame, tasks: pd.DataFrame) -> list[Problem]:
    known = {record["task_id"]: record for record in tasks.to_dict("records")}
    problems = []
    for _, record in progress.iterrows():
        task = record["task_id"]
        if not _present(task):
            continue
        if _present(record["period"]) and "-Q" not in record["period"]:
            # Updates are made per quarter; a six-month or year figure would be silently left out of every status.
            problems.append(
                _problem(
                    record,
                    "period",
                    record["period"],
                    "tiến độ được cập nhật theo quý: cần một quý, ví dụ 2023-Q2 (không phải sáu tháng hay năm)",
                    ProblemCode.PERIOD_NOT_QUARTER,
                )
            )
        if task not in known:
            problems.append(
                _problem(record, "task_id", task, "mã nhiệm vụ không có trong plan/tasks", ProblemCode.UNKNOWN_TASK)
            )
            continue
        row = known[task]
        if (
            _present(record["period"])
            and _present(row["plan_year"])
            and int(record["period"][:4]) != int(row["plan_year"])
        ):
            problems.append(
                _problem(
                    record,
                    "period",
                    record["period"],
                    f"kỳ báo cáo phải thuộc năm của kế hoạch ({int(row['plan_year'])})",
                    ProblemCode.PERIOD_OUTSIDE_PLAN,
                )
            )
        elif (
            _present(record["occurrence"])
            and _present(row["plan_year"])
            and _present(row["kind"])
            and (row["kind"] != "recurring" or _present(row["frequency"]))  # a missing frequency is reported once
        ):
            found = occurrence_problem(record["occurrence"], record["period"], row)
            if found is not None:
                problems.append(_problem(record, "occurrence", record["occurrence"], *found))
        values = {
            column: record[column] for column in ("status", "percent_done", "completed_on", "updated_on", "blocker")
        }
        for column, expected, code in row_problems(values, row if _present(row["kind"]) else None):
            if _invalid(progress, record, column):
                continue
            value = record[column]
            shown = (
                float(value)
                if isinstance(value, float) and _present(value)
                else (
                    fmt.date(value)
                    if hasattr(value, "year")
                    else (None if not _present(value) or value == "" else value)
                )
            )
            problems.append(_problem(record, column, shown, expected, code))
    return problems
