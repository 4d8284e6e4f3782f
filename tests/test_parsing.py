"""Parsing of values typed by people, and the Vietnamese formatting they round-trip through.

Real figures come from the agency's plan: 82,91 points in 2022, 4,18 points
gained on 2021, a field scored 11,5 of 12,5.
"""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from cchc_analysis import fmt
from cchc_analysis.domain import periods
from cchc_analysis.errors import CchcParameterError
from cchc_analysis.ingest.contracts import parse_code, parse_codes, parse_period
from cchc_analysis.ingest.parsing import fold, parse_bool, parse_date, parse_integer, parse_number

AGENCY = "Ban Dân tộc tỉnh"


# ---------------------------------------------------------------------------
# parse_number
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("82,91", 82.91),  # decimal comma, as Vietnamese documents write it
        ("82.91", 82.91),  # decimal dot, as an English-locale spreadsheet writes it
        ("11,5", 11.5),
        ("11.5", 11.5),
        ("1.234,5", 1234.5),  # thousands dot, decimal comma
        ("1,234.5", 1234.5),  # thousands comma, decimal dot
        ("1.234.567,25", 1234567.25),
        (" 8 ", 8.0),
        ("8", 8.0),
        ("0", 0.0),
        ("-4,18", -4.18),
        ("+4,18", 4.18),
        (",5", 0.5),
        ("1\u00a0234,5", 1234.5),  # non-breaking space as thousands separator
        ("1\u202f234,5", 1234.5),  # narrow non-breaking space (French/Vietnamese Word)
        ("\u00a011,5\u00a0", 11.5),
        ("1 234,5", 1234.5),
        (11.5, 11.5),  # already a number
        (2023, 2023.0),
    ],
)
def test_parse_number_accepts(text, expected):
    assert parse_number(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "abc",
        "1,2,3",
        "",
        "   ",
        "\u00a0",
        None,
        "mười",
        "11,5 điểm",
        "1.2.3",
        "1e5",
        "nan",
        "inf",
        "--1",
        "1,23,456",
        "12..5",
        "1.234.5",
    ],
)
def test_parse_number_rejects(text):
    with pytest.raises(ValueError, match="cần một số"):
        parse_number(text)


def test_parse_number_message_shows_both_decimal_separators():
    with pytest.raises(ValueError) as error:
        parse_number("abc")
    assert "11,5" in str(error.value) and "11.5" in str(error.value)


# ---------------------------------------------------------------------------
# parse_integer
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"), [("2023", 2023), ("2023.0", 2023), ("2023,0", 2023), (" 20 ", 20), (2023.0, 2023), ("-1", -1)]
)
def test_parse_integer_accepts(text, expected):
    value = parse_integer(text)
    assert value == expected and isinstance(value, int)


@pytest.mark.parametrize("text", ["2023,5", "2023.5", "", "hai mươi", "20 cơ quan"])
def test_parse_integer_rejects(text):
    with pytest.raises(ValueError, match="cần một số nguyên"):
        parse_integer(text)


# ---------------------------------------------------------------------------
# parse_date
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "31/03/2023",
        "2023-03-31",
        "31.03.2023",
        "31-03-2023",
        " 31/3/2023 ",
        "2023-03-31 00:00:00",
        "2023-03-31T00:00",
        # Hardening v2, item 18: unambiguous spellings an office types or Excel writes.
        "31/03/2023 08:30",
        "31/03/2023 08:30:15",
        "2023-03-31 10:30:00",
        "31/03/23",
        "2023/03/31",
        "2023/3/31 17:05",
    ],
)
def test_parse_date_accepts(text):
    assert parse_date(text) == dt.date(2023, 3, 31)


def test_parse_date_is_day_first():
    assert parse_date("01/02/2023") == dt.date(2023, 2, 1)


@pytest.mark.parametrize("text", ["31/02/2023", "29/02/2023", "2023-02-30"])
def test_parse_date_rejects_days_that_do_not_exist(text):
    with pytest.raises(ValueError, match="ngày không tồn tại"):
        parse_date(text)


