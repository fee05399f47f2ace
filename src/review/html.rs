//! The HTML of the review pages.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::{regions, Region};
use crate::model::{Item, Provenance, Report};
use crate::source::{PageGeometry, SourceDoc};

const STYLE: &str = "
body{font-family:sans-serif;margin:0;color:#222}
header{padding:8px 16px;background:#234;color:#fff}
header h1{font-size:18px;margin:0}
main{display:flex;gap:12px;padding:12px}
#cards{flex:0 0 44%;max-height:calc(100vh - 80px);overflow:auto}
#source{flex:1;max-height:calc(100vh - 80px);overflow:auto}
.item{border:1px solid #bbb;border-radius:6px;padding:6px 10px;margin:0 0 10px;cursor:pointer}
.item.on{border-color:#d60;box-shadow:0 0 0 2px #fc8}
.item h2{font-size:15px;margin:2px 0}
.item table{border-collapse:collapse;font-size:12px;width:100%}
.item td,.item th{border:1px solid #ddd;padding:2px 4px;vertical-align:top;text-align:left}
.src{color:#777;font-size:11px;white-space:nowrap}
.rating{background:#eef;padding:0 4px;border-radius:3px}
svg.page{background:#fff;border:1px solid #999;margin:0 0 12px;width:100%;height:auto}
svg.page text{fill:#222}
svg.page line{stroke:#888;stroke-width:.5}
rect.hl{fill:#f80;fill-opacity:0;stroke:none}
rect.hl.on{fill-opacity:.28;stroke:#d60;stroke-width:.8}
ol.lines{font-family:monospace;font-size:12px;white-space:pre-wrap}
ol.lines li.on{background:#fd9}
.diag{font-size:12px}
.diag.warning{color:#a50}.diag.error{color:#b00}
";

/// Selecting a card highlights its regions and scrolls the first into view.
const SCRIPT: &str = "
function pick(k){
 document.querySelectorAll('.on').forEach(function(e){e.classList.remove('on')});
 var card=document.getElementById('item-'+k); if(card){card.classList.add('on')}
 var first=null;
 document.querySelectorAll('[data-item=\"'+k+'\"]').forEach(function(e){e.classList.add('on'); if(!first){first=e}});
 if(first&&first.scrollIntoView){first.scrollIntoView({block:'center'})}
}
document.querySelectorAll('.item').forEach(function(c){c.addEventListener('click',function(){pick(c.dataset.k)})});
document.body.dataset.regions=String(document.querySelectorAll('[data-item]').length);
if(document.querySelector('.item')){pick(document.querySelector('.item').dataset.k)}
";

/// HTML-escape.
pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            _ => o.push(c),
        }
    }
    o
}

fn place(p: &Provenance) -> String {
    let mut s = match p.page {
        Some(pg) => format!("p.{pg} l.{}", p.line),
        None => format!("l.{}", p.line),
    };
    if let Some(c) = &p.cell {
        let _ = write!(s, " {c}");
    }
    esc(&s)
}

fn src_cell(p: Option<&Provenance>) -> String {
    match p {
        Some(p) => format!("<td class=\"src\">{}</td>", place(p)),
        None => "<td class=\"src\">—</td>".into(),
    }
}

fn card(k: usize, item: &Item, out: &mut String) {
    let _ = write!(
        out,
        "<section class=\"item\" id=\"item-{k}\" data-k=\"{k}\" data-id=\"{}\"><h2>{} {}</h2><div class=\"src\">{}</div>",
        esc(&item.id),
        esc(&item.id),
        esc(&item.title),
        place(&item.source)
    );
    out.push_str("<table>");
    let mut row = |label: &str, value: String, p: Option<&Provenance>| {
        let _ = write!(
            out,
            "<tr><th>{}</th><td>{value}</td>{}</tr>",
            esc(label),
            src_cell(p)
        );
    };
    if let Some(s) = &item.section {
        row("section", esc(s), None);
    }
    if let Some(d) = &item.department {
        row("department", esc(d), None);
    }
    if let Some(r) = &item.rating {
        let meaning = r
            .meaning
            .as_deref()
            .map(|m| format!(" ({})", esc(m)))
            .unwrap_or_default();
        let code = r.code.as_deref().unwrap_or("—");
        row(
            "rating",
            format!(
                "<span class=\"rating\">{}</span>{meaning} {}",
                esc(&r.text),
                esc(code)
            ),
            r.source.as_ref(),
        );
    }
    for f in &item.fields {
        let role = f.role.as_deref().unwrap_or("—");
        row(
            &format!("{} [{role}]", f.label),
            esc(&f.text).replace('\n', "<br>"),
            Some(&f.source),
        );
    }
    for f in &item.findings {
        row(
            &format!("finding {}", f.mark.as_deref().unwrap_or("")),
            esc(&f.text),
            f.source.as_ref(),
        );
    }
    for t in &item.targets {
        for v in &t.values {
            let num = v.number.map(|n| format!(" = {n}")).unwrap_or_default();
            row(
                &format!("{} {} ({})", t.name, v.label, v.kind.as_str()),
                format!(
                    "{}{num} {}",
                    esc(v.text.as_deref().unwrap_or("—")),
                    esc(t.unit.as_deref().unwrap_or(""))
                ),
                v.source.as_ref(),
            );
        }
    }
    for s in &item.schedule {
        row(
            &format!("schedule {}", s.label),
            esc(&s.text),
            s.source.as_ref(),
        );
    }
    for p in &item.progress {
        let year = p.fiscal_year.map(|y| format!(" {y}")).unwrap_or_default();
        if let Some(g) = &p.goal {
            row(&format!("goal{year}"), esc(g), p.goal_source.as_ref());
        }
        if let Some(st) = &p.status {
            row(
                &format!("status{year}"),
                format!("{} {}", esc(&st.text), st.code.as_str()),
                st.source.as_ref(),
            );
        }
    }
    out.push_str("</table></section>\n");
}

fn fmt1(v: f64) -> String {
    format!("{:.1}", v)
}

fn page_svg(pg: &PageGeometry, regions: &[&Region], out: &mut String) {
    let _ = write!(
        out,
        "<svg class=\"page\" id=\"page-{}\" data-page=\"{}\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {} {}\"><rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>",
        pg.page,
        pg.page,
        fmt1(f64::from(pg.width)),
        fmt1(f64::from(pg.height))
    );
    for r in &pg.rules {
        let [x0, y0, x1, y1] = r.map(f64::from);
        // A rule is a thin rectangle: draw its centre line.
        let (a, b, c, d) = if (x1 - x0) >= (y1 - y0) {
            let y = (y0 + y1) / 2.0;
            (x0, y, x1, y)
        } else {
            let x = (x0 + x1) / 2.0;
            (x, y0, x, y1)
        };
        let _ = write!(
            out,
            "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>",
            fmt1(a),
            fmt1(b),
            fmt1(c),
            fmt1(d)
        );
    }
    for g in &pg.glyphs {
        let [x0, _, x1, y1] = g.bbox.map(f64::from);
        let size = f64::from(g.size);
        let (x, y) = if g.vertical {
            ((x0 + x1) / 2.0 - size / 2.0, y1 - size * 0.12)
        } else {
            (x0, y1 - size * 0.12)
        };
        let _ = write!(
            out,
            "<text x=\"{}\" y=\"{}\" font-size=\"{}\">{}</text>",
            fmt1(x),
            fmt1(y),
            fmt1(size),
            esc(&g.text)
        );
    }
    for r in regions {
        if let Some([x0, y0, x1, y1]) = r.bbox {
            let _ = write!(
                out,
                "<rect class=\"hl\" data-item=\"{}\" data-kind=\"{}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>",
                r.item,
                r.kind,
                fmt1(x0 - 1.0),
                fmt1(y0 - 1.0),
                fmt1(x1 - x0 + 2.0),
                fmt1(y1 - y0 + 2.0)
            );
        }
    }
    out.push_str("</svg>\n");
}

fn lines_view(doc: &SourceDoc, regions: &[Region], out: &mut String) {
    let mut by_line: BTreeMap<u32, Vec<usize>> = BTreeMap::new();
    for r in regions {
        by_line.entry(r.line).or_default().push(r.item);
    }
    out.push_str("<ol class=\"lines\">");
    let text = doc.to_text();
    for (i, l) in text.lines().enumerate() {
        let n = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let mut items = by_line.get(&n).cloned().unwrap_or_default();
        items.dedup();
        let item_attr = items
            .first()
            .map(|k| format!(" data-item=\"{k}\""))
            .unwrap_or_default();
        let _ = write!(
            out,
            "<li id=\"line-{n}\" value=\"{n}\"{item_attr}>{}</li>",
            esc(&l.replace('\t', " │ "))
        );
    }
    out.push_str("</ol>\n");
}

/// The page of one report.
pub fn report_page(report: &Report, doc: &SourceDoc) -> String {
    let regions = regions(report);
    let title = report.title.as_deref().unwrap_or(&report.source.path);
    let mut out = String::with_capacity(64 * 1024);
    let _ = write!(
        out,
        "<!DOCTYPE html><html lang=\"ja\"><head><meta charset=\"utf-8\"><title>{}</title><style>{STYLE}</style></head><body>",
        esc(title)
    );
    let _ = write!(
        out,
        "<header><h1>{}</h1><div>{} · {} · {} · layout {} · {} items · {} diagnostics · <a style=\"color:#fff\" href=\"index.html\">index</a></div></header>",
        esc(title),
        esc(&report.source.path),
        esc(report.municipality.as_deref().unwrap_or("—")),
        report.fiscal_year.map(|y| y.to_string()).unwrap_or("—".into()),
        esc(&report.layout),
        report.items.len(),
        report.diagnostics.len()
    );
    out.push_str("<main><div id=\"cards\">");
    out.push_str("<h2 style=\"font-size:15px\">Diagnostics</h2><ul id=\"diagnostics\">");
    for (i, d) in report.diagnostics.iter().enumerate() {
        let target = match (d.page, d.line, doc.geometry.is_some()) {
            (Some(p), _, true) => format!("#page-{p}"),
            (_, Some(l), _) => format!("#line-{l}"),
            _ => String::new(),
        };
        let at = match (d.page, d.line) {
            (Some(p), Some(l)) => format!("p.{p} l.{l}"),
            (Some(p), None) => format!("p.{p}"),
            (None, Some(l)) => format!("l.{l}"),
            (None, None) => String::new(),
        };
        let link = if target.is_empty() {
            esc(&at)
        } else {
            format!("<a href=\"{target}\">{}</a>", esc(&at))
        };
        let sev = format!("{:?}", d.severity).to_lowercase();
        let _ = write!(
            out,
            "<li class=\"diag {sev}\" id=\"diag-{i}\" data-code=\"{}\">{sev} <b>{}</b> {link} {}{}</li>",
            esc(&d.code),
            esc(&d.code),
            d.item
                .as_deref()
                .map(|i| format!("item {} · ", esc(i)))
                .unwrap_or_default(),
            esc(&d.message)
        );
    }
    out.push_str("</ul>");
    for (k, item) in report.items.iter().enumerate() {
        card(k, item, &mut out);
    }
    out.push_str("</div><div id=\"source\">");
    match &doc.geometry {
        Some(geo) => {
            for pg in &geo.pages {
                let on_page: Vec<&Region> =
                    regions.iter().filter(|r| r.page == Some(pg.page)).collect();
                page_svg(pg, &on_page, &mut out);
            }
        }
        None => lines_view(doc, &regions, &mut out),
    }
    let _ = writeln!(out, "</div></main><script>{SCRIPT}</script></body></html>");
    out
}

/// A horizontal bar chart of counts, as inline SVG.
fn bar_chart(id: &str, title: &str, rows: &BTreeMap<String, BTreeMap<String, u32>>) -> String {
    let codes: Vec<String> = {
        let mut c: Vec<String> = rows.values().flat_map(|m| m.keys().cloned()).collect();
        c.sort();
        c.dedup();
        c
    };
    let palette = [
        "#2a7", "#7b4", "#fb3", "#f73", "#d33", "#48c", "#96c", "#999", "#5bb", "#c7a",
    ];
    let color = |code: &str| {
        let i = codes.iter().position(|c| c == code).unwrap_or(0);
        palette.get(i % palette.len()).copied().unwrap_or("#999")
    };
    let max: u32 = rows
        .values()
        .map(|m| m.values().sum())
        .max()
        .unwrap_or(1)
        .max(1);
    let (label_w, bar_w, row_h) = (300.0, 420.0, 18.0);
    let height = row_h * (rows.len() as f64 + 2.0) + 10.0;
    let mut s = format!(
        "<h2>{}</h2><svg class=\"chart\" id=\"{id}\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{}\" font-size=\"11\">",
        esc(title),
        label_w + bar_w + 60.0,
        height
    );
    for (i, (label, counts)) in rows.iter().enumerate() {
        let y = row_h * i as f64 + 4.0;
        let _ = write!(
            s,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
            label_w - 6.0,
            y + 12.0,
            esc(label)
        );
        let mut x = label_w;
        for (code, n) in counts {
            let w = bar_w * f64::from(*n) / f64::from(max);
            let _ = write!(
                s,
                "<rect class=\"bar\" data-row=\"{}\" data-code=\"{}\" data-count=\"{n}\" x=\"{}\" y=\"{y}\" width=\"{}\" height=\"{}\" fill=\"{}\"><title>{}: {} {n}</title></rect>",
                esc(label),
                esc(code),
                fmt1(x),
                fmt1(w),
                row_h - 4.0,
                color(code),
                esc(label),
                esc(code)
            );
            x += w;
        }
        let total: u32 = counts.values().sum();
        let _ = write!(
            s,
            "<text x=\"{}\" y=\"{}\">{total}</text>",
            fmt1(x + 4.0),
            y + 12.0
        );
    }
    // Legend.
    let y = row_h * rows.len() as f64 + 10.0;
    let mut x = label_w;
    for code in &codes {
        let _ = write!(
            s,
            "<rect x=\"{}\" y=\"{y}\" width=\"10\" height=\"10\" fill=\"{}\"/><text x=\"{}\" y=\"{}\">{}</text>",
            fmt1(x),
            color(code),
            fmt1(x + 13.0),
            y + 9.0,
            esc(code)
        );
        x += 14.0 + 7.0 * code.len() as f64;
    }
    s.push_str("</svg>");
    s
}

/// The index of a batch: one row per report, and rating counts per municipality, section and
/// fiscal year as charts. `reports` are (page file name, report); `failed` (input, error).
pub fn index_page(reports: &[(String, Report)], failed: &[(String, String)]) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html><html lang=\"ja\"><head><meta charset=\"utf-8\"><title>gyokaku review</title><style>{STYLE} table.idx{{border-collapse:collapse;font-size:13px;margin:12px}} table.idx td,table.idx th{{border:1px solid #ccc;padding:2px 6px}} h2{{font-size:15px;margin:12px}} svg.chart{{margin:0 12px}}</style></head><body><header><h1>gyokaku review: {} reports</h1></header>",
        reports.len()
    );
    out.push_str("<table class=\"idx\" id=\"reports\"><tr><th>report</th><th>municipality</th><th>fiscal year</th><th>layout</th><th>items</th><th>diagnostics</th></tr>");
    let mut by_muni: BTreeMap<String, BTreeMap<String, u32>> = BTreeMap::new();
    let mut by_section: BTreeMap<String, BTreeMap<String, u32>> = BTreeMap::new();
    let mut by_year: BTreeMap<String, BTreeMap<String, u32>> = BTreeMap::new();
    for (page, r) in reports {
        let _ = write!(
            out,
            "<tr><td><a href=\"{}\">{}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(page),
            esc(r.title.as_deref().unwrap_or(&r.source.path)),
            esc(r.municipality.as_deref().unwrap_or("—")),
            r.fiscal_year.map(|y| y.to_string()).unwrap_or("—".into()),
            esc(&r.layout),
            r.items.len(),
            r.diagnostics.len()
        );
        let muni = r.municipality.clone().unwrap_or_else(|| "—".into());
        let year = r
            .fiscal_year
            .map(|y| y.to_string())
            .unwrap_or_else(|| "—".into());
        for item in &r.items {
            let code = item
                .rating
                .as_ref()
                .map(|x| x.code.clone().unwrap_or_else(|| x.text.clone()))
                .unwrap_or_else(|| "none".into());
            let section = format!(
                "{} {}",
                muni,
                item.section.as_deref().map(short).unwrap_or("—".into())
            );
            for (map, key) in [
                (&mut by_muni, muni.clone()),
                (&mut by_section, section),
                (&mut by_year, year.clone()),
            ] {
                *map.entry(key).or_default().entry(code.clone()).or_insert(0) += 1;
            }
        }
    }
    out.push_str("</table>");
    if !failed.is_empty() {
        out.push_str("<h2>Not read</h2><ul id=\"failed\">");
        for (p, e) in failed {
            let _ = write!(out, "<li>{}: {}</li>", esc(p), esc(e));
        }
        out.push_str("</ul>");
    }
    out.push_str(&bar_chart(
        "by-municipality",
        "Ratings per municipality",
        &by_muni,
    ));
    out.push_str(&bar_chart("by-section", "Ratings per section", &by_section));
    out.push_str(&bar_chart("by-year", "Ratings per fiscal year", &by_year));
    out.push_str("</body></html>\n");
    out
}

/// A section heading cut to 24 characters.
fn short(s: &str) -> String {
    let mut t: String = s.chars().take(24).collect();
    if s.chars().count() > 24 {
        t.push('…');
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        let cases = [
            ("a<b>&\"'", "a&lt;b&gt;&amp;&quot;&#39;"),
            ("順調", "順調"),
            ("", ""),
        ];
        for (input, want) in cases {
            assert_eq!(esc(input), want);
        }
    }

    #[test]
    fn charts_have_one_bar_per_row_and_code() {
        let mut rows: BTreeMap<String, BTreeMap<String, u32>> = BTreeMap::new();
        rows.entry("霞野市".into())
            .or_default()
            .insert("on_track".into(), 3);
        rows.entry("霞野市".into())
            .or_default()
            .insert("behind".into(), 1);
        rows.entry("汐見町".into())
            .or_default()
            .insert("behind".into(), 2);
        let svg = bar_chart("c", "t", &rows);
        assert_eq!(svg.matches("class=\"bar\"").count(), 3);
        assert!(svg.contains("data-row=\"霞野市\" data-code=\"on_track\" data-count=\"3\""));
        assert!(svg.contains(">4</text>"), "{svg}");
    }
}
