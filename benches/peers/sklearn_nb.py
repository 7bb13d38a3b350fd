"""The Python peer of sagiguard's throughput bench: the pipeline a practitioner would write.

fugashi (MeCab) with the PyPI ``ipadic`` dictionary, the same IPADIC that sagiguard compiles
for lindera, splits ``subject + "\\n" + body`` into morphemes, and their surfaces, every one and
with no part-of-speech filter, are the tokens. scikit-learn's ``CountVectorizer`` turns them
into binary bag-of-words features (min_df=2, at most 20,000) and ``MultinomialNB`` learns from
them.

Surfaces, not base forms as sagiguard uses: reading a base form means ``node.feature[6]``,
which makes fugashi build the feature tuple of every morpheme and costs 2.4 times the
tokenizing time (0.15 s against 0.38 s for data/train.jsonl), for one mail more right of the
324 in data/test.jsonl. Surfaces are what the usual fugashi code takes, and the fair choice
for a throughput peer.

It is plain library code, run as one process; nothing here is parallel (no multiprocessing,
no n_jobs), and the sparse products naive Bayes needs run in scipy on one core.

    python sklearn_nb.py --train TRAIN.jsonl --score SCORE.jsonl [--out-model PATH]

Both files are JSON Lines in the schema of data/train.jsonl (id, label "scam"|"ham",
category, subject, from, body, ...). Each phase is timed end to end with time.perf_counter,
reading the file included, as sagiguard's figures include reading:

- train: read TRAIN, tokenize, fit, and pickle the fitted pipeline to --out-model if given
  (sagiguard writes its model file too);
- score: read SCORE, tokenize, ``predict_proba`` with the pipeline in memory.

The bench script installs requirements.txt (beside this file) into a virtualenv, runs this
with the same TRAIN and SCORE files it gives sagiguard, and reads the one line of JSON this
prints on stdout:

    {"train_mails", "train_seconds", "train_mails_per_s", "score_mails", "score_seconds",
     "score_mails_per_s", "peak_rss_mib", "threads", "accuracy_on_score_file"}

peak_rss_mib is the process's peak resident set (ru_maxrss) over both phases.
accuracy_on_score_file is the share of mails whose more probable class is their label
(null if the score file has no labels): a check that the peer learned something, not a
quality comparison.
"""

import argparse
import json
import pickle
import resource
import sys
import time

import fugashi
import ipadic
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.naive_bayes import MultinomialNB
from sklearn.pipeline import make_pipeline

TAGGER = fugashi.GenericTagger(ipadic.MECAB_ARGS)


def tokenize(text):
    """The surfaces of the morphemes of ``text``, as IPADIC segments it."""
    return [node.surface for node in TAGGER(text)]


def read_mails(path):
    """(texts, labels) of a JSON Lines file: subject and body, and the label or None."""
    texts, labels = [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            mail = json.loads(line)
            texts.append((mail.get("subject") or "") + "\n" + (mail.get("body") or ""))
            labels.append(mail.get("label"))
    return texts, labels


def train(path, out_model):
    texts, labels = read_mails(path)
    model = make_pipeline(
        CountVectorizer(
            tokenizer=tokenize,
            lowercase=False,
            token_pattern=None,
            min_df=2,
            max_features=20000,
            binary=True,
        ),
        MultinomialNB(),
    )
    model.fit(texts, labels)
    if out_model:
        # Holds tokenize by reference, as any pickled pipeline with its own tokenizer does:
        # loading it needs tokenize where it was pickled from (__main__ when run as a script).
        with open(out_model, "wb") as f:
            pickle.dump(model, f, protocol=pickle.HIGHEST_PROTOCOL)
    return model, len(texts)


def score(model, path):
    texts, labels = read_mails(path)
    proba = model.predict_proba(texts)
    predicted = model.classes_[proba.argmax(axis=1)]
    known = [(p, y) for p, y in zip(predicted, labels) if y is not None]
    accuracy = sum(p == y for p, y in known) / len(known) if known else None
    return len(texts), accuracy


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--train", required=True, help="JSON Lines file to learn from")
    parser.add_argument("--score", required=True, help="JSON Lines file to score")
    parser.add_argument("--out-model", help="write the fitted pipeline here with pickle")
    args = parser.parse_args()

    start = time.perf_counter()
    model, train_mails = train(args.train, args.out_model)
    train_seconds = time.perf_counter() - start

    start = time.perf_counter()
    score_mails, accuracy = score(model, args.score)
    score_seconds = time.perf_counter() - start

    peak_rss_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    json.dump(
        {
            "train_mails": train_mails,
            "train_seconds": round(train_seconds, 4),
            "train_mails_per_s": round(train_mails / train_seconds, 1),
            "score_mails": score_mails,
            "score_seconds": round(score_seconds, 4),
            "score_mails_per_s": round(score_mails / score_seconds, 1),
            "peak_rss_mib": round(peak_rss_kib / 1024, 1),
            "threads": 1,
            "accuracy_on_score_file": None if accuracy is None else round(accuracy, 4),
        },
        sys.stdout,
    )
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
