"""What a single host says about a link: official for a brand, or risky, and why.

Context-free results are cached per host (the catalog does not change while the process runs); checks
against the organisation's own and partner domains are done per call, since they depend on the context.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from sonae.engines.messages.hosts import Host, host_suffixes, match_suffixes, normalise_host
from sonae.engines.messages.knowledge import knowledge

_VOWELS = set("aeiouy")
_DROP_ASCII_NON_LETTERS = str.maketrans("", "", "".join(chr(c) for c in range(128) if not chr(c).isalpha()))
_WORD_SPLIT_RE = re.compile(r"[-_]")
_CONSONANT_RUN_RE = re.compile(r"[bcdfghjklmnpqrstvwxz]{5,}")
_LETTER_DIGIT_RE = re.compile(r"[a-z]+|[0-9]+")

# A few TR39 prototypes plus the ASCII tricks the police seminar names (rn→m, 0/o, 1/l), applied to
# compare a host label with a protected one; never shown to anyone.
_SKELETON_PAIRS = [("rn", "m"), ("vv", "w"), ("cl", "d"), ("0", "o"), ("1", "l"), ("i", "l"), ("|", "l")]
_SKELETON_CHARS = str.maketrans({
    "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "і": "i", "ј": "j", "ԁ": "d",
    "ѕ": "s", "ӏ": "l", "ɡ": "g", "ο": "o", "α": "a", "ν": "v", "ρ": "p", "τ": "t", "κ": "k", "ι": "i",
    "ı": "i", "ɩ": "i", "ℓ": "l", "ß": "b", "ø": "o", "đ": "d", "ħ": "h",
})


def skeleton(label: str) -> str:
    if label.isascii():
        text = label.lower()  # NFKD, the confusables table and the combining marks leave ASCII as it is
    else:
        text = unicodedata.normalize("NFKD", label.lower()).translate(_SKELETON_CHARS)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    for old, new in _SKELETON_PAIRS:
        text = text.replace(old, new)
    return text.replace("-", "")


def _script(ch: str) -> str:
    if ch.isascii():
        return "latin" if ch.isalpha() else "common"
    name = unicodedata.name(ch, "")
    for script in ("CYRILLIC", "GREEK", "LATIN", "ARMENIAN", "HIRAGANA", "KATAKANA", "CJK", "HANGUL"):
        if name.startswith(script):
            return script.lower()
    return "other"


def is_mixed_script(label: str) -> bool:
    """Latin mixed with Cyrillic, Greek or Armenian in one label (TR39 'highly restrictive' forbids it)."""
    scripts = {_script(ch) for ch in label} - {"common"}
    return "latin" in scripts and bool(scripts & {"cyrillic", "greek", "armenian"}) or (
        bool(scripts & {"cyrillic", "greek"}) and len(scripts) > 1
    )


def looks_random(label: str) -> bool:
    if len(label) < 5 or label.startswith("xn--"):
        return False
    if label.isascii():
        letters = label.translate(_DROP_ASCII_NON_LETTERS)  # what isalpha keeps, without a loop per character
        vowels = sum(map(letters.count, "aeiouy"))
    else:
        letters = "".join(ch for ch in label if ch.isalpha())
        vowels = sum(ch in _VOWELS for ch in letters)
    if len(letters) >= 6 and vowels / len(letters) < 0.2:
        return True
    if _CONSONANT_RUN_RE.search(label.replace("-", "")):
        return True
    groups = _LETTER_DIGIT_RE.findall(label)
    return len(groups) >= 4 and len(label) <= 12


@dataclass(frozen=True)
class HostSignal:
    code: str
    severity: str
    params: dict[str, str] = field(default_factory=dict)

    def param_dict(self) -> dict[str, str]:
        return dict(self.params)


@dataclass(frozen=True)
class HostReport:
    host: Host
    official_for: frozenset[str] = frozenset()
    shortener: bool = False
    signals: tuple[HostSignal, ...] = field(default_factory=tuple)


def _sig(code: str, severity: str, **params: str) -> HostSignal:
    return HostSignal(code, severity, params)


@lru_cache(maxsize=100_000)
def host_report(host: Host) -> HostReport:
    k = knowledge()
    name = host.ascii
    if host.is_ip:
        return HostReport(host, signals=(_sig("ip_host", "medium", host=name),))
    if not name:
        return HostReport(host, signals=(_sig("invalid_host", "low", host=host.unicode[:80]),))
    suffixes = host_suffixes(name)
    free = match_suffixes(suffixes, k.free_hosting)
    official = match_suffixes(suffixes, k.official)
    if official is not None:
        if free is None:
            return HostReport(host, official_for=frozenset(k.official[official]),
                              shortener=match_suffixes(suffixes, k.shorteners) is not None)
        # A brand's own user-content host (docs.google.com, *.sharepoint.com): anyone's page can be there.
        return HostReport(host, signals=(_sig("free_hosting", "medium", host=name),))
    signals: list[HostSignal] = []
    shortener = match_suffixes(suffixes, k.shorteners)
    if shortener is not None:
        owner = k.shorteners[shortener]
        if owner:
            return HostReport(host, official_for=frozenset({owner}), shortener=True)
        signals.append(_sig("shortener", "medium", host=name))
    if free is not None:
        signals.append(_sig("free_hosting", "medium", host=name))
    if match_suffixes(suffixes, k.dynamic_dns) is not None:
        signals.append(_sig("dynamic_dns", "medium", host=name))
    tld = host.suffix.rsplit(".", 1)[-1] if host.suffix else name.rsplit(".", 1)[-1]
    if tld in k.tld_high:
        signals.append(_sig("suspicious_tld", "medium", host=name, tld=tld))
    elif tld in k.tld_elevated:
        signals.append(_sig("unusual_tld", "low", host=name, tld=tld))
    if not host.valid:
        signals.append(_sig("invalid_host", "low", host=name))

    labels = [label for label in host.subdomain.split(".") if label] if host.subdomain else []
    # An official domain written as sub-domains of another domain: amazon.co.jp.example.top
    for end in range(len(labels), 0, -1):
        embedded = None
        for start in range(0, end - 1):
            candidate = ".".join(labels[start:end])
            if candidate in k.official:
                embedded = candidate
                break
        if embedded:
            brand_id = sorted(k.official[embedded])[0]
            signals.append(_sig("brand_domain_in_subdomain", "high", host=name, official=embedded,
                                registrable=host.registrable, brand_id=brand_id))
            break

    if not any(s.code == "brand_domain_in_subdomain" for s in signals):
        embedded = _embedded_domain(labels)
        if embedded:
            fake, lookalike_of = embedded
            if lookalike_of:
                signals.append(_sig("lookalike_brand_domain", "high", host=name, official=lookalike_of[0],
                                    brand_id=lookalike_of[1]))
            else:
                signals.append(_sig("domain_in_subdomain", "medium", host=name, fake=fake,
                                    registrable=host.registrable))

    unicode_labels = host.unicode.split(".") if not host.unicode.isascii() else []
    if any(is_mixed_script(label) for label in unicode_labels):
        signals.append(_sig("mixed_script_host", "high", host=host.unicode))
    elif host.is_idn:
        signals.append(_sig("idn_host", "low", host=host.unicode, ascii=name))

    # Brand names inside the host (smbc-card-jp.example, www-auone-id.example) or one edit away.
    risky_tld = tld in k.tld_high or tld in k.tld_elevated
    brand_hit = _brand_token_hit(labels + [host.label])
    if brand_hit and not any(s.code == "brand_domain_in_subdomain" for s in signals):
        brand_id, exact = brand_hit
        if exact and not labels and host.label in knowledge().tokens:
            exact = False  # the brand's name on another suffix (aplus.net): maybe another company
        # A brand name standing as its own word in the host (smbc-card-jp, www-auone-id) is a strong sign;
        # a prefix or one-letter-off match can be an unrelated word (applecore), so it only asks for care.
        signals.append(_sig("brand_in_host", "high" if exact or risky_tld else "medium", host=name, brand_id=brand_id))
    # The registrable label looks like an official one: the same after confusable folding (rn→m, 0→o,
    # Cyrillic а) is deliberate; one letter off or the same name on another suffix can be a real company.
    lookalike = _lookalike(host) if not brand_hit else None
    if lookalike:
        official_domain, brand_id, by_skeleton = lookalike
        severity = "high" if by_skeleton or risky_tld else "medium"
        signals.append(_sig("lookalike_brand_domain", severity, host=host.unicode, official=official_domain, brand_id=brand_id))

    if any(looks_random(label) for label in labels[-3:] + [host.label]):
        signals.append(_sig("random_host", "low", host=name))
    if len(labels) >= 4:
        signals.append(_sig("deep_subdomain", "low", host=name))
    return HostReport(host, shortener=shortener is not None, signals=tuple(signals))


# Japanese second-level suffixes: a sub-domain that ends in one of them pretends to be a .jp domain
# (amazon.co.jp.example.shop); the JPCERT/CC list has ~15,000 such hosts (fact sheet §2.2).
_JP_SECOND_LEVEL = {"co", "ne", "or", "go", "ac", "ad", "ed", "gr", "lg"}


def _embedded_domain(labels: list[str]) -> tuple[str, tuple[str, str] | None] | None:
    """A domain written inside the sub-domain part, e.g. www.anazom.co.jp in www.anazom.co.jp.example.shop."""
    for index in range(1, len(labels)):
        if labels[index] == "jp" or (labels[index] in ("com", "net") and index == len(labels) - 1):
            if labels[index] == "jp" and index >= 2 and labels[index - 1] in _JP_SECOND_LEVEL:
                name = labels[index - 2]
                fake = ".".join(labels[index - 2: index + 1])
            else:
                name = labels[index - 1]
                fake = ".".join(labels[index - 1: index + 1])
            if not name or len(name) < 2:
                continue
            found = None
            skeletons, _, by_label = _official_label_index()
            if skeleton(name) in skeletons:
                found = skeletons[skeleton(name)]
            elif 4 <= len(name) <= 40:
                for official_label, distance, _ in process.extract(
                    name, _labels_near(len(name)), scorer=Levenshtein.distance, score_cutoff=2, limit=3
                ):
                    if distance <= (2 if len(official_label) >= 6 else 1):
                        found = by_label[official_label]
                        break
            return fake, found
    return None


def _brand_token_hit(labels: list[str]) -> tuple[str, bool] | None:
    """(brand id, exact) for a brand token among the host's labels or their hyphen-separated words."""
    tokens = knowledge().tokens
    prefix_tokens = _token_indexes()[0]
    prefix_lengths = _prefix_lengths()
    loose: tuple[str, bool] | None = None
    for label in labels:
        if not label or label.startswith("xn--"):
            continue
        parts = [p for p in _WORD_SPLIT_RE.split(label) if p] if ("-" in label or "_" in label) else [label]
        # In order of appearance (a set's order would depend on PYTHONHASHSEED): the first brand word wins.
        candidates = list(dict.fromkeys([*parts, label.replace("-", "")]))
        for part in candidates:
            ids = tokens.get(part)
            if ids:
                return sorted(ids)[0], True
            if loose is not None:
                continue
            # Tokens of 4+ letters also count at the start of a longer word (amazonsecure, smbccard-jp);
            # tried shortest first, at the lengths some token has.
            for end in prefix_lengths:
                if end >= len(part):
                    break
                token_ids = prefix_tokens.get(part[:end])
                if token_ids:
                    loose = (sorted(token_ids)[0], False)
                    break
            if loose is None and 6 <= len(part) <= 30:
                match = process.extractOne(part, _tokens_near(len(part)), scorer=Levenshtein.distance, score_cutoff=1)
                if match is not None:
                    loose = (sorted(tokens[match[0]])[0], False)
    return loose


