"""`sonae diagnose ID --answers FILE --json`: the contract, partial answers, hostile input."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from pypdf import PdfReader

from sonae.cli import main

IDS = [f"q{n:02d}" for n in range(1, 26)]
MIXED = {**{i: 4 for i in IDS}, "q03": "わからない", "q04": 2, "q05": 0, "q08": "一部実施している",
         "q11": "not-done", "q13": 2, "q20": "partly", "q21": 0, "q23": 2, "q24": -1, "q25": 0}


@pytest.fixture
def run():
    runner = CliRunner()

    def invoke(*args: str):
        result = runner.invoke(main, list(args))
        assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
        return result

    return invoke


def write(tmp_path, data, name="answers.json") -> str:
    path = tmp_path / name
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data if isinstance(data, str) else json.dumps(data, ensure_ascii=False),
                        encoding="utf-8")
    return str(path)


def test_json_contract(run, tmp_path):
    result = run("diagnose", "ipa-5min", "--answers", write(tmp_path, MIXED), "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert {"instrument", "version", "total", "max", "band", "parts", "unanswered"} <= set(data)
    assert data["instrument"] == "ipa-5min" and data["version"] == "2019.1"
    assert (data["total"], data["max"], data["band"]) == (64, 100, "insufficient")
    assert data["parts"] == {"part1": {"score": 9, "max": 20}, "part2": {"score": 44, "max": 52},
                             "part3": {"score": 11, "max": 28}}
    assert data["unanswered"] == []


def test_yaml_answers_and_answers_key(run, tmp_path):
    path = write(tmp_path, "answers:\n" + "".join(f"  {i}: 実施している\n" for i in IDS), "a.yaml")
    data = json.loads(run("diagnose", "ipa-5min", "--answers", path, "--json").stdout)
    assert data["total"] == 100 and data["band"] == "complete"


def test_utf8_bom_json_is_read(run, tmp_path):
    path = write(tmp_path, "\ufeff" + json.dumps({i: 4 for i in IDS}), "bom.json")
    assert json.loads(run("diagnose", "ipa-5min", "--answers", path, "--json").stdout)["total"] == 100


def test_text_output(run, tmp_path):
    result = run("diagnose", "ipa-5min", "--answers", write(tmp_path, MIXED))
    assert result.exit_code == 0
    assert "合計 64 / 100 点" in result.output and "（要確認）" in result.output
    english = run("diagnose", "ipa-5min", "--answers", write(tmp_path, MIXED), "--lang", "en")
    assert "Total 64 / 100" in english.output and "(check this)" in english.output


def test_missing_answers_exit_2_unless_allow_partial(run, tmp_path):
    partial = {i: 4 for i in IDS[:23]}
    path = write(tmp_path, partial)
    result = run("diagnose", "ipa-5min", "--answers", path, "--json")
    assert result.exit_code == 2
    assert "q24, q25" in result.stderr and "--allow-partial" in result.stderr
    assert result.stdout == ""
    ok = run("diagnose", "ipa-5min", "--answers", path, "--json", "--allow-partial")
    data = json.loads(ok.stdout)
    assert ok.exit_code == 0 and data["unanswered"] == ["q24", "q25"] and data["total"] == 92


@pytest.mark.parametrize(
    ("answers", "needle"),
    [({"q26": 4}, "q26"), ({"Q01": 4}, "Q01"), ({"q01": 5}, "5"), ({"q01": 3}, "q01"),
     ({"q01": True}, "True"), ({"q01": "maybe"}, "maybe"), ({"q01": [4]}, "list"),
     ({"q01": {"x": 1}}, "dict"), ({"q01": -2}, "-2"), ({"q01": 1e308}, "q01")],
)
def test_bad_answers_exit_2_with_clear_error(run, tmp_path, answers, needle):
    result = run("diagnose", "ipa-5min", "--answers", write(tmp_path, {**{i: 4 for i in IDS}, **answers}), "--json")
    assert result.exit_code == 2
    assert "エラー:" in result.stderr and "error:" in result.stderr and needle in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""


@pytest.mark.parametrize(
    "content",
    [b"", b"null", b"[1, 2]", b'"q01"', b"{", b"\xff\xfe\x00\x01", b"a: &a [*a, *a]\nq01: 4\n",
     b"[" * 100_000, b'{"q01": ' + b"9" * 5000 + b"}", b"{\"q01\": NaN}", b"- !!python/object:os.system {}"],
)
def test_hostile_answer_files(run, tmp_path, content):
    for name in ("hostile.json", "hostile.yaml"):
        result = run("diagnose", "ipa-5min", "--answers", write(tmp_path, content, name), "--json")
        assert result.exit_code == 2, (name, content[:40], result.output)
        assert "error:" in result.stderr and "Traceback" not in result.stderr


def test_huge_answer_file_is_refused(run, tmp_path):
    path = write(tmp_path, "{" + " " * 1_100_000 + "}")
    result = run("diagnose", "ipa-5min", "--answers", path)
    assert result.exit_code == 2 and "too large" in result.stderr


@pytest.mark.parametrize("instrument", ["nope", "", "../../etc/passwd", "ipa-5min ", "\u202eipa"])
def test_unknown_instrument(run, tmp_path, instrument):
    result = run("diagnose", instrument, "--answers", write(tmp_path, MIXED))
    assert result.exit_code == 2 and "ipa-5min" in result.stderr


def test_answers_option_is_required_and_must_exist(run, tmp_path):
    assert run("diagnose", "ipa-5min").exit_code == 2
    assert run("diagnose", "ipa-5min", "--answers", str(tmp_path / "nope.json")).exit_code == 2
    assert run("diagnose", "ipa-5min", "--answers", str(tmp_path)).exit_code == 2  # a folder


def test_reports_are_written(run, tmp_path):
    answers = write(tmp_path, MIXED)
    for suffix in (".pdf", ".xlsx", ".csv", ".svg"):
        out = tmp_path / f"report{suffix}"
        result = run("diagnose", "ipa-5min", "--answers", answers, "--report", str(out))
        assert result.exit_code == 0, result.stderr
        assert out.stat().st_size > 0
    assert "合計 64 / 100 点" in PdfReader(str(tmp_path / "report.pdf")).pages[0].extract_text()
    assert load_workbook(str(tmp_path / "report.xlsx"))["診断結果"]["B3"].value == 64
    assert (tmp_path / "report.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    bad = run("diagnose", "ipa-5min", "--answers", answers, "--report", str(tmp_path / "r.docx"))
    assert bad.exit_code == 2 and ".pdf" in bad.stderr
    unwritable = run("diagnose", "ipa-5min", "--answers", answers, "--report", str(tmp_path / "no" / "r.pdf"))
    assert unwritable.exit_code == 2 and "Traceback" not in unwritable.stderr


def test_other_instruments(run, tmp_path):
    five = write(tmp_path, {f"p{n}": "取り組む" for n in range(1, 6)}, "five.json")
    data = json.loads(run("diagnose", "security-action-5", "--answers", five, "--json").stdout)
    assert (data["total"], data["max"], data["band"], data["parts"]) == (5, 5, "ready", {})
    genai = write(tmp_path, {f"g{n:02d}": 2 for n in range(1, 13)}, "genai.json")
    data = json.loads(run("diagnose", "genai-use", "--answers", genai, "--json").stdout)
    assert data["total"] == 24 and data["band"] == "insufficient" and data["tags"]["leakage"]["max"] == 16


def test_diagnose_does_not_set_up_django(tmp_path):
    import subprocess
    import sys

    path = write(tmp_path, MIXED)
    code = (
        "import sys; from sonae.cli import main\n"
        "try:\n    main(['diagnose', 'ipa-5min', '--answers', sys.argv[1], '--json'])\n"
        "except SystemExit: pass\n"
        "import django.apps\nprint('READY', django.apps.apps.ready)\n"
    )
    out = subprocess.run([sys.executable, "-c", code, path], capture_output=True, text=True, check=True)
    assert "READY False" in out.stdout
