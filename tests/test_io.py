"""Reading raw tables (row numbering, empty rows and columns, encodings)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from conftest import encode_cp1258

from cchc_analysis.ingest import readers

VIETNAMESE = "Ban Dân tộc tỉnh Quảng Ngãi"


def write(path: Path, data: str | bytes) -> Path:
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


# ---------------------------------------------------------------------------
# Row numbering and empty rows / columns
# ---------------------------------------------------------------------------


def test_empty_rows_are_skipped_but_keep_spreadsheet_numbering(tmp_path):
    path = write(tmp_path / "t.csv", "a,b\n1,2\n\n,\n \u00a0, \n3,4\n\n5,6\n")
    table = readers.read_table(path)
    assert table.problem is None
    assert table.header == ["a", "b"]
    # header = row 1; rows 3 (blank), 4 (only commas), 5 (only spaces) and 7 are empty
    assert table.rows == [(2, ["1", "2"]), (6, ["3", "4"]), (8, ["5", "6"])]


def test_crlf_line_endings_and_quoted_newlines_keep_numbering(tmp_path):
    path = write(tmp_path / "t.csv", 'a,b\r\n1,"dòng một\r\ndòng hai"\r\n\r\n3,4\r\n')
    table = readers.read_table(path)
    assert table.rows[0] == (2, ["1", "dòng một\r\ndòng hai"])
    # a quoted newline stays inside its cell, as in a spreadsheet: the blank line is row 3, "3,4" is row 4
    assert [number for number, _ in table.rows] == [2, 4]


def test_trailing_empty_columns_are_ignored(tmp_path):
    path = write(tmp_path / "t.csv", "a,b,,\n1,2,,\n3,4,,,\n")
    table = readers.read_table(path)
    assert table.header == ["a", "b"]
    assert table.rows == [(2, ["1", "2", "", ""]), (3, ["3", "4", "", "", ""])]


def test_trailing_column_without_header_but_with_data_is_kept(tmp_path):
    path = write(tmp_path / "t.csv", "a,b,\n1,2,\n3,4,surprise\n")
    table = readers.read_table(path)
    assert table.header == ["a", "b", ""]  # the schema then reports an unknown, unnamed column


def test_header_cells_are_cleaned(tmp_path):
    path = write(tmp_path / "t.csv", " a ,\u00a0b\u00a0\n1,2\n")
    assert readers.read_table(path).header == ["a", "b"]


def test_xlsx_rows_keep_spreadsheet_numbering_and_types(tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["name", "points", "year", "day", "flag", None])
    sheet.append([VIETNAMESE, 11.5, 2023, dt.date(2023, 3, 31), True])
    sheet.append([None, None, None, None, None])
    sheet.append([" ", None, None, None, None])
    sheet.append(["x", 0.25, 2022.0, dt.datetime(2023, 3, 31, 0, 0), False])
    workbook.create_sheet("second").append(["ignored"])
    workbook.save(tmp_path / "t.xlsx")
    table = readers.read_table(tmp_path / "t.xlsx")
    assert table.problem is None
    assert table.header == ["name", "points", "year", "day", "flag"]
    assert table.rows == [
        (2, [VIETNAMESE, "11.5", "2023", "2023-03-31", "true"]),
        (5, ["x", "0.25", "2022", "2023-03-31", "false"]),
    ]


def test_xlsx_leading_empty_rows_still_count(tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet["A1"], sheet["B1"] = "a", "b"
    sheet["A4"], sheet["B4"] = "x", 1
    workbook.save(tmp_path / "t.xlsx")
    assert readers.read_table(tmp_path / "t.xlsx").rows == [(4, ["x", "1"])]


# ---------------------------------------------------------------------------
# Files that cannot be used
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("content", [b"", b"\n\n", b" , \n,,\n", "\ufeff".encode("utf-8")])
def test_empty_file(tmp_path, content):
    table = readers.read_table(write(tmp_path / "t.csv", content), "data/t.csv")
    assert table.problem is not None
    assert (table.problem.code, table.problem.file, table.problem.row, table.problem.column) == (
        "empty_file",
        "data/t.csv",
        None,
        None,
    )
    assert "tệp rỗng" in str(table.problem)


def test_missing_file_is_a_problem_not_an_exception(tmp_path):
    table = readers.read_table(tmp_path / "nope.csv", "data/nope.csv")
    assert table.problem is not None and table.problem.code == "unreadable_file"


def test_binary_file_named_csv(tmp_path):
    table = readers.read_table(write(tmp_path / "t.csv", b"PK\x03\x04\x00\x00binary"), "data/t.csv")
    assert table.problem is not None and table.problem.code == "not_csv"
    assert ".xlsx" in str(table.problem)


def test_unterminated_quote(tmp_path):
    table = readers.read_table(write(tmp_path / "t.csv", 'a,b\n1,"unterminated\n'), "data/t.csv")
    assert table.problem is not None and table.problem.code == "bad_csv"


def test_corrupt_xlsx(tmp_path):
    table = readers.read_table(write(tmp_path / "t.xlsx", b"not a zip"), "data/t.xlsx")
    assert table.problem is not None and table.problem.code == "bad_xlsx"


# ---------------------------------------------------------------------------
# Encodings and delimiters
# ---------------------------------------------------------------------------

TEXT = f"name;points\n{VIETNAMESE};82,91\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le-bom", "utf-16-be-bom", "cp1258"])
def test_decode(tmp_path, encoding):
    if encoding.endswith("-bom"):
        codec = encoding[: -len("-bom")]
        data = ("\ufeff" + TEXT).encode(codec)
    elif encoding == "cp1258":
        data = encode_cp1258(TEXT)
    else:
        data = TEXT.encode(encoding)
    table = readers.read_table(write(tmp_path / "t.csv", data))
    assert table.problem is None
    assert table.header == ["name", "points"]  # no BOM left on the first header
    # cp1258 keeps tone marks as combining characters; the schema's clean_text recomposes them (NFC)
    assert _nfc(table.rows) == [(2, [VIETNAMESE, "82,91"])]


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_delimiter_is_detected(tmp_path, delimiter):
    path = write(tmp_path / "t.csv", f'a{delimiter}b{delimiter}c\n1{delimiter}"2,5"{delimiter}x\n')
    assert readers.read_table(path).rows == [(2, ["1", "2,5", "x"])]


def _nfc(rows):
    import unicodedata

    return [(n, [unicodedata.normalize("NFC", c) for c in cells]) for n, cells in rows]


# ---------------------------------------------------------------------------
# display_path, sha256
# ---------------------------------------------------------------------------


def test_display_path_is_relative_to_the_data_folders_parent(tmp_path):
    data = tmp_path / "data"
    assert readers.display_path(data / "results" / "scores.csv", data) == "data/results/scores.csv"
    assert readers.display_path(Path("/elsewhere/x.csv"), data) == "/elsewhere/x.csv"


def test_sha256(tmp_path):
    path = write(tmp_path / "t.csv", "abc")
    assert readers.sha256(path) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
