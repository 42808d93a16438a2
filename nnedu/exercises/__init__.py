"""Exercises a student does and a course grades.

- `markup`: the exercise markup of the lecture notebooks (nbgrader's), read with nbformat;
- `release`: student versions of the notebooks (`nnedu exercises release`);
- `grade`: run submissions with the hidden tests put back (`nnedu exercises check`);
- `diy`: build it yourself, a student package of stubs and nnedu's checks for it
  (`nnedu exercises start`, `nnedu exercises test`);
- `cli`: the `nnedu exercises` commands.
"""
