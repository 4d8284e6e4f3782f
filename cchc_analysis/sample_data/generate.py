"""The seeded generator of the embedded data folder.

It writes every table of ``data/`` from the seed's real figures
(``seed_facts``), the criteria tree (``framework_spec``) and the plan's tasks
(``plan_tasks``), and fills what the seed does not give — the 19 anonymised
peers, the split of points below field level, 2021's detail, self-assessed
points, progress updates — with illustrative values drawn from a seeded
``random.Random``. The same seed gives byte-identical files on every run
(``cchc generate-data --check`` verifies the committed folder).

The illustrative values agree with every real figure: the agency's published
rank overall and in each field comes out of the generated peer table, which
the generator checks before writing anything.

Why this module is long: every illustrative table is drawn from one seeded random stream in a fixed order, so
that the same seed gives byte-identical files; splitting the draws across modules would hide that order.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import pandas as pd

from cchc_analysis.domain.periods import quarter
from cchc_analysis.files import write_text_atomic
from cchc_analysis.sample_data import seed_facts as seed
from cchc_analysis.sample_data.framework_spec import FRAMEWORKS, SEED_CODES
from cchc_analysis.sample_data.plan_tasks import TASKS

DEFAULT_SEED = 20230222  # the date of the review meeting that produced the plan
RESULT_YEARS = (2021, 2022)
REAL_YEARS = (2021, 2022)  # years whose figures for the agency come from the seed
GRAIN = 0.25  # points are lost in quarter-point steps
TOTAL_MAX = 100.0
PEERS = tuple(f"co-quan-{n:02d}" for n in range(1, seed.N_AGENCIES))
# Illustrative not-applicable sub-criteria (removed from the agency's own maximum).
PEER_NOT_APPLICABLE = {"co-quan-05": ("3.3.2",), "co-quan-12": ("6.2.1", "6.2.2")}
# Illustrative: how the agency lost its 2021 points (total 78,73 is real).
AGENCY_LOST_2021 = {
    "1.1.2": 0.5,
    "1.5.1": 1.0,
    "2.1.1.1": 0.5,
    "2.2.2": 0.5,
    "3.1.2": 0.5,
    "3.3.1": 0.5,
    "5.4.2": 0.5,
    "7.1.2": 0.5,
    "7.2.1": 1.5,
    "7.2.2": 1.0,
}
BANDS = (("tot", "Tốt", 0.9), ("kha", "Khá", 0.8), ("trung-binh", "Trung bình", 0.65), ("yeu", "Yếu", 0.0))
ILLUSTRATIVE = "illustrative"


@dataclass(frozen=True)
class Leaf:
    code: str
    field: str
    maximum: float


@dataclass(frozen=True)
class Scale:
    """What to generate: the embedded data by default; a larger set for load tests (``scale_data``)."""

    peers: tuple[str, ...] = PEERS
    frameworks: dict[int, tuple[tuple[str, str, float], ...]] | None = None  # None: FRAMEWORKS
    result_years: tuple[int, ...] = RESULT_YEARS

    @property
    def framework_years(self) -> dict[int, tuple[tuple[str, str, float], ...]]:
        return self.frameworks or FRAMEWORKS


def scale_data(n_agencies: int = 200, n_years: int = 10, last_year: int = 2023) -> Scale:
    """A larger illustrative set: ``n_agencies`` agencies scored over ``n_years`` years up to ``last_year``.

    Years before 2023 use the 2022 criteria tree and 2023 uses its own; the agency keeps its real 2021 and
    2022 figures, and is generated like its peers in the other years. Ranks are not constrained (the seed's
    ranks are among 20 agencies).
    """
    years = tuple(range(last_year - n_years + 1, last_year + 1))
    frameworks = {year: FRAMEWORKS.get(year, FRAMEWORKS[2022]) for year in years}
    frameworks.setdefault(seed.TARGET_YEAR, FRAMEWORKS[seed.TARGET_YEAR])
    peers = tuple(f"co-quan-{n:03d}" for n in range(1, n_agencies))
    return Scale(peers, frameworks, years)


def leaves(year: int, frameworks: dict[int, tuple[tuple[str, str, float], ...]] = FRAMEWORKS) -> list[Leaf]:
    rows = frameworks[year]
    parents = {code.rsplit(".", 1)[0] for code, _, _ in rows if "." in code}
    return [Leaf(code, code.split(".")[0], maximum) for code, _, maximum in rows if code not in parents]


def _num(value: float | int | None) -> str:
    if value is None:
        return ""
    value = round(float(value), 2)
    return str(int(value)) if value.is_integer() else f"{value:.2f}".rstrip("0")


def _csv(header: list[str], rows: Sequence[Sequence[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if cell is None else _num(cell) if isinstance(cell, float) else cell for cell in row])
    return buffer.getvalue()


def _spread(rng: random.Random, loss: float, items: list[Leaf]) -> dict[str, float]:
    """Split ``loss`` points over ``items`` in GRAIN steps, never beyond a leaf's maximum."""
    taken = {leaf.code: 0.0 for leaf in items}
    steps = round(loss / GRAIN)
    for _ in range(steps):
        open_leaves = [leaf for leaf in items if taken[leaf.code] + GRAIN <= leaf.maximum + 1e-9]
        leaf = rng.choice(open_leaves)
        taken[leaf.code] += GRAIN
    return taken


