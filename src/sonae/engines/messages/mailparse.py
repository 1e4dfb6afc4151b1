"""Read a raw mail (.eml bytes) defensively: never raise, bound the work, decode Japanese charsets.

The stdlib's `email.policy.default` raises on some real headers (e.g. a Reply-To whose display name
starts with a dot, seen in phishing_pot sample-4903), so we parse with compat32 and decode each header
ourselves, falling back to the raw text when a header cannot be decoded.
"""

from __future__ import annotations

import email
import email.header
import email.parser
import email.utils
import io
import re
import zipfile
from dataclasses import dataclass, field
from functools import lru_cache
from operator import itemgetter
from email.message import Message
from email.policy import compat32

from sonae.engines.messages.htmltext import Anchor, html_to_text

MAX_PARTS = 500
MAX_TEXT_PART_BYTES = 2_000_000
MAX_TEXT_CHARS = 400_000
MAX_ATTACHMENT_INSPECT_BYTES = 20_000_000
MAX_ZIP_ENTRIES = 2000

# Charset names as labelled in real mail -> a Python codec that reads what senders actually wrote
# (Japanese mail labelled Shift_JIS or ISO-2022-JP routinely uses the Microsoft/NEC extensions such as ①).
_CHARSET_ALIASES = {
    "shift_jis": "cp932", "shift-jis": "cp932", "sjis": "cp932", "x-sjis": "cp932", "ms_kanji": "cp932",
    "windows-31j": "cp932", "cp932": "cp932",
    "iso-2022-jp": "iso2022_jp_ext", "iso2022-jp": "iso2022_jp_ext", "csiso2022jp": "iso2022_jp_ext",
    "euc-jp": "euc_jis_2004", "x-euc-jp": "euc_jis_2004", "eucjp": "euc_jis_2004",
    "utf8": "utf-8", "us-ascii": "utf-8", "ascii": "utf-8", "unknown-8bit": "utf-8",
    "gb2312": "gb18030", "gbk": "gb18030", "ks_c_5601-1987": "cp949",
}


@dataclass
class Attachment:
    filename: str
    content_type: str
    size: int
    zip_names: list[str] = field(default_factory=list)
    zip_encrypted: bool = False
    zip_unreadable: bool = False


@dataclass
class ParsedMail:
    subject: str = ""
    from_name: str = ""
    from_address: str = ""
    reply_to_name: str = ""
    reply_to_address: str = ""
    return_path: str = ""
    to: str = ""
    list_id: str = ""
    authentication_results: list[str] = field(default_factory=list)
    text: str = ""
    anchors: list[Anchor] = field(default_factory=list)  # spans into `text`
    attachments: list[Attachment] = field(default_factory=list)
    forms: int = 0
    scripts: int = 0
    parts: int = 0
    truncated: bool = False
    defects: int = 0


def decode_bytes(data: bytes, charset: str | None) -> str:
    """Decode with the declared charset (mapped to a tolerant codec), then common Japanese guesses."""
    tried: list[str] = []
    if charset:
        name = charset.strip().strip('"').lower()
        tried.append(_CHARSET_ALIASES.get(name, name))
    if b"\x1b$" in data[:4096] or b"\x1b(" in data[:4096]:
        tried.append("iso2022_jp_ext")
    tried += ["utf-8", "cp932", "euc_jis_2004"]
    for codec in tried:
        try:
            return data.decode(codec)
        except (LookupError, UnicodeDecodeError):
            if codec == "iso2022_jp_ext":
                converted = _iso2022jp_via_cp932(data)
                if converted is not None:
                    return converted
            continue
    first = next((c for c in tried if _codec_exists(c)), "utf-8")
    return data.decode(first, errors="replace")


