"""XML parsing that accepts ParlParse's internal entity DTD and refuses hostile XML.

The 2009 ParlParse files declare HTML entities (`&mdash;`...) in an internal DTD, which a
plain `defusedxml` default would reject. So the parser is configured deliberately, in two
passes. The first parses with no entity resolved at all (nothing can expand or load) and reads
the internal DTD's declarations from lxml itself; they are refused when there are too many,
when one is external (XXE: SYSTEM or PUBLIC), a parameter entity, defined in terms of other
entities (the billion-laughs shape) or longer than a short replacement text (the quadratic
blow-up). Only then, and only if the DTD declares entities, a second pass resolves the internal
ones, with the network off, no external DTD and libxml2's amplification guard on (no
`huge_tree`). The limits are in `extractors.limits` (settings `WHITEHALL_MAX_XML_*`).

Two common encoding faults are repaired rather than refused, and noted: a byte-order mark or
white space before the XML declaration, and Windows-1252 bytes in a file declared (or
defaulting to) UTF-8.
"""

from __future__ import annotations

import re

from lxml import etree

from extractors.errors import ParseError
from extractors.limits import current

MAX_ENTITY_DECLARATIONS = 200  # the default of Limits.max_xml_entity_declarations (kept for callers)
_BOM = b"\xef\xbb\xbf"
_PARAMETER_ENTITY = re.compile(rb"<!ENTITY\s+%", re.IGNORECASE)
_ENTITY_REF = re.compile(r"&[A-Za-z_:][\w.:-]*;")
_DECLARATION = re.compile(rb"^<\?xml[^>]*?encoding\s*=\s*[\"'](?P<enc>[\w.:-]+)[\"']", re.IGNORECASE)
_UTF8_NAMES = {b"utf-8", b"utf8"}
_EXPANSION_SIGNS = ("amplification", "entity reference loop", "Detected an entity", "entity loop")


def _repair_encoding(raw: bytes, notes: list[str] | None) -> bytes:
    """Drop white space and stray BOMs before the declaration; transcode cp1252 mislabelled UTF-8."""
    if not (raw.startswith(_BOM + b"<") or raw.startswith(b"<")):
        head = raw.lstrip(b" \t\r\n")
        stray = head.startswith(_BOM)
        while head.startswith(_BOM):
            head = head[len(_BOM):].lstrip(b" \t\r\n")
        if head.startswith(b"<"):
            if stray and notes is not None:
                notes.append("a stray byte-order mark before the XML declaration was removed")
            raw = head
    declared = _DECLARATION.match(raw.removeprefix(_BOM))
    if declared is not None and declared["enc"].lower() not in _UTF8_NAMES:
        return raw  # another declared encoding (ISO-8859-1, UTF-16): libxml2 decodes it
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return raw  # UTF-16 with its BOM
    try:
        raw.decode("utf-8")
        return raw
    except UnicodeDecodeError:
        pass
    if notes is not None:
        notes.append("declared UTF-8 but was Windows-1252: transcoded")
    return raw.removeprefix(_BOM).decode("cp1252", errors="replace").encode("utf-8")


def check_dtd(root: etree._Element, raw: bytes, name: str) -> bool:
    """Refuse hostile entity declarations; True when the internal DTD declares entities."""
    limits = current()
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is None:
        return False
    entities = list(dtd.iterentities())
    if len(entities) > limits.max_xml_entity_declarations:
        raise ParseError(f"{name}: refused: {len(entities)} entity declarations "
                         f"(limit {limits.max_xml_entity_declarations})")
    if _PARAMETER_ENTITY.search(raw):
        raise ParseError(f"{name}: refused: parameter entity declaration")
    for entity in entities:
        if entity.system_url is not None or entity.orig is None:
            raise ParseError(f"{name}: refused: external entity declaration (XXE) {entity.name!r}")
        if _ENTITY_REF.search(entity.orig):
            raise ParseError(f"{name}: refused: entity {entity.name!r} is defined in terms of other "
                             "entities (entity expansion)")
        if len(entity.content or "") > limits.max_xml_entity_chars:
            raise ParseError(f"{name}: refused: entity {entity.name!r} expands to {len(entity.content)} "
                             f"characters (limit {limits.max_xml_entity_chars})")
    return bool(entities)


def _syntax_error(name: str, exc: etree.XMLSyntaxError) -> ParseError:
    message = str(exc)
    if any(sign in message for sign in _EXPANSION_SIGNS):
        return ParseError(f"{name}: refused: entity expansion ({message})")
    return ParseError(f"{name}: malformed XML: {message}")


def parse_xml(raw: bytes, name: str, notes: list[str] | None = None) -> etree._Element:
    """Parse XML bytes safely; raise ParseError with the file name on any problem.

    Repairs (a stray BOM, cp1252 mislabelled as UTF-8) are appended to `notes` when given.
    """
    if not raw.strip():
        raise ParseError(f"{name}: empty document")
    raw = _repair_encoding(raw, notes)
    common = dict(no_network=True, load_dtd=False, huge_tree=False, remove_comments=True, remove_pis=True)
    try:
        root = etree.fromstring(raw, etree.XMLParser(resolve_entities=False, **common))
    except etree.XMLSyntaxError as exc:
        raise _syntax_error(name, exc) from exc
    if root is None:
        raise ParseError(f"{name}: no root element")
    if not check_dtd(root, raw, name):
        return root
    try:
        root = etree.fromstring(raw, etree.XMLParser(resolve_entities="internal", **common))
    except etree.XMLSyntaxError as exc:
        raise _syntax_error(name, exc) from exc
    return root


def check_entities(raw: bytes, name: str) -> None:
    """Refuse hostile entity declarations in raw XML without keeping the tree (kept for callers)."""
    parse_xml(raw, name)
