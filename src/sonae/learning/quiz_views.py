"""FACT or FAKE quiz pages: start, one question at a time, the explanation after each answer, the score.

The explanation is the message checker's own report on the exact message (sonae.checks.present, the same
underlining as on the checker page), the seminar's 勘所 for that kind of message, and for a genuine one
why nothing was found (which still does not make it "safe")."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sonae.catalog.learning import load_quiz
from sonae.checks.present import present
from sonae.engines import reports
from sonae.engines.messages import Report
from sonae.engines.quiz import QuizItem, check_item
from sonae.i18n import pick, ui_language
from sonae.orgs.access import org_view
from sonae.orgs.choices import Role

from .forms import QuizAnswerForm
from .selectors import get_quiz_play_for_user, open_quiz_play, quiz_history, quiz_scores, suggested_trainings, topic_title, wrong_topics
from .services import LearningError, quiz_answer, quiz_start


def _item(data: dict) -> QuizItem:
    return QuizItem(**{**data, "tips": tuple(data.get("tips") or ())})


def _shown_message(item: QuizItem, report: Report) -> dict:
    """The message as the phone or mail program shows it: sender, subject and text, links as plain text."""
    if item.channel == "sms":
        return {"channel": "sms", "sender": item.sender, "text": item.text}
    return {"channel": "mail", "sender": f"{report.from_name or ''} <{report.from_address or ''}>".strip(),
            "subject": report.subject or "", "text": report.text, "reply_to": report.reply_to or ""}


def why_nothing_found(report: Report) -> list[str]:
    """For a message the checker found nothing in: what it did see, in plain words."""
    codes = {f.code for f in report.findings}
    reasons = []
    if report.links and all(link.official_for for link in report.links):
        reasons.append(_("リンク先はすべて、名乗っている会社の公式ドメインでした。"))
    if not report.links:
        reasons.append(_("リンクがなく、ログインや支払いを求める文面もありませんでした。"))
    if "auth_pass" in codes:
        reasons.append(_("受信したサーバーで、送信元の認証（SPF・DKIM・DMARC）に成功していました。"))
    reasons.append(_("「問題は見つかりませんでした」は安全の保証ではありません。ログインや支払いが必要なときは、公式アプリやブックマークから確かめましょう。"))
    return reasons


def explanation(item: QuizItem, report: Report, answer: str | None) -> dict:
    catalog = load_quiz()
    return {
        "item": item,
        "answer": answer,
        "correct": answer == item.answer,
        "result": present(report.to_dict()),
        "theme": pick(catalog.themes[item.theme]),
        "tips": [pick(catalog.tip(t).text) for t in item.tips],
        "tip_source": catalog.tip(item.tips[0]).source if item.tips else None,
        "why_nothing": why_nothing_found(report) if report.verdict == "none" else [],
    }


@org_view(read=Role.VIEWER, write=Role.VIEWER)
def quiz_home(request: HttpRequest, org) -> HttpResponse:
    if request.method == "POST":
        play = quiz_start(org=org, user=request.user)
        return redirect("quiz_play", org_id=org.id, play_id=play.id)
    history = quiz_history(org=org, user=request.user)
    wrong = wrong_topics(history[:5])
    chart = ""
    if len(history) >= 2:
        points = [(p.finished_at.date(), p.percent) for p in reversed(history)]
        chart = mark_safe(reports.svg_trend_chart(points, maximum=100, lang=ui_language(), title=_("クイズの正解率（%）")))
    return render(request, "learning/quiz_home.html", {
        "org": org, "history": history[:20], "open_play": open_quiz_play(org=org, user=request.user), "chart": chart,
        "suggestions": suggested_trainings(org=org, topics=set(wrong)),
        "wrong_topics": [(topic_title(t), n) for t, n in wrong.items()],
    })


@org_view(read=Role.VIEWER, write=Role.VIEWER)
def quiz_play(request: HttpRequest, org, play_id: int) -> HttpResponse:
    play = get_quiz_play_for_user(request, request.org_access, play_id)
    if request.method == "POST":
        form = QuizAnswerForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("「本物」か「偽物」を選んでください。"))
            return redirect("quiz_play", org_id=org.id, play_id=play.id)
        index = form.cleaned_data["index"]
        try:
            play = quiz_answer(play=play, index=index, choice=form.cleaned_data["choice"])
        except LearningError as exc:
            messages.error(request, exc.message)
            return redirect("quiz_play", org_id=org.id, play_id=play.id)
        return redirect(reverse("quiz_play", args=[org.id, play.id]) + f"?explain={index}")
    explain = request.GET.get("explain")
    if explain is not None and explain.isdigit() and int(explain) < play.count and play.answers[int(explain)]:
        index = int(explain)
        item = _item(play.items[index])
        context = explanation(item, check_item(item), play.answers[index])
        return render(request, "learning/quiz_explain.html", {
            "org": org, "play": play, "index": index, "number": index + 1, "last": index + 1 == play.count, **context,
        })
    if play.is_finished:
        return redirect("quiz_result", org_id=org.id, play_id=play.id)
    index = next(i for i, answer in enumerate(play.answers) if answer is None)
    item = _item(play.items[index])
    return render(request, "learning/quiz_question.html", {
        "org": org, "play": play, "index": index, "number": index + 1,
        "message": _shown_message(item, check_item(item)), "form": QuizAnswerForm(initial={"index": index}),
    })


@org_view(read=Role.VIEWER, write=Role.VIEWER)
def quiz_result(request: HttpRequest, org, play_id: int) -> HttpResponse:
    play = get_quiz_play_for_user(request, request.org_access, play_id)
    if not play.is_finished:
        return redirect("quiz_play", org_id=org.id, play_id=play.id)
    catalog = load_quiz()
    rows = [{"number": i + 1, "theme": pick(catalog.themes[item["theme"]]), "answer": item["answer"],
             "given": given, "correct": given == item["answer"], "channel": item["channel"]}
            for i, (item, given) in enumerate(zip(play.items, play.answers))]
    wrong = wrong_topics([play])
    return render(request, "learning/quiz_result.html", {
        "org": org, "play": play, "rows": rows, "wrong_topics": [(topic_title(t), n) for t, n in wrong.items()],
        "suggestions": suggested_trainings(org=org, topics=set(wrong)),
    })


@org_view(read=Role.EDITOR, write=Role.EDITOR)
def quiz_scores_view(request: HttpRequest, org) -> HttpResponse:
    scores = quiz_scores(org=org)
    return render(request, "learning/quiz_scores.html", {"org": org, "scores": scores})


@org_view(read=Role.VIEWER, write=Role.VIEWER)
@require_POST
def quiz_restart(request: HttpRequest, org) -> HttpResponse:
    play = quiz_start(org=org, user=request.user)
    return redirect("quiz_play", org_id=org.id, play_id=play.id)
