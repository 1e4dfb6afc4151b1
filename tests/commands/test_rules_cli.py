"""`sonae rules ask`: the JSON contract over rendered documents, and every bad argument refused with exit 2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from sonae.cli import main
from sonae.engines import documents as engine

FIXTURES = Path(__file__).parent.parent / "engines" / "documents" / "fixtures"


def run(args):
    return CliRunner().invoke(main, ["rules", "ask", *args], catch_exceptions=False)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    folder = tmp_path_factory.mktemp("rules")
    out = {}
    for kind, stem in (("ai-guideline", "ai_guideline"), ("incident-response", "incident_response")):
        data = json.loads((FIXTURES / f"{stem}_minato.json").read_text(encoding="utf-8"))
        for fmt in ("md", "docx", "pdf"):
            path = folder / f"{stem}.{fmt}"
            path.write_bytes(engine.render(kind, data, fmt))
            out[(stem, fmt)] = str(path)
    return out


@pytest.mark.parametrize("fmt", ["md", "docx", "pdf"])
def test_json_answer_with_citations(rendered, fmt):
    result = run(["--document", rendered[("ai_guideline", fmt)], "--document", rendered[("incident_response", fmt)],
                  "--json", "生成AIに入力してはいけない情報は？"])
    assert result.exit_code == 0, result.output
    answer = json.loads(result.output)
    assert set(answer) == {"answer", "citations", "found"}
    assert answer["found"] is True
    first = answer["citations"][0]
    assert set(first) == {"document", "section", "quote"}
    assert first["document"] == f"ai_guideline.{fmt}"
    assert first["section"].startswith("5 データ入力に際して注意すべき事項")
    assert first["quote"] and first["quote"] in answer["answer"]


def test_not_covered_says_so_and_names_the_contact(rendered):
    result = run(["--document", rendered[("ai_guideline", "md")], "--json", "有給休暇は年に何日もらえますか"])
    assert result.exit_code == 0
    answer = json.loads(result.output)
    assert answer == {"answer": answer["answer"], "citations": [], "found": False}
    assert "見つかりませんでした" in answer["answer"] and "総務部 内線201" in answer["answer"]


def test_plain_text_output(rendered):
    result = run(["--document", rendered[("incident_response", "pdf")], "身代金は払った方がいい？"])
    assert result.exit_code == 0
    assert "出典:" in result.output and "5-1 ランサムウェア" in result.output


@pytest.mark.parametrize("content,reason", [
    (b"", "ファイルが空です"),
    (b"%PDF-1.4 nothing here", "PDFファイルとして読み取れません"),
    (b"PK\x03\x04 not a docx", "Word文書"),
])
def test_unreadable_or_empty_files_exit_2_naming_the_file(tmp_path, rendered, content, reason):
    suffix = ".pdf" if content.startswith(b"%PDF") else ".docx" if content.startswith(b"PK") else ".md"
    bad = tmp_path / f"broken{suffix}"
    bad.write_bytes(content)
    result = CliRunner().invoke(main, ["rules", "ask", "--document", rendered[("ai_guideline", "md")],
                                       "--document", str(bad), "--json", "質問"])
    assert result.exit_code == 2
    assert str(bad) in result.output and reason in result.output
    assert "Traceback" not in result.output


def test_other_bad_arguments(tmp_path, rendered):
    missing = run(["--document", str(tmp_path / "nope.md"), "--json", "質問"])
    assert missing.exit_code == 2 and "nope.md" in missing.output
    folder = run(["--document", str(tmp_path), "--json", "質問"])
    assert folder.exit_code == 2 and "フォルダ" in folder.output
    wrong_kind = tmp_path / "rules.xlsx"
    wrong_kind.write_bytes(b"PK")
    kind = run(["--document", str(wrong_kind), "--json", "質問"])
    assert kind.exit_code == 2 and "rules.xlsx" in kind.output
    assert run(["--json", "質問"]).exit_code == 2  # --document is required
    assert run(["--document", rendered[("ai_guideline", "md")], "--json", "   "]).exit_code == 2
    hostile = run(["--document", rendered[("ai_guideline", "md")], "--json", "<script>alert(1)</script>" + "あ" * 100_000])
    assert hostile.exit_code == 0 and json.loads(hostile.output)["found"] is False


def test_runs_without_django(rendered):
    """An engine-only command: it must not configure Django or touch a database."""
    code = (
        "import sys; from sonae.cli import main\n"
        "try:\n    main(['rules', 'ask', '--document', sys.argv[1], '--json', '入力禁止の語は'])\n"
        "except SystemExit as e:\n    assert e.code in (0, None), e.code\n"
        "assert 'django.db' not in sys.modules, 'Django was imported'\n"
    )
    done = subprocess.run([sys.executable, "-c", code, rendered[("ai_guideline", "md")]], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["found"] is True