def _iso2022jp_via_cp932(data: bytes) -> str | None:
    """ISO-2022-JP as Japanese mailers write it (CP50220: NEC ①, ㈱ under ESC $ B), via Shift_JIS/cp932."""
    out = bytearray()
    mode = "ascii"
    index = 0
    length = len(data)
    while index < length:
        byte = data[index]
        if byte == 0x1B:
            sequence = data[index + 1: index + 3]
            if sequence in (b"$B", b"$@"):
                mode = "jis"
            elif sequence in (b"(B", b"(J"):
                mode = "ascii"
            elif sequence == b"(I":
                mode = "kana"
            else:
                return None
            index += 3
            continue
        if mode == "jis" and byte not in (0x0A, 0x0D):
            if index + 1 >= length:
                return None
            j1, j2 = byte, data[index + 1]
            s1 = ((j1 + 1) >> 1) + (0x70 if j1 <= 0x5E else 0xB0)
            s2 = j2 + (0x1F if j1 % 2 else 0x7D)
            if s2 >= 0x7F and j1 % 2:
                s2 += 1
            out += bytes((s1 & 0xFF, s2 & 0xFF))
            index += 2
            continue
        out.append(byte + 0x80 if mode == "kana" and 0x21 <= byte <= 0x5F else byte)
        index += 1
    try:
        return bytes(out).decode("cp932")
    except UnicodeDecodeError:
        return None


def _codec_exists(name: str) -> bool:
    try:
        "".encode(name)
        return True
    except LookupError:
        return False


def decode_header_value(value: object) -> str:
    """RFC 2047 decoding that never raises; undecodable pieces stay as they were."""
    if value is None:
        return ""
    if isinstance(value, email.header.Header):
        # compat32 hands back a Header when the raw value had 8-bit bytes; its chunks keep those bytes.
        target: object = value
        raw = ""
    else:
        raw = str(value)
        target = raw
        if "=?" not in raw:
            return _unfold(raw)
    try:
        pieces = email.header.decode_header(target)
    except Exception:  # noqa: BLE001 - broken encoded words are common in spam
        return _unfold(raw or str(value))
    out = []
    for piece, charset in pieces:
        if isinstance(piece, bytes):
            out.append(decode_bytes(piece, charset))
        else:
            out.append(piece)
    return _unfold("".join(out))


_SURROGATE_RE = re.compile("[\udc80-\udcff]")


def _unfold(text: str) -> str:
    if _SURROGATE_RE.search(text):
        # Raw 8-bit header bytes (not RFC 2047): compat32 keeps them as surrogates; decode them properly.
        text = decode_bytes(text.encode("utf-8", errors="surrogateescape"), None)
    return (_FOLD_RE.sub(" ", text) if "\n" in text else text).strip()


_FOLD_RE = re.compile(r"\s*\r?\n[ \t]+")


# A bare address of dot-separated atoms, with blanks around it at most: parseaddr returns it as it is.
_BARE_ADDRESS_RE = re.compile(
    r"[ \t\r\n]*[A-Za-z0-9_%+\-]+(?:\.[A-Za-z0-9_%+\-]+)*@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*[ \t\r\n]*"
)
_ANGLE_ADDRESS_RE = re.compile(r"^(.*?)<\s*([^<>\s]+@[^<>\s]+?)\s*>\s*$", re.DOTALL)


def _address(value: str) -> tuple[str, str]:
    # "Name <addr>" is taken as written: parseaddr mangles names such as "@nifty" or ".Team".
    stripped = value.strip()
    if not stripped:
        return "", ""  # an absent header (most Reply-To): what parseaddr gives for it
    angle = _ANGLE_ADDRESS_RE.match(stripped)
    if angle:
        name = angle.group(1).strip().strip('"').strip()
        return decode_header_value(name), angle.group(2).strip().lower()
    if _BARE_ADDRESS_RE.fullmatch(value):
        return "", value.strip(" \t\r\n").lower()  # what parseaddr gives for a bare address: no name
    try:
        name, address = email.utils.parseaddr(value)
    except Exception:  # noqa: BLE001
        return value, ""
    if not address and "@" in value:
        found = re.search(r"[\w.+\-=]+@[\w\-.]+", value)
        address = found.group(0) if found else ""
    return decode_header_value(name), address.strip().lower()