class _Generator:
    def __init__(
        self,
        seed_value: int,
        peers: tuple[str, ...] = PEERS,
        frameworks: dict[int, tuple[tuple[str, str, float], ...]] = FRAMEWORKS,
    ):
        self.rng = random.Random(seed_value)
        self.peers = peers
        self.frameworks = frameworks
        # points[(agency, year)] = {code: appraised points or None when not applicable}
        self.points: dict[tuple[str, int], dict[str, float | None]] = {}
        self.survey: dict[tuple[str, int], float] = {}

    def leaves(self, year: int) -> list[Leaf]:
        return leaves(year, self.frameworks)

    # -- agency's own figures -------------------------------------------------
    def agency_year(self, year: int, lost: dict[str, float]) -> None:
        items = self.leaves(year)
        self.points[(seed.AGENCY_ID, year)] = {leaf.code: leaf.maximum - lost.get(leaf.code, 0.0) for leaf in items}
        appraisal = sum(cast("dict[str, float]", self.points[(seed.AGENCY_ID, year)]).values())
        total = seed.TOTAL_2022 if year == 2022 else seed.TOTAL_2021
        self.survey[(seed.AGENCY_ID, year)] = round(total - appraisal, 2)

    # -- peers --------------------------------------------------------------
    def peer_year(self, year: int, constrained: bool) -> None:
        """Draw every peer's points for ``year`` (and the agency's too, in a year the seed says nothing of)."""
        items = self.leaves(year)
        by_field: dict[str, list[Leaf]] = {}
        for leaf in items:
            by_field.setdefault(leaf.field, []).append(leaf)
        agency = self.points.get((seed.AGENCY_ID, year))
        above_field: dict[str, set[str] | None] = {}
        for code, (_, _, rank) in seed.FIELDS_2022.items():
            above_field[code] = set(self.rng.sample(self.peers, rank - 1)) if constrained else None
        above_total = set(self.rng.sample(self.peers, seed.RANK_2022 - 1)) if constrained else None
        drawn = self.peers if agency is not None else (seed.AGENCY_ID, *self.peers)
        for peer in drawn:
            na = set(PEER_NOT_APPLICABLE.get(peer, ()))
            points: dict[str, float | None] = {}
            for field_code, field_leaves in by_field.items():
                own = [leaf for leaf in field_leaves if leaf.code not in na]
                own_max = sum(leaf.maximum for leaf in own)
                above = above_field.get(field_code)
                wanted = None if above is None else peer in above
                agency_share = (
                    sum(cast("dict[str, float]", agency)[leaf.code] for leaf in field_leaves)
                    / sum(leaf.maximum for leaf in field_leaves)
                    if wanted is not None
                    else None
                )
                for _ in range(1000):
                    loss = self._field_loss(own_max)
                    share = (own_max - loss) / own_max
                    if wanted is None or (share > cast(float, agency_share) + 1e-9) == wanted:
                        break
                else:  # pragma: no cover - the distributions always allow a draw
                    raise RuntimeError(f"cannot draw field {field_code} for {peer}")
                taken = _spread(self.rng, loss, own)
                points.update({leaf.code: leaf.maximum - taken[leaf.code] for leaf in own})
                points.update({code: None for code in na if code.split(".")[0] == field_code})
            self.points[(peer, year)] = points
            self.survey[(peer, year)] = self._survey(peer, year, None if above_total is None else peer in above_total)

    def _field_loss(self, own_max: float) -> float:
        roll = self.rng.random()
        if roll < 0.35:
            return 0.0
        steps = min(int(own_max / GRAIN), 1 + int(self.rng.expovariate(0.45)))
        return steps * GRAIN

    def _survey(self, peer: str, year: int, above: bool | None) -> float:
        points = self.points[(peer, year)]
        appraisal = sum(v for v in points.values() if v is not None)
        na_max = sum(leaf.maximum for leaf in self.leaves(year) if points[leaf.code] is None)
        own_max = TOTAL_MAX - na_max
        survey_max = TOTAL_MAX - sum(leaf.maximum for leaf in self.leaves(year))
        agency_index = seed.TOTAL_2022
        for _ in range(1000):
            if above is None:
                index = self.rng.uniform(72.0, 92.0)
            elif above:
                index = self.rng.uniform(agency_index + 0.3, 92.5)
            else:
                index = self.rng.uniform(71.0, agency_index - 0.3)
            survey = round(index * own_max / TOTAL_MAX - appraisal, 2)
            if 0.45 * survey_max <= survey <= 0.97 * survey_max:
                computed = round((appraisal + survey) / own_max * TOTAL_MAX, 2)
                if above is None or (computed > agency_index) == above:
                    return survey
        raise RuntimeError(f"cannot draw a survey score for {peer} {year}")  # pragma: no cover


