"""The seeded generator of the illustrative tables of the data folder.

It reads the hand-maintained files (``sources``: the criteria trees, units, plan tasks and targets transcribed
from the seed document, and ``seed/`` — the agency's own published figures and the sub-criteria on which it lost
points) and draws what the seed does not give — the 19 anonymised peers, 2021's detail, self-assessed points,
progress updates — from a seeded ``random.Random``. The same seed and the same hand-maintained files give
byte-identical files on every run (``cchc generate-data --check`` verifies the committed folder).

The illustrative values agree with every real figure: the agency's published rank overall and in each field
comes out of the generated peer table, which the generator checks before anything is written.

``build`` returns every file of a complete data folder: the generated tables, and the hand-maintained tables
copied byte for byte (``output`` decides what may be written where).

Why this module is long: every illustrative table is drawn from one seeded random stream in a fixed order, so
that the same seed gives byte-identical files; splitting the draws across modules would hide that order.
"""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from cchc_analysis.errors import CchcDataError, CchcParameterError, Problem, ProblemCode
from cchc_analysis.sample_data import progress
from cchc_analysis.sample_data.sources import Node, Sources

__all__ = [
    "BANDS",
    "DEFAULT_SEED",
    "FIRST_YEAR",
    "Frameworks",
    "GRAIN",
    "ILLUSTRATIVE",
    "Leaf",
    "MAX_AGENCIES",
    "PEER_NOT_APPLICABLE",
    "Scale",
    "TOTAL_MAX",
    "build",
    "checked_scale",
    "leaves",
]

DEFAULT_SEED = 20230222  # the date of the review meeting that produced the plan
GRAIN = 0.25  # points are lost in quarter-point steps
TOTAL_MAX = 100.0
# Illustrative not-applicable sub-criteria (removed from the agency's own maximum).
PEER_NOT_APPLICABLE = {"co-quan-05": ("3.3.2",), "co-quan-12": ("6.2.1", "6.2.2")}
BANDS = (("tot", "Tốt", 0.9), ("kha", "Khá", 0.8), ("trung-binh", "Trung bình", 0.65), ("yeu", "Yếu", 0.0))
ILLUSTRATIVE = "illustrative"
Frameworks = dict[int, tuple[Node, ...]]


@dataclass(frozen=True)
class Leaf:
    code: str
    field: str
    maximum: float


@dataclass(frozen=True)
class Scale:
    """A larger illustrative set for load tests: ``n_agencies`` agencies over ``n_years`` years up to the plan year.

    A year without its own criteria tree gets an illustrative copy of the nearest earlier one (or of the
    earliest); the agency keeps its real figures, and is generated like its peers in the other years. Ranks are
    not constrained (the seed's ranks are among 20 agencies).
    """

    n_agencies: int = 200
    n_years: int = 10


#: Bounds of a scale set: at least one peer to rank against, at most what a load test needs (1 000 agencies ×
#: 24 years is ~1,5 million score rows); the years stay within the supported 2000–2100 up to the plan year.
MAX_AGENCIES = 1000
FIRST_YEAR = 2000


def checked_scale(agencies: int | None, years: int | None, last_year: int) -> Scale:
    """The scale asked for on the command line (a missing figure takes the default), or a parameter error."""
    scale = Scale(Scale.n_agencies if agencies is None else agencies, Scale.n_years if years is None else years)
    max_years = last_year - FIRST_YEAR + 1
    if not 2 <= scale.n_agencies <= MAX_AGENCIES:
        raise CchcParameterError(
            f"--agencies phải từ 2 đến {MAX_AGENCIES} (cơ quan của kế hoạch và ít nhất một cơ quan để so sánh), "
            f"không phải {scale.n_agencies}"
        )
    if not 1 <= scale.n_years <= max_years:
        raise CchcParameterError(
            f"--years phải từ 1 đến {max_years} (các năm từ {FIRST_YEAR} đến năm kế hoạch {last_year}), "
            f"không phải {scale.n_years}"
        )
    return scale


