"""The hand-maintained transcriptions say what the seed document says.

The seed (the agency's 2023 plan, as extracted text) is kept beside them in ``data/seed/ke_hoach_2023.txt``; the
expected values here are read from that text with patterns, or typed from it, never from the files under test.
"""

from __future__ import annotations

import csv
import re

import pytest
from conftest import DATA

SEED_TEXT = DATA / "seed" / "ke_hoach_2023.txt"
SECTION_FIELD = {"a": "1", "b": "2", "c": "3", "d": "4", "đ": "5", "e": "6", "g": "7"}
UNIT_HEADINGS = {  # longest first: "Văn phòng Ban tham mưu" before "Văn phòng Ban"
    "Văn phòng Ban tham mưu": "van-phong",
    "Văn phòng Ban": "van-phong",
    "Thanh tra Ban": "thanh-tra",
    "Các phòng thuộc Ban": "cac-phong",
}
# Seed I.2 lists the 2022 field results in its own order; the names as it writes them (typo "Cảỉ" included).
SEED_FIELD_NAMES = {
    "Cảỉ cách thủ tục hành chính": "3",
    "Xây dựng và nâng cao chất lượng đội ngũ công chức, viên chức": "5",
    "Công tác chỉ đạo điều hành": "1",
    "Xây dựng và thực hiện văn bản quy phạm pháp luật": "2",
    "Cải cách tài chính công": "6",
    "Cải cách tổ chức bộ máy": "4",
    "Hiện đại hoá hành chính": "7",
}
# The one wording fix of the transcription: a PDF extraction typo in T1-02.
FIXES = {"nhắc nhở việc thực hiện CCHC của các phòng": "nhắc nhỡ việc thực hiện CCHC của các phòng"}


def flat(text: str) -> str:
    """Line breaks joined, whitespace normalised, also around the quotation marks of the sub-criteria."""
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r"\s*“\s*", " “", re.sub(r"\s*”", "”", text))


def as_in_seed(description: str) -> str:
    for fixed, original in FIXES.items():
        description = description.replace(fixed, original)
    return flat(description)


def number(text: str) -> float:
    return float(text.replace(",", "."))


