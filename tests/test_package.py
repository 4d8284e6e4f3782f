"""The package an analyst explores (issue 13, §5): the entry points at the top, loaded on first use."""

from __future__ import annotations

import dataclasses
import inspect
import subprocess
import sys

import pandas as pd

import cchc_analysis


def test_every_top_level_name_resolves_to_the_function_it_names():
    for name in cchc_analysis.__all__:
        value = getattr(cchc_analysis, name)
        assert value is not None, name
        if inspect.isfunction(value) or inspect.isclass(value):
            assert value.__name__ == name and value.__module__.startswith("cchc_analysis"), name
    assert set(cchc_analysis.__all__) <= set(dir(cchc_analysis))


def test_the_entry_points_answer_an_analysts_first_question():
    ds = cchc_analysis.load_data()
    card = cchc_analysis.scorecard(ds, "ban-dan-toc", 2022)
    assert not card.empty
    assert cchc_analysis.context(agency="ban dan toc tinh").agency_id == "ban-dan-toc"


def test_importing_the_package_stays_light():
    """The ``cchc`` command imports the package first: the analyst's names must not pull pandas or matplotlib."""
    code = "import sys, cchc_analysis; print(sorted(m for m in ('pandas', 'matplotlib') if m in sys.modules))"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "[]"


BOOKKEEPING = ("_file", "_row")


def _frames(name: str, value: object) -> list[tuple[str, pd.DataFrame | pd.Series]]:
    """Every table a result holds: itself, or the frames of a result object (a Dataset, a Projection, a Picture)."""
    if isinstance(value, (pd.DataFrame, pd.Series)):
        return [(name, value)]
    fields = dataclasses.fields(value) if dataclasses.is_dataclass(value) else []
    found = [(f"{name}.{f.name}", getattr(value, f.name)) for f in fields]
    extra = [(f"{name}.{attr}", getattr(value, attr)) for attr in ("view",) if hasattr(value, attr)]
    return [(label, frame) for label, frame in found + extra if isinstance(frame, (pd.DataFrame, pd.Series))]


def test_tables_handed_to_an_analyst_lead_with_data_not_bookkeeping():
    """Every table the top-level entry points return starts with its data; where ``_file`` and ``_row`` stay (a
    loaded table keeps them for messages naming a file and row), they come last."""
    ds, agency, year, period = cchc_analysis.load_data(), "ban-dan-toc", 2022, "2023-Q2"
    pic = cchc_analysis.picture(ds, agency, period)
    stake = cchc_analysis.points_at_stake(ds, pic)
    results = {
        "load_data": ds,
        "scorecard": cchc_analysis.scorecard(ds, agency, year),
        "field_scores": cchc_analysis.field_scores(ds, year),
        "total_scores": cchc_analysis.total_scores(ds, year),
        "agency_summary": cchc_analysis.agency_summary(ds, agency, year),
        "lost_points": cchc_analysis.lost_points(ds, agency, year),
        "ranking": cchc_analysis.ranking(ds, year),
        "rank_gaps": cchc_analysis.rank_gaps(ds, agency, year),
        "history": cchc_analysis.history(ds, agency),
        "year_over_year": cchc_analysis.year_over_year(ds, agency, year - 1, year),
        "targets_for": cchc_analysis.targets_for(ds, agency, year + 1),
        "target_gaps": cchc_analysis.target_gaps(ds, agency, year + 1),
        "project": cchc_analysis.project(ds, agency, year),
        "picture": pic,
        "points_at_stake": stake,
        "alerts": cchc_analysis.alerts(ds, pic, stake),
    }
    data_functions = {
        name for name, module in cchc_analysis._LAZY.items() if ".domain." in module or name == "load_data"
    }
    assert set(results) == data_functions, "a new data entry point at the top: add it here"
    tables = [table for name, value in results.items() for table in _frames(name, value)]
    assert len(tables) > 25  # the Dataset's tables, the projection's and the picture's are looked into
    wrong = []
    for label, table in tables:
        columns = list(table.columns if isinstance(table, pd.DataFrame) else table.index)
        kept = [column for column in columns if column in BOOKKEEPING]
        if columns and (columns[0] in BOOKKEEPING or columns[len(columns) - len(kept) :] != kept):
            wrong.append(f"{label}: {columns[:3]} … {columns[-2:]}")
    assert not wrong, f"tables leading with (or interleaving) bookkeeping columns: {wrong}"
    # the provenance stays where messages need it: a loaded row still names its file and row
    row = ds.scores.iloc[0]
    assert row["_file"] == "data/results/scores.csv" and row["_row"] == 2
    assert list(ds.scores.columns[-2:]) == ["_file", "_row"] and ds.scores.columns[0] == "agency_id"
