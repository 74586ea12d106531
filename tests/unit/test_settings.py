"""Configuration comes from one factory: strict values, nothing read at import, no environment reads elsewhere."""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from feedback.settings import Settings, SettingsError, child_environ, load_settings

ROOT = Path(__file__).resolve().parents[2]
ALLOWED = {ROOT / "feedback" / "settings.py"}
ENV_FUNCTIONS = {"getenv", "getenvb", "putenv", "unsetenv", "environ", "environb"}


def env(**values: str) -> dict[str, str]:
    return {"SECRET_KEY": "test-secret", **values}


def _environment_uses(path: Path) -> list[str]:
    """`os.environ`, `os.getenv`, ... and `from os import environ` in one module, as 'file:line what'."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in ENV_FUNCTIONS \
                and isinstance(node.value, ast.Name) and node.value.id in {"os", "posix"}:
            found.append((node.lineno, f"os.{node.attr}"))
        elif isinstance(node, ast.ImportFrom) and node.module in {"os", "posix"}:
            found += [(node.lineno, f"from os import {a.name}") for a in node.names if a.name in ENV_FUNCTIONS]
    return [f"{path.relative_to(ROOT)}:{line} {what}" for line, what in found]


def test_only_settings_reads_the_environment():
    modules = [p for package in ("feedback", "admin_ui") for p in sorted((ROOT / package).rglob("*.py"))]
    assert len(modules) > 50
    offenders = [use for path in modules if path not in ALLOWED for use in _environment_uses(path)]
    assert offenders == [], "read the environment through feedback.settings.load_settings() instead:\n" + "\n".join(offenders)


def test_the_ast_check_sees_every_form(tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text("import os\nfrom os import environ, getenv\nos.environ['A'] = '1'\nos.getenv('B')\n"
                          "x = os.environ.get('C')\nos.putenv('D', '1')\n")
    tree = ast.parse(probe.read_text())
    names = [n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute) and n.attr in ENV_FUNCTIONS]
    imported = [a.name for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) for a in n.names]
    assert sorted(names) == ["environ", "environ", "getenv", "putenv"] and imported == ["environ", "getenv"]


@pytest.mark.parametrize("raw, expected", [
    ("true", True), ("TRUE", True), (" True ", True), ("1", True), ("yes", True), ("Yes", True), ("on", True), ("ON", True),
    ("false", False), ("False", False), ("0", False), ("no", False), ("NO", False), ("off", False), ("Off", False),
])
def test_booleans_accept_the_usual_spellings(raw, expected):
    assert load_settings(env(TRUST_FORWARDED_FOR=raw)).trust_forwarded_for is expected


@pytest.mark.parametrize("raw", ["ture", "ya", "y", "2", "enabled", "tru e", "-1"])
def test_a_boolean_typo_is_an_error_naming_the_variable(raw):
    with pytest.raises(SettingsError, match=r"SMTP_STARTTLS must be one of true/false.*" + repr(raw).replace("'", ".")):
        load_settings(env(SMTP_STARTTLS=raw))


def test_unset_or_empty_booleans_take_their_default():
    assert load_settings(env()).imap_tls is True
    assert load_settings(env(IMAP_TLS="")).imap_tls is True
    assert load_settings(env(IMAP_TLS="off")).imap_tls is False
    assert load_settings(env(BASE_URL="https://lapor.example.go.id")).secure_cookies is True
    assert load_settings(env(BASE_URL="https://lapor.example.go.id", SECURE_COOKIES="false")).secure_cookies is False


def test_other_typed_values_name_the_variable():
    with pytest.raises(SettingsError, match="DB_POOL_MAX must be an integer"):
        load_settings(env(DB_POOL_MAX="ten"))
    with pytest.raises(SettingsError, match="LOG_FORMAT must be one of text, json"):
        load_settings(env(LOG_FORMAT="xml"))
    with pytest.raises(SettingsError, match="LOG_LEVEL"):
        load_settings(env(LOG_LEVEL="chatty"))


def test_process_settings_are_fields():
    settings = load_settings(env(LOG_LEVEL="debug", LOG_FORMAT="JSON", WORKER_METRICS_PORT="9101",
                                 PROMETHEUS_MULTIPROC_DIR="/run/m", DEMO_ADMIN_PASSWORD="pw", CLASSIFIER_THREADS="3"))
    assert (settings.log_level, settings.json_logs, settings.worker_metrics_port) == ("DEBUG", True, 9101)
    assert settings.prometheus_multiproc_dir == Path("/run/m") and settings.classifier_threads == 3
    assert "pw" not in repr(settings)
    defaults = load_settings(env())
    assert (defaults.log_level, defaults.json_logs, defaults.worker_metrics_port, defaults.classifier_threads) == ("INFO", False, None, 1)


def test_data_dir_comes_from_the_mapping_not_the_import(tmp_path):
    settings = load_settings(env(SUARA_DATA_DIR=str(tmp_path)))
    assert settings.data_dir == tmp_path and settings.upload_dir == tmp_path / "uploads"
    assert settings.database_url == f"sqlite:///{tmp_path / 'suara.sqlite'}"
    assert Settings().data_dir == Path("var")


def test_child_environ_overlays_without_touching_ours(monkeypatch):
    import os

    monkeypatch.setenv("SW_CHILD_PROBE", "parent")
    before = dict(os.environ)
    child = child_environ({"SW_CHILD_PROBE": "child", "DATABASE_URL": "sqlite:///x"})
    assert child["SW_CHILD_PROBE"] == "child" and child["DATABASE_URL"] == "sqlite:///x"
    assert dict(os.environ) == before


def test_importing_the_app_reads_no_settings():
    """A broken value fails when settings are built, not when modules are imported."""
    code = ("import feedback.settings, feedback.app, feedback.cli, feedback.jobs.worker, feedback.piccolo_conf\n"
            "from feedback.settings import SettingsError, load_settings\n"
            "try:\n    load_settings()\nexcept SettingsError as exc:\n    print('late:', exc)\n")
    bad = {**child_environ(), "TRUST_FORWARDED_FOR": "maybe", "SECRET_KEY": "x"}
    result = subprocess.run([sys.executable, "-c", code], env=bad, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "late: TRUST_FORWARDED_FOR must be one of" in result.stdout
