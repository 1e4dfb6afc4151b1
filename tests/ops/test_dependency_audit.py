"""The dependency audit policy (scripts/dependency_audit.py), and the real pip-audit against an OSV stand-in.

api.osv.dev cannot be reached from this machine, so the end-to-end tests serve OSV's /v1/query on
127.0.0.1 with one made-up advisory for the locked Django version; pip-audit itself is the real one.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("dependency_audit", ROOT / "scripts" / "dependency_audit.py")
audit = importlib.util.module_from_spec(_spec)
sys.modules["dependency_audit"] = audit  # dataclasses look their module up while the class is made
_spec.loader.exec_module(audit)

TODAY = dt.date(2026, 12, 1)
ADVISORY = "GHSA-test-0000-0000"


def _report(*dependencies):
    return {"dependencies": list(dependencies), "fixes": []}


def _vulnerable(name="django", version="5.2.19", vuln_id=ADVISORY, aliases=("CVE-2026-99999",)):
    return {"name": name, "version": version, "vulns": [{"id": vuln_id, "aliases": list(aliases), "fix_versions": ["5.2.20"]}]}


def _ignore(**overrides):
    values = {"id": ADVISORY, "reason": "not reachable from sonae", "expires": TODAY + dt.timedelta(days=30), "by": "lead"}
    values.update(overrides)
    return audit.Ignore(**values)


def test_clean_report_passes():
    outcome = audit.judge(_report({"name": "idna", "version": "3.10", "vulns": []}), [], TODAY, "osv")
    assert outcome.status == audit.CLEAN and outcome.audited == 1


def test_a_finding_blocks():
    outcome = audit.judge(_report(_vulnerable()), [], TODAY, "osv")
    assert outcome.status == audit.FINDINGS
    assert outcome.open == [f"django 5.2.19: {ADVISORY} aka CVE-2026-99999 (fixed in: 5.2.20)"]


@pytest.mark.parametrize("vuln_id", [ADVISORY, "CVE-2026-99999"])
def test_a_live_ignore_entry_covers_the_id_or_an_alias(vuln_id):
    outcome = audit.judge(_report(_vulnerable()), [_ignore(id=vuln_id)], TODAY, "osv")
    assert outcome.status == audit.CLEAN
    assert "ignored until 2026-12-31 by lead: not reachable from sonae" in outcome.ignored[0]


def test_an_expired_ignore_entry_blocks_again():
    outcome = audit.judge(_report(_vulnerable()), [_ignore(expires=TODAY - dt.timedelta(days=1))], TODAY, "osv")
    assert outcome.status == audit.FINDINGS and "expired on 2026-11-30" in outcome.open[0]


def test_an_ignore_entry_for_another_package_does_not_cover():
    outcome = audit.judge(_report(_vulnerable()), [_ignore(package="idna")], TODAY, "osv")
    assert outcome.status == audit.FINDINGS
    assert outcome.unused_ignores == [f"{ADVISORY} (idna)"]


def test_skipped_packages_are_never_a_pass():
    """pip-audit's PyPI service skips what it cannot look up and still says 'No known vulnerabilities'."""
    report = _report({"name": "idna", "version": "3.10", "vulns": []},
                     {"name": "django", "skip_reason": "Dependency not found on PyPI and could not be audited"})
    assert audit.judge(report, [], TODAY, "pypi").status == audit.NOT_AUDITED
    assert audit.judge(_report(), [], TODAY, "pypi").status == audit.NOT_AUDITED


def _write(tmp_path, text):
    path = tmp_path / "ignore.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_ignore_file_is_read(tmp_path):
    path = _write(tmp_path, f'[[ignore]]\nid = "{ADVISORY}"\npackage = "Django"\nreason = "x"\nby = "lead"\nexpires = 2027-01-15\n')
    assert audit.load_ignores(path, TODAY) == [_ignore(package="django", reason="x", expires=dt.date(2027, 1, 15))]
    assert audit.load_ignores(tmp_path / "missing.toml", TODAY) == []


