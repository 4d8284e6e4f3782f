"""The corpus of bad inputs: one declarative table of cases, each with its exact outcome.

Every case copies the embedded ``data/`` folder to ``tmp_path/data``, replaces or edits one table (as a CSV
edit of the real file, a whole file from ``tests/corpus/``, raw bytes, or an XLSX built here with openpyxl),
and states what must happen:

* ``Accepted``: the folder loads, and the named cells hold the values a person would expect
  (``"11,5"`` -> 11.5, ``"Quý 2/2023"`` -> ``"2023-Q2"``, NFD text -> NFC, …);
* ``Rejected``: the exact set of problems (code, file, row, column) and a fragment of the Vietnamese message.

For every case: no traceback (nothing but a CchcDataError), the data folder (and a unit's workbook) are
byte-identical afterwards, and ``cchc validate`` (or ``cchc workbook import``) exits 0 or 2 with every problem
on stderr by file, "dòng N" and column. The single-rule checks of each validation rule live in
test_validation.py; this is the systematic layer over the kinds of files people send.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io as _io
import math
import shutil
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
import pytest
from conftest import DATA, ROOT, encode_cp1258

from cchc_analysis import cli, workbook
from cchc_analysis.errors import CchcDataError
from cchc_analysis.ingest import dataset as dataset_module
from cchc_analysis.ingest.dataset import Dataset, load_data

CORPUS = Path(__file__).resolve().parent / "corpus"
BANDS, UNITS, AGENCIES = "config/bands.csv", "units.csv", "agencies.csv"
SURVEY, SCORES, PUBLISHED = "results/survey.csv", "results/scores.csv", "results/published.csv"
TASKS, TARGETS, PROGRESS = "plan/tasks.csv", "plan/targets.csv", "progress/progress.csv"
NFD = lambda text: unicodedata.normalize("NFD", text)  # noqa: E731


# ---------------------------------------------------------------------------
# How a case makes its file (each returns the bytes of the new file, or writes it itself)
# ---------------------------------------------------------------------------


def original(relative: str) -> str:
    return (DATA / relative).read_text(encoding="utf-8")


def edit(*pairs: str) -> Callable[[str], bytes]:
    """Replace ``old`` by ``new`` (pairs), each exactly once, in the real file's text; write UTF-8."""

    def make(relative: str) -> bytes:
        text = original(relative)
        for old, new in zip(pairs[::2], pairs[1::2]):
            assert text.count(old) == 1, f"{relative}: {old!r} occurs {text.count(old)} times"
            text = text.replace(old, new)
        return text.encode("utf-8")

    return make


def recode(encoding: str, *, delimiter: str = ",", bom: bool = False, transform=lambda t: t) -> Callable[[str], bytes]:
    """The real file in another encoding (and delimiter), as another program would save it."""

    def make(relative: str) -> bytes:
        rows = list(csv.reader(_io.StringIO(original(relative))))
        buffer = _io.StringIO()
        csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
        text = transform(("\ufeff" if bom else "") + buffer.getvalue())
        return encode_cp1258(text) if encoding == "cp1258" else text.encode(encoding)

    return make


def corpus(name: str, *, encoding: str = "utf-8", newline: str = "\n") -> Callable[[str], bytes]:
    """A whole file from tests/corpus (UTF-8 text), re-encoded and with other line endings if asked."""

    def make(relative: str) -> bytes:
        return (CORPUS / name).read_text(encoding="utf-8").replace("\n", newline).encode(encoding)

    make.corpus_file = name
    return make


def raw(data: bytes) -> Callable[[str], bytes]:
    return lambda relative: data


def cut(after: str) -> Callable[[str], bytes]:
    """The real file cut just after the first occurrence of ``after`` (a copy interrupted mid-way)."""

    def make(relative: str) -> bytes:
        text = original(relative)
        assert after in text
        return text[: text.index(after) + len(after)].encode("utf-8")

    return make


def line_endings(*endings: str) -> Callable[[str], bytes]:
    """The real file with its lines ended by ``endings`` in turn (a file edited on several systems)."""

    def make(relative: str) -> bytes:
        lines = original(relative).splitlines()
        return "".join(line + endings[i % len(endings)] for i, line in enumerate(lines)).encode("utf-8")

    return make


def xlsx(
    cells: Callable[[int, int, str], object] = lambda r, c, v: v,
    *,
    title: str | None = None,
    after: Callable | None = None,
    top: list | None = None,
) -> Callable[[str], Path]:
    """The real table as an .xlsx (replacing the .csv): ``cells(row, column index, text)`` gives each value
    (spreadsheet row numbers, header = 1); ``top`` is a row put above the header; ``after(sheet)`` edits
    the sheet (merges, formulas, extra rows) before saving."""

    def make(relative: str) -> Path:
        rows = list(csv.reader(_io.StringIO(original(relative))))
        book = openpyxl.Workbook()
        sheet = book.active
        if title:
            sheet.title = title
        if top is not None:
            sheet.append(top)
        for number, row in enumerate(rows, start=1):
            sheet.append(
                [None if (value := cells(number, index, text)) == "" else value for index, text in enumerate(row)]
            )
        if after is not None:
            after(sheet)
        return book

    make.xlsx = True
    return make


