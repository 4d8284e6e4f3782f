"""Where things are. Imports nothing from the rest of the package."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = [
    "DEFAULT_AGENCY",
    "NOTEBOOKS_DIR",
    "PACKAGE_DIR",
    "PROJECT_DIR",
    "TEMPLATES_DIR",
    "default_data_dir",
    "default_reports_dir",
]

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent
TEMPLATES_DIR = PACKAGE_DIR / "render" / "templates"
NOTEBOOKS_DIR = PROJECT_DIR / "notebooks"
#: The agency whose plan the embedded data holds; notebooks and commands use it when no agency is given.
DEFAULT_AGENCY = "ban-dan-toc"


def default_data_dir() -> Path:
    """The embedded data folder, unless CCHC_DATA_DIR points elsewhere."""
    return Path(os.environ.get("CCHC_DATA_DIR") or PROJECT_DIR / "data")


def default_reports_dir() -> Path:
    """The output folder for rendered reports, unless CCHC_REPORTS_DIR points elsewhere."""
    return Path(os.environ.get("CCHC_REPORTS_DIR") or PROJECT_DIR / "reports")
