"""`nnedu lecture`: execute the lecture notebooks headlessly (they write `figures/`).

Prints one line per notebook (name, seconds, ok) and a total. With `in_place=True` the executed
notebooks are saved with their outputs, which is how the committed outputs are regenerated.
"""

from __future__ import annotations

import os
import re
import subprocess
import time
from collections.abc import Sequence
from pathlib import Path


def find_notebooks(folder: Path | None = None) -> list[Path]:
    """The lecture notebooks `NN_name.ipynb` in order."""
    folder = folder or Path.cwd() / "notebooks"
    return sorted(p for p in folder.glob("[0-9][0-9]_*.ipynb"))


def _plain(text: str) -> str:
    return re.sub(r"\x1b\[[0-9;]*m", "", text).strip()  # no ANSI colours in logs


def failure_report(nb: object, error: BaseException) -> str:
    """'cell 18: AssertionError: <assert and the values it compared>' for the first cell of
    `nb` with an error output (cells counted from 0, as nbval and `nbformat` count them)."""
    for index, cell in enumerate(nb.cells):  # type: ignore[attr-defined]
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                value = _plain(output.get("evalue", ""))
                return f"cell {index}: {output.get('ename', 'Error')}" + (f": {value}" if value
                                                                          else "")
    message = _plain(str(error))
    return message.splitlines()[-1] if message else repr(error)


def merge_streams(nb: object) -> object:
    """Join consecutive stdout (or stderr) pieces of each cell into one output: the kernel
    splits printed text into pieces at timing-dependent places, which would change the saved
    file on every run although the text is the same."""
    for cell in nb.cells:  # type: ignore[attr-defined]
        merged: list = []
        for output in cell.get("outputs", []):
            previous = merged[-1] if merged else None
            if (previous is not None and output.get("output_type") == "stream"
                    and previous.get("output_type") == "stream"
                    and previous.get("name") == output.get("name")):
                previous["text"] += output["text"]
            else:
                merged.append(output)
        if "outputs" in cell:
            cell["outputs"] = merged
    return nb


def run_notebooks(names: Sequence[str] = (), in_place: bool = False, timeout: int = 600) -> int:
    """Execute notebooks (all by default); return 0 if every one ran without error, else 1."""
    try:
        import nbformat
        from nbclient import NotebookClient
    except ImportError:
        print("nnedu lecture needs nbclient and nbformat: pip install 'nnedu[dev]'")
        return 1
    paths = [Path(n) for n in names] if names else find_notebooks()
    if not paths:
        print("no notebooks found in ./notebooks")
        return 0
    failures = 0
    total = time.perf_counter()
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        client = NotebookClient(nb, timeout=timeout, kernel_name="python3", record_timing=False,
                                resources={"metadata": {"path": str(path.parent)}})
        start = time.perf_counter()
        try:
            # No progress bars in saved outputs; the kernel process's own log lines (e.g. its
            # transport warning) are not the notebook's: cell output and errors still arrive
            # through the kernel protocol.
            client.execute(env={**os.environ, "TQDM_DISABLE": "1", "NO_COLOR": "1"},
                           stderr=subprocess.DEVNULL)
            status = "ok"
        except Exception as error:  # a failing cell: report it, go on with the next notebook
            failures += 1
            status = "FAILED: " + failure_report(nb, error)
        seconds = time.perf_counter() - start
        print(f"{path.name:<45} {seconds:6.1f} s  {status}", flush=True)
        if in_place and status == "ok":
            nbformat.write(merge_streams(nb), path)
    print(f"{len(paths)} notebooks, {failures} failed, {time.perf_counter() - total:.1f} s in all")
    return 1 if failures else 0