def _published(gen: _Generator, year: int) -> pd.DataFrame:
    """Totals, field points and competition ranks as a province would publish them."""
    items = gen.leaves(year)
    rows = []
    for (agency, y), points in gen.points.items():
        if y != year:
            continue
        appraisal = sum(v for v in points.values() if v is not None)
        own_max = TOTAL_MAX - sum(leaf.maximum for leaf in items if points[leaf.code] is None)
        index = round((appraisal + gen.survey[(agency, y)]) / own_max * TOTAL_MAX, 2)
        rows.append(
            {"agency_id": agency, "scope": "total", "points": index, "max_points": TOTAL_MAX, "share": index / 100}
        )
        for field_code in sorted({leaf.field for leaf in items}, key=int):
            own = [leaf for leaf in items if leaf.field == field_code and points[leaf.code] is not None]
            got = sum(cast(float, points[leaf.code]) for leaf in own)
            field_max = sum(leaf.maximum for leaf in own)
            rows.append(
                {
                    "agency_id": agency,
                    "scope": field_code,
                    "points": got,
                    "max_points": field_max,
                    "share": round(got / field_max, 6),
                }
            )
    table = pd.DataFrame(rows)
    table["rank"] = table.groupby("scope")["share"].rank(method="min", ascending=False).astype(int)
    table["n_ranked"] = table.groupby("scope")["agency_id"].transform("count")
    table["year"] = year
    return table


def _check_agency_2022(published: pd.DataFrame) -> None:
    mine = published[published["agency_id"] == seed.AGENCY_ID].set_index("scope")
    assert abs(mine.at["total", "points"] - seed.TOTAL_2022) < 1e-9, mine
    assert mine.at["total", "rank"] == seed.RANK_2022, mine
    for code, (points, maximum, rank) in seed.FIELDS_2022.items():
        assert (mine.at[code, "points"], mine.at[code, "max_points"], mine.at[code, "rank"]) == (
            points,
            maximum,
            rank,
        ), code


def _progress_rows(rng: random.Random) -> list[list[object]]:
    """Illustrative quarterly updates: most tasks on time, some late, the online-service tasks stuck mid-year."""
    quarters = [quarter(seed.TARGET_YEAR, index) for index in range(1, 5)]
    rows: list[list[object]] = []
    skipped = {("T5-04", 3), ("T6-02", 4)}  # missing updates, to show that they are flagged
    for task in TASKS:
        profile = rng.choices(("on_time", "late", "slow_start"), weights=(70, 22, 8))[0]
        due = dt.date.fromisoformat(task.due_date) if task.due_date else None
        for period in quarters:
            if (task.task_id, period.index) in skipped:
                continue
            updated = period.end - dt.timedelta(days=rng.randint(3, 9))
            status, percent, note = _update(task, period, due, profile, rng)
            rows.append([task.task_id, period.id, status, float(percent), updated.isoformat(), note, ILLUSTRATIVE])
    return rows


