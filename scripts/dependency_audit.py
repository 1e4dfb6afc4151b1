"""Audit every package pinned in uv.lock against a vulnerability database (pip-audit), with our policy.

    uv run python scripts/dependency_audit.py [--service auto|osv|pypi] [--ignore-file PATH]

Exit status (docs/operations.md, "Dependency audit"):
  0  every package was audited and nothing is open (findings covered by a live ignore entry are listed)
  1  at least one finding is open: a vulnerability without an ignore entry, or with an expired one
  2  the ignore file is broken (missing reason, missing or too distant expiry, unknown key)
  3  NOT AUDITED: the vulnerability service could not be reached, or skipped some packages. This is
     never reported as a pass: pip-audit's PyPI service answers "No known vulnerabilities found" and
     exits 0 even when it skipped every package, which is what happens on a machine that reaches
     PyPI's package index but not its per-version JSON API.

The OSV service can be pointed at a mirror with SONAE_AUDIT_OSV_URL (an OSV-compatible /v1/query).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_IGNORE_FILE = ROOT / ".ci" / "dependency-audit-ignore.toml"
MAX_IGNORE_DAYS = 90  # an ignore entry is a decision with a date to look again, never a permanent one
NOT_AUDITED, FINDINGS, BROKEN_IGNORES, CLEAN = 3, 1, 2, 0


@dataclass(frozen=True)
class Ignore:
    id: str
    reason: str
    expires: dt.date
    by: str
    package: str = ""


@dataclass
class Outcome:
    service: str = ""
    audited: int = 0
    skipped: list[str] = field(default_factory=list)
    open: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    unused_ignores: list[str] = field(default_factory=list)
    error: str = ""

    @property
    def status(self) -> int:
        if self.error or self.skipped or not self.audited:
            return NOT_AUDITED
        return FINDINGS if self.open else CLEAN


class IgnoreFileError(Exception):
    pass


def load_ignores(path: Path, today: dt.date) -> list[Ignore]:
    """Read the ignore file; every entry needs an id, a reason, who decided, and an expiry ≤ 90 days ahead."""
    if not path.exists():
        return []
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise IgnoreFileError(f"{path}: not valid TOML: {exc}") from exc
    entries = data.get("ignore", [])
    if set(data) - {"ignore"} or not isinstance(entries, list):
        raise IgnoreFileError(f"{path}: only [[ignore]] tables are allowed")
    ignores = []
    for number, entry in enumerate(entries, start=1):
        where = f"{path}: [[ignore]] #{number}"
        if not isinstance(entry, dict):
            raise IgnoreFileError(f"{where}: not a table")
        unknown = set(entry) - {"id", "package", "reason", "expires", "by"}
        if unknown:
            raise IgnoreFileError(f"{where}: unknown keys {sorted(unknown)}")
        for key in ("id", "reason", "by"):
            if not isinstance(entry.get(key), str) or not entry[key].strip():
                raise IgnoreFileError(f"{where}: '{key}' must be a non-empty string")
        expires = entry.get("expires")
        if not isinstance(expires, dt.date) or isinstance(expires, dt.datetime):
            raise IgnoreFileError(f"{where}: 'expires' must be a date such as 2027-01-31")
        if expires > today + dt.timedelta(days=MAX_IGNORE_DAYS):
            raise IgnoreFileError(f"{where}: 'expires' is more than {MAX_IGNORE_DAYS} days ahead ({expires})")
        ignores.append(Ignore(id=entry["id"].strip(), reason=entry["reason"].strip(), expires=expires,
                              by=entry["by"].strip(), package=str(entry.get("package", "")).strip().lower()))
    return ignores


def judge(report: dict, ignores: list[Ignore], today: dt.date, service: str) -> Outcome:
    """Apply the policy to pip-audit's JSON report."""
    outcome = Outcome(service=service)
    used: set[Ignore] = set()
    for dependency in report.get("dependencies", []):
        name = dependency.get("name", "?")
        if "skip_reason" in dependency:
            outcome.skipped.append(f"{name}: {dependency['skip_reason']}")
            continue
        outcome.audited += 1
        for vuln in dependency.get("vulns", []):
            ids = {vuln.get("id", "")} | set(vuln.get("aliases", []))
            fixes = ", ".join(vuln.get("fix_versions", [])) or "no fix yet"
            aliases = "".join(f" aka {alias}" for alias in vuln.get("aliases", []))
            line = f"{name} {dependency.get('version', '?')}: {vuln.get('id')}{aliases} (fixed in: {fixes})"
            match = next((i for i in ignores if i.id in ids and i.package in ("", name.lower())), None)
            if match is None:
                outcome.open.append(line)
            elif match.expires < today:
                used.add(match)
                outcome.open.append(f"{line} — ignore entry expired on {match.expires}")
            else:
                used.add(match)
                outcome.ignored.append(f"{line} — ignored until {match.expires} by {match.by}: {match.reason}")
    outcome.unused_ignores = [f"{i.id} ({i.package or 'any package'})" for i in ignores if i not in used]
    return outcome


