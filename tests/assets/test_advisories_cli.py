"""`sonae advisories import FILE`: a real process on a fresh SQLite data folder; hostile files import nothing."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from sonae.catalog.base import DATA_DIR

SONAE = [sys.executable, "-c", "from sonae.cli import main; main()"]
SAMPLES = DATA_DIR / "advisories"


def run(args, data_dir: Path):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "REDIS_URL")}
    env["SONAE_DATA_DIR"] = str(data_dir)
    return subprocess.run(SONAE + list(args), capture_output=True, text=True, timeout=120, env=env)


def count(data_dir: Path) -> int:
    with sqlite3.connect(data_dir / "sonae.sqlite3") as db:
        return db.execute("select count(*) from assets_advisory").fetchone()[0]


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("advisories")
    assert run(["manage", "migrate", "--verbosity", "0"], folder).returncode == 0
    return folder


def test_import_samples(data_dir):
    result = run(["advisories", "import", str(SAMPLES / "cisa-kev-2025.02.25-subset.json")], data_dir)
    assert result.returncode == 0, result.stderr
    assert "6" in result.stdout
    assert run(["advisories", "import", str(SAMPLES / "jvn-myjvn-overview-2018-03-13.xml")], data_dir).returncode == 0
    assert count(data_dir) == 9
    assert "kev" in run(["advisories", "status"], data_dir).stdout


@pytest.mark.parametrize("content", [
    b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><r>&b;</r>',
    b"<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'><item>",
    b"definitely not a feed",
])
def test_hostile_files_exit_2_and_import_nothing(data_dir, tmp_path, content):
    before = count(data_dir)
    path = tmp_path / "feed.xml"
    path.write_bytes(content)
    result = run(["advisories", "import", str(path)], data_dir)
    assert result.returncode == 2 and "nothing imported" in result.stderr and "Traceback" not in result.stderr
    assert count(data_dir) == before


def test_200_mb_file_is_refused_without_reading_it(data_dir, tmp_path):
    path = tmp_path / "huge.xml"
    with path.open("wb") as handle:  # sparse: takes no disk, and the size check comes before any read
        handle.truncate(200 * 1024 * 1024)
    result = run(["advisories", "import", str(path)], data_dir)
    assert result.returncode == 2 and "too large" in result.stderr


def test_missing_file(data_dir, tmp_path):
    result = run(["advisories", "import", str(tmp_path / "nope.json")], data_dir)
    assert result.returncode == 2 and "Traceback" not in result.stderr
