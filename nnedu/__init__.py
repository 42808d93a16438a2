"""nnedu: neural networks from the lecture, line for line.

- `nnedu.scalar`: the chain rule on scalars (a micrograd-compatible autograd engine).
- `nnedu.nn`: the same in matrix form (a vectorized numpy MLP with hand-written backward passes).
- `nnedu.optim`, `nnedu.train`, `nnedu.data`: optimizers, the training loop and data sets.
- `nnedu.viz`: computation graphs, backprop traces and plots.
"""

__version__ = "0.1.0"
