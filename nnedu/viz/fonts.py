"""One font for every graph: Graphviz lays text out with matplotlib's DejaVu Sans.

The Graphviz bundled with pygraphviz measures label text through fontconfig, which finds whatever
fonts the system has: with another "sans-serif" installed (Liberation Sans on most laptops) the
same DOT gives boxes of other widths, so a graph drawn on one laptop differs from the committed
one. Before the first layout, `use_bundled_font()` points fontconfig at a configuration that
lists only the fonts shipped inside matplotlib (a dependency, so present everywhere), and maps
every family name to DejaVu Sans. The same DOT then gives the same picture on every machine.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

FONT = "DejaVu Sans"

_CONF = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <dir>{fonts}</dir>
  <cachedir>{cache}</cachedir>
  <match target="pattern">
    <edit name="family" mode="assign" binding="strong"><string>{font}</string></edit>
  </match>
  <config><rescan><int>0</int></rescan></config>
</fontconfig>
"""


def bundled_fonts_dir() -> Path:
    """The folder of TrueType fonts inside matplotlib (DejaVu Sans among them)."""
    import matplotlib

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf"


def use_bundled_font() -> Path | None:
    """Point fontconfig (Graphviz's text measurement) at matplotlib's fonts only; return the
    configuration file. A `FONTCONFIG_FILE` the user set is left alone (returns None). Takes
    effect for layouts made after the call, if no graph was laid out before in this process."""
    current = os.environ.get("FONTCONFIG_FILE")
    user = os.getuid() if hasattr(os, "getuid") else 0  # Windows has no uid
    folder = Path(tempfile.gettempdir()) / f"nnedu-fontconfig-{user}"
    conf = folder / "fonts.conf"
    if current and Path(current) != conf:
        return None
    text = _CONF.format(fonts=bundled_fonts_dir().as_posix(), cache=(folder / "cache").as_posix(),
                        font=FONT)
    if not conf.is_file() or conf.read_text(encoding="utf-8") != text:
        folder.mkdir(parents=True, exist_ok=True)
        partial = folder / f"fonts.conf.{os.getpid()}.tmp"
        partial.write_text(text, encoding="utf-8")
        partial.replace(conf)  # atomic: a concurrent reader sees the old or the new file whole
    os.environ["FONTCONFIG_FILE"] = str(conf)
    return conf
