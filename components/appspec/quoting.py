"""How messages quote what the user wrote: on one line, short, unambiguous."""

from __future__ import annotations

import json
import re

_PLAIN_KEY = re.compile(r"[A-Za-z0-9_:@/+-]{1,64}")
_SHOWN_LENGTH = 60


def shown(value: object) -> str:
    """A value as a message quotes it: its repr on one line, cut to a readable length."""
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 200:
        return f"a number of about {int(value.bit_length() * 0.30103)} digits"
    text = repr(value)
    return text if len(text) <= _SHOWN_LENGTH else text[: _SHOWN_LENGTH - 5] + "…" + text[-4:]


def format_key(key: object) -> str:
    """A mapping key as a path shows it: plain when it reads unambiguously, else quoted."""
    if isinstance(key, str):
        if _PLAIN_KEY.fullmatch(key):
            return key
        cut = key if len(key) <= _SHOWN_LENGTH else key[: _SHOWN_LENGTH - 5] + "…" + key[-4:]
        return json.dumps(cut)
    if key is None or isinstance(key, bool):
        return json.dumps(key)
    return shown(key)


_LINE_BREAKS = {ord(c): f"\\u{ord(c):04x}" for c in "\v\f\x1c\x1d\x1e\x85\u2028\u2029"} | {
    ord("\n"): "\\n",
    ord("\r"): "\\r",
}


def one_line(text: str) -> str:
    """`text` with every character that could break a line escaped."""
    return text.translate(_LINE_BREAKS)
