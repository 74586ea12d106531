"""The `feedback` command line."""
from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import subprocess
import sys
import time

from feedback.settings import DEFAULT_BASE_URL, Settings, child_environ, load_settings


def _setup_logging(settings: Settings) -> None:
    if settings.json_logs:
        from feedback.observability import configure_json_logging

        configure_json_logging(settings.log_level)
        return
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")


async def _with_db(settings: Settings, coro_factory):
    from feedback.db import with_database

    return await with_database(settings.database_url, coro_factory)


def cmd_migrate(args, settings: Settings) -> int:
    from feedback.migrate import run_migrations

    run_migrations(settings)
    print(f"Migrasi selesai / migrations applied: {settings.database_url.split('@')[-1]}")
    return 0


def cmd_seed(args, settings: Settings) -> int:
    from feedback.routing.seed import seed_all

    admin_password = args.admin_password or settings.demo_admin_password
    report = asyncio.run(_with_db(settings, lambda: seed_all(admin_password)))
    print(f"Agencies +{report.agencies_created}, categories +{report.categories_created}, holidays +{report.holidays_created}")
    if report.admin_password:
        print("=" * 60)
        print("Akun admin demo dibuat / demo admin created (shown once):")
        print(f"  username: {report.admin_username}")
        print(f"  password: {report.admin_password}")
        print("=" * 60)
    else:
        print(f"Admin '{report.admin_username}' sudah ada / already exists (password not shown again).")
    return 0


def cmd_web(args, settings: Settings) -> int:
    import uvicorn

    uvicorn.run("feedback.app:create_app_from_env", factory=True, host=args.host, port=args.port,
                workers=args.workers, log_level="info", proxy_headers=settings.trust_forwarded_for, access_log=False)
    return 0


def cmd_worker(args, settings: Settings) -> int:
    from feedback.jobs.worker import run_worker

    run_worker(settings, burst=args.burst, queues=args.queues or None)
    return 0


def cmd_sweep(args, settings: Settings) -> int:
    from feedback.jobs.sweeper import sweep_received

    count = asyncio.run(_with_db(settings, lambda: sweep_received(settings, grace_seconds=args.grace)))
    print(f"re-enqueued {count} tickets")
    return 0


def _raise_keyboard_interrupt(signum, frame):
    raise KeyboardInterrupt()


def cmd_run(args, settings: Settings) -> int:
    """Everything at once: embedded Redis (if no REDIS_URL), migrations, seed, web and a worker."""
    from feedback.embedded_redis import EmbeddedRedis

    redis = None
    overrides = {"DATABASE_URL": settings.database_url, "SUARA_DATA_DIR": str(settings.data_dir)}
    if not settings.redis_url:
        redis = EmbeddedRedis().start()
        overrides["REDIS_URL"] = redis.url
        print(f"Redis tertanam / embedded Redis on {redis.url}")
    if settings.base_url == DEFAULT_BASE_URL:  # not configured: links point at the address we serve on
        overrides["BASE_URL"] = f"http://{args.host}:{args.port}"
    env = child_environ(overrides)
    children: list[subprocess.Popen] = []
    exe = [sys.executable, "-m", "feedback.cli"]
    try:
        subprocess.run([*exe, "migrate"], env=env, check=True)
        subprocess.run([*exe, "seed"], env=env, check=True)
        for _ in range(args.workers):
            children.append(subprocess.Popen([*exe, "worker"], env=env))
        children.append(subprocess.Popen([*exe, "web", "--host", args.host, "--port", str(args.port)], env=env))
        print(f"\nSuara Warga berjalan di / running at http://{args.host}:{args.port}  (staf: /admin)  Ctrl-C untuk berhenti\n")
        signal.signal(signal.SIGTERM, _raise_keyboard_interrupt)
        while all(child.poll() is None for child in children):
            time.sleep(0.5)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        for child in children:
            if child.poll() is None:
                child.terminate()
        for child in children:
            try:
                child.wait(10)
            except subprocess.TimeoutExpired:
                child.kill()
        if redis:
            redis.stop()


def cmd_train(args, settings: Settings) -> int:
    from classifiers.commands import train_command

    extra = None
    if args.include_corrections:
        extra = asyncio.run(_with_db(settings, lambda: _export_corrections(settings)))
    print(train_command(output=args.output, base=args.base, extra_examples_path=extra, epochs=args.epochs, tiny=args.tiny,
                        new_vocab=args.new_vocab, incremental=args.incremental))
    return 0