class _IndexedMessage(Message):
    """A Message (as the fast reader builds them) whose header lookups go through an index by lower-case
    name: Message.get lower-cases and compares every header name on each call, and a mail with 40-90
    headers is asked for its type, disposition, encoding and charset several times. The index is built
    on first use and rebuilt whenever the header list is replaced or changes length; replace_header, the
    one change in place, drops it. Lookups give what Message gives (the first header of the name,
    through the policy's header_fetch_parse)."""

    _index: dict[str, tuple[str, object]] | None = None
    _indexed_list: list | None = None  # the header list the index was built from (kept, so compared by identity)
    _indexed_length = -1

    def _lookup(self) -> dict[str, tuple[str, object]]:
        headers = self._headers
        if self._index is None or self._indexed_list is not headers or self._indexed_length != len(headers):
            # All names lower-cased at once; a dict built from the reversed list keeps the first of each.
            joined = "\n".join(map(itemgetter(0), headers))
            if joined.count("\n") == max(len(headers) - 1, 0):
                index = dict(zip(reversed(joined.lower().split("\n")), reversed(headers)))
            else:  # a name with a line break in it (never from the fast reader)
                index = {}
                for name, value in headers:
                    index.setdefault(name.lower(), (name, value))
            self._index = index
            self._indexed_list = headers
            self._indexed_length = len(headers)
        return self._index

    def get(self, name, failobj=None):
        found = self._lookup().get(name.lower())
        return failobj if found is None else self.policy.header_fetch_parse(*found)

    def __contains__(self, name) -> bool:
        return name.lower() in self._lookup()

    def replace_header(self, _name, _value) -> None:
        self._index = None
        super().replace_header(_name, _value)

    def first_raw(self, name: str) -> object:
        """The raw value of the first header of this (lower-case) name, None if there is none."""
        found = self._lookup().get(name)
        return None if found is None else found[1]


class _HeaderIndex:
    """The top-level headers by lower-case name, read once: Message.get lower-cases and compares every
    header name on each call, and a real mail has 30-40 headers (Received, X-...). Values come out as
    Message.get gives them (the first of the name, through the policy's header_fetch_parse)."""

    def __init__(self, message: Message) -> None:
        self.policy = message.policy
        self.message = message if isinstance(message, _IndexedMessage) else None  # indexed already
        self.headers: dict[str, list[tuple[str, object]]] = {}
        if self.message is None:
            for name, value in message.raw_items():
                self.headers.setdefault(name.lower(), []).append((name, value))

    def get(self, name: str) -> object:
        if self.message is not None:
            return self.message.get(name)
        found = self.headers.get(name.lower())
        return self.policy.header_fetch_parse(*found[0]) if found else None

    def get_all(self, name: str) -> list[object]:
        if self.message is not None:
            return self.message.get_all(name, [])
        return [self.policy.header_fetch_parse(k, v) for k, v in self.headers.get(name.lower(), [])]


def _header(message: Message | _HeaderIndex, name: str) -> str:
    try:
        value = message.get(name)
    except Exception:  # noqa: BLE001
        return ""
    return decode_header_value(value)


