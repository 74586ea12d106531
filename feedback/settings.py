"""One frozen Settings object, built from the environment by a factory (never at import).

`load_settings(environ)` is the only place in `feedback/` and `admin_ui/` that reads the
environment (`tests/unit/test_settings.py` checks this with the AST of every module), and
`child_environ(overrides)` the only place that builds one for a child process: production
code never writes to `os.environ`. Everything else receives a `Settings` (or values from it).

Known exceptions, outside these two packages:
- `classifiers/` is a separate library (its own owner): it reads `CLASSIFIER_MODEL`,
  `CLASSIFIER_THREADS`, `CLASSIFIER_TRAIN_THREADS` and `CLASSIFIER_TRAIN_DEVICE` itself.
  The worker passes the model folder explicitly and sets torch's thread count from
  `Settings.classifier_threads` after loading.
- test-only hooks under `tests/` (`TEST_DATABASE_URL`, `TEST_REDIS_URL`, `SW_*`, ...), the
  benchmark scripts under `benchmarks/` and the developer script `.ci/dev.py`.
- libraries we call read their own variables (`PROMETHEUS_MULTIPROC_DIR` is also read by
  prometheus_client in each process; Piccolo reads `PICCOLO_CONF`).

Booleans are strict: true/false, 1/0, yes/no, on/off (any case); anything else is an error
naming the variable, never a silent False.
"""
from __future__ import annotations

import logging
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

DEFAULT_DATA_DIR = Path("var")
DEFAULT_BASE_URL = "http://127.0.0.1:8000"
_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off"})
LOG_FORMATS = ("text", "json")


class SettingsError(ValueError):
    """An environment variable has a value we cannot use; the message names it."""


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw in (None, ""):
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise SettingsError(f"{name} must be an integer, got {raw!r}") from exc


def _float(env: Mapping[str, str], name: str, default: float | None) -> float | None:
    raw = env.get(name)
    if raw in (None, ""):
        return default
    try:
        return float(raw)
    except ValueError as exc:
        raise SettingsError(f"{name} must be a number, got {raw!r}") from exc


def _bool(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name)
    if raw is None or not raw.strip():
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise SettingsError(f"{name} must be one of true/false, 1/0, yes/no, on/off, got {raw!r}")


def _int_list(env: Mapping[str, str], name: str, default: tuple[int, ...]) -> tuple[int, ...]:
    raw = env.get(name)
    if raw in (None, ""):
        return default
    try:
        return tuple(int(part) for part in raw.split(",") if part.strip())
    except ValueError as exc:
        raise SettingsError(f"{name} must be comma-separated integers, got {raw!r}") from exc


def _list(env: Mapping[str, str], name: str, default: tuple[str, ...]) -> tuple[str, ...]:
    raw = env.get(name)
    if raw in (None, ""):
        return default
    return tuple(part.strip() for part in raw.split(",") if part.strip())


