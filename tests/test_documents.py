"""The drafted Word documents: read back with python-docx, converted with LibreOffice, checked with poppler.

The plan for 2023, drafted from the 2022 results, must carry every figure the seed's sections I and II carry;
the literals below are typed from the seed (2023 plan of Ban Dân tộc tỉnh Quảng Ngãi), not from the data.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import SOFFICE, libreoffice_convert
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX
from docx.shared import Mm

from cchc_analysis import cli
from cchc_analysis.documents import report_document, sources, status, write
from cchc_analysis.domain import periods
from cchc_analysis.errors import CchcDataError
from cchc_analysis.ingest.dataset import load_data

ROOT = Path(__file__).resolve().parents[1]
WRITER = Path("/usr/lib/libreoffice/program/libswlo.so")
needs_writer = pytest.mark.skipif(
    not (Path(SOFFICE).exists() and WRITER.exists()) and os.environ.get("CI") != "true",
    reason="LibreOffice Writer is not installed: sudo apt-get install -y libreoffice-writer-nogui",
)

# Seed I.2, as the seed prints each field: (points/maximum, rank).
SEED_FIELDS = [
    "(11,5/12,5 điểm, xếp vị thứ 13/20)",
    "(10/10 điểm, xếp vị thứ 1/20)",
    "(9,5/10,5 điểm, xếp vị thứ 7/20)",
    "(6/6,5 điểm, xếp vị thứ 19/20)",
    "(8/8 điểm, xếp vị thứ 1/20)",
    "(8,5/11 điểm, xếp vị thứ 19/20)",
]
SEED_CODES = ["1.2.2", "1.5.1", "2.1.1.1", "3.1.2", "3.1.3", "7.2.1", "7.2.2"]
# Seed a2 … g2, in field order.
SEED_FIELD_TARGETS = ["10,5/10,5", "6,5/6,5", "12,5/12,5", "8,0/8,0", "10,0/10,0", "8,0/8,0", "11,5/11,5"]
SEED_BASES = ["19/2018/QĐ-UBND", "733/QĐ-UBND", "1832/QĐ-UBND", "1782/QĐ-UBND", "25/KH-BDT", "21/TB-UBND"]


def text_of(doc) -> str:
    return "\n".join(p.text for p in doc.paragraphs)


def cells(doc, table: int) -> list:
    return doc.tables[table].rows[0].cells


@pytest.fixture(scope="module")
def ds():
    return load_data()


@pytest.fixture(scope="module")
def drafts(ds, tmp_path_factory):
    out = tmp_path_factory.mktemp("drafts")
    plan = write.write_plan(ds, "ban-dan-toc", 2023, out)
    report = write.write_report(ds, "ban-dan-toc", "2023-Q2", out)
    return {"plan": plan, "report": report, "out": out}


def test_the_plan_carries_every_figure_of_the_seeds_sections_one_and_two(drafts):
    doc = Document(drafts["plan"].path)
    text = text_of(doc)
    assert "82,91/100 điểm" in text and "cao hơn so với năm 2021 là 4,18 điểm" in text
    assert "xếp vị thứ 13/20 cơ quan, đơn vị" in text
    for field in SEED_FIELDS:
        assert field in text, field
    assert text.count("(8/8 điểm, xếp vị thứ 1/20)") == 2  # fields 4 and 6
    for code in SEED_CODES:
        assert f"{code}: " in text, code
    assert "đạt trên 85/100 điểm (tính cả điểm điều tra xã hội học), xếp vị thứ trong tốp 10/20" in text
    targets = re.findall(
        r"[a-zđ]2\) Chỉ tiêu cụ thể: Phấn đấu (?:tiếp tục )?đạt chỉ số điểm ([0-9,]+/[0-9,]+) điểm", text
    )
    assert targets == SEED_FIELD_TARGETS
    for basis in SEED_BASES:
        assert basis in text, basis
    # The recorded causes (seed I.3) come from data/documents/loss_causes.csv, word for word.
    assert "đến ngày chấm điểm CCHC 02 TTHC này chưa phát sinh hồ sơ" in text
    # The seed's structure, in order.
    headings = [p.text for p in doc.paragraphs if p.runs and all(r.bold for r in p.runs if r.text.strip())]
    order = [
        "I. Kết quả đánh giá chỉ số CCHC năm 2022",
        "II. Kế hoạch cải thiện",
        "1.1. Mục đích",
        "1.2. Yêu cầu",
        "2.1. Nhiệm vụ và chỉ tiêu chung",
        "2.2. Nhiệm vụ, giải pháp",
        "III. TỔ CHỨC THỰC HIỆN",
    ]
    found = [next(i for i, h in enumerate(headings) if h.startswith(o)) for o in order]
    assert found == sorted(found)
    assert "định kỳ hằng quý, sáu tháng và hằng năm tổng hợp báo cáo" in text  # III.2, from the plan table


def test_the_layout_follows_decree_30(drafts):
    doc = Document(drafts["plan"].path)
    section = doc.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(0.5) and abs(section.page_height - Mm(297)) < Mm(0.5)
    # Word stores margins in twips: 15 mm is 850 twips, a hair under 15 mm.
    assert Mm(19.9) <= section.top_margin <= Mm(25) and Mm(19.9) <= section.bottom_margin <= Mm(25)
    assert Mm(29.9) <= section.left_margin <= Mm(35) and Mm(14.9) <= section.right_margin <= Mm(20)
    normal = doc.styles["Normal"]
    assert normal.font.name == "Times New Roman" and 13 <= normal.font.size.pt <= 14
    assert normal.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert Mm(10) <= normal.paragraph_format.first_line_indent <= Mm(12.7)
    # Page number top centre from page 2: a different first page, a PAGE field in the default header.
    assert section.different_first_page_header_footer
    assert "PAGE" in section.header._element.xml and not section.first_page_header.paragraphs[0].text
    left, right = cells(doc, 0)
    lines = {p.text: p for p in left.paragraphs + right.paragraphs if p.text}
    assert "UBND TỈNH QUẢNG NGÃI" in lines and not lines["UBND TỈNH QUẢNG NGÃI"].runs[0].bold
    assert lines["BAN DÂN TỘC"].runs[0].bold and "Số: …/KH-BDT" in lines
    title = lines["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"].runs[0]
    assert title.bold and 12 <= title.font.size.pt <= 13
    motto = lines["Độc lập - Tự do - Hạnh phúc"].runs[0]
    assert motto.bold and 13 <= motto.font.size.pt <= 14
    assert lines["Quảng Ngãi, ngày … tháng … năm 2023"].runs[0].italic
    rules = [p for p in left.paragraphs + right.paragraphs if "w:pBdr" in p._p.xml]
    assert len(rules) == 2  # under the agency and under the motto
    kind = next(p for p in doc.paragraphs if p.text == "KẾ HOẠCH")
    assert kind.alignment == WD_ALIGN_PARAGRAPH.CENTER and kind.runs[0].bold
    recipients, signature = cells(doc, 1)
    heading = recipients.paragraphs[0]
    assert heading.text == "Nơi nhận:" and heading.runs[0].bold and heading.runs[0].italic
    assert heading.runs[0].font.size.pt == 12
    listed = [p.text for p in recipients.paragraphs[1:]]
    assert listed == ["- UBND tỉnh;", "- Sở Nội vụ;", "- Lãnh đạo Ban;", "- Các phòng thuộc Ban;", "- Lưu: VT, VP."]
    assert all(p.runs[0].font.size.pt == 11 for p in recipients.paragraphs[1:])
    assert signature.paragraphs[0].text == "TRƯỞNG BAN" and signature.paragraphs[0].runs[0].bold


def test_judgements_are_highlighted_blanks_never_invented(drafts):
    doc = Document(drafts["plan"].path)
    highlighted = [r.text for p in doc.paragraphs for r in p.runs if r.font.highlight_color == WD_COLOR_INDEX.YELLOW]
    assert any("công tác chỉ đạo, điều hành CCHC năm 2022" in h for h in highlighted)  # I.1 is the agency's own
    assert any("cần xác nhận" in h for h in highlighted)  # deadlines the seed does not state
    signer = cells(doc, 1)[1].paragraphs[-1].runs[0]
    assert signer.text == "[Họ và tên người ký]" and signer.font.highlight_color == WD_COLOR_INDEX.YELLOW
    assert drafts["plan"].document.highlights == len(highlighted)  # every blank and note of the body


def test_the_report_counts_what_the_briefing_counts(ds, drafts):
    from cchc_analysis.present import briefing, progress_review
    from cchc_analysis.present.context import context

    doc = Document(drafts["report"].path)
    text = text_of(doc)
    assert "BÁO CÁO" in text and "quý II năm 2023" in text and "số liệu đến ngày 30/06/2023" in text
    assert "Số: …/BC-BDT" in [p.text for p in cells(doc, 0)[0].paragraphs]
    for heading in (
        "I. CÔNG TÁC CHỈ ĐẠO",
        "II. KẾT QUẢ THỰC HIỆN",
        "III. ĐÁNH GIÁ CHUNG",
        "IV. NHIỆM VỤ TRỌNG TÂM QUÝ III NĂM 2023",
        "V. ĐỀ XUẤT, KIẾN NGHỊ",
    ):
        assert heading in text, heading
    card = briefing.plan_card(progress_review.review(context(period="2023-Q2", agency="ban-dan-toc")))
    fine, due = re.sub(r"<[^>]+>|[*†]", "", str(card[1])).split("/")  # the card's value, without its marker
    assert (
        f"không cần xử lý thêm (đã hoàn thành, hoặc chưa đến hạn và đang đúng tiến độ): {fine}/{due} nhiệm vụ" in text
    )
    # The blocked task and the unit's own words; the progress is illustrative and the draft says so.
    assert "Chưa phát sinh hồ sơ trực tuyến" in text and "T7-05" in text
    assert "tiến độ nhiệm vụ trong dữ liệu là số liệu minh hoạ" in text
    for code in SEED_CODES:
        assert f"Tiêu chí {code} (" in text
    recipients = [p.text for p in cells(doc, 1)[0].paragraphs[1:]]
    assert recipients[:2] == ["- UBND tỉnh;", "- Sở Nội vụ;"]


@pytest.mark.parametrize(
    ("period", "phrase", "next_heading"),
    [
        ("2023-Q1", "quý I năm 2023", "QUÝ II NĂM 2023"),
        ("2023-Q4", "quý IV năm 2023", "QUÝ I NĂM 2024"),
        ("2023-H1", "6 tháng đầu năm 2023", "6 THÁNG CUỐI NĂM 2023"),
        ("2023", "năm 2023", "NĂM 2024"),
    ],
)
def test_every_period_kind_gets_its_own_wording_and_counts(ds, period, phrase, next_heading):
    docs = sources.load_document_data(ds)
    chosen = periods.parse(period)
    document = report_document.build(ds, docs, "ban-dan-toc", chosen, chosen.end)
    assert document.subject == (f"Kết quả thực hiện nhiệm vụ cải cách hành chính {phrase}",)
    assert f"IV. NHIỆM VỤ TRỌNG TÂM {next_heading}" in document.text
    frame = status.task_statuses(ds, "ban-dan-toc", chosen, chosen.end)
    assert len(frame) == 51 and set(frame["category"]) <= set(status.CATEGORIES)
    assert f"Kế hoạch có {len(frame)} nhiệm vụ" in document.text


@needs_writer
def test_libreoffice_prints_both_drafts_on_a4_with_the_header_and_vietnamese_intact(drafts, tmp_path):
    sources_ = [drafts["plan"].path, drafts["report"].path]
    completed = libreoffice_convert(sources_, "pdf", tmp_path, tmp_path / "lo")
    assert completed.returncode == 0, completed.stderr
    for source in sources_:
        pdf = tmp_path / f"{source.stem}.pdf"
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        assert re.search(r"Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)", info), info
        text = " ".join(
            subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout.split()
        )
        for words in (
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            "BAN DÂN TỘC",
            "TRƯỞNG BAN",
            "Nơi nhận:",
            "Sở Nội vụ",
        ):
            assert words in text, (source.name, words)
        # Margins on page 2 (no header table there): words stay inside left 30 mm, right 15 mm, top 20 mm.
        box = subprocess.run(
            ["pdftotext", "-bbox", "-f", "2", "-l", "2", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        words = [
            tuple(map(float, m[:4])) + (m[4],)
            for m in re.findall(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<', box)
        ]
        body = [w for w in words if not w[4].isdigit()]  # the page number sits in the header area
        mm = 72 / 25.4
        assert min(w[0] for w in body) >= 30 * mm - 1 and max(w[2] for w in body) <= (210 - 15) * mm + 1
        assert min(w[1] for w in body) >= 20 * mm - 1
        number = [w for w in words if w[4] == "2"]
        assert number and min(w[1] for w in number) < 20 * mm  # page number top centre
    plan = " ".join(
        subprocess.run(
            ["pdftotext", str(tmp_path / "ke_hoach_cchc_2023.pdf"), "-"], capture_output=True, text=True, check=True
        ).stdout.split()
    )
    assert "82,91/100 điểm" in plan and "Những tồn tại và nguyên nhân" in plan and "Số: …/KH-BDT" in plan


def _copy_data(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    return data


def test_names_places_and_causes_come_from_data_not_code(tmp_path):
    data = _copy_data(tmp_path)
    head = data / "documents" / "letterhead.csv"
    head.write_text(
        "agency_id,parent_body,issuer,place,code_suffix,signer_title,signer_name,provenance\n"
        "ban-dan-toc,UBND tỉnh Bình Định,Ban Dân tộc,Quy Nhơn,BDT-BD,Phó Trưởng Ban,Nguyễn Văn A,official\n",
        encoding="utf-8",
    )
    (data / "documents" / "loss_causes.csv").write_text("agency_id,year,codes,cause,provenance\n", encoding="utf-8")
    written = write.write_plan(load_data(data), "ban-dan-toc", 2023, tmp_path / "out")
    doc = Document(written.path)
    header = [p.text for c in cells(doc, 0) for p in c.paragraphs]
    assert "UBND TỈNH BÌNH ĐỊNH" in header and "Số: …/KH-BDT-BD" in header
    assert "Quy Nhơn, ngày … tháng … năm 2023" in header
    signature = [p.text for p in cells(doc, 1)[1].paragraphs if p.text]
    assert signature == ["PHÓ TRƯỞNG BAN", "Nguyễn Văn A"]
    text = text_of(doc)
    assert "chưa phát sinh hồ sơ" not in text  # no recorded cause: no invented one
    assert "[Nguyên nhân bị trừ điểm năm 2022, như cơ quan đã phân tích tại cuộc họp đánh giá]" in text


def test_a_bad_document_table_is_refused_with_file_row_and_column_and_nothing_is_written(tmp_path, capsys):
    data = _copy_data(tmp_path)
    (data / "documents" / "recipients.csv").write_text(
        "agency_id,document,position,recipient,provenance\nban-dan-toc,plan,một,UBND tỉnh,official\n"
        "co-quan-99,plan,2,Sở Nội vụ,official\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    code = cli.main(["document", "plan", "2023", "--data", str(data), "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2
    assert 'documents/recipients.csv, dòng 2, cột "position"' in err
    assert 'documents/recipients.csv, dòng 3, cột "agency_id"' in err and "unknown_agency" in err
    assert not out.exists() or not any(out.iterdir())
    with pytest.raises(CchcDataError):
        sources.load_document_data(load_data(data))


def test_the_cli_writes_both_documents_where_the_reports_go(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CCHC_REPORTS_DIR", str(tmp_path))
    assert cli.main(["document", "report", "2023-Q2", "--agency", "ban-dan-toc"]) == 0
    assert cli.main(["document", "plan", "2023", "--agency", "Ban Dân tộc tỉnh"]) == 0
    assert (tmp_path / "2023-Q2" / "ban-dan-toc" / "bao_cao_cchc_2023-Q2.docx").is_file()
    assert (tmp_path / "2023" / "ban-dan-toc" / "ke_hoach_cchc_2023.docx").is_file()
    assert "chỗ tô vàng" in capsys.readouterr().out
    assert cli.main(["document", "plan", "2031"]) == 2
    assert "2031" in capsys.readouterr().err


def test_report_documents_drafts_one_report_per_agency_with_a_plan(tmp_path, monkeypatch, capsys):
    from cchc_analysis import report

    monkeypatch.setattr(report, "_run_locked", lambda *args, **kwargs: 0)  # the notebooks are report.py's tests
    code = cli.main(["report", "2023-Q2", "--all-agencies", "--documents", "--out", str(tmp_path), "--no-pdf"])
    assert code == 0
    drafted = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.docx"))
    assert drafted == ["2023-Q2/ban-dan-toc/bao_cao_cchc_2023-Q2.docx"]  # the 19 peers have no plan in the data
    assert "bao_cao_cchc_2023-Q2.docx" in capsys.readouterr().err

    def broken(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(write, "write_report", broken)
    assert cli.main(["report", "2023-Q2", "--documents", "--out", str(tmp_path), "--no-pdf"]) == 1
    assert "ban-dan-toc" in capsys.readouterr().err
