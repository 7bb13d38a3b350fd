"""How sagiguard ranks real mail against the usual alternatives trained on the same corpus.

Every system learns from --train (data/train.jsonl) and scores three sets: the real validation
mail ``dev.jsonl`` (scam and ham) and ``archived-spam.jsonl`` (scam only) from --realmail, and the
written held-out split data/test.jsonl. Only numbers are printed; no text of the mail.

The peers, on ``subject + "\\n" + body`` split into fugashi (MeCab, PyPI ipadic) surfaces as
sklearn_nb.py does, binary CountVectorizer features (min_df=2, at most 20,000):

- MultinomialNB and ComplementNB, scored by the log-odds of their joint log-likelihoods;
- LogisticRegression (C=1.0, max_iter=2000), scored by its decision function;
- bogofilter (Debian package; the script tries ``apt-get install`` when run as root), trained
  with -s/-n on the training mails written as minimal RFC 5322 messages (Subject and From
  headers, RFC 2047 encoded, and a UTF-8 text/plain body; bogofilter would read raw UTF-8
  headers as ISO-8859-1) in a temporary wordlist directory (-d), scored with -TT:
  the -T invariant terse spamicity, printed to 16 digits so fewer mails tie. Its own lexer, no
  Japanese segmentation, and its configuration files are ignored (-C).

sagiguard is the trained model --model, scored with ``--bin --quiet eval -m MODEL FILE --scores
OUT.csv``; its ``log_odds`` column is the score.

Metrics, higher score meaning more likely scam:

- ROC-AUC (ties count half);
- recall at 1 %, 2 %, 5 % of ham flagged: the best recall over thresholds that flag at most
  that share of the ham, a mail being flagged when its score is at least the threshold, so a
  scam tied with a ham that must not be flagged is not caught. With k ham allowed (floor of
  share × ham), that is the share of scams scored strictly above the (k+1)-th highest ham;
- for archived-spam.jsonl, the share of its scams scored strictly above that same dev-ham
  score at 5 %, the 95th-percentile dev ham: recall at 5 % of dev ham flagged.

    target/peer-venv/bin/python benches/peers/realmail_compare.py [--train FILE.jsonl]
        [--realmail DIR] [--bin PATH] [--model PATH]
"""

import argparse
import csv
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
from email import policy
from email.message import EmailMessage

import fugashi
import ipadic
import numpy as np
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.naive_bayes import ComplementNB, MultinomialNB

TAGGER = fugashi.GenericTagger(ipadic.MECAB_ARGS)
SHARES = (0.01, 0.02, 0.05)