def _payload_bytes(part: Message, limit: int) -> bytes:
    try:
        payload = part.get_payload(decode=False)
    except Exception:  # noqa: BLE001
        return b""
    if not isinstance(payload, str):
        return b""
    if len(payload) > limit * 2:
        payload = payload[: limit * 2]
    encoding = str(part.get("Content-Transfer-Encoding", "")).strip().lower()
    try:
        if encoding == "base64":
            import binascii

            try:
                # a2b_base64 skips characters outside the alphabet (line breaks, junk) in C.
                return binascii.a2b_base64(payload.encode("ascii", errors="ignore"))[:limit]
            except binascii.Error:
                cleaned = re.sub(r"[^A-Za-z0-9+/]", "", payload)
                cleaned = cleaned[: len(cleaned) - len(cleaned) % 4]
                try:
                    return binascii.a2b_base64(cleaned)[:limit]
                except binascii.Error:
                    return b""
        if encoding == "quoted-printable":
            import quopri

            return quopri.decodestring(payload.encode("ascii", errors="replace"))[:limit]
    except Exception:  # noqa: BLE001
        return b""
    try:
        return payload.encode("ascii", errors="surrogateescape")[:limit]
    except UnicodeEncodeError:
        return payload.encode("utf-8", errors="surrogateescape")[:limit]


def _encoded_size(part: Message) -> int:
    try:
        payload = part.get_payload(decode=False)
    except Exception:  # noqa: BLE001
        return 0
    if not isinstance(payload, str):
        return 0
    encoding = str(part.get("Content-Transfer-Encoding", "")).strip().lower()
    return len(payload) * 3 // 4 if encoding == "base64" else len(payload)


def _part_charset(part: Message) -> str | None:
    try:
        if isinstance(part, _IndexedMessage):
            value = part.first_raw("content-type")
        else:
            value = next((v for k, v in part.raw_items() if k.lower() == "content-type"), None)
        return None if value is None else _charset_of_content_type(value)
    except Exception:  # noqa: BLE001
        return None


@lru_cache(maxsize=1024)
def _charset_of_content_type(value: str) -> str | None:
    """get_content_charset() of a part whose first Content-Type header is `value` (raw): it reads only
    that header, and the parameter parsing is costly; mail after mail carries the same few values."""
    probe = Message(policy=compat32)
    probe.set_raw("Content-Type", value)
    return probe.get_content_charset()


def _filename(part: Message) -> str:
    try:
        headers = [str(part.get(header, "")).lower() for header in ("Content-Disposition", "Content-Type")]
    except Exception:  # noqa: BLE001
        headers = None
    if headers is not None and "name" not in headers[0] and "name" not in headers[1]:
        return ""  # no filename= or name= parameter anywhere: skip the parameter parsing below
    try:
        name = part.get_filename()
    except Exception:  # noqa: BLE001
        name = None
    if name is None:
        for header in ("Content-Disposition", "Content-Type"):
            found = re.search(r'name\*?=(?:"([^"]*)"|([^;\s]+))', str(part.get(header, "")))
            if found:
                name = found.group(1) or found.group(2)
                break
    return decode_header_value(name) if name else ""


def _inspect_zip(data: bytes, attachment: Attachment) -> None:
    """List a zip's names and encryption from its central directory. Never decompresses anything."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            for info in infos[:MAX_ZIP_ENTRIES]:
                attachment.zip_names.append(info.filename[:300])
                if info.flag_bits & 0x1:
                    attachment.zip_encrypted = True
    except Exception:  # noqa: BLE001 - corrupt or hostile archives are only reported, never opened
        attachment.zip_unreadable = True


_MAX_FAST_DEPTH = 8
# A header field as the feed parser reads it without a defect: a name of printable ASCII but ":", then
# ":", the blanks that open the value (header_source_parse strips them), the rest of the line, and every
# following line that opens with a blank (a continuation). ([^\n] rather than [^\r\n]: re scans a
# single excluded character several times faster than a class.)
_HEADER_FIELD_RE = re.compile(r"([\041-\071\073-\176]+):[ \t]*([^\n]*(?:\n[ \t][^\n]*)*)(?:\n|\Z)")
# A CR that is not part of a CRLF (the feed parser takes it for a line break of its own).
_LONE_CR_RE = re.compile(r"\r(?!\n)")
# A line (after the first) that is neither a continuation nor opens with a header name and ":".
_NOT_A_FIELD_LINE_RE = re.compile(r"\n(?![ \t]|[\041-\071\073-\176]+:)")


def _blank_line_end(text: str) -> int:
    r"""The end of the first "\n\n" or "\r\n\r\n" in text, whichever starts first, or -1. Two str.find,
    the second bounded by the first (a regex search for either is tried at every line end, several
    times slower); the first line's ending says which of them to look for first."""
    first_newline = text.find("\n")
    if first_newline > 0 and text[first_newline - 1] == "\r":
        crlf = text.find("\r\n\r\n")
        lf = text.find("\n\n", 0, crlf + 1 if crlf != -1 else len(text))
    else:
        lf = text.find("\n\n")
        crlf = text.find("\r\n\r\n", 0, lf + 3 if lf != -1 else len(text))
    if crlf != -1 and (lf == -1 or crlf < lf):
        return crlf + 4
    return lf + 2 if lf != -1 else -1


