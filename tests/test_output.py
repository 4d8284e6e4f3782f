"""`cchc generate-data` never overwrites data a user maintains: it refuses, names each file and the flag, and
writes nothing; it never touches progress/ unless asked to."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
from pathlib import Path

import openpyxl
import pytest
from conftest import DATA

from cchc_analysis import workbook
from cchc_analysis.cli import main
from cchc_analysis.ingest.dataset import load_data
from cchc_analysis.sample_data import generate, output
from cchc_analysis.sample_data.sources import load_sources
from cchc_analysis.workbook import layout

PROGRESS = Path("progress") / "progress.csv"


def snapshot(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def data(tmp_path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


@pytest.fixture(scope="module")
def files() -> dict[str, bytes]:
    return generate.build(load_sources(DATA))


def import_q3_update(data: Path, tmp_path: Path) -> None:
    """A unit reports T7-05's blocked second-quarter occurrence done in 2023-Q3 through its workbook."""
    path = workbook.export_workbook(load_data(data), "2023-Q3", tmp_path / "q3.xlsx")
    book = openpyxl.load_workbook(path)
    sheet = book["Văn phòng Ban"]
    row = next(
        r
        for r in range(layout.FIRST_ROW, sheet.max_row + 1)
        if (sheet[f"A{r}"].value, sheet[f"B{r}"].value) == ("T7-05", "2023-Q2")
    )
    sheet[f"I{row}"], sheet[f"K{row}"], sheet[f"L{row}"] = "Hoàn thành", dt.date(2023, 9, 18), None
    sheet[f"M{row}"] = dt.date(2023, 9, 20)
    book.save(path)
    workbook.import_workbooks([path], data)


def test_generate_data_refuses_to_overwrite_imported_progress(data, tmp_path, capsys):
    import_q3_update(data, tmp_path)
    imported = (data / PROGRESS).read_text(encoding="utf-8")
    assert (
        "T7-05,2023-Q2,2023-Q3,done,,2023-09-18,,2023-09-20,Văn phòng Ban,Đã báo cáo Lãnh đạo Ban,official" in imported
    )
    before = snapshot(data)

    # Without --with-progress, progress/ is not even looked at: the rest is already what the generator writes.
    assert main(["generate-data", "--out", str(data)]) == 0
    assert "Đã ghi 0 tệp" in capsys.readouterr().out
    assert snapshot(data) == before

    # Asked to write progress too: refused, exit 2, the file and the flag named, nothing written.
    assert main(["generate-data", "--out", str(data), "--with-progress"]) == 2
    message = capsys.readouterr().err
    assert "Không ghi tệp nào" in message and "- progress/progress.csv" in message and "--force" in message
    assert snapshot(data) == before

    # Forced, the generated progress replaces the imported one (what the flag says it does).
    assert main(["generate-data", "--out", str(data), "--with-progress", "--force"]) == 0
    assert (data / PROGRESS).read_bytes() == (DATA / PROGRESS).read_bytes()


def test_force_without_with_progress_still_leaves_progress_alone(data, tmp_path):
    import_q3_update(data, tmp_path)
    imported = (data / PROGRESS).read_bytes()
    scores = data / "results" / "scores.csv"
    scores.write_text(scores.read_text(encoding="utf-8").replace(",derived\n", ",official\n"), encoding="utf-8")
    assert main(["generate-data", "--out", str(data), "--force"]) == 0
    assert scores.read_bytes() == (DATA / "results" / "scores.csv").read_bytes()
    assert (data / PROGRESS).read_bytes() == imported


def test_refusal_is_all_or_nothing_and_names_every_changed_file(data, files):
    (data / "results" / "survey.csv").unlink()  # missing: would be written
    bands = data / "config" / "bands.csv"
    bands.write_text(bands.read_text(encoding="utf-8").replace(",0.9,", ",0.92,"), encoding="utf-8")  # official bands
    progress = data / PROGRESS
    progress.write_text(progress.read_text(encoding="utf-8") + "T1-01,2024-Q1,done,100,2024-03-20,,official\n")
    before = snapshot(data)
    with pytest.raises(output.OverwriteRefused) as refused:
        output.write(data, files, with_progress=True)
    assert refused.value.changed == ["config/bands.csv", "progress/progress.csv"]
    assert refused.value.exit_code == 2
    assert snapshot(data) == before  # the missing survey.csv was not written either
    assert not list(data.rglob(".*.tmp*"))


def test_a_fresh_folder_gets_no_progress_unless_asked(files, tmp_path):
    written = output.write(tmp_path / "fresh", files)
    assert "progress/progress.csv" not in written.new
    assert not (tmp_path / "fresh" / "progress").exists()
    assert load_data(tmp_path / "fresh").progress.empty  # a data folder without progress is valid
    output.write(tmp_path / "fresh", files, with_progress=True)
    assert (tmp_path / "fresh" / PROGRESS).read_bytes() == (DATA / PROGRESS).read_bytes()


def test_a_changed_hand_maintained_file_in_another_folder_is_refused_too(data, files):
    tasks = data / "plan" / "tasks.csv"
    tasks.write_text(tasks.read_text(encoding="utf-8").replace("Thường xuyên theo dõi", "Theo dõi"), encoding="utf-8")
    with pytest.raises(output.OverwriteRefused) as refused:
        output.write(data, files)
    assert refused.value.changed == ["plan/tasks.csv"]


def test_check_compares_without_writing(data, capsys):
    assert main(["generate-data", "--check"]) == 0
    assert main(["generate-data", "--check", "--with-progress"]) == 0
    (data / "results" / "survey.csv").unlink()
    assert main(["generate-data", "--check", "--out", str(data)]) == 1
    assert "results/survey.csv" in capsys.readouterr().err
    assert not (data / "results" / "survey.csv").exists()


def test_scale_mode_into_the_embedded_folder_is_refused(capsys):
    assert main(["generate-data", "--agencies", "30", "--years", "3"]) == 2
    assert "--out" in capsys.readouterr().err
