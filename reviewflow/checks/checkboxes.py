"""Check-box rules of the cover page (rules R07 and R08 of the template notes)."""

from __future__ import annotations

import re

from .completeness import checkbox_fields, field_empty, meaningful
from .engine import register
from .model import WARNING
from .textutil import fold

CHECKED = "☒☑✔✓■"
# Single countries whose names hold "et" / "and" (written without hyphens in many reports).
JOINED_COUNTRIES = (
    "trinite et tobago",
    "trinidad and tobago",
    "bosnie et herzegovine",
    "bosnia and herzegovina",
    "antigua et barbuda",
    "antigua and barbuda",
    "saint kitts et nevis",
    "saint kitts and nevis",
    "saint vincent et les grenadines",
    "saint vincent and the grenadines",
    "sao tome et principe",
    "sao tome and principe",
    "wallis et futuna",
    "wallis and futuna",
    "turks and caicos",
    "turques et caiques",
    "saint pierre et miquelon",
    "heard and mcdonald",
    "papouasie nouvelle guinee",
)


def ticked(ctx, key: str, code: str) -> bool:
    """Is option ``code`` of a check-box field ticked?  Stored sections hold the codes of the
    ticked options, one per paragraph; text pasted from Word may still read "☒ Projet
    transfrontalier ou régional"."""
    f = ctx.field_map.get(key)
    labels = []
    if f is not None and f.options:
        for lang in ("fr", "en"):
            labels.append(fold(ctx.template.option_label(f.options, code, lang)))
    for line in ctx.text(key).split("\n"):
        t = line.strip()
        if t == code:
            return True
        if t[:1] in CHECKED and any(lab and lab in fold(t) for lab in labels):
            return True
    return False


def count_countries(text: str, joined=JOINED_COUNTRIES) -> int:
    """Countries named in the cover's "Pays" field: "République centrafricaine (RCA) et Cameroun" -> 2,
    "Burkina Faso, Mali, Niger" -> 3, "Trinité et Tobago" -> 1."""
    t = fold(re.sub(r"\([^)]*\)", " ", text or ""))
    t = re.sub(r"[\u2010-\u2015\-]", " ", t)
    t = re.sub(r"\s+", " ", t).strip()
    for name in joined:
        t = t.replace(name, name.replace(" et ", " ").replace(" and ", " "))
    parts = [p for p in re.split(r"\s*(?:,|;|/|\+|&|\n|\bet\b|\band\b)\s*", t) if re.search(r"[a-z]{2}", p)]
    return len(parts)


@register("checkboxes")
def checkboxes(ctx, cross_border=None, **_):
    """R07: a field filled whose condition asks for a ticked box that is not ticked (PBF: the
    trust fund's name given, no "Fonds fiduciaire" box ticked) -> ``checkbox_unticked`` (warning)
    on the box; the ``conditional`` check then stays silent on that field.  R08: several
    countries on the cover and the "cross-border or regional" window not ticked ->
    ``cross_border_unticked`` (warning).  ``cross_border``: {"field", "option", "countries"}."""
    for f in ctx.fields:
        if f.required != "conditional" or not f.condition or f.kind in ("static_guidance", "attachment"):
            continue
        if field_empty(ctx, f):
            continue
        for box in checkbox_fields(ctx, f.condition):
            if not field_empty(ctx, ctx.field_map[box]):
                continue
            value = meaningful(ctx.text(f.key))
            hint_fr = hint_en = ""
            b = ctx.field_map[box]
            folded = fold(value)
            for code in [c for c, _ in ctx.template.options(b.options or "")]:
                words = {"regional": ("region", "regional"), "country": ("pays", "national", "country")}.get(
                    code, ()
                )
                if any(w in folded for w in words):
                    hint_fr = f" Le nom indique « {ctx.template.option_label(b.options, code, 'fr')} »."
                    hint_en = (
                        f" The name suggests \u201c{ctx.template.option_label(b.options, code, 'en')}\u201d."
                    )
                    break
            yield ctx.finding(
                "checkbox_unticked",
                WARNING,
                box,
                f"« {ctx.label(f.key, 'fr')} » est rempli (« {value[:80]} ») mais aucune case « "
                f"{ctx.label(box, 'fr')} » n'est cochée : cochez la case qui convient.{hint_fr}",
                f"\u201c{ctx.label(f.key, 'en')}\u201d is filled in (\u201c{value[:80]}\u201d) but no "
                f"\u201c{ctx.label(box, 'en')}\u201d box is ticked: tick the right one.{hint_en}",
                quote=value[:80],
                figures={"filled": f.key, "box": box},
            )
    cb = {
        "field": "priority_windows",
        "option": "cross_border",
        "countries": "country",
        **(cross_border or {}),
    }
    key, code, countries_key = cb["field"], cb["option"], cb["countries"]
    f = ctx.field_map.get(key)
    if f is None or countries_key not in ctx.field_map:
        return
    countries = ctx.text(countries_key).strip()
    n = count_countries(countries)
    if n >= 2 and not ticked(ctx, key, code):
        opt_fr = ctx.template.option_label(f.options, code, "fr") if f.options else code
        opt_en = ctx.template.option_label(f.options, code, "en") if f.options else code
        yield ctx.finding(
            "cross_border_unticked",
            WARNING,
            key,
            f"Le projet couvre {n} pays (« {countries[:80]} ») mais la case « {opt_fr} » de « "
            f"{ctx.label(key, 'fr')} » n'est pas cochée : cochez-la, ou corrigez le champ « Pays ».",
            f"The project covers {n} countries (\u201c{countries[:80]}\u201d) but the \u201c{opt_en}\u201d "
            f"box of \u201c{ctx.label(key, 'en')}\u201d is not ticked: tick it, or correct the "
            "\u201cCountry\u201d field.",
            quote=code,
            figures={"countries": n, "country_text": countries[:200]},
        )