def _header_block(block: str) -> Message | None:
    r"""The headers of a block ending in a blank line, as the feed parser (compat32) reads them: a line
    opening with a blank continues the header before it, and each header becomes what the policy's
    header_source_parse makes of its lines (the value after the colon without its leading blanks, the
    line breaks of its continuations kept, the last line end dropped). Only for blocks it reads without
    defects or special cases (every line a header or a continuation, a "From " line only first, no lone
    CR); None otherwise, and the parser decides."""
    if "\r" in block and _LONE_CR_RE.search(block):
        return None
    # The header lines without the blank line that ends them (the last one keeps a "\r" of its own).
    if block.endswith("\r\n\r\n"):
        head = block[:-3]
    elif block.endswith("\n\n"):
        head = block[:-2]
    else:
        return None
    message = _IndexedMessage(policy=compat32)
    position = 0
    if head.startswith("From "):
        # The mbox envelope line ("From user date"), as the parser keeps it: without its line end.
        newline = head.find("\n")
        first = head if newline == -1 else head[:newline]
        message.set_unixfrom(first[:-1] if first.endswith("\r") else first)
        if newline == -1:
            return message
        position = newline + 1
    body = head[position:]
    if not _HEADER_FIELD_RE.match(body) or _NOT_A_FIELD_LINE_RE.search(body):
        return None  # a line that is no header, a continuation with nothing to continue, no header at all
    # Every line is now a header or a continuation, so the fields follow each other without a gap.
    fields = _HEADER_FIELD_RE.findall(body)
    if "\r" in body:
        # Each line but the last ends in "\r\n" and the last in "\r": a value keeps the line breaks of
        # its continuations but not its own line end (header_source_parse's rstrip("\r\n")).
        fields = [(name, value[:-1] if value.endswith("\r") else value) for name, value in fields]
    message._headers.extend(fields)  # what set_raw does for each
    return message


