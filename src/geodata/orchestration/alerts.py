"""Airflow task callbacks that tell people when a geodata task fails or retries.

`alert_pagerduty` posts a PagerDuty Events API v2 event. The routing key comes from
the Airflow connection `geodata_pagerduty` (password, or extra `routing_key`) or the
`GEODATA_PAGERDUTY_ROUTING_KEY` environment variable; the URL from the connection's
host or `GEODATA_PAGERDUTY_URL`, by default PagerDuty's own. Without a routing key the
callback only logs a warning: a missing alert setup never breaks a DAG.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import urllib.error
import urllib.request
from datetime import UTC, datetime
from typing import Any

logger = logging.getLogger(__name__)

PAGERDUTY_EVENTS_URL = "https://events.pagerduty.com/v2/enqueue"
CONNECTION_ID_ENV = "GEODATA_PAGERDUTY_CONN_ID"
ROUTING_KEY_ENV = "GEODATA_PAGERDUTY_ROUTING_KEY"
URL_ENV = "GEODATA_PAGERDUTY_URL"
DEFAULT_CONNECTION_ID = "geodata_pagerduty"
_SUMMARY_LIMIT = 1024  # the Events API rejects longer summaries
_TIMEOUT_S = 10


def _connection_settings(conn_id: str) -> tuple[str | None, str | None]:
    """(routing key, URL) from the Airflow connection, or (None, None) when it is not set."""
    from airflow.sdk import Connection
    from airflow.sdk.exceptions import AirflowNotFoundException

    try:
        connection = Connection.get(conn_id)
    except AirflowNotFoundException:
        return None, None
    except Exception as error:  # no task context or no API: fall back to the environment
        logger.warning("Cannot read Airflow connection %s: %s", conn_id, error)
        return None, None
    key = connection.password or connection.extra_dejson.get("routing_key")
    url = connection.host if connection.host and "://" in connection.host else None
    return key, url


def pagerduty_settings() -> tuple[str | None, str]:
    """The routing key (None when unconfigured) and the events URL alerts go to."""
    key, url = _connection_settings(os.environ.get(CONNECTION_ID_ENV, DEFAULT_CONNECTION_ID))
    key = key or os.environ.get(ROUTING_KEY_ENV) or None
    url = url or os.environ.get(URL_ENV) or PAGERDUTY_EVENTS_URL
    return key, url


def _run_description(context: dict[str, Any]) -> dict[str, str]:
    """The run's date and region as the task saw them (raw params when they are invalid)."""
    from geodata.orchestration.runtime import run_params_for

    params = context.get("params") or {}
    try:
        run = run_params_for(context.get("logical_date"), params)
        return {
            "execution_dt": run.execution_dt.isoformat(),
            "iso_3166_1": run.iso_3166_1,
            "iso_3166_2": run.iso_3166_2,
        }
    except ValueError:
        logical_date = context.get("logical_date")
        return {
            "execution_dt": str(params.get("execution_dt") or logical_date or ""),
            "iso_3166_1": str(params.get("iso_3166_1") or ""),
            "iso_3166_2": str(params.get("iso_3166_2") or ""),
        }


def pagerduty_event(context: dict[str, Any], routing_key: str) -> dict[str, Any]:
    """The Events API v2 `trigger` event for a failed task.

    One alert per DAG run (`dedup_key` = dag id and run id): further failures of the
    same run update it instead of paging again.

    Args:
        context: The Airflow task context given to the callback.
        routing_key: The PagerDuty integration (routing) key.

    Returns:
        The event, ready to be posted as JSON.
    """
    ti = context.get("task_instance") or context.get("ti")
    dag_id = getattr(ti, "dag_id", None) or context["dag"].dag_id
    task_id = getattr(ti, "task_id", None) or context["task"].task_id
    run_id = getattr(ti, "run_id", None) or context.get("run_id", "")
    run = _run_description(context)
    region = run["iso_3166_2"] or run["iso_3166_1"] or "all regions"
    error = context.get("exception")
    summary = (
        f"geodata task {dag_id}.{task_id} failed: run {run_id}, region {region}, "
        f"date {run['execution_dt']}" + (f": {type(error).__name__}: {error}" if error else "")
    )
    log_url = getattr(ti, "log_url", None)
    event: dict[str, Any] = {
        "routing_key": routing_key,
        "event_action": "trigger",
        "dedup_key": f"{dag_id}/{run_id}",
        "client": "geodata",
        "payload": {
            "summary": summary[:_SUMMARY_LIMIT],
            "source": socket.gethostname(),
            "severity": "error",
            "timestamp": datetime.now(UTC).isoformat(),
            "component": task_id,
            "group": dag_id,
            "class": type(error).__name__ if error else "task_failure",
            "custom_details": {
                "dag_id": dag_id,
                "task_id": task_id,
                "run_id": run_id,
                "try_number": getattr(ti, "try_number", None),
                "max_tries": getattr(ti, "max_tries", None),
                **run,
                "error": str(error) if error else None,
            },
        },
    }
    if log_url:
        event["links"] = [{"href": log_url, "text": "Task log"}]
    return event


def alert_pagerduty(context: dict[str, Any]) -> None:
    """Failure callback: send a PagerDuty event for the failed task (or warn if unconfigured).

    Delivery problems are logged, never raised, so alerting cannot fail a task.
    """
    routing_key, url = pagerduty_settings()
    if not routing_key:
        logger.warning(
            "PagerDuty alert not sent: no routing key (Airflow connection %s or %s)",
            os.environ.get(CONNECTION_ID_ENV, DEFAULT_CONNECTION_ID),
            ROUTING_KEY_ENV,
        )
        return
    event = pagerduty_event(context, routing_key)
    request = urllib.request.Request(
        url,
        data=json.dumps(event, default=str).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=_TIMEOUT_S) as response:
            logger.info("PagerDuty alert sent to %s: HTTP %s", url, response.status)
    except (urllib.error.URLError, OSError) as error:
        logger.error("PagerDuty alert to %s failed: %s", url, error)


def log_retry(context: dict[str, Any]) -> None:
    """Retry callback: log which try failed and that Airflow will try again."""
    ti = context.get("task_instance") or context.get("ti")
    logger.warning(
        "geodata task %s.%s failed try %s of %s; retrying: %s",
        getattr(ti, "dag_id", "?"),
        getattr(ti, "task_id", "?"),
        getattr(ti, "try_number", "?"),
        (getattr(ti, "max_tries", 0) or 0) + 1,
        context.get("exception"),
    )
