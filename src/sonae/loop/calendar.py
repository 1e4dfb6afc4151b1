"""A member's due dates as an iCalendar feed (RFC 5545), built with the icalendar library."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from icalendar import Calendar, Event

from .reminders import member_due_items


def feed_bytes(membership, *, now: dt.datetime | None = None) -> bytes:
    now = now or timezone.now()
    calendar = Calendar()
    calendar.add("prodid", "-//sonae//備えの点検//JA")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"sonae {membership.org.name}"[:100])
    calendar.add("x-wr-timezone", "Asia/Tokyo")
    for item in member_due_items(membership, now=now):
        if item.due is None:
            continue
        event = Event()
        event.add("uid", f"{item.key}-{membership.org_id}-{membership.user_id}@sonae")
        event.add("dtstamp", now)
        event.add("dtstart", item.due)
        event.add("dtend", item.due + dt.timedelta(days=1))
        event.add("summary", f"{item.note}：{item.title}"[:200])
        event.add("url", item.url)
        event.add("description", item.url)
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical()
