"""`nnedu bench playground`: live updates per second of the playground widget, headless.

One update is what the widget does while "play" is on: one epoch of minibatch SGD (200
training points in batches of 10: 20 weight updates) of a 2-[8, 8]-1 tanh network on the
circle data, then a redraw of every view — the decision boundary heat map on a 48 × 48 grid,
the network with its 19 thumbnails and connections, the loss curves, the gradient norms — into
the SVG and PNG text the widget sends to the browser. Printed: the median updates per second
over a few timings, against the target of 10 per second; and the same with the computation
graph of a clicked point redrawn at every update too (the widget redraws it once a second).
"""

from __future__ import annotations

import statistics
import time

from threadpoolctl import threadpool_limits

CONFIG = "data=circle&points=400&train=0.5&hidden=8,8&act=tanh&opt=sgd&lr=0.03&batch=10"
TARGET = 10.0  # updates per second for the widget to feel live


def updates_per_second(updates: int = 20, graph: bool = False) -> float:
    """Updates (epoch + redraw) per second of a fresh headless Playground of `CONFIG`."""
    from nnedu.playground import Playground

    pg = Playground(CONFIG)
    if graph:
        pg.select("train", 0)
    pg.model.train_epoch()
    pg.redraw(graph=graph)  # warm up
    start = time.perf_counter()
    for _ in range(updates):
        pg.model.train_epoch()
        pg.redraw(graph=graph)
    return updates / (time.perf_counter() - start)


def run(repeats: int = 3, updates: int = 20) -> dict[str, float]:
    """Print and return the median updates/s without and with the point's graph."""
    results = {}
    with threadpool_limits(1):
        for graph in (False, True):
            rates = [updates_per_second(updates, graph) for _ in range(repeats)]
            results["with graph" if graph else "plain"] = statistics.median(rates)
    plain, with_graph = results["plain"], results["with graph"]
    print("playground: 2-[8, 8]-1 tanh network, circle data, 200 training + 200 test points, "
          "batch 10")
    print(f"  updates/s (epoch of 20 SGD steps + redraw of all views): {plain:7.1f}   "
          f"target ≥ {TARGET:g}: {plain / TARGET:.1f}× the target")
    print(f"  updates/s with the clicked point's graph redrawn every update: {with_graph:7.1f}")
    return results
