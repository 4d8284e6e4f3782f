"""The one module that knows Word: a ``model.Document`` laid out as Decree 30/2020/NĐ-CP (Appendix I) asks.

A province adapts its documents here (the figures below) and in ``data/documents/`` (names, places, recipients):

- A4 portrait; margins top and bottom 20 mm, left 30 mm, right 15 mm; Times New Roman.
- Body 14 pt, justified, first-line indent 1,27 cm, 6 pt between paragraphs; page number top centre from page 2.
- Header: a borderless two-column table. Left: the parent body (upper case, regular) over the issuing agency
  (upper case, bold) with a short rule under it, then "Số: …/KH-BDT". Right: the national title (upper case, bold,
  12 pt) over the motto (bold, 13 pt) with a rule under it, then "Quảng Ngãi, ngày … tháng … năm …" in italics.
- The kind ("KẾ HOẠCH", "BÁO CÁO") and the summary centred in bold, a short rule under them.
- The signature block on the right (title upper case, bold); "Nơi nhận:" bottom left (bold italic 12 pt, then
  11 pt lines "- UBND tỉnh;" … "- Lưu: VT, VP.").
- A blank a person fills is highlighted yellow in square brackets; a drafting note is highlighted and italic.
"""

from __future__ import annotations

import io

from docx import Document as new_document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph as DocxParagraph

from cchc_analysis.documents import model

__all__ = [
    "BODY_PT",
    "FIRST_LINE_INDENT",
    "FONT",
    "HEADER_LEFT_WIDTH",
    "HEADER_RIGHT_WIDTH",
    "HEADER_SHIFT",
    "HIGHLIGHT",
    "LANGUAGE",
    "MARGIN_BOTTOM",
    "MARGIN_LEFT",
    "MARGIN_RIGHT",
    "MARGIN_TOP",
    "MOTTO",
    "NATIONAL_TITLE",
    "PAGE_HEIGHT",
    "PAGE_WIDTH",
    "PARAGRAPH_SPACING",
    "SIGNATURE_LEFT_WIDTH",
    "TEXT_WIDTH",
    "render",
]

FONT = "Times New Roman"
LANGUAGE = "vi-VN"
PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = Mm(20), Mm(20), Mm(30), Mm(15)
TEXT_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT
BODY_PT = 14
FIRST_LINE_INDENT = Cm(1.27)
PARAGRAPH_SPACING = Pt(6)
#: The header table is a little wider than the text (as the decree's samples are), shifted into the left margin,
#: so that the national title fits on one line.
HEADER_LEFT_WIDTH, HEADER_RIGHT_WIDTH, HEADER_SHIFT = Cm(6.8), Cm(10.4), Cm(-0.7)
SIGNATURE_LEFT_WIDTH = Cm(8.0)
HIGHLIGHT = WD_COLOR_INDEX.YELLOW
NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"


def render(document: model.Document) -> bytes:
    """The .docx file of ``document`` as bytes (the caller writes it atomically)."""
    doc = new_document()
    _page(doc)
    _styles(doc)
    _letterhead(doc, document.header)
    _title(doc, document.kind, document.subject)
    for paragraph in document.body:
        _body_paragraph(doc.add_paragraph(), paragraph)
    _signature(doc, document)
    properties = doc.core_properties
    properties.title = " ".join([document.kind, *document.subject])
    properties.author = document.header.issuer
    properties.language = LANGUAGE
    properties.subject = document.metadata.get("subject", "")
    properties.keywords = document.metadata.get("keywords", "")
    properties.comments = document.metadata.get("comments", "")
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------------------
# Page, styles, page number
# ---------------------------------------------------------------------------


def _page(doc) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.top_margin, section.bottom_margin = MARGIN_TOP, MARGIN_BOTTOM
    section.left_margin, section.right_margin = MARGIN_LEFT, MARGIN_RIGHT
    section.header_distance = Mm(10)
    section.different_first_page_header_footer = True  # no number on page 1
    number = section.header.paragraphs[0]
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    number.paragraph_format.first_line_indent = Cm(0)
    _page_field(number)


def _page_field(paragraph: DocxParagraph) -> None:
    run = paragraph.add_run()
    run.font.size = Pt(13)
    for kind in ("begin", "instr", "separate", "text", "end"):
        if kind == "instr":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = " PAGE "
        elif kind == "text":
            element = OxmlElement("w:t")
            element.text = "2"
        else:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        run._r.append(element)


def _set_fonts(rpr_owner) -> None:
    """Times New Roman for every script slot and Vietnamese as the proofing language."""
    rpr = rpr_owner.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), FONT)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), LANGUAGE)


def _styles(doc) -> None:
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    _set_fonts(normal.element)
    fmt = normal.paragraph_format
    fmt.space_before = Pt(0)
    fmt.space_after = PARAGRAPH_SPACING
    fmt.line_spacing = 1.1
    fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    fmt.first_line_indent = FIRST_LINE_INDENT
    fmt.widow_control = True


# ---------------------------------------------------------------------------
# Header, title, body, signature
# ---------------------------------------------------------------------------


