#!/usr/bin/env bash
# The main job: build, train the bundled model on data/ with 5-fold cross-validation, print
# its report on the held-out test split, and score the raw sample mail in data/samples.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --release --quiet
bin=target/release/sagiguard
model=models/sagiguard.model

echo "== train on data/train.jsonl (cross-validated report)"
"$bin" train data/train.jsonl -o "$model" --cv 5

echo
echo "== evaluate on the held-out test split, data/test.jsonl"
"$bin" eval -m "$model" data/test.jsonl

echo
echo "== score the raw sample mail in data/samples"
# Exit codes 1 (a scam found) and 3 (unsure) are verdicts, not failures.
status=0
"$bin" score -m "$model" data/samples || status=$?
if [ "$status" -ne 0 ] && [ "$status" -ne 1 ] && [ "$status" -ne 3 ]; then
    exit "$status"
fi
