"""Masking of customer data in reports: phones, names and addresses.

Masking happens at render time (run.json keeps what was scraped, in the user's own folder), and
phone numbers are masked in every rendered text, since buyers write them into memos too.
"""

from __future__ import annotations

import re

_MOBILE = re.compile(r"(?<!\d)(1[3-9]\d)(\d{4})(\d{4})(?!\d)")
_LANDLINE = re.compile(r"(?<!\d)(0\d{2,3}-?)(\d{3,4})(\d{4})(?!\d)")
_CJK = re.compile(r"^[\u4e00-\u9fff·]{2,5}$")


def mask_phones(text: str) -> str:
    text = _MOBILE.sub(lambda m: f"{m.group(1)}****{m.group(3)}", text)
    return _LANDLINE.sub(lambda m: f"{m.group(1)}****{m.group(3)}", text)


def mask_customer(text: str) -> str:
    """'张三 13812345678 江苏省南京市江宁区某路1号' -> '张* 138****5678 江苏省南京市****'."""
    parts = []
    for token in text.split():
        if "*" in token:
            parts.append(token)  # the platform masked it already
        elif _MOBILE.search(token) or _LANDLINE.search(token):
            parts.append(mask_phones(token))
        elif _CJK.match(token):
            parts.append(token[0] + "*" * (len(token) - 1))
        elif len(token) > 6:
            parts.append(token[:6] + "****")
        else:
            parts.append(token[0] + "*" * (len(token) - 1) if len(token) > 1 else "*")
    return " ".join(parts)
