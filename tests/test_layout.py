"""The rendered pages where leaders read them: a phone (390 × 844), a laptop (1280 × 800) and the A4 PDF.

One real `cchc report 2023-Q2` (papermill, the offline template, Debian's Chromium); each page opened offline in
Chromium at both widths, the briefing's PDF read back with poppler. Nothing is mocked.
"""

from __future__ import annotations

import re
import subprocess
import unicodedata
from pathlib import Path

import numpy as np
import pytest
from conftest_render import needs_chromium, needs_poppler, offline_page
from PIL import Image

from cchc_analysis import cli
from cchc_analysis.present.charts import DPI, SMALL

PAGES = ("01_score_review", "02_plan_progress", "03_briefing")
PHONE, LAPTOP = (390, 844), (1280, 800)
WIDTHS = {"phone": PHONE, "laptop": LAPTOP}
VIETNAMESE = re.compile(r"[ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]", re.IGNORECASE)
#: Words that betray text meant for notebook users, or nbconvert's English defaults.
NOT_FOR_READERS = ("Notebook", "notebook", "JupyterLab", "papermill", "No description", "<Figure", "Figure size")

# Every element whose content is wider than its box and that does not scroll: its content is cut off.
CLIPPED = """
() => [...document.querySelectorAll('body *')].filter(el => {
  const style = getComputedStyle(el);
  if (style.display === 'none' || style.display === 'inline' || style.display === 'contents') return false;
  const scrolls = ['auto', 'scroll'].includes(style.overflowX);
  return el.scrollWidth > el.clientWidth + 1 && !scrolls;
}).map(el => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')} ${el.scrollWidth}>${el.clientWidth}`)
"""
# Body cells of three words or more that the browser lays out one word a line.
WORD_A_LINE = """
() => [...document.querySelectorAll('td')].flatMap(td => {
  const words = td.innerText.trim().split(/\\s+/).filter(Boolean).length;
  if (words < 3) return [];
  const range = document.createRange();
  range.selectNodeContents(td);
  const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top))).size;
  return lines >= words ? [`${lines} lines, ${words} words: ${td.innerText.slice(0, 50)}`] : [];
})
"""
# Tables wider than the page, and whether the box around each lets the reader scroll to its last column.
WIDE_TABLES = """
() => [...document.querySelectorAll('table')].filter(t => t.scrollWidth > document.documentElement.clientWidth)
  .map(t => {
    let box = t.parentElement;
    while (box && !['auto', 'scroll'].includes(getComputedStyle(box).overflowX)) box = box.parentElement;
    if (!box) return {table: t.scrollWidth, reachable: false};
    const hidden = t.getBoundingClientRect().right - box.getBoundingClientRect().right;  // beyond the box's edge
    return {table: t.scrollWidth, reachable: box.scrollWidth - box.clientWidth >= hidden - 1};
  })
"""
CARDS_PER_ROW = """
() => { const rows = {};
  for (const card of document.querySelectorAll('.cchc-card')) {
    const top = Math.round(card.getBoundingClientRect().top); rows[top] = (rows[top] || 0) + 1; }
  return Object.keys(rows).sort((a, b) => a - b).map(top => rows[top]); }
"""
IMAGES = """
() => [...document.querySelectorAll('img')].map(img => ({
  alt: img.getAttribute('alt'), width: Number(img.getAttribute('width')), shown: img.getBoundingClientRect().width,
  loaded: img.complete && img.naturalWidth > 0 }))
"""


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("layout")
    assert cli.main(["report", "2023-Q2", "--out", str(out)]) == 0
    return out / "2023-Q2" / "ban-dan-toc"


@pytest.fixture(scope="module")
def seen(report, tmp_path_factory) -> dict[tuple[str, str], dict]:
    """What Chromium shows of each page at each width (one visit each), with a full-page screenshot."""
    shots = tmp_path_factory.mktemp("screens")
    seen = {}
    for name in PAGES:
        for device, (width, height) in WIDTHS.items():
            with offline_page(report / f"{name}.html", width=width, height=height) as (page, attempted):
                seen[name, device] = {
                    "title": page.title(),
                    "text": page.inner_text("body"),
                    "attempted": list(attempted),
                    "overflow": page.evaluate("document.documentElement.scrollWidth - window.innerWidth"),
                    "clipped": page.evaluate(CLIPPED),
                    "word_a_line": page.evaluate(WORD_A_LINE),
                    "wide_tables": page.evaluate(WIDE_TABLES),
                    "cards": page.evaluate(CARDS_PER_ROW),
                    "images": page.evaluate(IMAGES),
                }
                page.screenshot(path=shots / f"{name}-{width}.png", full_page=True)
    return seen


def _tokens(text: str) -> set[str]:
    """Words with their inner punctuation kept (7.2.1, T7-05, 82,91, 30/06/2023), Unicode NFC."""
    return set(re.findall(r"\w[\w.,/%–-]*[\w%]|\w", unicodedata.normalize("NFC", text)))


