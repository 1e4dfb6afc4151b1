"""`sonae plan`: templates, rendering, refusing invalid documents, hostile input for every argument."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from pypdf import PdfReader

from sonae.cli import main
from sonae.engines import documents

FIXTURES = Path(__file__).parent.parent / "engines" / "documents" / "fixtures"
SAMPLES = {
    "jigyokei": FIXTURES / "jigyokei_minato.json",
    "security-policy": FIXTURES / "security_policy_minato.json",
    "ai-guideline": FIXTURES / "ai_guideline_minato.json",
    "incident-response": FIXTURES / "incident_response_minato.json",
}


def run(args, input=None):
    return CliRunner().invoke(main, ["plan", *args], input=input, catch_exceptions=False)


def write_json(tmp_path, data, name="doc.json") -> str:
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


def sample(kind):
    return json.loads(SAMPLES[kind].read_text(encoding="utf-8"))


@pytest.mark.parametrize("kind", documents.KINDS)
def test_template_json_is_the_empty_document(kind):
    result = run(["template", kind, "--json"])
    assert result.exit_code == 0
    assert json.loads(result.output) == documents.empty_document(kind)


def test_template_without_json_lists_fields():
    result = run(["template", "jigyokei"])
    assert result.exit_code == 0
    assert "period.end" in result.output and "実施期間" in result.output


def test_fields_prints_definitions():
    result = run(["fields", "ai-guideline"])
    assert result.exit_code == 0
    spec = json.loads(result.output)
    assert spec["kind"] == "ai-guideline" and spec["sections"]


@pytest.mark.parametrize("kind", documents.KINDS)
@pytest.mark.parametrize("fmt", documents.FORMATS)
def test_render_each_kind_and_format(tmp_path, kind, fmt):
    out = tmp_path / f"out.{fmt}"
    result = run(["render", kind, "--input", str(SAMPLES[kind]), "--format", fmt, "--output", str(out)])
    assert result.exit_code == 0, result.output
    content = out.read_bytes()
    if fmt == "pdf":
        assert content.startswith(b"%PDF") and PdfReader(io.BytesIO(content)).pages
    elif fmt == "docx":
        assert Document(io.BytesIO(content)).paragraphs
    else:
        assert content.decode("utf-8").startswith("# ")
    assert not list(tmp_path.glob("*.part"))


def test_render_with_approval_and_card(tmp_path):
    out = tmp_path / "card.pdf"
    result = run(["render", "incident-response", "--input", str(SAMPLES["incident-response"]), "--format", "pdf",
                  "--output", str(out), "--card", "--approved-by", "港　太郎", "--approved-at", "2026-12-01",
                  "--version-label", "第3版"])
    assert result.exit_code == 0, result.output
    assert len(PdfReader(str(out)).pages) == 1


def test_render_to_stdout():
    result = run(["render", "security-policy", "--input", str(SAMPLES["security-policy"]), "--format", "md",
                  "--output", "-"])
    assert result.exit_code == 0
    assert "情報セキュリティ基本方針" in result.stdout


def test_render_from_stdin(tmp_path):
    out = tmp_path / "p.md"
    text = SAMPLES["security-policy"].read_text(encoding="utf-8")
    result = run(["render", "security-policy", "--input", "-", "--format", "md", "--output", str(out)], input=text)
    assert result.exit_code == 0 and out.exists()


def test_period_over_three_years_is_refused_with_field_and_reason(tmp_path):
    data = sample("jigyokei")
    data["period"] = {"start": "2027-01", "end": "2030-06"}
    out = tmp_path / "plan.docx"
    result = run(["render", "jigyokei", "--input", write_json(tmp_path, data), "--format", "docx",
                  "--output", str(out)])
    assert result.exit_code == 2
    assert "period.end" in result.stderr and "3年" in result.stderr and "three years" in result.stderr
    assert not out.exists()


def test_warnings_are_shown_but_do_not_block(tmp_path):
    data = sample("jigyokei")
    data["goals"]["hazards"] = data["goals"]["hazards"][:2]  # no cyber scenario
    out = tmp_path / "plan.md"
    result = run(["render", "jigyokei", "--input", write_json(tmp_path, data), "--format", "md", "--output", str(out)])
    assert result.exit_code == 0
    assert "警告" in result.stderr and "goals.hazards" in result.stderr


def test_require_complete(tmp_path):
    path = write_json(tmp_path, documents.empty_document("security-policy"))
    out = tmp_path / "p.md"
    assert run(["render", "security-policy", "--input", path, "--format", "md", "--output", str(out)]).exit_code == 0
    result = run(["render", "security-policy", "--input", path, "--format", "md", "--output", str(out),
                  "--require-complete"])
    assert result.exit_code == 2 and "policy.preamble" in result.stderr


def test_check_reports_completeness_and_errors(tmp_path):
    result = run(["check", "jigyokei", "--input", str(SAMPLES["jigyokei"]), "--json"])
    assert result.exit_code == 0
    assert json.loads(result.output)["completeness"]["percent"] == 100
    data = sample("jigyokei")
    data["period"]["end"] = "2035-01"
    result = run(["check", "jigyokei", "--input", write_json(tmp_path, data)])
    assert result.exit_code == 1 and "period.end" in result.output
    empty = run(["check", "jigyokei", "--input", write_json(tmp_path, documents.empty_document("jigyokei"))])
    assert empty.exit_code == 0 and "0%" in empty.output


# --- hostile input -----------------------------------------------------------------------------------


def render_args(path, out, kind="jigyokei", fmt="md"):
    return ["render", kind, "--input", path, "--format", fmt, "--output", out]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"this is not json", "JSON"),
        (b"\xff\xfe\x00broken", "UTF-8"),
        (b"", "JSON"),
        (b"[" * 100_000 + b"]" * 100_000, "JSON"),
    ],
)
def test_unreadable_input(tmp_path, content, message):
    path = tmp_path / "in.json"
    path.write_bytes(content)
    result = run(render_args(str(path), str(tmp_path / "o.md")))
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("mutate", "path"),
    [
        (lambda d: d["name"].__setitem__("employees", "twenty"), "name.employees"),
        (lambda d: d["name"].__setitem__("name", "x" * 1_000_000), "name.name"),
        (lambda d: d["goals"].__setitem__("purpose", "目的\x1b[31m"), "goals.purpose"),
        (lambda d: d.__setitem__("goals", "text"), "goals"),
        (lambda d: d["measures"].__setitem__("table", [1, 2]), "measures.table"),
    ],
)
def test_wrong_types_long_strings_and_control_chars(tmp_path, mutate, path):
    data = sample("jigyokei")
    mutate(data)
    result = run(render_args(write_json(tmp_path, data), str(tmp_path / "o.pdf"), fmt="pdf"))
    assert result.exit_code == 2
    assert path in result.stderr
    assert not (tmp_path / "o.pdf").exists()


@pytest.mark.parametrize("data", [[], "x", 3, None])
def test_document_that_is_not_an_object(tmp_path, data):
    result = run(render_args(write_json(tmp_path, data), str(tmp_path / "o.md")))
    assert result.exit_code == 2 and "JSON object" in result.stderr


def test_input_too_large(tmp_path):
    path = tmp_path / "big.json"
    path.write_bytes(b'{"name": {"name": "' + b"a" * (3 * 1024 * 1024) + b'"}}')
    result = run(render_args(str(path), str(tmp_path / "o.md")))
    assert result.exit_code == 2 and "too large" in result.stderr


def test_missing_input_and_directory_input(tmp_path):
    assert run(render_args(str(tmp_path / "none.json"), str(tmp_path / "o.md"))).exit_code == 2
    result = run(render_args(str(tmp_path), str(tmp_path / "o.md")))
    assert result.exit_code == 2 and "directory" in result.stderr


def test_unknown_kind_and_format(tmp_path):
    result = run(render_args(str(SAMPLES["jigyokei"]), str(tmp_path / "o.md"), kind="bcp"))
    assert result.exit_code == 2 and "KIND" in result.output
    result = run(render_args(str(SAMPLES["jigyokei"]), str(tmp_path / "o.odt"), fmt="odt"))
    assert result.exit_code == 2
    assert run(["template", "bcp", "--json"]).exit_code == 2


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root can write anywhere")
def test_unwritable_output(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        result = run(render_args(str(SAMPLES["jigyokei"]), str(locked / "o.md")))
    finally:
        locked.chmod(0o700)
    assert result.exit_code == 2 and "cannot write" in result.stderr


def test_output_in_missing_directory_or_is_a_directory(tmp_path):
    result = run(render_args(str(SAMPLES["jigyokei"]), str(tmp_path / "no" / "such" / "o.md")))
    assert result.exit_code == 2 and "cannot write" in result.stderr
    result = run(render_args(str(SAMPLES["jigyokei"]), str(tmp_path)))
    assert result.exit_code == 2 and "directory" in result.stderr


@pytest.mark.parametrize(
    "extra",
    [
        ["--approved-at", "yesterday"],
        ["--approved-at", "2026-02-30"],
        ["--approved-by", "港\x00太郎"],
        ["--org-name", "x" * 5000],
        ["--version-label", "v1\x1b[2J"],
        ["--card"],  # only for incident-response
    ],
)
def test_hostile_options(tmp_path, extra):
    result = run(render_args(str(SAMPLES["jigyokei"]), str(tmp_path / "o.md")) + extra)
    assert result.exit_code == 2
    assert "error:" in result.stderr


def test_help_for_every_command():
    for args in (["--help"], ["template", "--help"], ["render", "--help"], ["check", "--help"], ["fields", "--help"]):
        result = run(args)
        assert result.exit_code == 0 and "Usage" in result.output


def test_output_under_a_file_is_unwritable_even_for_root(tmp_path):
    blocker = tmp_path / "file.txt"
    blocker.write_text("x")
    result = run(render_args(str(SAMPLES["jigyokei"]), str(blocker / "o.md")))
    assert result.exit_code == 2 and "cannot write" in result.stderr
