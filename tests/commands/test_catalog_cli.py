"""`sonae catalog list|show|validate`, including hostile arguments."""

from __future__ import annotations

import json

import pytest
import yaml
from click.testing import CliRunner

from sonae.catalog.instruments import INSTRUMENTS_DIR
from sonae.cli import main


@pytest.fixture
def run():
    runner = CliRunner()

    def invoke(*args: str):
        result = runner.invoke(main, list(args))
        assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
        return result

    return invoke


def test_list(run):
    result = run("catalog", "list")
    assert result.exit_code == 0
    assert "ipa-5min" in result.output and "5分でできる！情報セキュリティ自社診断" in result.output
    data = json.loads(run("catalog", "list", "--json").stdout)
    assert [row["id"] for row in data["instruments"]] == [
        "genai-use", "ipa-5min", "ransomware-ready", "security-action-5"]


def test_show_json_is_the_instrument_as_loaded(run):
    result = run("catalog", "show", "ipa-5min", "--json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["id"] == "ipa-5min" and data["version"] == "2019.1"
    assert len(data["items"]) == 25
    first = data["items"][0]
    assert first["id"] == "q01" and first["part"] == "part1" and first["text"]["ja"].startswith("パソコン")
    assert [(o["label"]["ja"], o["points"]) for o in data["scale"]] == [
        ("実施している", 4), ("一部実施している", 2), ("実施していない", 0), ("わからない", -1)]
    assert data["max_score"] == 100


def test_show_text_in_english(run):
    result = run("catalog", "show", "genai-use", "--lang", "en")
    assert result.exit_code == 0 and "Generative AI use risk check" in result.output


@pytest.mark.parametrize("bad", ["nope", "", "../ipa-5min", "ipa-5min\x00", "<script>", "x" * 5000])
def test_show_unknown_instrument_exits_2(run, bad):
    result = run("catalog", "show", bad)
    assert result.exit_code == 2
    assert "error:" in result.stderr and "ipa-5min" in result.stderr  # the known ids are listed
    assert "Traceback" not in result.output + result.stderr


def test_show_bad_lang(run):
    assert run("catalog", "show", "ipa-5min", "--lang", "fr").exit_code == 2


def test_validate_whole_catalog(run):
    result = run("catalog", "validate")
    assert result.exit_code == 0 and "sonae.catalog.instruments.load_instruments" in result.output


def test_validate_one_file_and_a_folder(run):
    assert run("catalog", "validate", str(INSTRUMENTS_DIR / "ipa-5min.yaml")).exit_code == 0
    result = run("catalog", "validate", str(INSTRUMENTS_DIR))
    assert result.exit_code == 0 and "4 instruments" in result.output


def test_validate_broken_file_names_file_and_item(run, tmp_path):
    data = yaml.safe_load((INSTRUMENTS_DIR / "ipa-5min.yaml").read_text(encoding="utf-8"))
    data["items"][9]["id"] = "q01"
    path = tmp_path / "ipa-5min.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = run("catalog", "validate", str(path))
    assert result.exit_code == 1
    assert str(path) in result.stderr and "item 'q01': duplicate item id" in result.stderr


@pytest.mark.parametrize(
    "content",
    [b"", b"\xff\xfe\x00\x01", b"id: [", b"- a\n- b\n", b"a: &a [*a]\n", b"x: " + b"9" * 5000,
     b"[" * 10000],
)
def test_validate_hostile_files(run, tmp_path, content):
    path = tmp_path / "hostile.yaml"
    path.write_bytes(content)
    result = run("catalog", "validate", str(path))
    assert result.exit_code == 1
    assert "error:" in result.stderr and "Traceback" not in result.stderr


def test_validate_missing_path(run, tmp_path):
    result = run("catalog", "validate", str(tmp_path / "nope.yaml"))
    assert result.exit_code == 2 and "does not exist" in result.stderr


def test_help(run):
    for args in (("catalog", "--help"), ("catalog", "show", "--help"), ("catalog", "validate", "--help")):
        assert run(*args).exit_code == 0


@pytest.mark.parametrize("version", ["1999.1", "", "\x1b[31m", "../../etc/passwd", "x" * 5000])
def test_show_unknown_version_is_refused(run, version):
    result = run("catalog", "show", "ipa-5min", "--version", version, "--json")
    assert result.exit_code == 2 and result.stdout == ""
    assert "版" in result.stderr and "2019.1" in result.stderr and "\x1b" not in result.stderr


def test_show_current_version_by_name(run):
    data = json.loads(run("catalog", "show", "ipa-5min", "--version", "2019.1", "--json").stdout)
    assert data["version"] == "2019.1" and len(data["items"]) == 25