def _split_part(text: str, depth: int = 0) -> Message | None:
    """The Message that the feed parser (compat32) builds for `text`, when the text is a plainly built
    part: a header block ended by a blank line, then either a one-part body taken as it is, or a
    multipart body whose boundary lines are found by one search instead of the feed parser's line-by-line
    walk through every attachment. It follows the feed parser's rules (a boundary line is the separator,
    an optional "--", blanks and the line end; the line break before a boundary belongs to the boundary;
    the preamble and epilogue are not parts). None - the caller then takes the full parse - for
    anything the feed parser treats specially: no blank line after the headers, lone CRs, message/*
    parts, multipart/digest, a multipart without boundary, start or close boundary, adjacent boundary
    lines, a transfer encoding other than 7bit/8bit/binary on a multipart, deep nesting, too many parts."""
    end = _blank_line_end(text)
    if end == -1:
        return None
    message = _header_block(text[:end])
    if message is None:
        message = email.parser.HeaderParser(policy=compat32).parsestr(text[:end])
        if message.get_payload() != "":
            return None  # the parser ended the headers earlier (a line that is no header)
    maintype = message.get_content_maintype()
    if maintype == "message":
        return None
    body = text[end:]
    if maintype != "multipart":
        message.set_payload(body)  # what the feed parser builds for a one-part type, without its lines
        return message
    if "\r" in body and _LONE_CR_RE.search(body):
        return None  # a lone CR is a line break to the feed parser
    boundary = message.get_boundary()
    if (
        boundary is None
        or depth >= _MAX_FAST_DEPTH
        or message.get_content_type() == "multipart/digest"
        or str(message.get("content-transfer-encoding", "8bit")).lower() not in ("7bit", "8bit", "binary")
    ):
        return None
    separator = re.escape("--" + boundary)
    # Boundary lines as (start, end after the line break, is the close boundary), offsets into body.
    # Searched as "\n" + separator over "\n" + body: a literal prefix lets re skip ahead (a "^" in
    # MULTILINE mode is tried at every position); a match at scan offset i is the line at body offset i.
    scan = "\n" + body
    lines = []
    for found in re.finditer("\n" + separator + r"(--)?[ \t]*(?=\r?\n|\Z)", scan):
        after = found.end()
        eol = 2 if scan.startswith("\r\n", after) else 1 if after < len(scan) else 0
        lines.append((found.start(), after - 1 + eol, bool(found.group(1))))
        if len(lines) > MAX_PARTS * 2:
            return None
    if len(lines) < 2 or lines[0][2]:
        return None
    parts: list[Message] = []
    # Preamble and epilogue as the feed parser sets them: the line break before the first boundary
    # belongs to the boundary; an empty preamble stays None; the epilogue is all after the close line.
    preamble = body[: lines[0][0]]
    if preamble:
        message.preamble = preamble[:-2] if preamble.endswith("\r\n") else preamble[:-1] if preamble.endswith("\n") else preamble
    for here, after in zip(lines, lines[1:]):
        if here[2]:
            message.epilogue = body[here[1]:]
            break  # the close boundary: the rest is epilogue
        if here[1] == after[0]:
            return None  # adjacent boundary lines: the feed parser swallows them differently
        chunk = body[here[1]: after[0]]
        chunk = chunk[:-2] if chunk.endswith("\r\n") else chunk[:-1] if chunk.endswith("\n") else chunk
        part = _split_part(chunk, depth + 1)
        if part is None:
            return None
        parts.append(part)
    else:
        if not lines[-1][2]:
            return None  # no close boundary
        message.epilogue = body[lines[-1][1]:]
    message.set_payload(parts)
    return message


def _fast_message(raw: bytes) -> Message | None:
    # Decoded as BytesParser.parsebytes decodes before the feed parser reads it.
    return _split_part(raw.decode("ascii", errors="surrogateescape"))


