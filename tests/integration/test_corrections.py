"""Learning from staff: a re-route is stored as a correction and `feedback train --include-corrections` uses it."""
from __future__ import annotations

import os
import subprocess
import sys

from classifiers import load_classifier
from classifiers.labels import CATEGORY_CODES
from feedback.intake.messages import Channel, IntakeMessage
from feedback.intake.services import create_ticket
from feedback.routing.service import route_manually
from feedback.tables import RoutingCorrection, Ticket
from feedback.tracking.lifecycle import change_status
from tests.conftest import ROOT, run_async


def test_reroute_is_recorded_and_used_for_retraining(pg_settings, tmp_path):
    text = "Pohon beringin besar di depan rumah saya dahannya sudah menyentuh kabel, mohon dipangkas sebelum patah"
    tid = run_async(create_ticket(IntakeMessage(text=text, channel=Channel.WEB), pg_settings))["id"]
    run_async(change_status(tid, "triage", fields={"predicted_category": "listrik", "suggestions": []}))
    run_async(route_manually(tid, "kebersihan_lingkungan", actor_id=None, actor_label="dispatcher", reason="pemangkasan pohon", settings=pg_settings))
    corrections = run_async(RoutingCorrection.select())
    assert [(c["predicted_category"], c["corrected_category"], c["text"]) for c in corrections] == [("listrik", "kebersihan_lingkungan", text)]
    assert run_async(Ticket.select(Ticket.status).where(Ticket.id == tid).first())["status"] == "routed"

    output = tmp_path / "model"
    env = {**os.environ, "DATABASE_URL": pg_settings.database_url, "SUARA_DATA_DIR": str(tmp_path / "data"), "CLASSIFIER_THREADS": "1"}
    result = subprocess.run([sys.executable, "-m", "feedback.cli", "train", "--include-corrections", "--tiny", "--output", str(output)],
                            env=env, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "1 koreksi petugas" in result.stdout and "1 extra examples" in result.stdout
    exported = (tmp_path / "data" / "corrections.jsonl").read_text(encoding="utf-8")
    assert "kebersihan_lingkungan" in exported and "dipangkas" in exported
    retrained = load_classifier(output)
    prediction = retrained.predict([text])[0]
    assert prediction.category in CATEGORY_CODES and "lainnya" in retrained.labels
    assert len(prediction.top) >= 3
