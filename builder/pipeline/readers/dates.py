"""Dates as ISO text (YYYY-MM-DD), which sorts in time order (the temporal split needs it).

Whatever a record holds here, reading it never fails: a value that is not a plausible
date stays as the text given, and the build counts it as an unreadable date.
"""

from __future__ import annotations

import math
import numbers
import re
from datetime import date, datetime, timezone
from functools import lru_cache
from typing import Any

_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%d %B %Y", "%B %d, %Y", "%d %b %Y", "%b %d, %Y", "%Y%m%d")
_ISO_PREFIX = re.compile(r"^\d{4}-\d{2}-\d{2}")
#: Epoch numbers read as dates: seconds from 1973 to 5138, then milliseconds over the
#: same years. Anything else (a YYYYMMDD number, a count, 2**62) is not guessed at.
_EPOCH_SECONDS = (1e8, 1e11)
_EPOCH_MILLISECONDS = (1e11, 1e14)
_LONGEST_DATE_TEXT = 64
_DIGIT = re.compile(r"\d")


def normalize_date(value: Any) -> str:
    """An ISO date when the value reads as one, else the value as given (as text)."""
    try:
        iso = _iso(value)
    except (ValueError, OverflowError, OSError, TypeError):
        iso = None
    return iso if iso is not None else _as_text(value)


def _iso(value: Any) -> str | None:
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return None
    if isinstance(value, numbers.Real):
        iso = _epoch(float(value))
        return iso if iso or not isinstance(value, numbers.Integral) else _parse_text(str(value))  # 20240301
    return _parse_text(str(value).strip())


def _epoch(stamp: float) -> str | None:
    if not math.isfinite(stamp):
        return None
    if _EPOCH_MILLISECONDS[0] < stamp <= _EPOCH_MILLISECONDS[1]:
        stamp /= 1000
    elif not _EPOCH_SECONDS[0] < stamp <= _EPOCH_SECONDS[1]:
        return None
    return datetime.fromtimestamp(stamp, tz=timezone.utc).date().isoformat()


@lru_cache(maxsize=4096)
def _parse_text(text: str) -> str | None:
    """The ISO date ``text`` reads as, or None. Remembered: a corpus repeats its dates (a
    day's articles, a feed's one unreadable placeholder), and trying each format with
    ``strptime`` costs tens of microseconds."""
    if len(text) > _LONGEST_DATE_TEXT or not _DIGIT.search(text):  # every format has a number
        return None
    if _ISO_PREFIX.match(text):
        try:
            return datetime.fromisoformat(text.replace("Z", "+00:00")).date().isoformat()
        except ValueError:
            pass
        if text[10:11] in ("", "T", "t", " "):  # a valid day followed by a time we cannot read
            try:
                return date.fromisoformat(text[:10]).isoformat()
            except ValueError:
                pass
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    return None


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    try:
        return str(value).strip()
    except Exception:  # a value whose str() fails is no date either
        return ""