def _borderless_table(doc, widths: list, shift=None) -> Table:
    table = doc.add_table(rows=1, cols=len(widths))
    table.autofit = False
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    table._tbl.tblPr.append(layout)
    if shift is not None:
        indent = OxmlElement("w:tblInd")
        indent.set(qn("w:w"), str(int(shift.twips)))
        indent.set(qn("w:type"), "dxa")
        table._tbl.tblPr.append(indent)
    else:
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for column, width in zip(table.columns, widths):
        column.width = width
        for cell in column.cells:
            cell.width = width
    return table


def _line(cell_or_doc, text: str = "", *, size: float = 13, bold: bool = False, italic: bool = False):
    """A centred line without indent or spacing (header, title and signature lines)."""
    if isinstance(cell_or_doc, _Cell) and len(cell_or_doc.paragraphs) == 1 and not cell_or_doc.paragraphs[0].text:
        paragraph = cell_or_doc.paragraphs[0]
    else:
        paragraph = cell_or_doc.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.first_line_indent = Cm(0)
    paragraph.paragraph_format.space_after = Pt(0)
    paragraph.paragraph_format.line_spacing = 1.0
    if text:
        run = paragraph.add_run(text)
        run.font.size, run.bold, run.italic = Pt(size), bold, italic
    return paragraph


def _rule(cell_or_doc, width, available) -> None:
    """A short horizontal rule of ``width``, centred in ``available``: a tiny paragraph's top border."""
    paragraph = _line(cell_or_doc)
    paragraph.paragraph_format.space_before = Pt(2)
    side = max((available - width) // 2, 0)
    paragraph.paragraph_format.left_indent = side
    paragraph.paragraph_format.right_indent = side
    paragraph.paragraph_format.space_after = Pt(4)
    borders = OxmlElement("w:pBdr")
    top = OxmlElement("w:top")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        top.set(qn(key), value)
    borders.append(top)
    paragraph._p.get_or_add_pPr().append(borders)
    run = paragraph.add_run("")
    run.font.size = Pt(2)
    paragraph.paragraph_format.line_spacing = Pt(3)


def _letterhead(doc, header: model.Header) -> None:
    right_width = HEADER_RIGHT_WIDTH
    table = _borderless_table(doc, [HEADER_LEFT_WIDTH, right_width], HEADER_SHIFT)
    left, right = table.rows[0].cells
    _line(left, header.parent_body.upper(), size=13)
    _line(left, header.issuer.upper(), size=13, bold=True)
    _rule(left, Cm(2.4), HEADER_LEFT_WIDTH)
    _line(left, header.number, size=13)
    _line(right, NATIONAL_TITLE, size=12, bold=True)
    _line(right, MOTTO, size=13, bold=True)
    _rule(right, Cm(5.8), right_width)
    _line(right, f"{header.place}, ngày … tháng … năm {header.year}", size=13, italic=True)


def _title(doc, kind: str, subject: tuple[str, ...]) -> None:
    first = _line(doc, kind, size=BODY_PT, bold=True)
    first.paragraph_format.space_before = Pt(18)
    for line in subject:
        _line(doc, line, size=BODY_PT, bold=True)
    _rule(doc, Cm(4), TEXT_WIDTH)
    doc.paragraphs[-1].paragraph_format.space_after = Pt(12)


def _add_parts(paragraph: DocxParagraph, parts: tuple[model.Part, ...], *, italic: bool = False) -> None:
    for part in parts:
        if isinstance(part, model.Blank):
            run = paragraph.add_run(f"[{part.instruction}]")
            run.font.highlight_color = HIGHLIGHT
            run.italic = italic
        elif isinstance(part, model.Note):
            run = paragraph.add_run(f"[{part.text}]")
            run.font.highlight_color = HIGHLIGHT
            run.italic = True
        else:
            run = paragraph.add_run(part)
            run.italic = italic


def _body_paragraph(paragraph: DocxParagraph, content: model.Paragraph) -> None:
    if content.style in ("heading", "subheading"):
        _add_parts(paragraph, content.parts)
        for run in paragraph.runs:
            run.bold = True
        paragraph.paragraph_format.keep_with_next = True
    elif content.style == "note":
        _add_parts(paragraph, content.parts, italic=True)
        for run in paragraph.runs:
            run.font.highlight_color = HIGHLIGHT
    else:
        _add_parts(paragraph, content.parts)


def _signature(doc, document: model.Document) -> None:
    spacer = doc.add_paragraph()
    spacer.paragraph_format.space_after = Pt(0)
    left_width = SIGNATURE_LEFT_WIDTH
    table = _borderless_table(doc, [left_width, TEXT_WIDTH - left_width])
    left, right = table.rows[0].cells
    heading = _line(left, "Nơi nhận:", size=12, bold=True, italic=True)
    heading.alignment = WD_ALIGN_PARAGRAPH.LEFT
    recipients = list(document.recipients)
    for index, recipient in enumerate(recipients):
        end = "." if index == len(recipients) - 1 else ";"
        line = _line(left, f"- {recipient}{end}", size=11)
        line.alignment = WD_ALIGN_PARAGRAPH.LEFT
    _line(right, document.signer_title.upper(), size=BODY_PT, bold=True)
    for _ in range(4):
        _line(right, "", size=BODY_PT)
    name = _line(right)
    if document.signer_name:
        run = name.add_run(document.signer_name)
        run.bold, run.font.size = True, Pt(BODY_PT)
    else:
        _add_parts(name, (model.Blank("Họ và tên người ký"),))
        for run in name.runs:
            run.bold, run.font.size = True, Pt(BODY_PT)
