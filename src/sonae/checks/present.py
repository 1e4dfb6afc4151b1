"""Turn an engine report (or a stored incident) into what the page shows.

The shown text is cut into segments at every finding's span; each segment is plain text that the
template escapes, with the numbers of the findings that cover it. Nothing from a message is ever
marked safe: a mail's HTML was already reduced to text by the engine, and that text is escaped here
like any other user input.
"""

from __future__ import annotations

from sonae.i18n import is_english

MAX_SHOWN_CHARS = 60_000
SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2, "info": 3}
# Where a finding's evidence is, in the reader's words.
LOCATION_LABELS = {
    "subject": ("件名", "Subject"),
    "from": ("差出人", "Sender"),
    "reply_to": ("返信先", "Reply-To"),
    "header": ("メールヘッダー（送信元の認証結果）", "Mail headers (sender authentication)"),
    "text": ("本文", "Text"),
    "link": ("リンク", "Link"),
    "attachment": ("添付ファイル", "Attachment"),
    "url": ("URL", "URL"),
}
SEVERITY_LABELS = {
    "high": ("危険", "Danger"),
    "medium": ("要注意", "Warning"),
    "low": ("気になる点", "Note"),
    "info": ("参考", "Info"),
}


def _pick(item: dict, key: str) -> str:
    return (item.get(f"{key}_en") if is_english() else item.get(f"{key}_ja")) or item.get(f"{key}_ja") or ""


def segments(text: str, marks: list[tuple[int, int, int, str]]) -> list[dict]:
    """Cut `text` at every mark's (start, end); each piece lists the finding numbers over it.

    Marks may overlap (a brand name inside a link): pieces between boundaries carry every number
    that covers them, and the highest severity for the colour.
    """
    limit = len(text)
    bounds = {0, limit}
    clean: list[tuple[int, int, int, str]] = []
    for start, end, number, severity in marks:
        start, end = max(0, start), min(limit, end)
        if start < end:
            clean.append((start, end, number, severity))
            bounds.update((start, end))
    points = sorted(bounds)
    pieces: list[dict] = []
    for start, end in zip(points, points[1:]):
        covering = [m for m in clean if m[0] <= start and end <= m[1]]
        piece = {"text": text[start:end]}
        if covering:
            piece["numbers"] = sorted({m[2] for m in covering})
            piece["severity"] = min((m[3] for m in covering), key=lambda s: SEVERITY_ORDER.get(s, 9))
        pieces.append(piece)
    return pieces


def present(data: dict) -> dict:
    """What the result template needs, from `Report.to_dict()` or a stored incident's data.

    `data` has: kind, verdict, score, findings (dicts with spans), text, and for mail subject,
    from_name, from_address, reply_to, links, attachments.
    """
    text = data.get("text") or ""
    shown = text[:MAX_SHOWN_CHARS]
    subject = data.get("subject") or ""
    findings = sorted(data.get("findings") or [], key=lambda f: SEVERITY_ORDER.get(f.get("severity"), 9))
    rows = []
    text_marks: list[tuple[int, int, int, str]] = []
    subject_marks: list[tuple[int, int, int, str]] = []
    number = 0
    # The same reason found in two places (a host in a link and in the sender) is one row with both marks.
    by_message: dict[tuple[str, str], dict] = {}
    for finding in findings:
        severity = finding.get("severity") or "info"
        span = finding.get("span")
        location = finding.get("location") or "text"
        key = (finding.get("code", ""), finding.get("message_ja", ""))
        existing = by_message.get(key)
        if existing is None:
            number += 1
        current = existing["number"] if existing else number
        marked = False
        if span and len(span) == 2 and severity != "info":
            start, end = int(span[0]), int(span[1])
            if location == "text" and 0 <= start < end <= len(shown):
                text_marks.append((start, end, current, severity))
                marked = True
            elif location == "subject" and 0 <= start < end <= len(subject):
                subject_marks.append((start, end, current, severity))
                marked = True
        label = LOCATION_LABELS.get(location, (location, location))
        evidence = finding.get("evidence") or ""
        if existing is not None:
            if evidence and not marked and evidence not in existing["evidence"]:
                existing["extra_evidence"].append({"label": label[1 if is_english() else 0], "evidence": evidence})
            continue
        row = {
            "number": number,
            "code": finding.get("code", ""),
            "severity": severity,
            "severity_label": SEVERITY_LABELS.get(severity, ("", ""))[1 if is_english() else 0],
            "message": _pick(finding, "message"),
            "advice": _pick(finding, "advice"),
            "evidence": evidence,
            "location_label": label[1 if is_english() else 0],
            "marked": marked,
            "extra_evidence": [],
        }
        by_message[key] = row
        rows.append(row)
    verdict = data.get("verdict") or "none"
    from sonae.engines.messages.report import VERDICT_ADVICE, VERDICT_LABEL

    lang = "en" if is_english() else "ja"
    links = []
    for link in (data.get("links") or [])[:50]:
        links.append({
            "url": link.get("url", ""),
            "host": link.get("host_unicode") or link.get("host", ""),
            "registrable": link.get("registrable_domain", ""),
            "text": link.get("text") or "",
            "official_for": link.get("official_for"),
            "trust": link.get("trust"),
            "flagged": bool(link.get("flags")),
        })
    return {
        "kind": data.get("kind"),
        "verdict": verdict,
        "verdict_label": VERDICT_LABEL[verdict][lang],
        "advice": VERDICT_ADVICE[verdict][lang],
        "score": data.get("score", 0),
        "rows": rows,
        "real_rows": [r for r in rows if r["severity"] != "info"],
        "info_rows": [r for r in rows if r["severity"] == "info"],
        "text_segments": segments(shown, text_marks),
        "text_cut": len(text) > len(shown),
        "subject_segments": segments(subject, subject_marks) if subject else [],
        "subject": subject,
        "from_name": data.get("from_name") or "",
        "from_address": data.get("from_address") or "",
        "reply_to": data.get("reply_to") or "",
        "links": links,
        "attachments": data.get("attachments") or [],
        "truncated": bool(data.get("truncated")),
    }
