"""Airflow task callbacks that tell people when a geodata task fails or retries.

`alert_pagerduty` sends a PagerDuty Events API v2 event through the PagerDuty provider's
events hook, to the events URL of the `geodata_pagerduty` connection (default PagerDuty's).
"""

from __future__ import annotations

import logging
import os
import socket
from typing import Any

from airflow.providers.pagerduty.hooks.pagerduty_events import (
    PagerdutyEventsHook,
    prepare_event_data,
)
from airflow.sdk.exceptions import AirflowNotFoundException
from pagerduty import EventsApiV2Client

logger = logging.getLogger(__name__)

CONNECTION_ID_ENV = "GEODATA_PAGERDUTY_CONN_ID"
ROUTING_KEY_ENV = "GEODATA_PAGERDUTY_ROUTING_KEY"
URL_ENV = "GEODATA_PAGERDUTY_URL"
DEFAULT_CONNECTION_ID = "geodata_pagerduty"
EVENTS_PATH = "/v2/enqueue"
_SUMMARY_LIMIT = 1024  # the Events API rejects longer summaries


class _EventsClient(EventsApiV2Client):
    """The Events API client, also for `http://` URLs (an in-cluster proxy, a stand-in)."""

    timeout = 10  # seconds per attempt: an unreachable URL must not hold a failed task long

    @property
    def url(self) -> str:
        return self._url

    @url.setter
    def url(self, base_url: str) -> None:
        self._url = base_url


class EventsHook(PagerdutyEventsHook):
    """The provider's events hook, sending to a given events URL instead of PagerDuty's.

    `PagerdutyEventsHook.send_event` always posts to PagerDuty, over HTTPS only; this
    hook posts the same event to `events_url` (`https://proxy/v2/enqueue`), or to
    PagerDuty's when it is None.
    """

    def __init__(self, integration_key: str, events_url: str | None = None) -> None:
        super().__init__(integration_key=integration_key)
        self.events_url = events_url

    def send_event(self, **event: Any) -> str:
        """Send an event (`PagerdutyEventsHook.send_event` arguments); return its dedup key."""
        base_url = self.events_url.removesuffix(EVENTS_PATH) if self.events_url else None
        with _EventsClient(self.integration_key, base_url=base_url) as client:
            return client.send_event(**prepare_event_data(**event))


def _connection_settings(conn_id: str) -> tuple[str | None, str | None]:
    """(integration key, events URL) of the Airflow connection; None for what it lacks."""
    try:
        connection = PagerdutyEventsHook.get_connection(conn_id)
    except AirflowNotFoundException:
        return None, None
    except Exception as error:  # no task context or no API: fall back to the environment
        logger.warning("Cannot read Airflow connection %s: %s", conn_id, error)
        return None, None
    url = connection.host if connection.host and "://" in connection.host else None
    return connection.password or None, url


def pagerduty_settings() -> tuple[str | None, str | None]:
    """The integration key (None when unconfigured) and events URL (None: PagerDuty's).

    The connection `geodata_pagerduty` (or the one `GEODATA_PAGERDUTY_CONN_ID` names)
    gives them as its password and host; `GEODATA_PAGERDUTY_ROUTING_KEY` and
    `GEODATA_PAGERDUTY_URL` stand in for what it does not give.
    """
    key, url = _connection_settings(os.environ.get(CONNECTION_ID_ENV, DEFAULT_CONNECTION_ID))
    key = key or os.environ.get(ROUTING_KEY_ENV) or None
    url = url or os.environ.get(URL_ENV) or None
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


def failure_event(context: dict[str, Any]) -> dict[str, Any]:
    """The `trigger` event for a failed task, as `PagerdutyEventsHook.send_event` arguments.

    One alert per DAG run (`dedup_key` = dag id and run id): further failures of the
    same run update it instead of paging again.

    Args:
        context: The Airflow task context given to the callback.

    Returns:
        The event's summary, severity, source, dedup key, custom details and links.
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
    return {
        "summary": summary[:_SUMMARY_LIMIT],
        "severity": "error",
        "source": socket.gethostname(),
        "action": "trigger",
        "dedup_key": f"{dag_id}/{run_id}",
        "component": task_id,
        "group": dag_id,
        "class_type": type(error).__name__ if error else "task_failure",
        "custom_details": {
            "dag_id": dag_id,
            "task_id": task_id,
            "run_id": run_id,
            "try_number": getattr(ti, "try_number", None),
            "max_tries": getattr(ti, "max_tries", None),
            **run,
            "error": str(error) if error else None,
        },
        "links": [{"href": log_url, "text": "Task log"}] if log_url else None,
    }


def alert_pagerduty(context: dict[str, Any]) -> None:
    """Failure callback: send a PagerDuty event for the failed task (or warn if unconfigured).

    Delivery problems are logged, never raised, so alerting cannot fail a task.
    """
    integration_key, events_url = pagerduty_settings()
    if not integration_key:
        logger.warning(
            "PagerDuty alert not sent: no integration key (Airflow connection %s or %s)",
            os.environ.get(CONNECTION_ID_ENV, DEFAULT_CONNECTION_ID),
            ROUTING_KEY_ENV,
        )
        return
    destination = events_url or "PagerDuty"
    try:
        event = failure_event(context)
        EventsHook(integration_key, events_url).send_event(**event)
    except Exception as error:  # any failure to alert is reported, never raised
        logger.error("PagerDuty alert to %s failed: %s", destination, error)
        return
    logger.info("PagerDuty alert sent to %s: %s", destination, event["dedup_key"])


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