@pytest.mark.parametrize(
    "text", ["2023/13/01", "", "hôm nay", "03/31/2023", "31/03/2023 25:00", "31/03/2023 8h30", "31/03/202", "31/03"]
)
def test_parse_date_rejects(text):
    with pytest.raises(ValueError, match="dd/mm/yyyy"):
        parse_date(text)


# ---------------------------------------------------------------------------
# parse_bool
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("có", True),
        ("Có", True),
        ("CÓ", True),
        ("co", True),
        ("x", True),
        ("X", True),
        ("1", True),
        ("true", True),
        ("TRUE", True),
        ("yes", True),
        ("đúng", True),
        ("Không", False),
        ("không", False),
        ("khong", False),
        ("", False),
        ("  ", False),
        (None, False),
        ("0", False),
        ("false", False),
        ("no", False),
        ("sai", False),
    ],
)
def test_parse_bool(text, expected):
    assert parse_bool(text) is expected


@pytest.mark.parametrize("text", ["maybe", "có thể", "2", "v"])
def test_parse_bool_rejects(text):
    with pytest.raises(ValueError, match="có/không"):
        parse_bool(text)


# ---------------------------------------------------------------------------
# fold
# ---------------------------------------------------------------------------


def test_fold_nfc_and_nfd_alike():
    nfc = unicodedata.normalize("NFC", AGENCY)
    nfd = unicodedata.normalize("NFD", AGENCY)
    assert nfc != nfd  # the test means something only if the two forms differ
    assert fold(nfc) == fold(nfd) == "ban dan toc tinh"


@pytest.mark.parametrize(
    "variant", ["ban dan toc tinh", "BAN DÂN TỘC TỈNH", "  Ban  Dân\u00a0tộc tỉnh ", "Ban Dân Tộc Tỉnh"]
)
def test_fold_ignores_case_diacritics_and_spacing(variant):
    assert fold(variant) == fold(AGENCY)


def test_fold_d_with_stroke():
    assert fold("Đ") == "d"
    assert fold("đ") == "d"
    assert fold("Đắk Lắk") == "dak lak"
    assert fold("Quảng Ngãi") == "quang ngai"


# A stray combining mark between spaces (text pasted from a PDF) used to leave
# a double space, so fold(fold(x)) != fold(x).
VIETNAMESE_TEXT = st.text(
    alphabet=st.sampled_from(
        list("aăâeêioôơuưyđAĂÂĐEÊOÔƠUƯ bdhnt")
        + ["\u0300", "\u0301", "\u0303", "\u0309", "\u0323", "\u0302", "\u0306", "\u031b", "\u00a0", "\t"]
    ),
    max_size=30,
)


@settings(max_examples=300, deadline=None)
@given(st.one_of(VIETNAMESE_TEXT, st.text(max_size=30)))
@example("\u0301 a")
@example("a \u0301 b")
@example(AGENCY)
def test_fold_is_idempotent(text):
    assert fold(fold(text)) == fold(text)


@settings(max_examples=300, deadline=None)
@given(st.one_of(VIETNAMESE_TEXT, st.text(max_size=30)))
@example(AGENCY)
def test_fold_is_invariant_under_nfc_and_nfd(text):
    assert fold(unicodedata.normalize("NFC", text)) == fold(unicodedata.normalize("NFD", text)) == fold(text)


# ---------------------------------------------------------------------------
# contracts.parse_code and parse_period
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (" 1.2.2 ", "1.2.2"),
        ("1.2.2.", "1.2.2"),
        ("1.2.2", "1.2.2"),
        ("1", "1"),
        ("2.1.1.1", "2.1.1.1"),
        ("1. 2. 2", "1.2.2"),
        ("\u00a01.2\u00a0", "1.2"),
    ],
)
def test_parse_code_accepts(text, expected):
    assert parse_code(text) == expected


