"""`sonae support match|list|questions`: the CLI contract, and hostile profiles."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from sonae.cli import main


@pytest.fixture
def run(tmp_path):
    runner = CliRunner()

    def invoke(*args: str, profile: object | None = None, raw: bytes | None = None):
        if profile is not None or raw is not None:
            path = tmp_path / "profile.json"
            path.write_bytes(raw if raw is not None else json.dumps(profile, ensure_ascii=False).encode("utf-8"))
            args = (*args, "--profile", str(path))
        result = runner.invoke(main, list(args))
        assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
        return result

    return invoke


MAKER = {"prefecture": "神奈川県", "city": "横浜市", "employees": 20, "industry": "E", "answers": {}}


def rows_of(result) -> dict:
    assert result.exit_code == 0, result.output
    return {row["id"]: row for row in json.loads(result.output)}


def test_match_contract_keys_and_ground_5(run):
    rows = rows_of(run("support", "match", "--json", "--today", "2026-01-15",
                       profile={**MAKER, "state": {"jigyokei_approved": True}}))
    loan = rows["yokohama-keiei-shien-shikin"]
    assert {"id", "name", "fit", "reasons", "source_url", "as_of", "deadline", "deadline_passed"} <= set(loan)
    assert loan["fit"] == "yes" and loan["deadline"] == "2026-03-31" and loan["deadline_passed"] is False
    assert loan["as_of"] == "2025-12-11" and loan["source_url"].startswith("https://")
    assert any(r["ground"] == 5 and r["fit"] == "yes" for r in loan["reasons"])


def test_match_tokyo_and_no_plan(run):
    tokyo = rows_of(run("support", "match", "--json", profile={**MAKER, "prefecture": "東京都", "city": "千代田区",
                                                                 "state": {"jigyokei_approved": True}}))
    assert tokyo["yokohama-keiei-shien-shikin"]["fit"] == "no"
    no_plan = rows_of(run("support", "match", "--json", profile={**MAKER, "state": {"jigyokei_approved": False}}))
    assert no_plan["yokohama-keiei-shien-shikin"]["fit"] == "after_step"


def test_city_of_another_prefecture_warns_and_does_not_fit(run):
    result = run("support", "match", "--json", profile={**MAKER, "prefecture": "東京都"})
    assert result.exit_code == 0
    rows = json.loads(result.stdout)
    assert {r["id"]: r for r in rows}["yokohama-keiei-shien-shikin"]["fit"] == "no"
    assert "横浜市" in result.stderr


def test_after_deadline_is_flagged(run):
    rows = rows_of(run("support", "match", "--json", "--today", "2026-04-01",
                       profile={**MAKER, "state": {"jigyokei_approved": True}}))
    assert rows["yokohama-keiei-shien-shikin"]["deadline_passed"] is True
    assert rows["yokohama-keiei-shien-shikin"]["possibly_outdated"] is True


@pytest.mark.parametrize(("profile", "field"), [
    ({"prefecture": "ネオ東京"}, "prefecture"),
    ({"employees": -3}, "employees"),
    ({"industry": "E", "unexpected": 1}, "unexpected"),
    ({"answers": {"sales_down_5pct": "maybe"}}, "answers.sales_down_5pct"),
    ({"state": {"jigyokei_approved": "yes"}}, "state.jigyokei_approved"),
    ({"city": "javascript:alert(1)"}, "city"),
])
def test_bad_values_exit_2_naming_the_field(run, profile, field):
    result = run("support", "match", "--json", profile=profile)
    assert result.exit_code == 2
    assert field in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("raw", [b"{not json", b"\xff\xfe\x00garbage", b"[" * 100_000, b" " * 200_000])
def test_broken_or_huge_files_exit_2(run, raw):
    result = run("support", "match", "--json", raw=raw)
    assert result.exit_code == 2 and "Traceback" not in result.output


def test_text_output_marks_fits(run):
    result = run("support", "match", profile={**MAKER, "state": {"jigyokei_approved": True}})
    assert result.exit_code == 0 and "○ 横浜市中小企業融資制度" in result.output


def test_list_and_questions(run):
    entries = json.loads(run("support", "list", "--json").output)
    assert len(entries) >= 15
    for entry in entries:
        assert entry["source"]["url"].startswith("http") and entry["source"]["as_of"]
    loan = next(e for e in entries if e["id"] == "yokohama-keiei-shien-shikin")
    assert [g["number"] for g in loan["grounds"]] == list(range(1, 9))
    questions = json.loads(run("support", "questions", "--json").output)
    assert {"sales_down_5pct", "jigyokei_certified"} <= {q["id"] for q in questions}


def test_engine_commands_do_not_set_up_django():
    import subprocess
    import sys

    code = ("import sys; from sonae.cli import main; sys.argv=['sonae','support','list']; "
            "import contextlib, io\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            "    try: main()\n"
            "    except SystemExit: pass\n"
            "print('django.conf' in sys.modules and __import__('django.conf').conf.settings.configured)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env={"PATH": "/usr/bin"})
    assert out.stdout.strip() in ("False", ""), out.stderr
