"""What ``GET /metrics`` shows, in the Prometheus text format (prometheus-client).

Counters and the ack histogram count this process's own work since it started; the
``callops_jobs``, ``callops_job_rows`` and ``callops_summary_runs`` gauges are read from
the database when scraped, so every replica reports the same shared truth. ``callops_leader``
is 1 while this process runs the scheduler (scheduled work: batches, polls, summaries).
"""

from __future__ import annotations

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    ProcessCollector,
    generate_latest,
)

CONTENT_TYPE = CONTENT_TYPE_LATEST
REGISTRY = CollectorRegistry()
ProcessCollector(registry=REGISTRY)

COMMANDS = Counter(
    "callops_commands",
    "Commands, buttons and modal submissions handled, by family and outcome",
    ["family", "outcome"],
    registry=REGISTRY,
)
ACK_SECONDS = Histogram(
    "callops_ack_seconds",
    "Time from a verified Slack request to its ack, by kind",
    ["kind"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 3.0, 5.0),
    registry=REGISTRY,
)
PROVIDER_REQUESTS = Counter(
    "callops_provider_requests",
    "Requests sent to providers, by connection and result (ok or the error class)",
    ["connection", "result"],
    registry=REGISTRY,
)
RATE_LIMIT_WAITS = Counter(
    "callops_rate_limit_waits",
    "Requests held back by a rate limit, by connection and cause (window or 429)",
    ["connection", "cause"],
    registry=REGISTRY,
)
RATE_LIMIT_WAIT_SECONDS = Counter(
    "callops_rate_limit_wait_seconds",
    "Seconds requests spent held back by a rate limit, by connection",
    ["connection"],
    registry=REGISTRY,
)
SLACK_REPEATS = Counter(
    "callops_slack_repeats_dropped",
    "Slack requests dropped as repeats of one already taken (Slack retries)",
    registry=REGISTRY,
)
JOBS = Gauge("callops_jobs", "Import jobs in the database, by state", ["state"], registry=REGISTRY)
JOB_ROWS = Gauge(
    "callops_job_rows", "Import rows in the database, by state", ["state"], registry=REGISTRY
)
SUMMARY_RUNS = Gauge(
    "callops_summary_runs",
    "Daily summary runs in the database, by state",
    ["state"],
    registry=REGISTRY,
)
LEADER = Gauge(
    "callops_leader", "1 while this replica runs the scheduled work, else 0", registry=REGISTRY
)


def set_leader(leading: bool) -> None:
    """Say whether this process runs the scheduled work now (``/metrics``, ``/healthz``)."""
    LEADER.set(1 if leading else 0)


def is_leader() -> bool:
    """Whether this process runs the scheduled work now."""
    return bool(LEADER._value.get())


def command_family(name: str) -> str:
    """``/queue set`` → ``/queue``; ``action job_refresh`` and ``view x`` stay whole."""
    return name.split()[0] if name.startswith("/") else name


def exposition(database: dict[str, dict[str, int]] | None) -> bytes:
    """The text ``/metrics`` answers, with the database's gauges set from ``database``
    (jobs, rows and summaries, each by state: ``bot.slack.observe`` reads them; None keeps
    the last values)."""
    for gauge, name in ((JOBS, "jobs"), (JOB_ROWS, "rows"), (SUMMARY_RUNS, "summaries")):
        if database is None:
            continue
        gauge.clear()
        for state, n in database.get(name, {}).items():
            gauge.labels(state=state).set(n)
    return generate_latest(REGISTRY)
