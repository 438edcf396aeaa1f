"""Run parameters of a DAG run: the date from the logical date, the region from params."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from geodata.orchestration.alerts import pagerduty_event
from geodata.orchestration.runtime import run_params_for

LOGICAL = datetime(2026, 11, 1, tzinfo=UTC)


def test_date_comes_from_the_logical_date_and_region_from_params():
    run = run_params_for(LOGICAL, {"iso_3166_1": "us", "iso_3166_2": "US-CA"})
    assert (run.execution_dt, run.iso_3166_1, run.iso_3166_2) == (date(2026, 11, 1), "US", "US-CA")


def test_an_execution_dt_param_replaces_the_logical_date():
    assert run_params_for(LOGICAL, {"execution_dt": "2026-10-01"}).execution_dt == date(2026, 10, 1)


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"iso_3166_2": "US-ZZ"}, "run.iso_3166_2='US-ZZ'"),
        ({"iso_3166_1": "XX"}, "run.iso_3166_1='XX'"),
        ({"execution_dt": "2026-02-30"}, "run.execution_dt='2026-02-30'"),
        ({"iso_3166_1": "FI", "iso_3166_2": "US-CA"}, "is not in run.iso_3166_1"),
    ],
)
def test_bad_params_are_named_in_the_error(params, named):
    with pytest.raises(ValueError, match="Invalid run parameters") as error:
        run_params_for(LOGICAL, params)
    assert named in str(error.value)


def test_pagerduty_event_has_the_events_api_v2_shape():
    class Instance:  # the attributes of an Airflow task instance the event reads
        dag_id, task_id, run_id, try_number, max_tries = "d", "t", "r1", 3, 2
        log_url = "http://airflow/log"

    context = {
        "ti": Instance(),
        "logical_date": LOGICAL,
        "params": {"iso_3166_2": "FI-18"},
        "exception": RuntimeError("boom"),
    }
    event = pagerduty_event(context, "key")
    assert {k: event[k] for k in ("routing_key", "event_action", "dedup_key")} == {
        "routing_key": "key",
        "event_action": "trigger",
        "dedup_key": "d/r1",
    }
    payload = event["payload"]
    assert {"summary", "source", "severity", "timestamp"} <= set(payload)
    assert payload["summary"] == (
        "geodata task d.t failed: run r1, region FI-18, date 2026-11-01: RuntimeError: boom"
    )
    assert payload["custom_details"]["iso_3166_2"] == "FI-18"
    assert event["links"] == [{"href": "http://airflow/log", "text": "Task log"}]
