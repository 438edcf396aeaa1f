"""The repository's notebooks: each runs headless against `kedro run --env local` of the demo
region and shows that run's figures, and each is committed without outputs.
"""

from __future__ import annotations

import json
import math
import re
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))

# Seconds per cell: the explore notebook's first cells start Spark and the metastore.
CELL_TIMEOUT = 600
KERNEL_ENV = {"KEDRO_DISABLE_TELEMETRY": "1", "DO_NOT_TRACK": "1", "SPARK_LOCAL_IP": "127.0.0.1"}
ANSI = re.compile(r"\x1b\[[0-9;]*m")  # kedro's IPython extension colours text outputs with rich


def test_committed_notebooks_have_no_outputs():
    assert NOTEBOOKS, "no notebooks in notebooks/"
    dirty = [
        f"{path.name} cell {cell.get('id', index)}"
        for path in NOTEBOOKS
        for index, cell in enumerate(json.loads(path.read_text())["cells"])
        if cell["cell_type"] == "code" and (cell["outputs"] or cell["execution_count"])
    ]
    assert not dirty, (
        "Commit notebooks without outputs or execution counts (diffs then show code "
        f"only); these cells have some: {', '.join(dirty)}. Strip them with "
        "`nbstripout notebooks/*.ipynb` or "
        "`jupyter nbconvert --clear-output --inplace notebooks/*.ipynb`."
    )


@pytest.fixture(scope="module")
def kernels(tmp_path_factory) -> Path:
    """A Jupyter data dir whose `python3` kernel is this Python with the test environment.

    Put first on `JUPYTER_PATH`, it wins over any other `python3` kernel on the
    machine, so the notebooks import the `geodata` the tests import.
    """
    from ipykernel.kernelspec import write_kernel_spec

    root = tmp_path_factory.mktemp("jupyter")
    write_kernel_spec(root / "kernels" / "python3", overrides={"env": KERNEL_ENV})
    return root


def processes_naming(path: Path) -> list[int]:
    """Ids of the processes whose command line names `path`."""
    pids = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            if str(path).encode() in cmdline.read_bytes():
                pids.append(int(cmdline.parent.name))
        except OSError:  # the process ended meanwhile
            continue
    return pids


def wait_for_spark_to_stop(project: Path, timeout: float = 60) -> list[int]:
    """Wait until no JVM started from `project` is left; return the ones that are.

    A kernel's Spark driver holds the project's embedded Derby metastore, which one
    JVM at a time can open; it exits after its kernel, not with it.
    """
    deadline = time.monotonic() + timeout
    while (pids := processes_naming(project)) and time.monotonic() < deadline:
        time.sleep(0.5)
    return pids


def outputs(cell, kind: str) -> list:
    return [output for output in cell["outputs"] if output["output_type"] == kind]


def printed(cell) -> str:
    return "".join(
        output["text"] for output in outputs(cell, "stream") if output["name"] == "stdout"
    )


def result_text(cell) -> str:
    (result,) = outputs(cell, "execute_result")
    return ANSI.sub("", result["data"]["text/plain"])


def draws_a_figure(cell) -> bool:
    return any("image/png" in output.get("data", {}) for output in cell["outputs"])


def check_evaluation(cells: dict, project: Path) -> None:
    """The headline table holds the committed figures, and every plot is drawn."""
    figures = json.loads((project / "docs" / "quality_demo.json").read_text())
    rows = [re.split(r"\s{2,}", line.strip()) for line in result_text(cells["e03"]).splitlines()]
    headline = {label: float(value) for label, value in rows[1:]}
    assert len(headline) == 12 and all(math.isfinite(v) for v in headline.values()), headline
    expected = {
        "pairwise precision": figures["pairwise"]["precision"],
        "pairwise recall": figures["pairwise"]["recall"],
        "B-cubed precision": figures["bcubed"]["precision"],
        "B-cubed recall": figures["bcubed"]["recall"],
        "conflated-field accuracy": figures["fields"]["overall"],
        "geometry error median (m)": figures["geometry"]["median_m"],
        "quarantine recall": figures["quarantine"]["recall"],
    }
    # pandas shows six decimals
    assert {k: headline[k] for k in expected} == pytest.approx(expected, abs=1e-6)
    for cell_id in ("e05", "e07", "e09", "e12"):
        assert draws_a_figure(cells[cell_id]), f"cell {cell_id} drew no figure"


def check_explore_outputs(cells: dict, project: Path) -> None:
    """The notebook reads the run's tables and report: counts, accounting, plots."""
    report = json.loads((project / "data" / "08_reporting" / "run_report.json").read_text())
    # `DataFrame.show()` of addresses per region: "|     US-CA| 4995|"
    shown = re.findall(r"^\|\s*([A-Z]{2}-\w+)\|\s*(\d+)\|$", printed(cells["c02"]), re.M)
    by_region = {region: int(count) for region, count in shown}
    assert by_region == report["merges"]["addresses_by_region"]
    assert printed(cells["c04"]).count("\n|") == 11, "expected a header and 10 addresses"
    assert "every record in exactly one of lineage/quarantine: True" in printed(cells["c06"])
    accounting = result_text(cells["c06"])
    for source, count in report["accounting"]["in_scope_by_source"].items():
        assert re.search(rf"^{source}\s+{count}\s+{count}$", accounting, re.M), accounting
    for cell_id in ("c07", "c09", "c10"):
        assert draws_a_figure(cells[cell_id]), f"cell {cell_id} drew no figure"


CHECKS = {"evaluation.ipynb": check_evaluation, "explore_outputs.ipynb": check_explore_outputs}


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda path: path.name)
def test_notebook_runs_against_the_local_run(notebook, local_run, kernels, tmp_path, monkeypatch):
    import nbformat
    from nbclient import NotebookClient

    assert notebook.name in CHECKS, f"say in CHECKS what {notebook.name} must show"
    notebooks = local_run.project / "notebooks"
    nb = nbformat.read(notebooks / notebook.name, as_version=4)
    monkeypatch.setenv("JUPYTER_PATH", str(kernels))
    client = NotebookClient(
        nb,
        kernel_name="python3",
        timeout=CELL_TIMEOUT,
        startup_timeout=120,
        resources={"metadata": {"path": str(notebooks)}},
    )
    try:
        client.execute()  # shuts the kernel down, also when a cell fails
    finally:
        nbformat.write(nb, tmp_path / notebook.name)  # the executed copy, for inspection
        left = wait_for_spark_to_stop(local_run.project.resolve())
    assert not left, f"Spark of {notebook.name}'s kernel still running: pids {left}"

    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    assert [cell.execution_count for cell in code] == list(range(1, len(code) + 1))
    errors = [
        f"{cell.id}: {e['ename']}: {e['evalue']}" for cell in code for e in outputs(cell, "error")
    ]
    assert not errors, errors
    CHECKS[notebook.name]({cell.id: cell for cell in nb.cells}, local_run.project)
