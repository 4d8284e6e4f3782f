"""The validated-dataset snapshot (cchc_analysis.ingest.cache): equal to a fresh load, attrs included; invalidated by
any input change; never trusted when corrupt or writable by someone else; never written for data that fails."""

from __future__ import annotations

import dataclasses
import os
import shutil
from pathlib import Path

import pandas as pd
import pytest
from conftest import DATA

from cchc_analysis.errors import CchcDataError
from cchc_analysis.ingest import cache, dataset
from cchc_analysis.ingest.dataset import Dataset, load_data


@pytest.fixture
def folders(tmp_path, monkeypatch) -> tuple[Path, Path]:
    data, store = tmp_path / "data", tmp_path / "cache"
    shutil.copytree(DATA, data)
    monkeypatch.setenv(cache.CACHE_ENV_VAR, str(store))
    return data, store


@pytest.fixture
def builds(monkeypatch) -> list[Path]:
    """Every full read-and-validate of a data folder (a load the cache did not answer)."""
    done: list[Path] = []
    real = dataset._load

    def counted(data_dir: Path) -> Dataset:
        done.append(data_dir)
        return real(data_dir)

    monkeypatch.setattr(dataset, "_load", counted)
    return done


def _entries(store: Path) -> list[Path]:
    return sorted(store.glob("dataset-*.pickle"))


def assert_same(one: Dataset, other: Dataset) -> None:
    for spec in dataclasses.fields(Dataset):
        a, b = getattr(one, spec.name), getattr(other, spec.name)
        if isinstance(a, pd.DataFrame):
            pd.testing.assert_frame_equal(a, b, check_exact=True)
            assert a.attrs == b.attrs, spec.name
            assert list(a.columns) == list(b.columns), spec.name
        else:
            assert a == b, spec.name


def test_a_cached_dataset_equals_a_fresh_one_attrs_and_provenance_included(folders, builds):
    data, store = folders
    fresh = load_data(data)
    fresh.scores.attrs["provenance_note"] = {"official": ["ban-dan-toc"]}  # attrs survive the snapshot too
    cache._write(store, cache.dataset_key(data), fresh)
    again = load_data(data)
    assert builds == [data]  # the second load came from the snapshot
    assert again.scores is not fresh.scores
    assert_same(fresh, again)
    assert again.scores.attrs == {"provenance_note": {"official": ["ban-dan-toc"]}}
    assert "provenance" in again.scores.columns and {"_file", "_row"} <= set(again.scores.columns)
    assert again.data_dir == data and again.files == fresh.files


def test_any_input_change_is_seen(folders, builds):
    data, _ = folders
    load_data(data)
    agencies = data / "agencies.csv"
    agencies.write_text(agencies.read_text(encoding="utf-8").replace("Ban Dân tộc", "Ban Dân Tộc"), encoding="utf-8")
    changed = load_data(data)
    assert len(builds) == 2
    assert "Ban Dân Tộc tỉnh Quảng Ngãi" in set(changed.agencies["name"])
    (data / "notes.txt").write_text("một tệp mới", encoding="utf-8")  # a new file in the folder counts too
    load_data(data)
    assert len(builds) == 3


def test_a_corrupt_snapshot_falls_back_to_a_full_load_and_is_replaced(folders, builds):
    data, store = folders
    first = load_data(data)
    (entry,) = _entries(store)
    entry.write_bytes(entry.read_bytes()[:100])  # truncated
    assert_same(first, load_data(data))
    entry.write_bytes(b"not a pickle at all")
    assert_same(first, load_data(data))
    assert len(builds) == 3
    load_data(data)  # the last full load stored a good snapshot again
    assert len(builds) == 3


@pytest.mark.parametrize("loose", ["file", "folder"])
def test_a_snapshot_others_can_write_is_never_loaded(folders, builds, loose):
    data, store = folders
    load_data(data)
    (entry,) = _entries(store)
    os.chmod(entry if loose == "file" else store, 0o666 if loose == "file" else 0o777)
    load_data(data)
    assert len(builds) == 2
    os.chmod(store, 0o700)


def test_a_linked_snapshot_is_never_loaded(folders, builds, tmp_path):
    data, store = folders
    load_data(data)
    (entry,) = _entries(store)
    elsewhere = tmp_path / "elsewhere.pickle"
    entry.rename(elsewhere)
    entry.symlink_to(elsewhere)
    load_data(data)
    assert len(builds) == 2


def test_data_that_fails_is_not_cached_and_off_turns_the_cache_off(folders, builds, monkeypatch):
    data, store = folders
    (data / "agencies.csv").write_text("", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(CchcDataError):
            load_data(data)
    assert len(builds) == 2 and _entries(store) == []
    monkeypatch.setenv(cache.CACHE_ENV_VAR, "off")
    shutil.copy(DATA / "agencies.csv", data / "agencies.csv")
    load_data(data)
    load_data(data)
    assert len(builds) == 4 and _entries(store) == []


def test_snapshots_are_private_and_old_ones_pruned(folders):
    data, store = folders
    load_data(data)
    (entry,) = _entries(store)
    assert entry.stat().st_mode & 0o777 == 0o600 and store.stat().st_mode & 0o777 == 0o700
    for number in range(cache.KEEP + 3):
        cache._write(store, f"{number:064x}", "x")
    assert len(_entries(store)) == cache.KEEP
