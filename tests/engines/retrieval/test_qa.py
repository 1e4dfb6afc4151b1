"""The rules Q&A engine: answers only from the passages, with citations; says so when they do not answer."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sonae.engines import documents as engine
from sonae.engines.retrieval import (
    MAX_QUESTION_CHARS,
    Passage,
    QuestionError,
    RulesIndex,
    answer_text_ja,
    contacts_in,
    passages_of,
    tokenizer_named,
)
from sonae.engines.retrieval.synonyms import canonical
from sonae.engines.retrieval.tokenize import NgramTokenizer, strip_question_noise

FIXTURES = Path(__file__).resolve().parents[1] / "documents" / "fixtures"
KINDS = {"ai-guideline": "ai_guideline", "security-policy": "security_policy",
         "incident-response": "incident_response", "jigyokei": "jigyokei"}


@pytest.fixture(scope="module")
def minato_index() -> RulesIndex:
    passages = []
    for kind, stem in KINDS.items():
        data = json.loads((FIXTURES / f"{stem}_minato.json").read_text(encoding="utf-8"))
        passages += passages_of(f"{stem}.md", engine.render(kind, data, "md"), version="第1版")
    return RulesIndex.build(passages)


def test_the_issues_question_cites_the_guidelines_input_rules(minato_index):
    answer = minato_index.ask("生成AIに入力してはいけない情報は？")
    assert answer.found
    first = answer.citations[0].passage
    assert first.document == "生成AI利用ガイドライン"
    assert first.section.startswith("5 データ入力に際して注意すべき事項")
    assert first.version == "第1版"
    text = answer_text_ja(answer)
    assert "「生成AI利用ガイドライン」（第1版）の「5 データ入力に際して注意すべき事項" in text
    assert first.text in text  # the answer is the document's own words


@pytest.mark.parametrize("question,document,section", [
    ("ランサムウェアに感染したらまず何をする", "サイバーインシデント初動対応手順", "5 初動対応手順 > 5-1"),
    ("お客さんの電話番号をAIに貼り付けてもいいですか", "生成AI利用ガイドライン", "5 データ入力"),
    ("事業継続力強化計画の実施期間は", "事業継続力強化計画", "計画の実施期間"),
    ("経営者はセキュリティについて何をする？", "情報セキュリティ基本方針", "1. 経営者の責任"),
])
def test_questions_find_their_section(minato_index, question, document, section):
    answer = minato_index.ask(question)
    assert answer.found
    assert (answer.citations[0].passage.document, answer.citations[0].passage.section[: len(section)]) == (document, section)


@pytest.mark.parametrize("question", ["有給休暇は年に何日もらえますか", "社宅に入れますか", "育児休業は取れますか"])
def test_questions_the_rules_do_not_cover_are_not_answered(minato_index, question):
    answer = minato_index.ask(question)
    assert not answer.found
    assert answer.citations == []
    text = answer_text_ja(answer, ["総務部 内線201（生成AI利用ガイドライン）"])
    assert "見つかりませんでした" in text and "推測では答えません" in text and "総務部 内線201" in text


def test_the_cli_contract_shape(minato_index):
    found = minato_index.ask("身代金は払った方がいい？").to_dict()
    assert set(found) == {"answer", "citations", "found"}
    assert found["found"] is True
    assert all(set(c) == {"document", "section", "quote"} for c in found["citations"])
    missing = minato_index.ask("賞与の支給日はいつ").to_dict()
    assert missing["found"] is False and missing["citations"] == []


def test_hostile_questions(minato_index):
    huge = "生成AIに入力してはいけない情報は？" + "あ" * 100_000
    answer = minato_index.ask(huge)
    assert len(answer.question) == MAX_QUESTION_CHARS
    assert answer.found  # the first part still asks something the rules answer
    assert not minato_index.ask("<script>alert(1)</script>").found
    for empty in ("", "   \n\t"):
        with pytest.raises(QuestionError):
            minato_index.ask(empty)
    with pytest.raises(QuestionError):
        minato_index.ask(None)  # type: ignore[arg-type]


def test_an_empty_index_answers_nothing():
    assert not RulesIndex.build([]).ask("生成AIに入力してはいけない情報は？").found


def test_a_stored_index_answers_the_same_and_an_old_format_is_refused(minato_index):
    data = json.loads(json.dumps(minato_index.to_dict(), ensure_ascii=False))
    again = RulesIndex.from_dict(data)
    question = "バックアップはどのくらいの頻度で取っている？"
    assert again.ask(question).to_dict() == minato_index.ask(question).to_dict()
    with pytest.raises(ValueError):
        RulesIndex.from_dict({**data, "format": 0})
    with pytest.raises(ValueError):
        RulesIndex.from_dict({**data, "vocabulary": -1})


def test_contacts_named_in_the_documents(minato_index):
    assert "総務部 内線201（生成AI利用ガイドライン）" in contacts_in(minato_index.passages)
    assert contacts_in([Passage(document="規程", section="前文", text="問い合わせ先\n人事課 内線105")]) == ["人事課 内線105（規程）"]


def test_tokenizers():
    plain = NgramTokenizer((1, 2))
    assert plain.tokens("ＡＩに入力") == ["ai", "入", "力", "に入", "入力"]  # NFKC folds full-width letters
    script = tokenizer_named("ngram-1-2-script")
    assert script.tokens("入力してはいけない情報") == ["入", "力", "入力", "情", "報", "情報"]
    assert script.key_terms("会社の駐車場") == ["会社", "駐車", "車場"]
    assert canonical("社長にお客さんの電話番号を貼り付け") == "経営者に顧客の電話番号を入力"
    assert "教えて" not in strip_question_noise("入力禁止の情報を教えてください")
    with pytest.raises(KeyError):
        tokenizer_named("ngram-9")
    with pytest.raises(KeyError):
        tokenizer_named("whitespace")


def test_sudachi_tokenizer_when_installed():
    pytest.importorskip("sudachipy")
    pytest.importorskip("sudachidict_core")
    assert tokenizer_named("sudachi-A").tokens("生成AIに入力してはいけない情報は？") == ["生成", "ai", "入力", "情報"]
