"""The 社内ルールQ&A page: answers only from approved, current documents of the organisation, with citations."""

from __future__ import annotations

import copy
import json

import pytest
from django.urls import reverse

from sonae.aicheck.models import AiUsage
from sonae.aicheck.services import ai_policy_save, gateway_upstream_save
from sonae.aiuse.models import RulesIndex
from sonae.aiuse.qa import rules_answer, rules_index_for
from sonae.aiuse.services import aiuse_settings_save
from sonae.documents.services import draft_for_edit, draft_save_fields, version_approve

pytestmark = pytest.mark.django_db

QUESTION = "生成AIに入力してはいけない情報は？"


def ask(client, org, question=QUESTION):
    return client.post(reverse("rules_ask", args=[org.id]), {"question": question})


def test_the_issues_question_gets_the_guidelines_section_with_its_citation(bob_client, org, all_rules):
    response = ask(bob_client, org)
    html = response.content.decode()
    assert response.status_code == 200
    assert "この質問には、社内ルールの次の箇所が答えています。" in html
    citations = html[html.index("qa-citations"):]
    assert "生成AI利用ガイドライン" in citations and "第1版" in citations
    assert "5 データ入力に際して注意すべき事項 &gt; 入力する情報の区分ごとの扱い" in citations
    assert "顧客・従業員の氏名、住所、電話番号、マイナンバーは入力しない。" in citations


def test_an_uncovered_question_says_so_and_names_who_to_ask(bob_client, org, all_rules):
    html = ask(bob_client, org, "有給休暇は年に何日もらえますか").content.decode()
    assert "この質問に答える箇所が見つかりませんでした。推測では答えません。" in html
    assert "総務部 内線201" in html and "総務部長　山手　花子" in html and "alice@example.jp" in html
    assert "qa-citations" not in html


def test_without_approved_rules_the_page_explains_and_still_answers_nothing(bob_client, org, alice):
    from sonae.documents.services import document_create

    document_create(org=org, kind="ai-guideline", by=alice)  # a draft is not a rule yet
    page = bob_client.get(reverse("rules_ask", args=[org.id])).content.decode()
    assert "まだ承認済みの社内ルールがありません。" in page
    assert "見つかりませんでした" in ask(bob_client, org).content.decode()


def test_a_superseded_version_is_never_quoted(bob_client, org, alice, guideline):
    draft = draft_for_edit(document=guideline.document, by=alice)
    categories = copy.deepcopy(draft.data["input_rules"]["categories"])
    categories["personal_information"]["note"] = "顧客の氏名と電話番号は、伏せ字にすれば入力してよい。"
    draft_save_fields(version=draft, values={("input_rules", "categories"): categories}, by=alice)
    version_approve(version=draft, by=alice)
    html = ask(bob_client, org, "顧客の電話番号を入力してもいい？").content.decode()
    assert "伏せ字にすれば入力してよい" in html and "第2版" in html
    assert "マイナンバーは入力しない" not in html and "第1版" not in html


def test_another_organisations_rules_are_never_used(charlie_client, bob_client, org, other_org, charlie, approve):
    approve(other_org, charlie, "ai-guideline", "ai_guideline")
    assert "見つかりませんでした" in ask(bob_client, org).content.decode()  # Alice's organisation has no rules
    assert "入力する情報の区分ごとの扱い" in ask(charlie_client, other_org).content.decode()
    assert ask(charlie_client, org).status_code == 404


