"""A minimal, deterministic PDF writer: pages of Helvetica text lines (enough for a transcript).

It writes a valid PDF 1.4 file (catalog, page tree, one standard Type 1 font with
WinAnsiEncoding, one content stream per page, a cross-reference table), with no dates or ids,
so the same lines always give the same bytes. pypdf reads the lines back one per line.
"""

from __future__ import annotations

FONT_SIZE = 10
LEADING = 13
LEFT = 56
TOP = 800
PAGE = (595, 842)  # A4 in points


def _escape(line: str) -> bytes:
    raw = line.encode("cp1252", errors="replace")
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def _content(lines: list[str]) -> bytes:
    ops = [b"BT", f"/F1 {FONT_SIZE} Tf".encode()]
    for index, line in enumerate(lines):
        move = f"{LEFT} {TOP} Td" if index == 0 else f"0 -{LEADING} Td"
        ops.append(move.encode() + b" (" + _escape(line) + b") Tj")
    ops.append(b"ET")
    return b"\n".join(ops)


def write_pdf(pages: list[list[str]], title: str = "") -> bytes:
    """The bytes of a PDF whose pages hold the given text lines, top to bottom."""
    bodies: list[bytes] = []

    def add(body: bytes) -> int:
        bodies.append(body)
        return len(bodies)

    catalog = add(b"")  # filled in once the page tree's number is known
    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    tree = add(b"")
    kids = []
    for lines in pages:
        stream = _content(lines)
        content = add(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        kids.append(add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %d %d] /Resources << /Font << /F1 %d 0 R >> >>"
                        b" /Contents %d 0 R >>" % (tree, PAGE[0], PAGE[1], font, content)))
    bodies[tree - 1] = (b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % k for k in kids)
                        + b"] /Count %d >>" % len(kids))
    bodies[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % tree
    info = add(b"<< /Title (" + _escape(title) + b") /Producer (Whitehall Discourse sample archive) >>")

    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(bodies, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(bodies) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(bodies) + 1, catalog, info, xref)
    return bytes(out)
