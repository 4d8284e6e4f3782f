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
        "<tr>" + "".join(f'<td class="{"num" if c in numeric else "text"}">{html.escape(str(v))}</td>'
                         for c, v in zip(frame.columns, row)) + "</tr>"
        for row in frame.itertuples(index=False)
    )
    title = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    return HTML(f'<table class="cchc-table">{title}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>')
