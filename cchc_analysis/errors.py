"""Exception hierarchy: every error the toolkit raises on purpose derives from CchcError.

Messages shown to users are Vietnamese; each problem also carries a stable English code (``problem.code``, a
:class:`ProblemCode`) that scripts and tests can rely on, and each report error a stable ``reason`` (a
:class:`ReportReason`). Both are registries: one member per meaning, and a test checks that every member is used
and that the package uses no code outside them.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

__all__ = [
    "CchcDataError",
    "CchcError",
    "CchcParameterError",
    "CchcReportError",
    "Problem",
    "ProblemCode",
    "ReportReason",
]


class CchcError(Exception):
    """Root of every error raised on purpose by cchc_analysis.

    In a notebook (JupyterLab, papermill's output) such an error shows as its Vietnamese message only: IPython
    asks an exception for ``_render_traceback_`` before it formats a traceback, and the path through the
    package's internals helps no analyst. Any other exception keeps its full traceback.
    """

    exit_code = 1

    def _render_traceback_(self) -> list[str]:
        """The lines IPython shows instead of a traceback: the message, one line per line."""
        return str(self).splitlines() or [type(self).__name__]


class ProblemCode(StrEnum):
    """What is wrong with an input, one meaning per code (docs/hardening.md lists the cases)."""

    # -- a whole file ---------------------------------------------------------------------------------------------
    MISSING_FOLDER = "missing_folder"  # the data folder (or one of its folders) does not exist
    MISSING_FILE = "missing_file"  # a required table or a named workbook is not there
    AMBIGUOUS_FILE = "ambiguous_file"  # both table.csv and table.xlsx are there
    BAD_FILE_NAME = "bad_file_name"  # a file name that does not name a year where one is expected
    UNREADABLE_FILE = "unreadable_file"  # the system refused to read the file
    BAD_ENCODING = "bad_encoding"  # text in no encoding we read (UTF-8, UTF-16, Windows-1258)
    NOT_CSV = "not_csv"  # a .csv that is really something else (a spreadsheet, a binary)
    BAD_CSV = "bad_csv"  # CSV the csv module cannot split into rows
    BAD_XLSX = "bad_xlsx"  # an .xlsx that openpyxl cannot open
    EMPTY_FILE = "empty_file"  # no header, or no data row where one is required
    TOO_LARGE = "too_large"  # a file beyond the bounds a table is read within (an inflated zip, a sheet's extent)
    PROGRESS_NOT_CSV = "progress_not_csv"  # a workbook import needs progress/progress.csv to write into
    # -- the header -----------------------------------------------------------------------------------------------
    BAD_DELIMITER = "bad_delimiter"  # the columns were not split (a separator other than , ; or tab)
    MISSING_COLUMN = "missing_column"
    UNKNOWN_COLUMN = "unknown_column"
    MISSPELLED_COLUMN = "misspelled_column"  # close to a required column's name
    DUPLICATE_COLUMN = "duplicate_column"
    # -- a whole column -------------------------------------------------------------------------------------------
    MORE_PROBLEMS = "more_problems"  # a column had more problems than are listed one by one; this line counts them
    # -- one cell -------------------------------------------------------------------------------------------------
    MISSING_VALUE = "missing_value"  # a required cell is empty
    FORMULA = "formula"  # a formula where a value belongs
    HIDDEN_ROW = "hidden_row"  # a row hidden in Excel: nobody who checked the sheet saw it
    NOT_A_NUMBER = "not_a_number"
    NOT_AN_INTEGER = "not_an_integer"
    NOT_A_BOOLEAN = "not_a_boolean"
    BAD_DATE = "bad_date"  # not a date, a day that does not exist, or a date outside the window it must be in
    BAD_CODE = "bad_code"  # not a criterion code such as 1.2.2
    BAD_VALUE = "bad_value"  # not one of the column's values (an id, a period, a choice such as a status)
    BELOW_MINIMUM = "below_minimum"  # a number below its column's or rule's lower bound (a percent below 0)
    ABOVE_MAXIMUM = "above_maximum"  # a number above its bound (a percent above 100, points above the maximum)
    TEXT_TOO_LONG = "text_too_long"  # a text longer than its column allows (a name of 100 000 characters)
    # -- keys and references --------------------------------------------------------------------------------------
    DUPLICATE_KEY = "duplicate_key"
    UNKNOWN_AGENCY = "unknown_agency"
    UNKNOWN_YEAR = "unknown_year"  # a year without a framework
    UNKNOWN_CODE = "unknown_code"  # a criterion code the year's framework does not have
    UNKNOWN_PARENT = "unknown_parent"
    UNKNOWN_UNIT = "unknown_unit"
    UNKNOWN_TASK = "unknown_task"
    UNKNOWN_SCOPE = "unknown_scope"  # a target's scope that is neither the total nor a field
    MISSING_LETTERHEAD = "missing_letterhead"  # an agency drafts a document but has no letterhead row
    ONE_AGENCY = "one_agency"  # the seed folder must name exactly the one agency whose plan it holds
    UNREACHABLE_RANK = "unreachable_rank"  # no illustrative peer table can give the published ranks
    IMPOSSIBLE_RANK = "impossible_rank"  # a published rank the points cannot have (full marks ranked below first)
    MISSING_LOST_POINTS = "missing_lost_points"  # a published year whose lost points the seed rows do not give
    IMPOSSIBLE_TOTAL = "impossible_total"  # a published total that leaves no possible survey score
    # -- rules across cells and tables ----------------------------------------------------------------------------
    BAD_LEVEL = "bad_level"  # a criterion's level does not match the depth of its code
    BAD_PARENT = "bad_parent"  # a criterion's parent is not the code it extends
    NOT_A_LEAF = "not_a_leaf"  # points given to a criterion that has sub-criteria
    POINTS_ON_NOT_APPLICABLE = "points_on_not_applicable"
    SUM_MISMATCH = "sum_mismatch"  # a parent's maximum is not the sum of its children's
    MISSING_SCORE = "missing_score"  # a framework leaf without a score for an agency
    RANK_OUT_OF_RANGE = "rank_out_of_range"  # a rank outside 1 … the number ranked
    INCOMPLETE_RANK = "incomplete_rank"  # a rank without the number ranked, or the other way round
    INCONSISTENT_STATUS = "inconsistent_status"  # "done" with less than 100 %
    PERIOD_NOT_QUARTER = "period_not_quarter"  # progress is reported per quarter
    PERIOD_OUTSIDE_PLAN = "period_outside_plan"  # a progress period outside the plan's year
    # -- the units' workbook --------------------------------------------------------------------------------------
    NOT_A_CCHC_WORKBOOK = "not_a_cchc_workbook"  # not exported by `cchc workbook export`
    BAD_META = "bad_meta"  # the hidden _cchc sheet was edited
    BAD_PERIOD = "bad_period"  # the workbook's period is not a quarter the toolkit can use
    WRONG_PERIOD = "wrong_period"  # a workbook or a sheet of another quarter than the import's
    MISSING_SHEET = "missing_sheet"  # a sheet the workbook was exported with was deleted or renamed
    MISSING_KEY = "missing_key"  # a row with values and no task id
    KEY_CHANGED = "key_changed"  # a protected key (a task id, a criterion code, an agency id) was edited
    WRONG_UNIT = "wrong_unit"  # a task on another unit's sheet
    DUPLICATE_TASK = "duplicate_task"  # the same task occurrence twice on a sheet, or changed in two workbooks
    ADDED_ROW = "added_row"  # a row whose task occurrence was not exported on that sheet (units do not add tasks)
    CONFLICTING_UPDATE = "conflicting_update"  # a cell changed in the workbook and, differently, in the store since
    OLD_FORMAT = "old_format"  # a progress table or workbook of the format before per-occurrence tracking
    UNKNOWN_OCCURRENCE = "unknown_occurrence"  # an occurrence id the task does not have (e.g. a month of a yearly task)
    OCCURRENCE_NOT_BEGUN = "occurrence_not_begun"  # an update for an occurrence whose window starts after the quarter
    PERCENT_ON_RECURRING = "percent_on_recurring"  # a percent on a monthly/quarterly/continuous occurrence
    MISSING_PLAN = "missing_plan"  # tasks of an (agency, year) with no row in plan/plans (no start date)
    DUE_BEFORE_PLAN_START = "due_before_plan_start"  # a one-off task due before its plan's start date
    # -- the results workbook -------------------------------------------------------------------------------------
    RANK_MISMATCH = "rank_mismatch"  # a published rank that is not the competition rank of the published points
    POINTS_MISMATCH = (
        "points_mismatch"  # a typed subtotal that is not the sum of its parts (a parent, appraisal, total)
    )
    PUBLISHED_MISMATCH = "published_mismatch"  # a published figure the criteria points do not give (a field, the index)
    MISSING_AGENCY = "missing_agency"  # an agency of agencies.csv is not in the published table of the year
    MISSING_AGENCY_SCORES = "missing_agency_scores"  # an agency published without criteria points (workbook or data)
    YEAR_PRESENT = "year_present"  # the year already has results in the data folder (import again with --replace)
    RESULTS_NOT_CSV = "results_not_csv"  # a results import writes only CSV tables (results/*.csv, framework/<year>.csv)


@dataclass(frozen=True)
class Problem:
    """One precise problem found in an input file.

    ``row`` is the row number as a spreadsheet shows it (the header is row 1), or None when the problem concerns
    the whole file. ``column`` is the column header, or None when the problem concerns a whole row or file. A
    problem in a workbook names its ``sheet`` and ``cell`` ("H5") instead of a column; its ``row`` is the cell's.
    ``code`` is a :class:`ProblemCode` (a plain string is converted, and refused when it is not a member).
    """

    file: str
    row: int | None
    column: str | None
    value: str | None
    expected: str
    code: ProblemCode
    sheet: str | None = None
    cell: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "code", ProblemCode(self.code))

    def __str__(self) -> str:
        where = [self.file]
        if self.sheet is not None:
            where.append(f"ô {self.sheet}!{self.cell}" if self.cell else f'trang "{self.sheet}"')
        else:
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
    def codes(self) -> list[ProblemCode]:
        return [p.code for p in self.problems]


class CchcParameterError(CchcError):
    """One or more parameters (agency, year, period, path) that the toolkit cannot accept.

    Built from one message, or from several (every bad parameter of a notebook at once); ``messages`` keeps
    them one by one.
    """

    exit_code = 2

    def __init__(self, messages: str | list[str]) -> None:
        self.messages: list[str] = [messages] if isinstance(messages, str) else list(messages)
        if not self.messages:
            raise ValueError("CchcParameterError needs at least one message")
        if len(self.messages) == 1:
            text = self.messages[0]
        else:
            text = "\n".join([f"Có {len(self.messages)} tham số không hợp lệ:", *(f"- {m}" for m in self.messages)])
        super().__init__(text)


class ReportReason(StrEnum):
    """Why rendering a report failed, one meaning per reason."""

    CELL_ERROR = "cell_error"  # a notebook cell raised
    EXECUTION_TIMEOUT = "execution_timeout"  # a cell ran longer than the time limit
    EXECUTION_FAILED = "execution_failed"  # the kernel could not start or died
    EXPORT_FAILED = "export_failed"  # nbconvert could not read or convert the executed notebook
    NOT_OFFLINE = "not_offline"  # the HTML page would hold a script or a network resource
    CHROMIUM_MISSING = "chromium_missing"  # no Chromium to print with (the message says how to install it)
    CHROMIUM_FAILED = "chromium_failed"  # Chromium would not start, died twice, refused a command or printed no PDF
    CHROMIUM_TIMEOUT = "chromium_timeout"  # a page was not printed in time; the browser's process group was killed
    OUTPUT_BUSY = "output_busy"  # another `cchc report` holds the output folder
    OUTPUT_UNWRITABLE = "output_unwritable"  # the system refused a write (read-only folder, full disk)


class CchcReportError(CchcError):
    """Rendering a report failed (notebook execution, HTML export or PDF printing).

    Every field is declared here; the ones that do not apply to a ``reason`` stay None.
    """

    exit_code = 1

    def __init__(
        self,
        message: str,
        *,
        reason: ReportReason,
        notebook: Path | None = None,
        cell_index: int | None = None,
        exec_count: int | None = None,
        ename: str | None = None,
        evalue: str | None = None,
        failed_notebook: Path | None = None,
        returncode: int | None = None,
        stderr_tail: str | None = None,
    ) -> None:
        super().__init__(message)
        self.reason = ReportReason(reason)
        self.notebook = notebook
        self.cell_index = cell_index
        self.exec_count = exec_count
        self.ename = ename
        self.evalue = evalue
        self.failed_notebook = failed_notebook
        self.returncode = returncode
        self.stderr_tail = stderr_tail

    @property
    def chromium_missing(self) -> bool:
        """Whether the PDF could not be printed because there is no Chromium (HTML is still usable)."""
        return self.reason is ReportReason.CHROMIUM_MISSING