def export_requirements(target: Path) -> None:
    """uv.lock as a hashed requirements file: every group, exactly the pinned versions."""
    subprocess.run(
        ["uv", "export", "--locked", "--all-groups", "--no-emit-project", "--quiet", "--output-file", str(target)],
        cwd=ROOT, check=True,
    )


def run_pip_audit(requirements: Path, service: str, osv_url: str | None) -> tuple[dict | None, str]:
    with tempfile.TemporaryDirectory(prefix="sonae-audit-") as tmp:
        output = Path(tmp) / "report.json"
        command = [sys.executable, "-m", "pip_audit", "--requirement", str(requirements), "--disable-pip",
                   "--require-hashes", "--vulnerability-service", service, "--format", "json", "--aliases", "on",
                   "--desc", "off", "--progress-spinner", "off", "--timeout", "15", "--output", str(output),
                   "--cache-dir", str(Path(tmp) / "cache")]
        if service == "osv" and osv_url:
            command += ["--osv-url", osv_url]
        result = subprocess.run(command, capture_output=True, text=True)
        if output.exists() and output.stat().st_size:
            return json.loads(output.read_text(encoding="utf-8")), ""
        lines = [line for line in (result.stderr or result.stdout).strip().splitlines() if line.strip()]
        return None, (lines[-1] if lines else f"pip-audit exited {result.returncode}")[:300]


def audit(service: str, ignores: list[Ignore], today: dt.date, osv_url: str | None) -> Outcome:
    with tempfile.TemporaryDirectory(prefix="sonae-audit-") as tmp:
        requirements = Path(tmp) / "requirements.txt"
        export_requirements(requirements)
        errors = []
        for name in (["osv", "pypi"] if service == "auto" else [service]):
            report, error = run_pip_audit(requirements, name, osv_url)
            if report is None:
                errors.append(f"{name}: {error}")
                continue
            outcome = judge(report, ignores, today, name)
            if outcome.status != NOT_AUDITED:
                return outcome
            errors.append(f"{name}: skipped {len(outcome.skipped)} of {len(outcome.skipped) + outcome.audited} packages")
        return Outcome(service=service, error="; ".join(errors))


def print_outcome(outcome: Outcome) -> None:
    for line in outcome.ignored:
        print(f"ignored: {line}")
    for line in outcome.unused_ignores:
        print(f"warning: ignore entry {line} matched no finding; remove it")
    if outcome.status == NOT_AUDITED:
        reason = outcome.error or f"{len(outcome.skipped)} of {len(outcome.skipped) + outcome.audited} packages skipped"
        print("=" * 78)
        print("DEPENDENCY AUDIT NOT RUN: the vulnerability database could not be read.")
        print(f"  {reason}")
        print("  Nothing is known about vulnerabilities in uv.lock from this run.")
        print("  Run it where api.osv.dev or pypi.org's JSON API is reachable before a release")
        print("  (docs/operations.md, 'Dependency audit').")
        print("=" * 78)
    elif outcome.status == FINDINGS:
        for line in outcome.open:
            print(f"VULNERABLE: {line}")
        print(f"dependency audit ({outcome.service}): {len(outcome.open)} open finding(s) — upgrade, or add a "
              "dated ignore entry with a reason (docs/operations.md, 'Dependency audit')")
    else:
        print(f"dependency audit ({outcome.service}): {outcome.audited} packages audited, no open findings"
              f"{f', {len(outcome.ignored)} ignored' if outcome.ignored else ''}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--service", choices=["auto", "osv", "pypi"], default="auto",
                        help="vulnerability database: OSV, then PyPI's JSON API if OSV is unreachable (auto)")
    parser.add_argument("--ignore-file", type=Path, default=DEFAULT_IGNORE_FILE)
    args = parser.parse_args(argv)
    today = dt.date.today()
    try:
        ignores = load_ignores(args.ignore_file, today)
    except IgnoreFileError as exc:
        print(f"dependency audit: {exc}")
        return BROKEN_IGNORES
    outcome = audit(args.service, ignores, today, os.environ.get("SONAE_AUDIT_OSV_URL") or None)
    print_outcome(outcome)
    return outcome.status


if __name__ == "__main__":
    sys.exit(main())