def leaves(nodes: tuple[Node, ...]) -> list[Leaf]:
    parents = {node.parent_code for node in nodes if node.parent_code}
    return [Leaf(node.code, node.code.split(".")[0], node.max_points) for node in nodes if node.code not in parents]


def _frameworks(sources: Sources, scale: Scale | None) -> Frameworks:
    if scale is None:
        return sources.frameworks
    last = max(sources.plan_years)
    years = set(range(last - scale.n_years + 1, last + 1)) | set(sources.frameworks) | set(sources.plan_years)
    frameworks: Frameworks = {}
    for year in sorted(years):
        if year in sources.frameworks:
            frameworks[year] = sources.frameworks[year]
            continue
        earlier = [known for known in sources.frameworks if known < year]
        model = sources.frameworks[max(earlier) if earlier else min(sources.frameworks)]
        frameworks[year] = tuple(node._replace(provenance=ILLUSTRATIVE) for node in model)
    return frameworks


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


def _share(points: dict[str, float | None], leaves_of_field: list[Leaf]) -> float:
    """An agency's points in a field as a share of the field's maximum (not-applicable leaves count as 0)."""
    got = sum(points[leaf.code] or 0.0 for leaf in leaves_of_field)
    return got / sum(leaf.maximum for leaf in leaves_of_field)


class _Unreachable(Exception):
    """The draws cannot reproduce a published figure (the seed's rows ask for something no peer table gives)."""


class _Generator:
    def __init__(self, seed_value: int, agency: str, peers: tuple[str, ...], frameworks: Frameworks):
        self.rng = random.Random(seed_value)
        self.agency = agency
        self.peers = peers
        self.frameworks = frameworks
        # points[(agency, year)] = {code: appraised points or None when not applicable}
        self.points: dict[tuple[str, int], dict[str, float | None]] = {}
        self.survey: dict[tuple[str, int], float] = {}

    def leaves(self, year: int) -> list[Leaf]:
        return leaves(self.frameworks[year])

    # -- agency's own figures -------------------------------------------------
    def agency_year(self, year: int, lost: dict[str, float], total: float) -> None:
        items = self.leaves(year)
        self.points[(self.agency, year)] = {leaf.code: leaf.maximum - lost.get(leaf.code, 0.0) for leaf in items}
        appraisal = sum(value for value in self.points[(self.agency, year)].values() if value is not None)
        self.survey[(self.agency, year)] = round(total - appraisal, 2)

    # -- peers --------------------------------------------------------------
    def peer_year(self, year: int, ranks: dict[str, int] | None, agency_index: float) -> None:
        """Draw every peer's points for ``year`` (and the agency's too, in a year the seed says nothing of).

        ``ranks`` ({'total' or field code: rank}) are the agency's published ranks the draws must reproduce.
        """
        items = self.leaves(year)
        by_field: dict[str, list[Leaf]] = {}
        for leaf in items:
            by_field.setdefault(leaf.field, []).append(leaf)
        agency = self.points.get((self.agency, year))
        above_field = {}
        if ranks:
            for code in sorted((scope for scope in ranks if scope != "total"), key=int):
                above_field[code] = set(self.rng.sample(self.peers, ranks[code] - 1))
        above_total = set(self.rng.sample(self.peers, ranks["total"] - 1)) if ranks else None
        drawn = self.peers if agency is not None else (self.agency, *self.peers)
        for peer in drawn:
            na = set(PEER_NOT_APPLICABLE.get(peer, ()))
            points: dict[str, float | None] = {}
            for field_code, field_leaves in by_field.items():
                own = [leaf for leaf in field_leaves if leaf.code not in na]
                own_max = sum(leaf.maximum for leaf in own)
                wanted = None if above_field.get(field_code) is None else peer in above_field[field_code]
                agency_share = _share(agency, field_leaves) if wanted is not None and agency is not None else None
                for _ in range(1000):
                    loss = self._field_loss(own_max)
                    share = (own_max - loss) / own_max
                    if wanted is None or (agency_share is not None and share > agency_share + 1e-9) == wanted:
                        break
                else:
                    raise _Unreachable(f"lĩnh vực {field_code} năm {year}")
                taken = _spread(self.rng, loss, own)
                points.update({leaf.code: leaf.maximum - taken[leaf.code] for leaf in own})
                points.update({code: None for code in na if code.split(".")[0] == field_code})
            self.points[(peer, year)] = points
            above = None if above_total is None else peer in above_total
            self.survey[(peer, year)] = self._survey(peer, year, above, agency_index)

    def _field_loss(self, own_max: float) -> float:
        roll = self.rng.random()
        if roll < 0.35:
            return 0.0
        steps = min(int(own_max / GRAIN), 1 + int(self.rng.expovariate(0.45)))
        return steps * GRAIN

    def _survey(self, peer: str, year: int, above: bool | None, agency_index: float) -> float:
        points = self.points[(peer, year)]
        appraisal = sum(v for v in points.values() if v is not None)
        na_max = sum(leaf.maximum for leaf in self.leaves(year) if points[leaf.code] is None)
        own_max = TOTAL_MAX - na_max
        survey_max = TOTAL_MAX - sum(leaf.maximum for leaf in self.leaves(year))
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
        raise _Unreachable(f"tổng điểm năm {year}")


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
            got = sum(points[leaf.code] or 0.0 for leaf in own)
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


