"""The English catalogue is complete and compiled, and no English page shows Japanese UI text.

sonae's msgids are Japanese; English comes from src/sonae/locale/en/LC_MESSAGES/django.po (compiled to django.mo,
both committed). When a test here fails after you added or changed a string: run scripts/update_translations.sh,
write the English msgstr of the new entries in django.po (no `#, fuzzy` left), run the script again and commit both
files.
"""

from __future__ import annotations

import ast
import gettext
from html.parser import HTMLParser
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

import sonae

LOCALE_DIR = Path(sonae.__file__).parent / "locale" / "en" / "LC_MESSAGES"
PO_PATH = LOCALE_DIR / "django.po"
MO_PATH = LOCALE_DIR / "django.mo"

JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]")


@dataclass
class PoEntry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0


def parse_po(path: Path) -> list[PoEntry]:
    """A small .po reader: enough for the files makemessages writes (obsolete `#~` entries are skipped)."""
    entries: list[PoEntry] = []
    current: PoEntry | None = None
    target: tuple[str, int | None] | None = None

    def flush():
        nonlocal current, target
        if current is not None and (current.msgid or current.msgstr):
            entries.append(current)
        current, target = None, None

    def append(key: tuple[str, int | None], text: str):
        name, index = key
        if name == "msgstr":
            current.msgstr[index] = current.msgstr.get(index, "") + text
        else:
            setattr(current, name, (getattr(current, name) or "") + text)

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line:
            flush()
            continue
        if line.startswith("#~"):
            continue
        if current is None:
            current = PoEntry(line=number)
        if line.startswith("#,"):
            current.flags.update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            append(target, ast.literal_eval(line))
        else:
            keyword, _, rest = line.partition(" ")
            match = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
            if match:
                target = ("msgstr", int(match.group(1)))
            elif keyword == "msgstr":
                target = ("msgstr", 0)
            elif keyword in ("msgid", "msgid_plural", "msgctxt"):
                target = (keyword, None)
                setattr(current, keyword, "")
            else:
                raise AssertionError(f"{path}:{number}: unexpected line {raw!r}")
            append(target, ast.literal_eval(rest))
    flush()
    return entries


@pytest.fixture(scope="module")
def entries() -> list[PoEntry]:
    parsed = parse_po(PO_PATH)
    assert len(parsed) > 100, "the English catalogue looks empty"
    return parsed


def test_catalogue_has_no_untranslated_or_fuzzy_entries(entries):
    problems = []
    for e in entries:
        if "fuzzy" in e.flags:
            problems.append(f"line {e.line}: fuzzy: {e.msgid[:60]!r}")
        if e.msgid == "":
            continue  # the header
        forms = 2 if e.msgid_plural is not None else 1
        if any(not e.msgstr.get(i, "").strip() for i in range(forms)):
            problems.append(f"line {e.line}: untranslated: {e.msgid[:60]!r}")
    assert not problems, f"{PO_PATH} needs work (see the module docstring):\n" + "\n".join(problems)


def test_translations_keep_every_placeholder(entries):
    problems = []
    for e in entries:
        if not e.msgid:
            continue
        sources = [e.msgid, e.msgid_plural] if e.msgid_plural is not None else [e.msgid]
        for index, source in enumerate(sources):
            translated = e.msgstr.get(index, "")
            if sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(translated)):
                problems.append(f"line {e.line}: {source[:50]!r} -> {translated[:50]!r}")
    assert not problems, "placeholders differ:\n" + "\n".join(problems)


