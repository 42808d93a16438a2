"""Exit 0 if this CPU can run the OpenBLAS kernel named on the command line, else 1.

OpenBLAS picks a kernel for the CPU; `OPENBLAS_CORETYPE` forces another, which crashes with an
illegal instruction if the CPU lacks the instructions it uses. The flags come from /proc/cpuinfo
(Linux); elsewhere no kernel is known to run, and the check says no.
"""

import sys
from pathlib import Path

NEEDS = {
    "Nehalem": {"sse4_2"},
    "Sandybridge": {"avx"},
    "Haswell": {"avx2", "fma"},
    "SkylakeX": {"avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"},
    "Zen": {"avx2", "fma"},
    "CooperLake": {"avx512_bf16"},
}


def flags() -> set[str]:
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return set()
    for line in text.splitlines():
        if line.startswith("flags"):
            return set(line.split(":", 1)[1].split())
    return set()


if __name__ == "__main__":
    kernel = sys.argv[1]
    if kernel not in NEEDS:
        sys.exit(f"unknown OpenBLAS kernel {kernel!r}; known: {', '.join(NEEDS)}")
    sys.exit(0 if NEEDS[kernel] <= flags() else 1)
