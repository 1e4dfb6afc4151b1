"""Turning Japanese text into index terms: character n-grams (built in) or SudachiPy words (optional).

Both normalise first (NFKC, so full-width letters and digits fold; case folded). Latin words and
numbers are whole terms either way ("chatgpt", "vpn", "110").

- `NgramTokenizer`: every run of Japanese characters (kanji, kana) becomes its character n-grams
  (by default unigrams and bigrams). Needs no dictionary and never misses a word a dictionary does
  not know (会社の製品名, 港北自動車工業), at the price of noisy grams from particles and endings.
- `SudachiTokenizer`: SudachiPy with sudachidict_core (≈200 MB installed), content words only
  (particles, auxiliaries and symbols dropped), each as its normalised form (為る → する). Only
  importable where those packages are installed; bench/rules_qa_eval.py compares the two.

The shipped choice is `DEFAULT_TOKENIZER` (see bench/README.md for the figures behind it).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from .synonyms import canonical

# Question phrasing that says nothing about the subject ("…は何ですか", "教えてください"): removed from a
# question before it is turned into terms, so a politely asked question is not judged "not covered"
# because documents are not written in the polite question form.
_QUESTION_NOISE = re.compile(
    "|".join((
        r"教えて(?:ください|下さい|ほしい|欲しい|もらえますか|くれますか)?",
        r"(?:知りたい|確認したい)(?:のですが|です)?",
        r"(?:ですか|でしょうか|ますか|ませんか|のですか|んですか|のか|かな|だっけ)",
        r"(?:ください|下さい)",
        r"(?:どうすれば|どうしたら|どのように|どうやって|どう)",
        r"(?:いいの|よいの|いい|よい|良い|大丈夫|OK|ok)",
        r"(?:何|なに|なん|どこ|だれ|誰|いつ|どれ|どんな|どの)",
        r"(?:について|に関して|に関する|とは)",
        r"[?？!！。、]",
    ))
)


def normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def strip_question_noise(question: str) -> str:
    return _QUESTION_NOISE.sub(" ", normalise(question))


def _is_japanese(ch: str) -> bool:
    code = ord(ch)
    return (
        0x3041 <= code <= 0x30FF  # hiragana, katakana (incl. ー)
        or 0x3400 <= code <= 0x4DBF
        or 0x4E00 <= code <= 0x9FFF
        or 0xF900 <= code <= 0xFAFF
        or ch == "々"
    )


_WORD = re.compile(r"[0-9a-z]+(?:[.\-_][0-9a-z]+)*")


def _script(ch: str) -> str:
    if "\u3041" <= ch <= "\u309f":
        return "hiragana"
    if "\u30a0" <= ch <= "\u30ff":
        return "katakana"
    return "kanji"


class NgramTokenizer:
    """Character n-grams of Japanese runs, whole Latin words and numbers.

    With `split_scripts`, a run is first cut where the script changes (kanji / katakana / hiragana)
    and hiragana pieces are dropped: in rule texts those are mostly particles and verb endings
    (してはいけない), so what remains is close to the content words, without a dictionary.
    """

    def __init__(self, sizes: tuple[int, ...] = (1, 2), *, drop_hiragana_unigrams: bool = True,
                 split_scripts: bool = False):
        self.sizes = tuple(sorted(set(sizes)))
        self.drop_hiragana_unigrams = drop_hiragana_unigrams
        self.split_scripts = split_scripts
        self.name = ("ngram-" + "-".join(str(n) for n in self.sizes) + ("" if drop_hiragana_unigrams else "-allkana")
                     + ("-script" if split_scripts else ""))

    def _run_terms(self, run: str) -> list[str]:
        if self.split_scripts:
            terms: list[str] = []
            start = 0
            for index in range(1, len(run) + 1):
                if index == len(run) or _script(run[index]) != _script(run[start]):
                    piece = run[start:index]
                    if _script(piece[0]) != "hiragana":
                        terms += self._grams(piece)
                    start = index
            return terms
        return self._grams(run)

    def key_terms(self, text: str) -> list[str]:
        """The terms a question's coverage is judged on: bigrams (or longer) of each Japanese run and
        single characters only where a run is one character long. A word's single characters (駐, 車)
        are found in any document and would make an unrelated question look answered."""
        long_sizes = tuple(n for n in self.sizes if n >= 2)
        if not long_sizes:
            return self.tokens(text)
        keep = NgramTokenizer(long_sizes, drop_hiragana_unigrams=self.drop_hiragana_unigrams,
                              split_scripts=self.split_scripts)
        return keep.tokens(text)

    def _grams(self, run: str) -> list[str]:
        terms: list[str] = []
        for n in self.sizes:
            if n == 1:
                terms += [ch for ch in run if not (self.drop_hiragana_unigrams and "\u3041" <= ch <= "\u309f")]
            else:
                terms += [run[i : i + n] for i in range(len(run) - n + 1)]
        if len(run) < min(self.sizes):
            terms.append(run)
        return terms

    def tokens(self, text: str) -> list[str]:
        text = normalise(text)
        terms: list[str] = []
        run: list[str] = []
        position = 0
        while position < len(text):
            ch = text[position]
            if _is_japanese(ch):
                run.append(ch)
                position += 1
                continue
            if run:
                terms += self._run_terms("".join(run))
                run = []
            match = _WORD.match(text, position)
            if match:
                terms.append(match.group(0))
                position = match.end()
            else:
                position += 1
        if run:
            terms += self._run_terms("".join(run))
        return terms


_DROPPED_POS = {"助詞", "助動詞", "補助記号", "空白", "記号"}


class SudachiTokenizer:
    """Content words from SudachiPy (split mode A, B or C), as normalised forms."""

    def __init__(self, mode: str = "C"):
        from sudachipy import Dictionary, SplitMode  # optional: only where sudachipy is installed

        self.mode = {"A": SplitMode.A, "B": SplitMode.B, "C": SplitMode.C}[mode]
        self.name = f"sudachi-{mode}"
        self._tokenizer = Dictionary(dict="core").tokenizer(mode=self.mode)

    def tokens(self, text: str) -> list[str]:
        terms: list[str] = []
        # Sudachi refuses inputs over ~49 KB; rule passages are far shorter, a pasted question is cut to it.
        text = unicodedata.normalize("NFKC", text)[:16_000]
        for morpheme in self._tokenizer.tokenize(text):
            pos = morpheme.part_of_speech()
            if pos[0] in _DROPPED_POS or pos[1] == "非自立可能":
                continue
            form = morpheme.normalized_form().casefold().strip()
            if form:
                terms.append(form)
        return terms

    def key_terms(self, text: str) -> list[str]:
        return self.tokens(text)


class WithVocabulary:
    """Another tokenizer, applied after folding synonyms to one form (sonae.engines.retrieval.synonyms)."""

    def __init__(self, inner):
        self.inner = inner
        self.name = inner.name + "+syn"

    def tokens(self, text: str) -> list[str]:
        return self.inner.tokens(canonical(normalise(text)))

    def key_terms(self, text: str) -> list[str]:
        return self.inner.key_terms(canonical(normalise(text)))


# Chosen on bench/data/rules_qa_labelled.jsonl over Markdown, Word and PDF renderings (bench/README.md).
DEFAULT_TOKENIZER = "ngram-1-2-script+syn"


@lru_cache(maxsize=16)
def tokenizer_named(name: str):
    """A tokenizer by its name ("ngram-1-2", "ngram-2-script", "sudachi-C", any of them + "+syn"); KeyError when unknown."""
    if name.endswith("+syn"):
        return WithVocabulary(tokenizer_named(name.removesuffix("+syn")))
    if name.startswith("ngram-"):
        spec = name.removeprefix("ngram-")
        split_scripts = spec.endswith("-script")
        spec = spec.removesuffix("-script")
        allkana = spec.endswith("-allkana")
        spec = spec.removesuffix("-allkana")
        try:
            sizes = tuple(int(part) for part in spec.split("-"))
        except ValueError:
            raise KeyError(name) from None
        if not sizes or any(n < 1 or n > 4 for n in sizes):
            raise KeyError(name)
        return NgramTokenizer(sizes, drop_hiragana_unigrams=not allkana, split_scripts=split_scripts)
    if name in ("sudachi-A", "sudachi-B", "sudachi-C"):
        return SudachiTokenizer(name[-1])
    raise KeyError(name)
