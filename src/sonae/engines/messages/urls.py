"""Finding URLs in text and taking them apart the way a browser would.

`parse_url` never raises: anything it cannot read becomes a ParsedUrl with valid=False. It copes with
what phishing uses: missing scheme, `user@host` authority ("BASIC認証表記"), full-width or enclosed
characters, backslashes, IP literals, and scheme typos seen in reports (hhttps, htps).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import parse_qsl, unquote

from sonae.engines.messages.hosts import Host, normalise_host

MAX_URL_LENGTH = 8192

_SCHEME_RE = re.compile(r"^([a-z][a-z0-9+.\-]{0,20}):", re.IGNORECASE)
# Scheme typos and defanging seen in phishing reports: hxxp, hhttps, ttps, htps.
_HTTPISH_RE = re.compile(r"^(?:h?h?x?t?t?x?p(s?)|hxxp(s?))$")
_CONTROL_RE = re.compile(r"[\x00-\x20\x7f\u00ad\u200b-\u200f\u2028\u2029\u2060\ufeff]")
_DOTS = str.maketrans({"\u3002": ".", "\uff0e": ".", "\uff61": "."})


@dataclass(frozen=True)
class ParsedUrl:
    original: str
    url: str  # normalised (NFKC, scheme added, host in ASCII form)
    scheme: str
    host: Host
    userinfo: str
    port: int | None
    path: str  # path + query + fragment, as given
    valid: bool


_INVALID_HOST = normalise_host("")


@lru_cache(maxsize=50_000)
def parse_url(raw: str) -> ParsedUrl:
    original = raw
    text = raw[:MAX_URL_LENGTH]
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text).translate(_DOTS)
    if " " in text or not text.isprintable():  # every character _CONTROL_RE drops is one of these
        text = _CONTROL_RE.sub("", text)
    text = text.replace("\\", "/")
    scheme = "http"
    rest = text
    match = _SCHEME_RE.match(text)
    if match and text[match.end() : match.end() + 2] == "//":
        given = match.group(1).lower()
        if given in ("http", "https"):
            scheme = given
        elif _HTTPISH_RE.match(given) and "t" in given:
            scheme = "https" if given.endswith("s") else "http"
        else:
            scheme = given
        rest = text[match.end() + 2 :]
    elif match and match.group(1).lower() in ("http", "https"):
        # "http:example.com" or "https:/example.com": browsers still go there.
        scheme = match.group(1).lower()
        rest = text[match.end() :].lstrip("/")
    elif match and match.group(1).lower() in ("mailto", "tel", "javascript", "data", "file", "sms", "callto"):
        scheme = match.group(1).lower()
        return ParsedUrl(original, text, scheme, _INVALID_HOST, "", None, text[match.end() :], False)
    elif rest.startswith("//"):
        rest = rest[2:]
    end = len(rest)
    for stop in "/?#":
        position = rest.find(stop)
        if position != -1 and position < end:
            end = position
    authority, path = rest[:end], rest[end:]
    userinfo, _, hostport = authority.rpartition("@")
    port: int | None = None
    host_text = hostport
    if hostport.startswith("["):
        close = hostport.find("]")
        host_text = hostport[: close + 1] if close != -1 else hostport
        tail = hostport[close + 1 :] if close != -1 else ""
        if tail.startswith(":") and tail[1:].isdigit() and len(tail) < 8:
            port = int(tail[1:])
    else:
        head, sep, tail = hostport.rpartition(":")
        if sep and (tail.isdigit() or tail == ""):
            host_text = head
            if tail and len(tail) < 8:
                port = int(tail)
    try:
        host_text = unquote(host_text)
    except Exception:  # pragma: no cover - unquote only fails on non-str
        pass
    host = normalise_host(host_text)
    valid = host.valid or host.is_ip
    port_text = f":{port}" if port is not None else ""
    user_text = f"{userinfo}@" if userinfo else ""
    display_host = f"[{host.ascii}]" if ":" in host.ascii else host.ascii
    url = f"{scheme}://{user_text}{display_host}{port_text}{path}"
    return ParsedUrl(original, url, scheme, host, userinfo, port, path, valid)


# --- finding URLs in text ---------------------------------------------------------------------------

# Characters a URL can be written with in a message: ASCII URL characters plus their full-width forms,
# enclosed and mathematical letters (used to dodge filters), and the ideographic full stop.
_URL_CHARS = (
    r"A-Za-z0-9\-._~:/?#\[\]@!$&'*+,;=%\\"
    "\uff01-\uff5e\u2460-\u24ff\u3002\uff61"
    "\U0001f100-\U0001f1ff\U0001d400-\U0001d7ff"
)
# Runs of URL characters are found from their dots outwards (dots are rare; testing every character
# against this class is what costs): _RUN_END_RE measures a run forwards, and backwards on the reversed
# text. The runs are the same as the maximal matches of [URL chars]{4,} that hold a dot.
_RUN_DOT_RE = re.compile("[.\uff0e\u3002\uff61]")
_RUN_END_RE = re.compile(f"[{_URL_CHARS}()]*")


def _run_around(text: str, reverse: str, at: int) -> tuple[int, int]:
    """The maximal run of URL characters around index `at` (`reverse` is text[::-1])."""
    back = len(text) - at
    return at - (_RUN_END_RE.match(reverse, back).end() - back), _RUN_END_RE.match(text, at).end()


def _dotted_runs(text: str):
    """(start, end) of each maximal run of 4+ URL characters that holds a dot, in order."""
    reverse = None
    position = 0
    while True:
        dot = _RUN_DOT_RE.search(text, position)
        if dot is None:
            return
        if reverse is None:
            reverse = text[::-1]
        at = dot.start()
        start, end = _run_around(text, reverse, at)
        if end - start >= 4:
            yield start, end
        position = end if end > at else at + 1


# In ASCII text a run can hold a URL only where _may_hold_url says so: a dot before a letter, "://" or
# "www." (matched on the lower-cased text).
_URL_HINT_RE = re.compile(r"\.[a-z]|://|www\.")


def _hinted_runs(text: str):
    """For ASCII text: the runs of _dotted_runs that _may_hold_url keeps, in order, found from the places
    that make it keep them instead of from every dot (most dots end a sentence or sit in a number)."""
    lower = text.lower()
    reverse = None
    position = 0
    while True:
        hint = _URL_HINT_RE.search(lower, position)
        if hint is None:
            return
        if reverse is None:
            reverse = text[::-1]
        # URL characters only: the hint lies inside one run
        start, end = _run_around(text, reverse, hint.start())
        if end - start >= 4 and text.find(".", start, end) != -1:
            yield start, end
        position = end


_IN_RUN_RE = re.compile(
    r"(?:(?:h?h?[tx]?[tx]?ps?|https?)://|www\.)[^\s<>\"]+"
    r"|(?<![@\w.-])(?:[a-z0-9](?:[a-z0-9-]{0,62})\.)+(?:[a-z]{2,24}|xn--[a-z0-9-]{2,30})(?::\d{1,5})?(?:[/?#][^\s<>\"]*)?",
    re.IGNORECASE,
)
_TRAILING = ".,;:!?)'\"]>。、"
# Bare host names (no scheme, no www.) only count as links on these suffixes, so file names such as
# setup.py or notes.md are not taken for links.
_BARE_SUFFIX_RE = re.compile(
    r"\.(?:com|net|org|jp|info|biz|cn|ru|top|xyz|shop|club|online|site|store|live|life|icu|cfd|sbs|cyou|"
    r"bond|buzz|vip|asia|cc|tk|ml|ga|cf|gq|pw|work|link|click|app|dev|io|co|me|tokyo|xn--[a-z0-9-]+)(?::\d+)?(?:[/?#]|$)",
    re.IGNORECASE,
)


_SPECIAL_CHARS_RE = re.compile("[\uff01-\uff5e\u2460-\u24ff\u3002\uff61\U0001f100-\U0001f1ff\U0001d400-\U0001d7ff]")


def _keep(candidate: str) -> bool:
    if len(candidate) < 4:
        return False
    lower = candidate.lower()
    has_scheme = "://" in lower[:12]
    if not has_scheme and not lower.startswith("www.") and not _BARE_SUFFIX_RE.search(lower):
        return False
    if not has_scheme and "@" in candidate.split("/")[0]:
        return False  # an e-mail address
    return True


def _strip_trailing(candidate: str) -> str:
    """Drop sentence punctuation after a URL, keeping a ")" that closes a "(" inside it."""
    while candidate and candidate[-1] in _TRAILING:
        if candidate[-1] == ")" and candidate.count("(") >= candidate.count(")"):
            break
        candidate = candidate[:-1]
    return candidate


_DOT_LETTER_RE = re.compile(r"\.[a-z]")


def _may_hold_url(ascii_chunk: str) -> bool:
    """False when _IN_RUN_RE cannot match in this ASCII text: its first branch needs "://" or "www.", its
    second a dot followed by a letter (the top-level domain). Testing that is cheaper than the search."""
    lower = ascii_chunk.lower()
    return "://" in lower or "www." in lower or _DOT_LETTER_RE.search(lower) is not None


@dataclass(frozen=True)
class FoundUrl:
    url: str  # as normalised for parsing (NFKC), not yet parsed
    span: tuple[int, int]  # into the text that was searched


def find_urls(text: str, limit: int = 1000) -> list[FoundUrl]:
    """URLs (with or without scheme) in free text, with their spans. At most `limit` are returned."""
    found: list[FoundUrl] = []
    for run_start, run_end in _hinted_runs(text) if text.isascii() else _dotted_runs(text):
        chunk = text[run_start:run_end]
        normal = chunk if chunk.isascii() else unicodedata.normalize("NFKC", chunk).translate(_DOTS)
        same_length = len(normal) == len(chunk)
        if normal.isascii() and not _may_hold_url(normal):
            continue  # most runs are a word before a full stop ("end.") or a number ("3.5")
        for match in _IN_RUN_RE.finditer(normal):
            candidate = _strip_trailing(match.group(0))
            if not _keep(candidate):
                continue
            if same_length:
                start = run_start + match.start()
                span = (start, start + len(candidate))
            else:
                span = (run_start, run_end)
            found.append(FoundUrl(candidate, span))
            if len(found) >= limit:
                return found
    return found


_EMBEDDED_KEYS = {"url", "u", "q", "link", "target", "redirect", "redirect_url", "redirect_uri", "dest", "destination", "goto", "next", "continue", "r", "to", "rurl", "ref"}


def embedded_urls(parsed: ParsedUrl) -> list[str]:
    """URLs carried inside another URL's query (open redirects, translation proxies)."""
    query = parsed.path.partition("?")[2].partition("#")[0]
    if not query or len(query) > 4096:
        return []
    if "%" not in query:
        # Without percent-escapes a value can only start with http or www if the query holds them.
        lower = query.lower()
        if "http" not in lower and "www" not in lower:
            return []
    result = []
    for key, value in parse_qsl(query, keep_blank_values=False)[:50]:
        if key.lower() in _EMBEDDED_KEYS and re.match(r"^(?:https?://|www\.)", value, re.IGNORECASE):
            result.append(value)
    return result


def translate_proxy_host(host: str) -> str | None:
    """www-example-co-jp.translate.goog -> www.example.co.jp (Google Translate's proxy naming)."""
    if not host.endswith(".translate.goog"):
        return None
    label = host[: -len(".translate.goog")].split(".")[-1]
    # "--" stands for a real hyphen, "-" for a dot.
    return label.replace("--", "\x00").replace("-", ".").replace("\x00", "-") or None
