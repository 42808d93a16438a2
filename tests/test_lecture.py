"""`nnedu lecture`: runs notebooks headlessly, reports each, saves outputs only when asked."""

import nbformat
from nbformat.v4 import new_code_cell, new_notebook

from nnedu.lecture import find_notebooks, run_notebooks


def write_notebook(path, *sources):
    nb = new_notebook(cells=[new_code_cell(s) for s in sources])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nbformat.write(nb, path)


def test_runs_notebooks_in_place_and_reports_each(tmp_path, capsys):
    good = tmp_path / "01_good.ipynb"
    bad = tmp_path / "02_bad.ipynb"
    write_notebook(good, "print(6 * 7)")
    write_notebook(bad, "assert 1 + 1 == 3, 'arithmetic is broken'")
    assert find_notebooks(tmp_path) == [good, bad]

    status = run_notebooks([str(good), str(bad)], in_place=True)

    out = capsys.readouterr().out
    assert status == 1
    assert "01_good.ipynb" in out and " ok" in out
    assert "02_bad.ipynb" in out and "FAILED: cell 0: AssertionError: arithmetic is broken" in out
    assert "2 notebooks, 1 failed" in out
    saved = nbformat.read(good, as_version=4)
    assert saved.cells[0].outputs[0]["text"] == "42\n"
    assert "execution" not in saved.cells[0].metadata  # no timestamps: clean diffs
    assert nbformat.read(bad, as_version=4).cells[0].outputs == []  # a failure is not saved


def test_a_failed_assert_names_the_cell_and_the_values_it_compared(tmp_path, capsys):
    bad = tmp_path / "03_margin.ipynb"
    write_notebook(bad, "from nnedu.viz import setup_notebook\nsetup_notebook()",
                   "error = {4: 0.031, 32: 0.049}",
                   "assert error[32] < min(0.02, error[4])")

    assert run_notebooks([str(bad)]) == 1

    out = capsys.readouterr().out
    assert "FAILED: cell 2: AssertionError: assert error[32] < min(0.02, error[4]) failed" in out
    assert "error[32] = 0.049" in out and "min(0.02, error[4]) = 0.02" in out
    assert "\x1b[" not in out


def test_printed_pieces_are_saved_as_one_output(tmp_path):
    path = tmp_path / "04_prints.ipynb"
    write_notebook(path, "import sys\nfor i in range(3):\n    print(i)\n    sys.stdout.flush()")
    assert run_notebooks([str(path)], in_place=True) == 0
    (output,) = nbformat.read(path, as_version=4).cells[0].outputs
    assert output["text"] == "0\n1\n2\n"
