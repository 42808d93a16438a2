"""Build it yourself: the student writes the pieces the slides derive, in a package `mynn`
created by `nnedu exercises start`; `nnedu exercises test` checks them task by task with
nnedu's own checks (central differences, the lecture's worked examples, agreement with nnedu).
"""
