"""Shared fixtures. The embedded data is loaded once per session: tests only read it."""

from __future__ import annotations

from pathlib import Path

import pytest

from cchc_analysis.dataset import Dataset, load_data

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"


@pytest.fixture(scope="session")
def dataset() -> Dataset:
    return load_data(DATA)
