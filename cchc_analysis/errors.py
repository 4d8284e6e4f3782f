"""Exception hierarchy: every error the toolkit raises on purpose derives from CchcError.

Messages shown to users are Vietnamese; each problem also carries a stable
English code (``problem.code``) that scripts and tests can rely on.
"""

from __future__ import annotations

from dataclasses import dataclass


class CchcError(Exception):
    """Root of every error raised on purpose by cchc_analysis."""

    exit_code = 1


@dataclass(frozen=True)
class Problem:
    """One precise problem found in an input file.

    ``row`` is the row number as a spreadsheet shows it (the header is row 1),
    or None when the problem concerns the whole file. ``column`` is the column
    header, or None when the problem concerns a whole row or file.
    """

    file: str
    row: int | None
    column: str | None
    value: str | None
    expected: str
    code: str

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"dòng {self.row}")
        if self.column is not None:
            where.append(f'cột "{self.column}"')
        text = ", ".join(where) + ": "
        if self.value is not None:
            text += f'giá trị "{self.value}" không hợp lệ; '
        return f"{text}{self.expected} [{self.code}]"


class CchcDataError(CchcError):
    """One or more problems in input data; carries every problem found, not only the first."""

    exit_code = 2

    def __init__(self, problems: list[Problem] | Problem):
        if isinstance(problems, Problem):
            problems = [problems]
        if not problems:
            raise ValueError("CchcDataError needs at least one problem")
        self.problems: list[Problem] = list(problems)
        count = len(self.problems)
        head = "Dữ liệu có 1 lỗi:" if count == 1 else f"Dữ liệu có {count} lỗi:"
        super().__init__("\n".join([head, *(f"- {p}" for p in self.problems)]))

    @property
    def codes(self) -> list[str]:
        return [p.code for p in self.problems]


class CchcParameterError(CchcError):
    """A parameter (agency, year, period, path) that the toolkit cannot accept."""

    exit_code = 2


class CchcReportError(CchcError):
    """Rendering a report failed (notebook execution, HTML export or PDF printing)."""

    exit_code = 1
