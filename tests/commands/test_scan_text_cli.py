"""`sonae scan-text`: exit codes, JSON and masked output, hostile input for every argument."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from sonae.cli import main

SAMPLE = "山田太郎様の電話は090-1234-5678、マイナンバーは1234 5678 9018です。\n"


def run(args, input=None):
    return CliRunner().invoke(main, ["scan-text", *args], input=input, catch_exceptions=False)


def test_nothing_found_exits_0():
    result = run(["-"], input="今日は良い天気です。\n")
    assert result.exit_code == 0
    assert "nothing found" in result.output


def test_findings_exit_1_and_are_listed():
    result = run([], input=SAMPLE)
    assert result.exit_code == 1
    assert "090-1234-5678" in result.output
    assert "blocked" in result.output  # My Number is blocked by default


def test_json_output(tmp_path):
    path = tmp_path / "note.txt"
    path.write_text(SAMPLE, encoding="utf-8")
    result = run(["--json", str(path)])
    assert result.exit_code == 1
    data = json.loads(result.output)
    types = {f["type"] for f in data["findings"]}
    assert {"person_name", "phone", "my_number"} <= types
    for f in data["findings"]:
        assert SAMPLE[f["start"] : f["end"]] == f["text"]
    assert data["blocked"] is True
    assert data["mapping"]["<電話番号_1>"] == "090-1234-5678"


def test_mask_output():
    result = run(["--mask", "-"], input=SAMPLE)
    assert result.exit_code == 1
    assert "090-1234-5678" not in result.output
    assert "<電話番号_1>" in result.output
    assert "<マイナンバー_1>" in result.output


def test_mask_keeps_clean_text():
    result = run(["--mask"], input="問題のない文章\n")
    assert result.exit_code == 0
    assert result.output == "問題のない文章\n"


def test_term_option_matches_variants():
    result = run(["--json", "--term", "ｱｸﾒ", "--term", "Project Falcon"], input="アクメ社とproject falconの件\n")
    assert result.exit_code == 1
    texts = [f["text"] for f in json.loads(result.output)["findings"]]
    assert texts == ["アクメ", "project falcon"]


def test_action_override():
    result = run(["--json", "--action", "phone=block"], input="電話 03-1234-5678\n")
    data = json.loads(result.output)
    assert data["findings"][0]["action"] == "block"
    assert data["blocked"] is True


@pytest.mark.parametrize("value", ["phone", "phone=", "=block", "nosuch=block", "phone=delete", "phone=block=x"])
def test_bad_action_is_refused(value):
    result = CliRunner().invoke(main, ["scan-text", "--action", value], input="x")
    assert result.exit_code == 2
    assert "error:" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("term", ["", "   "])
def test_empty_terms_are_ignored(term):
    result = run(["--term", term], input="text\n")
    assert result.exit_code == 0


def test_too_long_term_is_refused():
    result = CliRunner().invoke(main, ["scan-text", "--term", "x" * 500], input="x")
    assert result.exit_code == 2
    assert "error:" in result.output


def test_invalid_utf8_exits_2(tmp_path):
    path = tmp_path / "bad.txt"
    path.write_bytes("マイナンバー".encode() + b"\xff\xfe\x80")
    result = CliRunner().invoke(main, ["scan-text", str(path)])
    assert result.exit_code == 2
    assert "UTF-8" in result.output
    assert "Traceback" not in result.output


def test_missing_file_exits_2(tmp_path):
    result = CliRunner().invoke(main, ["scan-text", str(tmp_path / "nope.txt")])
    assert result.exit_code == 2
    assert "no such file" in result.output


def test_directory_exits_2(tmp_path):
    result = CliRunner().invoke(main, ["scan-text", str(tmp_path)])
    assert result.exit_code == 2
    assert "error:" in result.output


def test_too_large_exits_2(tmp_path):
    path = tmp_path / "big.txt"
    path.write_bytes(b"a" * 10_000_000)
    result = CliRunner().invoke(main, ["scan-text", str(path)])
    assert result.exit_code == 2
    assert "10 MB" in result.output


def test_empty_input_exits_0():
    result = run([], input="")
    assert result.exit_code == 0


def test_bom_is_accepted():
    result = run(["--json"], input="\ufeff電話 03-1234-5678".encode())
    assert result.exit_code == 1
    assert json.loads(result.output)["findings"][0]["text"] == "03-1234-5678"


def test_unknown_option_is_a_clear_error():
    result = CliRunner().invoke(main, ["scan-text", "--nope"])
    assert result.exit_code == 2
    assert "No such option" in result.output


def test_help():
    result = CliRunner().invoke(main, ["scan-text", "--help"])
    assert result.exit_code == 0
    assert "--term" in result.output and "--mask" in result.output


def test_real_process_with_invalid_utf8_on_stdin():
    # The real entry point, with bytes that are not UTF-8 on stdin: exit 2, no traceback, no Django.
    proc = subprocess.run(
        [sys.executable, "-c", "import sys; from sonae.cli import main; sys.argv=['sonae','scan-text','-']; main()"],
        input=b"abc\xc3\x28def", capture_output=True, timeout=60,
    )
    assert proc.returncode == 2
    assert b"UTF-8" in proc.stderr
    assert b"Traceback" not in proc.stderr