def _merge_title(sheet) -> None:
    sheet.merge_cells("A1:E1")


def _merge_year_header(sheet) -> None:
    sheet["B1"] = None
    sheet.merge_cells("A1:B1")


def _totals_row(sheet) -> None:
    sheet.append(["Tổng cộng", None, None, "=SUM(D2:D13)", None])


def _second_sheet(sheet) -> None:
    notes = sheet.parent.create_sheet("Ghi chú")
    notes.append(["Bảng này do Sở Nội vụ gửi", "=1/0"])


def _percent_column(unit: float, column: int = 4):
    """A column (D by default) as a percent-formatted number: what a person typed as 80 % is stored as 0,8."""

    def after(sheet) -> None:
        for (cell,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
            if cell.value not in (None, ""):
                cell.value = float(cell.value) / unit
                cell.number_format = "0%"

    return after


def _hidden_first_sheet(sheet) -> None:
    """An old copy of the table, hidden, in front of the real one."""
    book = sheet.parent
    old = book.create_sheet("Bản cũ", 0)
    old.append(["year", "band_id", "label", "min_share", "provenance"])
    old.append([1999, "cu", "Cũ", "không phải số", "sai"])
    old.sheet_state = "hidden"


def _notes_sheet_first(sheet) -> None:
    """A visible notes sheet in front of the sheet named like the table."""
    sheet.title = "bands"
    notes = sheet.parent.create_sheet("Ghi chú", 0)
    notes.append(["Bảng ngưỡng xếp loại do Sở Nội vụ gửi"])


def _hidden_row(sheet) -> None:
    sheet.row_dimensions[B_2021_KHA].hidden = True


def _empty_book(sheet) -> None:
    for row in list(sheet.iter_rows()):
        for c in row:
            c.value = None


def _xlsx_bytes(make) -> bytes:
    buffer = _io.BytesIO()
    make(BANDS).save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------------------
# Expected outcomes
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Accepted:
    """The folder loads; ``values[(table, row, column)]`` is the typed value of that cell of the replaced file."""

    values: dict[tuple[str, int, str], object] = field(default_factory=dict)
    check: Callable[[Dataset], bool] | None = None


@dataclass(frozen=True)
class Rejected:
    """Exactly these problems (code, file, row, column); ``message`` is in the error's text."""

    problems: frozenset[tuple[str, str, int | None, str | None]]
    message: str


def rejected(message: str, *problems: tuple[str, str, int | None, str | None]) -> Rejected:
    return Rejected(frozenset(problems), message)


@dataclass(frozen=True)
class Case:
    name: str
    target: str  # the table of data/ it replaces or edits ("workbook" for a unit's workbook import)
    make: Callable
    expect: Accepted | Rejected

    def __str__(self) -> str:
        return self.name


def f(relative: str, ext: str | None = None) -> str:
    """A file as problems name it."""
    return "data/" + (relative if ext is None else relative.rsplit(".", 1)[0] + "." + ext)


# Rows of the real files used below (spreadsheet numbering: the header is row 1).
B_2021_KHA, B_2023_YEU = 3, 13  # config/bands.csv
S_BDT_2021 = 2  # results/survey.csv: ban-dan-toc 2021
SC_BDT_2021_111 = 2  # results/scores.csv: ban-dan-toc 2021 1.1.1
P_T504_Q1, P_T504_Q2 = 116, 117  # progress/progress.csv
PUB_CQ01_2022, PUB_CQ02_2022 = 163, 171  # results/published.csv: totals of 2022

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
PAYLOAD = "<script>window.__pwned=1</script> Cơ quan 01"

CASES: tuple[Case, ...] = (
    # --- accepted and normalised -------------------------------------------------------------------
    Case(
        "decimal_comma",
        BANDS,
        edit("2021,kha,Khá,0.8", '2021,kha,Khá,"0,8"'),
        Accepted({("bands", B_2021_KHA, "min_share"): 0.8}),
    ),
    Case(
        "semicolon_decimal_comma_bom_crlf",
        BANDS,
        corpus("bands_semicolon_decimal_comma.csv", encoding="utf-8-sig", newline="\r\n"),
        Accepted({("bands", 2, "min_share"): 0.9, ("bands", 4, "min_share"): 0.65, ("bands", 2, "label"): "Tốt"}),
    ),
    Case(
        "cp1258_windows_vietnamese",
        UNITS,
        recode("cp1258"),
        Accepted({("units", 2, "name"): "Văn phòng Ban", ("units", 4, "name"): "Các phòng thuộc Ban"}),
    ),
    Case(
        "utf16_tab_delimited",
        AGENCIES,
        recode("utf-16", delimiter="\t"),
        Accepted({("agencies", 2, "name"): "Ban Dân tộc tỉnh Quảng Ngãi", ("agencies", 2, "agency_id"): "ban-dan-toc"}),
    ),
    Case("utf16_without_bom", UNITS, recode("utf-16-le"), Accepted({("units", 3, "name"): "Thanh tra Ban"})),
    Case("utf8_bom", UNITS, recode("utf-8", bom=True), Accepted({("units", 2, "unit_id"): "van-phong"})),
    Case(
        "non_breaking_spaces",
        SURVEY,
        edit("ban-dan-toc,2021,19.23,", '\u00a0ban-dan-toc\u00a0,2021\u00a0,"\u00a019,23\u202f",'),
        Accepted({("survey", S_BDT_2021, "agency_id"): "ban-dan-toc", ("survey", S_BDT_2021, "survey_points"): 19.23}),
    ),
    Case(
        "thousands_dot_decimal_comma",
        PUBLISHED,
        edit("co-quan-01,2022,total,90.19,100,", 'co-quan-01,2022,total,90.19,"1.234,5",'),
        Accepted({("published", PUB_CQ01_2022, "max_points"): 1234.5}),
    ),
    Case(
        "thousands_comma_decimal_dot",
        PUBLISHED,
        edit("co-quan-02,2022,total,88.69,100,", 'co-quan-02,2022,total,88.69,"1,234.5",'),
        Accepted({("published", PUB_CQ02_2022, "max_points"): 1234.5}),
    ),
    Case(
        "nfd_names",
        AGENCIES,
        lambda relative: NFD(original(relative)).encode("utf-8"),
        Accepted(
            {("agencies", 2, "name"): "Ban Dân tộc tỉnh Quảng Ngãi"},
            check=lambda ds: ds.resolve_agency("Ban Dân tộc tỉnh") == "ban-dan-toc",
        ),
    ),
    Case(
        "nfd_status_label",
        PROGRESS,
        edit("T5-04,once,2023-Q2,done,", f"T5-04,once,2023-Q2,{NFD('Hoàn thành')},"),
        Accepted({("progress", P_T504_Q2, "status"): "done"}),
    ),
    Case(
        "code_with_stray_spaces_and_trailing_dot",
        SCORES,
        edit("ban-dan-toc,2021,1.1.1,", "ban-dan-toc,2021, 1.1.1. ,"),
        Accepted({("scores", SC_BDT_2021_111, "code"): "1.1.1"}),
    ),
    Case(
        "codes_list_with_trailing_dots",
        TASKS,
        edit(",7.2.1;7.2.2,,continuous", ',"7.2.1.; 7.2.2. ",,continuous'),
        Accepted({("tasks", 50, "sub_criteria"): ("7.2.1", "7.2.2")}),
    ),
    Case(
        "period_typed_as_quy_2_2023",
        PROGRESS,
        edit("T5-04,once,2023-Q2,", "T5-04,once,Quý 2/2023,"),
        Accepted({("progress", P_T504_Q2, "period"): "2023-Q2"}),
    ),
    Case(
        "period_typed_with_roman_quarter",
        PROGRESS,
        edit("T5-04,once,2023-Q1,", "T5-04,once,Quý I/2023,"),
        Accepted({("progress", P_T504_Q1, "period"): "2023-Q1"}),
    ),
    Case(
        "year_as_float",
        SCORES,
        edit("ban-dan-toc,2021,1.1.1,", "ban-dan-toc,2021.0,1.1.1,"),
        Accepted({("scores", SC_BDT_2021_111, "year"): 2021}),
    ),
    Case(
        "empty_rows_in_the_middle",
        UNITS,
        corpus("units_empty_rows_in_the_middle.csv"),
        Accepted(
            {
                ("units", 2, "unit_id"): "van-phong",
                ("units", 6, "unit_id"): "thanh-tra",
                ("units", 8, "unit_id"): "cac-phong",
            },
            check=lambda ds: len(ds.units) == 3,
        ),
    ),
    Case(
        "mixed_line_endings",
        BANDS,
        line_endings("\r\n", "\n", "\r"),
        Accepted({("bands", B_2023_YEU, "band_id"): "yeu"}, check=lambda ds: len(ds.bands) == 12),
    ),
    Case(
        "negative_zero",
        SCORES,
        edit("ban-dan-toc,2021,1.1.1,0.5,", "ban-dan-toc,2021,1.1.1,-0,"),
        Accepted(
            {("scores", SC_BDT_2021_111, "self_points"): 0.0},
            check=lambda ds: math.copysign(1, ds.scores.loc[0, "self_points"]) == 1,
        ),
    ),
    Case(
        "id_in_capitals_with_spaces",
        UNITS,
        edit("van-phong,", " VAN-PHONG ,"),
        Accepted({("units", 2, "unit_id"): "van-phong"}),
    ),
    Case(
        "html_in_a_name_is_kept_as_text",
        AGENCIES,
        edit("Cơ quan 01 (ẩn danh)", PAYLOAD),
        Accepted({("agencies", 3, "name"): PAYLOAD}),
    ),
    Case(
        "xlsx_numbers_as_text",
        BANDS,
        xlsx(lambda r, c, v: v.replace(".", ",")),
        Accepted({("bands", 2, "min_share"): 0.9, ("bands", 2, "year"): 2021}),
    ),
    Case(
        "xlsx_typed_cells_and_years_as_floats",
        BANDS,
        xlsx(lambda r, c, v: float(v) if r > 1 and c in (0, 3) else v),
        Accepted({("bands", 6, "year"): 2022, ("bands", 4, "min_share"): 0.65}),
    ),
    Case(
        "vietnamese_headers_of_the_workbook",
        PROGRESS,
        edit(
            "task_id,occurrence,period,status,percent_done,completed_on,blocker,updated_on,updated_by,note,provenance",
            "Mã nhiệm vụ,Lần thực hiện,Kỳ báo cáo,Trạng thái,% hoàn thành,Ngày hoàn thành,Vướng mắc,Ngày cập nhật,"
            "Người cập nhật,Ghi chú,Nguồn số liệu",
        ),
        Accepted({("progress", P_T504_Q1, "percent_done"): 40.0, ("progress", P_T504_Q2, "status"): "done"}),
    ),
    Case(
        "vietnamese_headers_in_nfd_and_lower_case",
        SCORES,
        lambda relative: NFD(
            original(relative).replace(
                "agency_id,year,code,self_points,appraised_points,not_applicable,provenance",
                "mã cơ quan,NĂM,Mã tiêu chí,Điểm tự đánh giá,Điểm  thẩm định,Không áp dụng,Nguồn số liệu",
                1,
            )
        ).encode("utf-8"),
        Accepted({("scores", SC_BDT_2021_111, "code"): "1.1.1", ("scores", SC_BDT_2021_111, "year"): 2021}),
    ),
    Case(
        "xlsx_vietnamese_headers",
        AGENCIES,
        xlsx(lambda r, c, v: ("Mã cơ quan", "Tên cơ quan", "Tên ngắn", "Nguồn số liệu")[c] if r == 1 else v),
        Accepted({("agencies", 2, "name"): "Ban Dân tộc tỉnh Quảng Ngãi"}),
    ),
    Case(
        "excel_sep_line",
        BANDS,
        lambda relative: ("sep=;\r\n" + original(relative).replace(",", ";").replace("\n", "\r\n")).encode("utf-8"),
        Accepted({("bands", B_2021_KHA, "min_share"): 0.8, ("bands", 2, "label"): "Tốt"}),
    ),
    Case(
        "xlsx_tiny_float",
        BANDS,
        xlsx(lambda r, c, v: 0.00001 if (r, c) == (B_2023_YEU, 3) else v),
        Accepted({("bands", B_2023_YEU, "min_share"): 0.00001}),
    ),
    Case(
        "xlsx_date_cells",
        PROGRESS,
        xlsx(lambda r, c, v: dt.datetime.fromisoformat(v) if r > 1 and c == 7 else v),
        Accepted({("progress", P_T504_Q1, "updated_on"): dt.date(2023, 3, 26)}),
    ),
    Case(
        "xlsx_first_sheet_renamed_and_a_second_sheet",
        BANDS,
        xlsx(title="Ngưỡng (bản sửa)", after=_second_sheet),
        Accepted({("bands", B_2021_KHA, "label"): "Khá"}),
    ),
    Case(
        "xlsx_percent_cells_in_a_percent_column",
        PROGRESS,
        xlsx(  # percent_done is column E; completed_on (F) and updated_on (H) are date cells
            lambda r, c, v: dt.datetime.fromisoformat(v) if r > 1 and c in (5, 7) and v else v,
            after=_percent_column(100, column=5),
        ),
        Accepted(
            {("progress", P_T504_Q1, "percent_done"): 40.0, ("progress", P_T504_Q2, "percent_done"): 100.0},
            check=lambda ds: (ds.progress["status"] == "done").any(),
        ),
    ),
    Case(
        "xlsx_percent_cells_in_a_share_column",
        BANDS,
        xlsx(after=_percent_column(1)),
        Accepted({("bands", B_2021_KHA, "min_share"): 0.8, ("bands", 4, "min_share"): 0.65}),
    ),
    Case(
        "percent_typed_as_text",
        PROGRESS,
        edit(
            "T5-04,once,2023-Q1,in_progress,40,",
            "T5-04,once,2023-Q1,in_progress,40%,",
            "T5-04,once,2023-Q2,done,100,",
            "T5-04,once,2023-Q2,done,100 %,",
        ),
        Accepted({("progress", P_T504_Q1, "percent_done"): 40.0, ("progress", P_T504_Q2, "percent_done"): 100.0}),
    ),
    Case(
        "share_typed_as_a_percent",
        BANDS,
        edit("2021,kha,Khá,0.8", "2021,kha,Khá,80%"),
        Accepted({("bands", B_2021_KHA, "min_share"): 0.8}),
    ),
    Case(
        "dates_with_a_time_two_digit_years_and_slashes",
        PROGRESS,
        edit(
            "T5-04,once,2023-Q1,in_progress,40,,,2023-03-26,",
            "T5-04,once,2023-Q1,in_progress,40,,,26/03/2023 08:30,",
            "T5-04,once,2023-Q2,done,100,2023-06-26,,2023-06-26,",
            "T5-04,once,2023-Q2,done,100,26/06/23,,2023/06/26,",
        ),
        Accepted(
            {
                ("progress", P_T504_Q1, "updated_on"): dt.date(2023, 3, 26),
                ("progress", P_T504_Q2, "completed_on"): dt.date(2023, 6, 26),
                ("progress", P_T504_Q2, "updated_on"): dt.date(2023, 6, 26),
            }
        ),
    ),
    Case(
        "xlsx_date_cells_with_a_time",
        PROGRESS,
        xlsx(
            lambda r, c, v: (
                dt.datetime.fromisoformat(v) + dt.timedelta(hours=8, minutes=30) if r > 1 and c in (5, 7) and v else v
            )
        ),
        Accepted(
            {
                ("progress", P_T504_Q1, "updated_on"): dt.date(2023, 3, 26),
                ("progress", P_T504_Q2, "completed_on"): dt.date(2023, 6, 26),
            }
        ),
    ),
    Case(
        "xlsx_hidden_first_sheet",
        BANDS,
        xlsx(after=_hidden_first_sheet),
        Accepted({("bands", B_2021_KHA, "label"): "Khá"}),
    ),
    Case(
        "xlsx_sheet_named_like_the_table_after_a_notes_sheet",
        BANDS,
        xlsx(after=_notes_sheet_first),
        Accepted({("bands", B_2021_KHA, "min_share"): 0.8}),
    ),
    # --- refused with a clear problem --------------------------------------------------------------
    Case("zero_bytes", UNITS, raw(b""), rejected("tệp rỗng", ("empty_file", f(UNITS), None, None))),
    Case(
        "header_only",
        BANDS,
        cut("provenance\n"),
        rejected("không có dòng dữ liệu nào", ("empty_file", f(BANDS), None, None)),
    ),
    Case(
        "binary_file_named_csv",
        UNITS,
        raw(PNG),
        rejected("không phải là văn bản CSV", ("not_csv", f(UNITS), None, None)),
    ),
    Case(
        "nul_byte_in_text",
        UNITS,
        edit("Thanh tra Ban", "Thanh tra\x00Ban"),
        rejected("có byte NUL", ("not_csv", f(UNITS), None, None)),
    ),
    Case(
        "undecodable_bytes",
        UNITS,
        raw("unit_id,name,provenance\nvan-phong,Văn phòng Ban,official\n".encode()[:-12] + b"\x81\x8d\x8e,official\n"),
        rejected("không nhận ra bảng mã", ("bad_encoding", f(UNITS), None, None)),
    ),
    Case(
        "truncated_mid_row",
        BANDS,
        cut("2023,yeu,Yế"),
        rejected(
            "thiếu giá trị",
            ("missing_value", f(BANDS), B_2023_YEU, "min_share"),
            ("missing_value", f(BANDS), B_2023_YEU, "provenance"),
        ),
    ),
    Case(
        "truncated_mid_quote",
        TASKS,
        cut('T1-03,ban-dan-toc,2023,1,van-phong,"Tham mưu'),
        rejected("kiểm tra dấu ngoặc kép", ("bad_csv", f(TASKS), 4, None)),
    ),
    Case(
        "pipe_delimiter",
        UNITS,
        corpus("units_pipe_delimiter.csv"),
        rejected(
            "dấu phân cách cột phải là dấu phẩy (,), chấm phẩy (;) hoặc tab",
            ("bad_delimiter", f(UNITS), 1, "unit_id|name|provenance"),
        ),
    ),
    Case(
        "one_row_with_semicolons",
        UNITS,
        corpus("units_one_row_semicolon.csv"),
        rejected(
            "cần một mã viết thường không dấu",
            ("bad_value", f(UNITS), 3, "unit_id"),
            ("missing_value", f(UNITS), 3, "name"),
            ("missing_value", f(UNITS), 3, "provenance"),
            # the tasks of Thanh tra Ban now name a unit that is not in units
            *(("unknown_unit", f(TASKS), row, "unit_id") for row in (10, 11, 12, 13, 14)),
        ),
    ),
    Case(
        "unknown_extra_column",
        UNITS,
        corpus("units_unknown_extra_column.csv"),
        rejected("cột không có trong mẫu bảng đơn vị thuộc cơ quan", ("unknown_column", f(UNITS), 1, "ghi_chu")),
    ),
    Case(
        "duplicated_header",
        BANDS,
        edit("year,band_id,", "year,year,"),
        rejected(
            "cột bị lặp lại", ("duplicate_column", f(BANDS), 1, "year"), ("missing_column", f(BANDS), 1, "band_id")
        ),
    ),
    Case(
        "header_repeated_mid_file",
        BANDS,
        lambda relative: (original(relative) * 2).encode("utf-8"),
        rejected(
            "bị trùng với dòng 2",
            ("not_an_integer", f(BANDS), 14, "year"),
            ("bad_value", f(BANDS), 14, "band_id"),
            ("not_a_number", f(BANDS), 14, "min_share"),
            ("bad_value", f(BANDS), 14, "provenance"),
            *(("duplicate_key", f(BANDS), row, "year, band_id") for row in range(15, 27)),
        ),
    ),
    Case(
        "totals_row",
        SURVEY,
        lambda relative: (original(relative) + "Tổng cộng,,710.64,1340,\n").encode("utf-8"),
        rejected(
            'giá trị "Tổng cộng" không hợp lệ',
            ("bad_value", f(SURVEY), 42, "agency_id"),
            ("missing_value", f(SURVEY), 42, "year"),
            ("missing_value", f(SURVEY), 42, "provenance"),
        ),
    ),
    Case(
        "number_with_a_unit",
        SURVEY,
        edit("ban-dan-toc,2021,19.23,", 'ban-dan-toc,2021,"19,23 điểm",'),
        rejected("cần một số, ví dụ 11,5", ("not_a_number", f(SURVEY), S_BDT_2021, "survey_points")),
    ),
    Case(
        "nan_as_a_number",
        SURVEY,
        edit("ban-dan-toc,2021,19.23,", "ban-dan-toc,2021,NaN,"),
        rejected('giá trị "NaN" không hợp lệ', ("not_a_number", f(SURVEY), S_BDT_2021, "survey_points")),
    ),
    Case(
        "inf_as_a_number",
        SURVEY,
        edit("ban-dan-toc,2021,19.23,33.5", "ban-dan-toc,2021,19.23,inf"),
        rejected('giá trị "inf" không hợp lệ', ("not_a_number", f(SURVEY), S_BDT_2021, "survey_max")),
    ),
    Case(
        "infinity_spelled_out",
        SURVEY,
        edit("ban-dan-toc,2021,19.23,", "ban-dan-toc,2021,-Infinity,"),
        rejected("cần một số", ("not_a_number", f(SURVEY), S_BDT_2021, "survey_points")),
    ),
    Case(
        "exponent_notation",
        SURVEY,
        edit("ban-dan-toc,2021,19.23,", "ban-dan-toc,2021,1.923e1,"),
        rejected("cần một số", ("not_a_number", f(SURVEY), S_BDT_2021, "survey_points")),
    ),
    Case(
        "huge_number",
        TARGETS,
        edit("ban-dan-toc,2023,total,points,>,85,", f"ban-dan-toc,2023,total,points,>,{'9' * 400},"),
        rejected("số quá lớn", ("not_a_number", f(TARGETS), 2, "value")),
    ),
    Case(
        "huge_integer",
        PUBLISHED,
        edit("co-quan-01,2022,total,90.19,100,5,", f"co-quan-01,2022,total,90.19,100,{'9' * 30},"),
        rejected("số quá lớn", ("not_an_integer", f(PUBLISHED), PUB_CQ01_2022, "rank")),
    ),
    Case(
        "year_with_decimals",
        SURVEY,
        edit("ban-dan-toc,2021,19.23,", "ban-dan-toc,2021.5,19.23,"),
        rejected("cần một số nguyên", ("not_an_integer", f(SURVEY), S_BDT_2021, "year")),
    ),
    Case(
        "date_29_02_2023",
        PROGRESS,
        edit("T5-04,once,2023-Q1,in_progress,40,,,2023-03-26,", "T5-04,once,2023-Q1,in_progress,40,,,29/02/2023,"),
        rejected("ngày không tồn tại", ("bad_date", f(PROGRESS), P_T504_Q1, "updated_on")),
    ),
    Case(
        "date_month_first",
        PROGRESS,
        edit("T5-04,once,2023-Q1,in_progress,40,,,2023-03-26,", "T5-04,once,2023-Q1,in_progress,40,,,03/27/2023,"),
        rejected("ngày không tồn tại", ("bad_date", f(PROGRESS), P_T504_Q1, "updated_on")),
    ),
    Case(
        "full_width_digits_in_a_period",
        PROGRESS,
        edit("T5-04,once,2023-Q2,", "T5-04,once,２０２３-Q2,"),
        rejected("cần một kỳ báo cáo dạng 2023-Q2", ("bad_value", f(PROGRESS), P_T504_Q2, "period")),
    ),
    Case(
        "period_year_0000",
        PROGRESS,
        edit("T5-04,once,2023-Q2,", "T5-04,once,0000-Q2,"),
        rejected("năm của kỳ báo cáo phải từ 2000 đến 2100", ("bad_value", f(PROGRESS), P_T504_Q2, "period")),
    ),
    Case(
        "windows_reserved_id",
        BANDS,
        edit("2021,tot,", "2021,con,"),
        rejected("tên thiết bị dành riêng của Windows", ("bad_value", f(BANDS), 2, "band_id")),
    ),
    Case(
        "id_with_a_path",
        BANDS,
        edit("2021,tot,", "2021,../tot,"),
        rejected("chỉ gồm chữ, số và gạch nối", ("bad_value", f(BANDS), 2, "band_id")),
    ),
    Case(
        "xlsx_excel_serial_number_as_date",
        PROGRESS,
        xlsx(lambda r, c, v: 45012 if (r, c) == (P_T504_Q1, 7) else v),
        rejected('giá trị "45012" không hợp lệ', ("bad_date", f(PROGRESS, "xlsx"), P_T504_Q1, "updated_on")),
    ),
    Case(
        "xlsx_formula_cell",
        BANDS,
        xlsx(lambda r, c, v: "=0.4*2" if (r, c) == (B_2021_KHA, 3) else v),
        rejected("ô chứa công thức", ("formula", f(BANDS, "xlsx"), B_2021_KHA, "min_share")),
    ),
    Case(
        "xlsx_totals_row_with_a_formula",
        BANDS,
        xlsx(after=_totals_row),
        rejected(
            "ô chứa công thức",
            ("not_an_integer", f(BANDS, "xlsx"), 14, "year"),
            ("missing_value", f(BANDS, "xlsx"), 14, "band_id"),
            ("missing_value", f(BANDS, "xlsx"), 14, "label"),
            ("formula", f(BANDS, "xlsx"), 14, "min_share"),
            ("missing_value", f(BANDS, "xlsx"), 14, "provenance"),
        ),
    ),
    Case(
        "xlsx_merged_title_above_the_header",
        BANDS,
        xlsx(top=["Ngưỡng xếp loại"], after=_merge_title),
        rejected(
            "thiếu cột bắt buộc",
            ("unknown_column", f(BANDS, "xlsx"), 1, "Ngưỡng xếp loại"),
            *(("unknown_column", f(BANDS, "xlsx"), 1, f"(cột {i} không có tên)") for i in range(2, 6)),
            *(
                ("missing_column", f(BANDS, "xlsx"), 1, name)
                for name in ("year", "band_id", "label", "min_share", "provenance")
            ),
        ),
    ),
    Case(
        "xlsx_merged_header_cells",
        BANDS,
        xlsx(after=_merge_year_header),
        rejected(
            "thiếu cột bắt buộc",
            ("unknown_column", f(BANDS, "xlsx"), 1, "(cột 2 không có tên)"),
            ("missing_column", f(BANDS, "xlsx"), 1, "band_id"),
        ),
    ),
    Case(
        "xlsx_corrupt",
        BANDS,
        lambda relative: _xlsx_bytes(xlsx())[:300],
        rejected("không mở được tệp Excel", ("bad_xlsx", f(BANDS, "xlsx"), None, None)),
    ),
    Case(
        "xlsx_hidden_row",
        BANDS,
        xlsx(after=_hidden_row),
        rejected("dòng này bị ẩn trong Excel", ("hidden_row", f(BANDS, "xlsx"), B_2021_KHA, None)),
    ),
    Case(
        "percent_sign_in_a_points_column",
        SURVEY,
        edit("ban-dan-toc,2021,19.23,", "ban-dan-toc,2021,19%,"),
        rejected("cột này không nhận phần trăm", ("not_a_number", f(SURVEY), S_BDT_2021, "survey_points")),
    ),
    Case(
        "vietnamese_and_code_name_for_one_column",
        BANDS,
        edit("year,band_id,label,min_share,provenance", "year,band_id,label,min_share,Tỷ lệ tối thiểu,provenance"),
        rejected("cột bị lặp lại", ("duplicate_column", f(BANDS), 1, "Tỷ lệ tối thiểu")),
    ),
    Case(
        "xlsx_empty_sheet",
        BANDS,
        xlsx(after=_empty_book),
        rejected("tệp rỗng", ("empty_file", f(BANDS, "xlsx"), None, None)),
    ),
    Case(
        "workbook_sheet_renamed",
        "workbook",
        lambda book: setattr(book["Thanh tra Ban"], "title", "Thanh tra"),
        rejected("trang bị xoá hoặc đổi tên", ("missing_sheet", "tien_do.xlsx", None, "Thanh tra Ban")),
    ),
    Case(
        "workbook_extra_sheet_and_renamed_unit",
        "workbook",
        lambda book: (setattr(book["Văn phòng Ban"], "title", "VP"), book.create_sheet("Tổng hợp")),
        rejected("trang bị xoá hoặc đổi tên", ("missing_sheet", "tien_do.xlsx", None, "Văn phòng Ban")),
    ),
)


# ---------------------------------------------------------------------------
# Running a case
# ---------------------------------------------------------------------------


def snapshot(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def apply(case: Case, data: Path, tmp_path: Path) -> Path | None:
    """Put the case's file in place; for a workbook case, export the Q3 workbook, edit it and return it."""
    if case.target == "workbook":
        path = workbook.export_workbook(load_data(data), "2023-Q3", tmp_path / "tien_do.xlsx")
        book = openpyxl.load_workbook(path)
        case.make(book)
        book.save(path)
        return path
    target = data / case.target
    made = case.make(case.target)
    if isinstance(made, openpyxl.Workbook):
        target.unlink()
        made.save(target.with_suffix(".xlsx"))
    else:
        if getattr(case.make, "xlsx", False) or case.name.startswith("xlsx_"):
            target.unlink()
            target = target.with_suffix(".xlsx")
        target.write_bytes(made)
    return None


def cell(ds: Dataset, case: Case, table: str, row: int, column: str) -> object:
    frame = getattr(ds, table)
    stem = "data/" + case.target.rsplit(".", 1)[0] + "."
    found = frame[(frame["_row"] == row) & frame["_file"].str.startswith(stem)]
    assert len(found) == 1, f"{case.name}: {len(found)} rows of {table} at row {row}"
    return found[column].iloc[0]


def location(problem) -> tuple[str, str, int | None, str | None]:
    file = Path(problem.file).name if problem.file.endswith("tien_do.xlsx") else problem.file
    where = problem.column if problem.sheet is None else "!".join(filter(None, (problem.sheet, problem.cell)))
    return problem.code, file, problem.row, where


@pytest.fixture
def data(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


@pytest.mark.parametrize("case", CASES, ids=str)
def test_case(case: Case, data: Path, tmp_path: Path, capsys, monkeypatch) -> None:
    unit_workbook = apply(case, data, tmp_path)
    before = snapshot(data)
    workbook_hash = hashlib.sha256(unit_workbook.read_bytes()).hexdigest() if unit_workbook else None

    # One run through the command line; a spy on the function it calls keeps the Dataset or the error.
    module, name = (workbook, "import_workbooks") if unit_workbook else (dataset_module, "load_data")
    real, outcome = getattr(module, name), {}

    def spy(*args, **kwargs):
        try:
            outcome["result"] = real(*args, **kwargs)
        except CchcDataError as error:
            outcome["error"] = error
            raise
        return outcome["result"]

    monkeypatch.setattr(module, name, spy)
    argv = ["workbook", "import", str(unit_workbook), "--data", str(data)] if unit_workbook else ["validate", str(data)]
    capsys.readouterr()
    code = cli.main(argv)  # anything but a CchcError escapes and fails the test with its traceback
    err = capsys.readouterr().err
    assert snapshot(data) == before  # the input files are byte-identical
    if unit_workbook:
        assert hashlib.sha256(unit_workbook.read_bytes()).hexdigest() == workbook_hash
    assert "Traceback" not in err
    error, ds = outcome.get("error"), outcome.get("result")
    assert (error is None) != (ds is None)

    if isinstance(case.expect, Accepted):
        assert error is None, f"{case.name} was refused:\n{error}"
        assert code == 0 and err == ""
        for (table, row, column), expected in case.expect.values.items():
            value = cell(ds, case, table, row, column)
            if isinstance(expected, float):
                assert value == pytest.approx(expected, rel=0, abs=1e-12), (table, row, column)
            else:
                assert value == expected, (table, row, column)
        if case.expect.check is not None:
            assert case.expect.check(ds)
        return

    assert error is not None, f"{case.name} was accepted"
    assert {location(p) for p in error.problems} == case.expect.problems, str(error)
    assert len(error.problems) == len(case.expect.problems), str(error)  # nothing reported twice
    assert case.expect.message in str(error)
    assert code == 2
    for problem in error.problems:
        where = [problem.file]
        if problem.sheet is not None:  # a workbook: the sheet and the cell, as Excel names them
            where.append(f"ô {problem.sheet}!{problem.cell}" if problem.cell else f'trang "{problem.sheet}"')
        elif problem.row is not None:
            where.append(f"dòng {problem.row}")
        if problem.column is not None:
            where.append(f'cột "{problem.column}"')
        assert ", ".join(where) + ":" in err, f"{where} not on stderr:\n{err}"


def test_the_corpus_is_big_and_covers_csv_xlsx_and_workbooks() -> None:
    names = [case.name for case in CASES]
    assert len(names) == len(set(names)) and len(names) >= 40
    kinds = {("workbook" if c.target == "workbook" else "xlsx" if c.name.startswith("xlsx_") else "csv") for c in CASES}
    assert kinds == {"csv", "xlsx", "workbook"}
    assert sum(isinstance(c.expect, Accepted) for c in CASES) >= 15
    assert sum(isinstance(c.expect, Rejected) for c in CASES) >= 25
    used = {c.make.corpus_file for c in CASES if hasattr(c.make, "corpus_file")}
    assert used == {p.name for p in CORPUS.glob("*.csv")}  # every file of tests/corpus is a case


def test_the_docs_list_every_corpus_case() -> None:
    text = (ROOT / "docs" / "hardening.md").read_text(encoding="utf-8")
    missing = [case.name for case in CASES if f"`{case.name}`" not in text]
    assert not missing, f"docs/hardening.md does not list: {missing}"


def test_every_test_the_docs_name_exists() -> None:
    import re

    import test_bounds
    import test_chromium
    import test_faults
    import test_generate
    import test_injection
    import test_offline
    import test_properties
    import test_report
    import test_report_batch
    import test_report_output
    import test_workbook_store

    text = (ROOT / "docs" / "hardening.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`(test_[a-z0-9_]+)`", text))

    def tests_of(*modules) -> set[str]:
        return {name for module in modules for name in dir(module) if name.startswith("test_")}

    every = tests_of(
        test_injection,
        test_properties,
        test_faults,
        test_chromium,
        test_report,
        test_report_batch,
        test_bounds,
        test_report_output,
        test_generate,
        test_offline,
        test_workbook_store,
    )
    assert named and named <= every | {
        "test_case",
        "test_the_docs_list_every_corpus_case",
        "test_number_round_trips_for_whole_thousands",
    }, named - every
    # Every hostile-input, property, fault and persistent-printer test is in the table.
    must = tests_of(
        test_injection,
        test_properties,
        test_faults,
        test_chromium,
        test_bounds,
        test_report_output,
        test_offline,
        test_workbook_store,
    )
    assert must <= named, f"docs/hardening.md does not name: {sorted(must - named)}"