@lru_cache(maxsize=1)
def _token_indexes() -> tuple[dict[str, frozenset[str]], list[str]]:
    tokens = knowledge().tokens
    prefix = {t: frozenset(ids) for t, ids in tokens.items() if len(t) >= 4 and "-" not in t}
    long_tokens = [t for t in tokens if len(t) >= 6 and "-" not in t]
    return prefix, long_tokens


@lru_cache(maxsize=1)
def _official_label_index() -> tuple[dict[str, tuple[str, str]], list[str], dict[str, tuple[str, str]]]:
    k = knowledge()
    skeletons: dict[str, tuple[str, str]] = {}
    by_label: dict[str, tuple[str, str]] = {}
    for domain, ids in k.official.items():
        host = normalise_host(domain)
        if not host.label or len(host.label) < 4:
            continue
        brand_id = sorted(ids)[0]
        skeletons.setdefault(skeleton(host.label), (domain, brand_id))
        by_label.setdefault(host.label, (domain, brand_id))
    return skeletons, list(by_label), by_label


# Levenshtein distance is at least the difference in length, so a search with a distance cutoff needs
# only the candidates within that many characters of the query's length. The lists keep the original
# order, so rapidfuzz ranks ties as it does on the full list (by score, then position).
@lru_cache(maxsize=1)
def _prefix_lengths() -> list[int]:
    """The lengths of the prefix tokens, shortest first."""
    return sorted({len(token) for token in _token_indexes()[0]})


