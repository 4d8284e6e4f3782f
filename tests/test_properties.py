"""Property-based tests: the parsers of numbers, periods, dates, agency names and ids, the status rules,
and the invariants of the score arithmetic, each over inputs hypothesis generates.

Example-based checks of the same functions are in test_parsing.py, test_plan.py and test_scoring.py;
the Vietnamese-format round trip of non-negative numbers is in test_parsing.py.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import unicodedata

import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from tiny_dataset import LEAVES, tiny_dataset

from cchc_analysis import fmt
from cchc_analysis.domain import periods, plan, scoring
from cchc_analysis.errors import CchcParameterError
from cchc_analysis.ingest import contracts, parsing

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
#: For properties whose every example runs pandas over a table: fewer examples, same strategies.
TABLES = settings(SETTINGS, max_examples=60)


# ---------------------------------------------------------------------------
# Numbers
# ---------------------------------------------------------------------------

CENTS = st.integers(min_value=-99_999, max_value=99_999)  # |x| < 1000 with at most two decimals
SPACE = st.sampled_from(["", " ", "\u00a0", "\u202f", "\t", "  \u00a0"])


@SETTINGS
@given(CENTS, SPACE, SPACE)
@example(-418, "", "")  # −4,18
@example(0, "\u00a0", "\u00a0")
def test_small_numbers_read_back_from_either_separator_and_any_spacing(cents, before, after):
    x = cents / 100
    written = fmt.number(x)  # 82,91 with a decimal comma; "-" for a negative value
    assert parsing.parse_number(f"{before}{written}{after}") == x
    assert parsing.parse_number(f"{before}{written.replace(',', '.')}{after}") == x
    assert parsing.parse_number(f"{x:.2f}") == x
    assert parsing.parse_number(f"+{abs(x):.2f}") == abs(x)


@SETTINGS
@given(st.integers(min_value=1000, max_value=999_999_999), st.integers(min_value=1, max_value=99))
def test_grouped_numbers_read_back_in_both_conventions(whole, cents):
    x = whole + cents / 100  # a fractional part, so "1.234" (a decimal) is never confused with 1234
    vietnamese = fmt.number(x, 2)  # 1.234,56
    english = f"{x:,.2f}"  # 1,234.56
    assert parsing.parse_number(vietnamese) == pytest.approx(x, abs=1e-9)
    assert parsing.parse_number(english) == pytest.approx(x, abs=1e-9)
    assert parsing.parse_number(vietnamese.replace(".", "\u00a0")) == pytest.approx(x, abs=1e-9)


@SETTINGS
@given(st.floats(allow_nan=True, allow_infinity=True))
def test_parse_number_never_returns_a_non_finite_number(x):
    for text in (repr(x), str(x), f"{x:f}" if math.isfinite(x) else repr(x)):
        try:
            value = parsing.parse_number(text)
        except ValueError:
            continue
        assert math.isfinite(value) and not (value == 0 and math.copysign(1, value) < 0)


@SETTINGS
@given(st.text(alphabet="0123456789.,-+ eEinfaINF\u00a0", max_size=12))
def test_parse_number_either_returns_a_finite_float_or_raises_a_vietnamese_message(text):
    try:
        value = parsing.parse_number(text)
    except ValueError as error:
        assert "cần một số" in str(error)
    else:
        assert isinstance(value, float) and math.isfinite(value)


# ---------------------------------------------------------------------------
# Periods
# ---------------------------------------------------------------------------

YEARS = st.integers(min_value=contracts.PERIOD_YEARS[0], max_value=contracts.PERIOD_YEARS[1] - 1)


@st.composite
def any_period(draw) -> periods.Period:
    year = draw(YEARS)
    kind = draw(st.sampled_from(["quarter", "half", "year"]))
    if kind == "quarter":
        return periods.quarter(year, draw(st.integers(1, 4)))
    if kind == "half":
        return periods.half(year, draw(st.integers(1, 2)))
    return periods.year_period(year)


@SETTINGS
@given(any_period())
def test_a_period_reads_back_from_its_id_and_its_vietnamese_label(p):
    assert periods.parse(p.id) == p
    assert periods.parse(p.label) == p
    assert periods.parse(f"  {p.id.lower()} ") == p
    assert periods.parse(unicodedata.normalize("NFD", p.label)) == p
    assert p.start <= p.end and p.contains(p.start) and p.contains(p.end)
    if p.kind == "quarter":  # Quý 2/2023, as people type it
        assert periods.parse(f"Quý {p.index}/{p.year}") == p


@SETTINGS
@given(any_period(), any_period(), any_period())
def test_period_order_is_a_total_order_consistent_with_the_end_date(a, b, c):
    assert sum([a < b, a == b, b < a]) == 1  # exactly one holds
    if a.end < b.end:
        assert a < b
    if a < b and b < c:
        assert a < c
    if a.end == b.end and a != b:  # the shorter period closes first: a quarter before its half-year and year
        assert (a < b) == ((a.end - a.start) < (b.end - b.start))
    assert sorted([a, b, c], key=lambda p: (p.end, -p.start.toordinal())) == sorted([a, b, c])


@SETTINGS
@given(any_period())
def test_neighbours_are_inverse_and_adjacent(p):
    assume(p.year > contracts.PERIOD_YEARS[0])
    assert periods.previous(periods.following(p)) == p
    assert periods.following(periods.previous(p)) == p
    assert periods.previous(p).end + dt.timedelta(days=1) == p.start


@SETTINGS
@given(st.integers(min_value=0, max_value=9999), st.sampled_from(["", "-Q1", "-Q4", "-H2"]))
def test_a_period_outside_the_supported_years_is_a_clear_parameter_error(year, suffix):
    text = f"{year:04d}{suffix}"
    if contracts.PERIOD_YEARS[0] <= year <= contracts.PERIOD_YEARS[1]:
        assert periods.parse(text).id == text
    else:
        with pytest.raises(CchcParameterError, match="không hợp lệ"):
            periods.parse(text)


# ---------------------------------------------------------------------------
# Dates
# ---------------------------------------------------------------------------

DATES = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31))


@SETTINGS
@given(DATES)
def test_dates_read_back_from_ddmmyyyy_and_iso(day):
    assert parsing.parse_date(fmt.date(day)) == day  # 31/03/2023
    assert parsing.parse_date(day.isoformat()) == day  # 2023-03-31
    assert parsing.parse_date(f"{day.day}/{day.month}/{day.year}") == day  # 31/3/2023, typed by hand
    assert parsing.parse_date(f"\u00a0{day.day:02d}.{day.month:02d}.{day.year} ") == day
    assert parsing.parse_date(dt.datetime.combine(day, dt.time()).isoformat()) == day  # an XLSX cell at midnight


@SETTINGS
@given(st.integers(1900, 2100), st.integers(1, 12), st.integers(29, 40))
def test_a_day_that_does_not_exist_is_refused_not_moved(year, month, day):
    try:
        real = dt.date(year, month, day)
    except ValueError:
        with pytest.raises(ValueError, match="ngày không tồn tại"):
            parsing.parse_date(f"{day:02d}/{month:02d}/{year}")
    else:
        assert parsing.parse_date(f"{day:02d}/{month:02d}/{year}") == real


# ---------------------------------------------------------------------------
# Agency matching
# ---------------------------------------------------------------------------


def _strip_marks(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn").replace("đ", "d").replace("Đ", "D")


@st.composite
def spelled(draw, name: str) -> str:
    """``name`` as someone might type it: any case per letter, with or without diacritics, NFC or NFD,
    extra (non-breaking) spaces between and around the words."""
    text = _strip_marks(name) if draw(st.booleans()) else name
    text = "".join(ch.upper() if draw(st.booleans()) else ch.lower() for ch in text)
    words = text.split(" ")
    gaps = [draw(st.sampled_from([" ", "  ", "\u00a0", " \u00a0 ", "\t"])) for _ in words[1:]]
    text = words[0] + "".join(gap + word for gap, word in zip(gaps, words[1:]))
    text = draw(SPACE) + text + draw(SPACE)
    return unicodedata.normalize(draw(st.sampled_from(["NFC", "NFD"])), text)


@SETTINGS
@given(st.data())
def test_an_agency_is_found_from_its_name_or_short_name_however_it_is_typed(dataset, data):
    agency = data.draw(st.sampled_from(list(dataset.agencies.itertuples(index=False))))
    column = data.draw(st.sampled_from(["name", "short_name", "agency_id"]))
    assert dataset.resolve_agency(data.draw(spelled(getattr(agency, column)))) == agency.agency_id


# ---------------------------------------------------------------------------
# Ids: exactly the lowercase slug language, and never a way out of a folder
# ---------------------------------------------------------------------------

WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=8)
SLUG = st.lists(WORD, min_size=1, max_size=5).map("-".join)
BAD_CHARACTER = st.sampled_from(
    list("/\\.:_ *?\"<>|~'`$%&@!#=+,;()[]{}") + ["\x00", "\n", "đ", "é", "ư", "ß", "İ", "١"]
)


@SETTINGS
@given(slug=SLUG)
@example(slug="ban-dan-toc")
def test_every_slug_is_an_id_and_stays_inside_its_folder(slug, tmp_path):
    assume(slug not in contracts.WINDOWS_RESERVED and len(slug) <= contracts.MAX_ID_LENGTH)
    assert contracts.parse_id(slug) == slug
    assert contracts.parse_id(f" {slug.upper()}\u00a0") == slug
    assert (tmp_path / f"{slug}.html").resolve().parent == tmp_path.resolve()


@SETTINGS
@given(SLUG, BAD_CHARACTER, st.integers(min_value=0, max_value=40))
@example("etc", "/", 0)
@example("etc-passwd", ".", 0)
def test_a_slug_with_any_other_character_is_refused(slug, bad, position):
    position %= len(slug) + 1
    if bad.isspace():  # spaces around an id are trimmed (as in every cell); inside one they are refused
        assume(len(slug) >= 2)
        position = min(max(position, 1), len(slug) - 1)
    with pytest.raises(ValueError, match="mã"):
        contracts.parse_id(slug[:position] + bad + slug[position:])


@pytest.mark.parametrize(
    "text",
    [
        "",
        "-",
        "-abc",
        "abc-",
        "a--b",
        "..",
        ".",
        "../x",
        "/etc",
        "C:\\x",
        "a/b",
        "a\\b",
        *sorted(contracts.WINDOWS_RESERVED),
        "CON",
        "Nul",
        "x" * (contracts.MAX_ID_LENGTH + 1),
    ],
)
def test_ids_that_could_not_be_a_file_name_are_refused(text):
    with pytest.raises(ValueError, match="mã"):
        contracts.parse_id(text)


# ---------------------------------------------------------------------------
# Status rules (docs/plan_status.md)
# ---------------------------------------------------------------------------

AS_OF = pd.Timestamp("2023-06-30")
REPORTED = st.sampled_from(["", "not_started", "in_progress", "done", "blocked", "not_applicable"])


@st.composite
def judging_rows(draw, n: int = 8) -> pd.DataFrame:
    rows = []
    for _ in range(draw(st.integers(min_value=1, max_value=n))):
        start = AS_OF + pd.Timedelta(days=draw(st.integers(-400, 200)))
        due = start + pd.Timedelta(days=draw(st.integers(0, 400)))
        reported = draw(REPORTED)
        completed = start + pd.Timedelta(days=draw(st.integers(0, 500))) if reported == "done" else pd.NaT
        rows.append(
            {
                "applicable": draw(st.booleans()),
                "reported": reported,
                "completed_on": completed,
                "update_required": draw(st.booleans()),
                "has_required_update": draw(st.booleans()),
                "percent": float(draw(st.integers(0, 100))),
                "expected": float(draw(st.integers(0, 100))),
                "window_start": start,
                "due_date": due,
                "as_of": AS_OF,
            }
        )
    return pd.DataFrame(rows, columns=list(plan.RULE_INPUTS))


@TABLES
@given(judging_rows())
def test_every_row_gets_exactly_one_known_status_from_the_first_rule_that_matches(frame):
    judged = plan.apply_rules(frame)
    assert len(judged) == len(frame)
    assert judged["status"].isin(list(plan.STATUSES)).all()
    matches = {rule.number: rule.when(frame).fillna(False).tolist() for rule in plan.RULES}
    by_number = {rule.number: rule for rule in plan.RULES}
    for position, (status, number) in enumerate(zip(judged["status"], judged["rule"])):
        assert status == by_number[int(number)].status
        assert [n for n, hits in matches.items() if hits[position]][0] == int(number)  # the first that matches


@TABLES
@given(judging_rows())
def test_a_missing_update_that_was_due_is_missing_never_on_track(frame):
    judged = plan.apply_rules(frame)
    open_and_begun = (
        frame["applicable"]
        & ~frame["reported"].isin(["done", "not_applicable"])
        & (frame["window_start"] <= frame["as_of"])
    )
    due_and_absent = frame["update_required"] & ~frame["has_required_update"]
    assert (judged.loc[open_and_begun & due_and_absent, "status"] == "missing").all()
    assert not judged.loc[~due_and_absent, "status"].eq("missing").any()


@TABLES
@given(judging_rows(), st.integers(min_value=0, max_value=100))
def test_raising_percent_done_never_makes_a_status_worse(frame, extra):
    severity = {status: rank for rank, status in enumerate(plan.SEVERITY)}  # lower is worse
    before = plan.apply_rules(frame)["status"].map(severity)
    raised = frame.assign(percent=(frame["percent"] + extra).clip(upper=100))
    after = plan.apply_rules(raised)["status"].map(severity)
    assert (after >= before).all()


# ---------------------------------------------------------------------------
# Score invariants
# ---------------------------------------------------------------------------

FRACTION = st.one_of(st.none(), st.integers(min_value=0, max_value=100).map(lambda p: p / 100))


@TABLES
@given(
    st.sampled_from("abcd"),
    st.lists(FRACTION, min_size=4 * len(LEAVES), max_size=4 * len(LEAVES)),
    st.lists(st.integers(min_value=0, max_value=40), min_size=4, max_size=4),
)
def test_shares_of_the_maximum_stay_between_0_and_1(agency, fractions, survey):
    """Any appraised points within each leaf's maximum (None: not applicable), any survey points within its
    maximum: every share, field share and index lies in [0, 1] (or is empty where nothing applies)."""
    ds = tiny_dataset()
    maxima = ds.framework[ds.framework["year"] == 2022].set_index("code")["max_points"]
    scores = ds.scores.copy()
    mine = scores["year"] == 2022
    codes = scores.loc[mine, "code"].tolist()
    scores.loc[mine, "not_applicable"] = [share is None for share in fractions]
    scores.loc[mine, "appraised_points"] = [
        float("nan") if share is None else share * maxima[code] for share, code in zip(fractions, codes)
    ]
    survey_table = ds.survey.copy()
    survey_table.loc[survey_table["year"] == 2022, "survey_points"] = [float(s) for s in survey]
    ds = dataclasses.replace(ds, scores=scores, survey=survey_table)

    fields = scoring.field_scores(ds, 2022)
    shares = fields["share"][fields["max_points"] > 0]
    assert shares.between(0, 1).all()
    assert fields.loc[fields["max_points"] == 0, "share"].isna().all()
    totals = scoring.total_scores(ds, 2022)
    assert (totals["index"] / scoring.TOTAL_MAX).between(0, 1).all()
    card = scoring.scorecard(ds, agency, 2022)
    assert card["share"].dropna().between(0, 1).all()
    assert card.loc[card["max_points"] > 0, "share"].notna().all()
    assert (card["lost"] >= 0).all()


VALUES = st.lists(st.integers(min_value=-10_000, max_value=10_000).map(lambda c: c / 100), min_size=1, max_size=30)


@SETTINGS
@given(VALUES)
@example([82.91, 82.91, 90.19, 50.0])
@example([1.0, 1.0, 1.0, 0.5])
def test_competition_rank_is_one_plus_the_number_strictly_greater(values):
    ranks = scoring.competition_rank(pd.Series(values)).tolist()
    assert ranks == [1 + sum(other > value for other in values) for value in values]


def test_competition_rank_ties_values_equal_after_rounding():
    assert scoring.competition_rank(pd.Series([0.1 + 0.2, 0.3, 0.2])).tolist() == [1, 1, 3]