@pytest.mark.parametrize(
    "text,problem",
    [
        ('[[ignore]]\nid = "X"\nby = "lead"\nexpires = 2027-01-01\n', "'reason'"),
        ('[[ignore]]\nid = "X"\nreason = "  "\nby = "lead"\nexpires = 2027-01-01\n', "'reason'"),
        ('[[ignore]]\nid = "X"\nreason = "r"\nby = "lead"\n', "'expires'"),
        ('[[ignore]]\nid = "X"\nreason = "r"\nby = "lead"\nexpires = "soon"\n', "'expires'"),
        ('[[ignore]]\nid = "X"\nreason = "r"\nby = "lead"\nexpires = 2027-01-01T00:00:00\n', "'expires'"),
        ('[[ignore]]\nid = "X"\nreason = "r"\nby = "lead"\nexpires = 2030-01-01\n', "more than 90 days"),
        ('[[ignore]]\nid = "X"\nreason = "r"\nby = "lead"\nexpires = 2027-01-01\nforever = true\n', "unknown keys"),
        ('[[ignore]]\nreason = "r"\nby = "lead"\nexpires = 2027-01-01\n', "'id'"),
        ('ignore = "everything"\n', "only [[ignore]]"),
        ('[[ignore]\n', "not valid TOML"),
    ],
)
def test_broken_ignore_files_are_refused(tmp_path, text, problem):
    with pytest.raises(audit.IgnoreFileError, match=problem.replace("[", r"\[")):
        audit.load_ignores(_write(tmp_path, text), TODAY)


# --- end to end: uv export + the real pip-audit + an OSV stand-in on 127.0.0.1 -------------------

def _locked_version(name: str) -> str:
    import tomllib

    lock = tomllib.loads((ROOT / "uv.lock").read_text(encoding="utf-8"))
    return next(p["version"] for p in lock["package"] if p["name"] == name)


class _OsvStandIn(BaseHTTPRequestHandler):
    fail_for: str = ""

    def do_POST(self):
        query = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        name = query["package"]["name"]
        if name == self.fail_for:
            self.send_response(500)
            self.end_headers()
            return
        body = {}
        if name == "django" and query["version"] == _locked_version("django"):
            body = {"vulns": [{
                "id": ADVISORY, "aliases": ["CVE-2026-99999"], "summary": "made up for the test",
                "affected": [{"package": {"name": "django", "ecosystem": "PyPI"},
                              "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "99.0"}]}]}],
            }]}
        payload = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


@pytest.fixture
def osv_url():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _OsvStandIn)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/v1/query"
    server.shutdown()
    _OsvStandIn.fail_for = ""


def _run(tmp_path, url, ignore_text=""):
    if shutil.which("uv") is None:
        pytest.skip("uv is not on PATH")
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        pytest.skip("independent of the test database; run in the SQLite run")
    ignore_file = _write(tmp_path, ignore_text)
    return subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "dependency_audit.py"), "--service", "osv", "--ignore-file", str(ignore_file)],
        capture_output=True, text=True, timeout=300, env={**os.environ, "SONAE_AUDIT_OSV_URL": url},
    )


def test_pip_audit_finding_blocks_then_a_dated_ignore_lets_it_pass(tmp_path, osv_url):
    result = _run(tmp_path, osv_url)
    assert result.returncode == audit.FINDINGS, result.stdout + result.stderr
    assert f"VULNERABLE: django {_locked_version('django')}: " in result.stdout
    assert ADVISORY in result.stdout and "CVE-2026-99999" in result.stdout and "(fixed in: 99.0)" in result.stdout

    expires = dt.date.today() + dt.timedelta(days=10)
    result = _run(tmp_path, osv_url, f'[[ignore]]\nid = "CVE-2026-99999"\nreason = "test"\nby = "lead"\nexpires = {expires}\n')
    assert result.returncode == audit.CLEAN, result.stdout + result.stderr
    assert "no open findings, 1 ignored" in result.stdout and f"ignored until {expires} by lead: test" in result.stdout


def test_service_errors_mean_not_audited(tmp_path, osv_url):
    _OsvStandIn.fail_for = "idna"
    result = _run(tmp_path, osv_url)
    assert result.returncode == audit.NOT_AUDITED, result.stdout + result.stderr
    assert "DEPENDENCY AUDIT NOT RUN" in result.stdout and "Traceback" not in result.stdout
