#!/usr/bin/env python3
"""Write the malformed inputs of fixtures/malformed/ (python3 standard library only).

Every file is small (a few KiB at most) and fully determined by this script, so running it again
rewrites the same bytes. Usage:

    python3 scripts/make-malformed.py [OUTPUT_DIR]     # default: fixtures/malformed

What each file is meant to exercise is listed in MANIFEST below and in fixtures/malformed/README.md
(written by this script too). The 1 GB sparse text file is not here: tests/hostile.rs makes it at
test time with File::set_len.
"""

import functools
import os
import random
import sys
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_OUT = os.path.join(HERE, "..", "fixtures", "malformed")

HELLO_CONTENT = b"BT /F1 12 Tf 72 770 Td (gyokaku malformed input fixture) Tj ET\n"
FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
MEDIABOX = b"/MediaBox [0 0 595 842]"


def stream(dict_body: bytes, data: bytes, length=None) -> bytes:
    """An indirect object body holding a stream; /Length is the data length unless given."""
    n = str(len(data)).encode() if length is None else length
    return b"<< " + dict_body + b" /Length " + n + b" >>\nstream\n" + data + b"\nendstream"


def build(objects, root=1, trailer=True, startxref=None, extra_trailer=b"") -> bytes:
    """A PDF with a classic xref table. `objects` is a list of (number, body bytes)."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for num, body in objects:
        offsets[num] = len(out)
        out += b"%d 0 obj\n" % num + body + b"\nendobj\n"
    xref_at = len(out)
    size = max(offsets) + 1 if offsets else 1
    out += b"xref\n0 %d\n" % size
    out += b"0000000000 65535 f \n"
    for num in range(1, size):
        if num in offsets:
            out += b"%010d 00000 n \n" % offsets[num]
        else:
            out += b"0000000000 65535 f \n"
    if trailer:
        out += b"trailer\n<< /Size %d /Root %d 0 R" % (size, root) + extra_trailer + b" >>\n"
        out += b"startxref\n%d\n" % (xref_at if startxref is None else startxref)
    out += b"%%EOF\n"
    return bytes(out)


def page_objects(content: bytes, resources: bytes = b"", content_dict: bytes = b""):
    """Catalog 1, Pages 2, Page 3, content 4, font 5; resources are added to /Font."""
    return [
        (1, b"<< /Type /Catalog /Pages 2 0 R >>"),
        (2, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"),
        (
            3,
            b"<< /Type /Page /Parent 2 0 R "
            + MEDIABOX
            + b" /Resources << /Font << /F1 5 0 R >> "
            + resources
            + b">> /Contents 4 0 R >>",
        ),
        (4, stream(content_dict, content)),
        (5, FONT),
    ]


@functools.lru_cache(maxsize=None)
def valid() -> bytes:
    return build(page_objects(HELLO_CONTENT))


def zeros_deflated(total: int) -> bytes:
    """zlib stream of `total` zero bytes, made in chunks so memory stays small."""
    c = zlib.compressobj(9)
    chunk = bytes(1 << 20)
    parts = []
    left = total
    while left > 0:
        n = min(left, len(chunk))
        parts.append(c.compress(chunk[:n]))
        left -= n
    parts.append(c.flush())
    return b"".join(parts)


# A bomb that inflates to 1 GiB through two Flate layers; the file stays a few KiB.
BOMB_BYTES = 1 << 30


@functools.lru_cache(maxsize=None)
def bomb_data() -> bytes:
    inner = zeros_deflated(BOMB_BYTES)
    return zlib.compress(inner, 9)


def flate_bomb() -> bytes:
    objs = page_objects(b"")
    objs[3] = (4, stream(b"/Filter [/FlateDecode /FlateDecode]", bomb_data()))
    return build(objs)


def flate_bomb_objstm() -> bytes:
    """The bomb sits in an object stream, which PDF readers decode while loading the file."""
    objs = page_objects(HELLO_CONTENT)
    objs.append((6, stream(b"/Type /ObjStm /N 1 /First 4 /Filter [/FlateDecode /FlateDecode]", bomb_data())))
    return build(objs)


def form_self() -> bytes:
    """A Form XObject whose own resources name itself and whose content draws itself."""
    objs = page_objects(b"/X1 Do\n" + HELLO_CONTENT, resources=b"/XObject << /X1 6 0 R >> ")
    objs.append(
        (
            6,
            stream(
                b"/Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources << /XObject << /X1 6 0 R >> >>",
                b"/X1 Do\n",
            ),
        )
    )
    return build(objs)


def form_cycle2() -> bytes:
    """Two Form XObjects drawing each other."""
    objs = page_objects(b"/XA Do\n" + HELLO_CONTENT, resources=b"/XObject << /XA 6 0 R >> ")
    for num, other in ((6, 7), (7, 6)):
        objs.append(
            (
                num,
                stream(
                    b"/Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources << /XObject << /XA %d 0 R >> >>"
                    % other,
                    b"/XA Do\n",
                ),
            )
        )
    return build(objs)


def form_chain(n=200) -> bytes:
    """A chain of n distinct Form XObjects, each drawing the next: deeper than any sane limit, no cycle."""
    objs = page_objects(b"/XA Do\n" + HELLO_CONTENT, resources=b"/XObject << /XA 6 0 R >> ")
    for i in range(n):
        num = 6 + i
        res = b"/Resources << /XObject << /XA %d 0 R >> >>" % (num + 1) if i + 1 < n else b""
        body = b"/XA Do\n" if i + 1 < n else b"BT /F1 12 Tf 72 700 Td (end of chain) Tj ET\n"
        objs.append((num, stream(b"/Type /XObject /Subtype /Form /BBox [0 0 595 842] " + res, body)))
    # The last form has no /Resources: give it the font through the page's inherited resources.
    return build(objs)


def kids_cycle() -> bytes:
    """Pages 2 -> Pages 6 -> back to Pages 2 (and the real page 3)."""
    objs = page_objects(HELLO_CONTENT)
    objs[1] = (2, b"<< /Type /Pages /Kids [6 0 R] /Count 1 >>")
    objs.append((6, b"<< /Type /Pages /Parent 2 0 R /Kids [2 0 R 3 0 R] /Count 1 >>"))
    return build(objs)


def kids_self() -> bytes:
    """The root Pages node lists itself among its kids."""
    objs = page_objects(HELLO_CONTENT)
    objs[1] = (2, b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>")
    return build(objs)


DEEP = 10_000


def deep_array() -> bytes:
    """A 10 000-deep array in the page dictionary."""
    objs = page_objects(HELLO_CONTENT)
    objs.append((6, b"[" * DEEP + b"]" * DEEP))
    objs[2] = (3, objs[2][1][:-2] + b" /Deep 6 0 R >>")
    return build(objs)


def deep_dict() -> bytes:
    """A 10 000-deep dictionary nesting."""
    objs = page_objects(HELLO_CONTENT)
    objs.append((6, b"<< /A " * DEEP + b"0" + b" >>" * DEEP))
    objs[2] = (3, objs[2][1][:-2] + b" /Deep 6 0 R >>")
    return build(objs)


def deep_array_content() -> bytes:
    """A 10 000-deep array as an operand in the (uncompressed) page content stream."""
    return build(page_objects(HELLO_CONTENT + b"[" * DEEP + b"]" * DEEP + b" pop\n"))


def deep_array_content_flate() -> bytes:
    """The same, with the content stream compressed so a scan of the raw file cannot see it."""
    data = zlib.compress(HELLO_CONTENT + b"[" * DEEP + b"]" * DEEP + b" pop\n", 9)
    objs = page_objects(b"")
    objs[3] = (4, stream(b"/Filter /FlateDecode", data))
    return build(objs)


def wrong_length_short() -> bytes:
    objs = page_objects(b"")
    objs[3] = (4, stream(b"", HELLO_CONTENT, length=b"5"))
    return build(objs)


def wrong_length_long() -> bytes:
    objs = page_objects(b"")
    objs[3] = (4, stream(b"", HELLO_CONTENT, length=b"99999999"))
    return build(objs)


def length_self_ref() -> bytes:
    """The content stream's /Length is a reference to the stream object itself."""
    objs = page_objects(b"")
    objs[3] = (4, stream(b"", HELLO_CONTENT, length=b"4 0 R"))
    return build(objs)


