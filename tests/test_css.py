"""Only the CSS a page uses is shipped (cchc_analysis.render.css): rules that can match, variables that are read."""

from __future__ import annotations

import re

from cchc_analysis.render.css import prune_css

PAGE = """<!DOCTYPE html><html lang="vi"><head>
<style type="text/css">
/* a comment { with braces } */
:root { --used: 1px; --chained: var(--used); --unused: red; --only-by-unused: 2px; --by-unused: var(--only-by-unused) }
.present { border-width: var(--chained); }
.absent { color: var(--unused); }
.present .absent, .present > p { margin: 0 }
div.present:hover::before { content: "{ not a block }"; }
.present:not(.absent) { padding: 1px }
#main[data-theme='light'] { color: black }
#main[data-other] { color: blue }
table.present td { color: green }
@media print { .present { color: black } .absent { color: white } }
@media (max-width: 600px) { .absent { color: white } }
@page { size: A4; margin: 15mm }
@keyframes spin { from { transform: rotate(0) } to { transform: rotate(1turn) } }
@keyframes unused-spin { from { opacity: 0 } }
.present { animation: spin 1s }
</style>
</head><body id="main" data-theme="light"><main><div class="present" style="width: var(--inline)"><p>x</p></div>
<style>p.present { color: red }</style><p>y</p><style>p.present { color: red }</style></main></body></html>"""


def _css(html: str) -> str:
    return "\n".join(re.findall(r"<style[^>]*>(.*?)</style>", html, re.S))


def test_rules_that_cannot_match_are_dropped_and_the_others_kept():
    css = _css(prune_css(PAGE))
    for kept in (
        ".present { border-width",
        ".present .absent, .present > p",
        'div.present:hover::before { content: "{ not a block }"',
        ".present:not(.absent)",
        "#main[data-theme='light']",
        "@media print {\n.present { color: black; }\n}",
        "@page { size: A4; margin: 15mm }",
        "@keyframes spin",
    ):
        assert kept in css, kept
    for dropped in (
        ".absent { color",
        "#main[data-other]",
        "table.present td",
        "max-width: 600px",
        "unused-spin",
        "a comment",
    ):
        assert dropped not in css, dropped


def test_only_the_custom_properties_something_reads_are_kept():
    css = _css(prune_css(PAGE))
    assert "--used: 1px" in css and "--chained: var(--used)" in css
    for dropped in ("--unused", "--only-by-unused", "--by-unused"):
        assert dropped not in css, dropped


def test_a_style_block_repeated_right_after_itself_is_written_once_and_the_page_is_kept():
    html = prune_css(PAGE)
    assert html.count("p.present { color: red; }") == 1
    assert '<div class="present" style="width: var(--inline)"><p>x</p></div>' in html and "<p>y</p>" in html


def test_a_style_sheet_parsed_for_one_page_is_pruned_for_each_page_by_what_that_page_has():
    # The parsed style sheet is kept between pages (every briefing carries the same JupyterLab CSS): what a page
    # may use must still be decided page by page, in both directions.
    sheet = "<style>.absent { color: white } .present { color: black } :root { --x: 1px } .absent { margin: var(--x) }"
    without = f"<html><head>{sheet}</style></head><body><p class='present'>a</p></body></html>"
    with_it = without.replace("class='present'", "class='present absent'")
    for _ in range(2):
        assert ".absent" not in _css(prune_css(without)) and "--x" not in _css(prune_css(without))
        assert ".absent { color: white; }" in _css(prune_css(with_it)) and "--x: 1px" in _css(prune_css(with_it))
