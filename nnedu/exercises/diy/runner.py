"""`nnedu exercises test DIR [--task N]`: run nnedu's checks on the student's `mynn`, task by
task, in order, and stop at the first thing that is wrong with a message saying what."""

from __future__ import annotations

import importlib
import importlib.util
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

from nnedu.exercises.diy import checks_arrays, checks_optim, checks_scalar
from nnedu.exercises.diy.checking import TaskError
from nnedu.exercises.diy.tasks import TASKS, Task

CHECKS: dict[int, Callable[[ModuleType], None]] = {
    1: checks_scalar.check_local_derivatives,
    2: checks_scalar.check_topological_order,
    3: checks_scalar.check_backward,
    4: checks_arrays.check_linear,
    5: checks_arrays.check_activations,
    6: checks_arrays.check_losses,
    7: checks_optim.check_sgd_momentum,
    8: checks_optim.check_rmsprop,
    9: checks_optim.check_adam,
}
MODULES = ("parameter", "value", "linear", "activations", "losses", "optim")


def load(folder: Path) -> ModuleType:
    """Import the student's package `folder/mynn` afresh (no cached bytecode, no older copy)."""
    package = folder / "mynn"
    if not (package / "__init__.py").is_file():
        raise FileNotFoundError(f"{folder} has no mynn/__init__.py; create the folder with "
                                "`nnedu exercises start DIR`")
    for name in [n for n in sys.modules if n == "mynn" or n.startswith("mynn.")]:
        del sys.modules[name]
    spec = importlib.util.spec_from_file_location(
        "mynn", package / "__init__.py", submodule_search_locations=[str(package)])
    module = importlib.util.module_from_spec(spec)
    sys.modules["mynn"] = module
    saved = sys.dont_write_bytecode
    sys.dont_write_bytecode = True
    try:
        spec.loader.exec_module(module)
        for name in MODULES:
            setattr(module, name, importlib.import_module(f"mynn.{name}"))
    finally:
        sys.dont_write_bytecode = saved
    return module


def run_task(task: Task, mynn: ModuleType) -> str | None:
    """None if the task passes, else the message for the student."""
    try:
        CHECKS[task.number](mynn)
    except TaskError as failure:
        return str(failure)
    except NotImplementedError as error:
        text = str(error)
        return text if "not done yet" in text else f"not done yet (NotImplementedError: {text})"
    except Exception as error:
        return f"your code raised {type(error).__name__}: {error}{_where(error, mynn)}"
    return None


def _where(error: BaseException, mynn: ModuleType | Path) -> str:
    """' (at mynn/value.py, line 42: …)': the traceback's last frame in the student's files."""
    if isinstance(error, SyntaxError):
        return ""  # its message names the file and the line
    package = Path(mynn if isinstance(mynn, Path) else mynn.__path__[0]).resolve()
    frames = [f for f in traceback.extract_tb(error.__traceback__)
              if Path(f.filename).resolve().is_relative_to(package)]
    if not frames:
        return ""
    frame = frames[-1]
    return f" (at mynn/{Path(frame.filename).name}, line {frame.lineno}: {frame.line})"


def run_tasks(folder: Path, only: int | None = None,
              say: Callable[[str], None] = print) -> list[tuple[int, str | None]]:
    """Run the tasks in order (or task `only`), stopping at the first failure; return
    (task number, message or None) for each task run."""
    mynn = load(folder)
    outcome = []
    for task in TASKS:
        if only is not None and task.number != only:
            continue
        message = run_task(task, mynn)
        outcome.append((task.number, message))
        if message is None:
            say(f"✓ task {task.number}: {task.title}")
            continue
        say(f"✗ task {task.number}: {task.title} ({task.file})")
        say(f"  {message}")
        if only is None:
            say(f"  (tasks after {task.number} not run; slides: {task.slides})")
        break
    return outcome


def test_command(folder: Path, only: int | None = None) -> int:
    """0 when every task run passes."""
    try:
        outcome = run_tasks(folder, only)
    except FileNotFoundError as error:
        print(f"nnedu exercises test: {error}")
        return 1
    except Exception as error:  # the package does not even import
        print(f"nnedu exercises test: importing {folder / 'mynn'} failed: "
              f"{type(error).__name__}: {error}{_where(error, folder / 'mynn')}")
        return 1
    if all(message is None for _, message in outcome):
        print("all tasks pass" if only is None else f"task {only} passes")
        return 0
    return 1
