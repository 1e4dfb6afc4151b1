#!/usr/bin/env bash
# Run every benchmark and evaluation in turn and print their figures.
# Usage: bench/run_all.sh [EVAL_DIR]   (EVAL_DIR defaults to ../shared/eval; the message
# evaluation is skipped when it is missing). Not part of the test suite.
set -uo pipefail
cd "$(dirname "$0")/.."
EVAL_DIR="${1:-../shared/eval}"
status=0
run() { echo; echo "===== $* ====="; "$@" || status=1; }
run uv run python bench/diagnosis_bench.py
run uv run python bench/diagnosis_web_bench.py
run uv run python bench/documents_bench.py
run uv run python bench/textscan_eval.py
run uv run python bench/gateway_bench.py
run uv run python bench/rules_qa_eval.py
if [ -d "$EVAL_DIR" ]; then
  run uv run python bench/messages_eval.py "$EVAL_DIR"
else
  echo "skipping bench/messages_eval.py: $EVAL_DIR not found"
fi
run uv run python bench/support_bench.py
run uv run python bench/web_load.py
run uv run python bench/scale.py --db sqlite --orgs 1000
run uv run python bench/scale.py --db postgres --orgs 10000
# The 10-minute load runs (locust) are not part of this: uv run --group bench python bench/load.py --db sqlite|postgres
exit $status