def test_compiled_catalogue_matches_the_po_file(entries):
    with MO_PATH.open("rb") as fh:
        catalogue = gettext.GNUTranslations(fh)
    stale = []
    for e in entries:
        if not e.msgid:
            continue
        if e.msgid_plural is not None:
            got = [catalogue.npgettext(e.msgctxt, e.msgid, e.msgid_plural, n) if e.msgctxt
                   else catalogue.ngettext(e.msgid, e.msgid_plural, n) for n in (1, 2)]
            want = [e.msgstr.get(0), e.msgstr.get(1)]
        else:
            got = [catalogue.pgettext(e.msgctxt, e.msgid) if e.msgctxt else catalogue.gettext(e.msgid)]
            want = [e.msgstr.get(0)]
        if got != want:
            stale.append(f"line {e.line}: {e.msgid[:60]!r}")
    assert not stale, "django.mo is older than django.po: run scripts/update_translations.sh\n" + "\n".join(stale)


# --- rendered pages ---------------------------------------------------------------------------------------------
#
# With English chosen (the cookie the language switch sets), no page may show Japanese UI text. What is Japanese on
# purpose is marked lang="ja" in the HTML (the plans and rules themselves, the examples of what to write into them,
# the titles of Japanese sources) and skipped here; data the user typed (the organisation's name, a reported mail)
# is removed by value. Everything else Japanese is a bug: an untranslated string, a catalog label shown in `ja`, a
# Japanese date or bracket around a translated string.

JAPANESE_CHARS = "\u3000-\u30ff\u4e00-\u9fff\uff01-\uff60"  # kana, CJK, Japanese punctuation, full-width forms
VOID_ELEMENTS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
# Attributes a reader sees or hears (tooltips, placeholders, screen-reader labels, button text set by app.js).
SHOWN_ATTRIBUTES = {"title", "placeholder", "aria-label", "alt", "data-copied-label", "data-confirm"}


