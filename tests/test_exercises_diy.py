"""Build it yourself: the stubs fail every task, nnedu's implementations pass every task, and
a planted bug fails its task with a message that names it."""

from __future__ import annotations

from pathlib import Path

import pytest

from nnedu.cli import main
from nnedu.exercises.diy.runner import load, run_task, run_tasks
from nnedu.exercises.diy.start import start, template_files
from nnedu.exercises.diy.tasks import TASKS


def test_start_writes_the_package_and_a_readme_with_every_task_and_its_slides(tmp_path: Path,
                                                                             capsys):
    folder = tmp_path / "student"
    assert main(["exercises", "start", str(folder)]) == 0
    assert sorted(p.name for p in (folder / "mynn").iterdir()) == sorted(template_files())
    readme = (folder / "README.md").read_text()
    for task in TASKS:
        assert f"| {task.number} | {task.title} | `mynn/{task.file}` | {task.slides} |" in readme
    value = (folder / "mynn" / "value.py").read_text()
    assert "BEGIN SOLUTION" not in value and "parent.grad +=" not in value
    assert "raise NotImplementedError('task 3 not done yet: backward" in value
    assert main(["exercises", "start", str(folder)]) == 1
    assert "exists and is not empty" in capsys.readouterr().out


def test_the_stubs_fail_the_first_task_and_stop(tmp_path: Path, capsys):
    start(tmp_path / "student")
    assert main(["exercises", "test", str(tmp_path / "student")]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "✗ task 1: local derivatives of the scalar Value's operations (value.py)"
    assert out[1].startswith("  task 1 not done yet: local_grads")
    assert "tasks after 1 not run" in out[2] and len(out) == 3


@pytest.mark.parametrize("number", [t.number for t in TASKS])
def test_each_stub_fails_its_own_task_as_not_done(tmp_path: Path, number: int):
    start(tmp_path / "student", stub_tasks={number})
    message = run_task(TASKS[number - 1], load(tmp_path / "student"))
    assert message is not None and message.startswith(f"task {number} not done yet"), message


def test_nnedus_own_implementations_pass_every_task(tmp_path: Path, capsys):
    start(tmp_path / "solved", stub_tasks=())
    assert main(["exercises", "test", str(tmp_path / "solved")]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [f"✓ task {t.number}: {t.title}" for t in TASKS] + ["all tasks pass"]
    assert main(["exercises", "test", str(tmp_path / "solved"), "--task", "8"]) == 0


# (task, file, correct code, planted bug, what the message must say)
BUGS = [
    (1, "value.py", "local_grads = (other.data, self.data)",
     "local_grads = (self.data, other.data)", "u * v at 1.5, -2: local_grads (1.5, -2) but "
     "expected (-2, 1.5)"),
    (1, "value.py", "local_grads = (p * u ** (p - 1),)", "local_grads = (u ** (p - 1),)",
     "u ** 3 at 1.5: local_grads (2.25,) but expected (6.75,)"),
    (2, "value.py", "            visited.add(node.parents[i])\n", "", "appears twice"),
    (3, "value.py", "parent.grad += v.grad * local_grad", "parent.grad = v.grad * local_grad",
     "fan-out (slide 'Regularized Regression'"),
    (4, "linear.py", "self.W.grad += z_bar.T @ self.x", "self.W.grad = z_bar.T @ self.x",
     "gradients accumulate (W.grad += …)"),
    (5, "activations.py", "return 1.0 - y * y", "return 1.0 - y", "tanh_prime(z)"),
    (6, "losses.py", "return float(0.5 * np.sum(error * error) / N)",
     "return float(np.sum(error * error) / N)", "squared_error: l = "),
    (7, "optim.py", "m += (1.0 - self.gamma) * p.grad", "m += p.grad", "Momentum.step"),
    (8, "optim.py", "(np.sqrt(v) + self.eps)", "np.sqrt(v + self.eps)", "RMSProp.step"),
    (9, "optim.py", "np.sqrt(c2 * v)", "np.sqrt(v)", "Adam.step"),
]


@pytest.mark.parametrize(("number", "file", "correct", "bug", "expected"), BUGS,
                         ids=[f"task{b[0]}-{b[3][:24]}" for b in BUGS])
def test_a_planted_bug_fails_its_task_and_names_it(tmp_path: Path, number: int, file: str,
                                                   correct: str, bug: str, expected: str):
    folder = tmp_path / "student"
    start(folder, stub_tasks=())
    path = folder / "mynn" / file
    text = path.read_text()
    assert text.count(correct) == 1
    path.write_text(text.replace(correct, bug))
    lines: list[str] = []
    outcome = run_tasks(folder, say=lines.append)
    assert [n for n, message in outcome if message is None] == list(range(1, number))
    assert outcome[-1][0] == number
    assert lines[-3].startswith(f"✗ task {number}: {TASKS[number - 1].title}")
    assert expected in lines[-2], lines[-2]


def test_the_fan_out_message_shows_both_contributions(tmp_path: Path):
    folder = tmp_path / "student"
    start(folder, stub_tasks=())
    path = folder / "mynn" / "value.py"
    path.write_text(path.read_text().replace("parent.grad += v.grad", "parent.grad = v.grad"))
    message = run_task(TASKS[2], load(folder))
    assert "w.grad = -0.0599549 but w̄ = z̄x + λw = -0.0599549 + 0.12 = 0.0600451" in message
    assert "parent.grad += …, not =" in message


def test_an_error_in_the_students_code_is_reported_with_its_line(tmp_path: Path):
    folder = tmp_path / "student"
    start(folder, stub_tasks=())
    path = folder / "mynn" / "linear.py"
    path.write_text(path.read_text().replace("return z_bar @ self.W.data\n",
                                             "return z_bar @ self.W.data.T\n"))
    message = run_task(TASKS[3], load(folder))
    assert message.startswith("your code raised ValueError: matmul")
    assert "(at mynn/linear.py, line" in message and "return z_bar @ self.W.data.T" in message
