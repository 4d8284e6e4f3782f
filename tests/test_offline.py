"""The offline check inspects what a browser would fetch or run, not escaped text (Hardening v2, item 8).

Every way a page could load something from the network or run code is refused, each on its own (so removing
any one of them from the check fails a case here); ordinary text that merely contains a URL is accepted.
"""

from __future__ import annotations

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from cchc_analysis import render
from cchc_analysis.errors import CchcReportError
from cchc_analysis.render.offline import offline_problems

AGENCY_WITH_URLS = "Ban Dân tộc (https://qppl.quangngai.gov.vn/view?src=https://x.vn/a.png&amp;id=1)"

FETCHING = {
    "css_url_in_a_style_element": "<style>body { background: url(https://x.vn/a.png) }</style>",
    "css_url_in_a_style_attribute": "<div style=\"background-image: url( '//x.vn/a.png' )\">x</div>",
    "css_url_written_with_an_escape": "<style>p { background: u\\72l(https://x.vn/a.png) }</style>",
    "css_import_string": '<style>@import "https://x.vn/a.css";</style>',
    "css_import_url": "<style>@import url(theme.css);</style>",
    "css_image_set": '<style>p { background: image-set("https://x.vn/a.png" 1x) }</style>',
    "img_src": '<img src="https://x.vn/a.png">',
    "img_src_as_entities": '<img src="&#104;ttps://x.vn/a.png">',
    "img_srcset": '<img src="data:image/png;base64,AA==" srcset="data:image/png;base64,AA== 1x, https://x.vn/b.png 2x">',
    "source_srcset": '<picture><source srcset="//x.vn/a.webp"><img alt=""></picture>',
    "video_poster": '<video poster="https://x.vn/p.jpg"></video>',
    "link_stylesheet": '<link rel="stylesheet" href="https://x.vn/a.css">',
    "link_preload": '<link rel="preload" href="//x.vn/font.woff2" as="font">',
    "link_icon": '<link rel="icon" href="http://x.vn/favicon.ico">',
    "object": '<object data="https://x.vn/a.svg"></object>',
    "embed": '<embed src="https://x.vn/a.swf">',
    "iframe": '<iframe src="https://x.vn/"></iframe>',
    "iframe_srcdoc": '<iframe srcdoc="&lt;p&gt;x&lt;/p&gt;"></iframe>',
    "meta_refresh": '<meta http-equiv="Refresh" content="0; url=https://x.vn/">',
    "base_href": '<base href="https://x.vn/">',
    "svg_image": '<svg><image href="https://x.vn/a.png" /></svg>',
    "svg_xlink_image": '<svg><image xlink:href="//x.vn/a.png"></image></svg>',
    "svg_use": '<svg><use href="https://x.vn/s.svg#i"></use></svg>',
    "script": "<script>1</script>",
    "event_handler": '<img src="data:image/png;base64,AA==" onerror="fetch(1)">',
    "javascript_link": '<a href=" JaVaScRiPt:alert(1)">x</a>',
    "form_action": '<form action="https://x.vn/"><button>x</button></form>',
}

OFFLINE = {
    "text_with_urls": f"<p>{AGENCY_WITH_URLS}</p>",
    "text_that_looks_like_css": "<p>url(https://x.vn/a.png) @import 'https://x.vn/a.css'</p>",
    "code_block_with_markup_as_text": "<pre>&lt;img src=&quot;https://x.vn/a.png&quot;&gt;</pre>",
    "title_attribute_with_a_url": f'<span title="src=https://x.vn/a.png">{AGENCY_WITH_URLS}</span>',
    "a_link_one_clicks": '<a href="https://x.vn/view?src=https://y.vn/">nguồn</a>',
    "embedded_chart": '<img src="data:image/png;base64,iVBORw0KGgo=" alt="biểu đồ">',
    "css_with_data_and_fragment_urls": "<style>p { background: url(data:image/png;base64,AA==) } "
    "q { mask: url(#m) }</style>",
}


@pytest.mark.parametrize("html", FETCHING.values(), ids=FETCHING.keys())
def test_every_way_a_page_could_fetch_or_run_is_refused(html: str) -> None:
    page = f"<!DOCTYPE html><html lang='vi'><head><title>x</title></head><body>{html}</body></html>"
    assert offline_problems(page) != [], html


@pytest.mark.parametrize("html", OFFLINE.values(), ids=OFFLINE.keys())
def test_text_that_only_mentions_a_url_is_offline(html: str) -> None:
    assert offline_problems(f"<html><body>{html}</body></html>") == []


def test_an_agency_name_with_urls_is_exported_and_a_remote_image_is_not(tmp_path) -> None:
    # An agency name containing URLs passed validation, then every HTML export failed "not_offline".
    kernelspec = {"name": "python3", "display_name": "Python 3", "language": "python"}

    def notebook(html: str) -> nbformat.NotebookNode:
        output = new_output("display_data", data={"text/html": html, "text/plain": "x"})
        code = new_code_cell("show()", execution_count=1, outputs=[output])
        return new_notebook(cells=[new_markdown_cell("# Báo cáo"), code], metadata={"kernelspec": kernelspec})

    source = tmp_path / "name.ipynb"
    nbformat.write(notebook(f"<h2>{AGENCY_WITH_URLS}</h2>"), source)
    page = render.export_html(source, tmp_path / "name.html", title=AGENCY_WITH_URLS).read_text(encoding="utf-8")
    assert "qppl.quangngai.gov.vn/view?src=https://x.vn/a.png" in page
    nbformat.write(notebook('<div style="background: url(https://x.vn/a.png)">x</div>'), source)
    with pytest.raises(CchcReportError) as refused:
        render.export_html(source, tmp_path / "remote.html", title="x")
    assert refused.value.reason == "not_offline"
    assert "tài nguyên tải từ mạng (CSS url(https://x.vn/a.png))" in str(refused.value)
    assert not (tmp_path / "remote.html").exists()
