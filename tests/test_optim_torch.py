"""Our SGD, RMSProp and Adam take the same steps as PyTorch's (when PyTorch is installed)."""

from __future__ import annotations

import numpy as np
import pytest

from nnedu.nn.parameter import Parameter, pack
from nnedu.optim import SGD, Adam, RMSProp

torch = pytest.importorskip("torch")

def decay_weights_only(tensors):
    """PyTorch's parameter groups for nnedu's weight decay: matrices decayed, biases not."""
    return [{"params": [t for t in tensors if t.ndim >= 2]},
            {"params": [t for t in tensors if t.ndim < 2], "weight_decay": 0.0}]


CASES = [
    (lambda p: SGD(p, lr=0.1), lambda p: torch.optim.SGD(p, lr=0.1)),
    (lambda p: SGD(p, lr=0.05, momentum=0.9, weight_decay=0.01),
     lambda p: torch.optim.SGD(decay_weights_only(p), lr=0.05, momentum=0.9,
                               weight_decay=0.01)),
    (lambda p: RMSProp(p, lr=0.01, gamma=0.99, eps=1e-8),
     lambda p: torch.optim.RMSprop(p, lr=0.01, alpha=0.99, eps=1e-8)),
    (lambda p: RMSProp(p, lr=0.02, gamma=0.9, eps=1e-3),
     lambda p: torch.optim.RMSprop(p, lr=0.02, alpha=0.9, eps=1e-3)),
    (lambda p: Adam(p), lambda p: torch.optim.Adam(p)),
    (lambda p: Adam(p, lr=0.01, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1),
     lambda p: torch.optim.Adam(decay_weights_only(p), lr=0.01, betas=(0.8, 0.99), eps=1e-6,
                                weight_decay=0.1)),
]


@pytest.mark.parametrize("flat", [False, True], ids=["arrays", "flat"])
@pytest.mark.parametrize(("ours", "theirs"), CASES,
                         ids=["sgd", "sgd_momentum_decay", "rmsprop", "rmsprop_eps", "adam",
                              "adam_all_options"])
def test_steps_match_torch_optim(ours, theirs, flat: bool) -> None:
    rng = np.random.default_rng(0)
    shapes = [(4, 3), (4,), (2, 4)]
    start = [rng.normal(size=s) for s in shapes]
    params = [Parameter(x.copy()) for x in start]
    if flat:
        pack(params)
    tensors = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in start]
    opt, torch_opt = ours(params), theirs(tensors)
    for _ in range(5):
        grads = [rng.normal(size=s) for s in shapes]
        for p, t, g in zip(params, tensors, grads):
            p.grad[...] = g
            t.grad = torch.tensor(g, dtype=torch.float64)
        opt.step()
        torch_opt.step()
    for p, t in zip(params, tensors):
        np.testing.assert_allclose(p.data, t.detach().numpy(), rtol=1e-12, atol=1e-14)
