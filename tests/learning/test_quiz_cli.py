"""`sonae quiz make --count N [--seed S] --json`: the exact contract, and exit 2 on wrong arguments."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

SONAE = [sys.executable, "-c", "from sonae.cli import main; main()"]


def run(*args, stdin: str | None = None):
    return subprocess.run(SONAE + list(args), capture_output=True, text=True, timeout=120, input=stdin)


def test_json_contract_and_sonae_check_agrees(tmp_path):
    result = run("quiz", "make", "--count", "12", "--seed", "42", "--json")
    assert result.returncode == 0, result.stderr
    items = json.loads(result.stdout)
    assert len(items) == 12
    for item in items:
        assert set(item) == {"id", "channel", "text", "answer", "findings"}
        assert item["channel"] in ("sms", "mail") and item["answer"] in ("fake", "real")
        assert isinstance(item["findings"], list)
    assert run("quiz", "make", "--count", "12", "--seed", "42", "--json").stdout == result.stdout
    # The checks run `sonae check` itself: an SMS with --sms, a mail as an .eml file and on standard input.
    sms = next(i for i in items if i["channel"] == "sms")
    mail = next(i for i in items if i["channel"] == "mail")
    checked = json.loads(run("check", "--json", "--sms", sms["text"]).stdout)
    assert checked["findings"] == sms["findings"]
    eml = tmp_path / "item.eml"
    eml.write_text(mail["text"], encoding="utf-8")
    from_file = run("check", "--json", str(eml))
    assert json.loads(from_file.stdout)["findings"] == mail["findings"]
    assert json.loads(run("check", "--json", "-", stdin=mail["text"]).stdout)["findings"] == mail["findings"]
    verdict = json.loads(from_file.stdout)["verdict"]
    assert (verdict in ("danger", "caution")) if mail["answer"] == "fake" else (verdict != "danger")


@pytest.mark.parametrize("args,word", [
    (["--count", "0"], "--count"), (["--count", "-1"], "--count"), (["--count", "1000001"], "--count"),
    (["--count", "9" * 40], "--count"), (["--count", "ten"], "--count"), (["--count", "3", "--seed", "abc"], "--seed"),
    (["--count", "3", "--seed", "-2"], "--seed"), (["--count", "3", "--seed", "1.5"], "--seed"), ([], "--count"),
])
def test_wrong_arguments_exit_2_with_a_message(args, word):
    result = run("quiz", "make", *args, "--json")
    assert result.returncode == 2, (args, result.returncode, result.stderr)
    assert word in result.stderr and "Traceback" not in result.stderr
    assert result.stdout == ""


def test_plain_output_shows_the_key_and_the_checker():
    result = run("quiz", "make", "--count", "2", "--seed", "1")
    assert result.returncode == 0 and "正解:" in result.stdout and "チェッカー:" in result.stdout
