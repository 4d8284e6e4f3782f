"""JupyterLab for the analyst: ``bash tasks.sh lab`` runs ``python -m cchc_analysis.lab [JUPYTER LAB ARGS…]``.

The committed notebooks in ``notebooks/`` are templates, committed without outputs (a test keeps them so).
JupyterLab autosaves what it opens, outputs and edited parameters included, so the analyst works on copies in
``notebooks/work/`` (git-ignored; ``CCHC_LAB_DIR`` names another folder), made from the templates on first start. A copy is never overwritten: when its
template changed after the copy was made, the start says so (delete the copy to get the new template).

Lab starts on those copies with the project's offline settings (``jupyter/etc/jupyter``, put first on
``JUPYTER_CONFIG_PATH``; its README says what they turn off) and listens on 127.0.0.1. As root, Jupyter refuses to
start without ``--allow-root``: it is passed, and said once.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from cchc_analysis.config import NOTEBOOKS_DIR, PROJECT_DIR
from cchc_analysis.files import write_text_atomic

__all__ = ["SETTINGS_DIR", "Seeded", "environment", "lab_command", "main", "seed", "work_dir"]

#: The project's Jupyter configuration (server config and page config), laid out as ``etc/jupyter`` of a prefix.
SETTINGS_DIR = PROJECT_DIR / "jupyter" / "etc" / "jupyter"
#: Which template each working copy was made from (its SHA-256), to tell when a template changed later.
RECORD = ".templates.json"


def work_dir() -> Path:
    """The folder of the working copies: notebooks/work/, unless CCHC_LAB_DIR points elsewhere."""
    return Path(os.environ.get("CCHC_LAB_DIR") or NOTEBOOKS_DIR / "work")


@dataclass
class Seeded:
    """What :func:`seed` did: copies made now, and copies whose template changed after they were made."""

    created: list[Path] = field(default_factory=list)
    outdated: list[Path] = field(default_factory=list)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def seed(templates: Path = NOTEBOOKS_DIR, work: Path | None = None) -> Seeded:
    """Copy every template notebook that has no working copy yet into ``work``; never overwrite a copy."""
    work = work_dir() if work is None else work
    work.mkdir(parents=True, exist_ok=True)
    record_path = work / RECORD
    try:
        record = json.loads(record_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        record = {}
    done = Seeded()
    for template in sorted(templates.glob("*.ipynb")):
        copy = work / template.name
        digest = _digest(template)
        if not copy.exists():
            shutil.copyfile(template, copy)
            record[template.name] = digest
            done.created.append(copy)
        elif record.get(template.name) not in (None, digest):
            done.outdated.append(copy)
    write_text_atomic(record_path, json.dumps(record, indent=1, sort_keys=True) + "\n")
    return done


def environment(base: dict[str, str] | None = None) -> dict[str, str]:
    """The environment Lab runs in: the project's settings first on JUPYTER_CONFIG_PATH."""
    env = dict(os.environ if base is None else base)
    paths = [str(SETTINGS_DIR), *filter(None, env.get("JUPYTER_CONFIG_PATH", "").split(os.pathsep))]
    env["JUPYTER_CONFIG_PATH"] = os.pathsep.join(paths)
    return env


def _is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def lab_command(args: list[str], work: Path | None = None, *, as_root: bool | None = None) -> list[str]:
    """The ``jupyter lab`` command line: the working copies as Lab's root folder, ``--allow-root`` for root."""
    work = work_dir() if work is None else work
    command = [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={work}"]
    if (_is_root() if as_root is None else as_root) and "--allow-root" not in args:
        command.append("--allow-root")
    return command + list(args)


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(PROJECT_DIR))
    except ValueError:
        return str(path)


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    done = seed()
    say = sys.stderr
    for copy in done.created:
        print(f"Đã tạo bản làm việc {_shown(copy)} từ mẫu notebooks/{copy.name}.", file=say)
    for copy in done.outdated:
        print(
            f"Mẫu notebooks/{copy.name} đã thay đổi sau khi tạo bản làm việc {_shown(copy)}; bản làm việc được giữ "
            "nguyên (xoá nó rồi khởi động lại để nhận mẫu mới).",
            file=say,
        )
    print(
        f"Các notebook mở trong JupyterLab là bản làm việc trong {_shown(work_dir())}/ (git bỏ qua thư mục này).",
        file=say,
    )
    command = lab_command(args)
    if "--allow-root" in command and "--allow-root" not in args:
        print(
            "Đang chạy bằng tài khoản root nên JupyterLab được khởi động với --allow-root; nên dùng tài khoản thường.",
            file=say,
        )
    say.flush()
    if os.name == "posix":  # Lab takes this process over: Ctrl-C and its shutdown question reach it directly
        os.execve(command[0], command, environment())
    return subprocess.call(command, env=environment())


if __name__ == "__main__":
    sys.exit(main())