def _update(task, period, due, profile, rng) -> tuple[str, int, str]:
    online = {"7.2.1", "7.2.2"} & set(task.sub_criteria)
    if online:
        script = {
            1: ("in_progress", 25, "Đã hướng dẫn tiếp nhận hồ sơ trực tuyến; chưa phát sinh hồ sơ"),
            2: ("blocked", 35, "Chưa phát sinh hồ sơ trực tuyến: việc bình chọn người có uy tín thực hiện vào quý IV"),
            3: ("in_progress", 60, "Đã phối hợp các huyện hướng dẫn người dân nộp hồ sơ trực tuyến"),
            4: ("done", 100, "Đã phát sinh và giải quyết hồ sơ trực tuyến đúng hạn"),
        }
        return script[period.index]
    if task.kind == "recurring":
        if profile == "late" and period.index == 2:
            return "in_progress", 70, "Chậm gửi báo cáo tháng cuối quý"
        return "done", 100, "Đã thực hiện trong kỳ"
    due_q = (due.month - 1) // 3 + 1
    finish_q = due_q + (1 if profile == "late" else 0)
    if period.index >= finish_q and not (profile == "late" and due_q == 4 and period.index == 4):
        return "done", 100, "Đã hoàn thành"
    if profile == "slow_start" and period.index == 1:
        return "not_started", 0, "Chưa triển khai"
    share = period.index / max(finish_q, 1)
    percent = min(90, max(10, int(round(share * 80 / 5.0)) * 5))
    if profile == "late" and period.index >= due_q:
        return "in_progress", percent, "Chậm so với hạn; đang hoàn thiện"
    return "in_progress", percent, "Đang triển khai theo kế hoạch"


