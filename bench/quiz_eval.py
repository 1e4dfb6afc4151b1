"""How often the FACT or FAKE quiz keeps its promise: every fake rated 危険 or 注意, no genuine message 危険.

    uv run python bench/quiz_eval.py [--seeds 200] [--count 25] [--cli-sample 40]

Generates `--seeds` quizzes of `--count` items (seeds 0 … seeds-1) with `sonae.engines.quiz`, checks each item
with the message checker engine, and prints per answer and per scenario how often the promise holds. Then it
runs the real `sonae check` command, as the project's checks do, on `--cli-sample` items taken from one
`sonae quiz make --json` run (SMS through --sms, mails as .eml files), and compares its verdicts with the
engine's. Not part of the test suite (tests/engines/test_quiz.py checks a few hundred items).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

from sonae.engines.quiz import check_item, make_quiz

SONAE = [sys.executable, "-c", "from sonae.cli import main; main()"]


def engine_rates(seeds: int, count: int) -> dict:
    verdicts: Counter = Counter()
    per_scenario: dict[str, Counter] = defaultdict(Counter)
    failures: list[tuple[int, str, str]] = []
    started = time.perf_counter()
    total = 0
    for seed in range(seeds):
        for item in make_quiz(count, seed=seed):
            total += 1
            verdict = check_item(item).verdict
            verdicts[(item.answer, verdict)] += 1
            per_scenario[item.scenario][verdict] += 1
            if (item.answer == "fake" and verdict == "none") or (item.answer == "real" and verdict == "danger"):
                failures.append((seed, item.id, verdict))
    return {"verdicts": verdicts, "per_scenario": per_scenario, "failures": failures, "total": total,
            "seconds": time.perf_counter() - started}


def cli_sample(sample: int, seed: int) -> dict:
    made = subprocess.run(SONAE + ["quiz", "make", "--count", str(sample), "--seed", str(seed), "--json"],
                          capture_output=True, text=True, check=True)
    items = json.loads(made.stdout)
    agree = 0
    held = 0
    with tempfile.TemporaryDirectory() as folder:
        for index, item in enumerate(items):
            if item["channel"] == "sms":
                args = ["check", "--json", "--sms", item["text"]]
            else:
                path = Path(folder) / f"{index}.eml"
                path.write_text(item["text"], encoding="utf-8")
                args = ["check", "--json", str(path)]
            result = subprocess.run(SONAE + args, capture_output=True, text=True)
            report = json.loads(result.stdout)
            verdict = report["verdict"]
            expected_exit = {"none": 0, "caution": 1, "danger": 2}[verdict]
            if report["findings"] == item["findings"] and result.returncode == expected_exit:
                agree += 1
            if (item["answer"] == "fake" and verdict != "none") or (item["answer"] == "real" and verdict != "danger"):
                held += 1
    return {"items": len(items), "agree": agree, "held": held}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=200)
    parser.add_argument("--count", type=int, default=25)
    parser.add_argument("--cli-sample", type=int, default=40)
    args = parser.parse_args()

    rates = engine_rates(args.seeds, args.count)
    v = rates["verdicts"]
    fakes = sum(n for (answer, _), n in v.items() if answer == "fake")
    reals = sum(n for (answer, _), n in v.items() if answer == "real")
    flagged = v[("fake", "danger")] + v[("fake", "caution")]
    print(f"quiz items checked by the engine: {rates['total']} ({args.seeds} seeds × {args.count}), "
          f"{rates['total'] / rates['seconds']:.0f} items/s (generation + check)")
    print(f"fake → 危険 or 注意: {flagged}/{fakes} = {100 * flagged / fakes:.2f} % "
          f"(危険 {v[('fake', 'danger')]}, 注意 {v[('fake', 'caution')]}, 問題なし {v[('fake', 'none')]})")
    print(f"real → 危険: {v[('real', 'danger')]}/{reals} = {100 * v[('real', 'danger')] / reals:.2f} % "
          f"(注意 {v[('real', 'caution')]}, 問題なし {v[('real', 'none')]})")
    print("per scenario (danger / caution / none):")
    for scenario, counts in sorted(rates["per_scenario"].items()):
        print(f"  {scenario:28} {counts['danger']:5} {counts['caution']:5} {counts['none']:5}")
    if rates["failures"]:
        print("promise broken (seed, id, verdict):")
        for failure in rates["failures"][:20]:
            print("  ", *failure)
    if args.cli_sample:
        sample = cli_sample(args.cli_sample, seed=args.seeds + 1)
        print(f"`sonae check` on {sample['items']} items of `sonae quiz make --json`: "
              f"same findings and exit status {sample['agree']}/{sample['items']}, promise held {sample['held']}/{sample['items']}")


if __name__ == "__main__":
    main()
