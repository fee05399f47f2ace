#!/usr/bin/env python3
"""Make the office fixtures in fixtures/office/ from the fixture content below.

A small, invented progress report of a fictitious municipality (白鷺台市) in every office form
gyokaku reads: .xlsx, .xls, .ods, .docx, .html, .csv (CP932) and a space-aligned text. The generated
files are committed; run this only to change them, then refresh the golden texts with
`UPDATE_GOLDEN=1 cargo test --test office_fixtures`.

Requirements (installs nothing itself): python3 with openpyxl and python-docx
(`pip install openpyxl python-docx`); the .xls is the .xlsx saved by LibreOffice (`soffice`). The
.ods, .html, .csv and layout text are written with the standard library only. Name forms to make
only those: `scripts/make-office-fixtures.py xls`. Output is deterministic (fixed timestamps) so reruns give the same bytes
where the libraries allow.
"""

import datetime
import os
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "fixtures", "office")

TITLE = "白鷺台市行財政改革推進計画　令和5年度取組状況"
LEGEND = "評価　A：達成　B：概ね達成　C：未達成"
HEADER = ["番号", "取組項目", "担当課", "取組内容", "効果額計画（千円）", "効果額実績（千円）", "達成率", "評価"]
# (band, [(no, title, dept, content, plan, actual, rate, grade), ...]); None = merged with the row above
SECTIONS = [
    (
        "基本方針1　事務の効率化",
        [
            ("1", "電子申請の拡充", "デジタル推進課", "申請手続を電子化する。\n対象は30手続とする。", 1200, 1350, 1.125, "A"),
            ("2", "公用車の削減", "管財課", "①稼働率の低い車両を廃止する。", 800, -300, -0.375, "C"),
            (None, None, None, "②共用車の予約制を導入する。", 0, 150, None, None),
        ],
    ),
    (
        "基本方針2　歳入の確保",
        [
            ("3", "使用料の見直し", "財政課", "施設使用料の算定基準を改める。", 2400, 2280, 0.95, "B"),
        ],
    ),
]
HIDDEN_NOTE = "作業用メモ：この行は非表示"
FOOT = "※▲は効果額がマイナスであることを示す。"
DATE_LABEL = "公表日"
DATE = datetime.date(2024, 6, 28)


def rows():
    """The report as rows of displayed cell text (what every form should give)."""
    out = [[TITLE], [LEGEND], HEADER]
    for band, items in SECTIONS:
        out.append([band])
        for no, title, dept, content, plan, actual, rate, grade in items:
            out.append([
                no or "", title or "", dept or "", content,
                fmt_int(plan), fmt_int(actual), fmt_rate(rate), grade or "",
            ])
    out.append([FOOT])
    return out


def fmt_int(v):
    return ("▲" if v < 0 else "") + f"{abs(v):,}"


def fmt_rate(v):
    if v is None:
        return "―"
    return ("▲" if v < 0 else "") + f"{abs(v) * 100:.1f}%"


def make_xlsx(path):
    from openpyxl import Workbook
    from openpyxl.styles import Alignment

    wb = Workbook()
    ws = wb.active
    ws.title = "取組状況"
    ws.append([TITLE])
    ws.append([LEGEND])
    # column I is a hidden working column
    ws.append(HEADER + ["内部コード"])
    r = 4
    for band, items in SECTIONS:
        ws.cell(row=r, column=1, value=band)
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=8)
        r += 1
        first = r
        for no, title, dept, content, plan, actual, rate, grade in items:
            if no is None:
                # merged vertically with the row above: 番号, 取組項目, 担当課, 達成率, 評価
                for col in (1, 2, 3, 7, 8):
                    ws.merge_cells(start_row=r - 1, start_column=col, end_row=r, end_column=col)
            else:
                ws.cell(row=r, column=1, value=int(no))
                ws.cell(row=r, column=2, value=title)
                ws.cell(row=r, column=3, value=dept)
                c = ws.cell(row=r, column=7, value=rate)
                c.number_format = '0.0%;"▲"0.0%'
                ws.cell(row=r, column=8, value=grade)
                ws.cell(row=r, column=9, value=f"X-{no}")
            c = ws.cell(row=r, column=4, value=content)
            c.alignment = Alignment(wrap_text=True)
            for col, v in ((5, plan), (6, actual)):
                c = ws.cell(row=r, column=col, value=v)
                c.number_format = '#,##0;"▲"#,##0'
            r += 1
        del first
        if band.startswith("基本方針1"):
            ws.cell(row=r, column=1, value=HIDDEN_NOTE)
            ws.row_dimensions[r].hidden = True
            r += 1
    ws.cell(row=r, column=1, value=FOOT)
    ws.column_dimensions["I"].hidden = True
    info = wb.create_sheet("公表")
    info["A1"] = DATE_LABEL
    info["B1"] = DATE
    info["B1"].number_format = "yyyy/m/d"
    hidden = wb.create_sheet("集計用")
    hidden["A1"] = "非表示シートの内容"
    hidden.sheet_state = "hidden"
    wb.properties.created = datetime.datetime(2024, 6, 28)
    wb.properties.modified = datetime.datetime(2024, 6, 28)
    wb.save(path)