def _check_published(computed: pd.DataFrame, sources: Sources, ranked: bool) -> None:
    """The agency's figures in the generated table are the seed's: points, maxima and (``ranked``) ranks."""
    mine = computed[computed["agency_id"] == sources.agency_id].set_index(["year", "scope"])
    for row in sources.published:
        got = mine.loc[(row.year, row.scope)]
        same = abs(got["points"] - row.points) < 1e-9 and abs(got["max_points"] - row.max_points) < 1e-9
        if ranked and row.year == sources.ranked_year and row.rank is not None:
            same = same and (got["rank"], got["n_ranked"]) == (row.rank, row.n_ranked)
        if not same:  # pragma: no cover - sources' cross-checks and the constrained draws make this hold
            raise AssertionError(f"generated {row.year}/{row.scope}: {got.to_dict()}, the seed says {row}")


def _draw(sources: Sources, seed_value: int, scale: Scale | None) -> tuple[_Generator, pd.DataFrame]:
    """Every agency's points and survey for every result year, and the published table they give."""
    frameworks = _frameworks(sources, scale)
    agency = sources.agency_id
    if scale is None:
        peers = tuple(f"co-quan-{n:02d}" for n in range(1, sources.n_ranked))
        years = sources.result_years
    else:
        peers = tuple(f"co-quan-{n:03d}" for n in range(1, scale.n_agencies))
        years = tuple(frameworks)
    gen = _Generator(seed_value, agency, peers, frameworks)
    for year in sources.result_years:
        gen.agency_year(year, sources.lost[year], sources.total(year))
    ranked = sources.ranked_year
    agency_index = sources.total(ranked) if ranked else sources.total(max(sources.result_years))
    try:
        for year in years:
            gen.peer_year(year, sources.ranks(year) if scale is None and year == ranked else None, agency_index)
    except _Unreachable as error:
        raise CchcDataError(
            Problem(
                "seed/published.csv",
                None,
                None,
                None,
                f"không sinh được điểm minh hoạ của các cơ quan khác cho kết quả đã công bố ({error}); "
                "kiểm tra điểm và thứ hạng của cơ quan",
                ProblemCode.UNREACHABLE_RANK,
            )
        ) from None
    published = pd.concat([_published(gen, year) for year in years], ignore_index=True)
    _check_published(published, sources, ranked=scale is None)
    return gen, published


