"""Host names as a browser would see them, so comparisons cannot be fooled by how they are written.

Every host goes through NFKC (full-width and enclosed letters such as 🄲🄾🄼 become COM) and UTS #46
(the IDNA mapping browsers use; the stdlib `idna` codec is IDNA 2003 and maps neither), then gets its
registrable domain from the public suffix list bundled with tldextract (never fetched: no network).
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import idna
import tldextract

# suffix_list_urls=() and cache_dir=None: use the snapshot shipped inside the package, never the network.
_EXTRACT = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None, include_psl_private_domains=False)

# Dots that browsers accept as label separators (UTS #46 maps them to ".").
_DOTS = str.maketrans({"\u3002": ".", "\uff0e": ".", "\uff61": "."})
# Characters that render as nothing; UTS #46 drops most of them, we drop them first.
_INVISIBLE_RE = re.compile("[\u00ad\u200b-\u200f\u2060-\u2064\ufeff\u180e]")
_LDH_RE = re.compile(r"^[a-z0-9._-]+$")
_NUMERIC_HOST_RE = re.compile(r"^(?:0x[0-9a-f]+|[0-9]+)(?:\.(?:0x[0-9a-f]+|[0-9]+)){0,3}$")


@dataclass(frozen=True)
class Host:
    ascii: str  # lower-case, punycode for non-ASCII labels; "" when unusable
    unicode: str  # as a person would read it
    registrable: str  # e.g. example.co.jp; the IP itself for IP hosts
    label: str  # registrable label without the suffix, e.g. example
    suffix: str  # public suffix, e.g. co.jp
    subdomain: str
    is_ip: bool = False
    is_idn: bool = False
    valid: bool = True


def _to_ascii(host: str) -> tuple[str, bool]:
    if _LDH_RE.match(host) and "xn--" not in host:
        return host, True
    try:
        return idna.encode(host, uts46=True, std3_rules=False, transitional=False).decode("ascii"), True
    except (idna.IDNAError, UnicodeError, ValueError):
        pass
    # Label by label, so one bad label does not hide the rest of the host.
    labels = []
    for label in host.split("."):
        if label.isascii():
            labels.append(label)
            continue
        try:
            labels.append("xn--" + label.encode("punycode").decode("ascii"))
        except UnicodeError:
            labels.append("invalid")
    return ".".join(labels), False


def _to_unicode(ascii_host: str) -> str:
    if "xn--" not in ascii_host:
        return ascii_host
    try:
        return idna.decode(ascii_host, uts46=True, std3_rules=False)
    except (idna.IDNAError, UnicodeError, ValueError):
        labels = []
        for label in ascii_host.split("."):
            if label.startswith("xn--"):
                try:
                    label = label[4:].encode("ascii").decode("punycode")
                except (UnicodeError, ValueError):
                    pass
            labels.append(label)
        return ".".join(labels)


def _ip_host(host: str) -> str | None:
    """The canonical IP when the host is an IP literal, including the 0x7f.1 / 2130706433 forms browsers accept."""
    candidate = host[1:-1] if host.startswith("[") and host.endswith("]") else host
    if not candidate or not (candidate[0].isdigit() or ":" in candidate):
        return None  # names start with a letter far more often: skip the costly parse
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        pass
    if _NUMERIC_HOST_RE.match(candidate):
        parts = candidate.split(".")
        try:
            numbers = [int(p, 16) if p.startswith("0x") else (int(p, 8) if len(p) > 1 and p.startswith("0") else int(p)) for p in parts]
        except ValueError:
            return None
        # inet_aton rules: the last part fills the remaining bytes.
        value = 0
        for number in numbers[:-1]:
            if number > 255:
                return None
            value = value * 256 + number
        rest_bytes = 5 - len(numbers)
        if numbers[-1] >= 256**rest_bytes:
            return None
        value = value * (256**rest_bytes) + numbers[-1]
        if value < 2**32:
            return str(ipaddress.IPv4Address(value))
    return None


@lru_cache(maxsize=100_000)
def normalise_host(raw: str) -> Host:
    """Normalise a host name (NFKC, UTS #46, lower case) and split off its registrable domain."""
    host = raw.strip()
    if not host.isascii():
        host = unicodedata.normalize("NFKC", _INVISIBLE_RE.sub("", host))
    host = host.translate(_DOTS).lower().strip(".")
    if not host or len(host) > 1000:
        return Host("", raw[:200], "", "", "", "", valid=False)
    ip = _ip_host(host)
    if ip is not None:
        return Host(ip, ip, ip, ip, "", "", is_ip=True)
    ascii_host, valid = _to_ascii(host)
    ascii_host = ascii_host.strip(".")
    parts = _EXTRACT(ascii_host)
    registrable = f"{parts.domain}.{parts.suffix}" if parts.domain and parts.suffix else (parts.domain or parts.suffix)
    return Host(
        ascii=ascii_host,
        unicode=_to_unicode(ascii_host),
        registrable=registrable,
        label=parts.domain,
        suffix=parts.suffix,
        subdomain=parts.subdomain,
        is_idn="xn--" in ascii_host,
        valid=valid and bool(parts.suffix) and bool(parts.domain),
    )


def host_suffixes(host: str) -> list[str]:
    """www.a.example.com -> [www.a.example.com, a.example.com, example.com, com]."""
    labels = host.split(".")
    return [".".join(labels[i:]) for i in range(len(labels))]


def match_suffix(host: str, table: dict[str, object] | set[str] | frozenset[str]) -> str | None:
    """The longest entry of `table` that `host` equals or is a sub-domain of."""
    if not table:
        return None
    for candidate in host_suffixes(host):
        if candidate in table:
            return candidate
    return None


def match_suffixes(suffixes: list[str], table: dict[str, object] | set[str] | frozenset[str]) -> str | None:
    """match_suffix for a host whose suffixes (host_suffixes) are already computed."""
    for candidate in suffixes:
        if candidate in table:
            return candidate
    return None


def is_known_suffix(suffix: str) -> bool:
    return bool(suffix) and _EXTRACT(f"x.{suffix}").suffix == suffix
