"""XML parsing that accepts ParlParse's internal entity DTD and refuses hostile XML.

The 2009 ParlParse files declare HTML entities (`&mdash;`...) in an internal DTD, which a
plain `defusedxml` default would reject. So the parser is configured deliberately: internal
entities resolve, external entities and DTDs never load, nothing touches the network, libxml2's
entity-amplification guard stays on (no `huge_tree`), and the entity declarations are checked
before parsing.
"""

from __future__ import annotations

import re

from lxml import etree

from extractors.errors import ParseError

MAX_ENTITY_DECLARATIONS = 200
_ENTITY_DECL = re.compile(rb"<!ENTITY\s+(%\s*)?[\w.-]+\s+(?P<kind>SYSTEM|PUBLIC|['\"])", re.IGNORECASE)
_ENTITY_VALUE = re.compile(rb"<!ENTITY\s+[\w.-]+\s+(['\"])(?P<value>.*?)\1", re.IGNORECASE | re.DOTALL)
_NESTED_REF = re.compile(rb"&[A-Za-z_][\w.-]*;")


def check_entities(raw: bytes, name: str) -> None:
    """Refuse external entities, parameter entities, nested entity definitions and floods."""
    head = raw[: 256 * 1024]
    if b"<!ENTITY" not in head.upper() and b"<!entity" not in head:
        return
    declarations = list(_ENTITY_DECL.finditer(head))
    if len(declarations) > MAX_ENTITY_DECLARATIONS:
        raise ParseError(f"{name}: refused: {len(declarations)} entity declarations (limit {MAX_ENTITY_DECLARATIONS})")
    for match in declarations:
        if match.group(1):
            raise ParseError(f"{name}: refused: parameter entity declaration")
        if match["kind"].upper() in (b"SYSTEM", b"PUBLIC"):
            raise ParseError(f"{name}: refused: external entity declaration (XXE)")
    for match in _ENTITY_VALUE.finditer(head):
        if _NESTED_REF.search(match["value"]):
            raise ParseError(f"{name}: refused: entity defined in terms of other entities (entity expansion)")


def parse_xml(raw: bytes, name: str) -> etree._Element:
    """Parse XML bytes safely; raise ParseError with the file name on any problem."""
    if not raw.strip():
        raise ParseError(f"{name}: empty document")
    check_entities(raw, name)
    parser = etree.XMLParser(
        resolve_entities="internal",
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        root = etree.fromstring(raw, parser)
    except etree.XMLSyntaxError as exc:
        raise ParseError(f"{name}: malformed XML: {exc}") from exc
    if root is None:
        raise ParseError(f"{name}: no root element")
    return root
