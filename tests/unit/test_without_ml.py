"""The web tier installs and serves without the `ml` extra; the worker refuses to start without it."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# A meta-path finder that makes the ML packages look uninstalled, in a fresh interpreter.
BLOCK_ML = textwrap.dedent("""
    import sys

    BLOCKED = ("torch", "transformers", "sklearn", "tokenizers", "safetensors")

    class BlockML:
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in BLOCKED:
                raise ImportError(f"{name} is blocked: the ml extra is not installed")
            return None

    sys.meta_path.insert(0, BlockML())
""")


def run_blocked(code: str, tmp_path: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "SECRET_KEY": "no-ml-secret", "SUARA_DATA_DIR": str(tmp_path),
           "DATABASE_URL": f"sqlite:///{tmp_path / 'no-ml.sqlite'}"}
    env.pop("REDIS_URL", None)
    return subprocess.run([sys.executable, "-c", BLOCK_ML + textwrap.dedent(code)], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=180)


def test_web_app_imports_and_serves_without_torch(tmp_path):
    result = run_blocked("""
        from litestar.testing import TestClient

        from feedback.app import create_app, create_app_from_env
        from feedback.settings import load_settings

        create_app_from_env()
        with TestClient(app=create_app(load_settings(), run_sweeper=False)) as client:
            live = client.get("/health/live")
            assert live.status_code == 200, live.text
            schema = client.get("/schema/openapi.json")
            assert schema.status_code == 200, schema.status_code
            form = client.get("/")
            assert form.status_code < 500, form.status_code
        try:
            import torch  # noqa: F401
        except ImportError:
            pass
        else:
            raise SystemExit("the blocker let torch through")
        loaded = sorted(m for m in sys.modules if m.split(".")[0] in BLOCKED)
        assert not loaded, loaded
        print("served without ml")
    """, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "served without ml" in result.stdout


def test_cli_parser_builds_without_torch(tmp_path):
    result = run_blocked("""
        from feedback.cli import build_parser

        build_parser().parse_args(["web"])
        print("parser ok")
    """, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_worker_without_torch_says_which_extra_to_install(tmp_path):
    result = run_blocked("""
        from feedback.jobs.worker import MissingMLExtra, run_worker
        from feedback.settings import load_settings

        try:
            run_worker(load_settings(), burst=True)
        except MissingMLExtra as exc:
            print("refused:", exc)
    """, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "refused:" in result.stdout and "suara-warga[ml]" in result.stdout and "torch" in result.stdout


def test_multipart_uploads_do_not_need_python_multipart(tmp_path):
    """Litestar parses multipart forms with its own `multipart` dependency; `python-multipart` is not ours."""
    result = run_blocked("""
        from litestar import Litestar, Request, post
        from litestar.datastructures import UploadFile
        from litestar.testing import TestClient

        class BlockPythonMultipart:
            def find_spec(self, name, path=None, target=None):
                if name.split(".")[0] == "python_multipart":
                    raise ImportError("python-multipart is blocked")
                return None

        sys.meta_path.insert(0, BlockPythonMultipart())

        @post("/upload")
        async def upload(request: Request) -> str:  # as our intake and counter pages read their forms
            form = await request.form()
            photo = form.get("photo")
            assert isinstance(photo, UploadFile), type(photo)
            return f"{form.get('text')}:{len(await photo.read())}"

        with TestClient(app=Litestar([upload])) as client:
            response = client.post("/upload", data={"text": "jalan rusak"}, files={"photo": ("a.jpg", b"x" * 300, "image/jpeg")})
        assert response.status_code == 201, response.text
        assert response.text == "jalan rusak:300", response.text
        assert "python_multipart" not in sys.modules
        print("multipart ok")
    """, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "multipart ok" in result.stdout
