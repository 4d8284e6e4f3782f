"""Scores remembered per dataset (cchc_analysis.domain.memo): computed once, handed out as copies, computed again
for a dataset whose tables were replaced."""

from __future__ import annotations

import dataclasses

import pandas as pd

from cchc_analysis.domain import scoring


def test_scores_are_computed_once_per_dataset_and_returned_as_copies(dataset):
    ds = dataclasses.replace(dataset)  # a dataset of its own: nothing remembered yet
    first = scoring.total_scores(ds, 2022)
    stamp, remembered = ds.__dict__["_cchc_memo"][("total_scores", 2022)]
    remembered.loc[0, "index"] = 123.0  # what is remembered is what the next call hands out
    assert scoring.total_scores(ds, 2022).loc[0, "index"] == 123.0
    remembered.loc[0, "index"] = first.loc[0, "index"]
    first.loc[0, "index"] = -1.0  # changing what was handed out changes nothing remembered
    again = scoring.total_scores(ds, 2022)
    assert again.loc[0, "index"] != -1.0
    pd.testing.assert_frame_equal(again, scoring.total_scores(dataclasses.replace(dataset), 2022))


def test_a_dataset_with_other_tables_is_computed_again(dataset):
    ds = dataclasses.replace(dataset)
    before = scoring.agency_summary(ds, "ban-dan-toc", 2022)
    scores = ds.scores.copy()
    mine = (scores["agency_id"] == "ban-dan-toc") & (scores["year"] == 2022) & scores["appraised_points"].notna()
    scores.loc[mine, "appraised_points"] = 0.0
    changed = dataclasses.replace(ds, scores=scores)
    after = scoring.agency_summary(changed, "ban-dan-toc", 2022)
    assert after["appraisal_points"] == 0 and before["appraisal_points"] > 0
    assert scoring.agency_summary(ds, "ban-dan-toc", 2022)["appraisal_points"] == before["appraisal_points"]
