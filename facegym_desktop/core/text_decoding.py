"""The text of a file a person may have written: UTF-8, with or without a byte-order mark.

Editors on Windows (Notepad among them) often start a UTF-8 file with the
byte-order mark ``EF BB BF``.  It says nothing about the content, so routine files,
settings.json and the reminder state are read the same with it or without it.
"""

from __future__ import annotations

import codecs


def decode_text(data: bytes) -> str:
    """``data`` as UTF-8 text, one leading byte-order mark dropped.

    Raises UnicodeDecodeError when ``data`` is not UTF-8; its ``start`` is the offset
    of the bad byte in ``data`` itself (the mark counted).
    """
    skipped = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    try:
        return data[skipped:].decode("utf-8")
    except UnicodeDecodeError as error:
        raise UnicodeDecodeError(
            error.encoding, data, error.start + skipped, error.end + skipped, error.reason
        ) from None


__all__ = ["decode_text"]
