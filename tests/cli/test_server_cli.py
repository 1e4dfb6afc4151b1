"""The `sonae` command as a user runs it: a real process, a fresh data folder each time."""

from __future__ import annotations

import urllib.request
from pathlib import Path

import pytest

from sonae_process import SONAE, free_port, run, start_up, stop  # noqa: F401 - SONAE for other tests


def make_owner(data_dir: Path) -> None:
    assert run(["manage", "migrate", "--verbosity", "0"], data_dir).returncode == 0
    result = run(["manage", "shell", "-c", "from django.contrib.auth import get_user_model as g; g().objects.create_user('o', 'o@example.jp', 'A-long-enough-passw0rd')"], data_dir)
    assert result.returncode == 0, result.stderr


def test_up_creates_data_prints_setup_link_and_keeps_data(tmp_path):
    data = tmp_path / "sonae-data"
    port = free_port()
    process, output = start_up(data, port)
    try:
        assert f"http://127.0.0.1:{port}/setup/" in output
        assert (data / "sonae.sqlite3").exists()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=5) as response:
            assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    finally:
        stop(process)
    # WAL mode is on.
    import sqlite3

    assert sqlite3.connect(data / "sonae.sqlite3").execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    # Create the first user and an organisation, then start again: no setup link, data kept.
    result = run(["manage", "shell", "-c", "from django.contrib.auth import get_user_model as g; g().objects.create_user('o', 'o@example.jp', 'A-long-enough-passw0rd')"], data)
    assert result.returncode == 0, result.stderr
    result = run(["createorg", "--name", "株式会社テスト", "--owner-email", "o@example.jp", "--prefecture", "神奈川県", "--industry", "E"], data)
    assert result.returncode == 0 and "株式会社テスト" in result.stdout, result.stderr
    key_before = (data / "secret_key").read_text()
    process, output = start_up(data, port)
    stop(process)
    assert "/setup/" not in output
    assert (data / "secret_key").read_text() == key_before
    result = run(["manage", "shell", "-c", "from sonae.orgs.models import Organisation as O; print(O.objects.get().name)"], data)
    assert "株式会社テスト" in result.stdout


def test_backup_restore_through_the_cli(tmp_path):
    source, target = tmp_path / "a", tmp_path / "b"
    make_owner(source)
    assert run(["createorg", "--name", "横浜の会社", "--owner-email", "o@example.jp"], source).returncode == 0
    backup = tmp_path / "b.zip"
    result = run(["backup", str(backup)], source)
    assert result.returncode == 0, result.stderr
    again = run(["backup", str(backup)], source)
    assert again.returncode == 1 and "--force" in again.stderr
    result = run(["restore", str(backup)], target)
    assert result.returncode == 0, result.stderr
    result = run(["manage", "shell", "-c", "from sonae.orgs.models import Organisation as O; print(O.objects.get().name)"], target)
    assert "横浜の会社" in result.stdout
    # A second restore into the now non-empty installation is refused.
    result = run(["restore", str(backup)], target)
    assert result.returncode == 1 and "空ではありません" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "args,expected",
    [
        (["restore", "/nonexistent/file.zip"], "does not exist"),
        (["createorg", "--name", "x", "--owner-email", "nobody@example.jp"], "ユーザーが見つかりません"),
        (["up", "--port", "99999"], "99999"),
        (["up", "--port", "abc"], "abc"),
        (["worker", "--workers", "0"], "0"),
        (["nonsense"], "No such command"),
    ],
)
def test_bad_arguments_get_clear_messages(tmp_path, args, expected):
    result = run(args, tmp_path / "d")
    assert result.returncode != 0
    assert expected in result.stderr
    assert "Traceback" not in result.stderr


def test_createorg_refuses_bad_corporate_number(tmp_path):
    data = tmp_path / "d"
    make_owner(data)
    result = run(["createorg", "--name", "x", "--owner-email", "o@example.jp", "--corporate-number", "1700150018135"], data)
    assert result.returncode == 1 and "チェックデジット" in result.stderr
    result = run(["createorg", "--name", "x\x07y", "--owner-email", "o@example.jp"], data)
    assert result.returncode == 1 and "制御文字" in result.stderr


def test_help_everywhere(tmp_path):
    for command in ([], ["up"], ["worker"], ["backup"], ["restore"], ["createorg"], ["manage"]):
        result = run(command + ["--help"], tmp_path / "d") if command != ["manage"] else run(["--help"], tmp_path / "d")
        assert result.returncode == 0 and "Usage" in result.stdout


def test_production_settings_pass_deploy_check(tmp_path):
    result = run(
        ["manage", "check", "--deploy", "--fail-level", "WARNING"],
        tmp_path / "d",
        SONAE_ENV="production",
        SONAE_SECRET_KEY="k" * 20 + "-Zq8vX2pL9mN4bR7tY1wE5uI3oP6aS0dF",
        SONAE_ALLOWED_HOSTS="sonae.example.jp",
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout
