"""The package an analyst explores (issue 13, §5): the entry points at the top, loaded on first use."""

from __future__ import annotations

import inspect
import subprocess
import sys

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