@needs_chromium
def test_each_page_has_its_own_vietnamese_title(seen):
    titles = [seen[name, "laptop"]["title"] for name in PAGES]
    assert len(set(titles)) == len(PAGES), titles
    for title in titles:
        assert VIETNAMESE.search(title) and title.endswith("Ban Dân tộc tỉnh Quảng Ngãi"), title
    assert titles[0].startswith("Phân tích kết quả Chỉ số CCHC năm 2022")
    assert titles[2].startswith("Báo cáo lãnh đạo về Chỉ số CCHC – Quý II/2023")


@needs_chromium
def test_no_text_for_notebook_users_and_no_default_alt(seen, report):
    for name in PAGES:
        page = seen[name, "laptop"]
        assert page["attempted"] == []
        found = [word for word in NOT_FOR_READERS if word in page["text"]]
        assert found == [], (name, found)
        html = (report / f"{name}.html").read_text(encoding="utf-8")
        assert "No description has been provided" not in html and "chưa có mô tả" not in html, name


@needs_chromium
def test_every_chart_has_a_vietnamese_alt_that_says_what_it_shows(seen):
    counts = {}
    for name in PAGES:
        images = seen[name, "laptop"]["images"]
        counts[name] = len(images)
        for image in images:
            assert image["loaded"], name
            alt = image["alt"] or ""
            assert alt.startswith(("Biểu đồ", "Bản đồ nhiệt")) and VIETNAMESE.search(alt), (name, alt)
            assert re.search(r"\d", alt), (name, alt)  # the figures it shows, not just a caption
    assert counts == {"01_score_review": 6, "02_plan_progress": 3, "03_briefing": 2}


@needs_chromium
@pytest.mark.parametrize("device", WIDTHS)
@pytest.mark.parametrize("name", PAGES)
def test_no_content_is_clipped(seen, name, device):
    """scrollWidth ≤ clientWidth for every element that does not scroll, and the page never scrolls sideways."""
    page = seen[name, device]
    assert page["clipped"] == []
    assert page["overflow"] <= 0


@needs_chromium
@pytest.mark.parametrize("name", PAGES)
def test_on_a_phone_wide_tables_scroll_in_their_own_box(seen, name):
    wide = seen[name, "phone"]["wide_tables"]
    assert wide, "no table is wider than a phone: the test would prove nothing"
    assert all(table["reachable"] for table in wide), wide


@needs_chromium
@pytest.mark.parametrize("device", WIDTHS)
@pytest.mark.parametrize("name", PAGES)
def test_text_columns_do_not_wrap_one_word_a_line(seen, name, device):
    assert seen[name, device]["word_a_line"] == []


@needs_chromium
def test_headline_cards_two_across_on_a_phone_four_on_a_laptop(seen):
    phone, laptop = seen["03_briefing", "phone"]["cards"], seen["03_briefing", "laptop"]["cards"]
    count = sum(phone)
    assert count == sum(laptop) >= 6
    assert phone == [2] * (count // 2) + ([count % 2] if count % 2 else [])
    assert laptop == [4] * (count // 4) + ([count % 4] if count % 4 else [])


@needs_chromium
@pytest.mark.parametrize("name", PAGES)
def test_chart_text_is_at_least_9px_on_a_phone(seen, name):
    """The smallest chart text is SMALL pt at DPI px an inch at the chart's own size; the phone shows it smaller."""
    for image in seen[name, "phone"]["images"]:
        assert image["width"] > 0, "a chart carries its display size"
        smallest = SMALL * DPI / 72 * image["shown"] / image["width"]
        assert smallest >= 9, (name, round(smallest, 2), image["alt"][:40])


@pytest.fixture(scope="module")
def pdf_text(report) -> str:
    pdf = report / "03_briefing.pdf"
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


@needs_chromium
@needs_poppler
def test_every_word_of_the_pdf_is_a_word_of_the_page(seen, pdf_text):
    """A word split inside a table cell ('Hoàn thàn/h', 'Nhiệ/m vụ', '7.2./1', 'T7-/05', 'M/ã') is a non-word."""
    html_words = _tokens(seen["03_briefing", "laptop"]["text"])
    pdf_words = _tokens(pdf_text)
    assert sorted(pdf_words - html_words) == []
    assert sorted(html_words - pdf_words) == []  # and nothing of the page is missing from paper


@needs_poppler
def test_pdf_page_one_is_filled_and_the_tables_fit_the_page(report, tmp_path):
    pdf = report / "03_briefing.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "(A4)" in info
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert pages <= 6  # 5 before the scenario table, the survey advice and the markers' legend were added
    subprocess.run(["pdftoppm", "-r", "40", "-gray", "-png", str(pdf), str(tmp_path / "page")], check=True)
    for number, png in enumerate(sorted(tmp_path.glob("page-*.png")), start=1):
        ink = np.asarray(Image.open(png).convert("L")) < 200
        height, width = ink.shape
        rows, columns = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
        # Nothing printed in the right margin (15 mm of 210): every table fits the page's width.
        assert columns.max() <= width * (1 - 15 / 210) + 2, (number, columns.max(), width)
        if number == 1:
            # Page 1 is filled to near its bottom margin (the first table used to move whole to page 2).
            assert rows.max() >= height * (1 - 15 / 297 - 0.08), (rows.max(), height)
