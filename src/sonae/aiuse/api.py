"""REST API: POST /api/rules/ask answers from the organisation's approved rules; GET /api/rules/use-cases lists the catalogue."""

from __future__ import annotations

from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import Field

from sonae.api.auth import access_of
from sonae.catalog.use_cases import load_use_cases
from sonae.engines.retrieval import MAX_QUESTION_CHARS

from .qa import rules_answer

router = Router(tags=["rules"])


class AskIn(Schema):
    question: str = Field(..., description=f"The question, in Japanese (at most {MAX_QUESTION_CHARS} characters).")


class CitationOut(Schema):
    document: str = Field(..., description="The document's title")
    version: str = Field(..., description="e.g. 第2版")
    section: str = Field(..., description="The heading path of the section, e.g. 5 データ入力に際して注意すべき事項 > 入力禁止情報リスト")
    quote: str = Field(..., description="The passage, word for word")


class AskOut(Schema):
    found: bool = Field(..., description="False when nothing in the approved rules answers the question (nothing is guessed).")
    answer: str = Field(..., description="The model's wording when the gateway is used, else the first passage; empty when not found.")
    answered_by_model: bool
    citations: list[CitationOut]
    contacts: list[str] = Field(..., description="Whom to ask when not found (the guideline's contact, its responsible person, the owners).")


class AskError(Schema):
    detail: str


@router.post("/ask", response={200: AskOut, 422: AskError}, summary="Ask the organisation's rules (社内ルールQ&A)")
def ask(request, payload: AskIn):
    access = access_of(request)
    question = " ".join(payload.question.split())
    if not question:
        return Status(422, {"detail": _("質問を入力してください。")})
    if len(question) > MAX_QUESTION_CHARS or any(ord(ch) < 32 for ch in question):
        return Status(422, {"detail": _("質問は%(limit)s文字以内で、制御文字を含めずに入力してください。") % {"limit": f"{MAX_QUESTION_CHARS:,}"}})
    result = rules_answer(org=access.org, user=request.user, question=question)
    citations = [{"document": h.passage.document, "version": h.passage.version, "section": h.passage.section,
                  "quote": h.passage.text} for h in result.answer.citations]
    contacts = []
    if not result.answer.found:
        info = result.contacts
        contacts = [c for c in (info.get("contact"), info.get("responsible")) if c] + list(info.get("documents", [])) + list(info.get("owners", []))
    answer = result.model_text or (citations[0]["quote"] if citations else "")
    return Status(200, {"found": result.answer.found, "answer": answer, "answered_by_model": bool(result.model_text),
                        "citations": citations, "contacts": contacts})


class UseCaseOut(Schema):
    id: str
    number: int
    department: str
    title: str = Field(..., description="Japanese title")
    risks: list[str] = Field(..., description="Risk tags of the genai-use diagnosis: hallucination, bias, copyright, leakage, dependence, governance")
    templates: list[str]


@router.get("/use-cases", response=list[UseCaseOut], summary="The generative-AI use-case catalogue (ids for X-Sonae-Use-Case)")
def use_cases(request):
    access_of(request)
    return [{"id": u.id, "number": u.number, "department": u.department, "title": u.title.ja, "risks": list(u.risks),
             "templates": [t.id for t in u.templates]} for u in load_use_cases().use_cases]
