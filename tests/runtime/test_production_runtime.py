"""Palermo as it runs for users: its own error pages under the default settings, `check --deploy`
clean with the production settings, and gunicorn serving pages, hashed static files and the security
headers (Content-Security-Policy, HSTS, Secure cookies behind an HTTPS proxy)."""

import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import TEST_FIELD_KEY

ROOT = Path(__file__).resolve().parents[2]
PORT = 8105  # this part's own port for servers started by tests


def run_python(code: str, env: dict, timeout: int = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=timeout)


def clean_env(tmp_path: Path, **extra: str) -> dict:
    """The environment of a fresh shell: no PALERMO_DEBUG, no test overrides, a var dir of its own."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PALERMO_", "DJANGO_", "DATABASE_URL"))}
    env.update(PALERMO_VAR_DIR=str(tmp_path / "var"), PALERMO_FIELD_KEY=TEST_FIELD_KEY,
               DJANGO_SECRET_KEY=secrets.token_urlsafe(50), **extra)
    return env


ERROR_PAGE_PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client
from django.test.utils import override_settings
plain = {"default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
         "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
with override_settings(ROOT_URLCONF="tests.runtime.failing_urls", STORAGES=plain):
    client = Client(raise_request_exception=False)
    pages = {path: client.get(path) for path in ["/bug/", "/no-such-page/"]}
print(json.dumps({"debug": settings.DEBUG,
                  **{path: [r.status_code, r.content.decode()] for path, r in pages.items()}}))
"""


def test_default_settings_show_palermos_own_error_pages_not_a_traceback(tmp_path):
    env = clean_env(tmp_path, DJANGO_SETTINGS_MODULE="palermo.settings")
    done = run_python(ERROR_PAGE_PROBE, env)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["debug"] is False
    status, page = result["/bug/"]
    assert status == 500
    assert "Something went wrong" in page and "Nothing was changed by it" in page
    assert "Traceback" not in page and "RuntimeError" not in page and "a bug in a view" not in page
    status, page = result["/no-such-page/"]
    assert status == 404
    assert "There is no such record" in page and "Page not found" not in page and "URLconf" not in page


def test_developer_asks_for_tracebacks_explicitly(tmp_path):
    env = clean_env(tmp_path, DJANGO_SETTINGS_MODULE="palermo.settings", PALERMO_DEBUG="1")
    done = run_python(ERROR_PAGE_PROBE, env)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["debug"] is True
    assert "a bug in a view" in result["/bug/"][1]


def test_bad_request_gets_palermos_400_page(client):
    response = client.get("/login/", HTTP_HOST="attacker.example")
    assert response.status_code == 400
    assert "Palermo could not understand this request" in response.content.decode()


def production_env(tmp_path: Path) -> dict:
    return clean_env(tmp_path, PALERMO_DEBUG="0", PALERMO_HTTPS="1",
                     PALERMO_ALLOWED_HOSTS="palermo.example.org,127.0.0.1")


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    done = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                          cwd=ROOT, env=production_env(tmp_path), capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout
    assert "WARNINGS" not in done.stderr


def test_check_deploy_warns_when_served_without_https(tmp_path):
    """The same check fails without PALERMO_HTTPS=1, so the clean run above means something."""
    env = production_env(tmp_path)
    env["PALERMO_HTTPS"] = "0"
    done = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode != 0
    assert "SECURE_HSTS_SECONDS" in done.stderr and "SESSION_COOKIE_SECURE" in done.stderr


def fetch(path: str, headers: dict | None = None):
    request = urllib.request.Request(f"http://127.0.0.1:{PORT}{path}", headers=headers or {})

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    try:
        with urllib.request.build_opener(NoRedirect).open(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def wait_for_port(process: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stdout.read()
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", PORT)) == 0:
                return
        time.sleep(0.2)
    raise AssertionError("gunicorn did not start")


@pytest.mark.slow
def test_palermo_serve_runs_gunicorn_with_static_files_and_security_headers(tmp_path):
    env = production_env(tmp_path)
    collected = subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
                               cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert collected.returncode == 0, collected.stderr
    server = subprocess.Popen(
        [sys.executable, "manage.py", "serve", "--", "--bind", f"127.0.0.1:{PORT}", "--workers", "2",
         "--access-logfile", "/dev/null"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        wait_for_port(server)
        proxied = {"Host": "palermo.example.org", "X-Forwarded-Proto": "https"}

        status, headers, _ = fetch("/login/", {"Host": "palermo.example.org"})
        assert status == 301 and headers["Location"] == "https://palermo.example.org/login/"

        status, headers, body = fetch("/login/", proxied)
        assert status == 200
        csp = headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "default-src 'self'" in csp
        assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
        assert "Secure" in headers["Set-Cookie"]  # the CSRF cookie
        stylesheet = re.search(r'href="(/static/ui/app\.[0-9a-f]{12}\.css)"', body.decode()).group(1)

        status, headers, body = fetch(stylesheet, {**proxied, "Accept-Encoding": "gzip"})
        assert status == 200
        assert headers["Content-Encoding"] == "gzip"
        assert "max-age=315360000" in headers["Cache-Control"]

        status, _, body = fetch("/no-such-page/", proxied)
        assert status == 404 and b"There is no such record" in body
    finally:
        server.terminate()
        server.wait(timeout=30)
