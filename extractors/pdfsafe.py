"""Opening a PDF within explicit limits: page count, decoded stream size, and one error type.

pypdf decodes content streams in memory, so a small file can inflate to gigabytes (a
decompression bomb), and a page tree can declare millions of pages. Every PDF the project reads
is opened here: pypdf's own output limits are set from `Limits.max_pdf_stream_bytes` for the
duration, a document with more than `Limits.max_pdf_pages` pages is refused before any page is
read, and whatever pypdf raises on a malformed file becomes a ParseError naming the file.
"""

from __future__ import annotations

import io
from contextlib import contextmanager
from typing import Iterator

from extractors.errors import ExtractorError, ParseError
from extractors.limits import current


@contextmanager
def open_pdf(data: bytes, name: str) -> Iterator["PdfReader"]:  # noqa: F821 - pypdf is imported lazily
    """A PdfReader over `data`, inside the limits; ParseError for anything unreadable or refused."""
    from pypdf import PdfReader, apply_configuration
    from pypdf.errors import LimitReachedError

    limits = current()
    cap = limits.max_pdf_stream_bytes
    settings = dict(zlib_maximum_output_length=cap, lzw_maximum_output_length=cap,
                    run_length_maximum_output_length=cap, brotli_maximum_output_length=cap,
                    jbig2_maximum_output_length=cap, maximum_declared_stream_length=cap,
                    array_based_stream_maximum_output_length=cap, image_maximum_buffer_size=cap,
                    stream_decoding_work_maximum_length=4 * cap)
    with apply_configuration(**settings):
        try:
            reader = PdfReader(io.BytesIO(data))
            if reader.is_encrypted and not reader.decrypt(""):
                raise ParseError(f"{name}: encrypted PDF (needs a password)")
            pages = len(reader.pages)
            if pages > limits.max_pdf_pages:
                raise ParseError(f"{name}: refused: {pages} pages (limit {limits.max_pdf_pages})")
            yield reader
        except ExtractorError:
            raise
        except LimitReachedError as exc:
            raise ParseError(f"{name}: refused: {exc} (a decompression bomb?)") from exc
        except MemoryError as exc:
            raise ParseError(f"{name}: refused: decoding it exhausted memory") from exc
        except RecursionError as exc:
            raise ParseError(f"{name}: unreadable PDF (objects nested too deeply)") from exc
        except Exception as exc:  # pypdf raises many types on a malformed file
            raise ParseError(f"{name}: unreadable PDF ({type(exc).__name__}: {exc})") from exc