def ref_cycle() -> bytes:
    """/Contents points at an object that is a reference to another that points back."""
    objs = page_objects(HELLO_CONTENT)
    objs[2] = (3, objs[2][1].replace(b"/Contents 4 0 R", b"/Contents 6 0 R"))
    objs.append((6, b"7 0 R"))
    objs.append((7, b"6 0 R"))
    return build(objs)


def many_operators(n=2_000_001) -> bytes:
    """One page with n+ content operators (the no-op `n`), compressed to a few KiB."""
    data = zlib.compress(HELLO_CONTENT + b"n\n" * n, 9)
    objs = page_objects(b"")
    objs[3] = (4, stream(b"/Filter /FlateDecode", data))
    return build(objs)


def xref_nowhere() -> bytes:
    return build(page_objects(HELLO_CONTENT), startxref=987654321)


def xref_garbage() -> bytes:
    """startxref points inside an object body, not at an xref table."""
    return build(page_objects(HELLO_CONTENT), startxref=40)


def missing_trailer() -> bytes:
    return build(page_objects(HELLO_CONTENT), trailer=False)


def no_root() -> bytes:
    """The trailer names a /Root object that does not exist."""
    return build(page_objects(HELLO_CONTENT), root=42)


def random_with_header() -> bytes:
    rng = random.Random(20240501)
    return b"%PDF-1.7\n" + bytes(rng.getrandbits(8) for _ in range(4096))


