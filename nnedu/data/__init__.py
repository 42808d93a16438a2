"""Data a student can get with no download, plus a reader for real MNIST files.

- `synthetic`: seeded toy problems (XOR, two moons, spirals, Gaussian blobs, a noisy sine).
- `digits`: scikit-learn's bundled 8x8 handwritten digits, split train/validation/test.
- `idx`: the IDX format of the MNIST files (raw or gzipped), validated.
- `preprocessing`: standardization, PCA, PCA and ZCA whitening, fitted on training data only.
- `surfaces`: 2-D test functions with analytic gradients for optimizer trajectories.
"""

from nnedu.data.digits import Split, load_digits, stratified_split
from nnedu.data.idx import IDXError, load_mnist, read_idx, write_idx
from nnedu.data.preprocessing import PCA, PCAWhitening, Standardize, ZCAWhitening
from nnedu.data.surfaces import IllConditionedQuadratic, LocalMinima, Rosenbrock, Saddle
from nnedu.data.synthetic import blobs, noisy_sine, spirals, two_moons, xor

__all__ = ["PCA", "IDXError", "IllConditionedQuadratic", "LocalMinima", "PCAWhitening",
           "Rosenbrock", "Saddle", "Split", "Standardize", "ZCAWhitening", "blobs",
           "load_digits", "load_mnist", "noisy_sine", "read_idx", "spirals",
           "stratified_split", "two_moons", "write_idx", "xor"]
