"""The playground's whole setup as one value, and as a short string that round-trips.

    Config.parse("data=xor&hidden=4&act=tanh&lr=0.03")     # the keys not given keep defaults
    str(config)                                             # every key, in a fixed order

The string is the Playground's URL idea: copy it from `pg.config`, paste it into
`Playground(config="…")` and get the same data, network and training settings. It is parsed
key by key against the lists below (never evaluated), and a bad key or value is an error that
names it and says what is allowed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields, replace

CLASSIFICATION = ("circle", "xor", "gauss", "spiral", "moons")
REGRESSION = ("plane", "bumps", "sine")  # sine is 1-D regression: t as a function of x₁
DATASETS = CLASSIFICATION + REGRESSION
MULTICLASS = ("circle", "gauss", "spiral")  # the sets that come in 2–5 classes
FEATURES = ("x1", "x2", "x1^2", "x2^2", "x1x2", "sin_x1", "sin_x2")
FEATURES_1D = ("x1", "x1^2", "sin_x1")
ACTIVATIONS = ("relu", "tanh", "sigmoid", "linear", "leaky_relu", "elu")
OPTIMIZERS = ("sgd", "momentum", "rmsprop", "adam")
REGULARIZATIONS = ("none", "l1", "l2")
INITS = ("xavier", "he", "glorot_uniform", "slide_relu")
MAX_LAYERS, MAX_UNITS = 6, 8

# key in the string → field name; the order is the order of `str(config)`
_KEYS = {"data": "dataset", "classes": "classes", "noise": "noise", "train": "train_ratio",
         "points": "n_points", "seed": "seed", "features": "features", "hidden": "hidden",
         "act": "activation", "init": "init", "opt": "optimizer", "lr": "lr", "batch": "batch_size",
         "reg": "regularization", "rate": "reg_rate"}


class ConfigError(ValueError):
    """A configuration (or configuration string) the playground cannot run."""


@dataclass(frozen=True)
class Config:
    """Data, network and training settings of a playground."""

    dataset: str = "circle"
    classes: int = 2
    noise: float = 0.1
    train_ratio: float = 0.5
    n_points: int = 200
    seed: int = 0
    features: tuple[str, ...] = ("x1", "x2")
    hidden: tuple[int, ...] = (4, 2)
    activation: str = "tanh"
    init: str = "xavier"
    optimizer: str = "sgd"
    lr: float = 0.03
    batch_size: int = 10
    regularization: str = "none"
    reg_rate: float = 0.0

    def __post_init__(self) -> None:
        _choice(self.dataset, DATASETS, "data")
        classes = _int(self.classes, "classes", 2, 5)
        if classes != 2 and self.dataset not in MULTICLASS:
            raise ConfigError(f"Config: data={self.dataset} comes in 2 classes only, got "
                              f"classes={classes}; multi-class sets are {', '.join(MULTICLASS)}")
        _real(self.noise, "noise", 0.0, 1.0)
        _real(self.train_ratio, "train", 0.1, 0.9)
        _int(self.n_points, "points", 10, 2000)
        _int(self.seed, "seed", 0, 2**31 - 1)
        if not self.features:
            raise ConfigError("Config: features is empty; choose at least one of "
                              f"{', '.join(self.allowed_features)}")
        for f in self.features:
            _choice(f, self.allowed_features, "features")
        if len(set(self.features)) != len(self.features):
            raise ConfigError(f"Config: features lists one twice: {','.join(self.features)}")
        if len(self.hidden) > MAX_LAYERS:
            raise ConfigError(f"Config: at most {MAX_LAYERS} hidden layers, got "
                              f"{len(self.hidden)} ({self.hidden})")
        for i, n in enumerate(self.hidden):
            _int(n, f"hidden[{i}]", 1, MAX_UNITS)
        _choice(self.activation, ACTIVATIONS, "act")
        _choice(self.init, INITS, "init")
        _choice(self.optimizer, OPTIMIZERS, "opt")
        _real(self.lr, "lr", 1e-6, 10.0)
        _int(self.batch_size, "batch", 1, 2000)
        _choice(self.regularization, REGULARIZATIONS, "reg")
        _real(self.reg_rate, "rate", 0.0, 10.0)

    @property
    def task(self) -> str:
        """'binary', 'multiclass' or 'regression'."""
        if self.dataset in REGRESSION:
            return "regression"
        return "binary" if self.classes == 2 else "multiclass"

    @property
    def input_dims(self) -> int:
        """1 for the 1-D regression set (x₁ only), else 2."""
        return 1 if self.dataset == "sine" else 2

    @property
    def allowed_features(self) -> tuple[str, ...]:
        return FEATURES_1D if self.input_dims == 1 else FEATURES

    def with_(self, **changes: object) -> Config:
        """A copy with some fields changed (checked like a new Config)."""
        return replace(self, **changes)

    def __str__(self) -> str:
        parts = []
        for key, name in _KEYS.items():
            value = getattr(self, name)
            if isinstance(value, tuple):
                text = ",".join(str(v) for v in value) or "-"
            elif isinstance(value, float):  # the shortest text that reads back exactly
                text = repr(value).removesuffix(".0")
            else:
                text = str(value)
            parts.append(f"{key}={text}")
        return "&".join(parts)

    @classmethod
    def parse(cls, text: str) -> Config:
        """The Config a string from `str(config)` describes; keys left out keep their defaults."""
        if not isinstance(text, str):
            raise ConfigError(f"Config.parse: expected a string like 'data=xor&hidden=4', "
                              f"got {type(text).__name__}")
        values: dict[str, object] = {}
        for part in filter(None, text.strip().split("&")):
            key, sep, raw = part.partition("=")
            key = key.strip()
            if not sep or key not in _KEYS:
                raise ConfigError(f"Config.parse: {part!r} is not key=value with a key of "
                                  f"{', '.join(_KEYS)}")
            name = _KEYS[key]
            values[name] = _convert(name, key, raw.strip())
        if "dataset" in values and "features" not in values and values["dataset"] == "sine":
            values["features"] = ("x1",)
        return cls(**values)  # type: ignore[arg-type]


_TYPES = {f.name: f.type for f in fields(Config)}


def _convert(name: str, key: str, raw: str) -> object:
    kind = _TYPES[name]
    try:
        if kind == "int":
            return int(raw)
        if kind == "float":
            return float(raw)
    except ValueError:
        raise ConfigError(f"Config.parse: {key}={raw!r} is not a number") from None
    if name == "hidden":
        if raw in ("", "-"):
            return ()
        try:
            return tuple(int(n) for n in raw.split(","))
        except ValueError:
            raise ConfigError(f"Config.parse: hidden={raw!r} must be unit counts such as "
                              "'4,2' (or '-' for no hidden layer)") from None
    if name == "features":
        return tuple(f for f in raw.split(",") if f)
    return raw


def _choice(value: object, allowed: tuple[str, ...], key: str) -> None:
    if value not in allowed:
        raise ConfigError(f"Config: {key}={value!r} is not one of {', '.join(allowed)}")


def _int(value: object, key: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ConfigError(f"Config: {key} must be a whole number in {low} … {high}, "
                          f"got {value!r}")
    return value


def _real(value: object, key: str, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(
            value) or not low <= value <= high:
        raise ConfigError(f"Config: {key} must be a number in [{low:g}, {high:g}], "
                          f"got {value!r}")
    return float(value)
