"""A training playground in Jupyter: watch a network learn, neuron by neuron, down to one point.

    from nnedu.playground import Playground
    pg = Playground()                      # or Playground(config="data=xor&hidden=4")
    pg                                     # the widget: data, network, training, live views

`PlaygroundModel` is the same playground without widgets (data, network, training, everything
the views draw), `Config` its settings and their short string form.
"""

from nnedu.playground.config import Config, ConfigError
from nnedu.playground.model import PlaygroundModel

__all__ = ["Config", "ConfigError", "Playground", "PlaygroundModel"]


def __getattr__(name: str) -> object:
    """`Playground` imports ipywidgets only when first used."""
    if name == "Playground":
        from nnedu.playground.widget import Playground

        return Playground
    raise AttributeError(f"module 'nnedu.playground' has no attribute {name!r}")