def header_only() -> bytes:
    return b"%PDF-1.4\n"


def no_pages() -> bytes:
    """Valid structure, empty page tree."""
    return build([(1, b"<< /Type /Catalog /Pages 2 0 R >>"), (2, b"<< /Type /Pages /Kids [] /Count 0 >>")])


# Text inputs of our own wording (a small progress-report-like table), then broken on purpose.
REPORT_TEXT = (
    "No.\t改革項目\t担当課\t進捗状況\n"
    "1\t窓口受付の電子化\t市民課\t順調\n"
    "2\t公共施設の使用料見直し\t財政課\tやや遅れている\n"
    "○ 申請様式を統一した。▲ 一部の施設で調整が続いている。\n"
)


def invalid_utf8() -> bytes:
    good = REPORT_TEXT.encode("utf-8")
    cut = good.index("窓口".encode("utf-8"))
    # a lone continuation byte, an overlong encoding, a truncated 3-byte sequence, 0xFF
    return good[:cut] + b"\x80\xc0\xaf" + good[cut:] + b"\xe7\xaa" + b"\n\xff\xfe\n"


def invalid_sjis() -> bytes:
    good = REPORT_TEXT.encode("shift_jis")
    cut = good.index("窓口".encode("shift_jis"))
    # a lead byte followed by an invalid trail byte, bytes that are never valid in Shift_JIS,
    # and a lead byte cut off at the end of the file
    return good[:cut] + b"\x81\x7f\xa0\xfd" + good[cut:] + b"\xfe\xff\n\x82"


def binary_text() -> bytes:
    """Not a PDF, not text: NULs and control bytes."""
    rng = random.Random(7)
    return bytes(rng.choice([0, 1, 2, 0x1b, 0x7f, 0x90]) for _ in range(2048))


def empty() -> bytes:
    return b""


