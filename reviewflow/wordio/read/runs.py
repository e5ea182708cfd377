"""The walker's run family: ``w:r`` and the characters it holds (text, tabs, breaks, symbols, ruby).

Runs directly in a paragraph are read inline by the paragraph handler (the hot loop, see
:mod:`.paragraphs`); :meth:`Runs._r` serves runs inside wrappers (hyperlinks, content controls,
fields, insertions ...).  Characters: ``w:tab``/``w:ptab`` -> ``\\t``; ``w:br`` (every type) and
``w:cr`` -> ``\\n``; ``w:noBreakHyphen`` -> U+2011; ``w:sym`` decoded (:func:`decode_sym`).
"""
from __future__ import annotations

from ..oxml import A_CHAR, A_FONT, RPR, RPRCHANGE, RUBYBASE, T

# Adobe Symbol font (as used by Word's w:sym w:font="Symbol") -> Unicode, for the common glyphs.
SYMBOL_FONT = dict(zip(
    range(0x41, 0x5B), "ΑΒΧΔΕΦΓΗΙϑΚΛΜΝΟΠΘΡΣΤΥςΩΞΨΖ", strict=False))
SYMBOL_FONT.update(zip(range(0x61, 0x7B), "αβχδεφγηιϕκλμνοπθρστυϖωξψζ", strict=False))
SYMBOL_FONT.update({0x22: "∀", 0x24: "∃", 0x27: "∋", 0x2A: "∗", 0x2D: "−", 0x40: "≅",
                    0x5C: "∴", 0x5E: "⊥", 0xA3: "≤", 0xA5: "∞", 0xAB: "↔", 0xAC: "←",
                    0xAD: "↑", 0xAE: "→", 0xAF: "↓", 0xB0: "°", 0xB1: "±", 0xB3: "≥",
                    0xB4: "×", 0xB5: "∝", 0xB6: "∂", 0xB7: "•", 0xB8: "÷", 0xB9: "≠",
                    0xBA: "≡", 0xBB: "≈", 0xBC: "…", 0xC5: "⊕", 0xC6: "∅", 0xC7: "∩",
                    0xC8: "∪", 0xCE: "∈", 0xD1: "∇", 0xD6: "√", 0xD7: "⋅", 0xD8: "¬",
                    0xD9: "∧", 0xDA: "∨", 0xE0: "◊", 0xE5: "∑", 0xF2: "∫"})


def decode_sym(char: str | None, font: str | None) -> str | None:
    """The character of a ``w:sym`` (``w:char`` hex, ``w:font``), or None if it has none.

    The Symbol font is mapped to Unicode; other symbol fonts keep their private-use code point.
    """
    if not char:
        return None
    try:
        code = int(char, 16)
    except ValueError:
        return None
    if 0xF000 <= code <= 0xF0FF:
        low = code - 0xF000
        if (font or "").strip().lower() == "symbol" and low in SYMBOL_FONT:
            return SYMBOL_FONT[low]
    elif (font or "").strip().lower() == "symbol" and code in SYMBOL_FONT:
        return SYMBOL_FONT[code]
    if code <= 0 or 0xD800 <= code <= 0xDFFF or code > 0x10FFFF:
        return None
    return chr(code)


class Runs:
    """Handlers of runs and characters (a mixin of :class:`~.walker.Walker`)."""

    def _add(self, s: str):
        if self.keep:
            cur = self.cur
            if cur is not None:
                cur.parts.append(s)
            elif not self.sdrop:
                self.stray = True
        if self.revs_open and not self.instr:
            for rev in self.revs_open:
                rev.parts.append(s)

    def _t(self, el):
        s = el.text
        if s:
            self._add(s)

    def _deltext(self, el):
        s = el.text
        if s and self.revs_open and not self.instr:
            for rev in self.revs_open:
                rev.parts.append(s)

    def _tab(self, el):
        self._add("\t")

    def _br(self, el):
        self._add("\n")

    def _nbh(self, el):
        self._add("\u2011")

    def _sym(self, el):
        s = decode_sym(el.get(A_CHAR), el.get(A_FONT))
        if s is None:
            self.warn_once("sym", "A symbol character (w:sym) could not be decoded and was "
                           "skipped.")
        else:
            self._add(s)

    def _r(self, r):
        opened = None
        h = self.handlers
        for c in r:
            tag = c.tag
            if tag == T:
                s = c.text
                if s:
                    if self.keep:
                        cur = self.cur
                        if cur is not None:
                            cur.parts.append(s)
                        elif not self.sdrop:
                            self.stray = True
                    if self.revs_open and not self.instr:
                        for rev in self.revs_open:
                            rev.parts.append(s)
            elif tag == RPR:
                # run-property changes are located once, in C (see reader.Reader.read)
                if self.rpr_changed and c in self.rpr_changed:
                    ch = c.find(RPRCHANGE)
                    if ch is not None:
                        opened = self._open_rev("rPrChange", ch)
            else:
                fn = h.get(tag)
                if fn is None:
                    self._walk(c)
                else:
                    fn(c)
        if opened is not None:
            self._close_rev(opened)

    def _ruby(self, el):
        base = el.find(RUBYBASE)
        if base is not None:
            self._walk(base)


__all__ = ["Runs", "decode_sym", "SYMBOL_FONT"]
