"""The walker's field family: complex fields (``w:fldChar``), legacy form fields (``w:ffData``)
and content controls (``w:sdt``) that are form fields (checkbox, drop-down, text, date).

Field instructions (``w:instrText`` and anything between ``begin`` and ``separate``, nested
fields included) are dropped; results are kept; ``w:fldSimple`` is read as its runs.
"""
from __future__ import annotations

from ..model import FormField
from ..oxml import (
    A_DISPLAYTEXT,
    A_FLDCHARTYPE,
    A_NAME,
    A_VAL,
    A_VALUE,
    A_W14VAL,
    ALIAS,
    CHECKBOX,
    CHECKED,
    COMBOBOX,
    DDLIST,
    DEFAULT,
    DROPDOWNLIST,
    FFDATA,
    LISTENTRY,
    LISTITEM,
    NAME,
    RESULT,
    SDTCONTENT,
    SDTDATE,
    SDTPR,
    SDTTEXT,
    SHOWINGPLCHDR,
    TAG,
    W14_CHECKBOX,
    W14_CHECKED,
    onoff,
    to_int,
)


class Field:
    """A complex field being walked (``begin`` seen): in its result once ``separate`` is."""

    __slots__ = ("result", "ff", "start", "sep", "bookmark")

    def __init__(self, ff, start):
        self.result = False
        self.ff = ff
        self.start = start
        self.sep = None
        self.bookmark = None


class Form:
    """A form field being recorded (positions resolved at the end, by :func:`form_fields_of`)."""

    __slots__ = ("kind", "name", "value", "options", "checked", "source", "start", "end",
                 "vstart", "vend")


class Fields:
    """Handlers of fields and content controls (a mixin of :class:`~.walker.Walker`)."""

    def _bookmark(self, el):
        if self.fields and self.fields[-1].bookmark is None:
            self.fields[-1].bookmark = el.get(A_NAME)

    def _fldchar(self, el):
        kind = el.get(A_FLDCHARTYPE)
        if kind == "begin":
            ff = el.find(FFDATA) if self.record else None
            self.fields.append(Field(ff, self._pos() if ff is not None else None))
            self.instr += 1
            self.keep = False
        elif kind == "separate":
            if self.fields and not self.fields[-1].result:
                f = self.fields[-1]
                f.result = True
                self.instr -= 1
                self._upd_keep()
                if f.ff is not None:
                    f.sep = self._pos()
        elif kind == "end":
            if not self.fields:
                self.warn_once("field:end", "A field end without a matching field start was "
                               "ignored.")
                return
            f = self.fields.pop()
            if not f.result:
                self.instr -= 1
                self._upd_keep()
            if f.ff is not None:
                self._legacy_form(f, self._pos_end())

    def _legacy_form(self, f: Field, end):
        ff = f.ff
        el = ff.find(NAME)
        name = (el.get(A_VAL) if el is not None else None) or f.bookmark or ""
        form = Form()
        form.name, form.source, form.start, form.end = name, "legacy", f.start, end
        form.options, form.checked, form.value = [], None, None
        form.vstart = form.vend = None
        cb = ff.find(CHECKBOX)
        dd = ff.find(DDLIST)
        if cb is not None:
            form.kind = "checkbox"
            el = cb.find(CHECKED)
            if el is not None:
                checked = onoff(el.get(A_VAL), True)
            else:
                el = cb.find(DEFAULT)
                checked = onoff(el.get(A_VAL), False) if el is not None else False
            form.checked = checked
            form.value = "1" if checked else "0"
        elif dd is not None:
            form.kind = "dropdown"
            form.options = [e.get(A_VAL) or "" for e in dd.findall(LISTENTRY)]
            el = dd.find(RESULT)
            if el is None:
                el = dd.find(DEFAULT)
            idx = to_int(el.get(A_VAL)) if el is not None else 0
            idx = 0 if idx is None else idx
            form.value = form.options[idx] if 0 <= idx < len(form.options) else ""
        else:
            form.kind = "text"
            if f.sep is not None:
                form.vstart, form.vend = f.sep, end
            else:
                form.value = ""
        self.forms.append(form)

    def _sdt(self, el):
        pr = el.find(SDTPR)
        form = self._sdt_form(pr) if (pr is not None and self.record) else None
        if form is not None:
            form.start = self._pos()
        content = el.find(SDTCONTENT)
        if content is not None:
            self._walk(content)
        if form is not None:
            form.end = self._pos_end()
            if form.value is None:
                form.vstart, form.vend = form.start, form.end
            self.forms.append(form)

    def _sdt_form(self, pr):
        kind, options, checked = _sdt_kind(pr)
        if kind is None:
            return None
        form = Form()
        el = pr.find(TAG)
        tag = el.get(A_VAL) if el is not None else None
        el = pr.find(ALIAS)
        alias = el.get(A_VAL) if el is not None else None
        form.kind, form.name, form.options, form.checked, form.source = (
            kind, tag or alias or "", options, checked, "sdt")
        form.vstart = form.vend = None
        if kind == "checkbox":
            form.value = "1" if checked else "0"
        elif pr.find(SHOWINGPLCHDR) is not None:
            form.value = ""  # the placeholder ("Choose an item.") is showing: nothing chosen
        else:
            form.value = None  # the displayed text, known after layout
        return form


def _sdt_kind(pr) -> tuple[str | None, list[str], bool | None]:
    """(kind or None when not a form field, drop-down options, checkbox state) of a w:sdtPr."""
    kind = None
    options: list[str] = []
    checked = None
    cb = pr.find(W14_CHECKBOX)
    if cb is not None:
        kind = "checkbox"
        el = cb.find(W14_CHECKED)
        checked = onoff(el.get(A_W14VAL), True) if el is not None else False
    else:
        dd = pr.find(DROPDOWNLIST)
        if dd is None:
            dd = pr.find(COMBOBOX)
        if dd is not None:
            kind = "dropdown"
            options = [li.get(A_DISPLAYTEXT) or li.get(A_VALUE) or "" for li in dd.findall(LISTITEM)]
        elif pr.find(SDTTEXT) is not None or pr.find(SDTDATE) is not None:
            kind = "text"
    return kind, options, checked


def form_fields_of(walker, text: str) -> list[FormField]:
    """The walker's form fields as ``FormField`` (after :meth:`~.walker.Walker.layout`)."""
    out = []
    for f in walker.forms:
        start = walker.resolve(f.start) if f.start is not None else 0
        end = walker.resolve(f.end) if f.end is not None else start
        value = f.value
        if value is None:
            vs = walker.resolve(f.vstart) if f.vstart is not None else start
            ve = walker.resolve(f.vend) if f.vend is not None else end
            value = text[vs:max(vs, ve)]
        out.append(FormField(kind=f.kind, name=f.name, value=value, options=list(f.options),
                             checked=f.checked, start=start, end=max(start, end),
                             source=f.source))
    return out


__all__ = ["Fields", "Field", "Form", "form_fields_of"]