def parse_mail(raw: bytes) -> ParsedMail:
    result = ParsedMail()
    try:
        message = _fast_message(raw)
    except Exception:  # noqa: BLE001 - the full parse below decides
        message = None
    try:
        if message is None:
            message = email.message_from_bytes(raw, policy=compat32)
    except Exception:  # noqa: BLE001 - e.g. RecursionError on thousands of nested multiparts
        # Keep the headers and read the body as plain text, without its (hostile) structure.
        message = email.parser.BytesHeaderParser(policy=compat32).parsebytes(raw)
        message.set_type("text/plain")
        result.truncated = True
    top = _HeaderIndex(message)
    result.subject = _header(top, "Subject")
    result.from_name, result.from_address = _address(_header_raw(top, "From"))
    result.reply_to_name, result.reply_to_address = _address(_header_raw(top, "Reply-To"))
    result.return_path = _address(_header_raw(top, "Return-Path"))[1]
    result.to = _header(top, "To")
    result.list_id = _header(top, "List-Id") or _header(top, "List-Unsubscribe") and "list"
    try:
        result.authentication_results = [_unfold(str(v)) for v in top.get_all("Authentication-Results")][:20]
    except Exception:  # noqa: BLE001
        result.authentication_results = []

    texts: list[str] = []
    html_chunks: list[str] = []
    total = 0
    for part in _walk(message, result):
        try:
            content_type = part.get_content_type()
        except Exception:  # noqa: BLE001
            content_type = "application/octet-stream"
        if part.is_multipart():
            continue
        disposition = str(part.get("Content-Disposition", "")).lower()
        filename = _filename(part)
        is_text = content_type in ("text/plain", "text/html") and not filename and "attachment" not in disposition
        if is_text:
            if total >= MAX_TEXT_CHARS:
                result.truncated = True
                continue
            data = _payload_bytes(part, MAX_TEXT_PART_BYTES)
            text = decode_bytes(data, _part_charset(part))
            if "\r" in text:
                text = text.replace("\r\n", "\n").replace("\r", "\n")
            total += len(text)
            if content_type == "text/html":
                html_chunks.append(text)
            else:
                texts.append(text)
            continue
        if content_type == "message/rfc822" or content_type.startswith("multipart/"):
            continue
        lower = (filename or "").lower()
        is_zip = lower.endswith(".zip") or content_type in ("application/zip", "application/x-zip-compressed")
        if is_zip:
            data = _payload_bytes(part, MAX_ATTACHMENT_INSPECT_BYTES)
            size = len(data)
        else:
            # Only archives are opened (their directory, never their contents); other attachments are
            # judged by name and type, so their size is estimated without decoding them.
            data = _payload_bytes(part, 8)
            size = _encoded_size(part)
        attachment = Attachment(filename or "(no name)", content_type, size)
        if is_zip or data[:4] == b"PK\x03\x04":
            if not is_zip:
                data = _payload_bytes(part, MAX_ATTACHMENT_INSPECT_BYTES)
            _inspect_zip(data, attachment)
        if len(result.attachments) < 200:
            result.attachments.append(attachment)

    # Prefer the HTML part when there is one: its links carry the href a person would click.
    body_parts = []
    anchors: list[Anchor] = []
    offset = 0
    if html_chunks:
        for chunk in html_chunks:
            content = html_to_text(chunk)
            result.forms += content.forms
            result.scripts += content.scripts
            result.truncated |= content.truncated
            body_parts.append(content.text)
            anchors += content.anchors if not offset else [
                Anchor(a.href, a.text, a.start + offset, a.end + offset) for a in content.anchors
            ]
            offset += len(content.text) + 2
        plain_extra = [t for t in texts if t.strip() and not html_chunks]
        body_parts += plain_extra
    else:
        body_parts = texts
    text = "\n\n".join(p.strip("\n") for p in body_parts)
    if len(text) > MAX_TEXT_CHARS:
        text = text[:MAX_TEXT_CHARS]
        result.truncated = True
    result.text = text
    result.anchors = [a for a in anchors if a.end <= len(result.text)]
    try:
        result.defects = len(message.defects)
    except Exception:  # noqa: BLE001
        pass
    return result


def _header_raw(message: Message | _HeaderIndex, name: str) -> str:
    try:
        value = message.get(name)
    except Exception:  # noqa: BLE001
        return ""
    if value is None:
        return ""
    if isinstance(value, email.header.Header):
        return decode_header_value(value)
    text = _unfold(str(value))
    # Decode encoded words in the display name only, keeping the address part as written.
    return decode_header_value(text) if "=?" in text else text


def _walk(message: Message, result: ParsedMail):
    """Depth-first over parts, at most MAX_PARTS, without recursion limits on deep nesting."""
    stack = [message]
    while stack:
        part = stack.pop()
        result.parts += 1
        if result.parts > MAX_PARTS:
            result.truncated = True
            return
        yield part
        try:
            payload = part.get_payload() if part.is_multipart() else None
        except Exception:  # noqa: BLE001
            payload = None
        if isinstance(payload, list):
            stack.extend(reversed(payload[: MAX_PARTS * 2]))
