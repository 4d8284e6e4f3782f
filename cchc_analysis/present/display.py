"""HTML fragments for notebooks, from autoescaping Jinja2 templates, and the provenance markers.

Safety by default: every fragment is a :class:`HTML` (a ``markupsafe.Markup``), templates autoescape,
and sentences are built with :func:`sentence` (``Markup.format``), which escapes every argument that is not
already HTML. Text from data therefore never needs a hand-called escape.

Provenance is shown one way everywhere: a figure that is not official carries a marker (``†`` derived,
``*`` illustrative) and each page shows the legend once (:func:`legend`, in its cover).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from html.parser import HTMLParser
from typing import Any, cast

import pandas as pd
from jinja2 import DictLoader, Environment
from markupsafe import Markup

from cchc_analysis.domain import provenance as prov
from cchc_analysis.ingest.tables import PROVENANCE

__all__ = [
    "HTML",
    "LABELS",
    "LAB_CSS",
    "MARKS",
    "MEANINGS",
    "WITHHELD",
    "bullets",
    "cards",
    "cover",
    "in_sentence",
    "join",
    "label",
    "legend",
    "mark",
    "mark_text",
    "paragraph",
    "plain",
    "render",
    "sentence",
    "table",
    "withhold",
]

#: One wording per provenance, everywhere a reader sees it (the data contract's own labels).
LABELS: dict[str, str] = dict(PROVENANCE)
MARKS = {prov.DERIVED: "†", prov.ILLUSTRATIVE: "*"}
#: What each marker means, in the legend.
MEANINGS = {
    prov.DERIVED: "số liệu suy ra từ số liệu chính thức theo giả định nêu trong báo cáo",
    prov.ILLUSTRATIVE: "số liệu minh hoạ, không phải số liệu thật",
}
WITHHELD = "chưa có số liệu chính thức"

_TEMPLATES = {
    "table": (
        '<table class="cchc-table">{% if caption %}<caption>{{ caption }}</caption>{% endif %}'
        "<thead><tr>{% for c in columns %}"
        "<th class=\"{{ 'num' if c in numeric else 'text' }}\">{{ c }}</th>"
        "{% endfor %}</tr></thead><tbody>{% for row in rows %}<tr>{% for c, v in row %}"
        "<td class=\"{{ 'num' if c in numeric else 'text' }}\">{{ v }}</td>"
        "{% endfor %}</tr>{% endfor %}</tbody></table>"
    ),
    "cards": (
        '<div class="cchc-cards">{% for label, value, note in items %}<div class="cchc-card">'
        '<div class="cchc-card-label">{{ label }}</div><div class="cchc-card-value">{{ value }}</div>'
        '<div class="cchc-card-note">{{ note }}</div></div>{% endfor %}</div>'
    ),
    "bullets": ('<{{ tag }} class="{{ css }}">{% for item in items %}<li>{{ item }}</li>{% endfor %}</{{ tag }}>'),
    "paragraph": '{% if css %}<p class="{{ css }}">{% else %}<p>{% endif %}{{ text }}</p>',
    "mark": '<sup class="cchc-mark cchc-mark-{{ provenance }}" title="{{ label }}">{{ symbol }}</sup>',
    "legend": (
        '<p class="cchc-legend">Ký hiệu: {% for symbol, meaning in items %}'
        "<strong>{{ symbol }}</strong> {{ meaning }}; {% endfor %}"
        "số liệu không có ký hiệu là số liệu chính thức.</p>"
    ),
    "cover": (
        '<section class="cchc-cover"><p class="cchc-kicker">{{ kicker }}</p><h1>{{ title }}</h1>'
        '<p class="cchc-period">{{ period }}</p><p class="cchc-provenance">{{ note }}</p>{{ legend }}</section>'
    ),
}
_ENV = Environment(loader=DictLoader(_TEMPLATES), autoescape=True)


#: The house style for the fragments where the page's stylesheet is absent (JupyterLab, a widget): scoped to the
#: fragments' own classes and inert on a rendered page (its body has the class ``cchc-report``, whose stylesheet,
#: render/templates/cchc_offline/cchc.css, styles the same classes). No script, no external resource.
LAB_CSS = (
    "body:not(.cchc-report) .cchc-cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(13em,1fr));"
    "gap:.6em;margin:.75em 0 1em}"
    "body:not(.cchc-report) .cchc-card{border:1px solid #d9dee3;border-left:4px solid #b3261e;border-radius:4px;"
    "padding:.5em .7em;text-align:left}"
    "body:not(.cchc-report) .cchc-card-label{font-size:.8em;color:#52606d}"
    "body:not(.cchc-report) .cchc-card-value{font-size:1.45em;font-weight:700;line-height:1.2}"
    "body:not(.cchc-report) .cchc-card-note{font-size:.85em;color:#3e4c59}"
    "body:not(.cchc-report) table.cchc-table{border-collapse:collapse;margin:.5em 0 1em}"
    "body:not(.cchc-report) table.cchc-table th,body:not(.cchc-report) table.cchc-table td{padding:.25em .6em;"
    "border-bottom:1px solid #e4e7eb;vertical-align:top}"
    "body:not(.cchc-report) table.cchc-table th.text,body:not(.cchc-report) table.cchc-table td.text"
    "{text-align:left;white-space:normal}"
    "body:not(.cchc-report) table.cchc-table th.num,body:not(.cchc-report) table.cchc-table td.num"
    "{text-align:right;white-space:nowrap}"
    "body:not(.cchc-report) table.cchc-table caption{caption-side:top;text-align:left;font-weight:600;padding:.25em 0}"
    "body:not(.cchc-report) .cchc-cover{border-bottom:3px solid #b3261e;margin-bottom:1em;text-align:left}"
    "body:not(.cchc-report) .cchc-kicker{text-transform:uppercase;letter-spacing:.04em;font-size:.8em;color:#52606d}"
    "body:not(.cchc-report) .cchc-provenance,body:not(.cchc-report) .cchc-legend{font-size:.9em;color:#3e4c59}"
    "body:not(.cchc-report) .cchc-headline{font-size:1.1em}"
    "body:not(.cchc-report) .cchc-warning{border-left:4px solid #b3261e;padding-left:.6em;color:#8a1c16}"
    "body:not(.cchc-report) .cchc-mark{color:#b3261e}"
)


class HTML(Markup):
    """An HTML fragment that Jupyter renders (and nbconvert keeps) as HTML; safe to compose.

    Displayed on its own it carries the house style (:data:`LAB_CSS`, scoped and inert on a rendered page) and
    reads as text in a plain-text frontend (:func:`plain`)."""

    def _repr_html_(self) -> str:
        return f"<style>{LAB_CSS}</style>{self}" if "cchc-" in self else str(self)

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(plain(self))


_BLOCKS = frozenset({"p", "div", "section", "h1", "h2", "h3", "h4", "caption", "ul", "ol", "table", "thead", "tbody"})


class _Text(HTMLParser):
    """HTML to readable text: blocks on their own lines, list items bulleted, table cells joined by " | "."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.line: list[str] = []
        self.cells: list[str] | None = None
        self.skip = 0
        self.divs: list[str] = []

    def _break(self) -> None:
        text = " ".join("".join(self.line).split()).replace(" ()", "")
        if text:
            self.lines.append(text)
        self.line = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("style", "script"):
            self.skip += 1
        elif tag == "tr":
            self._break()
            self.cells = []
        elif tag in ("td", "th"):
            self.line = []
        elif tag == "li":
            self._break()
            self.line = ["• "]
        elif tag == "br":
            self._break()
        elif tag == "div":
            css = dict(attrs).get("class") or ""
            self.divs.append(css)
            if css in ("cchc-card", "cchc-cards") or not css.startswith("cchc-card"):
                self._break()
        elif tag in _BLOCKS:
            self._break()

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script"):
            self.skip = max(0, self.skip - 1)
        elif tag in ("td", "th") and self.cells is not None:
            self.cells.append(" ".join("".join(self.line).split()))
            self.line = []
        elif tag == "tr" and self.cells is not None:
            self.lines.append(" | ".join(self.cells))
            self.cells = None
        elif tag == "div":
            css = self.divs.pop() if self.divs else ""
            ends = {"cchc-card-label": ": ", "cchc-card-value": " (", "cchc-card-note": ")"}
            if css in ends:
                self.line.append(ends[css])
            else:
                self._break()
        elif tag in _BLOCKS or tag == "li":
            self._break()

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.line.append(data)


