"""Shared fixtures. The embedded data is loaded once per session: tests only read it."""

from __future__ import annotations

import os
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest

from cchc_analysis.ingest.dataset import Dataset, load_data

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"

#: The seed's 2022 field results of Ban Dân tộc (section I.2): field code → (points, maximum, rank of 20).
SEED_FIELDS_2022 = {
    "1": (9.5, 10.5, 7),
    "2": (6.0, 6.5, 19),
    "3": (11.5, 12.5, 13),
    "4": (8.0, 8.0, 1),
    "5": (10.0, 10.0, 1),
    "6": (8.0, 8.0, 1),
    "7": (8.5, 11.0, 19),
}

#: LibreOffice, headless: the other spreadsheet and word processor the tests re-save and print documents with.
SOFFICE = shutil.which("soffice") or "/usr/bin/soffice"
needs_soffice = pytest.mark.skipif(
    not Path(SOFFICE).exists() and os.environ.get("CI") != "true",
    reason="LibreOffice (soffice) is not installed: sudo apt-get install -y libreoffice-calc",
)


def libreoffice_convert(
    sources: list[Path], to: str, out_dir: Path, profile: Path, timeout: int = 240
) -> subprocess.CompletedProcess[bytes]:
    """``soffice --headless --convert-to TO`` of the files into ``out_dir``, with a throw-away profile."""
    return subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            to,
            "--outdir",
            str(out_dir),
            *map(str, sources),
        ],
        capture_output=True,
        timeout=timeout,
    )


def encode_cp1258(text: str) -> bytes:
    """Encode as Windows-1258 does: base letters precomposed (â, ơ, ư, đ…), tone marks as combining characters.

    cp1258 has no precomposed 'ộ' or 'ả': NFC text does not encode, and neither does full NFD
    (it has no combining circumflex), so only the five tone marks are split off.
    """
    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    out = []
    for char in unicodedata.normalize("NFC", text):
        parts = unicodedata.normalize("NFD", char)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
        out.append(base + "".join(c for c in parts if c in tones))
    return "".join(out).encode("cp1258")


@pytest.fixture(scope="session")
def dataset() -> Dataset:
    return load_data(DATA)


@pytest.fixture(scope="session", autouse=True)
def _private_dataset_cache(tmp_path_factory) -> None:
    """The validated-dataset cache (cchc_analysis.ingest.cache) of the test session lives in its own folder, not in
    the user's ~/.cache; kernels the tests start inherit it."""
    os.environ["CCHC_CACHE_DIR"] = str(tmp_path_factory.mktemp("dataset-cache"))
