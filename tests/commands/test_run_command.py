"""`kedro run` in the project: Kedro's command, with independent nodes run at once by default."""

from __future__ import annotations

from click.testing import CliRunner
from kedro.framework.cli.project import run as kedro_run
from kedro.framework.cli.utils import find_run_command

from geodata.cli import DEFAULT_RUNNER, cli, run


def _runner_default(command) -> str | None:
    return next(p.default for p in command.params if p.name == "runner")


def test_kedro_run_is_the_projects_run_with_the_thread_runner_by_default():
    # `kedro run` takes the project group's command; `python -m geodata` finds the same.
    assert cli.get_command(None, "run") is run
    assert find_run_command("geodata") is run
    assert _runner_default(run) == DEFAULT_RUNNER == "ThreadRunner"
    # Every other option is Kedro's, and Kedro's own command is left as it was.
    assert [p.name for p in run.params] == [p.name for p in kedro_run.params]
    assert run.callback is kedro_run.callback
    assert _runner_default(kedro_run) is None
    shown = CliRunner().invoke(run, ["--help"])
    assert shown.exit_code == 0
    assert "Default: ThreadRunner" in " ".join(shown.output.split())
