"""HTML fragments for notebooks: what Jupyter shows and nbconvert keeps, with every data text escaped."""

from __future__ import annotations

import html

import pandas as pd


class HTML(str):
    """An HTML fragment that Jupyter renders (and nbconvert keeps) as HTML."""

    def _repr_html_(self) -> str:
        return str(self)


def table(frame: pd.DataFrame, *, numeric: tuple[str, ...] = (), caption: str | None = None) -> HTML:
    """A plain HTML table of already formatted cells: every cell escaped, never truncated,
    text left-aligned and the ``numeric`` columns right-aligned."""
    head = "".join(f'<th class="{"num" if c in numeric else "text"}">{html.escape(str(c))}</th>' for c in frame.columns)
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="{"num" if c in numeric else "text"}">{html.escape(str(v))}</td>'
            for c, v in zip(frame.columns, row)
        )
        + "</tr>"
        for row in frame.itertuples(index=False)
    )
    title = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    return HTML(f'<table class="cchc-table">{title}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>')


def cards(items: list[tuple[str, str, str]]) -> HTML:
    """Headline cards: (label, value, note) each, escaped; laid out in a responsive grid."""
    body = "".join(
        '<div class="cchc-card">'
        f'<div class="cchc-card-label">{html.escape(label)}</div>'
        f'<div class="cchc-card-value">{html.escape(value)}</div>'
        f'<div class="cchc-card-note">{html.escape(note)}</div>'
        "</div>"
        for label, value, note in items
    )
    return HTML(f'<div class="cchc-cards">{body}</div>')


def bullets(items: list[str], *, css_class: str = "cchc-list") -> HTML:
    """A bulleted list of plain-text items (escaped)."""
    body = "".join(f"<li>{html.escape(item)}</li>" for item in items)
    return HTML(f'<ul class="{css_class}">{body}</ul>')