def ods_cell(v, shown=None, kind="float"):
    if v is None or v == "":
        return "<table:table-cell/>"
    if isinstance(v, str):
        paras = "".join(f"<text:p>{esc(p)}</text:p>" for p in v.split("\n"))
        return f'<table:table-cell office:value-type="string">{paras}</table:table-cell>'
    shown = shown if shown is not None else str(v)
    return (f'<table:table-cell office:value-type="{kind}" office:value="{v}">'
            f"<text:p>{esc(shown)}</text:p></table:table-cell>")


def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def make_ods(path):
    """An .ods written by hand: a spanned band (covered cells), numbers and percentages stored as
    values with their displayed text, a hidden row, a hidden column and a hidden sheet."""
    hidden_col = '<table:table-cell office:value-type="string"><text:p>内部コード</text:p></table:table-cell>'
    rows_xml = []
    rows_xml.append(f"<table:table-row>{ods_cell(TITLE)}</table:table-row>")
    rows_xml.append(f"<table:table-row>{ods_cell(LEGEND)}</table:table-row>")
    rows_xml.append("<table:table-row>" + "".join(ods_cell(h) for h in HEADER) + hidden_col + "</table:table-row>")
    for band, items in SECTIONS:
        rows_xml.append(
            '<table:table-row><table:table-cell office:value-type="string" table:number-columns-spanned="8">'
            f"<text:p>{esc(band)}</text:p></table:table-cell>"
            '<table:covered-table-cell table:number-columns-repeated="7"/></table:table-row>'
        )
        for no, title, dept, content, plan, actual, rate, grade in items:
            cells = [
                ods_cell(int(no)) if no else "<table:table-cell/>",
                ods_cell(title or ""), ods_cell(dept or ""), ods_cell(content),
                ods_cell(plan, fmt_int(plan)), ods_cell(actual, fmt_int(actual)),
                ods_cell(rate, fmt_rate(rate), "percentage") if rate is not None else "<table:table-cell/>",
                ods_cell(grade or ""),
            ]
            rows_xml.append("<table:table-row>" + "".join(cells) + hidden_col + "</table:table-row>")
        if band.startswith("基本方針1"):
            rows_xml.append(f'<table:table-row table:visibility="collapse">{ods_cell(HIDDEN_NOTE)}</table:table-row>')
    rows_xml.append(f"<table:table-row>{ods_cell(FOOT)}</table:table-row>")
    rows_xml.append('<table:table-row table:number-rows-repeated="1048000"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>')
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        '<office:automatic-styles><style:style style:name="ta1" style:family="table">'
        '<style:table-properties table:display="true"/></style:style>'
        '<style:style style:name="ta2" style:family="table"><style:table-properties table:display="false"/>'
        "</style:style></office:automatic-styles>"
        '<office:body><office:spreadsheet><table:table table:name="取組状況" table:style-name="ta1">'
        '<table:table-column table:number-columns-repeated="8"/>'
        '<table:table-column table:visibility="collapse"/>'
        + "".join(rows_xml)
        + '</table:table><table:table table:name="集計用" table:style-name="ta2"><table:table-column/>'
        '<table:table-row><table:table-cell office:value-type="string"><text:p>非表示シートの内容</text:p>'
        "</table:table-cell></table:table-row></table:table>"
        "</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    stamp = (2024, 6, 28, 0, 0, 0)
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype", stamp), "application/vnd.oasis.opendocument.spreadsheet",
                   compress_type=zipfile.ZIP_STORED)
        z.writestr(zipfile.ZipInfo("content.xml", stamp), content, compress_type=zipfile.ZIP_DEFLATED)
        z.writestr(zipfile.ZipInfo("META-INF/manifest.xml", stamp), manifest, compress_type=zipfile.ZIP_DEFLATED)


def make_docx(path):
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    d = docx.Document()
    d.core_properties.created = datetime.datetime(2024, 6, 28)
    d.core_properties.modified = datetime.datetime(2024, 6, 28)
    d.add_heading(TITLE, level=1)
    d.add_paragraph(LEGEND)
    for band, items in SECTIONS:
        d.add_heading(band, level=2)
        for no, title, dept, content, plan, actual, rate, grade in items:
            if no is None:
                continue
            d.add_paragraph(f"({no})　{title}【担当：{dept}】")
            d.add_paragraph("【取組内容】")
            d.add_paragraph(content.split("\n")[0]).add_run().add_break()
            d.paragraphs[-1].add_run(content.split("\n")[1] if "\n" in content else "")
            d.add_paragraph(f"【評価】　{grade}")
            d.add_paragraph("効果額の内訳", style="List Number")
            d.add_paragraph("計画と実績", style="List Number")
            # a 3-row table: header with a merged cell, a vertically merged label
            t = d.add_table(rows=3, cols=3)
            t.cell(0, 0).text = "区分"
            t.cell(0, 1).merge(t.cell(0, 2)).text = "令和5年度"
            t.cell(1, 0).merge(t.cell(2, 0)).text = "効果額（千円）"
            t.cell(1, 1).text = "計画"
            t.cell(1, 2).text = fmt_int(plan)
            t.cell(2, 1).text = "実績"
            t.cell(2, 2).text = fmt_int(actual)
    hidden = d.add_paragraph()
    run = hidden.add_run("非表示の文字")
    rpr = run._r.get_or_add_rPr()
    rpr.append(OxmlElement("w:vanish"))
    d.add_paragraph(FOOT)
    del qn
    d.save(path)


