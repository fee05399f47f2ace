#!/usr/bin/env python3
"""Make the held-out office reports in fixtures/heldout-office/.

Six invented progress reports of fictitious municipalities, each in the office form and layout
described in fixtures/heldout-office/README.md, with `NAME.expected.json`: the content a correct
reader extracts, written out from the same content tables below (ids, sections, titles,
departments, ratings with their legend meanings, labelled fields, targets).

Requirements (installs nothing itself): python3 with openpyxl and python-docx
(`pip install openpyxl python-docx`); the workbooks' `.xls` and `.ods` are the `.xlsx` saved by
LibreOffice (`soffice`), skipped with a note when it is missing. The HTML is written with the standard library. Name reports
to make only those: `scripts/make-heldout-office.py kusunodai-r6`. Output is deterministic (fixed
timestamps) so reruns give the same bytes where the libraries allow.
"""

import datetime
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "fixtures", "heldout-office")
STAMP = datetime.datetime(2024, 7, 1)


def expected(path, municipality, title, year, scale, items):
    """Write NAME.expected.json. `items`: dicts with id, title, department, rating (text),
    fields (label → text), and optionally section, parent, targets."""
    meanings = dict(scale)
    doc = {
        "municipality": municipality,
        "title": title,
        "fiscal_year": year,
        "rating_scale": [
            {"text": t, "meaning": m, "rank": i + 1} for i, (t, m) in enumerate(scale)
        ],
        "totals": [],
        "items": [
            {
                "id": it["id"],
                "parent": it.get("parent"),
                "section": it.get("section"),
                "title": it["title"],
                "department": it["department"],
                "rating": None
                if it.get("rating") is None
                else {"text": it["rating"], "meaning": meanings[it["rating"]]},
                "fields": it["fields"],
                "findings": [],
                "targets": it.get("targets", []),
                "schedule": [],
                "page": None,
            }
            for it in items
        ],
    }
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, indent=1)
        f.write("\n")


def stamp_workbook(wb):
    wb.properties.created = STAMP
    wb.properties.modified = STAMP


def number_of(text):
    digits = "".join(c for c in text if c.isdigit() or c == ".")
    return float(digits)


# --- kusunodai-r6: one row per item, two header rows, a legend on a second sheet -------------

def kusunodai(base):
    from openpyxl import Workbook
    from openpyxl.styles import Alignment

    title = "楠ノ台市行財政改革アクションプラン　令和6年度進行管理表"
    scale = [("◎", "目標を達成した"), ("○", "目標をおおむね達成した"), ("△", "目標を達成できなかった")]
    rows = [
        ("1", "窓口キャッシュレス決済の導入", "市民課", "キャッシュレス対応窓口数", "8窓口", "9窓口", "◎", ""),
        ("2", "公共施設予約の電子化", "生涯学習課", "電子予約の利用率", "45％", "41％", "○", "体育館は令和7年度に対応"),
        ("3", "ごみ収集ルートの見直し", "環境保全課", "収集車両の走行距離削減", "6,000km", "3,800km", "△", "委託業者との調整が長引いた"),
        ("4", "職員提案制度の活性化", "人事課", "職員提案件数", "60件", "72件", "◎", ""),
        ("5", "ふるさと納税の返礼品拡充", "商工観光課", "寄附額", "80,000千円", "76,500千円", "○", ""),
    ]
    wb = Workbook()
    ws = wb.active
    ws.title = "進行管理表"
    ws["A1"] = title
    ws.merge_cells("A1:H1")
    head = ["番号", "取組項目", "担当課", "成果指標", "令和6年度", None, "評価", "備考"]
    for c, h in enumerate(head, start=1):
        if h is not None:
            ws.cell(row=3, column=c, value=h)
    ws["E4"] = "目標"
    ws["F4"] = "実績"
    ws.merge_cells("E3:F3")
    for col in "ABCDGH":
        ws.merge_cells(f"{col}3:{col}4")
    for r, row in enumerate(rows, start=5):
        for c, v in enumerate(row, start=1):
            if v:
                cell = ws.cell(row=r, column=c, value=int(v) if c == 1 else v)
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    legend = wb.create_sheet("凡例")
    legend["A1"] = "評価の区分"
    for r, (t, m) in enumerate(scale, start=2):
        legend.cell(row=r, column=1, value=t)
        legend.cell(row=r, column=2, value=m)
    stamp_workbook(wb)
    wb.save(base + ".xlsx")
    items = []
    for no, name, dept, ind, goal, act, grade, note in rows:
        unit = "".join(c for c in goal if not (c.isdigit() or c in ",."))
        fields = {"評価": grade}
        if note:
            fields["備考"] = note
        items.append({
            "id": no, "title": name, "department": dept, "rating": grade, "fields": fields,
            "targets": [{
                "name": ind, "unit": unit,
                "values": [
                    {"kind": "goal", "fiscal_year": 2024, "text": goal, "number": number_of(goal)},
                    {"kind": "actual", "fiscal_year": 2024, "text": act, "number": number_of(act)},
                ],
            }],
        })
    expected(base + ".expected.json", "楠ノ台市", title, 2024, scale, items)