@pytest.mark.parametrize("text", ["1.a", "", "a", "1..2", ".1", "1,2", "I.2"])
def test_parse_code_rejects(text):
    with pytest.raises(ValueError, match="1.2.2"):
        parse_code(text)


def test_parse_codes_splits_on_semicolon_or_bar():
    assert parse_codes("1.2.2; 2.1.1 |3.1") == ("1.2.2", "2.1.1", "3.1")
    assert parse_codes("") == ()
    with pytest.raises(ValueError):
        parse_codes("1.2.2; 1.a")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2023-Q2", "2023-Q2"),
        ("2023-q2", "2023-Q2"),
        (" 2023 - Q2 ", "2023-Q2"),
        ("Quý 2/2023", "2023-Q2"),
        ("Quý II/2023", "2023-Q2"),
        ("quý ii/2023", "2023-Q2"),
        ("Quý IV/2023", "2023-Q4"),
        ("Quý III - 2023", "2023-Q3"),
        ("Quý I/năm 2023", "2023-Q1"),
        ("6 tháng đầu năm 2023", "2023-H1"),
        ("6 tháng cuối năm 2023", "2023-H2"),
        ("2023-H1", "2023-H1"),
        ("2023-h2", "2023-H2"),
        ("2023", "2023"),
        ("Năm 2023", "2023"),
    ],
)
def test_parse_period_accepts(text, expected):
    assert parse_period(text) == expected


@pytest.mark.parametrize(
    "text", ["2023-Q5", "2023-Q0", "2023-H3", "Quý 5/2023", "Quý V/2023", "23-Q2", "Q2-2023", "", "tháng 6/2023"]
)
def test_parse_period_rejects(text):
    with pytest.raises(ValueError, match="2023-Q2"):
        parse_period(text)


# ---------------------------------------------------------------------------
# periods.parse
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "start", "end", "label", "kind"),
    [
        ("2023-Q1", dt.date(2023, 1, 1), dt.date(2023, 3, 31), "Quý I/2023", "quarter"),
        ("2023-Q2", dt.date(2023, 4, 1), dt.date(2023, 6, 30), "Quý II/2023", "quarter"),
        ("2023-Q3", dt.date(2023, 7, 1), dt.date(2023, 9, 30), "Quý III/2023", "quarter"),
        ("2023-Q4", dt.date(2023, 10, 1), dt.date(2023, 12, 31), "Quý IV/2023", "quarter"),
        ("2023-H1", dt.date(2023, 1, 1), dt.date(2023, 6, 30), "6 tháng đầu năm 2023", "half"),
        ("2023-H2", dt.date(2023, 7, 1), dt.date(2023, 12, 31), "6 tháng cuối năm 2023", "half"),
        ("2023", dt.date(2023, 1, 1), dt.date(2023, 12, 31), "Năm 2023", "year"),
        (
            "2024-Q1",
            dt.date(2024, 1, 1),
            dt.date(2024, 3, 31),
            "Quý I/2024",
            "quarter",
        ),  # leap year: Q1 still ends 31/3
    ],
)
def test_periods_parse(text, start, end, label, kind):
    period = periods.parse(text)
    assert (period.start, period.end, period.label, period.kind, period.id, str(period)) == (
        start,
        end,
        label,
        kind,
        text,
        text,
    )
    assert periods.parse(label) == period  # the Vietnamese label reads back
    assert period.contains(start) and period.contains(end)
    assert not period.contains(start - dt.timedelta(days=1)) and not period.contains(end + dt.timedelta(days=1))


def test_periods_parse_vietnamese_labels():
    assert periods.parse("Quý II/2023") == periods.parse("2023-Q2")
    assert periods.parse("Quý 2/2023") == periods.parse("2023-Q2")
    assert periods.parse("6 tháng đầu năm 2023") == periods.parse("2023-H1")


def test_periods_quarters_covered():
    assert [q.id for q in periods.parse("2023-H2").quarters()] == ["2023-Q3", "2023-Q4"]
    assert [q.id for q in periods.parse("2023").quarters()] == ["2023-Q1", "2023-Q2", "2023-Q3", "2023-Q4"]
    assert [q.id for q in periods.parse("2023-Q2").quarters()] == ["2023-Q2"]