def read_mails(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def text(mail):
    return (mail.get("subject") or "") + "\n" + (mail.get("body") or "")


def sklearn_scores(train, sets):
    """{system: {set: scores}} for the three scikit-learn models on fugashi surfaces."""
    tokens = lambda mails: [[n.surface for n in TAGGER(text(m))] for m in mails]
    vectorizer = CountVectorizer(analyzer=lambda toks: toks, min_df=2, max_features=20000, binary=True)
    x_train = vectorizer.fit_transform(tokens(train))
    y_train = np.array([m["label"] == "scam" for m in train])
    x_sets = {name: vectorizer.transform(tokens(mails)) for name, mails in sets.items()}
    out = {}
    for name, model in [
        ("scikit-learn MultinomialNB", MultinomialNB()),
        ("scikit-learn ComplementNB", ComplementNB()),
        ("scikit-learn LogisticRegression", LogisticRegression(C=1.0, max_iter=2000)),
    ]:
        model.fit(x_train, y_train)  # classes_ = [False, True]: column 1 is scam
        if hasattr(model, "decision_function"):
            score = model.decision_function
        else:
            score = lambda x: np.diff(model.predict_joint_log_proba(x), axis=1)[:, 0]
        out[name] = {s: score(x) for s, x in x_sets.items()}
    return out


def rfc5322(mail):
    """A minimal message: Subject and From (RFC 2047 encoded) and a UTF-8 text/plain body."""
    msg = EmailMessage(policy=policy.default.clone(linesep="\n"))
    msg["Subject"] = " ".join((mail.get("subject") or "").split())
    msg["From"] = " ".join((mail.get("from") or "").split())
    msg.set_content(mail.get("body") or "", charset="utf-8", cte="8bit")
    return msg.as_bytes()


def bogofilter_scores(train, sets):
    """{set: spamicity} from bogofilter trained on train, or None if it cannot be had."""
    if not shutil.which("bogofilter") and hasattr(os, "geteuid") and os.geteuid() == 0:
        print("installing bogofilter with apt-get", file=sys.stderr)
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        subprocess.run(["apt-get", "install", "-y", "-q", "bogofilter"], env=env,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if not shutil.which("bogofilter"):
        print("bogofilter unavailable: left out", file=sys.stderr)
        return None
    with tempfile.TemporaryDirectory(prefix="bogo-") as tmp:
        def write(prefix, mails):
            paths = []
            for i, mail in enumerate(mails):
                paths.append(os.path.join(tmp, f"{prefix}-{i}.eml"))
                with open(paths[-1], "wb") as f:
                    f.write(rfc5322(mail))
            return paths

        bogo = ["bogofilter", "-C", "-d", os.path.join(tmp, "db")]
        os.mkdir(os.path.join(tmp, "db"))
        for label, flag in (("scam", "-s"), ("ham", "-n")):
            paths = write(f"train-{label}", [m for m in train if m["label"] == label])
            subprocess.run(bogo + [flag, "-B"] + paths, check=True)
        out = {}
        for name, mails in sets.items():
            paths = write(name, mails)
            lines = subprocess.run(bogo + ["-TT", "-B"] + paths, check=False,  # exit 0/1/2 = class
                                   capture_output=True, text=True).stdout.split("\n")
            scores = dict(line.rsplit(" ", 1) for line in lines if line.strip())
            out[name] = np.array([float(scores[p]) for p in paths])
        return out


def sagiguard_scores(binary, model, files):
    """{set: log_odds} from sagiguard's eval --scores, in the order of each file."""
    out = {}
    with tempfile.TemporaryDirectory(prefix="sagiguard-") as tmp:
        for name, path in files.items():
            csv_path = os.path.join(tmp, name + ".csv")
            subprocess.run([binary, "--quiet", "eval", "-m", model, path, "--scores", csv_path],
                           check=True, stdout=subprocess.DEVNULL)
            with open(csv_path, newline="", encoding="utf-8") as f:
                by_id = {row["id"]: float(row["log_odds"]) for row in csv.DictReader(f)}
            out[name] = np.array([by_id[m["id"]] for m in read_mails(path)])
    return out


def ham_cut(ham, share):
    """The highest ham score that must stay unflagged with at most share of the ham flagged."""
    k = math.floor(share * len(ham) + 1e-9)
    return np.sort(ham)[::-1][k] if k < len(ham) else -np.inf


def table(title, labels, systems, archived=None):
    scam, ham = labels, ~labels
    allowed = ", ".join(f"{s:.0%}: {math.floor(s * ham.sum() + 1e-9)}" for s in SHARES)
    print(f"\n### {title}: {scam.sum()} scam, {ham.sum()} ham (ham allowed flagged at {allowed})\n")
    head = ["system", "ROC-AUC"] + [f"recall @ {s:.0%} ham" for s in SHARES]
    if archived is not None:
        head.append(f"archived-spam recall @ 5 % dev ham (n={len(archived[1])})")
    print("| " + " | ".join(head) + " |\n|" + "---|" * len(head))
    for name, s in systems:
        cells = [name, f"{roc_auc_score(labels, s):.3f}"]
        cells += [f"{np.mean(s[scam] > ham_cut(s[ham], share)):.3f}" for share in SHARES]
        if archived is not None:
            cells.append(f"{np.mean(archived[0][name] > ham_cut(s[ham], 0.05)):.3f}")
        print("| " + " | ".join(cells) + " |")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--train", default="data/train.jsonl", help="JSON Lines to learn from")
    parser.add_argument("--realmail", default="../shared/realmail", help="dev.jsonl, archived-spam.jsonl")
    parser.add_argument("--test", default="data/test.jsonl", help="the written held-out split")
    parser.add_argument("--bin", default="target/release/sagiguard", help="sagiguard binary")
    parser.add_argument("--model", default="models/sagiguard.model", help="trained sagiguard model")
    args = parser.parse_args()

    files = {
        "dev": os.path.join(args.realmail, "dev.jsonl"),
        "archived": os.path.join(args.realmail, "archived-spam.jsonl"),
        "test": args.test,
    }
    train = read_mails(args.train)
    sets = {name: read_mails(path) for name, path in files.items()}
    scores = {"sagiguard": sagiguard_scores(args.bin, args.model, files)}
    scores.update(sklearn_scores(train, sets))
    bogo = bogofilter_scores(train, sets)
    if bogo is not None:
        scores["bogofilter"] = bogo

    print(f"Trained on {args.train}: {sum(m['label'] == 'scam' for m in train)} scam, "
          f"{sum(m['label'] == 'ham' for m in train)} ham (sagiguard: {args.model}).")
    for name, title in (("dev", "real mail dev.jsonl"), ("test", f"written split {args.test}")):
        labels = np.array([m["label"] == "scam" for m in sets[name]])
        systems = [(system, per_set[name]) for system, per_set in scores.items()]
        archived = ({s: per_set["archived"] for s, per_set in scores.items()}, sets["archived"]) \
            if name == "dev" else None
        table(title, labels, systems, archived)


if __name__ == "__main__":
    main()
