"""備えの点検 pages: the loop with its score and history, a member's reminder settings and calendar feed,
the feed itself (behind its secret address), and the dashboard's top panel."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from sonae.engines import reports
from sonae.i18n import ui_language
from sonae.orgs.access import OrgAccess, org_view
from sonae.orgs.choices import Role
from sonae.orgs.models import Membership

from .calendar import feed_bytes
from .models import CalendarFeed, ReminderKind, ReminderOptOut
from .selectors import AREAS, area_label, loop_summary, score_history
from .services import calendar_feed_create, calendar_feed_find, calendar_feed_revoke, reminder_settings_save


def get_calendar_feed_for_user(request: HttpRequest, access: OrgAccess, feed_id: int) -> CalendarFeed:
    """A member's own feed; nobody else's, owners included."""
    return get_object_or_404(CalendarFeed, org=access.org, user=request.user, id=feed_id)


def _links_for(summary, access: OrgAccess):
    """Point each row's one link at a page this person may open (the summary is the same for everyone)."""
    for row in summary.rows:
        if row.key == "learning:training" and not access.can_write:
            row.url, row.action = reverse("learning_home", args=[access.org.id]), _("学習を見る")
        elif row.area == "advice" and not access.is_owner:
            row.url, row.action = "", ""  # only owners invite advisors
    return summary


def _chart(org) -> str:
    history = score_history(org)
    if not history:
        return ""
    return reports.svg_trend_chart(history, maximum=100, lang=ui_language(), title=_("点検スコアの推移"))


@org_view(read=Role.VIEWER, write=Role.EDITOR)
def loop_home(request: HttpRequest, org) -> HttpResponse:
    summary = _links_for(loop_summary(org), request.org_access)
    areas = [{"id": area, "label": area_label(area), "score": summary.area_scores[area], "rows": summary.rows_of(area)}
             for area in AREAS]
    return render(request, "loop/home.html", {
        "org": org, "summary": summary, "areas": areas, "today": timezone.localdate(),
        "chart": mark_safe(_chart(org)),  # built by reports.svg_trend_chart, which escapes every text
        "is_member": Membership.objects.filter(org=org, user=request.user).exists(),
    })


@org_view(read=Role.VIEWER, write=Role.VIEWER)
def loop_reminders(request: HttpRequest, org) -> HttpResponse:
    """A member's own settings: which reminder kinds to receive, and their calendar feed."""
    membership = Membership.objects.filter(org=org, user=request.user).first()
    if membership is None:  # advisors are not members: they get no reminders and no feed here
        return render(request, "loop/reminders.html", {"org": org, "membership": None})
    new_url = None
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "settings":
            enabled = {kind for kind in request.POST.getlist("kinds") if kind in ReminderKind.values}
            reminder_settings_save(org=org, user=request.user, enabled=enabled)
            messages.success(request, _("お知らせの設定を保存しました。"))
            return redirect("loop_reminders", org_id=org.id)
        if action == "feed":
            _feed, token = calendar_feed_create(org=org, user=request.user)
            new_url = request.build_absolute_uri(reverse("calendar_feed", args=[token]))
            messages.success(request, _("カレンダーのURLを作りました。このURLは今だけ表示されます。"))
        else:
            messages.error(request, _("操作が正しくありません。"))
            return redirect("loop_reminders", org_id=org.id)
    off = set(ReminderOptOut.objects.filter(org=org, user=request.user).values_list("kind", flat=True))
    feeds = CalendarFeed.objects.filter(org=org, user=request.user)[:10]
    return render(request, "loop/reminders.html", {
        "org": org, "membership": membership, "kinds": [(value, label, value not in off) for value, label in ReminderKind.choices],
        "feeds": feeds, "new_url": new_url, "email": request.user.email,
    })


@org_view(read=Role.VIEWER, write=Role.VIEWER)
@require_POST
def calendar_feed_revoke_view(request: HttpRequest, org, feed_id: int) -> HttpResponse:
    feed = get_calendar_feed_for_user(request, request.org_access, feed_id)
    if feed.is_active:
        calendar_feed_revoke(feed=feed, by=request.user)
        messages.success(request, _("カレンダーのURLを無効にしました。"))
    return redirect("loop_reminders", org_id=org.id)


@never_cache
@require_safe
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The .ics feed: no login (calendar apps cannot sign in), the secret in the address is the key."""
    feed = calendar_feed_find(token)
    membership = None
    if feed is not None and feed.user.is_active:
        membership = Membership.objects.select_related("org", "user").filter(org=feed.org, user=feed.user).first()
    if membership is None:  # unknown, revoked, or the person has left: nothing to show
        raise Http404
    if feed.last_used_at is None or (timezone.now() - feed.last_used_at).total_seconds() > 3600:
        CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=timezone.now())
    response = HttpResponse(feed_bytes(membership), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="sonae.ics"'
    response["X-Robots-Tag"] = "noindex"
    return response


def dashboard_panel(request: HttpRequest, org) -> str:
    summary = _links_for(loop_summary(org), request.org_access)
    late = [row for row in summary.rows if row.status in ("overdue", "never")]
    return render_to_string("loop/_panel.html", {
        "org": org, "summary": summary, "late": late[:4], "more": max(0, len(late) - 4),
        "areas": [(area_label(a), summary.area_scores[a]) for a in AREAS],
    }, request=request)
