"""The stage line waits for every output of the stage, in whatever order threads save."""

from __future__ import annotations

from kedro.pipeline import Pipeline, node

from geodata.hooks import StageProgressHooks


def _identity(x):
    return x


class _Recorded(StageProgressHooks):
    """The hooks, with the line recorded instead of counted and logged."""

    def __init__(self) -> None:
        super().__init__()
        self.logged: list[str] = []

    def _log_stage(self, stage: str, catalog) -> None:
        self.logged.append(stage)


def _export_nodes():
    report = node(_identity, "a", "run_report", name="build_run_report", tags=["export"])
    plot = node(_identity, "b", "export.address_map", name="plot_address_map", tags=["export"])
    return report, plot


def test_the_line_waits_for_an_earlier_nodes_outputs_saved_after_the_last_node_ran():
    report, plot = _export_nodes()
    hooks = _Recorded()
    hooks.before_pipeline_run(Pipeline([report, plot]), catalog=None)
    hooks.before_node_run(report)
    hooks.before_node_run(plot)
    hooks.after_node_run(report)
    hooks.after_node_run(plot)  # the last node to run...
    hooks.after_dataset_saved("export.address_map", plot)  # ...saves first
    assert hooks.logged == []
    hooks.after_dataset_saved("run_report", report)
    assert hooks.logged == ["export"]


def test_the_line_is_logged_once():
    report, plot = _export_nodes()
    hooks = _Recorded()
    hooks.before_pipeline_run(Pipeline([report, plot]), catalog=None)
    for n in (report, plot):
        hooks.before_node_run(n)
        hooks.after_node_run(n)
        for name in n.outputs:
            hooks.after_dataset_saved(name, n)
    assert hooks.logged == ["export"]
