"""Evaluate the 社内ルールQ&A retrieval (sonae.engines.retrieval) on labelled questions.

    uv run python bench/rules_qa_eval.py [--fixtures DIR] [--formats md,docx,pdf] [--tokenizers A,B] [--json]
    uv run --group sudachi python bench/rules_qa_eval.py      # also measures SudachiPy (≈200 MB, see bench/README.md)

The four sample documents of the fictional Yokohama manufacturer (tests/engines/documents/fixtures)
are rendered with sonae's own document engine in each format, read back with the Q&A readers and
indexed together, as one organisation's rules. For every tokenizer and format:

- hit@1 / hit@3: the right section (any of a question's gold sections) is the first / among the
  first three distinct sections ranked, over the questions the documents answer;
- no-answer precision and recall on the questions the documents do not cover, with the threshold
  tuned on bench/data/rules_qa_labelled.jsonl (best F1 of "no answer") and then applied unchanged
  to bench/data/rules_qa_heldout.jsonl;
- the time to build the index and the median time per question.
Not part of the test suite.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from sonae.engines import documents as engine  # noqa: E402
from sonae.engines.retrieval import RulesIndex, passages_of  # noqa: E402
from sonae.engines.retrieval.qa import NO_ANSWER_THRESHOLD  # noqa: E402

FIXTURES = ROOT / "tests" / "engines" / "documents" / "fixtures"
DATA = ROOT / "bench" / "data"
KINDS = {"ai-guideline": "ai_guideline", "security-policy": "security_policy",
         "incident-response": "incident_response", "jigyokei": "jigyokei"}
DEFAULT_TOKENIZERS = ["ngram-1-2", "ngram-2", "ngram-1-2-3", "ngram-1-2-script", "ngram-2-script",
                      "ngram-1-2+syn", "ngram-1-2-script+syn", "ngram-2-script+syn"]
SUDACHI_TOKENIZERS = ["sudachi-A", "sudachi-C", "sudachi-A+syn", "sudachi-C+syn"]


@dataclass
class Question:
    id: str
    question: str
    gold: list[tuple[str, str]]
    kind: str


def load_questions(path: Path) -> list[Question]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            out.append(Question(row["id"], row["question"], [(g["document"], g["section"]) for g in row["gold"]], row["kind"]))
    return out


def rendered_passages(fixtures: Path, fmt: str) -> list:
    passages = []
    for kind, stem in KINDS.items():
        data = json.loads((fixtures / f"{stem}_minato.json").read_text(encoding="utf-8"))
        content = engine.render(kind, data, fmt)
        # Cited by the document's own title, as in the web app; the kind is kept as the source for scoring.
        passages += passages_of(f"{stem}.{fmt}", content, source=kind)
    return passages


def _plain(section: str) -> str:
    # The PDF and Word renderers print the card's title without the dash the Markdown has.
    return "".join(ch for ch in section if not ch.isspace() and ch not in "—–")


def _matches(passage, gold: list[tuple[str, str]]) -> bool:
    return any(passage.source == doc and _plain(passage.section).startswith(_plain(section)) for doc, section in gold)


def ranked_sections(index: RulesIndex, question: str, k: int = 3):
    out, seen = [], set()
    for hit in index.search(question, k=30):
        key = (hit.passage.source, hit.passage.section)
        if key not in seen:
            seen.add(key)
            out.append(hit)
        if len(out) == k:
            break
    return out


def evaluate(index: RulesIndex, questions: list[Question], threshold: float) -> dict:
    covered = [q for q in questions if q.gold]
    uncovered = [q for q in questions if not q.gold]
    hit1 = hit3 = answered_right = 0
    refused_covered = refused_uncovered = 0
    by_kind: dict[str, list[int]] = {}
    misses: list[str] = []
    times: list[float] = []
    for q in questions:
        start = time.perf_counter()
        top = ranked_sections(index, q.question)
        times.append(time.perf_counter() - start)
        found = bool(top) and top[0].coverage >= threshold
        if q.gold:
            first_right = bool(top) and _matches(top[0].passage, q.gold)
            hit1 += first_right
            by_kind.setdefault(q.kind, []).append(int(first_right))
            hit3 += any(_matches(h.passage, q.gold) for h in top)
            answered_right += found and first_right
            refused_covered += not found
            if not first_right:
                misses.append(f"{q.id} {q.question} -> {top[0].passage.section if top else '(nothing)'}")
        else:
            refused_uncovered += not found
    refused = refused_covered + refused_uncovered
    precision = refused_uncovered / refused if refused else 1.0
    recall = refused_uncovered / len(uncovered) if uncovered else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "questions": len(questions), "covered": len(covered), "uncovered": len(uncovered),
        "hit@1": hit1 / len(covered), "hit@3": hit3 / len(covered),
        "answered_right": answered_right / len(covered),
        "no_answer_precision": precision, "no_answer_recall": recall, "no_answer_f1": f1,
        "covered_refused": refused_covered, "median_ms": statistics.median(times) * 1000, "misses": misses,
        "hit@1_by_kind": {kind: sum(v) / len(v) for kind, v in by_kind.items()},
    }


def tune_threshold(index: RulesIndex, questions: list[Question]) -> float:
    """The threshold with the best no-answer F1 on `questions`; ties go to answering more covered questions."""
    best = (-1.0, 0.0, NO_ANSWER_THRESHOLD)
    for step in range(0, 101, 2):
        threshold = step / 100
        result = evaluate(index, questions, threshold)
        key = (round(result["no_answer_f1"], 6), result["answered_right"], -threshold)
        if key > best[:2] + (-best[2],):
            best = (key[0], key[1], threshold)
    return best[2]


def speed(fixtures: Path, questions: list[Question], copies: int) -> None:
    """Index build, stored size, load and question time for a large organisation (the documents N times over)."""
    import dataclasses

    base = rendered_passages(fixtures, "md")
    passages = [dataclasses.replace(p, source=f"{p.source}#{n}", document=f"{p.document} ({n})")
                for n in range(copies) for p in base]
    timings = {}
    for name in ("build", "dump", "load"):
        timings[name] = []
    for _round in range(3):
        start = time.perf_counter()
        index = RulesIndex.build(passages)
        timings["build"].append(time.perf_counter() - start)
        start = time.perf_counter()
        stored = json.dumps(index.to_dict(), ensure_ascii=False)
        timings["dump"].append(time.perf_counter() - start)
        start = time.perf_counter()
        RulesIndex.from_dict(json.loads(stored))
        timings["load"].append(time.perf_counter() - start)
    ask_times = []
    for q in questions:
        start = time.perf_counter()
        index.ask(q.question)
        ask_times.append(time.perf_counter() - start)
    print(f"\nspeed, {len(passages):,} passages ({copies}× the four documents), default tokenizer, median of 3:")
    print(f"  build {statistics.median(timings['build']) * 1000:.0f} ms, stored JSON {len(stored.encode()) / 1e6:.1f} MB "
          f"(dump {statistics.median(timings['dump']) * 1000:.0f} ms, load {statistics.median(timings['load']) * 1000:.0f} ms), "
          f"question median {statistics.median(ask_times) * 1000:.1f} ms, max {max(ask_times) * 1000:.1f} ms")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fixtures", type=Path, default=FIXTURES)
    parser.add_argument("--labelled", type=Path, default=DATA / "rules_qa_labelled.jsonl")
    parser.add_argument("--heldout", type=Path, default=DATA / "rules_qa_heldout.jsonl")
    parser.add_argument("--formats", default="md,docx,pdf")
    parser.add_argument("--tokenizers", default="")
    parser.add_argument("--misses", action="store_true", help="list the covered questions whose first section is wrong")
    parser.add_argument("--tuning-only", action="store_true", help="leave the held-out set out (while tuning)")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--scale", type=int, default=50, help="speed run: the four documents repeated N times as one index")
    args = parser.parse_args(argv)

    tokenizers = [t for t in args.tokenizers.split(",") if t] or list(DEFAULT_TOKENIZERS)
    if not args.tokenizers:
        try:
            import sudachipy  # noqa: F401
            import sudachidict_core  # noqa: F401

            tokenizers += SUDACHI_TOKENIZERS
        except ImportError:
            print("SudachiPy not installed: sudachi-* skipped (uv run --group sudachi python bench/rules_qa_eval.py)")
    labelled = load_questions(args.labelled)
    heldout = [] if args.tuning_only else load_questions(args.heldout)
    print(f"questions: {len(labelled)} labelled ({sum(1 for q in labelled if not q.gold)} not covered), "
          f"{len(heldout)} held out ({sum(1 for q in heldout if not q.gold)} not covered)")
    results = []
    for fmt in args.formats.split(","):
        passages = rendered_passages(args.fixtures, fmt)
        for name in tokenizers:
            start = time.perf_counter()
            index = RulesIndex.build(passages, tokenizer=name)
            build_ms = (time.perf_counter() - start) * 1000
            threshold = tune_threshold(index, labelled)
            row = {"format": fmt, "tokenizer": name, "passages": len(passages), "build_ms": build_ms,
                   "threshold": threshold, "labelled": evaluate(index, labelled, threshold),
                   "heldout": evaluate(index, heldout, threshold) if heldout else None,
                   "heldout_at_default": evaluate(index, heldout, NO_ANSWER_THRESHOLD) if heldout else None}
            results.append(row)
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=2))
        return 0
    header = (f"{'format':6} {'tokenizer':18} {'thr':>4} | {'set':8} {'hit@1':>6} {'hit@3':>6} {'right':>6} "
              f"{'NA-P':>5} {'NA-R':>5} {'ms/q':>5} | build")
    print(header)
    print("-" * len(header))
    for row in results:
        for label in ("labelled", "heldout"):
            r = row[label]
            if r is None:
                continue
            print(f"{row['format']:6} {row['tokenizer']:18} {row['threshold']:4.2f} | {label:8} {r['hit@1']:6.3f} "
                  f"{r['hit@3']:6.3f} {r['answered_right']:6.3f} {r['no_answer_precision']:5.2f} "
                  f"{r['no_answer_recall']:5.2f} {r['median_ms']:5.2f} | {row['build_ms']:.0f} ms, {row['passages']} passages")
    print("\nhit@1 by kind of question (direct wording / paraphrase), labelled | held out:")
    for row in results:
        parts = [f"{label} " + " ".join(f"{k} {v:.2f}" for k, v in sorted(row[label]["hit@1_by_kind"].items()))
                 for label in ("labelled", "heldout") if row[label]]
        print(f"  {row['format']:6} {row['tokenizer']:18} " + " | ".join(parts))
    print(f"\nshipped threshold {NO_ANSWER_THRESHOLD} on the held-out set:")
    for row in results:
        r = row["heldout_at_default"]
        if r is None:
            continue
        print(f"  {row['format']:6} {row['tokenizer']:18} hit@1 {r['hit@1']:.3f}  right {r['answered_right']:.3f}  "
              f"NA-P {r['no_answer_precision']:.2f}  NA-R {r['no_answer_recall']:.2f}")
    speed(args.fixtures, labelled, args.scale)
    if args.misses:
        for row in results:
            print(f"\n{row['format']} {row['tokenizer']} misses (labelled):")
            for miss in row["labelled"]["misses"]:
                print("  " + miss)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