# --- karigahama-r5: one sheet per item, a form of merged label and value cells ---------------

def karigahama(base):
    from openpyxl import Workbook
    from openpyxl.styles import Alignment

    title = "雁ヶ浜町行政改革推進計画　令和5年度取組評価シート"
    scale = [("A", "計画どおり進んでいる"), ("B", "一部に遅れがある"), ("C", "大幅に遅れている")]
    sheets = [
        ("1", "電子決裁の全庁導入", "総務課", "起案から決裁までを電子で行い、紙の回覧をなくす。",
         "全ての課で電子決裁を始め、電子決裁率は92％となった。", "A", "添付資料の電子化を進める。"),
        ("2", "町税の口座振替の推進", "税務課", "納期内納付を増やすため、口座振替の申込みを勧める。",
         "申込書を納税通知書に同封し、振替率は58％となった。", "B", "若い世代の申込みが少ない。"),
        ("3", "保育所の民営化", "子育て支援課", "町立保育所2か所のうち1か所を民間に移す。",
         "移管先の公募に応募がなく、選定に至らなかった。", "C", "公募の条件を見直す。"),
        ("4", "公用車の共同利用", "管財課", "課ごとの公用車を集約し、予約して使う。",
         "12台を集約し、3台を廃止した。", "A", "予約システムの利用を定着させる。"),
    ]
    wb = Workbook()
    cover = wb.active
    cover.title = "表紙"
    cover["A1"] = title
    cover["A3"] = "評価の区分"
    for r, (t, m) in enumerate(scale, start=4):
        cover.cell(row=r, column=1, value=t)
        cover.cell(row=r, column=2, value=m)
    labels = ["取組番号", "取組項目", "担当課", "取組内容", "令和5年度の実績", "評価", "課題"]
    for no, name, dept, content, result, grade, issue in sheets:
        ws = wb.create_sheet(f"No.{no}")
        ws["A1"] = "取組評価シート"
        ws.merge_cells("A1:F1")
        values = [no, name, dept, content, result, grade, issue]
        for i, (label, value) in enumerate(zip(labels, values)):
            r = 3 + i
            ws.cell(row=r, column=1, value=label)
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=2)
            cell = ws.cell(row=r, column=3, value=int(value) if label == "取組番号" else value)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            ws.merge_cells(start_row=r, start_column=3, end_row=r, end_column=6)
    tally = wb.create_sheet("集計")
    tally["A1"] = "評価別件数"
    tally["A2"] = "A"
    tally["B2"] = 2
    tally.sheet_state = "hidden"
    stamp_workbook(wb)
    wb.save(base + ".xlsx")
    items = [
        {"id": no, "title": name, "department": dept, "rating": grade,
         "fields": {"取組内容": content, "令和5年度の実績": result, "評価": grade, "課題": issue}}
        for no, name, dept, content, result, grade, issue in sheets
    ]
    expected(base + ".expected.json", "雁ヶ浜町", title, 2023, scale, items)


# --- sawarabi-r4: items grouped by department in merged rows, hidden working columns ----------

