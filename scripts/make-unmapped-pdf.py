#!/usr/bin/env python3
"""Write fixtures/unmapped/unmapped-cid.pdf (python3 standard library only; deterministic).

A one-page PDF whose Latin title is in Helvetica and whose body is shown in a Type0 font with
Identity-H encoding, an Identity CIDSystemInfo, no ToUnicode and no embedded font program: the
body's glyphs have no usable Unicode mapping. gyokaku must say so (an `unmapped-text` diagnostic
naming the font) and never print them as garbage.
"""

import os

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "fixtures", "unmapped", "unmapped-cid.pdf")


def main():
    body = b"".join(b"BT /F2 12 Tf 72 %d Td <%s> Tj ET\n" % (740 - 20 * i, b"".join(b"%04X" % (0x0A00 + 37 * i + k) for k in range(20)))
                    for i in range(6))
    content = b"BT /F1 14 Tf 72 770 Td (Shirasagidai progress report FY2023) Tj ET\n" + body
    objects = [
        (1, b"<< /Type /Catalog /Pages 2 0 R >>"),
        (2, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"),
        (3, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R /F2 6 0 R >> >> >>"),
        (4, b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream"),
        (5, b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"),
        (6, b"<< /Type /Font /Subtype /Type0 /BaseFont /NoMapGothic /Encoding /Identity-H "
            b"/DescendantFonts [7 0 R] >>"),
        (7, b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /NoMapGothic "
            b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
            b"/FontDescriptor 8 0 R /DW 1000 >>"),
        (8, b"<< /Type /FontDescriptor /FontName /NoMapGothic /Flags 4 /FontBBox [0 -120 1000 880] "
            b"/ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 700 /StemV 80 >>"),
    ]
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for num, obj in objects:
        offsets[num] = len(out)
        out += b"%d 0 obj\n" % num + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for num in range(1, len(objects) + 1):
        out += b"%010d 00000 n \n" % offsets[num]
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "wb") as f:
        f.write(bytes(out))


if __name__ == "__main__":
    main()