# name -> (maker, what it is)
MANIFEST = {
    "valid-hello.pdf": (valid, "the small valid PDF the broken ones start from (one page, one line of text)"),
    "header-only.pdf": (header_only, "nothing but a %PDF- header line"),
    "random-header.pdf": (random_with_header, "4 KiB of random bytes after a %PDF- header"),
    "xref-nowhere.pdf": (xref_nowhere, "startxref points far past the end of the file"),
    "xref-garbage.pdf": (xref_garbage, "startxref points into an object body"),
    "missing-trailer.pdf": (missing_trailer, "no trailer dictionary and no startxref"),
    "no-root.pdf": (no_root, "trailer /Root names an object that does not exist"),
    "no-pages.pdf": (no_pages, "well-formed document with an empty page tree"),
    "flate-bomb.pdf": (flate_bomb, "page content stream inflating to 1 GiB through two Flate layers"),
    "flate-bomb-objstm.pdf": (flate_bomb_objstm, "object stream inflating to 1 GiB (decoded while loading)"),
    "form-self.pdf": (form_self, "a Form XObject that draws itself"),
    "form-cycle2.pdf": (form_cycle2, "two Form XObjects that draw each other"),
    "form-chain.pdf": (form_chain, "a chain of 200 distinct Form XObjects, each drawing the next"),
    "kids-cycle.pdf": (kids_cycle, "page tree /Kids cycle through two Pages nodes"),
    "kids-self.pdf": (kids_self, "root Pages node lists itself among its /Kids"),
    "deep-array.pdf": (deep_array, "a 10 000-deep array object"),
    "deep-dict.pdf": (deep_dict, "a 10 000-deep dictionary object"),
    "deep-array-content.pdf": (deep_array_content, "a 10 000-deep array operand in an uncompressed content stream"),
    "deep-array-content-flate.pdf": (deep_array_content_flate, "the same inside a Flate content stream"),
    "wrong-length-short.pdf": (wrong_length_short, "content stream /Length shorter than the data"),
    "wrong-length-long.pdf": (wrong_length_long, "content stream /Length far past the end of the file"),
    "length-self-ref.pdf": (length_self_ref, "content stream /Length is a reference to the stream itself"),
    "ref-cycle.pdf": (ref_cycle, "/Contents is a reference cycle of two objects"),
    "many-operators.pdf": (many_operators, "one page with 2 000 001 content operators (Flate, a few KiB)"),
    "truncated-16.pdf": (lambda: valid()[:16], "the valid PDF cut after 16 bytes"),
    "truncated-quarter.pdf": (lambda: valid()[: len(valid()) // 4], "the valid PDF cut at a quarter"),
    "truncated-half.pdf": (lambda: valid()[: len(valid()) // 2], "the valid PDF cut at half"),
    "truncated-in-xref.pdf": (lambda: valid()[: valid().index(b"xref") + 30], "the valid PDF cut inside the xref table"),
    "truncated-no-eof.pdf": (lambda: valid()[:-12], "the valid PDF without its last 12 bytes (startxref value, %%EOF)"),
    "invalid-utf8.txt": (invalid_utf8, "UTF-8 report text with invalid sequences"),
    "invalid-sjis.txt": (invalid_sjis, "Shift_JIS report text with invalid byte pairs and a cut-off lead byte"),
    "binary.txt": (binary_text, "2 KiB of NUL and control bytes"),
    "empty.txt": (empty, "an empty file"),
}


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else DEFAULT_OUT
    os.makedirs(out, exist_ok=True)
    lines = [
        "# Malformed inputs",
        "",
        "Written by `scripts/make-malformed.py` (do not edit by hand); `fuzz-*` files are inputs",
        "found by the fuzz targets and kept as regression tests. `tests/hostile.rs` runs the CLI on",
        "every file here and holds each to its expected outcome.",
        "",
        "| file | bytes | what |",
        "|---|---:|---|",
    ]
    for name, (maker, what) in MANIFEST.items():
        data = maker()
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)
        lines.append(f"| `{name}` | {len(data)} | {what} |")
    with open(os.path.join(out, "README.md"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    print(f"wrote {len(MANIFEST)} files to {out}")


if __name__ == "__main__":
    main()
