"""Action list pages: list with status filter (overdue highlighted), create (also from a weak
diagnosis answer), edit, close."""

from __future__ import annotations

from django.apps import apps
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from sonae.i18n import ui_language
from sonae.orgs.access import org_view
from sonae.orgs.choices import Role

from .forms import ActionItemForm
from .models import ActionItem
from .selectors import action_counts, action_items, get_action_item_for_user
from .services import action_item_close, action_item_save
from .sources import source_url, source_urls

# A long list is read a page at a time (bench/scale.py: 200 items took ~50 ms to render on one request).
ACTIONS_PER_PAGE = 50
STATUS_FILTERS = [("", gettext_lazy("未完了")), ("open", gettext_lazy("未着手")), ("in_progress", gettext_lazy("対応中")), ("done", gettext_lazy("完了")), ("all", gettext_lazy("すべて"))]


@org_view(read=Role.VIEWER, write=Role.EDITOR)
def actions_home(request: HttpRequest, org) -> HttpResponse:
    status = request.GET.get("status", "")
    if status not in dict(STATUS_FILTERS):
        status = ""
    today = timezone.localdate()
    page = Paginator(action_items(org=org, status=status), ACTIONS_PER_PAGE).get_page(request.GET.get("page"))
    items = list(page)
    urls = source_urls(items)
    rows = [{"item": item, "overdue": item.is_overdue(today), "source_url": urls[item.id]} for item in items]
    return render(request, "actions/list.html", {
        "org": org, "rows": rows, "page": page, "status": status, "counts": action_counts(org=org),
        "filters": STATUS_FILTERS,
        "can_write": request.org_access.can_write,
    })


def _prefill(org, request) -> dict | None:
    answer_id = request.GET.get("answer") or request.POST.get("answer")
    if not answer_id or not apps.is_installed("sonae.assessments"):
        return None
    from sonae.assessments.selectors import action_prefill_for_answer

    return action_prefill_for_answer(org=org, answer_id=answer_id, lang=ui_language())


@org_view(read=Role.EDITOR, write=Role.EDITOR)
def action_new(request: HttpRequest, org) -> HttpResponse:
    prefill = _prefill(org, request)
    answer_param = request.GET.get("answer") or request.POST.get("answer")
    if answer_param and prefill is None:
        messages.error(request, _("元になる診断の回答が見つかりません。対策は手入力で登録できます。"))
        return redirect("action_new", org_id=org.id)
    initial = {"title": prefill["title"], "description": prefill["description"]} if prefill else {}
    if prefill and request.method == "GET":
        initial["owner"] = request.user.pk
    form = ActionItemForm(request.POST or None, org=org, initial=initial)
    if request.method == "POST" and form.is_valid():
        item = action_item_save(form=form, org=org, by=request.user, source=prefill)
        messages.success(request, _("対策を登録しました。"))
        return redirect("action_detail", org_id=org.id, action_id=item.id)
    return render(request, "actions/form.html", {"org": org, "form": form, "prefill": prefill, "answer": answer_param if prefill else ""})


@org_view(read=Role.VIEWER, write=Role.EDITOR)
def action_detail(request: HttpRequest, org, action_id: int) -> HttpResponse:
    item = get_action_item_for_user(request.org_access, action_id)
    form = ActionItemForm(request.POST or None, instance=item, org=org) if request.org_access.can_write else None
    if request.method == "POST" and form.is_valid():
        action_item_save(form=form, org=org, by=request.user)
        messages.success(request, _("対策を保存しました。"))
        return redirect("action_detail", org_id=org.id, action_id=item.id)
    return render(request, "actions/detail.html", {
        "org": org, "item": item, "form": form, "source_url": source_url(item),
        "overdue": item.is_overdue(), "can_write": request.org_access.can_write,
    })


@org_view(read=Role.EDITOR, write=Role.EDITOR)
@require_POST
def action_close(request: HttpRequest, org, action_id: int) -> HttpResponse:
    item = get_action_item_for_user(request.org_access, action_id)
    if item.is_done:
        messages.info(request, _("この対策はすでに完了しています。"))
    else:
        action_item_close(item=item, by=request.user)
        messages.success(request, _("対策を完了にしました。"))
    return redirect("actions_home", org_id=org.id)


def dashboard_panel(request: HttpRequest, org) -> str:
    return render_to_string("actions/_panel.html", {"org": org, "counts": action_counts(org=org)}, request=request)
