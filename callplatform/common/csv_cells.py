"""Cells of the CSV files users download. A spreadsheet runs a cell that starts with
=, +, -, @ (or a tab or carriage return before one) as a formula, so text anyone could
type (a contact's name, a number's friendly name) is written with a leading apostrophe
then, which spreadsheets show as text. A phone number in E.164 starts with + but is
only digits: it is left as it is (as a formula it is just the number)."""

from __future__ import annotations

import re

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_E164 = re.compile(r"\+[0-9]{1,15}")


def safe(value) -> str:
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_START) and not _E164.fullmatch(text):
        return "'" + text
    return text
