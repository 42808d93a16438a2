"""Data a student can get with no download, plus a reader for real MNIST files.

- `synthetic`: seeded toy problems (XOR, two moons, spirals, Gaussian blobs, a noisy sine).
- `digits`: scikit-learn's bundled 8x8 handwritten digits, split train/validation/test.
- `idx`: the IDX format of the MNIST files (raw or gzipped), validated.
- `preprocessing`: standardization, PCA, PCA and ZCA whitening, fitted on training data only.
- `surfaces`: 2-D test functions with analytic gradients for optimizer trajectories.
"""