class _ShownText(HTMLParser):
    """The text of a page a person sees, without <script>/<style> and without elements marked lang="ja"."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.pieces: list[str] = []
        self._joined = False  # the last piece is text that more text may continue
        self._stack: list[tuple[str, bool]] = []  # (tag, hidden)

    @property
    def _hidden(self) -> bool:
        return bool(self._stack) and self._stack[-1][1]

    def handle_starttag(self, tag, attrs):
        self._joined = False
        attributes = dict(attrs)
        hidden = self._hidden or tag in ("script", "style") or (attributes.get("lang") or "").startswith("ja")
        if not hidden:
            self.pieces.extend(value for name, value in attrs if name in SHOWN_ATTRIBUTES and value)
            if tag == "input" and attributes.get("type") in ("submit", "button") and attributes.get("value"):
                self.pieces.append(attributes["value"])
        if tag not in VOID_ELEMENTS:
            self._stack.append((tag, hidden))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID_ELEMENTS:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        self._joined = False
        # Close up to the matching element (HTML lets some end tags be left out).
        for index in range(len(self._stack) - 1, -1, -1):
            if self._stack[index][0] == tag:
                del self._stack[index:]
                return

    def handle_data(self, data):
        # The parser may hand over one text in several parts (a bare "<" starts a new one): join them.
        if not self._hidden:
            if self._joined:
                self.pieces[-1] += data
            else:
                self.pieces.append(data)
            self._joined = True


def _placeholders() -> re.Pattern:
    from sonae.engines.textscan import LABELS

    return re.compile("<(?:" + "|".join(re.escape(ja) for ja, _en in LABELS.values()) + r")_\d+>")


# Japanese that stays on English pages, each with the reason. Keep this short: most Japanese on purpose is marked
# lang="ja" in the template instead.
ALLOWED = {
    # The Jigyokei is filed in Japanese: the help tells an English reader the exact word to write into the form.
    "For a sole proprietor: 代表.": "the Japanese word to type, glossed in English",
}


def japanese_ui_text(response, data: list[str]) -> list[str]:
    """Japanese snippets a reader of an English page would see, once `data` (names, places...) is removed.

    The AI checker's placeholders (<電話番号_1>) are skipped: they are the same in every language because they are
    what the AI gateway sends and puts back (sonae.engines.textscan).
    """
    assert response.status_code == 200, response.status_code
    parser = _ShownText()
    parser.feed(response.content.decode())
    parser.close()
    found = set()
    placeholders = _placeholders()
    for piece in parser.pieces:
        for value in [*sorted(data, key=len, reverse=True), *ALLOWED]:
            piece = piece.replace(value, "")
        piece = placeholders.sub("", piece)
        for match in re.finditer(rf"[^\n]{{0,30}}[{JAPANESE_CHARS}][^\n]{{0,30}}", piece):
            found.add(match.group(0).strip())
    return sorted(found)


def _english(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.mark.django_db
def test_english_login_page(client):
    response = _english(client).get("/accounts/login/")
    assert b"Log in" in response.content
    assert japanese_ui_text(response, []) == []


def test_the_page_reader_skips_what_is_japanese_on_purpose_and_nothing_else():
    from django.http import HttpResponse

    page = HttpResponse(
        '<html lang="en"><head><title>対策</title><style>p::after{content:"注"}</style></head><body>'
        '<p>Plan <span lang="ja">計画<b>本文</b></span> done。</p><img src="x" alt="画像"><br>'
        '<input type="submit" value="保存"><p title="ヒント">ok</p><article lang="ja"><p>本文<br>続き</p></article>'
        '<p>after <i>斜体</i></p><script>var s = "スクリプト";</script></body></html>'
    )
    assert japanese_ui_text(page, []) == sorted(["対策", "done。", "画像", "保存", "ヒント", "斜体"])
    assert japanese_ui_text(page, ["斜体", "ヒント"]) == sorted(["対策", "done。", "画像", "保存"])


# A Japanese phishing mail someone reported: its subject, sender and text are data, shown as received.
REPORTED_MAIL_SUBJECT = "お荷物のお届けについて"
REPORTED_MAIL_SENDER = "配送センター"
REPORTED_MAIL_TEXT = "お荷物を持ち帰りました"
REPORTED_MAIL_WORD = "お荷物"  # the checker's finding quotes the word it matched
# A Japanese SMS someone checked; the page shows it cut where the checker underlines a finding.
CHECKED_SMS_PIECES = ["【重要】", "お客様の口座が凍結されました"]
REPORTED_MAIL = (
    f"From: {REPORTED_MAIL_SENDER} <info@delivery-check.example.top>\r\nSubject: {REPORTED_MAIL_SUBJECT}\r\n\r\n"
    f"{REPORTED_MAIL_TEXT} https://delivery-check.example.top/x\r\n"
).encode()
AI_CHECK_TEXT = "Please summarise: call Tanaka on 090-1234-5678 or mail tanaka@example.co.jp about Project Aozora."


def _answers(instrument, *, complete: bool = True) -> dict[str, int]:
    """A realistic mix of answers: every option of the scale is used, so some items come out weak."""
    items = instrument.items if complete else instrument.items[: len(instrument.items) // 2]
    return {item.id: instrument.scale[index % len(instrument.scale)].points for index, item in enumerate(items)}


def _english_organisation(client, org, owner, viewer) -> dict:
    """Alice's organisation as an English-speaking owner builds it through the pages: diagnoses, an action from a
    weak answer and one typed in, adopted risks (one overdue), the AI policy with logging and a check, a draft of
    every kind of document, a checked and reported mail. Returns the ids the URL walk uses."""
    import datetime as dt

    from django.utils import translation

    from sonae.actions.models import ActionItem
    from sonae.assessments.models import Answer
    from sonae.assessments.services import answers_save, diagnosis_start, diagnosis_submit
    from sonae.catalog.instruments import get_instrument, load_instruments
    from sonae.checks.checking import run_check
    from sonae.checks.services import incident_report_file
    from sonae.documents.models import Document
    from sonae.risks.models import Risk

    base = f"/o/{org.id}"
    ids: dict = {"submitted": [], "pages": []}

    def post(url, data, expect=302):
        response = client.post(base + url, data)
        assert response.status_code == expect, (url, response.status_code)
        return response

    # Diagnoses through the services (answering every item page by page is slow), in English as the pages would.
    with translation.override("en"):
        for instrument_id in load_instruments().ids():
            instrument = get_instrument(instrument_id)
            rounds = 2 if instrument_id == "ipa-5min" else 1  # two runs: history and comparison have something to show
            for _round in range(rounds):
                diagnosis = diagnosis_start(org=org, instrument_id=instrument_id, by=owner)
                answers_save(diagnosis=diagnosis, values=_answers(instrument), by=owner)
                ids["submitted"].append(diagnosis_submit(diagnosis=diagnosis, by=owner).id)
        # One diagnosis half answered: the questionnaire page.
        in_progress = diagnosis_start(org=org, instrument_id="ipa-5min", by=owner)
        answers_save(diagnosis=in_progress, values=_answers(get_instrument("ipa-5min"), complete=False), by=owner)
    ids["diagnosis_id"] = ids["submitted"][0]
    ids["pages"].append(f"/diagnoses/{in_progress.id}/")

    weak = Answer.objects.filter(diagnosis_id=ids["diagnosis_id"]).order_by("points", "id").first()
    ids["pages"].append(f"/actions/new/?answer={weak.id}")
    post(f"/actions/new/?answer={weak.id}", {"answer": weak.id, "title": "Restore a backup once", "status": "open", "owner": owner.id})
    post("/actions/new/", {"title": "Turn on two-step login for the bank", "status": "in_progress", "owner": viewer.id,
                           "due_date": "2020-01-31", "evidence_url": "https://example.jp/evidence"})
    ids["action_id"] = ActionItem.objects.filter(org=org).order_by("id").last().id

    post("/risks/adopt/", {"category": "genai"})
    post("/risks/adopt/", {"category": "cyber"})
    risk = Risk.objects.filter(org=org).order_by("id").first()
    Risk.objects.filter(id=risk.id).update(review_date=dt.date(2020, 4, 1), owner=owner)
    post(f"/risks/{risk.id}/action/", {})
    ids["risk_id"] = risk.id

    from sonae.engines.textscan import TYPES

    post("/ai/policy/", {**{f"action_{t}": "mask" for t in TYPES}, "action_custom_term": "block",
                         "custom_terms": "Project Aozora", "log_page_checks": "on"})
    ids["ai_check"] = post("/ai/", {"text": AI_CHECK_TEXT}, expect=200)

    for kind in ("jigyokei", "security-policy", "ai-guideline", "incident-response"):
        post("/documents/new/", {"kind": kind})
    documents = {d.kind: d for d in Document.objects.filter(org=org)}
    ids["documents"] = list(documents.values())
    ids["document_id"] = documents["jigyokei"].id
    ids["version_id"] = documents["incident-response"].versions.get().id

    ids["check_result"] = post("/checks/message/", {"kind": "sms", "text": "".join(CHECKED_SMS_PIECES) + " https://bank-check.example.top/login"}, expect=200)
    from django.core.files.base import ContentFile

    from sonae.assessments.models import PolicyEvidence

    evidence = PolicyEvidence(org=org, title="Information security policy", published_url="https://example.jp/policy",
                              published_on=dt.date(2026, 4, 1))
    evidence.file.save("policy.txt", ContentFile(b"Our policy"), save=True)
    ids["evidence_id"] = evidence.id

    # Reported by the owner, so the reporter's own pages open for the owner too.
    ids["incident_id"] = incident_report_file(org=org, by=owner, report=run_check("mail", REPORTED_MAIL, org), submitted=REPORTED_MAIL).id
    _english_learning(client, org, owner, viewer, ids)
    return ids


def _english_learning(client, org, owner, viewer, ids) -> None:
    """Training and the quiz as an English-speaking owner uses them: an own training, an assignment with a
    completion, a finished quiz and one in progress (the question page and an explanation are walked too)."""
    import datetime as dt

    from django.utils import timezone

    from sonae.learning.models import Assignment, OwnTraining
    from sonae.learning.services import quiz_answer, quiz_start

    base = f"/o/{org.id}"
    from django.core.files.uploadedfile import SimpleUploadedFile

    from support import tiny_pdf

    assert client.post(base + "/learning/own/new/", {"title": "Our phishing drill", "url": "https://example.jp/drill",
                                                     "topics": ["suspicious-mail"],
                                                     "file": SimpleUploadedFile("drill.pdf", tiny_pdf())}).status_code == 302
    ids["own_training_id"] = OwnTraining.objects.get(org=org).id
    due = (timezone.localdate() + dt.timedelta(days=7)).isoformat()
    assert client.post(base + "/learning/assign/", {"training": "ipa-karei-04", "everyone": "on", "due_date": due}).status_code == 302
    ids["assignment_id"] = Assignment.objects.get(org=org).id
    assert client.post(base + f"/learning/assignments/{ids['assignment_id']}/",
                       {"completed_on": timezone.localdate().isoformat(), "answer": "1"}).status_code == 302
    done = quiz_start(org=org, user=owner, count=4, seed=11)
    for index, item in enumerate(done.items):
        done = quiz_answer(play=done, index=index, choice="fake" if index % 2 else item["answer"])
    ids["play_id"] = done.id
    ids["pages"] += [f"/learning/quiz/{done.id}/?explain={i}" for i in range(done.count)]
    # The quiz's messages are Japanese data; the checker's findings quote words of them.
    from sonae.engines.quiz import QuizItem, check_item

    for item in done.items:
        report = check_item(QuizItem(**{**item, "tips": tuple(item["tips"])}))
        ids.setdefault("data", []).extend(f.evidence for f in report.findings if f.evidence)
        ids["data"].extend(word for f in report.findings for word in re.findall(f"[{JAPANESE_CHARS}]+", f.message_en))
    ongoing = quiz_start(org=org, user=owner, count=2, seed=12)
    ids["pages"].append(f"/learning/quiz/{ongoing.id}/")
    ids["pages"] += ["/learning/?topic=password", "/learning/t/own-%d/" % ids["own_training_id"], "/learning/t/gov-ransomware-basics/"]
    from sonae.loop.tasks import record_snapshots

    record_snapshots()


def _org_routes():
    from django.urls import URLPattern, URLResolver, get_resolver

    def walk(patterns, prefix=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                yield prefix + str(p.pattern)

    return [route for route in walk(get_resolver().url_patterns) if route.startswith("o/<int:org_id>/")]


@pytest.mark.django_db
def test_english_pages_show_no_japanese_ui_text(alice_client, bob_client, alice, bob, org):
    """Every page under /o/<org_id>/ that opens with GET, for an English-speaking owner of a well-used organisation,
    and again for a viewer (several pages show other things to someone who cannot edit)."""
    from sonae.documents.builder import steps_of

    from url_kwargs import URL_KWARG_MAKERS

    client = _english(alice_client)
    made = _english_organisation(client, org, alice, bob)
    data = [org.name, REPORTED_MAIL_SUBJECT, REPORTED_MAIL_SENDER, REPORTED_MAIL_TEXT, REPORTED_MAIL_WORD, *CHECKED_SMS_PIECES]
    data += made.get("data", [])

    def fill(match):
        name = match.group(2)
        if name == "org_id":
            return str(org.id)
        if name not in made:
            made[name] = URL_KWARG_MAKERS[name](org, alice, bob)
        return str(made[name])

    pages = [f"/o/{org.id}" + p for p in made["pages"]]
    pages += ["/" + re.sub(r"<(?:(\w+):)?(\w+)>", fill, route) for route in _org_routes()]
    pages += [f"/o/{org.id}/diagnoses/{d}/results/" for d in made["submitted"]]
    pages += [f"/o/{org.id}/actions/?status=all", f"/o/{org.id}/risks/?closed=1",
              f"/o/{org.id}/checks/message/?tab=url", f"/o/{org.id}/checks/message/?tab=mail"]
    for document in made["documents"]:
        version = document.versions.get()
        pages += [f"/o/{org.id}/documents/{document.id}/", f"/o/{org.id}/documents/v/{version.id}/",
                  f"/o/{org.id}/documents/v/{version.id}/print/"]
        pages += [f"/o/{org.id}/documents/v/{version.id}/build/?step={s.id}" for s in steps_of(document.kind)]
    pages += ["/", "/orgs/new/", "/advisor/"]

    problems: dict[str, list[str]] = {}
    responses = [("POST /ai/ (the checker's result)", made["ai_check"]),
                 ("POST /checks/message/ (the checker's result)", made["check_result"])]
    for url in dict.fromkeys(pages):
        response = client.get(url)
        assert response.status_code in (200, 302, 405), (url, response.status_code)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            responses.append((url, response))
    assert len(responses) > 60, "the walk opened too few pages to mean anything"
    viewer = _english(bob_client)
    for url in dict.fromkeys(pages):
        response = viewer.get(url)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            responses.append((f"{url} (as a viewer)", response))
    for url, response in responses:
        found = japanese_ui_text(response, data)
        if found:
            problems[url] = found
    report = "\n".join(f"{url}\n" + "\n".join(f"    {s}" for s in found) for url, found in problems.items())
    assert not problems, f"Japanese text on English pages (translate it, or mark it lang=\"ja\" if it is Japanese on purpose):\n{report}"


@pytest.mark.django_db
def test_audit_log_names_every_object_and_change_in_both_languages(alice_client, alice, bob, org):
    """The operation history labels come from verbose names, not from field names like "instrument_id"."""
    from django.utils import translation

    from sonae.orgs.models import AuditEntry

    _english_organisation(_english(alice_client), org, alice, bob)
    entries = list(AuditEntry.objects.filter(org=org))
    assert {e.object_type for e in entries} >= {"diagnosis", "actionitem", "risk", "aipolicy", "document",
                                                  "documentversion", "incidentreport", "organisation", "membership"}
    japanese = re.compile(f"[{JAPANESE_CHARS}]")
    problems = set()
    for language in ("ja", "en"):
        with translation.override(language):
            for entry in entries:
                labels = [("object", entry.object_type, entry.object_type_label)]
                labels += [(entry.object_type, key, label) for key, (label, _old, _new) in zip(entry.changes, entry.change_rows())]
                for where, key, label in labels:
                    raw = str(label) in (key, key.replace("_", " "))
                    if raw or (language == "ja") != bool(japanese.search(str(label))):
                        problems.add(f"{language}: {where}.{key} shows as {label!r}")
    assert not problems, "\n".join(sorted(problems))


@pytest.mark.django_db
def test_english_account_and_error_pages(client, alice_client, alice, bob, org):
    """Sign-in, password, two-factor, invitation and error pages, signed in and not."""
    from sonae.orgs.choices import Role
    from sonae.orgs.services import invitation_create

    _invitation, token = invitation_create(org=org, by=alice, role=Role.VIEWER)
    anonymous = ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/", "/accounts/password/reset/done/",
                 f"/invite/{token}/", "/invite/no-such-token/", "/no-such-page/"]
    signed_in = ["/accounts/email/", "/accounts/password/change/", "/accounts/2fa/", "/accounts/2fa/totp/activate/",
                 "/accounts/reauthenticate/", f"/invite/{token}/", f"/o/{org.id}/no-such-page/", "/o/999999/"]
    problems = {}
    opened = 0
    for browser, urls in ((_english(client), anonymous), (_english(alice_client), signed_in)):
        for url in urls:
            response = browser.get(url)
            if response["Content-Type"].startswith("text/html") and response.status_code != 302:
                opened += 1
                response.status_code = 200  # error pages are pages too
                found = japanese_ui_text(response, [org.name])
                if found:
                    problems[url] = found
    assert opened >= 12
    assert not problems, problems


@pytest.mark.django_db
def test_japanese_stays_the_default(alice_client, org):
    response = alice_client.get(f"/o/{org.id}/")
    assert "ホーム" in response.content.decode()
