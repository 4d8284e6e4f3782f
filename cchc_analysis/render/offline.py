"""Would a browser fetch or run anything from this page? The offline check of every exported HTML page.

The page is parsed, not pattern-matched: only what a browser acts on counts — elements (``<script>``, frames and
embedded objects, ``<meta http-equiv=refresh>``, ``<base>``), attributes that load a resource (``src``,
``srcset``, ``poster``, ``data``, ``background``, ``href`` outside a link one clicks, SVG's ``xlink:href``),
event handlers (``on…``), ``javascript:`` URLs, and CSS in ``<style>`` and ``style=""`` (``url()``,
``@import``, ``image-set()``), with entities and CSS escapes decoded as the browser decodes them. Text is never
a resource: an agency named "… (https://…/view?src=https://…)" is text, shown as text.

A ``data:`` URL is embedded content (the charts), a fragment (``#x``) stays in the page; anything else with a
scheme or starting with ``//`` would be fetched.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

__all__ = ["offline_problems"]

#: Elements whose mere presence loads or runs something, or navigates away.
_ACTIVE_ELEMENTS = {
    "script": "thẻ <script>",
    "iframe": "khung nhúng <iframe>",
    "frame": "khung nhúng <frame>",
    "object": "đối tượng nhúng <object>",
    "embed": "đối tượng nhúng <embed>",
    "applet": "đối tượng nhúng <applet>",
    "portal": "khung nhúng <portal>",
}
#: Attributes that make the browser fetch their URL (``href`` is handled apart: on <a>/<area> it waits for a click).
_LOADING = {"src", "poster", "data", "background", "lowsrc", "dynsrc", "longdesc", "action", "formaction", "manifest"}
_CLICKED = {"a", "area"}
_FETCHED = "tài nguyên tải từ mạng"
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")
_CSS_ESCAPE = re.compile(r"\\([0-9a-fA-F]{1,6})\s?|\\(.)", re.S)
_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_CSS_FETCH = re.compile(r"""(url|image-set|-webkit-image-set)\(\s*(['"]?)([^'")]*)|@import\s*(['"])([^'"]*)""", re.I)


def _loads(url: str | None) -> bool:
    """Whether a browser would fetch (or run) ``url`` from outside the page."""
    if url is None:
        return False
    cleaned = re.sub(r"[\x00-\x20]", "", url).lower()  # browsers drop tabs, newlines and spaces inside URLs
    if not cleaned or cleaned.startswith("#"):
        return False
    if cleaned.startswith("//") or cleaned.startswith("\\\\"):
        return True
    scheme = _SCHEME.match(cleaned)
    return scheme is not None and scheme.group(1) not in ("data", "about")


def _css_text(css: str) -> str:
    def unescape(match: re.Match) -> str:
        if match.group(1):
            code = int(match.group(1), 16)
            return chr(code) if 0 < code <= 0x10FFFF else "\ufffd"
        return match.group(2)

    return _CSS_ESCAPE.sub(unescape, _CSS_COMMENT.sub("", css))


def _css_problems(css: str) -> list[str]:
    found = []
    for match in _CSS_FETCH.finditer(_css_text(css)):
        if match.group(5) is not None:  # @import "…"
            if not match.group(5).lower().startswith("data:"):
                found.append(f'{_FETCHED} (CSS @import "{match.group(5)[:60]}")')
        elif (match.group(1).lower() == "url" or match.group(2)) and _loads(match.group(3)):
            found.append(f"{_FETCHED} (CSS {match.group(1)}({match.group(3)[:60]}))")
    css = _css_text(css)
    for imported in re.finditer(r"@import\s+url\(\s*['\"]?([^'\")]*)", css, re.I):
        if not imported.group(1).lower().strip().startswith("data:"):
            found.append(f"{_FETCHED} (CSS @import url({imported.group(1)[:60]}))")
    return found


class _Inspector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self._style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._inspect(tag, attrs)
        self._style = tag == "style"

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._inspect(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._style = False

    def handle_data(self, data: str) -> None:
        if self._style:
            self.problems.extend(_css_problems(data))

    def _inspect(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _ACTIVE_ELEMENTS:
            self.problems.append(_ACTIVE_ELEMENTS[tag])
        values = dict(attrs)
        if tag == "meta" and (values.get("http-equiv") or "").strip().lower() == "refresh":
            self.problems.append("thẻ <meta http-equiv=refresh> (chuyển sang trang khác)")
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self.problems.append(f"thuộc tính sự kiện {name}= (JavaScript)")
            elif name == "style":
                self.problems.extend(_css_problems(value))
            elif name in ("href", "xlink:href"):
                if tag in _CLICKED:
                    if re.sub(r"[\x00-\x20]", "", value).lower().startswith(("javascript:", "vbscript:")):
                        self.problems.append(f"liên kết javascript: trong <{tag}>")
                elif _loads(value):
                    self.problems.append(f'{_FETCHED} (<{tag} {name}="{value[:60]}">)')
            elif name in ("srcset", "imagesrcset"):
                for candidate in value.split(","):
                    url = candidate.strip().split(" ")[0] if candidate.strip() else ""
                    if _loads(url):
                        self.problems.append(f'{_FETCHED} (<{tag} {name}="{url[:60]}">)')
            elif name in _LOADING and _loads(value):
                self.problems.append(f'{_FETCHED} (<{tag} {name}="{value[:60]}">)')


def offline_problems(html: str) -> list[str]:
    """What in ``html`` a browser would fetch from the network or run, described in Vietnamese (empty: none)."""
    inspector = _Inspector()
    inspector.feed(html)
    inspector.close()
    return list(dict.fromkeys(inspector.problems))  # each kind once, in page order
