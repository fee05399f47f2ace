#!/usr/bin/env python3
"""Write the invented reports and profiles that exercise the keys of a profile of kind `inferred`
(fixtures/profiles/keys-*.txt, keys-*.toml) and the near-miss not-a-report fixtures
(fixtures/layouts/not-report-near-*.txt). Cells are separated by tabs.

Run from the repository root: python3 scripts/make-profile-fixtures.py
"""
from pathlib import Path

OUT = Path("fixtures")

# A table report whose ids (G01, G02 …) no built-in numbering scheme knows, under band rows of two
# nested section levels, with a two-row header whose value columns are named by words the lexicon
# does not know (到達), a column of ratings headed 評定, a 備考欄 column no rule maps, values with
# units inside (4.2万件, 8.5%) and a ▲ used as a mark, and a printed rating legend.
KEYS_TABLE = [
    "霧ヶ丘市行財政改革推進計画 進捗状況（令和3年度）",
    "",
    "整理番号\t取組項目\t担当課\t指標\t令和2年度\t\t令和3年度\t\t評定\t備考欄",
    "\t\t\t\t目標\t到達\t目標\t到達",
    "基本方針1 行政運営の効率化",
    "推進項目(1) 窓口業務の見直し",
    "G01\t窓口予約の導入\t市民課\t予約件数\t4.0万件\t4.2万件\t4.5万件\t4.6万件\tA\t土曜窓口も対象",
    "G02\t証明書のコンビニ交付\t市民課\t交付率\t8.0%\t8.5%\t10.0%\t9.1%\tB\t",
    "推進項目(2) 事務の電子化",
    "G03\t電子決裁の拡大\t総務課\t決裁件数\t2,000\t2,150\t2,500\t▲2,300\tA\t▲は見込み値",
    "基本方針2 財政基盤の強化",
    "推進項目(1) 歳入の確保",
    "G04\t使用料の見直し\t財政課\t改定施設数\t3\t3\t5\t4\tC\t",
    "",
    "評定\tA：計画どおり進んでいる\tB：やや遅れている\tC：遅れている",
]

KEYS_TABLE_PROFILE = """\
# The layout of keys-table.txt written down by hand: every key of a profile of kind "inferred".
id = "keys-table"
description = "G-numbered rows under 基本方針 and 推進項目 bands, yearly 目標/到達 columns"
kind = "inferred"
minus_marks = false

[[levels]]
pattern = '基本方針\\d+'
form = "prefix"
kind = "section"

[[levels]]
pattern = '推進項目[(（]\\d+[)）]'
form = "prefix"
kind = "section"

[[levels]]
pattern = 'G\\d{2}'
form = "cell"
kind = "item"

[[labels]]
label = "評定"
role = "rating"

[[columns]]
header = "令和2年度 › 到達"
role = "target.actual"

[[columns]]
header = ["令和3年度", "到達"]
role = "target.actual"

[[units]]
unit = "万件"

[[units]]
target = "改定施設数"
unit = "施設"

[[rating_scale]]
text = "A"
meaning = "順調"

[[rating_scale]]
text = "B"
meaning = "概ね順調"
"""

# Near misses: a table whose number column holds ids no scheme reads, and numbered lines with no
# content of a reform item.
NEAR_TABLE = [
    "霧ヶ丘市行財政改革推進計画 進捗状況（令和3年度）",
    "",
    "整理番号\t取組項目\t担当課\t評価",
    "G01\t窓口予約の導入\t市民課\tA",
    "G02\t証明書のコンビニ交付\t市民課\tB",
    "G03\t電子決裁の拡大\t総務課\tA",
    "G04\t使用料の見直し\t財政課\tC",
]

NEAR_LIST = [
    "霧ヶ丘市 市民ホール利用案内",
    "",
    "開館時間は午前9時から午後10時までです。",
    "1 大ホール",
    "2 小ホール",
    "3 会議室",
    "休館日は毎月第2月曜日です。",
    "利用の申込みは3か月前から受け付けます。",
]


def write(path: Path, lines):
    path.parent.mkdir(parents=True, exist_ok=True)
    text = lines if isinstance(lines, str) else "\n".join(lines) + "\n"
    path.write_text(text, encoding="utf-8")


def main():
    write(OUT / "profiles" / "keys-table.txt", KEYS_TABLE)
    write(OUT / "profiles" / "keys-table.toml", KEYS_TABLE_PROFILE)
    write(OUT / "layouts" / "not-report-near-table.txt", NEAR_TABLE)
    write(OUT / "layouts" / "not-report-near-list.txt", NEAR_LIST)


if __name__ == "__main__":
    main()
