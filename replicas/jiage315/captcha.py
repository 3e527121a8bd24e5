"""The image of `ValidateCode.aspx`: four characters on a noisy background (SVG here, GIF on the
real kind of site [I]), good for one login attempt."""

from __future__ import annotations

from html import escape


def captcha_svg(code: str) -> str:
    letters = "".join(
        f'<text x="{10 + i * 20}" y="{23 + (i % 2) * 4}" font-size="20" font-family="monospace" '
        f'fill="#{(0x2a4b8d + i * 0x3a5f7) % 0xFFFFFF:06x}" transform="rotate({(-9, 7, -5, 10)[i % 4]} '
        f'{10 + i * 20} 18)">{escape(ch)}</text>'
        for i, ch in enumerate(code)
    )
    noise = ('<line x1="0" y1="6" x2="90" y2="28" stroke="#bbb"/><line x1="0" y1="28" x2="90" y2="4" '
             'stroke="#ccc"/><circle cx="45" cy="16" r="1.5" fill="#999"/>')
    return ('<svg xmlns="http://www.w3.org/2000/svg" width="90" height="32">'
            f'<rect width="90" height="32" fill="#f0f4e8"/>{noise}{letters}</svg>')
