"""`sonae check`: exit codes per verdict, JSON lines, Japanese output, hostile input for every argument."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from sonae.cli import main

FIXTURES = Path(__file__).resolve().parent.parent / "engines" / "messages" / "fixtures"
PHISH_SMS = "【三井住友カード】ご利用確認のお願い https://vjs-check.example.com/login"


def run(args, input=None):
    return CliRunner().invoke(main, ["check", *args], input=input, catch_exceptions=False)


def test_danger_sms_exits_2_with_japanese_reasons():
    result = run(["--sms", PHISH_SMS])
    assert result.exit_code == 2
    assert "判定: 危険" in result.output
    assert "公式ドメインではありません" in result.output
    assert "すべきこと" in result.output


def test_legitimate_url_exits_0_and_never_says_safe():
    result = run(["--url", "https://www.smbc-card.com/mem/index.jsp"])
    assert result.exit_code == 0
    assert "問題は見つかりませんでした" in result.output
    assert "安全です" not in result.output


def test_caution_exits_1():
    result = run(["--url", "https://bdjnw.cn/jk"])
    assert result.exit_code == 1
    assert "判定: 注意" in result.output


def test_mail_file_json():
    result = run(["--json", str(FIXTURES / "phish_smbc_card.eml")])
    assert result.exit_code == 2
    data = json.loads(result.output)
    assert data["verdict"] == "danger" and data["exit_code"] == 2
    assert data["subject"].startswith("【重要】")


def test_many_files_stream_json_lines_and_exit_with_the_worst(tmp_path):
    files = [FIXTURES / "legit_amazon_order.eml", FIXTURES / "phish_smbc_card.eml", FIXTURES / "legit_partner_invoice.eml"]
    result = run(["--json", *map(str, files)])
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert [line["verdict"] for line in lines] == ["none", "danger", "none"]
    assert [line["input"] for line in lines] == [str(f) for f in files]
    assert result.exit_code == 2


def test_unusable_file_among_others_exits_3(tmp_path):
    empty = tmp_path / "empty.eml"
    empty.write_bytes(b"")
    result = run(["--json", str(FIXTURES / "legit_amazon_order.eml"), str(empty), str(tmp_path / "missing.eml")])
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert lines[0]["verdict"] == "none"
    assert lines[1]["error"] == "empty" and lines[2]["error"] == "cannot_read"
    assert result.exit_code == 3


def test_stdin_mail_and_stdin_text():
    raw = (FIXTURES / "phish_smbc_card.eml").read_bytes()
    assert run(["-"], input=raw).exit_code == 2
    assert run(["-"], input=PHISH_SMS.encode()).exit_code == 2


def test_own_domain_option():
    result = run(["--own-domain", "company.co.jp", "--trusted-domain", "partner.co.jp", "--url", "https://cornpany.co.jp/"])
    assert result.exit_code == 2
    assert "自社のドメイン" in result.output


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["--sms", "x", "--url", "https://example.com"],
        ["--sms", PHISH_SMS, "file.eml"],
        ["--own-domain", "not a domain", "--url", "https://example.com"],
        ["--trusted-domain", "a/b", "--url", "https://example.com"],
        ["--no-such-option"],
        ["-", "-"],
    ],
)
def test_bad_arguments_exit_3_without_traceback(args):
    result = run(args)
    assert result.exit_code == 3
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    "args",
    [["--sms", ""], ["--sms", "\x00\x01\x02" * 100], ["--url", ""], ["--url", "x" * 20000], ["--sms", "あ" * 30000]],
)
def test_unusable_values_exit_3(args):
    result = run(args)
    assert result.exit_code == 3
    assert "エラー:" in result.output


def test_directory_binary_and_huge_files(tmp_path):
    junk = tmp_path / "junk.eml"
    junk.write_bytes(bytes(range(256)) * 100)
    assert run([str(tmp_path)]).exit_code == 3
    assert run([str(junk)]).exit_code == 3
    huge = tmp_path / "huge.eml"
    with huge.open("wb") as handle:
        handle.truncate(100 * 1024 * 1024)  # sparse 100 MB file
    result = run(["--json", str(huge)])
    assert result.exit_code == 3
    assert json.loads(result.output)["error"] == "too_large"


def test_help_is_available():
    result = CliRunner().invoke(main, ["check", "--help"])
    assert result.exit_code == 0
    assert "--sms" in result.output and "--own-domain" in result.output


@pytest.mark.skipif(shutil.which("uv") is None, reason="needs uv to run the installed command")
def test_check_does_not_set_up_django():
    import subprocess
    import sys

    code = (
        "import sys; from click.testing import CliRunner; from sonae.cli import main; "
        "CliRunner().invoke(main, ['check', '--url', 'https://example.com']); "
        "print('django.apps' in sys.modules and __import__('django.apps').apps.ready)"
    )
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert output.strip() == "False"
