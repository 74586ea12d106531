"""/metrics, request ids and JSON access logs."""
from __future__ import annotations

import io
import json
import logging
import re

from rq import Queue

from feedback.observability import configure_json_logging, count_sla_breach, observe_confidence, observe_job


def metric(text: str, name: str, **labels) -> float:
    """The value of one sample in Prometheus text format (0 when absent)."""
    for line in text.splitlines():
        if line.startswith("#") or not line.startswith(name):
            continue
        sample, _, value = line.rpartition(" ")
        if sample.split("{")[0] != name:
            continue
        found = dict(re.findall(r'(\w+)="([^"]*)"', sample))
        if all(found.get(k) == v for k, v in labels.items()):
            return float(value)
    return 0.0


def test_request_latency_by_route_template(client):
    before = metric(client.get("/metrics").text, "suara_http_request_duration_seconds_count",
                    route="/open311/v2/requests/{name}", status="404")
    for code in ("AAAA", "BBBB", "CCCC"):
        assert client.get(f"/open311/v2/requests/{code}.json").status_code == 404
    text = client.get("/metrics").text
    after = metric(text, "suara_http_request_duration_seconds_count", route="/open311/v2/requests/{name}", status="404")
    assert after - before == 3
    assert "AAAA" not in text  # raw paths never become labels


def test_queue_depth_is_read_at_scrape_time(client, settings, redis_conn):
    queue = Queue(settings.queue_name, connection=redis_conn)
    for n in range(3):
        queue.enqueue("feedback.jobs.tasks.sweep_received_tickets", job_id=f"metrics-test-{n}")
    text = client.get("/metrics").text
    assert metric(text, "suara_queue_depth", queue=settings.queue_name) == 3
    assert metric(text, "suara_queue_up") == 1
    queue.empty()
    assert metric(client.get("/metrics").text, "suara_queue_depth", queue=settings.queue_name) == 0


def test_job_confidence_and_sla_helpers(client):
    def sample():
        text = client.get("/metrics").text
        return (metric(text, "suara_job_duration_seconds_count", job="classify_ticket"),
                metric(text, "suara_classification_confidence_bucket", le="0.5"),
                metric(text, "suara_sla_breaches_total", kind="resolution"))

    jobs, low, breaches = sample()
    observe_job("classify_ticket", 0.3)
    observe_confidence(0.42)
    observe_confidence(0.97)
    count_sla_breach("resolution", 2)
    assert sample() == (jobs + 1, low + 1, breaches + 2)


def test_request_id_generated_propagated_or_replaced(client):
    generated = client.get("/health/live").headers["x-request-id"]
    assert re.fullmatch(r"[0-9a-f]{32}", generated)
    assert client.get("/health/live", headers={"X-Request-ID": "lb-1234.abc"}).headers["x-request-id"] == "lb-1234.abc"
    for bad in ("a b", "x" * 200, "<script>"):
        replaced = client.get("/health/live", headers={"X-Request-ID": bad}).headers["x-request-id"]
        assert replaced != bad and re.fullmatch(r"[0-9a-f]{32}", replaced)


def test_one_json_access_line_per_request(client):
    stream = io.StringIO()
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    configure_json_logging("INFO", stream=stream)
    try:
        resp = client.get("/open311/v2/services.json", headers={"X-Request-ID": "trace-42"})
        assert resp.status_code == 200
    finally:
        root.handlers[:], level = saved
        root.setLevel(level)
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    access = [entry for entry in lines if entry["logger"] == "feedback.access"]
    assert len(access) == 1
    entry = access[0]
    assert entry["request_id"] == "trace-42" and entry["method"] == "GET" and entry["status"] == 200
    assert entry["path"] == "/open311/v2/services.json" and entry["duration_ms"] >= 0