def test_approval_rebuilds_the_index_and_a_stale_index_is_rebuilt_on_asking(org, alice, bob, approve,
                                                                          django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        approve(org, alice, "ai-guideline", "ai_guideline")
    assert callbacks  # the rebuild was queued once the approval committed (Huey runs it at once in tests)
    stored = RulesIndex.objects.get(org=org)
    assert stored.documents == 1 and stored.passages > 5
    RulesIndex.objects.filter(org=org).update(fingerprint="stale", data={"format": -1})
    result = rules_answer(org=org, user=bob, question=QUESTION)
    assert result.answer.found and RulesIndex.objects.get(org=org).fingerprint != "stale"
    index, documents = rules_index_for(org)
    assert documents == 1 and index.passages


@pytest.mark.parametrize("question,status,text", [
    ("あ" * 100 * 1024, 400, "質問は2,000文字以内で入力してください（いまは102,400文字）。"),
    ("", 400, "質問を入力してください。"),
    ("   ", 400, "質問を入力してください。"),
    ("\x01\x02質問", 400, "読み取れない文字"),
    ("質問\x00", 400, "読み取れない文字"),
])
def test_bad_questions_get_a_message(bob_client, org, guideline, question, status, text):
    response = ask(bob_client, org, question)
    assert response.status_code == status
    assert text in response.content.decode()


def test_html_in_a_question_is_shown_as_text(bob_client, org, guideline):
    html = ask(bob_client, org, "<script>alert(1)</script> 入力禁止の情報は？").content.decode()
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_questions_are_not_taken_from_the_url(bob_client, org, guideline):
    page = bob_client.get(reverse("rules_ask", args=[org.id]), {"question": QUESTION}).content.decode()
    assert "qa-result" not in page


@pytest.fixture
def model_gateway(org, alice, upstream_server):
    gateway_upstream_save(org=org, by=alice, base_url=upstream_server.url("ok"), api_key="sk-secret", allowed_models="fake-model")
    upstream_server.received.clear()
    return upstream_server


def test_with_a_model_the_passages_go_through_the_gateway_and_the_citations_stay(bob_client, org, bob, all_rules, model_gateway):
    html = ask(bob_client, org, "ランサムウェアに感染したらまず何をする").content.decode()
    assert "AIによる回答（必ず下の原文で確かめてください）" in html
    sent = json.loads(model_gateway.received[-1]["body"])
    assert sent["model"] == "fake-model" and "抜粋" in sent["messages"][0]["content"]
    user_text = sent["messages"][1]["content"]
    assert "ランサムウェアに感染したらまず何をする" in user_text and "LANケーブルを抜き" in user_text
    assert "qa-model" in html and "ECHO: 質問:" in html  # the fake model echoes; what it says is shown
    assert "5-1 ランサムウェア" in html[html.index("qa-citations"):]
    row = AiUsage.objects.get(org=org)
    assert (row.channel, row.use_case, row.user_id) == ("gateway", "rules-qa", bob.id) and row.prompt_text == ""


def test_passages_the_policy_blocks_are_shown_but_not_sent(bob_client, org, alice, all_rules, model_gateway):
    ai_policy_save(org=org, by=alice, actions={}, custom_terms="", log_page_checks=False, log_prompt_text=False)
    html = ask(bob_client, org, "入力禁止のキーワードにはどんなものがありますか").content.decode()
    # The guideline's own forbidden terms are in the passage, and the policy blocks them (custom_term = block).
    assert "AIには送らず原文をそのまま示しています" in html and "禁止語" in html
    assert model_gateway.received == []
    assert "プロジェクト青嵐" in html  # the member still reads the rule
    assert AiUsage.objects.get(org=org).outcome == "blocked"


def test_the_owner_can_turn_the_model_off_and_nothing_is_sent(bob_client, org, alice, all_rules, model_gateway):
    aiuse_settings_save(org=org, by=alice, model="", answer_with_model=False)
    html = ask(bob_client, org, "ランサムウェアに感染したらまず何をする").content.decode()
    assert "qa-model" not in html and "この質問には、社内ルールの次の箇所が答えています。" in html
    assert model_gateway.received == []
    row = AiUsage.objects.get(org=org)  # counted for 活用状況, on the page: nothing was sent
    assert (row.channel, row.outcome, row.use_case, row.found, row.prompt_text) == ("page", "checked", "rules-qa", {}, "")


def test_an_unreachable_model_falls_back_to_the_passages(bob_client, org, alice, all_rules, upstream_server):
    gateway_upstream_save(org=org, by=alice, base_url=upstream_server.url("error"), api_key="k", allowed_models="m")
    html = ask(bob_client, org, "ランサムウェアに感染したらまず何をする").content.decode()
    assert "AIサービスから回答を得られなかったため、原文をそのまま示しています。" in html
    assert "5-1 ランサムウェア" in html


def test_an_uncovered_question_is_not_sent_to_the_model(bob_client, org, all_rules, model_gateway):
    ask(bob_client, org, "賞与の支給日はいつ")
    assert model_gateway.received == []


def test_citations_link_to_the_version_they_quote(bob_client, org, guideline):
    html = ask(bob_client, org).content.decode()
    assert f'href="{reverse("document_version", args=[org.id, guideline.id])}"' in html
