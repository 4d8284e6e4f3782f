"""The documentation matches the code: every column is documented, and CI runs the README's test command."""

from __future__ import annotations

import re
from pathlib import Path

from cchc_analysis.ingest import tables

ROOT = Path(__file__).resolve().parents[1]


def test_data_readme_documents_every_column_of_every_table():
    text = (ROOT / "data" / "README.md").read_text(encoding="utf-8")
    for spec in tables.TABLES:
        heading = spec.path.replace("*", "<year>")
        section = re.search(rf"### `{re.escape(heading)}\.csv`(.*?)(?=\n### |\Z)", text, re.S)
        assert section, f"data/README.md has no section for {heading}.csv"
        documented = set(re.findall(r"^\| `([a-z_]+)` \|", section.group(1), re.M))
        assert documented == set(spec.column_names), (spec.name, documented ^ set(spec.column_names))


def _readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```(?:bash|sh)?\n(.*?)```", text, re.S)
    assert block, "README.md must open with a code block holding the two commands"
    return [line for line in block.group(1).splitlines() if line.strip() and not line.startswith("#")]


def test_readme_opens_with_two_commands_and_ci_runs_the_second():
    commands = _readme_commands()
    assert len(commands) == 2, commands
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    ci_commands = [line for line in ci.splitlines() if line.strip() and not line.startswith(("#", "set ", "cd "))]
    assert ci_commands == [commands[1]]


def test_data_readme_lists_every_vietnamese_column_name():
    from cchc_analysis.ingest import headers

    text = (ROOT / "data" / "README.md").read_text(encoding="utf-8")
    section = re.search(r"## Vietnamese column names(.*?)(?=\n## )", text, re.S)
    assert section, "data/README.md has no section 'Vietnamese column names'"
    listed = {
        (column, table): tuple(name.strip() for name in names.split(","))
        for column, table, names in re.findall(r"^\| `([a-z_]+)` \(([a-z ]+)\) \| (.+?) \|$", section.group(1), re.M)
    }
    expected = {(column, "every table"): names for column, names in headers.ALIASES.items()}
    expected |= {(column, table): names for (table, column), names in headers.TABLE_ALIASES.items()}
    assert listed == expected


def test_no_two_columns_of_a_table_share_a_header():
    from cchc_analysis.ingest import headers

    for spec in (*tables.TABLES, *tables.DOCUMENT_TABLES):
        keys = [headers.header_key(c.name) for c in spec.columns]
        keys += [headers.header_key(alias) for c in spec.columns for alias in headers.aliases(spec.name, c.name)]
        assert len(keys) == len(set(keys)), (spec.name, sorted(k for k in keys if keys.count(k) > 1))


def test_architecture_page_names_every_layer_and_readme_links_it():
    """docs/architecture.md names every top-level module and folder the layer test knows, and the README links it."""
    from test_architecture import LAYERS

    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    package = ROOT / "cchc_analysis"
    on_disk = {p.stem for p in package.glob("*.py")} | {
        p.name for p in package.iterdir() if (p / "__init__.py").exists()
    }
    assert on_disk - {"__init__"} <= set(LAYERS), "a new module or folder needs a layer in tests/test_architecture.py"
    unnamed = [name for name in sorted(set(LAYERS) - {"__init__"}) if not re.search(rf"`{name}(\.py|/)`", text)]
    assert not unnamed, f"docs/architecture.md does not name {unnamed}"
    assert "](docs/architecture.md)" in (ROOT / "README.md").read_text(encoding="utf-8")
