"""The notebooks' way to the repository, the corpus and the `sagiguard` binary.

The notebooks never reimplement the pipeline: every token, signal, score and weight they show
comes from the CLI, run as a subprocess on the files in `data/`. This module finds the pieces:

- the repository root: `$SAGIGUARD_ROOT`, else the nearest folder above the working directory
  (or above this file) that holds `Cargo.toml` and `data/train.jsonl`;
- the binary: `$SAGIGUARD_BIN` (run.sh sets it), else `target/release/sagiguard`;
- a work folder for models and score files: `$SAGIGUARD_NOTEBOOK_WORK`, else
  `target/notebooks/work/` (git-ignored with the rest of `target/`), never `models/`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

# `sagiguard score` and `explain` answer with the verdict: 0 ham, 1 scam, 3 unsure; 2 is an error.
VERDICT_EXIT_CODES = (0, 1, 3)


def repo_root() -> Path:
    """The sagiguard checkout these notebooks belong to."""
    explicit = os.environ.get("SAGIGUARD_ROOT")
    if explicit:
        return Path(explicit).resolve()
    for start in (Path.cwd(), Path(__file__).resolve().parent):
        for folder in (start, *start.parents):
            if (folder / "Cargo.toml").is_file() and (folder / "data" / "train.jsonl").is_file():
                return folder
    raise FileNotFoundError(
        "cannot find the sagiguard checkout above "
        f"{Path.cwd()}: run from inside it or set SAGIGUARD_ROOT"
    )


def binary() -> Path:
    """The `sagiguard` executable: `$SAGIGUARD_BIN`, else the release build."""
    explicit = os.environ.get("SAGIGUARD_BIN")
    path = Path(explicit) if explicit else repo_root() / "target" / "release" / "sagiguard"
    if not path.is_file():
        raise FileNotFoundError(
            f"no sagiguard binary at {path}: run `cargo build --release --locked` in "
            f"{repo_root()} or set SAGIGUARD_BIN"
        )
    return path


def work_dir(name: str) -> Path:
    """A git-ignored folder for what a notebook makes (models, score files), created on demand."""
    base = os.environ.get("SAGIGUARD_NOTEBOOK_WORK")
    folder = Path(base) if base else repo_root() / "target" / "notebooks" / "work"
    folder = folder / name
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def run(*args: str | Path, stdin: str | None = None, ok: tuple[int, ...] = (0,)) -> str:
    """Runs `sagiguard ARGS…` from the repository root and returns its stdout.

    What the CLI says on stderr (progress, the model it wrote, mails it skipped) is passed on to
    the notebook's stderr. Fails with the command and its stderr when the exit status is not
    in `ok`.
    """
    command = [str(binary()), *map(str, args)]
    done = subprocess.run(
        command,
        cwd=repo_root(),
        input=stdin.encode() if stdin is not None else None,
        capture_output=True,
        check=False,
    )
    stderr = done.stderr.decode(errors="replace")
    if done.returncode not in ok:
        raise RuntimeError(f"`{' '.join(command)}` exited with {done.returncode}:\n{stderr}")
    if stderr:
        sys.stderr.write(stderr)
    return done.stdout.decode()


def run_json(*args: str | Path, stdin: str | None = None, ok: tuple[int, ...] = (0,)):
    """Runs a command that prints one JSON object and returns it parsed."""
    return json.loads(run(*args, stdin=stdin, ok=ok))


def run_jsonl(*args: str | Path, stdin: str | None = None, ok: tuple[int, ...] = (0,)) -> list:
    """Runs a command that prints JSON Lines and returns the parsed lines."""
    return [json.loads(line) for line in run(*args, stdin=stdin, ok=ok).splitlines() if line]


def explain_each(model: Path, rows: list[dict], words: int = 100_000, workers: int = 4) -> list:
    """`sagiguard explain --json` of every dataset row, in order.

    `explain` takes one mail per call, and reads standard input as raw mail whatever `--format`
    says, so each row goes to a one-line JSON Lines file of its own.
    """
    with tempfile.TemporaryDirectory(prefix="sagiguard-explain-") as tmp:
        paths = []
        for i, row in enumerate(rows):
            path = Path(tmp) / f"{i:06}.jsonl"
            path.write_text(json.dumps(row, ensure_ascii=False) + "\n", encoding="utf-8")
            paths.append(path)

        def explain(path: Path):
            return run_json(
                "explain", "-m", model, "--json", "--words", str(words), path,
                ok=VERDICT_EXIT_CODES,
            )

        with ThreadPoolExecutor(max_workers=workers) as pool:
            return list(pool.map(explain, paths))
