"""Makes matplotlib draw Japanese: it needs a CJK font, and its default (DejaVu Sans) has none.

Debian's `fonts-ipafont-gothic` (IPAPGothic and IPAGothic, 3.5 MB) is the one run.sh asks for; Noto Sans CJK
(`fonts-noto-cjk`, 57 MB) and the other common Japanese fonts are used when they are there
instead. Without any, the plots still render, with boxes for Japanese text, after one warning.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import matplotlib
from matplotlib import font_manager

# Font files by preference: the family name matplotlib reads from the file is what gets used.
CANDIDATES = (
    "ipagp.ttf",  # fonts-ipafont-gothic: IPAPGothic (proportional Latin, reads better)
    "ipag.ttf",  # fonts-ipafont-gothic: IPAGothic
    "ipaexg.ttf",  # fonts-ipaexfont-gothic: IPAexGothic
    "NotoSansCJK-Regular.ttc",  # fonts-noto-cjk: Noto Sans CJK JP
    "TakaoPGothic.ttf",  # fonts-takao-gothic
    "VL-PGothic-Regular.ttf",  # fonts-vlgothic
)

INSTALL_HINT = "apt-get install fonts-ipafont-gothic"


def use_japanese_font() -> str | None:
    """Sets matplotlib's sans-serif font to a Japanese one and returns its family name.

    Returns None, after a warning naming the package to install, when no Japanese font is found.
    """
    by_name = {Path(path).name: path for path in font_manager.findSystemFonts()}
    for candidate in CANDIDATES:
        path = by_name.get(candidate)
        if path is None:
            continue
        # addfont makes a font installed after matplotlib built its font cache usable at once.
        font_manager.fontManager.addfont(path)
        family = font_manager.FontProperties(fname=path).get_name()
        matplotlib.rcParams["font.family"] = "sans-serif"
        # DejaVu Sans stays as the fallback for the glyphs a Japanese font lacks.
        matplotlib.rcParams["font.sans-serif"] = [family, "DejaVu Sans"]
        return family
    warnings.warn(
        f"no Japanese font found: Japanese text in the plots shows as boxes ({INSTALL_HINT})",
        stacklevel=2,
    )
    # One warning is enough; matplotlib would otherwise warn once per missing glyph.
    warnings.filterwarnings("ignore", message=r"Glyph \d+ .* missing from font")
    return None
