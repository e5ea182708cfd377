"""Custom document properties (``docProps/custom.xml``): read them from a checked package and
write them into the package an export produces.

Word ("Fichier > Propriétés > Personnalisées"), LibreOffice ("Propriétés personnalisées") and
python-docx keep this part when they save a file, so reviewflow writes its provenance there
(``services/provenance.py`` says what it holds).  Values are text (``vt:lpwstr``); Word shows
at most 255 characters of one, so callers keep each value shorter.  Properties of other
applications in the part are kept as they are; only the names given are replaced.
"""
from __future__ import annotations

from lxml import etree

from .oxml import NS, make_rewrite_parser, parse_part

CUSTOM_PART = "docProps/custom.xml"
CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
CUSTOM_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
CUSTOM_CT = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"   # the one format id of custom properties
MAX_VALUE = 255
_PROPERTY = f"{{{CUSTOM_NS}}}property"
_DECL = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'


def custom_part_name(pkg) -> str | None:
    """The package's custom-properties part (from the package relationships, else the usual name)."""
    for _rid, rtype, name in pkg.relationships(""):
        if rtype.rsplit("/", 1)[-1] == "custom-properties":
            return name
    return CUSTOM_PART if CUSTOM_PART in pkg.xml else None


def read_custom_properties(data: bytes | None, name: str = CUSTOM_PART) -> dict[str, str]:
    """name -> text value of every custom property (values of other types as their text)."""
    if not data:
        return {}
    root = parse_part(data, name)
    out: dict[str, str] = {}
    for prop in root:
        if not isinstance(prop.tag, str) or prop.tag != _PROPERTY:
            continue
        key = prop.get("name")
        if not key:
            continue
        value = next((child for child in prop if isinstance(child.tag, str)), None)
        out[key] = "" if value is None else "".join(value.itertext())
    return out


def custom_properties_xml(existing: bytes | None, props: dict[str, str]) -> bytes:
    """The custom-properties part with ``props`` set (others kept; pids renumbered from 2)."""
    if existing:
        root = etree.fromstring(existing, make_rewrite_parser())
    else:
        root = etree.Element(f"{{{CUSTOM_NS}}}Properties", nsmap={None: CUSTOM_NS, "vt": VT_NS})
    for prop in list(root):
        if isinstance(prop.tag, str) and prop.get("name") in props:
            root.remove(prop)
    for key, value in props.items():
        prop = etree.SubElement(root, _PROPERTY, {"fmtid": FMTID, "pid": "0", "name": key})
        etree.SubElement(prop, f"{{{VT_NS}}}lpwstr").text = value
    pid = 2
    for prop in root:
        if isinstance(prop.tag, str) and prop.tag == _PROPERTY:
            prop.set("pid", str(pid))
            pid += 1
    return _DECL + etree.tostring(root, encoding="UTF-8")


def root_rels_with_custom(data: bytes | None, target: str = CUSTOM_PART) -> bytes:
    """The package relationships (``_rels/.rels``) with one custom-properties relationship."""
    pr = NS["pr"]
    if data:
        root = etree.fromstring(data, make_rewrite_parser())
    else:
        root = etree.Element(f"{{{pr}}}Relationships", nsmap={None: pr})
    used = set()
    for rel in root:
        if not isinstance(rel.tag, str):
            continue
        if rel.get("Type") == CUSTOM_REL:
            return data
        used.add(rel.get("Id"))
    k = 1
    while f"rId{k}" in used:
        k += 1
    etree.SubElement(root, f"{{{pr}}}Relationship", {"Id": f"rId{k}", "Type": CUSTOM_REL, "Target": target})
    return _DECL + etree.tostring(root, encoding="UTF-8")


def content_types_with_custom(data: bytes, part: str = CUSTOM_PART) -> bytes:
    """``[Content_Types].xml`` with the override of the custom-properties part."""
    root = etree.fromstring(data, make_rewrite_parser())
    ct_override = f"{{{NS['ct']}}}Override"
    for el in root:
        if isinstance(el.tag, str) and el.tag == ct_override and el.get("PartName") == "/" + part:
            return data
    etree.SubElement(root, ct_override, {"PartName": "/" + part, "ContentType": CUSTOM_CT})
    return _DECL + etree.tostring(root, encoding="UTF-8")


__all__ = ["read_custom_properties", "custom_properties_xml", "root_rels_with_custom",
           "content_types_with_custom", "custom_part_name", "CUSTOM_PART", "MAX_VALUE"]