@pytest.mark.parametrize("text", ["2023-Q5", "Quý V/2023", ""])
def test_periods_parse_rejects_with_a_parameter_error(text):
    with pytest.raises(CchcParameterError, match="không hợp lệ"):
        periods.parse(text)


def test_periods_ordered_by_end_date():
    ids = ["2023-Q3", "2022", "2023-Q1", "2024-Q1", "2023-Q2"]
    assert [p.id for p in sorted(map(periods.parse, ids))] == ["2022", "2023-Q1", "2023-Q2", "2023-Q3", "2024-Q1"]
    assert periods.parse("2023-H1") < periods.parse("2023-Q3") < periods.parse("2023-H2")


# ---------------------------------------------------------------------------
# fmt
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (82.91, "82,91"),
        (11.5, "11,5"),
        (8.0, "8"),
        (8, "8"),
        (1234.5, "1.234,5"),
        (78.73, "78,73"),
        (0.0, "0"),
        (-0.0, "0"),
        (100.0, "100"),
        (1000.0, "1.000"),
        (12.345, "12,35"),
        (None, "–"),
        (float("nan"), "–"),
    ],
)
def test_fmt_number(value, expected):
    assert fmt.number(value) == expected


def test_fmt_number_fixed_decimals():
    assert fmt.number(8, 2) == "8,00"
    assert fmt.number(1234.5, 1) == "1.234,5"


def test_fmt_points_signed_percent_rank_date():
    assert fmt.points(11.5, 12.5) == "11,5/12,5"
    assert fmt.points(82.91) == "82,91"
    assert fmt.signed(4.18) == "+4,18"
    assert fmt.signed(-0.5) == "\u22120,5"  # a true minus sign
    assert fmt.signed(0.0) == "0"
    assert fmt.percent(0.639) == "63,9\u00a0%"  # a non-breaking space keeps the sign with its number
    assert fmt.percent(1.0) == "100,0\u00a0%"
    assert fmt.rank(13, 20) == "13/20"
    assert fmt.date(dt.date(2023, 3, 31)) == "31/03/2023"
    assert fmt.date(dt.datetime(2023, 2, 22, 14, 30)) == "22/02/2023"
    assert fmt.date(None) == "–"


# ---------------------------------------------------------------------------
# Round trips: what the toolkit writes, it reads back
# ---------------------------------------------------------------------------

# Floats with at most two decimals in [0, 10000].
TWO_DECIMALS = st.integers(min_value=0, max_value=1_000_000).map(lambda cents: cents / 100)
WHOLE_THOUSANDS = st.integers(min_value=1, max_value=10).map(lambda k: float(k * 1000))


@settings(max_examples=500, deadline=None)
@given(TWO_DECIMALS.filter(lambda x: not (x >= 1000 and x.is_integer())))
@example(82.91)
@example(11.5)
@example(1234.5)
@example(9999.99)
@example(0.01)
@example(999.0)
def test_number_round_trips_through_the_vietnamese_format(x):
    assert parse_number(fmt.number(x)) == x


@settings(max_examples=500, deadline=None)
@given(TWO_DECIMALS)
@example(1000.0)
@example(82.91)
def test_number_round_trips_through_the_dot_format(x):
    assert parse_number(str(x)) == x
    assert parse_number(f"{x:.2f}") == x
    assert parse_number(fmt.number(x).replace(".", "").replace(",", ".")) == x  # the Vietnamese form without grouping


@pytest.mark.xfail(
    strict=True,
    reason="ambiguous by design: parse_number reads 'd.ddd' as a decimal (1.000 -> 1.0), "
    "while fmt.number writes whole thousands with a thousands dot (1000 -> '1.000')",
)
@settings(max_examples=10, deadline=None)
@given(WHOLE_THOUSANDS)
def test_number_round_trips_for_whole_thousands(x):
    assert parse_number(fmt.number(x)) == x
