"""The `cchc` command line. Every error the toolkit raises on purpose ends as one clear message and an exit code.

Exit codes: 0 success; 1 a report or run failed; 2 bad input data or parameters; 130 interrupted.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from cchc_analysis.config import default_data_dir
from cchc_analysis.errors import CchcDataError, CchcError, CchcParameterError

__all__ = ["STATUS_COLUMNS", "build_parser", "main"]


def _validate(args: argparse.Namespace) -> int:
    from cchc_analysis.ingest.dataset import load_data

    dataset = load_data(args.data_dir)
    print(
        f"Dữ liệu hợp lệ: {len(dataset.files)} tệp trong {dataset.data_dir} "
        f"({len(dataset.agencies)} cơ quan, bộ tiêu chí các năm {', '.join(map(str, dataset.years))}, "
        f"{len(dataset.tasks)} nhiệm vụ, {len(dataset.progress)} cập nhật tiến độ)."
    )
    return 0


def _generate(args: argparse.Namespace) -> int:
    from cchc_analysis.sample_data import generate, output
    from cchc_analysis.sample_data.sources import load_sources

    if args.seed is None:
        args.seed = generate.DEFAULT_SEED
    out, source = Path(args.out), default_data_dir()
    scale = None
    if (args.agencies is not None or args.years is not None) and out.resolve() == source.resolve():
        raise CchcParameterError("Bộ dữ liệu lớn (--agencies/--years) phải ghi ra thư mục khác data/: dùng --out")
    if out.exists() and not out.is_dir():
        raise CchcParameterError(f"--out {out} là một tệp đã có, không phải thư mục dữ liệu")
    sources = load_sources(source)
    if args.agencies is not None or args.years is not None:
        scale = generate.checked_scale(args.agencies, args.years, max(sources.plan_years))
    files = generate.build(sources, args.seed, scale)
    if args.check:
        comparison = output.compare(out, files, with_progress=args.with_progress)
        differing = comparison.new + comparison.changed
        if differing:
            print(
                f"{out} khác với dữ liệu do bộ sinh tạo ra (seed {args.seed}): {', '.join(differing)}", file=sys.stderr
            )
            return 1
        print(f"{out} khớp với dữ liệu do bộ sinh tạo ra (seed {args.seed}).")
        return 0
    comparison = output.write(out, files, with_progress=args.with_progress, force=args.force)
    written = len(comparison.new) + len(comparison.changed)
    print(f"Đã ghi {written} tệp vào {out} (seed {args.seed}); {len(comparison.unchanged)} tệp đã đúng nên giữ nguyên.")
    if not args.with_progress:
        print("Không ghi progress/ (tiến độ các đơn vị cập nhật); dùng --with-progress để sinh tiến độ minh hoạ.")
    return 0


def _report(args: argparse.Namespace) -> int:
    from cchc_analysis.report import run_report

    return run_report(
        period=args.period,
        agency=args.agency,
        all_agencies=args.all_agencies,
        data_dir=args.data,
        out_dir=args.out,
        pdf=not args.no_pdf,
        jobs=args.jobs,
        timeout=args.timeout,
        notebooks=tuple(args.notebook) if args.notebook else None,
        documents=args.documents,
    )


STATUS_COLUMNS = [
    "task_id",
    "occurrence",
    "label",
    "unit",
    "codes",
    "status",
    "due",
    "completed_on",
    "reported",
    "blocker",
]


def _status(args: argparse.Namespace) -> int:
    """The status of every task occurrence the period shows, on one date: a table, CSV or JSON."""
    import csv
    import json

    from cchc_analysis import fmt
    from cchc_analysis.config import DEFAULT_AGENCY
    from cchc_analysis.domain import plan
    from cchc_analysis.ingest.dataset import load_data

    dataset = load_data(args.data)
    agency = dataset.resolve_agency(args.agency or DEFAULT_AGENCY)
    pic = plan.picture(dataset, agency, args.period, args.as_of or None)
    rows = plan.status_rows(pic)[STATUS_COLUMNS]
    records = [
        {k: (v.isoformat() if hasattr(v, "isoformat") else ("" if v is None else v)) for k, v in row.items()}
        for row in rows.to_dict("records")
    ]
    if args.format == "csv":
        writer = csv.DictWriter(sys.stdout, STATUS_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(records)
        return 0
    if args.format == "json":
        meta = {"agency_id": agency, "period": pic.period.id, "as_of": pic.as_of.isoformat()}
        meta["plan_start"] = pic.plan.start.isoformat()
        json.dump({**meta, "occurrences": records}, sys.stdout, ensure_ascii=False, indent=1)
        print()
        return 0
    print(
        f"{dataset.agency_name(agency)} — {pic.period.label}, số liệu đến ngày {fmt.date(pic.as_of)} "
        f"(kế hoạch bắt đầu {fmt.date(pic.plan.start)})"
    )
    shown = [
        (
            r["task_id"],
            r["label"],
            r["unit"],
            r["codes"] or "–",
            plan.STATUSES[r["status"]],
            fmt.date(r["due"]),
            fmt.date(r["completed_on"]) if r["completed_on"] else "–",
        )
        for r in rows.to_dict("records")
    ]
    header = ("Nhiệm vụ", "Lần thực hiện", "Đơn vị", "Tiêu chí", "Trạng thái", "Hạn", "Hoàn thành")
    widths = [max(len(str(x)) for x in column) for column in zip(header, *shown)]
    for line in (header, *shown):
        print("  ".join(str(x).ljust(w) for x, w in zip(line, widths)).rstrip())
    counts = rows["status"].value_counts()
    print("Tổng: " + ", ".join(f"{plan.STATUSES[s].lower()} {int(counts[s])}" for s in plan.STATUSES if s in counts))
    return 0


def _workbook_export(args: argparse.Namespace) -> int:
    from cchc_analysis.ingest.dataset import load_data
    from cchc_analysis.workbook import export_workbook

    dataset = load_data(args.data)
    written = export_workbook(dataset, args.period, args.out, agency=args.agency or "", overwrite=args.force)
    print(f"Đã ghi sổ cập nhật tiến độ {args.period} vào {written}.")
    return 0


def _workbook_import(args: argparse.Namespace) -> int:
    from cchc_analysis.workbook import import_workbooks

    result = import_workbooks(args.files, args.data, period=args.period)
    if result.removed_temporaries:
        print(f"Đã xoá {result.removed_temporaries} tệp tạm còn sót lại từ một lần nhập bị dừng giữa chừng.")
    print(
        f"Đã nhập {len(args.files)} sổ cập nhật kỳ {result.period} vào {result.progress_file}: "
        f"{len(result.added)} cập nhật mới, {len(result.changed)} cập nhật sửa, {len(result.unchanged)} không đổi."
    )
    if not result.added and not result.changed:
        print(f"0 thay đổi: {result.progress_file} được giữ nguyên.")
    if result.skipped:
        print(f"{len(result.skipped)} nhiệm vụ chưa có ngày cập nhật nên chưa ghi: {', '.join(result.skipped)}.")
    return 0


def _results_export(args: argparse.Namespace) -> int:
    from cchc_analysis.ingest.dataset import load_data
    from cchc_analysis.workbook.results_export import export_results_workbook

    written = export_results_workbook(
        load_data(args.data), args.year, args.out, agency=args.agency or "", overwrite=args.force
    )
    print(f"Đã ghi sổ kết quả năm {args.year} vào {written}.")
    return 0


def _results_import(args: argparse.Namespace) -> int:
    from cchc_analysis.workbook import results_layout
    from cchc_analysis.workbook.results_import import import_results_workbook

    result = import_results_workbook(args.file, args.data, replace=args.replace)
    kind = results_layout.PROVENANCE_CHOICES[result.provenance].lower()
    print(
        f"Đã nhập kết quả năm {result.year} (số liệu {kind}): điểm theo tiêu chí của {len(result.agencies_scored)} "
        f"cơ quan, kết quả công bố của {len(result.agencies_published)} cơ quan"
        + (f", bộ tiêu chí năm {result.year}" if result.framework_written else "")
        + ". Đã ghi: "
        + ", ".join(p.as_posix() for p in result.files)
        + "."
    )
    return 0


def _document(args: argparse.Namespace) -> int:
    from cchc_analysis.config import DEFAULT_AGENCY
    from cchc_analysis.documents import write
    from cchc_analysis.ingest.dataset import load_data

    dataset = load_data(args.data)
    agency = args.agency or DEFAULT_AGENCY
    if args.kind == "plan":
        try:
            year = int(str(args.target).strip())
        except ValueError:
            raise CchcParameterError(
                f'Năm của kế hoạch "{args.target}" không hợp lệ: cần một năm, ví dụ 2023'
            ) from None
        written = write.write_plan(dataset, agency, year, args.out)
        print(f"Đã ghi dự thảo kế hoạch năm {year} vào {written.path}.")
    else:
        written = write.write_report(dataset, agency, args.target, args.out, as_of=args.as_of or "")
        print(f"Đã ghi dự thảo báo cáo {args.target} vào {written.path}.")
    blanks = written.document.highlights
    if blanks:
        print(f"Dự thảo có {blanks} chỗ tô vàng cần người soạn điền hoặc xác nhận trước khi trình ký.")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The command line; it imports nothing heavy, so that ``cchc --help`` answers at once (each command imports
    what it needs when it runs)."""
    parser = argparse.ArgumentParser(
        prog="cchc", description="Phân tích và báo cáo Chỉ số cải cách hành chính (Chỉ số CCHC)."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    validate = commands.add_parser("validate", help="Kiểm tra một thư mục dữ liệu và liệt kê mọi lỗi")
    validate.add_argument("data_dir", nargs="?", default=None, help="Thư mục dữ liệu (mặc định: data/ của dự án)")
    validate.set_defaults(run=_validate)

    generate = commands.add_parser(
        "generate-data",
        help="Sinh lại các bảng minh hoạ của dữ liệu mẫu (có hạt giống, tái lập được); không ghi đè dữ liệu đã cập nhật",
    )
    generate.add_argument("--out", default=None, help="Thư mục ghi dữ liệu (mặc định: data/ của dự án)")
    generate.add_argument(
        "--seed", type=int, default=None, help="Hạt giống ngẫu nhiên (mặc định: hạt giống cố định của bộ sinh dữ liệu)"
    )
    generate.add_argument("--check", action="store_true", help="Chỉ kiểm tra thư mục có khớp với dữ liệu sinh ra không")
    generate.add_argument(
        "--with-progress",
        action="store_true",
        help="Sinh cả progress/progress.csv (tiến độ minh hoạ); mặc định không bao giờ ghi vào progress/",
    )
    generate.add_argument(
        "--force",
        action="store_true",
        help="Ghi đè cả các tệp đã có mà nội dung khác với dữ liệu sinh ra (dữ liệu đã cập nhật sẽ mất)",
    )
    generate.add_argument(
        "--agencies", type=int, default=None, help="Bộ dữ liệu lớn để thử tải: số cơ quan (ví dụ 200)"
    )
    generate.add_argument("--years", type=int, default=None, help="Bộ dữ liệu lớn để thử tải: số năm (ví dụ 10)")
    generate.set_defaults(run=_generate)

    report = commands.add_parser("report", help="Chạy các notebook của một kỳ và xuất báo cáo HTML/PDF")
    report.add_argument(
        "period", nargs="?", default=None, help="Kỳ báo cáo: 2023-Q2, 2023-H1, 2023 (mặc định: kỳ mới nhất có dữ liệu)"
    )
    who = report.add_mutually_exclusive_group()
    who.add_argument("--agency", default=None, help="Mã hoặc tên cơ quan (mặc định: ban-dan-toc)")
    who.add_argument("--all-agencies", action="store_true", help="Báo cáo cho tất cả cơ quan trong dữ liệu")
    report.add_argument("--data", default=None, help="Thư mục dữ liệu (mặc định: data/ của dự án)")
    report.add_argument("--out", default=None, help="Thư mục kết quả (mặc định: reports/)")
    report.add_argument("--no-pdf", action="store_true", help="Không in PDF")
    report.add_argument(
        "--jobs",
        type=int,
        default=min(2, os.cpu_count() or 1),
        help="Số notebook chạy đồng thời (mặc định: 2 hoặc số lõi nếu ít hơn)",
    )
    report.add_argument("--timeout", type=int, default=600, help="Thời gian tối đa cho mỗi ô notebook, tính bằng giây")
    report.add_argument(
        "--notebook",
        action="append",
        metavar="NAME",
        help="Chỉ chạy notebook này (lặp lại được), ví dụ 03_briefing; mặc định: tất cả",
    )
    report.add_argument(
        "--documents", action="store_true", help="Kèm dự thảo báo cáo .docx của kỳ cho mỗi cơ quan có kế hoạch"
    )
    report.set_defaults(run=_report)

    status = commands.add_parser(
        "status", help="Trạng thái từng lần thực hiện của các nhiệm vụ trong một kỳ, đến một ngày số liệu"
    )
    status.add_argument(
        "period", help="Kỳ: 2023-Q1 … 2023-Q4, 2023-H1, 2023-H2 hoặc 2023 (chỉ chọn các lần được liệt kê)"
    )
    status.add_argument("--agency", default=None, help="Mã hoặc tên cơ quan (mặc định: ban-dan-toc)")
    status.add_argument(
        "--as-of", default=None, help="Ngày số liệu (dd/mm/yyyy hoặc yyyy-mm-dd; mặc định: ngày cuối kỳ)"
    )
    status.add_argument("--format", choices=("table", "csv", "json"), default="table", help="Dạng kết quả")
    status.add_argument("--data", default=None, help="Thư mục dữ liệu (mặc định: data/ của dự án)")
    status.set_defaults(run=_status)

    workbook = commands.add_parser("workbook", help="Sổ Excel cập nhật tiến độ của các đơn vị: xuất và nhập")
    actions = workbook.add_subparsers(dest="action", required=True, metavar="ACTION")
    export = actions.add_parser("export", help="Xuất sổ cập nhật của một quý, mỗi đơn vị một trang")
    export.add_argument("period", help="Quý: 2023-Q1 … 2023-Q4 (hoặc Quý 2/2023)")
    export.add_argument("--out", required=True, help="Tệp .xlsx sẽ ghi")
    export.add_argument("--data", default=None, help="Thư mục dữ liệu (mặc định: data/ của dự án)")
    export.add_argument("--agency", default=None, help="Mã hoặc tên cơ quan (mặc định: ban-dan-toc)")
    export.add_argument("--force", action="store_true", help="Ghi đè nếu tệp đã có")
    export.set_defaults(run=_workbook_export)
    load = actions.add_parser("import", help="Kiểm tra các sổ đã điền, rồi mới ghi vào progress/progress.csv")
    load.add_argument("files", nargs="+", help="Các tệp .xlsx do đơn vị gửi (không bị sửa)")
    load.add_argument("--data", default=None, help="Thư mục dữ liệu (mặc định: data/ của dự án)")
    load.add_argument("--period", default=None, help="Quý đang nhập; từ chối sổ của quý khác")
    load.set_defaults(run=_workbook_import)
    results_export = actions.add_parser(
        "results-export", help="Xuất sổ kết quả một năm: bảng kết quả công bố, bộ tiêu chí, điểm theo tiêu chí"
    )
    results_export.add_argument("year", type=int, help="Năm đánh giá, ví dụ 2023")
    results_export.add_argument("--out", required=True, help="Tệp .xlsx sẽ ghi")
    results_export.add_argument("--data", default=None, help="Thư mục dữ liệu (mặc định: data/ của dự án)")
    results_export.add_argument(
        "--agency", default=None, help="Chỉ trang điểm của cơ quan này (mặc định: trang điểm của mọi cơ quan)"
    )
    results_export.add_argument("--force", action="store_true", help="Ghi đè nếu tệp đã có")
    results_export.set_defaults(run=_results_export)
    results_import = actions.add_parser(
        "results-import",
        help="Kiểm tra sổ kết quả đã điền, rồi mới thêm năm đó vào dữ liệu (mọi tệp hoặc không tệp nào)",
    )
    results_import.add_argument("file", help="Tệp .xlsx đã điền (không bị sửa)")
    results_import.add_argument("--data", default=None, help="Thư mục dữ liệu (mặc định: data/ của dự án)")
    results_import.add_argument(
        "--replace", action="store_true", help="Thay kết quả của năm đã có (chỉ các dòng của năm đó)"
    )
    results_import.set_defaults(run=_results_import)
    document = commands.add_parser("document", help="Dự thảo văn bản (.docx): báo cáo định kỳ hoặc kế hoạch năm")
    kinds = document.add_subparsers(dest="kind", required=True, metavar="KIND")
    for kind, target, text in (
        ("report", "period", "Báo cáo kết quả thực hiện nhiệm vụ CCHC của một kỳ (2023-Q2, 2023-H1, 2023)"),
        ("plan", "year", "Kế hoạch cải thiện Chỉ số CCHC của một năm, từ kết quả năm trước"),
    ):
        sub = kinds.add_parser(kind, help=text)
        sub.add_argument("target", metavar=target.upper(), help=text)
        sub.add_argument("--agency", default=None, help="Mã hoặc tên cơ quan (mặc định: ban-dan-toc)")
        sub.add_argument("--data", default=None, help="Thư mục dữ liệu (mặc định: data/ của dự án)")
        sub.add_argument("--out", default=None, help="Thư mục ghi tệp (mặc định: reports/<kỳ hoặc năm>/<cơ quan>/)")
        if kind == "report":
            sub.add_argument("--as-of", default=None, help="Ngày số liệu dd/mm/yyyy (mặc định: ngày cuối kỳ)")
        sub.set_defaults(run=_document)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "out", "") is None and args.command == "generate-data":
        args.out = str(default_data_dir())
    try:
        return args.run(args)
    except CchcDataError as error:
        print(str(error), file=sys.stderr)
        return error.exit_code
    except CchcError as error:
        print(f"Lỗi: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("Đã dừng theo yêu cầu (Ctrl-C).", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
