"""mynn: the pieces of a neural network library that the lecture derives, written by you.

Tasks 1–3 are in `value.py`, task 4 in `linear.py`, task 5 in `activations.py`, task 6 in
`losses.py`, tasks 7–9 in `optim.py`. `nnedu exercises test .` checks them in order.
"""