def make_html(path):
    body = [f"<h1>{esc(TITLE)}</h1>", f"<p>{esc(LEGEND)}</p>", "<table border=1>", "<thead><tr>"]
    body += [f"<th>{esc(h)}</th>" for h in HEADER]
    body.append("</tr></thead><tbody>")
    for band, items in SECTIONS:
        body.append(f'<tr><td colspan="8">{esc(band)}</td></tr>')
        for i, (no, title, dept, content, plan, actual, rate, grade) in enumerate(items):
            span = ' rowspan="2"' if i + 1 < len(items) and items[i + 1][0] is None else ""
            cells = []
            if no is not None:
                cells += [f"<td{span}>{no}</td>", f"<td{span}>{esc(title)}</td>", f"<td{span}>{esc(dept)}</td>"]
            cells += [f"<td>{esc(content).replace(chr(10), '<br>')}</td>", f"<td>{fmt_int(plan)}</td>",
                      f"<td>{fmt_int(actual)}</td>"]
            if no is not None:
                cells += [f"<td{span}>{fmt_rate(rate)}</td>", f"<td{span}>{grade}</td>"]
            body.append("<tr>" + "".join(cells) + "</tr>")
    body.append("</tbody></table>")
    body.append(f'<p style="display:none">{esc(HIDDEN_NOTE)}</p>')
    body.append(f"<p>{esc(FOOT)}</p>")
    html = (
        '<!DOCTYPE html>\n<html lang="ja"><head><meta charset="utf-8"><title>取組状況</title>'
        "<style>td{border:1px solid}</style></head><body>\n" + "\n".join(body) + "\n</body></html>\n"
    )
    with open(path, "w", encoding="utf-8") as f:
        f.write(html)


def make_csv(path):
    import csv
    import io

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    for r in rows():
        w.writerow(r)
    with open(path, "wb") as f:
        f.write(buf.getvalue().encode("cp932"))


def eaw(s):
    import unicodedata
    return sum(2 if unicodedata.east_asian_width(c) in "WFA" else 1 for c in s)


def make_layout_text(path):
    """The table as `pdftotext -layout` would set it: columns padded with spaces (a wide or
    ambiguous-width character is two columns), a form feed before a second page."""
    table = [[c.replace("\n", "") for c in r] for r in rows() if len(r) > 1]
    widths = [max(eaw(r[i]) if i < len(r) else 0 for r in table) for i in range(8)]
    out = []
    for r in rows():
        if len(r) == 1:
            out.append(r[0])
            continue
        cells = [c.replace("\n", "") for c in r]
        line = ""
        for i, c in enumerate(cells):
            line += c + (" " * (widths[i] - eaw(c) + 3) if i + 1 < len(cells) else "")
        out.append(line.rstrip())
    # a blank line after the legend; the footnote on a second page
    text = "\n".join(out[:2]) + "\n\n" + "\n".join(out[2:-1]) + "\n\f" + out[-1] + "\n"
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def make_xls(path):
    """The .xlsx saved as Excel 97-2003 (BIFF8) by LibreOffice: the same hidden row, column and
    sheet, merged cells and number formats, in the older format."""
    import shutil
    import subprocess
    import tempfile

    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if not exe:
        raise SystemExit("soffice not found: apt-get install -y libreoffice-calc")
    src = os.path.join(OUT, "shirasagidai-r5.xlsx")
    with tempfile.TemporaryDirectory(prefix="make-xls-") as work:
        profile = os.path.join(work, "lo-profile")
        subprocess.run(
            [exe, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
             "--convert-to", "xls:MS Excel 97", "--outdir", work, src],
            check=True, stdout=subprocess.DEVNULL, timeout=300,
        )
        shutil.move(os.path.join(work, "shirasagidai-r5.xls"), path)


FORMS = {
    "xlsx": make_xlsx,
    "xls": make_xls,
    "ods": make_ods,
    "docx": make_docx,
    "html": make_html,
    "csv": make_csv,
    "layout.txt": make_layout_text,
}


def main():
    """Make every form, or only those named (`xls`, `layout.txt`, …); `xls` is made from the
    `.xlsx`, so make that first."""
    import sys

    names = sys.argv[1:] or list(FORMS)
    for n in names:
        if n not in FORMS:
            raise SystemExit(f"unknown form {n!r}; known: {', '.join(FORMS)}")
    os.makedirs(OUT, exist_ok=True)
    for n in names:
        FORMS[n](os.path.join(OUT, f"shirasagidai-r5.{n}"))


if __name__ == "__main__":
    main()
