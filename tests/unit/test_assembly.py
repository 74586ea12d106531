"""The worker's schedule is data whose jobs all import; the CLI's commands fail loudly when their module does not."""
from __future__ import annotations

import sys

import pytest

from feedback.jobs.schedule import SCHEDULE, PeriodicJob
from feedback.jobs.worker import check_schedule


def test_every_periodic_job_imports():
    assert [job.name for job in SCHEDULE] == ["sweep", "notify-pending", "imap", "sla"]
    check_schedule(SCHEDULE)


def test_a_periodic_job_that_does_not_import_stops_the_worker():
    with pytest.raises(ModuleNotFoundError):
        check_schedule([PeriodicJob("ghost", "feedback.no_such_module.job", lambda s: 60)])
    with pytest.raises(TypeError):
        check_schedule([PeriodicJob("typo", "feedback.notify.jobs.resend_pending_jobs", lambda s: 60)])


def test_cli_commands_of_every_package_are_present():
    from feedback.cli import build_parser

    commands = build_parser()._subparsers._group_actions[0].choices
    assert {"worker", "smtpd", "imap-poll", "seed-demo", "open311-key", "create-user"} <= set(commands)


def test_a_command_module_that_does_not_import_fails_the_cli(monkeypatch):
    from feedback.cli import build_parser

    monkeypatch.setitem(sys.modules, "feedback.quality.commands", None)  # importing it now raises ImportError
    with pytest.raises(ImportError):
        build_parser()