def build(seed_value: int = DEFAULT_SEED, scale: Scale | None = None) -> dict[str, str]:
    """Every file of the data folder as {relative path: CSV text}."""
    scale = scale or Scale()
    frameworks = scale.framework_years
    default = scale == Scale()
    gen = _Generator(seed_value, scale.peers, frameworks)
    gen.agency_year(2021, AGENCY_LOST_2021)
    gen.agency_year(2022, seed.LOST_2022)
    for year in scale.result_years:
        gen.peer_year(year, constrained=default and year == 2022)
    published = pd.concat([_published(gen, year) for year in scale.result_years], ignore_index=True)
    if default:
        _check_agency_2022(published[published["year"] == 2022])

    files: dict[str, str] = {}
    files["agencies.csv"] = _csv(
        ["agency_id", "name", "short_name", "provenance"],
        [[seed.AGENCY_ID, seed.AGENCY_NAME, seed.AGENCY_SHORT_NAME, "official"]]
        + [
            [peer, f"Cơ quan {peer.rsplit('-', 1)[1]} (ẩn danh)", f"Cơ quan {peer.rsplit('-', 1)[1]}", ILLUSTRATIVE]
            for peer in scale.peers
        ],
    )
    files["units.csv"] = _csv(["unit_id", "name", "provenance"], [[k, v, "official"] for k, v in seed.UNITS.items()])
    for year, rows in frameworks.items():
        body = []
        for code, name, maximum in rows:
            depth = code.count(".") + 1
            level = {1: "field", 2: "criterion", 3: "sub_criterion"}.get(depth, "detail")
            real = code in SEED_CODES and year in (2022, 2023) and rows is FRAMEWORKS[year]
            body.append(
                [
                    code,
                    code.rsplit(".", 1)[0] if depth > 1 else "",
                    level,
                    name,
                    float(maximum),
                    "official" if real else ILLUSTRATIVE,
                ]
            )
        files[f"framework/{year}.csv"] = _csv(
            ["code", "parent_code", "level", "name", "max_points", "provenance"], body
        )

    score_rows = []
    for (agency, year), points in sorted(
        gen.points.items(), key=lambda item: (item[0][1], item[0][0] != seed.AGENCY_ID, item[0][0])
    ):
        for leaf in gen.leaves(year):
            value = points[leaf.code]
            if value is None:
                score_rows.append([agency, year, leaf.code, None, None, "có", ILLUSTRATIVE])
                continue
            lost = leaf.maximum - value
            claims_full = lost > 0 and gen.rng.random() < 0.5
            self_points = leaf.maximum if claims_full else value
            provenance = "derived" if (agency, year) == (seed.AGENCY_ID, 2022) else ILLUSTRATIVE
            score_rows.append([agency, year, leaf.code, float(self_points), float(value), "không", provenance])
    files["results/scores.csv"] = _csv(
        ["agency_id", "year", "code", "self_points", "appraised_points", "not_applicable", "provenance"], score_rows
    )

    survey_rows = []
    for (agency, year), survey in sorted(
        gen.survey.items(), key=lambda item: (item[0][1], item[0][0] != seed.AGENCY_ID, item[0][0])
    ):
        survey_max = TOTAL_MAX - sum(leaf.maximum for leaf in gen.leaves(year))
        # 2022: 82,91 minus the official field points; 2021 rests on an illustrative split.
        provenance = "derived" if (agency, year) == (seed.AGENCY_ID, 2022) else ILLUSTRATIVE
        survey_rows.append([agency, year, float(survey), float(survey_max), provenance])
    files["results/survey.csv"] = _csv(["agency_id", "year", "survey_points", "survey_max", "provenance"], survey_rows)

    published_rows = []
    for record in published.sort_values(
        ["year", "agency_id"], key=lambda s: s if s.name != "agency_id" else s != seed.AGENCY_ID, kind="stable"
    ).itertuples():
        if record.agency_id == seed.AGENCY_ID and record.year == 2021:
            if record.scope == "total":
                published_rows.append(
                    [
                        record.agency_id,
                        2021,
                        "total",
                        seed.TOTAL_2021,
                        TOTAL_MAX,
                        None,
                        None,
                        seed.PUBLISHED_SOURCE_2021,
                        "derived",
                    ]
                )
            continue
        official = record.agency_id == seed.AGENCY_ID and record.year == 2022
        published_rows.append(
            [
                record.agency_id,
                record.year,
                record.scope,
                float(record.points),
                float(record.max_points),
                int(record.rank),
                int(record.n_ranked),
                seed.PUBLISHED_SOURCE_2022 if official else "",
                "official" if official else ILLUSTRATIVE,
            ]
        )
    published_rows.sort(key=lambda r: (r[1], r[0] != seed.AGENCY_ID, r[0], r[2] != "total", r[2]))
    files["results/published.csv"] = _csv(
        ["agency_id", "year", "scope", "points", "max_points", "rank", "n_ranked", "source", "provenance"],
        published_rows,
    )

    task_rows = []
    for task in TASKS:
        assumed = (not task.unit_from_seed) or (task.kind == "one_off" and not task.due_date_from_seed)
        task_rows.append(
            [
                task.task_id,
                seed.AGENCY_ID,
                seed.TARGET_YEAR,
                task.field_code,
                task.unit,
                task.description,
                ";".join(task.sub_criteria),
                task.kind,
                task.frequency,
                task.due_date,
                task.seed_ref,
                task.note,
                "derived" if assumed else "official",
            ]
        )
    files["plan/tasks.csv"] = _csv(
        [
            "task_id",
            "agency_id",
            "plan_year",
            "field_code",
            "unit_id",
            "description",
            "sub_criteria",
            "kind",
            "frequency",
            "due_date",
            "seed_ref",
            "note",
            "provenance",
        ],
        task_rows,
    )

    target_rows = [
        [seed.AGENCY_ID, seed.TARGET_YEAR, "total", "points", ">", seed.TARGET_TOTAL, None, "official"],
        [seed.AGENCY_ID, seed.TARGET_YEAR, "total", "rank", "<=", float(seed.TARGET_RANK), seed.N_AGENCIES, "official"],
    ]
    target_rows += [
        [seed.AGENCY_ID, seed.TARGET_YEAR, code, "points", ">=", value, None, "official"]
        for code, value in seed.TARGET_FIELDS.items()
    ]
    files["plan/targets.csv"] = _csv(
        ["agency_id", "year", "scope", "metric", "comparator", "value", "out_of", "provenance"], target_rows
    )

    files["progress/progress.csv"] = _csv(
        ["task_id", "period", "status", "percent_done", "updated_on", "note", "provenance"], _progress_rows(gen.rng)
    )

    files["config/bands.csv"] = _csv(
        ["year", "band_id", "label", "min_share", "provenance"],
        [[year, band, label, float(share), ILLUSTRATIVE] for year in frameworks for band, label, share in BANDS],
    )
    return files


def write(out_dir: Path, seed_value: int = DEFAULT_SEED, scale: Scale | None = None) -> list[Path]:
    """Write the generated files under ``out_dir`` (each atomically); return their paths."""
    written = []
    for relative, content in build(seed_value, scale).items():
        target = Path(out_dir) / relative
        write_text_atomic(target, content)
        written.append(target)
    return written


def differences(out_dir: Path, seed_value: int = DEFAULT_SEED, scale: Scale | None = None) -> list[str]:
    """Relative paths whose content differs from what the generator writes (missing files included)."""
    changed = []
    for relative, content in build(seed_value, scale).items():
        target = Path(out_dir) / relative
        if not target.exists() or target.read_text(encoding="utf-8") != content:
            changed.append(relative)
    return changed