def build(sources: Sources, seed_value: int = DEFAULT_SEED, scale: Scale | None = None) -> dict[str, bytes]:
    """Every file of a complete data folder as {relative path: content}: the hand-maintained tables as they are,
    and the generated ones."""
    gen, published = _draw(sources, seed_value, scale)
    agency = sources.agency_id
    real = {year: sources.lost_provenance[year] for year in sources.result_years}

    def order(item: tuple[tuple[str, int], object]) -> tuple[int, bool, str]:
        (who, year), _ = item
        return year, who != agency, who

    files: dict[str, str] = {}
    files["agencies.csv"] = _csv(
        ["agency_id", "name", "short_name", "provenance"],
        [[sources.agency[column] for column in ("agency_id", "name", "short_name", "provenance")]]
        + [
            [peer, f"Cơ quan {peer.rsplit('-', 1)[1]} (ẩn danh)", f"Cơ quan {peer.rsplit('-', 1)[1]}", ILLUSTRATIVE]
            for peer in gen.peers
        ],
    )
    for year, nodes in gen.frameworks.items():
        if year not in sources.frameworks:  # a scale year: an illustrative copy of a maintained tree
            body = [[n.code, n.parent_code, n.level, n.name, n.max_points, n.provenance] for n in nodes]
            files[f"framework/{year}.csv"] = _csv(
                ["code", "parent_code", "level", "name", "max_points", "provenance"], body
            )

    score_rows = []
    for (who, year), points in sorted(gen.points.items(), key=order):
        for leaf in gen.leaves(year):
            value = points[leaf.code]
            if value is None:
                score_rows.append([who, year, leaf.code, None, None, "có", ILLUSTRATIVE])
                continue
            lost = leaf.maximum - value
            claims_full = lost > 0 and gen.rng.random() < 0.5
            self_points = leaf.maximum if claims_full else value
            provenance = real.get(year, ILLUSTRATIVE) if who == agency else ILLUSTRATIVE
            score_rows.append([who, year, leaf.code, float(self_points), float(value), "không", provenance])
    files["results/scores.csv"] = _csv(
        ["agency_id", "year", "code", "self_points", "appraised_points", "not_applicable", "provenance"], score_rows
    )

    survey_rows = []
    for (who, year), survey in sorted(gen.survey.items(), key=order):
        survey_max = TOTAL_MAX - sum(leaf.maximum for leaf in gen.leaves(year))
        # The agency's survey is its total minus its appraisal: as real as the split of its lost points.
        provenance = real.get(year, ILLUSTRATIVE) if who == agency else ILLUSTRATIVE
        survey_rows.append([who, year, float(survey), float(survey_max), provenance])
    files["results/survey.csv"] = _csv(["agency_id", "year", "survey_points", "survey_max", "provenance"], survey_rows)

    computed = published.set_index(["agency_id", "year", "scope"])
    published_rows = []
    for row in sources.published:  # the seed's rows; a rank among a scale set's peers is the computed one
        rank, n_ranked = (None, None)
        if row.rank is not None:
            got = computed.loc[(agency, row.year, row.scope)]
            rank, n_ranked = int(got["rank"]), int(got["n_ranked"])
        published_rows.append(
            [agency, row.year, row.scope, row.points, row.max_points, rank, n_ranked, row.source, row.provenance]
        )
    for record in published.itertuples():
        if record.agency_id == agency and record.year in real:
            continue
        published_rows.append(
            [
                record.agency_id,
                record.year,
                record.scope,
                float(record.points),
                float(record.max_points),
                int(record.rank),
                int(record.n_ranked),
                "",
                ILLUSTRATIVE,
            ]
        )
    published_rows.sort(key=lambda r: (r[1], r[0] != agency, r[0], r[2] != "total", r[2]))
    files["results/published.csv"] = _csv(
        ["agency_id", "year", "scope", "points", "max_points", "rank", "n_ranked", "source", "provenance"],
        published_rows,
    )

    files["progress/progress.csv"] = _csv(progress.COLUMNS, progress.progress_rows(gen.rng, sources))
    files["config/bands.csv"] = _csv(
        ["year", "band_id", "label", "min_share", "provenance"],
        [[year, band, label, float(share), ILLUSTRATIVE] for year in gen.frameworks for band, label, share in BANDS],
    )
    return {**sources.copies, **{path: content.encode("utf-8") for path, content in files.items()}}