def plain(fragment: str) -> str:
    """A fragment as readable text (the ``text/plain`` form): no tags, one block or table row a line."""
    parser = _Text()
    parser.feed(str(fragment))
    parser.close()
    parser._break()
    return "\n".join(parser.lines)


def render(name: str, **values: object) -> HTML:
    """One of the fragment templates, autoescaped."""
    return HTML(_ENV.get_template(name).render(**values))


def sentence(template: str, *args: object, **kwargs: object) -> HTML:
    """A sentence whose placeholders are filled escaped (HTML fragments such as marks pass as they are)."""
    return HTML(Markup(template).format(*args, **kwargs))


def join(parts: Iterable[object], separator: str = "") -> HTML:
    """Parts joined, each escaped unless it is already HTML."""
    return HTML(Markup(separator).join(cast(Iterable[str], parts)))  # Markup.join escapes each non-HTML part


# --------------------------------------------------------------------------
# Provenance markers
# --------------------------------------------------------------------------


def mark(value: object, provenance: str | None) -> HTML:
    """A figure followed by its provenance marker (none when official)."""
    shown = value if isinstance(value, Markup) else Markup.escape(str(value))
    if provenance in (None, prov.OFFICIAL):
        return HTML(shown)
    symbol = MARKS[prov.combine(str(provenance))]
    return HTML(shown + render("mark", provenance=provenance, label=LABELS[provenance], symbol=symbol))