@lru_cache(maxsize=128)
def _labels_near(length: int) -> list[str]:
    """The official labels (in index order) at most 2 characters longer or shorter than `length`."""
    return [label for label in _official_label_index()[1] if abs(len(label) - length) <= 2]


@lru_cache(maxsize=128)
def _tokens_near(length: int) -> list[str]:
    """The long brand tokens (in index order) at most 1 character longer or shorter than `length`."""
    return [token for token in _token_indexes()[1] if abs(len(token) - length) <= 1]


def _lookalike(host: Host) -> tuple[str, str, bool] | None:
    """(official domain, brand id, by skeleton) when the registrable label imitates an official one."""
    labels = host.unicode.split(".")
    position = len(labels) - 1 - (host.suffix.count(".") + 1 if host.suffix else 0)
    label = labels[position] if host.suffix and 0 <= position < len(labels) else ""
    if not label:
        return None
    skeletons, _, by_label = _official_label_index()
    ascii_label = host.label
    found = skeletons.get(skeleton(label))
    if found:
        same_name = label == normalise_host(found[0]).label
        return found[0], found[1], not same_name
    if ascii_label.startswith("xn--") or len(ascii_label) > 40:
        return None
    for official_label, distance, _ in process.extract(
        ascii_label, _labels_near(len(ascii_label)), scorer=Levenshtein.distance, score_cutoff=2, limit=5
    ):
        limit = 2 if len(official_label) >= 9 else (1 if len(official_label) >= 6 else 0)
        if distance <= limit:
            domain, brand_id = by_label[official_label]
            return domain, brand_id, False
    return None


def context_lookalike(host: Host, protected: dict[str, str]) -> tuple[str, str] | None:
    """(protected domain, "own"/"trusted") when host imitates one of the organisation's domains."""
    if not protected or host.is_ip or not host.ascii:
        return None
    if match_suffixes(host_suffixes(host.ascii), protected) is not None:
        return None
    label = host.label
    host_skeleton = skeleton(host.unicode.split(".")[0] if not host.subdomain else label)
    labels = [l for l in host.subdomain.split(".") if l]
    for domain, kind in protected.items():
        p = normalise_host(domain)
        if not p.label:
            continue
        if domain in host.subdomain or p.label in [part for l in labels for part in re.split(r"[-_]", l)]:
            return domain, kind
        if len(p.label) >= 4 and (skeleton(label) == skeleton(p.label) or host_skeleton == skeleton(p.label)):
            return domain, kind
        limit = 2 if len(p.label) >= 9 else (1 if len(p.label) >= 5 else 0)
        if limit and Levenshtein.distance(label, p.label, score_cutoff=limit) <= limit:
            return domain, kind
        if len(p.label) >= 5 and label != p.label and p.label in re.split(r"[-_]", label):
            return domain, kind
    return None
