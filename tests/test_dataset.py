"""The embedded data folder: it validates, and it carries the seed's real figures with their provenance."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest
from conftest import DATA

from cchc_analysis.errors import CchcDataError, CchcParameterError
from cchc_analysis.ingest.dataset import load_data, validate_data

AGENCY = "ban-dan-toc"


def test_embedded_data_is_valid():
    assert validate_data(DATA) == []


def test_twenty_agencies_one_real_and_peers_anonymised(dataset):
    agencies = dataset.agencies.set_index("agency_id")
    assert len(agencies) == 20
    assert agencies.at[AGENCY, "name"] == "Ban Dân tộc tỉnh Quảng Ngãi"
    assert agencies.at[AGENCY, "provenance"] == "official"
    peers = agencies.drop(index=AGENCY)
    assert (peers["provenance"] == "illustrative").all()
    assert peers["name"].str.startswith("Cơ quan ").all()


def test_published_2022_figures_are_the_seeds(dataset):
    published = dataset.published[(dataset.published["agency_id"] == AGENCY) & (dataset.published["year"] == 2022)]
    published = published.set_index("scope")
    assert (published["provenance"] == "official").all()
    assert (published.at["total", "points"], published.at["total", "rank"], published.at["total", "n_ranked"]) == (
        82.91,
        13,
        20,
    )
    assert (
        published.at["7", "points"] == 8.5
        and published.at["7", "max_points"] == 11.0
        and published.at["7", "rank"] == 19
    )
    assert (
        published.at["3", "points"] == 11.5
        and published.at["3", "max_points"] == 12.5
        and published.at["3", "rank"] == 13
    )


def test_published_2021_total_is_implied_by_the_seed(dataset):
    row = dataset.published[(dataset.published["agency_id"] == AGENCY) & (dataset.published["year"] == 2021)].set_index(
        "scope"
    )
    assert row.at["total", "points"] == pytest.approx(82.91 - 4.18)


def test_field_maxima_per_year(dataset):
    for year, expected in {2022: [10.5, 6.5, 12.5, 8, 10, 8, 11], 2023: [10.5, 6.5, 12.5, 8, 10, 8, 11.5]}.items():
        framework = dataset.framework_for(year)
        fields = framework[framework["level"] == "field"].set_index("code")["max_points"]
        assert [fields[str(code)] for code in range(1, 8)] == expected
        assert (framework[framework["level"] == "field"]["provenance"] == "official").all()


def test_seed_sub_criteria_are_in_the_framework_with_their_wording(dataset):
    framework = dataset.framework_for(2022).set_index("code")
    assert (
        framework.at["1.2.2", "name"]
        == "Báo cáo về kiểm soát TTHC và việc thực hiện cơ chế một cửa, một cửa liên thông"
    )
    assert framework.at["2.1.1.1", "name"] == "Ban hành kế hoạch theo dõi tình hình thi hành pháp luật"
    assert framework.at["2.1.1.1", "level"] == "detail"
    assert framework.at["3.1.3", "name"] == "Xử lý các vấn đề phát hiện qua rà soát TTHC"
    assert framework.at["7.2.2", "name"] == "Tỷ lệ hồ sơ TTHC được giải quyết trực tuyến mức độ 3 và 4"


def test_targets_2023(dataset):
    targets = dataset.targets[(dataset.targets["agency_id"] == AGENCY) & (dataset.targets["year"] == 2023)]
    by_key = {(row.scope, row.metric): row for row in targets.itertuples()}
    total = by_key[("total", "points")]
    assert (total.comparator, total.value) == (">", 85.0)
    rank = by_key[("total", "rank")]
    assert (rank.comparator, rank.value, rank.out_of) == ("<=", 10.0, 20)
    fields = {scope: row.value for (scope, metric), row in by_key.items() if scope != "total"}
    assert fields == {"1": 10.5, "2": 6.5, "3": 12.5, "4": 8.0, "5": 10.0, "6": 8.0, "7": 11.5}


def test_plan_tasks_cover_the_seed(dataset):
    tasks = dataset.tasks
    assert len(tasks) == 51  # 44 bullets; six of them hold two or three separately checkable commitments
    assert set(tasks["unit_id"]) == {"van-phong", "thanh-tra", "cac-phong"}
    linked = {
        code: set(group["task_id"])
        for code, group in tasks.explode("sub_criteria").dropna(subset=["sub_criteria"]).groupby("sub_criteria")
    }
    assert set(linked) == {"1.2.2", "1.5.1", "2.1.1.1", "3.1.2", "3.1.3", "7.2.1", "7.2.2"}
    owners = tasks.set_index("task_id")["unit_id"]
    assert {owners[t] for t in linked["2.1.1.1"]} == {"thanh-tra"}
    assert {owners[t] for t in linked["1.5.1"]} == {"cac-phong"}
    assert {owners[t] for t in linked["7.2.1"]} == {"van-phong"}
    iii2 = tasks[tasks["seed_ref"] == "III.2"].iloc[0]
    assert (iii2["kind"], iii2["frequency"], iii2["unit_id"]) == ("recurring", "quarterly", "van-phong")


def test_every_table_has_provenance(dataset):
    for name in ("agencies", "framework", "scores", "survey", "published", "tasks", "targets", "progress", "bands"):
        values = set(getattr(dataset, name)["provenance"])
        assert values <= {"official", "derived", "illustrative"} and values, name


def test_resolve_agency_by_id_or_name_without_diacritics(dataset):
    assert dataset.resolve_agency("BAN DAN TOC TINH") == AGENCY
    assert dataset.resolve_agency("Ban Dân tộc tỉnh Quảng Ngãi") == AGENCY
    with pytest.raises(CchcParameterError, match="co-quan-01"):
        dataset.resolve_agency("Sở không tồn tại")


def test_missing_folder_is_a_data_error(tmp_path):
    with pytest.raises(CchcDataError) as error:
        load_data(tmp_path / "nothing")
    assert error.value.codes == ["missing_folder"]


def test_an_unknown_agency_among_many_lists_twenty_and_says_how_many_more(dataset):
    # The embedded 20 agencies are all listed; 200 (the scale set's size) made a message of 200 names.
    with pytest.raises(CchcParameterError) as error:
        dataset.resolve_agency("khong-co")
    assert str(error.value).count("; ") == 19 and "cơ quan khác" not in str(error.value)
    extra = pd.DataFrame(
        [{**dataset.agencies.iloc[-1].to_dict(), "agency_id": f"them-{n:03d}", "name": f"Thêm {n}"} for n in range(180)]
    )
    many = dataclasses.replace(dataset, agencies=pd.concat([dataset.agencies, extra], ignore_index=True))
    with pytest.raises(CchcParameterError) as error:
        many.resolve_agency("khong-co")
    message = str(error.value)
    assert message.startswith('Không tìm thấy cơ quan "khong-co". Các cơ quan hợp lệ: ban-dan-toc (')
    assert message.endswith("; … và 180 cơ quan khác (danh sách đầy đủ trong agencies.csv)")
    assert "them-000" not in message and message.count("; ") == 20
