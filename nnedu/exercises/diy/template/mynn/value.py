"""Tasks 1–3: a scalar autograd engine, one `Value` per node of the computation graph.

Each operation computes its value and states the local derivatives ∂z/∂u of the new node z
with respect to each parent u (task 1). `backward` (task 3) visits the nodes in a topological
order (task 2) from the last to the first and applies the chain rule:

    v̄_N = 1,    v̄ᵢ = Σ_{j ∈ Ch(vᵢ)} v̄ⱼ ∂vⱼ/∂vᵢ
"""

from __future__ import annotations

import math


class Value:
    """A scalar node: its `data`, its error signal `grad` = ∂L/∂v, its parents and ∂v/∂parent."""

    def __init__(self, data: float, parents: tuple = (), local_grads: tuple = (),
                 op: str = "") -> None:
        self.data = float(data)
        self.grad = 0.0
        self.parents: tuple[Value, ...] = tuple(parents)  # Pa(v)
        self.local_grads: tuple[float, ...] = tuple(local_grads)  # ∂v/∂u for each parent u
        self.op = op

    def __repr__(self) -> str:
        return f"Value(data={self.data:.6g}, grad={self.grad:.6g})"

    # ------------------------------------------------------------ given: one complete op
    def cos(self) -> Value:
        """y = cos x with its local derivative ∂y/∂x = −sin x: how every operation looks."""
        return Value(math.cos(self.data), (self,), (-math.sin(self.data),), "cos")

    # ------------------------------------------------------------ task 1: local derivatives
    def __add__(self, other: Value | float) -> Value:
        other = as_value(other)
        # z = u + v
        ### BEGIN SOLUTION task 1: local_grads = (∂z/∂u, ∂z/∂v) for z = u + v
        local_grads = (1.0, 1.0)
        ### END SOLUTION
        return Value(self.data + other.data, (self, other), local_grads, "+")

    def __mul__(self, other: Value | float) -> Value:
        other = as_value(other)
        # z = u · v
        ### BEGIN SOLUTION task 1: local_grads = (∂z/∂u, ∂z/∂v) for z = u · v
        local_grads = (other.data, self.data)
        ### END SOLUTION
        return Value(self.data * other.data, (self, other), local_grads, "*")

    def __pow__(self, p: float) -> Value:
        # z = u^p for a constant number p
        u = self.data
        ### BEGIN SOLUTION task 1: local_grads = (∂z/∂u,) for z = u^p (p a constant)
        local_grads = (p * u ** (p - 1),)
        ### END SOLUTION
        return Value(u**p, (self,), local_grads, f"**{p:g}")

    def exp(self) -> Value:
        # y = eˣ
        y = math.exp(self.data)
        ### BEGIN SOLUTION task 1: local_grads = (∂y/∂x,) for y = eˣ
        local_grads = (y,)
        ### END SOLUTION
        return Value(y, (self,), local_grads, "exp")

    def log(self) -> Value:
        # y = log x (x > 0)
        x = self.data
        ### BEGIN SOLUTION task 1: local_grads = (∂y/∂x,) for y = log x
        local_grads = (1.0 / x,)
        ### END SOLUTION
        return Value(math.log(x), (self,), local_grads, "log")

    def tanh(self) -> Value:
        # y = tanh x
        y = math.tanh(self.data)
        ### BEGIN SOLUTION task 1: local_grads = (∂y/∂x,) for y = tanh x (use y)
        local_grads = (1.0 - y * y,)
        ### END SOLUTION
        return Value(y, (self,), local_grads, "tanh")

    def sigmoid(self) -> Value:
        # y = σ(x) = 1 / (1 + e⁻ˣ)
        x = self.data
        y = 1.0 / (1.0 + math.exp(-x)) if x >= 0 else math.exp(x) / (1.0 + math.exp(x))
        ### BEGIN SOLUTION task 1: local_grads = (∂y/∂x,) for y = σ(x) (use y)
        local_grads = (y * (1.0 - y),)
        ### END SOLUTION
        return Value(y, (self,), local_grads, "σ")

    def relu(self) -> Value:
        # y = max(0, x)
        x = self.data
        ### BEGIN SOLUTION task 1: local_grads = (∂y/∂x,) for y = max(0, x) (0 at x = 0)
        local_grads = (1.0 if x > 0 else 0.0,)
        ### END SOLUTION
        return Value(x if x > 0 else 0.0, (self,), local_grads, "ReLU")

    # ------------------------------------------------------------ built from the above
    def __neg__(self) -> Value:
        return self * -1

    def __radd__(self, other: float) -> Value:
        return self + other

    def __sub__(self, other: Value | float) -> Value:
        return self + (-as_value(other))

    def __rsub__(self, other: float) -> Value:
        return as_value(other) + (-self)

    def __rmul__(self, other: float) -> Value:
        return self * other

    def __truediv__(self, other: Value | float) -> Value:
        return self * as_value(other) ** -1

    def __rtruediv__(self, other: float) -> Value:
        return as_value(other) * self**-1

    # ------------------------------------------------------------ task 3: backprop
    def backward(self) -> None:
        """Set `grad` of every node of the graph to ∂self/∂node.

        v̄_N = 1 for this node, then for i = N−1, …, 1: v̄ᵢ = Σ_{j ∈ Ch(vᵢ)} v̄ⱼ ∂vⱼ/∂vᵢ.
        Visit the nodes of `topological_order(self)` from the last to the first; every node
        first gets grad 0, so that a second call gives the same result.
        """
        ### BEGIN SOLUTION task 3: backward, the backprop algorithm
        order = topological_order(self)
        for v in order:
            v.grad = 0.0
        self.grad = 1.0
        for v in reversed(order):
            for parent, local_grad in zip(v.parents, v.local_grads):
                parent.grad += v.grad * local_grad
        ### END SOLUTION


def as_value(x: Value | float) -> Value:
    """x itself if it is a Value, else a new leaf holding the number x."""
    return x if isinstance(x, Value) else Value(x)


# ---------------------------------------------------------------- task 2: topological order
def topological_order(root: Value) -> list[Value]:
    """v₁, …, v_N: every node of root's graph exactly once, each after all of its parents,
    ending with `root` (parents come before children)."""
    ### BEGIN SOLUTION task 2: topological_order, parents before children
    order: list[Value] = []
    visited = {root}
    nodes, next_parent = [root], [0]  # depth first with an explicit stack: no recursion limit
    while nodes:
        node, i = nodes[-1], next_parent[-1]
        while i < len(node.parents) and node.parents[i] in visited:
            i += 1
        if i == len(node.parents):  # every parent is placed: place the node
            nodes.pop()
            next_parent.pop()
            order.append(node)
        else:
            next_parent[-1] = i + 1
            visited.add(node.parents[i])
            nodes.append(node.parents[i])
            next_parent.append(0)
    return order
    ### END SOLUTION
