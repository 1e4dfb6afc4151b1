"""The English catalogue is complete and compiled, and the main English pages show no Japanese UI text.

sonae's msgids are Japanese; English comes from src/sonae/locale/en/LC_MESSAGES/django.po (compiled to django.mo,
both committed). When a test here fails after you added or changed a string: run scripts/update_translations.sh,
write the English msgstr of the new entries in django.po (no `#, fuzzy` left), run the script again and commit both
files.
"""

from __future__ import annotations

import ast
import gettext
import html
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

import sonae
from sonae.orgs.choices import PREFECTURES

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

# Dates are still formatted with a Japanese pattern in several templates (|date:"Y年n月j日"); they carry no UI words.
JAPANESE_DATE = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日|\d{1,2}月\d{1,2}日")


def japanese_ui_text(response, data: list[str]) -> list[str]:
    """Japanese snippets left in an HTML page once data (names, places) and the language picker are removed."""
    assert response.status_code == 200
    text = response.content.decode()
    text = re.sub(r"<script\b.*?</script>", "", text, flags=re.S)
    text = re.sub(r'<span class="brand-mark"[^>]*>.*?</span>', "", text)  # the logo glyph
    text = re.sub(r'<option value="ja"[^>]*>[^<]*</option>', "", text)  # 日本語 names itself in the picker
    text = html.unescape(text)
    for value in data:
        text = text.replace(value, "")
    text = JAPANESE_DATE.sub("", text)
    text = text.replace("\u30fb", " ")  # ・ is used as a separator between data values; punctuation, not words
    return sorted({m.group(0) for m in re.finditer(r"[^<>\"\n]{0,20}[\u3040-\u30ff\u4e00-\u9fff][^<>\"\n]{0,20}", text)})


def _english(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.mark.django_db
def test_english_login_page(client):
    response = _english(client).get("/accounts/login/")
    assert b"Log in" in response.content
    assert japanese_ui_text(response, []) == []


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["", "members/", "invitations/", "settings/"])
def test_english_organisation_pages(alice_client, org, page):
    response = _english(alice_client).get(f"/o/{org.id}/{page}")
    # Prefecture names are stored values (orgs.choices.PREFECTURES) and show as place names in the settings form.
    assert japanese_ui_text(response, [org.name, *sorted(PREFECTURES, key=len, reverse=True)]) == []


@pytest.mark.django_db
def test_japanese_stays_the_default(alice_client, org):
    response = alice_client.get(f"/o/{org.id}/")
    assert "ホーム" in response.content.decode()