def sawarabi(base):
    from openpyxl import Workbook
    from openpyxl.styles import Alignment

    title = "早蕨市行政経営改革プラン　令和4年度実施状況"
    scale = [("Ａ", "計画どおり"), ("Ｂ", "やや遅れ"), ("Ｃ", "遅れ")]
    groups = [
        ("総務課", [
            ("1", "会議資料のペーパーレス化", "庁内会議の資料をタブレットで配る。", "部長会議と課長会議で紙の配布をやめた。", "Ａ"),
            ("2", "文書保存の見直し", "保存年限を過ぎた文書を廃棄し、書庫を減らす。", "書庫2室のうち1室を会議室に改めた。", "Ａ"),
        ]),
        ("市民協働課", [
            ("3", "自治会への補助金の統合", "三つの補助金を一つの交付金にまとめる。", "自治会連合会と協議を始めた。", "Ｂ"),
        ]),
        ("都市整備課", [
            ("4", "市営住宅の管理委託", "入居者募集と修繕受付を民間に委託する。", "委託の仕様書を作成した。", "Ｂ"),
            ("5", "公園管理の地域委託", "身近な公園の清掃を地域の団体に委ねる。", "受託団体が見つからず、開始を延期した。", "Ｃ"),
        ]),
    ]
    wb = Workbook()
    ws = wb.active
    ws.title = "実施状況"
    ws["A1"] = title
    # column C and G are hidden working columns
    head = ["No.", "取組項目", "管理コード", "取組内容", "令和4年度の取組実績", "進捗", "集計区分"]
    for c, h in enumerate(head, start=1):
        ws.cell(row=3, column=c, value=h)
    r = 4
    for dept, rows in groups:
        if r > 4:
            # a hidden working row between the groups
            ws.cell(row=r, column=1, value="作業用：前年度からの繰越なし")
            ws.row_dimensions[r].hidden = True
            r += 1
        ws.cell(row=r, column=1, value=f"【{dept}】")
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=6)
        r += 1
        for no, name, content, result, grade in rows:
            vals = [int(no), name, f"K{int(no):03d}", content, result, grade, 1 if grade == "Ａ" else 0]
            for c, v in enumerate(vals, start=1):
                cell = ws.cell(row=r, column=c, value=v)
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            r += 1
    ws.cell(row=r + 1, column=1, value="進捗　Ａ：計画どおり　Ｂ：やや遅れ　Ｃ：遅れ")
    ws.column_dimensions["C"].hidden = True
    ws.column_dimensions["G"].hidden = True
    stamp_workbook(wb)
    wb.save(base + ".xlsx")
    items = []
    for dept, rows in groups:
        for no, name, content, result, grade in rows:
            items.append({"id": no, "title": name, "department": dept, "rating": grade,
                          "fields": {"取組内容": content, "令和4年度の取組実績": result, "進捗": grade}})
    expected(base + ".expected.json", "早蕨市", title, 2022, scale, items)


# --- tsurugaoka-r3: Word, numbered headings and a label | value table per item --------------

def docx_document():
    import docx

    d = docx.Document()
    d.core_properties.created = STAMP
    d.core_properties.modified = STAMP
    return d


