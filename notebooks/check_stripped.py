#!/usr/bin/env python3
"""Fails when a notebook carries outputs, so that committed notebooks stay readable diffs.

    python3 notebooks/check_stripped.py            # check every notebooks/*.ipynb
    python3 notebooks/check_stripped.py --fix      # strip them in place, then check
    python3 notebooks/check_stripped.py A.ipynb …  # check (or --fix) only these

A stripped notebook has no cell outputs, no execution counts, and no per-cell execution
metadata (the timings nbclient records). Standard library only: it runs before any venv exists.
The rewrite keeps nbformat's own layout (one-space indent, sorted keys, UTF-8 as is), so a
notebook saved by Jupyter and then stripped differs only where outputs were.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

# Cell metadata written by running a notebook, not by its author.
RUN_METADATA = ("execution", "collapsed", "scrolled", "ExecuteTime")


def problems(notebook: dict) -> list[str]:
    """What makes the notebook unstripped, one line per cell and kind."""
    found = []
    for number, cell in enumerate(notebook.get("cells", []), start=1):
        if cell.get("outputs"):
            found.append(f"cell {number}: {len(cell['outputs'])} output(s)")
        if cell.get("execution_count") is not None:
            found.append(f"cell {number}: execution count {cell['execution_count']}")
        stale = [key for key in RUN_METADATA if key in cell.get("metadata", {})]
        if stale:
            found.append(f"cell {number}: run metadata {', '.join(stale)}")
    return found


def strip(notebook: dict) -> None:
    """Removes what `problems` reports, in place."""
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
        for key in RUN_METADATA:
            cell.get("metadata", {}).pop(key, None)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: notebooks/*.ipynb")
    parser.add_argument("--fix", action="store_true", help="strip the notebooks in place")
    args = parser.parse_args()
    paths = args.notebooks or sorted(Path(__file__).resolve().parent.glob("*.ipynb"))
    if not paths:
        print("check_stripped: no notebooks to check", file=sys.stderr)
        return 1

    failed = 0
    for path in paths:
        try:
            notebook = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as err:
            print(f"{path}: cannot read it as a notebook: {err}", file=sys.stderr)
            failed += 1
            continue
        if args.fix and problems(notebook):
            strip(notebook)
            text = json.dumps(notebook, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
            path.write_text(text, encoding="utf-8")
            print(f"{path}: stripped")
        for problem in problems(notebook):
            print(f"{path}: {problem}", file=sys.stderr)
            failed += 1
    if failed:
        print(
            "check_stripped: commit notebooks without outputs: "
            "python3 notebooks/check_stripped.py --fix",
            file=sys.stderr,
        )
        return 1
    print(f"check_stripped: {len(paths)} notebook(s) without outputs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