def rows(relative: str) -> list[dict[str, str]]:
    with (DATA / relative).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def seed() -> str:
    return flat(SEED_TEXT.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def tasks() -> list[dict[str, str]]:
    return rows("plan/tasks.csv")


def test_the_seed_text_is_the_plan():
    text = SEED_TEXT.read_text(encoding="utf-8")
    assert text.lstrip().startswith("KẾ HOẠCH")
    assert "cải cách hành chính năm 2023 của Ban Dân tộc tỉnh" in flat(text)


def test_every_task_description_is_the_seeds_wording(seed, tasks):
    for task in tasks:
        assert as_in_seed(task["description"]) in seed, task["task_id"]
        text = task["description"]
        assert text == text.strip() and "\n" not in text and "  " not in text, task["task_id"]


def _section(seed: str, ref: str) -> tuple[int, int]:
    """Where a seed_ref's text lies in the seed: II.2.a1 … II.2.g1 up to the x2 targets; III.1 and III.2."""
    if ref.startswith("II.2."):
        letter = ref[len("II.2.")]
        start = seed.index(f"{letter}1) Nhiệm vụ và giải pháp:")
        return start, re.compile(rf"{letter}\.?2\) Chỉ tiêu cụ thể").search(seed, start).start()
    part = seed.index("III. TỔ CHỨC THỰC HIỆN")
    one, two = seed.index(" 1. Yêu cầu", part), seed.index(" 2. Văn phòng Ban chịu", part)
    return {"III.1": (one, two), "III.2": (two, seed.index("Nơi nhận", two))}[ref]


def test_tasks_sit_in_their_section_under_their_unit_in_seed_order(seed, tasks):
    last: dict[str, int] = {}
    for task in tasks:
        start, end = _section(seed, task["seed_ref"])
        at = seed.index(as_in_seed(task["description"]), start)
        assert at < end, task["task_id"]
        field = SECTION_FIELD[task["seed_ref"][5]] if task["seed_ref"].startswith("II.2.") else "1"
        assert task["field_code"] == field, task["task_id"]
        # Numbered T<field>-<nn> in seed order within the field (section III follows a1 in field 1).
        assert at > last.get(field, -1), task["task_id"]
        last[field] = at
        headings = list(re.finditer(rf" - ({'|'.join(UNIT_HEADINGS)}): ", seed[start:at]))
        if task["seed_ref"] == "II.2.d1":  # d1 names no unit: the unit is an assumption, the row is derived
            assert not headings and task["provenance"] == "derived" and task["note"], task["task_id"]
        elif task["seed_ref"].startswith("III."):  # III names the unit in the sentence itself
            assert (task["seed_ref"], task["unit_id"]) in {("III.1", "cac-phong"), ("III.2", "van-phong")}
            assert task["description"].startswith(("Yêu cầu các phòng thuộc Ban", "Văn phòng Ban chịu"))
        else:
            assert UNIT_HEADINGS[headings[-1].group(1)] == task["unit_id"], task["task_id"]
    counters: dict[str, int] = {}
    for task in tasks:
        counters[task["field_code"]] = counters.get(task["field_code"], 0) + 1
        assert task["task_id"] == f"T{task['field_code']}-{counters[task['field_code']]:02d}"


def test_tasks_link_exactly_the_sub_criteria_their_text_names(tasks):
    named = {}
    for task in tasks:
        codes = re.findall(r"“\s*(\d+(?:\.\d+)+):", task["description"])
        assert task["sub_criteria"] == ";".join(codes), task["task_id"]
        named.update({code: task["task_id"] for code in codes})
    assert named == {
        "1.2.2": "T1-04",
        "1.5.1": "T1-06",
        "2.1.1.1": "T2-04",
        "3.1.2": "T3-06",
        "3.1.3": "T3-06",
        "7.2.1": "T7-05",
        "7.2.2": "T7-05",
    }


def test_kind_frequency_and_due_date_agree_and_every_assumption_is_derived(tasks):
    for task in tasks:
        if task["kind"] == "recurring":
            assert task["frequency"] in {"monthly", "quarterly", "six_monthly", "yearly"} and not task["due_date"]
        else:  # the seed gives no date for any task: every due date is an assumption
            assert task["kind"] == "one_off" and not task["frequency"], task["task_id"]
            assert task["due_date"].startswith("2023-"), task["task_id"]
        assumed = task["kind"] == "one_off" or task["seed_ref"] == "II.2.d1"
        assert task["provenance"] == ("derived" if assumed else "official"), task["task_id"]
        assert task["note"], task["task_id"]
    # The two frequencies the seed states: e1 "định kỳ hàng tháng", III.2 "định kỳ hằng quý, sáu tháng và hằng năm".
    by_id = {task["task_id"]: task for task in tasks}
    assert (by_id["T6-03"]["frequency"], by_id["T1-08"]["frequency"]) == ("monthly", "quarterly")


def test_the_named_sub_criteria_carry_the_seeds_names_in_the_framework(seed):
    quoted = dict(re.findall(r"“\s*(\d+(?:\.\d+)+): ([^”]+)”", seed))
    assert set(quoted) == {"1.2.2", "1.5.1", "2.1.1.1", "3.1.2", "3.1.3", "7.2.1", "7.2.2"}
    for year in (2022, 2023):
        framework = {row["code"]: row for row in rows(f"framework/{year}.csv")}
        for code, name in quoted.items():
            # The name is the seed's; the row's maximum is not stated in the seed, so the row is illustrative.
            assert (framework[code]["name"], framework[code]["provenance"]) == (name, "illustrative"), (year, code)


def test_the_agencys_2022_figures_are_the_seeds(seed):
    total = re.search(
        r"đạt (\d+,\d+)/100 điểm, cao hơn so với năm 2021 là (\d+,\d+) điểm, xếp vị trí thứ (\d+)/(\d+)", seed
    )
    found = {
        SEED_FIELD_NAMES[name]: (number(points), number(maximum), int(rank), int(of))
        for name, points, maximum, rank, of in re.findall(
            r"\(\d\) ([^()]+?) \((\d+(?:,\d+)?)/(\d+(?:,\d+)?) điểm, xếp vị thứ (\d+)/(\d+)\)", seed
        )
    }
    assert len(found) == 7
    published = {(int(r["year"]), r["scope"]): r for r in rows("seed/published.csv")}
    assert set(published) == {(2021, "total"), (2022, "total"), *((2022, code) for code in found)}
    mine = published[(2022, "total")]
    assert (float(mine["points"]), int(mine["rank"]), int(mine["n_ranked"])) == (
        number(total.group(1)),
        int(total.group(3)),
        int(total.group(4)),
    )
    assert float(published[(2021, "total")]["points"]) == round(number(total.group(1)) - number(total.group(2)), 2)
    for code, (points, maximum, rank, of) in found.items():
        row = published[(2022, code)]
        assert (float(row["points"]), float(row["max_points"]), int(row["rank"]), int(row["n_ranked"])) == (
            points,
            maximum,
            rank,
            of,
        )
    assert {r["provenance"] for k, r in published.items() if k[0] == 2022} == {"official"}
    assert published[(2021, "total")]["provenance"] == "derived"


def test_the_2023_targets_are_the_seeds(seed):
    targets = {(r["scope"], r["metric"]): r for r in rows("plan/targets.csv")}
    overall = re.search(r"đạt trên (\d+)/100 điểm .*?xếp vị thứ trong tốp (\d+)/(\d+)", seed)
    assert (targets[("total", "points")]["comparator"], float(targets[("total", "points")]["value"])) == (
        ">",
        float(overall.group(1)),
    )
    rank = targets[("total", "rank")]
    assert (rank["comparator"], float(rank["value"]), int(rank["out_of"])) == (
        "<=",
        float(overall.group(2)),
        int(overall.group(3)),
    )
    fields = {
        SECTION_FIELD[letter]: (number(points), number(maximum))
        for letter, points, maximum in re.findall(
            r"([a-gđ])\.?2\) Chỉ tiêu cụ thể: Phấn đấu (?:tiếp tục )?đạt chỉ số điểm (\d+,\d+)/(\d+,\d+) điểm", seed
        )
    }
    assert len(fields) == 7
    framework = {r["code"]: r for r in rows("framework/2023.csv")}
    for code, (points, maximum) in fields.items():
        assert (targets[(code, "points")]["comparator"], float(targets[(code, "points")]["value"])) == (">=", points)
        assert float(framework[code]["max_points"]) == maximum  # the 2023 field maxima (field 7: 11,5)
    assert {r["provenance"] for r in targets.values()} == {"official"}


def test_the_lost_points_are_the_seeds_sub_criteria_and_add_up_to_the_fields_losses(seed):
    lost = [r for r in rows("seed/lost_points.csv") if r["year"] == "2022"]
    quoted = set(re.findall(r"“\s*(\d+(?:\.\d+)+):[^”]+” (?:và “[^”]+” )?bị trừ điểm", seed))
    quoted |= set(re.findall(r"và “\s*(\d+(?:\.\d+)+):[^”]+” bị trừ điểm", seed))
    assert {r["code"] for r in lost} == quoted
    published = {r["scope"]: r for r in rows("seed/published.csv") if r["year"] == "2022"}
    for field in "1234567":
        loss = sum(float(r["points_lost"]) for r in lost if r["code"].split(".")[0] == field)
        expected = float(published[field]["max_points"]) - float(published[field]["points"])
        assert loss == pytest.approx(expected), field
    assert {r["provenance"] for r in lost} == {"derived"}
    assert {r["provenance"] for r in rows("seed/lost_points.csv") if r["year"] == "2021"} == {"illustrative"}


def test_units_are_the_seeds_unit_headings():
    assert {(r["unit_id"], r["name"], r["provenance"]) for r in rows("units.csv")} == {
        ("van-phong", "Văn phòng Ban", "official"),
        ("thanh-tra", "Thanh tra Ban", "official"),
        ("cac-phong", "Các phòng thuộc Ban", "official"),
    }