def heading_numbering(d, formats):
    """Add a multi-level list to the document's numbering whose levels are shown as `formats`
    (`第%1`, `%2`, …; a level's number runs on under a new upper level) and return its numId."""
    from docx.oxml import parse_xml

    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    numbering = d.part.numbering_part.element
    run_on = '<w:lvlRestart w:val="0"/>'
    levels = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
        f'{run_on if i else ""}'
        f'<w:lvlText w:val="{fmt}"/><w:suff w:val="space"/></w:lvl>'
        for i, fmt in enumerate(formats)
    )
    numbering.insert(0, parse_xml(f'<w:abstractNum {ns} w:abstractNumId="90">'
                                  f'<w:multiLevelType w:val="multilevel"/>{levels}</w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num {ns} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    return "90"


def numbered(paragraph, num_id, level):
    """Number a paragraph by the list `num_id` at `level` (Word shows the label before it)."""
    from docx.oxml import parse_xml

    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    ppr = paragraph._p.get_or_add_pPr()
    ppr.append(parse_xml(f'<w:numPr {ns}><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>'))


def tsurugaoka(base):
    title = "鶴ヶ丘村行財政改革大綱　令和3年度実施状況報告"
    scale = [("Ａ", "順調に進んでいる"), ("Ｂ", "おおむね順調"), ("Ｃ", "遅れている")]
    sections = [
        ("第1　行政運営の見直し", [
            ("1", "窓口業務の民間委託", "住民課", "住民票の交付などの窓口業務を民間事業者に委託する。",
             "委託の範囲を定め、事業者の選定を終えた。", "Ａ"),
            ("2", "事務事業評価の実施", "企画課", "全ての事務事業を毎年度評価し、予算に反映する。",
             "評価表を改め、120事業を評価した。", "Ｂ"),
        ]),
        ("第2　財政の健全化", [
            ("3", "使用料の適正化", "財政課", "施設使用料を原価に基づいて見直す。",
             "原価計算を終え、改定案を議会に報告した。", "Ｂ"),
            ("4", "村有地の売却", "総務課", "利用予定のない村有地を売却する。",
             "入札を2回行ったが、落札者がなかった。", "Ｃ"),
        ]),
    ]
    d = docx_document()
    # the headings' numbers (第1, 1) are Word's list numbers, not typed
    num = heading_numbering(d, ["第%1", "%2"])
    d.add_heading(title, level=0)
    d.add_paragraph("評価の区分　" + "　".join(f"{t}：{m}" for t, m in scale))
    for sec, items in sections:
        numbered(d.add_heading(sec.split("　", 1)[1], level=1), num, 0)
        for no, name, dept, content, result, grade in items:
            numbered(d.add_heading(name, level=2), num, 1)
            t = d.add_table(rows=4, cols=2)
            t.style = "Table Grid"
            for i, (label, value) in enumerate(
                    [("担当課", dept), ("取組内容", content), ("令和3年度の実績", result), ("評価", grade)]):
                t.cell(i, 0).text = label
                t.cell(i, 1).text = value
    d.save(base + ".docx")
    items = []
    for sec, rows in sections:
        for no, name, dept, content, result, grade in rows:
            items.append({"id": no, "section": sec, "title": name, "department": dept, "rating": grade,
                          "fields": {"取組内容": content, "令和3年度の実績": result, "評価": grade}})
    expected(base + ".expected.json", "鶴ヶ丘村", title, 2021, scale, items)


# --- haginoura-r2: Word, one big table, the department merged down over its items -----------

def haginoura(base):
    title = "萩ノ浦町行政改革実施計画　令和2年度進捗状況"
    scale = [("Ａ", "完了"), ("Ｂ", "実施中"), ("Ｃ", "未着手")]
    groups = [
        ("総務課", [
            ("1", "例規集の電子化", "紙の例規集をやめ、インターネットで公開する。", "電子例規集を公開した。", "Ａ"),
            ("2", "時間外勤務の削減", "業務の平準化により時間外勤務を減らす。", "前年度より時間外勤務が8％減った。", "Ｂ"),
            ("3", "庁舎の照明のLED化", "本庁舎の照明を順次LEDに替える。", "1階と2階の照明を替えた。", "Ｂ"),
        ]),
        ("健康福祉課", [
            ("4", "検診の予約のオンライン化", "特定健診の予約をオンラインで受け付ける。", "予約システムの選定に至らなかった。", "Ｃ"),
            ("5", "介護認定事務の見直し", "認定調査の一部を委託する。", "調査の3割を委託した。", "Ｂ"),
        ]),
    ]
    d = docx_document()
    d.add_heading(title, level=0)
    d.add_paragraph("進捗の区分　" + "　".join(f"{t}：{m}" for t, m in scale))
    n = sum(len(rows) for _, rows in groups)
    t = d.add_table(rows=1 + n, cols=6)
    t.style = "Table Grid"
    for c, h in enumerate(["担当課", "番号", "取組項目", "取組内容", "実績", "進捗"]):
        t.cell(0, c).text = h
    r = 1
    for dept, rows in groups:
        first = r
        for no, name, content, result, grade in rows:
            for c, v in enumerate([no, name, content, result, grade], start=1):
                t.cell(r, c).text = v
            r += 1
        merged = t.cell(first, 0).merge(t.cell(r - 1, 0))
        merged.text = dept
    d.save(base + ".docx")
    items = []
    for dept, rows in groups:
        for no, name, content, result, grade in rows:
            items.append({"id": no, "title": name, "department": dept, "rating": grade,
                          "fields": {"取組内容": content, "実績": result, "進捗": grade}})
    expected(base + ".expected.json", "萩ノ浦町", title, 2020, scale, items)


# --- hiiragino-r5: a web page, an <h3> per item and a <dl> of labels -----------------------

def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def hiiragino(base):
    title = "柊野市行政改革推進計画　令和5年度の取組状況"
    scale = [("Ａ", "目標を上回った"), ("Ｂ", "目標どおり"), ("Ｃ", "目標を下回った")]
    items_in = [
        ("1", "市税のコンビニ納付", "納税課", "市税をコンビニエンスストアで納められるようにする。",
         "固定資産税と軽自動車税で始め、利用は全体の21％となった。", "Ａ"),
        ("2", "図書館の開館時間の延長", "中央図書館", "平日の開館を午後8時までにする。",
         "指定管理者と協議し、10月から延長した。", "Ｂ"),
        ("3", "補助金の終期の設定", "財政課", "全ての補助金に終期を定め、見直す。",
         "終期を定めた補助金は45件のうち30件にとどまった。", "Ｃ"),
        ("4", "オープンデータの公開", "情報政策課", "市が持つデータを利用しやすい形で公開する。",
         "人口や施設など18種類のデータを公開した。", "Ｂ"),
    ]
    body = [
        '<!DOCTYPE html>',
        '<html lang="ja"><head><meta charset="utf-8">',
        f"<title>{esc(title)}</title></head><body>",
        '<header><p class="site-name">柊野市公式ホームページ</p>'
        '<form><input type="search" placeholder="サイト内検索"></form></header>',
        '<nav><a href="/">トップ</a> &gt; <a href="/gyosei/">行政</a></nav>',
        f"<h1>{esc(title)}</h1>",
        "<h2>評価の区分</h2>",
        "<ul>" + "".join(f"<li>{t}：{esc(m)}</li>" for t, m in scale) + "</ul>",
    ]
    for no, name, dept, content, result, grade in items_in:
        body.append(f"<h3>{no}　{esc(name)}</h3>")
        body.append("<dl>")
        for label, value in [("担当課", dept), ("取組内容", content), ("令和5年度の実績", result), ("評価", grade)]:
            body.append(f"<dt>{label}</dt><dd>{esc(value)}</dd>")
        body.append("</dl>")
    body.append('<footer><p>このページに関するお問い合わせ：行政改革推進室</p></footer>')
    body.append("</body></html>")
    with open(base + ".html", "w", encoding="utf-8") as f:
        f.write("\n".join(body) + "\n")
    items = [
        {"id": no, "title": name, "department": dept, "rating": grade,
         "fields": {"取組内容": content, "令和5年度の実績": result, "評価": grade}}
        for no, name, dept, content, result, grade in items_in
    ]
    expected(base + ".expected.json", "柊野市", title, 2023, scale, items)


def also_saved_as(base):
    """The workbook `base.xlsx` saved by LibreOffice as Excel 97-2003 (`.xls`, BIFF8) and as
    OpenDocument (`.ods`): the same merged ranges and hidden rows, columns and sheets in the other
    workbook forms."""
    import shutil
    import subprocess
    import tempfile

    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if not exe:
        print(f"{base}: soffice not found, .xls and .ods not made (apt-get install -y libreoffice-calc)")
        return
    name = os.path.basename(base)
    with tempfile.TemporaryDirectory(prefix="make-heldout-office-") as work:
        profile = os.path.join(work, "lo-profile")
        for ext, filt in (("xls", "xls:MS Excel 97"), ("ods", "ods")):
            subprocess.run(
                [exe, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
                 "--convert-to", filt, "--outdir", work, base + ".xlsx"],
                check=True, stdout=subprocess.DEVNULL, timeout=300,
            )
            shutil.move(os.path.join(work, f"{name}.{ext}"), f"{base}.{ext}")


WORKBOOKS = {"kusunodai-r6", "karigahama-r5", "sawarabi-r4"}

REPORTS = {
    "kusunodai-r6": kusunodai,
    "karigahama-r5": karigahama,
    "sawarabi-r4": sawarabi,
    "tsurugaoka-r3": tsurugaoka,
    "haginoura-r2": haginoura,
    "hiiragino-r5": hiiragino,
}


def main():
    names = sys.argv[1:] or list(REPORTS)
    for n in names:
        if n not in REPORTS:
            raise SystemExit(f"unknown report {n!r}; known: {', '.join(REPORTS)}")
    os.makedirs(OUT, exist_ok=True)
    for n in names:
        REPORTS[n](os.path.join(OUT, n))
        if n in WORKBOOKS:
            also_saved_as(os.path.join(OUT, n))


if __name__ == "__main__":
    main()