def mark_text(value: str, provenance: str | None) -> str:
    """A figure with its marker as plain text (chart annotations)."""
    return value if provenance in (None, prov.OFFICIAL) else f"{value}{MARKS[prov.combine(str(provenance))]}"


def label(provenance: str, *, capital: bool = False) -> str:
    """The one wording of a provenance."""
    text = LABELS[prov.combine(provenance)]
    return text[:1].upper() + text[1:] if capital else text


def legend() -> HTML:
    """The page's one legend of the markers."""
    return render("legend", items=[(MARKS[p], MEANINGS[p]) for p in (prov.DERIVED, prov.ILLUSTRATIVE)])


def withhold(is_real: bool, provenance: str) -> bool:
    """Whether a statement about an agency must be withheld: it is a real agency and the figure is illustrative."""
    return bool(is_real) and prov.combine(provenance) == prov.ILLUSTRATIVE


# --------------------------------------------------------------------------
# Fragments
# --------------------------------------------------------------------------


def table(
    frame: pd.DataFrame,
    *,
    numeric: tuple[str, ...] = (),
    caption: str | None = None,
    marks: Mapping[str, str | Sequence[str]] | None = None,
) -> HTML:
    """A plain HTML table of already formatted cells: every text cell escaped, never truncated, text left-aligned
    and the ``numeric`` columns right-aligned. ``marks`` gives a column's provenance (one for the column or one
    per row); its cells then carry the marker."""
    marks = marks or {}
    rows = []
    for i, row in enumerate(frame.itertuples(index=False)):
        cells = []
        for column, value in zip(frame.columns, row):
            given = marks.get(column)
            provenance = given if isinstance(given, str) or given is None else list(given)[i]
            text = value if isinstance(value, Markup) else str(value)
            cells.append((column, mark(text, provenance) if provenance and text not in ("", "–") else text))
        rows.append(cells)
    return render("table", columns=[str(c) for c in frame.columns], numeric=numeric, rows=rows, caption=caption)


def cards(items: list[tuple[object, object, object]]) -> HTML:
    """Headline cards: (label, value, note) each; laid out in a responsive grid."""
    return render("cards", items=items)


def bullets(items: Sequence[object], *, css_class: str = "cchc-list", ordered: bool = False) -> HTML:
    """A bulleted (or numbered) list; plain text items are escaped."""
    return render("bullets", items=items, css=css_class, tag="ol" if ordered else "ul")


def paragraph(text: object, css: str = "") -> HTML:
    return render("paragraph", text=text, css=css)


def cover(*, kicker: str, title: str, period: object, note: object) -> HTML:
    """A page's title block: what it is, whom, which period, what the figures rest on, and the legend."""
    return render("cover", kicker=kicker, title=title, period=period, note=note, legend=legend())


def in_sentence(name: str) -> str:
    """A unit name inside a sentence: "Các phòng thuộc Ban" reads "các phòng thuộc Ban" (proper names keep
    their capital: Văn phòng Ban, Thanh tra Ban)."""
    return "c" + name[1:] if name.startswith("Các ") else name
