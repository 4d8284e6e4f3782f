"""The content of a drafted document as plain data; ``layout`` turns it into Word.

A paragraph is a sequence of parts: plain text, a ``Blank`` (a judgement or a fact only a person can supply,
shown highlighted with its instruction) or a ``Note`` (a drafting note, e.g. "these figures are illustrative",
shown highlighted, to be removed before signing). Nothing in a document is a judgement the toolkit made up.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Blank", "Document", "Header", "Note", "Paragraph", "Part", "STYLES", "para"]


@dataclass(frozen=True)
class Blank:
    """Text a person must write: printed highlighted, in square brackets."""

    instruction: str


@dataclass(frozen=True)
class Note:
    """A drafting note for the officer: printed highlighted and italic; delete before signing."""

    text: str


Part = str | Blank | Note

#: Paragraph styles the layout knows: body text (justified, first-line indent), section and sub-section
#: headings (bold), a list item ("- …" or "+ …", body style), and a drafting note.
STYLES = ("body", "heading", "subheading", "item", "note")


@dataclass(frozen=True)
class Paragraph:
    parts: tuple[Part, ...]
    style: str = "body"

    def __post_init__(self) -> None:
        if self.style not in STYLES:
            raise ValueError(f"unknown paragraph style {self.style!r}")

    @property
    def text(self) -> str:
        """The paragraph as a reader sees it (blanks in brackets)."""
        return "".join(_show(part) for part in self.parts)


def _show(part: Part) -> str:
    if isinstance(part, Blank):
        return f"[{part.instruction}]"
    if isinstance(part, Note):
        return f"[{part.text}]"
    return part


def para(*parts: Part, style: str = "body") -> Paragraph:
    return Paragraph(tuple(p for p in parts if p != ""), style)


@dataclass(frozen=True)
class Header:
    """What the letterhead prints (from ``data/documents/letterhead.csv``) and the document's number kind."""

    parent_body: str
    issuer: str
    place: str
    number: str  # "Số: …/KH-BDT"
    year: int  # the year of the date line; day and month are left for the officer


@dataclass(frozen=True)
class Document:
    """A whole drafted document."""

    header: Header
    kind: str  # "BÁO CÁO", "KẾ HOẠCH"
    subject: tuple[str, ...]  # the summary lines under the kind, centred in bold
    body: tuple[Paragraph, ...]
    signer_title: str
    signer_name: str  # "" prints a blank
    recipients: tuple[str, ...]
    metadata: dict[str, str] = field(default_factory=dict)  # core properties (title, subject, …)

    @property
    def highlights(self) -> int:
        """How many blanks and drafting notes a person must settle before signing."""
        return sum(isinstance(part, Blank | Note) for p in self.body for part in p.parts)

    @property
    def text(self) -> str:
        """The whole text, as the tests and the CLI summary read it."""
        return "\n".join(p.text for p in self.body)
