"""Warm kernels (cchc_analysis.render.kernels): one kernel per worker runs notebook after notebook, and nothing a
notebook does to the kernel's state reaches the next one; after an error or a monkeypatch the next notebook gets a
fresh kernel."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from cchc_analysis.errors import CchcReportError
from cchc_analysis.render import Renderer
from cchc_analysis.render.kernels import notebook_imports

KERNELSPEC = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}

LEAKS = [
    "marker: str = ''",
    "\n".join(
        [
            "import os, sys, warnings, json as leaked_module",
            "import matplotlib, matplotlib.pyplot as plt, numpy as np, pandas as pd",
            "leaked = 'from the first notebook'",
            "matplotlib.rcParams['lines.linewidth'] = 7.5",
            "plt.figure()  # left open",
            "pd.set_option('display.max_rows', 3)",
            "os.chdir('/')",
            "os.environ['CCHC_LEAK'] = '1'",
            "sys.path.append('/leaked-path')",
            "sys.argv.append('--leaked')",
            "warnings.simplefilter('error')",
            "np.random.seed(1234)",
            "get_ipython().display_formatter.formatters['text/plain'].for_type(int, lambda o, p, c: p.text('LEAK'))",
            "get_ipython().run_line_magic('config', \"InlineBackend.figure_formats = ['svg']\")",
        ]
    ),
]

CHECKS = [
    "cwd: str = ''",
    "\n".join(
        [
            "import os, sys, warnings",
            "import matplotlib, matplotlib.pyplot as plt, numpy as np, pandas as pd",
            "from matplotlib_inline.config import InlineBackend",
            "assert 'leaked' not in globals() and 'leaked_module' not in globals(), sorted(globals())",
            "assert matplotlib.rcParams['lines.linewidth'] != 7.5",
            "assert plt.get_fignums() == []",
            "assert pd.get_option('display.max_rows') == 60",
            "assert os.getcwd() == cwd, os.getcwd()",
            "assert 'CCHC_LEAK' not in os.environ",
            "assert '/leaked-path' not in sys.path and '--leaked' not in sys.argv",
            "assert not any(f[0] == 'error' and f[2] is Warning for f in warnings.filters), warnings.filters[:3]",
            "assert np.random.randint(0, 2**31) != np.random.RandomState(1234).randint(0, 2**31)",
            "assert 'svg' not in InlineBackend.instance().figure_formats",
        ]
    ),
    "41 + 1",  # shown with the default formatter, as In [3]
]


def _notebook(folder: Path, name: str, cells: list[str]) -> Path:
    nb = new_notebook(metadata=KERNELSPEC)
    nb.cells = [new_code_cell(source) for source in cells]
    nb.cells[0].metadata["tags"] = ["parameters"]
    path = folder / f"{name}.ipynb"
    nbformat.write(nb, path)
    return path


@pytest.fixture
def renderer(tmp_path):
    folder = tmp_path / "notebooks"
    folder.mkdir()
    warm = Renderer(cwd=folder, warm=True, timeout=60)
    yield warm
    warm.release_kernel()
    warm.close()


def test_nothing_leaks_from_one_notebook_to_the_next_on_a_warm_kernel(renderer, tmp_path):
    folder = Path(renderer.cwd)
    leaks, checks = _notebook(folder, "leaks", LEAKS), _notebook(folder, "checks", CHECKS)
    out = tmp_path / "out"
    renderer.execute(leaks, out / "leaks.ipynb", {"marker": "a"})
    executed = renderer.execute(checks, out / "checks.ipynb", {"cwd": str(folder)})
    assert renderer.kernels_started == 1  # the same kernel ran both
    cells = json.loads(executed.read_text(encoding="utf-8"))["cells"]
    code = [cell for cell in cells if cell["cell_type"] == "code"]
    assert [cell["execution_count"] for cell in code] == [1, 2, 3, 4]  # a new session: counted from 1 again
    assert "".join(code[-1]["outputs"][0]["data"]["text/plain"]) == "42"  # the printer registered for int is gone


def test_a_failing_notebook_gets_its_kernel_replaced(renderer, tmp_path):
    folder = Path(renderer.cwd)
    broken = _notebook(folder, "broken", ["marker: str = ''", "leaked = 1\n1 / 0"])
    checks = _notebook(folder, "checks", CHECKS)
    with pytest.raises(CchcReportError, match="ZeroDivisionError"):
        renderer.execute(broken, tmp_path / "out" / "broken.ipynb", {"marker": "a"})
    assert (tmp_path / "out" / "broken.failed.ipynb").is_file()
    renderer.execute(checks, tmp_path / "out" / "checks.ipynb", {"cwd": str(folder)})
    assert renderer.kernels_started == 2


def test_a_notebook_that_patches_the_package_gets_its_kernel_replaced(renderer, tmp_path):
    folder = Path(renderer.cwd)
    patches = _notebook(
        folder, "patches", ["marker: str = ''", "import cchc_analysis.fmt as fmt\nfmt.number = lambda *a, **k: 'X'"]
    )
    reads = _notebook(
        folder, "reads", ["marker: str = ''", "import cchc_analysis.fmt as fmt\nassert fmt.number(1.5) == '1,5'"]
    )
    renderer.execute(patches, tmp_path / "out" / "patches.ipynb", {"marker": "a"})
    renderer.execute(reads, tmp_path / "out" / "reads.ipynb", {"marker": "b"})
    assert renderer.kernels_started == 2


def test_the_warm_up_imports_what_the_notebooks_import(tmp_path):
    path = _notebook(
        tmp_path,
        "imports",
        [
            "x: int = 1",
            "from cchc_analysis.present import briefing\nimport numpy as np\nfrom . import nothing",
            "%time 1",
        ],
    )
    found = notebook_imports([path])
    assert {"pandas", "matplotlib.pyplot", "cchc_analysis.present", "cchc_analysis.present.briefing", "numpy"} <= set(
        found
    )


def test_a_client_is_ready_even_when_a_reply_to_an_earlier_request_waits_in_its_queue():
    """A kernel slow to start makes the client ask for kernel_info again; the first reply then arrives while the
    client waits for the second. Counting only the reply to the latest request kept the client one reply behind
    until its deadline ("Kernel didn't respond in 60 seconds", seen under load); any kernel_info reply counts."""
    import asyncio
    import time

    from jupyter_client.utils import run_sync

    from cchc_analysis.render.execute import KERNEL_NAME, quiet_kernel_manager

    km = quiet_kernel_manager()(kernel_name=KERNEL_NAME)
    run_sync(km.start_kernel)()
    client = km.client()
    try:
        client.start_channels()
        client.kernel_info()  # an earlier request, whose reply will be waiting, unread, in the shell queue
        time.sleep(3)
        started = time.monotonic()
        asyncio.run(client.wait_for_ready(timeout=10))
        assert time.monotonic() - started < 10
    finally:
        client.stop_channels()
        run_sync(km.shutdown_kernel)(now=True)
