"""Moses detokenisation of tokenised corpora ("Perth .", "do n't", "( AP )").

Machine-translation and post-editing sets (MLQE-PE, WMT) are stored Moses-tokenised; a
model meant for running text must see them as text. This is the package's one
detokeniser: ``source.detokenize=moses`` (every reader) and ``python -m builder.profile
--detokenize`` both call ``detokenizer``.

sacremoses is the optional ``moses`` extra, imported only when detokenisation is asked
for; without it, asking gives one line that names the extra.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

from builder.core.errors import ConfigError

#: How to get the extra, as every message about it says.
INSTALL = "pip install 'garble-builder[moses]'"
#: English "n't" split off as its own token (Penn Treebank style: "do n't", "ca n't"),
#: which Moses' own tokeniser never makes and so its detokeniser leaves apart.
_NT = re.compile(r"(?<=\w) (n['’]t)\b", re.IGNORECASE)


def require_moses(what: str) -> None:
    """Raise ConfigError (one line naming the extra) when sacremoses cannot be imported;
    ``what`` is the option that needs it, as the user wrote it."""
    try:
        import sacremoses  # noqa: F401
    except ImportError:
        raise ConfigError(f"{what} needs sacremoses: {INSTALL}") from None


def detokenizer(lang: str = "en", what: str = "detokenizing") -> Callable[[str], str]:
    """A function that Moses-detokenises a text line by line (line breaks are kept, so
    paragraphs and line-aligned pages stay as they were). ``lang`` picks sacremoses'
    language rules (French elision, Czech and Finnish specifics; any other code gets
    the default rules); a region suffix ("en-GB") is ignored. ``what``: the option that
    asked, named in the error when sacremoses is missing."""
    require_moses(what)
    return _detokenizer((lang or "en").replace("_", "-").split("-")[0].lower())


@cache
def _detokenizer(lang: str) -> Callable[[str], str]:
    from sacremoses import MosesDetokenizer

    moses = MosesDetokenizer(lang=lang)
    english = lang == "en"

    def line(text: str) -> str:
        out = moses.detokenize(text.split())
        return _NT.sub(r"\1", out) if english and "n" in out else out

    def detokenize(text: str) -> str:
        if "\n" not in text:
            return line(text)
        return "\n".join(line(part) for part in text.split("\n"))

    return detokenize
