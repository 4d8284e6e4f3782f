"""Shared fixtures. The embedded data is loaded once per session: tests only read it."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from cchc_analysis.ingest.dataset import Dataset, load_data

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"


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
