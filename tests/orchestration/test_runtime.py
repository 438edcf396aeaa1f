"""Run parameters of a DAG run, and the failure alert that reports them.

The date comes from the logical date, the region from params; the alert goes through
the PagerDuty provider to a local server standing in for the Events API.
"""

from __future__ import annotations

import json
import logging
import os
from datetime import UTC, date, datetime

import pytest

from geodata.orchestration.alerts import alert_pagerduty, pagerduty_settings
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


class _TaskInstance:  # the attributes of an Airflow task instance the alert reads
    dag_id, task_id, run_id, try_number, max_tries = "d", "t", "r1", 3, 2
    log_url = "http://airflow/log"


FAILURE = {
    "ti": _TaskInstance(),
    "logical_date": LOGICAL,
    "params": {"iso_3166_2": "FI-18"},
    "exception": RuntimeError("boom"),
}


@pytest.fixture()
def no_alert_setup(monkeypatch):
    """No PagerDuty connection or variables, whatever the shell running the tests has."""
    for name in ("AIRFLOW_CONN_GEODATA_PAGERDUTY", *(v for v in os.environ if "PAGERDUTY" in v)):
        monkeypatch.delenv(name, raising=False)


def test_pagerduty_event_has_the_events_api_v2_shape(no_alert_setup, alert_server, monkeypatch):
    connection = {"conn_type": "pagerduty_events", "password": "test-key", "host": alert_server.url}
    monkeypatch.setenv("AIRFLOW_CONN_GEODATA_PAGERDUTY", json.dumps(connection))
    alert_pagerduty(FAILURE)

    [posted] = alert_server.events
    assert posted["path"] == "/v2/enqueue"
    assert posted["user_agent"].startswith("python-pagerduty/")  # the provider's client
    event = posted["body"]
    assert {k: event[k] for k in ("routing_key", "event_action", "dedup_key")} == {
        "routing_key": "test-key",
        "event_action": "trigger",
        "dedup_key": "d/r1",
    }
    payload = event["payload"]
    assert payload["summary"] == (
        "geodata task d.t failed: run r1, region FI-18, date 2026-11-01: RuntimeError: boom"
    )
    assert payload["severity"] == "error"
    assert payload["source"]
    assert (payload["component"], payload["group"], payload["class"]) == ("t", "d", "RuntimeError")
    assert payload["custom_details"] == {
        "dag_id": "d",
        "task_id": "t",
        "run_id": "r1",
        "try_number": 3,
        "max_tries": 2,
        "execution_dt": "2026-11-01",
        "iso_3166_1": "",
        "iso_3166_2": "FI-18",
        "error": "boom",
    }
    assert event["links"] == [{"href": "http://airflow/log", "text": "Task log"}]


def test_pagerduty_settings_fall_back_to_the_environment(no_alert_setup, monkeypatch):
    assert pagerduty_settings() == (None, None)  # None: PagerDuty's own URL
    monkeypatch.setenv("GEODATA_PAGERDUTY_ROUTING_KEY", "env-key")
    monkeypatch.setenv("GEODATA_PAGERDUTY_URL", "https://proxy.example/v2/enqueue")
    assert pagerduty_settings() == ("env-key", "https://proxy.example/v2/enqueue")
    monkeypatch.setenv("GEODATA_PAGERDUTY_CONN_ID", "other_pagerduty")
    monkeypatch.setenv(
        "AIRFLOW_CONN_OTHER_PAGERDUTY",
        json.dumps({"conn_type": "pagerduty_events", "password": "conn-key"}),
    )
    assert pagerduty_settings() == ("conn-key", "https://proxy.example/v2/enqueue")


def test_an_unconfigured_alert_warns_and_posts_nothing(no_alert_setup, alert_server, caplog):
    with caplog.at_level(logging.WARNING, logger="geodata.orchestration.alerts"):
        alert_pagerduty(FAILURE)
    assert alert_server.events == []
    assert "PagerDuty alert not sent: no integration key" in caplog.text


def test_a_rejected_alert_is_logged_not_raised(no_alert_setup, alert_server, monkeypatch, caplog):
    monkeypatch.setenv("GEODATA_PAGERDUTY_ROUTING_KEY", "test-key")
    monkeypatch.setenv("GEODATA_PAGERDUTY_URL", alert_server.url)
    alert_server.status = 400
    with caplog.at_level(logging.ERROR, logger="geodata.orchestration.alerts"):
        alert_pagerduty(FAILURE)
    assert len(alert_server.events) == 1
    assert f"PagerDuty alert to {alert_server.url} failed" in caplog.text
