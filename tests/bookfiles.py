"""Book files for tests: an invented plain-text book, and a minimal PDF writer (Times-Roman, WinAnsi)."""

from __future__ import annotations

Line = tuple[float, float, str, float]  # x, y, text, font size

TXT = """THE QUIET MACHINE

Chapter One

When I arrived at the department the permanent secre-
tary met me at the door and walked me to the private
office, where the diary was already full.

It took me some weeks to learn how the place
worked, and longer to learn who decided things.

Chapter Two

The submissions came in boxes every night, and most of them were good.
"""


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def write_pdf(pages: list[list[Line]], size: tuple[int, int] = (420, 595), info: dict[str, str] | None = None) -> bytes:
    """A valid PDF 1.4 file whose pages draw the given lines."""
    objects: list[bytes] = []

    def add(body: bytes | str) -> int:
        objects.append(body if isinstance(body, bytes) else body.encode("latin-1"))
        return len(objects)

    font = add("<< /Type /Font /Subtype /Type1 /BaseFont /Times-Roman /Encoding /WinAnsiEncoding >>")
    pages_id = add(b"")  # filled in below
    kids = []
    for lines in pages:
        ops = "\n".join(f"BT /F1 {fs} Tf {x} {y} Td ({_escape(text)}) Tj ET" for x, y, text, fs in lines)
        stream = ops.encode("cp1252")
        content = add(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        kids.append(add(f"<< /Type /Page /Parent {pages_id} 0 R /MediaBox [0 0 {size[0]} {size[1]}] "
                        f"/Resources << /Font << /F1 {font} 0 R >> >> /Contents {content} 0 R >>"))
    refs = " ".join(f"{k} 0 R" for k in kids)
    objects[pages_id - 1] = f"<< /Type /Pages /Kids [{refs}] /Count {len(kids)} >>".encode()
    catalog = add(f"<< /Type /Catalog /Pages {pages_id} 0 R >>")
    info_id = add("<< " + " ".join(f"/{k} ({_escape(v)})" for k, v in info.items()) + " >>") if info else None
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    trailer = f"<< /Size {len(objects) + 1} /Root {catalog} 0 R" + (f" /Info {info_id} 0 R" if info_id else "") + " >>"
    out += f"trailer\n{trailer}\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)
