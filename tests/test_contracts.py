"""The contract language's one-place rules: the criterion-code sort order, and a cell's problem code."""

from __future__ import annotations

from cchc_analysis.domain import scoring
from cchc_analysis.ingest import contracts, tables


def test_codes_sort_by_their_numbers_not_their_text():
    codes = ["7.10", "1.2.2", "7.9", "2.1.1.1", "10", "2.1"]
    assert sorted(codes, key=contracts.code_key) == ["1.2.2", "2.1", "2.1.1.1", "7.9", "7.10", "10"]
    assert scoring.code_key is contracts.code_key  # one sort key, re-exported where the reviews look for it


def test_a_percent_outside_0_to_100_has_one_code_per_bound():
    column = tables.PROGRESS.by_name["percent_done"]
    for value, code in (("150", "above_maximum"), ("-5", "below_minimum"), ("abc", "not_a_number")):
        try:
            column.parse(value)
        except ValueError as error:
            assert contracts.problem_code(column, error) == code
        else:
            raise AssertionError(f"{value} was accepted")
    status = tables.PROGRESS.by_name["status"]
    try:
        status.parse("Xong rồi")
    except ValueError as error:
        assert contracts.problem_code(status, error) == "bad_value"