async def _export_corrections(settings: Settings) -> str:
    import json

    from feedback.tables import RoutingCorrection

    rows = await RoutingCorrection.select(RoutingCorrection.text, RoutingCorrection.corrected_category)
    path = settings.data_dir / "corrections.jsonl"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps({"text": row["text"], "category": row["corrected_category"]}, ensure_ascii=False) + "\n")
    print(f"{len(rows)} koreksi petugas diekspor / staff corrections exported to {path}")
    return str(path)


def cmd_evaluate(args, settings: Settings) -> int:
    from classifiers.commands import evaluate_command

    print(evaluate_command(model=args.model or settings.classifier_model, compare_to=args.compare_to))
    return 0


def cmd_classify(args, settings: Settings) -> int:
    from classifiers.commands import classify_command

    print(classify_command(" ".join(args.text)))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="feedback", description="Suara Warga: citizen feedback and complaint tracking.")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("run", help="run everything: embedded Redis, migrations, seed, web and worker")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--workers", type=int, default=1, help="RQ worker processes")
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("web", help="run the web application (uvicorn)")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--workers", type=int, default=1, help="web processes")
    p.set_defaults(func=cmd_web)

    p = sub.add_parser("worker", help="run an RQ worker (classification, notifications, periodic jobs)")
    p.add_argument("--burst", action="store_true", help="exit when the queues are empty")
    p.add_argument("--queues", nargs="*")
    p.set_defaults(func=cmd_worker)

    p = sub.add_parser("migrate", help="apply database migrations")
    p.set_defaults(func=cmd_migrate)

    p = sub.add_parser("seed", help="seed taxonomy, agencies, holidays and the demo admin (idempotent)")
    p.add_argument("--admin-password", help="the demo admin's password (default: DEMO_ADMIN_PASSWORD, else random)")
    p.set_defaults(func=cmd_seed)

    p = sub.add_parser("sweep", help="re-enqueue tickets stuck in 'received'")
    p.add_argument("--grace", type=int, default=None, help="seconds a ticket may wait before it is re-enqueued")
    p.set_defaults(func=cmd_sweep)

    p = sub.add_parser("train", help="train the text classifier")
    p.add_argument("--base", help="fine-tune a local Hugging Face checkpoint (e.g. IndoBERT) instead of training from scratch")
    p.add_argument("--include-corrections", action="store_true", help="add staff re-routing corrections from the database")
    p.add_argument("--incremental", action="store_true",
                   help="with --include-corrections: fine-tune the current model on them (minutes) instead of retraining")
    p.add_argument("--output", help="model folder (default: classifiers/model)")
    p.add_argument("--epochs", type=int)
    p.add_argument("--tiny", action="store_true", help="a tiny fast model (tests)")
    p.add_argument("--new-vocab", action="store_true",
                   help="train a new WordPiece vocabulary and overwrite classifiers/data/vocab.txt (default: reuse it)")
    p.set_defaults(func=cmd_train)

    p = sub.add_parser("evaluate", help="evaluate the classifier against the TF-IDF baseline")
    p.add_argument("--model")
    p.add_argument("--compare-to", help="another model folder (e.g. before retraining with corrections): before/after table")
    p.set_defaults(func=cmd_evaluate)

    p = sub.add_parser("classify", help="classify one text")
    p.add_argument("text", nargs="+")
    p.set_defaults(func=cmd_classify)

    for register in _extra_command_registrars():
        register(sub)
    return parser


def _extra_command_registrars():
    """Subcommands contributed by other packages (email, reports, Open311, staff accounts); a broken import fails here."""
    from admin_ui.commands import register as staff_account_commands
    from feedback.intake.email_commands import register as email_commands
    from feedback.open311.commands import register as open311_commands
    from feedback.quality.commands import register as report_commands

    return [email_commands, report_commands, open311_commands, staff_account_commands]


def main(argv: list[str] | None = None) -> int:
    from feedback.notify.subscribers import subscribe_notifications

    parser = build_parser()
    args = parser.parse_args(argv)
    settings = load_settings()
    _setup_logging(settings)
    # Every command's process is assembled here, as the app's is in create_app: tickets created or
    # changed by the worker, smtpd, imap-poll or any other command notify their citizens.
    unsubscribe = subscribe_notifications(settings)
    try:
        return args.func(args, settings) or 0
    finally:
        unsubscribe()


if __name__ == "__main__":
    sys.exit(main())