@dataclass(frozen=True)
class Settings:
    database_url: str = "sqlite:///var/suara.sqlite"
    redis_url: str | None = None
    secret_key: str = field(default_factory=lambda: secrets.token_urlsafe(32), repr=False)
    data_dir: Path = DEFAULT_DATA_DIR
    upload_dir: Path = DEFAULT_DATA_DIR / "uploads"
    base_url: str = DEFAULT_BASE_URL
    queue_name: str = "classify"
    notify_queue_name: str = "notify"
    rate_limit_per_minute: int = 20
    trust_forwarded_for: bool = False
    max_json_bytes: int = 1024 * 1024
    max_attachment_bytes: int = 10 * 1024 * 1024
    max_attachments: int = 5
    min_text_chars: int = 15
    max_text_chars: int = 5000
    db_pool_min: int = 1
    db_pool_max: int = 10
    sweeper_interval_seconds: int = 30
    sweeper_grace_seconds: int = 60
    classifier_model: str | None = None
    classifier_threshold: float | None = None
    secure_cookies: bool = False
    session_hours: int = 8
    login_max_failures: int = 5
    login_lockout_minutes: int = 15
    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_user: str | None = None
    smtp_password: str | None = field(default=None, repr=False)
    smtp_starttls: bool = False
    smtp_ssl: bool = False
    mail_from: str = "Suara Warga <noreply@suarawarga.local>"
    inbound_addresses: tuple[str, ...] = ("pengaduan@suarawarga.local",)
    imap_host: str | None = None
    imap_port: int = 993
    imap_user: str | None = None
    imap_password: str | None = field(default=None, repr=False)
    imap_tls: bool = True
    imap_mailbox: str = "INBOX"
    webhook_url: str | None = None
    webhook_secret: str | None = field(default=None, repr=False)
    notify_max_attempts: int = 5
    notify_retry_intervals: tuple[int, ...] = (10, 60, 300)
    webhook_timeout_seconds: float = 5.0
    smtp_timeout_seconds: float = 15.0
    timezone: str = "Asia/Jakarta"
    classifier_threads: int = 1
    log_level: str = "INFO"
    log_format: str = "text"
    prometheus_multiproc_dir: Path | None = None
    worker_metrics_port: int | None = None
    worker_metrics_addr: str = "0.0.0.0"
    demo_admin_password: str | None = field(default=None, repr=False)

    @property
    def json_logs(self) -> bool:
        return self.log_format == "json"

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def sqlite_path(self) -> Path:
        return Path(self.database_url.split("sqlite:///", 1)[1])

    def with_overrides(self, **changes) -> "Settings":
        return replace(self, **changes)


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Build Settings from the process environment (or the given mapping); the one place that reads it."""
    env = os.environ if environ is None else environ
    data_dir = Path(env.get("SUARA_DATA_DIR") or DEFAULT_DATA_DIR)
    secret = env.get("SECRET_KEY") or _persistent_dev_secret(data_dir)
    return Settings(
        database_url=load_database_url(env),
        redis_url=env.get("REDIS_URL") or None,
        secret_key=secret,
        data_dir=data_dir,
        upload_dir=Path(env.get("UPLOAD_DIR") or data_dir / "uploads"),
        base_url=(env.get("BASE_URL") or DEFAULT_BASE_URL).rstrip("/"),
        queue_name=env.get("QUEUE_NAME") or "classify",
        notify_queue_name=env.get("NOTIFY_QUEUE_NAME") or "notify",
        rate_limit_per_minute=_int(env, "RATE_LIMIT_PER_MINUTE", 20),
        trust_forwarded_for=_bool(env, "TRUST_FORWARDED_FOR", False),
        max_json_bytes=_int(env, "MAX_JSON_BYTES", 1024 * 1024),
        max_attachment_bytes=_int(env, "MAX_ATTACHMENT_BYTES", 10 * 1024 * 1024),
        max_attachments=_int(env, "MAX_ATTACHMENTS", 5),
        min_text_chars=_int(env, "MIN_TEXT_CHARS", 15),
        max_text_chars=_int(env, "MAX_TEXT_CHARS", 5000),
        db_pool_min=_int(env, "DB_POOL_MIN", 1),
        db_pool_max=_int(env, "DB_POOL_MAX", 10),
        sweeper_interval_seconds=_int(env, "SWEEPER_INTERVAL_SECONDS", 30),
        sweeper_grace_seconds=_int(env, "SWEEPER_GRACE_SECONDS", 60),
        classifier_model=env.get("CLASSIFIER_MODEL") or None,
        classifier_threshold=_float(env, "CLASSIFIER_THRESHOLD", None),
        secure_cookies=_bool(env, "SECURE_COOKIES", (env.get("BASE_URL") or "").startswith("https")),
        session_hours=_int(env, "SESSION_HOURS", 8),
        login_max_failures=_int(env, "LOGIN_MAX_FAILURES", 5),
        login_lockout_minutes=_int(env, "LOGIN_LOCKOUT_MINUTES", 15),
        smtp_host=env.get("SMTP_HOST") or None,
        smtp_port=_int(env, "SMTP_PORT", 25),
        smtp_user=env.get("SMTP_USER") or None,
        smtp_password=env.get("SMTP_PASSWORD") or None,
        smtp_starttls=_bool(env, "SMTP_STARTTLS", False),
        smtp_ssl=_bool(env, "SMTP_SSL", False),
        mail_from=env.get("MAIL_FROM") or "Suara Warga <noreply@suarawarga.local>",
        inbound_addresses=_list(env, "INBOUND_ADDRESSES", ("pengaduan@suarawarga.local",)),
        imap_host=env.get("IMAP_HOST") or None,
        imap_port=_int(env, "IMAP_PORT", 993),
        imap_user=env.get("IMAP_USER") or None,
        imap_password=env.get("IMAP_PASSWORD") or None,
        imap_tls=_bool(env, "IMAP_TLS", True),
        imap_mailbox=env.get("IMAP_MAILBOX") or "INBOX",
        webhook_url=env.get("WEBHOOK_URL") or None,
        webhook_secret=env.get("WEBHOOK_SECRET") or None,
        notify_max_attempts=_int(env, "NOTIFY_MAX_ATTEMPTS", 5),
        notify_retry_intervals=_int_list(env, "NOTIFY_RETRY_INTERVALS", (10, 60, 300)),
        webhook_timeout_seconds=_float(env, "WEBHOOK_TIMEOUT_SECONDS", 5.0),
        smtp_timeout_seconds=_float(env, "SMTP_TIMEOUT_SECONDS", 15.0),
        timezone=env.get("TIMEZONE") or "Asia/Jakarta",
        classifier_threads=_int(env, "CLASSIFIER_THREADS", 1),
        log_level=_log_level(env),
        log_format=_choice(env, "LOG_FORMAT", LOG_FORMATS, "text"),
        prometheus_multiproc_dir=Path(env["PROMETHEUS_MULTIPROC_DIR"]) if env.get("PROMETHEUS_MULTIPROC_DIR") else None,
        worker_metrics_port=_int(env, "WORKER_METRICS_PORT", 0) or None,
        worker_metrics_addr=env.get("WORKER_METRICS_ADDR") or "0.0.0.0",
        demo_admin_password=env.get("DEMO_ADMIN_PASSWORD") or None,
    )


def load_database_url(environ: Mapping[str, str] | None = None) -> str:
    """`DATABASE_URL`, else the SQLite file in the data directory (for `piccolo_conf`, which needs only this)."""
    env = os.environ if environ is None else environ
    data_dir = Path(env.get("SUARA_DATA_DIR") or DEFAULT_DATA_DIR)
    return env.get("DATABASE_URL") or f"sqlite:///{data_dir / 'suara.sqlite'}"


def child_environ(overrides: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment for a child process: this process's environment with these overrides.

    Children (the enqueue relay, `feedback run`'s web and worker, the migration runner) get their
    configuration this way instead of through writes to `os.environ`.
    """
    return {**os.environ, **(overrides or {})}


def _choice(env: Mapping[str, str], name: str, allowed: tuple[str, ...], default: str) -> str:
    raw = env.get(name)
    if raw is None or not raw.strip():
        return default
    value = raw.strip().lower()
    if value not in allowed:
        raise SettingsError(f"{name} must be one of {', '.join(allowed)}, got {raw!r}")
    return value


def _log_level(env: Mapping[str, str]) -> str:
    raw = (env.get("LOG_LEVEL") or "INFO").strip().upper()
    if not isinstance(logging.getLevelName(raw), int):
        raise SettingsError(f"LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL, got {env.get('LOG_LEVEL')!r}")
    return raw


def _persistent_dev_secret(data_dir: Path) -> str:
    """A laptop install keeps one random secret on disk so sessions survive restarts."""
    path = data_dir / "secret_key"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        data_dir.mkdir(parents=True, exist_ok=True)
        secret = secrets.token_urlsafe(32)
        path.write_text(secret)
        path.chmod(0o600)
        return secret
