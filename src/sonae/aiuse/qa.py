"""The 社内ルールQ&A for one organisation: its current index, and an answer with citations.

Answers come only from the organisation's approved, current documents and rule files (the engine,
sonae.engines.retrieval, ranks their passages and decides whether any answers the question). When
the owner has configured the AI gateway and a model, the question and the cited passages go through
the gateway's own code path (sonae.aicheck.gateway.complete_chat: the input policy masks or blocks,
the usage log records the call, tagged with use case ⑨) and the model's wording is shown above the
same citations; otherwise — or when the policy blocks, or the model is unreachable — the passages
themselves are the answer. When nothing answers, nothing is sent anywhere and the page says who to ask.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from django.utils.translation import pgettext

from sonae.aicheck.gateway import UsageTags, complete_chat
from sonae.aicheck.models import AiUsage
from sonae.aicheck.selectors import upstream_of
from sonae.aicheck.services import usage_record
from sonae.engines import retrieval
from sonae.engines.textscan import LABELS
from sonae.i18n import pick

from .models import RulesIndex
from .selectors import approved_versions_of, current_rule_files, rules_fingerprint, settings_of, who_to_ask

RULES_QA_USE_CASE = "rules-qa"  # use case ⑨ of the catalogue: a Q&A over the company's own rules

# One index per organisation per process, replaced when its fingerprint changes.
_cache: dict[int, tuple[str, retrieval.RulesIndex]] = {}
_lock = threading.Lock()

SYSTEM_PROMPT = (
    "あなたは会社の社内ルールの案内係です。ユーザーの質問に、与えられた社内ルールの抜粋 [1]〜[{n}] だけを根拠に、"
    "日本語で簡潔に答えてください。根拠にした抜粋の番号を [1] のように文中に示してください。"
    "抜粋に答えが書かれていなければ「社内ルールには書かれていません」とだけ答えてください。"
    "推測や一般論、抜粋にない規則を付け加えてはいけません。"
)


def rules_index_for(org) -> tuple[retrieval.RulesIndex, int]:
    """The organisation's current index and how many documents it covers; rebuilt here when stale."""
    from .services import rules_index_rebuild

    versions, files = approved_versions_of(org), current_rule_files(org)
    fingerprint = rules_fingerprint(org, versions, files)
    cached = _cache.get(org.pk)
    if cached and cached[0] == fingerprint:
        return cached[1], len(versions) + len(files)
    with _lock:
        stored = RulesIndex.objects.filter(org=org).first()
        index = None
        if stored is not None and stored.fingerprint == fingerprint:
            try:
                index = retrieval.RulesIndex.from_dict(stored.data)
            except (ValueError, KeyError, TypeError):
                index = None  # an index from an older sonae: build it again
        if index is None:
            _stored, index = rules_index_rebuild(org=org)
        _cache[org.pk] = (fingerprint, index)
    return index, len(versions) + len(files)


@dataclass
class QaResult:
    question: str
    answer: retrieval.Answer
    documents: int  # how many approved documents and rule files were searched
    model_text: str = ""  # the model's wording, when it was asked
    model_note: str = ""  # "", "blocked", "unavailable": why the passages alone are shown
    blocked_labels: str = ""  # the kinds the policy refused to send, as one line
    contacts: dict = field(default_factory=dict)


def model_for(org) -> str:
    """The model the owner chose for sonae's pages, else the first one the gateway allows; "" = none."""
    settings = settings_of(org)
    if not settings.answer_with_model:
        return ""
    if settings.model:
        return settings.model
    upstream = upstream_of(org)
    return upstream.allowed_models[0] if upstream and upstream.allowed_models else ""


def answering_with_model(org) -> bool:
    return bool(model_for(org)) and upstream_of(org) is not None


def model_messages(question: str, citations: list[retrieval.Hit]) -> list[dict]:
    excerpts = "\n\n".join(
        f"[{n}] {retrieval.citation_label(hit.passage)}\n{hit.passage.text}" for n, hit in enumerate(citations, start=1)
    )
    return [
        {"role": "system", "content": SYSTEM_PROMPT.format(n=len(citations))},
        {"role": "user", "content": f"質問: {question}\n\n社内ルールの抜粋:\n{excerpts}"},
    ]


def _record_question(org, user, department: str) -> None:
    """A question answered on the page without the model: counted for 活用状況 (ids only, never the question)."""
    usage_record(org=org, user=user, channel=AiUsage.Channel.PAGE, outcome=AiUsage.Outcome.CHECKED,
                 use_case=RULES_QA_USE_CASE, department=department)


def rules_answer(*, org, user, question: str, department: str = "") -> QaResult:
    index, documents = rules_index_for(org)
    answer = index.ask(question)
    result = QaResult(answer.question, answer, documents)
    if not answer.found:
        contacts = who_to_ask(org)
        # Contact points written in uploaded rule files (sonae's own guideline's contact is already above).
        contacts["documents"] = retrieval.contacts_in([p for p in index.passages if p.source.startswith("file:")])
        result.contacts = contacts
        _record_question(org, user, department)
        return result
    model = model_for(org)
    if not model or upstream_of(org) is None:
        _record_question(org, user, department)
        return result
    outcome = complete_chat(org_id=org.pk, user_id=user.pk, model=model, messages=model_messages(answer.question, answer.citations),
                            tags=UsageTags(RULES_QA_USE_CASE, department))
    if outcome.ok and outcome.answer_text().strip():
        result.model_text = outcome.answer_text().strip()
    elif outcome.blocked_types:
        result.model_note = "blocked"
        result.blocked_labels = pgettext("list separator", "、").join(pick(LABELS[t]) for t in outcome.blocked_types if t in LABELS)
    else:
        result.model_note = "unavailable"
    return result
