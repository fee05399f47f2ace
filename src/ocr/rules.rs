//! Ruling lines of a scanned page: long straight runs of dark pixels, found along the page's
//! skew, so that ruled tables of a scan become table cells as in a born-digital PDF.

use super::PageImage;

/// A ruling line in deskewed image pixels (y down).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PixelRule {
    pub x0: f32,
    pub y0: f32,
    pub x1: f32,
    pub y1: f32,
}

/// A gray image, one byte per pixel (0 black).
pub struct Gray {
    pub width: usize,
    pub height: usize,
    pub pixels: Vec<u8>,
}

impl Gray {
    /// Is the pixel at (x, y) ink (darker than mid-gray)? Outside the image is paper.
    pub fn dark(&self, x: i64, y: i64) -> bool {
        if x < 0 || y < 0 {
            return false;
        }
        let (x, y) = (x as usize, y as usize);
        x < self.width
            && y < self.height
            && self
                .pixels
                .get(y * self.width + x)
                .is_some_and(|&v| v < 128)
    }
}

impl Gray {
    /// Is the pixel at (x, y) ink: dark, with at least two dark neighbours of four (scan speckle
    /// is not)?
    pub fn is_ink(&self, x: i64, y: i64) -> bool {
        self.dark(x, y)
            && [(-1, 0), (1, 0), (0, -1), (0, 1)]
                .iter()
                .filter(|(dx, dy)| self.dark(x + dx, y + dy))
                .count()
                >= 2
    }

    /// The ink ([`Gray::is_ink`]) in an image box, in pixels.
    pub fn ink_in(&self, x0: f32, y0: f32, x1: f32, y1: f32) -> usize {
        let (x0, y0) = (x0.floor() as i64, y0.floor() as i64);
        let (x1, y1) = (x1.ceil() as i64, y1.ceil() as i64);
        let xs = x0.max(0)..x1.min(self.width as i64);
        (y0.max(0)..y1.min(self.height as i64))
            .map(|y| xs.clone().filter(|&x| self.is_ink(x, y)).count())
            .sum()
    }
}

/// Decode the page image to gray pixels: JPEG with zune-jpeg, PNM directly. Fax (TIFF) and
/// JPEG 2000 images give None (their tables are read from word positions).
pub fn decode_gray(image: &PageImage) -> Option<Gray> {
    match image.ext {
        "jpg" => {
            use zune_jpeg::zune_core::colorspace::ColorSpace;
            use zune_jpeg::zune_core::options::DecoderOptions;
            let opts = DecoderOptions::default()
                .jpeg_set_out_colorspace(ColorSpace::Luma)
                .set_max_width(20_000)
                .set_max_height(20_000);
            let mut d = zune_jpeg::JpegDecoder::new_with_options(image.bytes.as_slice(), opts);
            let pixels = d.decode().ok()?;
            let info = d.info()?;
            let (width, height) = (usize::from(info.width), usize::from(info.height));
            (pixels.len() == width * height).then_some(Gray {
                width,
                height,
                pixels,
            })
        }
        "pgm" | "pbm" | "ppm" => pnm_gray(&image.bytes),
        _ => None,
    }
}

/// PNM as written by the PDF reader (P4, P5 with maxval 255, P6) to gray.
fn pnm_gray(b: &[u8]) -> Option<Gray> {
    let text_end = b.len().min(64);
    let head = std::str::from_utf8(b.get(..text_end)?).ok().or_else(|| {
        // The header is ASCII; binary data follows it.
        let n = b.iter().take(64).position(|c| !c.is_ascii())?;
        std::str::from_utf8(b.get(..n)?).ok()
    })?;
    let mut parts = head.split_ascii_whitespace();
    let magic = parts.next()?;
    let width: usize = parts.next()?.parse().ok()?;
    let height: usize = parts.next()?.parse().ok()?;
    let fields = if magic == "P4" { 3 } else { 4 };
    // Offset of the data: after `fields` whitespace-separated tokens and one whitespace byte.
    let mut seen = 0;
    let mut i = 0;
    let mut in_token = false;
    while i < b.len() && seen < fields {
        let ws = b.get(i).is_some_and(u8::is_ascii_whitespace);
        if !ws && !in_token {
            in_token = true;
        } else if ws && in_token {
            in_token = false;
            seen += 1;
        }
        i += 1;
    }
    let data = b.get(i..)?;
    let pixels: Vec<u8> = match magic {
        "P5" => data.get(..width * height)?.to_vec(),
        "P6" => data
            .get(..width * height * 3)?
            .chunks_exact(3)
            .map(|p| {
                let s: u32 = p.iter().map(|&v| u32::from(v)).sum();
                u8::try_from(s / 3).unwrap_or(0)
            })
            .collect(),
        "P4" => {
            let row = width.div_ceil(8);
            let bits = data.get(..row * height)?;
            let mut out = Vec::with_capacity(width * height);
            for y in 0..height {
                for x in 0..width {
                    let byte = bits.get(y * row + x / 8).copied().unwrap_or(0);
                    out.push(if byte & (0x80 >> (x % 8)) != 0 {
                        0
                    } else {
                        255
                    });
                }
            }
            out
        }
        _ => return None,
    };
    Some(Gray {
        width,
        height,
        pixels,
    })
}

/// Horizontal and vertical ruling lines: runs of dark pixels, followed along the skew `slope` (taking a pixel either side)
/// about `centre`, with gaps of a few pixels bridged; neighbouring rows of one thick line give
/// one rule. Horizontal runs count from 1/25 of the image's width (at least 40 pixels); vertical
/// ones from 4.3 mm at `dpi` (12 pt: longer than a character's stroke, shorter than a one-line
/// table row), at least 24 pixels.
pub fn find_rules(g: &Gray, slope: f32, centre: (f32, f32), dpi: u32) -> Vec<PixelRule> {
    let min_len = (g.width / 25).max(40);
    let dark = |x: i64, y: i64| g.dark(x, y);
    let (cx, cy) = centre;
    // Horizontal: deskewed row y' meets original pixel (x, y' + slope·(x − cx)).
    let mut rows: Vec<(usize, usize, usize)> = Vec::new(); // (y', x0, x1)
    for yp in 0..g.height {
        runs(g.width, min_len, |x| {
            let y = (yp as f32 + slope * (x as f32 - cx)).round() as i64;
            // a pixel either side: a thin line drifts off the measured skew by a pixel or
            // two over a page's width
            dark(x as i64, y) || dark(x as i64, y - 1) || dark(x as i64, y + 1)
        })
        .into_iter()
        .for_each(|(a, b)| rows.push((yp, a, b)));
    }
    let mut cols: Vec<(usize, usize, usize)> = Vec::new(); // (x', y0, y1)
    let min_len_v = ((dpi as f32 * 0.17) as usize).max(24);
    for xp in 0..g.width {
        runs(g.height, min_len_v, |y| {
            let x = (xp as f32 - slope * (y as f32 - cy)).round() as i64;
            dark(x, y as i64) || dark(x - 1, y as i64) || dark(x + 1, y as i64)
        })
        .into_iter()
        .for_each(|(a, b)| cols.push((xp, a, b)));
    }
    // Runs are followed along the skew, but their ends are image pixels: the ends are turned
    // into deskewed coordinates too, so that rules meet where the page's lines meet.
    let mut out: Vec<PixelRule> = merge_adjacent(rows)
        .into_iter()
        .map(|(y, a, b)| {
            let shift = slope * (y - cy);
            PixelRule {
                x0: a as f32 + shift,
                y0: y,
                x1: b as f32 + shift,
                y1: y,
            }
        })
        .collect();
    // A vertical run shorter than 1/40 of the page's height (a long stroke of a large or bold
    // character is as long) is a rule only where it joins two horizontal rules: the side of a
    // one-line table row.
    let long_v = (g.height / 40).max(40) as f32;
    let verticals: Vec<PixelRule> = merge_adjacent(cols)
        .into_iter()
        .map(|(x, a, b)| {
            let shift = slope * (x - cx);
            PixelRule {
                x0: x,
                y0: a as f32 - shift,
                x1: x,
                y1: b as f32 - shift,
            }
        })
        .collect();
    let joins = |x: f32, y: f32| {
        let tol = 6.0;
        out.iter()
            .any(|h| (h.y0 - y).abs() <= tol && h.x0 - tol <= x && x <= h.x1 + tol)
    };
    let kept: Vec<PixelRule> = verticals
        .into_iter()
        .filter(|v| {
            v.y1 - v.y0 >= long_v
                || (measure_knob("shortv")
                    && joins(v.x0, v.y0)
                    && joins(v.x0, v.y1)
                    && (!measure_knob("clearsides") || clear_sides(g, v, slope, centre)))
        })
        .collect();
    out.extend(kept);
    out
}

/// Whether a vertical rule `v` (deskewed) has paper beside it: a ruling line is set apart from
/// the text of its cells by their padding, while the strokes of two characters that happen to
/// stand one above the other in a tightly set cell (`付` over `%`) make a dark run as long as a
/// row but have other strokes of their characters right beside them. Along the run (its ends,
/// where horizontal rules meet it, left out), the dark run through each pixel row is found and
/// the three pixels past either edge are looked at: in at most a quarter of the rows may they
/// hold ink.
fn clear_sides(g: &Gray, v: &PixelRule, slope: f32, (_, cy): (f32, f32)) -> bool {
    const ENDS: f32 = 4.0;
    const WIDEST: i64 = 8;
    const BESIDE: i64 = 3;
    let (y0, y1) = ((v.y0 + ENDS) as i64, (v.y1 - ENDS) as i64);
    if y1 <= y0 {
        return true;
    }
    let (mut rows, mut inked) = (0usize, 0usize);
    for y in y0..=y1 {
        let x = (v.x0 - slope * (y as f32 - cy)).round() as i64;
        // the run of the line through this row (it may be missing in a pixel row of a thin
        // line drawn a pixel aside: then its neighbours are looked at)
        let Some(mid) = [x, x - 1, x + 1].into_iter().find(|&x| g.dark(x, y)) else {
            continue;
        };
        let mut left = mid;
        while left > mid - WIDEST && g.dark(left - 1, y) {
            left -= 1;
        }
        let mut right = mid;
        while right < mid + WIDEST && g.dark(right + 1, y) {
            right += 1;
        }
        rows += 1;
        let beside = (2..=BESIDE + 1).any(|k| g.dark(left - k, y) || g.dark(right + k, y));
        inked += usize::from(beside);
    }
    4 * inked <= rows
}

/// Features of the OCR that can be switched off one by one to measure what each brings
/// (`GYOKAKU_OCR_OFF=second,reread,squares,shortv,percell,coverage,partly,marks,upscale,fragments,cellmarks,figures,hyphens,bars,noconf,homoglyphs,blocks,snap,smallclean,cutsides,clearsides,narrowloose,narrowchars,lonemarks,inkless,labels`);
/// all are on unless named there.
pub(crate) fn measure_knob(feature: &str) -> bool {
    static OFF: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    !OFF.get_or_init(|| {
        std::env::var("GYOKAKU_OCR_OFF")
            .unwrap_or_default()
            .split(',')
            .map(|s| s.trim().to_string())
            .collect()
    })
    .iter()
    .any(|f| f == feature)
}

/// The image with its ruling lines painted out: from each rule's centre line, dark pixels on
/// either side are whitened up to where the paper shows (at most `dpi / 40` pixels), so the
/// text that lines box in is left alone for the OCR's page segmentation.
pub fn erase_rules(
    g: &Gray,
    rules: &[PixelRule],
    slope: f32,
    centre: (f32, f32),
    dpi: u32,
) -> Gray {
    let mut out = Gray {
        width: g.width,
        height: g.height,
        pixels: g.pixels.clone(),
    };
    let reach = (dpi / 40).max(3) as i64;
    let (cx, cy) = centre;
    let whiten = |x: i64, y: i64, out: &mut Gray| -> bool {
        if x < 0 || y < 0 || x as usize >= out.width || y as usize >= out.height {
            return false;
        }
        let i = y as usize * out.width + x as usize;
        match out.pixels.get_mut(i) {
            Some(p) if *p < 160 => {
                *p = 255;
                true
            }
            _ => false,
        }
    };
    for r in rules {
        if r.y0 == r.y1 {
            // deskewed row y' meets image pixel (x, y' + slope·(x − cx))
            let shift = slope * (r.y0 - cy);
            let (a, b) = ((r.x0 - shift).floor() as i64, (r.x1 - shift).ceil() as i64);
            for x in a..=b {
                let y = (r.y0 + slope * (x as f32 - cx)).round() as i64;
                for dir in [-1i64, 1] {
                    let start = if dir < 0 { 0 } else { 1 };
                    for d in start..=reach {
                        if !whiten(x, y + dir * d, &mut out) {
                            break;
                        }
                    }
                }
            }
        } else {
            let shift = slope * (r.x0 - cx);
            let (a, b) = ((r.y0 + shift).floor() as i64, (r.y1 + shift).ceil() as i64);
            for y in a..=b {
                let x = (r.x0 - slope * (y as f32 - cy)).round() as i64;
                for dir in [-1i64, 1] {
                    let start = if dir < 0 { 0 } else { 1 };
                    for d in start..=reach {
                        if !whiten(x + dir * d, y, &mut out) {
                            break;
                        }
                    }
                }
            }
        }
    }
    out
}

/// The image enlarged `k` times (bilinear), for reading small print.
pub fn upscale(g: &Gray, k: usize) -> Gray {
    let k = k.max(1);
    let (w, h) = (g.width * k, g.height * k);
    let at = |x: usize, y: usize| -> f32 {
        f32::from(
            g.pixels
                .get(y.min(g.height.saturating_sub(1)) * g.width + x.min(g.width.saturating_sub(1)))
                .copied()
                .unwrap_or(255),
        )
    };
    let mut pixels = Vec::with_capacity(w * h);
    for y in 0..h {
        let sy = ((y as f32 + 0.5) / k as f32 - 0.5).max(0.0);
        let (y0, fy) = (sy.floor() as usize, sy.fract());
        for x in 0..w {
            let sx = ((x as f32 + 0.5) / k as f32 - 0.5).max(0.0);
            let (x0, fx) = (sx.floor() as usize, sx.fract());
            let top = at(x0, y0) * (1.0 - fx) + at(x0 + 1, y0) * fx;
            let bottom = at(x0, y0 + 1) * (1.0 - fx) + at(x0 + 1, y0 + 1) * fx;
            pixels.push((top * (1.0 - fy) + bottom * fy).round().clamp(0.0, 255.0) as u8);
        }
    }
    Gray {
        width: w,
        height: h,
        pixels,
    }
}

/// The image as a PGM file.
pub fn to_pgm(g: &Gray) -> Vec<u8> {
    let mut out = format!("P5\n{} {}\n255\n", g.width, g.height).into_bytes();
    out.extend_from_slice(&g.pixels);
    out
}

/// Runs of `dark` over 0..n at least `min_len` long, bridging gaps of up to 3 pixels.
fn runs(n: usize, min_len: usize, dark: impl Fn(usize) -> bool) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut last_dark = 0usize;
    for i in 0..n {
        if dark(i) {
            if start.is_none() {
                start = Some(i);
            }
            last_dark = i;
        } else if let Some(s) = start {
            if i - last_dark > 3 {
                if last_dark + 1 - s >= min_len {
                    out.push((s, last_dark + 1));
                }
                start = None;
            }
        }
    }
    if let Some(s) = start {
        if last_dark + 1 - s >= min_len {
            out.push((s, last_dark + 1));
        }
    }
    out
}

/// Runs on consecutive rows (or columns) that overlap are one line: its middle row and the
/// union of the runs.
fn merge_adjacent(mut runs: Vec<(usize, usize, usize)>) -> Vec<(f32, usize, usize)> {
    runs.sort_unstable();
    // Open groups: (first row, last row, x0, x1).
    let mut done: Vec<(f32, usize, usize)> = Vec::new();
    let mut open: Vec<(usize, usize, usize, usize)> = Vec::new();
    for (row, a, b) in runs {
        open.retain(|g| {
            if g.1 + 1 < row {
                done.push(((g.0 + g.1) as f32 / 2.0, g.2, g.3));
                false
            } else {
                true
            }
        });
        match open
            .iter_mut()
            .find(|g| g.1 + 1 >= row && g.2 < b && a < g.3)
        {
            Some(g) => {
                g.1 = row;
                g.2 = g.2.min(a);
                g.3 = g.3.max(b);
            }
            None => open.push((row, row, a, b)),
        }
    }
    done.extend(
        open.into_iter()
            .map(|g| ((g.0 + g.1) as f32 / 2.0, g.2, g.3)),
    );
    // A thick blob (a filled box, a photo) is not a rule.
    done
}

#[cfg(test)]
mod tests {
    use super::*;

    fn image(w: usize, h: usize, draw: &[(usize, usize, usize, usize)]) -> Gray {
        let mut pixels = vec![255u8; w * h];
        for &(x0, y0, x1, y1) in draw {
            for y in y0..y1 {
                for x in x0..x1 {
                    pixels[y * w + x] = 0;
                }
            }
        }
        Gray {
            width: w,
            height: h,
            pixels,
        }
    }

    #[test]
    fn grid_lines_are_found_once_each() {
        // A 3-pixel-thick box 400×200 and a short dash that is no rule.
        let g = image(
            600,
            400,
            &[
                (100, 100, 500, 103),
                (100, 297, 500, 300),
                (100, 100, 103, 300),
                (497, 100, 500, 300),
                (200, 350, 220, 352),
            ],
        );
        let mut got: Vec<(i32, i32, i32, i32)> = find_rules(&g, 0.0, (300.0, 200.0), 200)
            .iter()
            .map(|r| (r.x0 as i32, r.y0 as i32, r.x1 as i32, r.y1 as i32))
            .collect();
        got.sort();
        assert_eq!(
            got,
            vec![
                (100, 101, 500, 101),
                (100, 298, 500, 298),
                (101, 100, 101, 300),
                (498, 100, 498, 300)
            ]
        );
    }

    #[test]
    fn a_short_vertical_is_a_rule_only_between_two_horizontals() {
        // a one-line row (y 100..140) with sides 40 px tall, and a stroke as tall standing alone
        let g = image(
            600,
            2000,
            &[
                (100, 100, 500, 102),
                (100, 139, 500, 141),
                (100, 100, 102, 141),
                (300, 100, 302, 141),
                (300, 300, 302, 341),
            ],
        );
        let mut got: Vec<(i32, i32)> = find_rules(&g, 0.0, (300.0, 1000.0), 200)
            .iter()
            .filter(|r| r.x0 == r.x1)
            .map(|r| (r.x0 as i32, r.y0 as i32))
            .collect();
        got.sort();
        assert_eq!(got, vec![(100, 100), (300, 100)]);
    }

    #[test]
    fn a_skewed_line_is_one_rule() {
        // A line falling 1 pixel per 100 (y down), 2 pixels thick.
        let mut g = image(800, 200, &[]);
        for x in 50..750 {
            let y = 100 + (x - 50) / 100;
            g.pixels[y * 800 + x] = 0;
            g.pixels[(y + 1) * 800 + x] = 0;
        }
        let rules = find_rules(&g, 0.01, (400.0, 100.0), 200);
        assert_eq!(rules.len(), 1, "{rules:?}");
        assert!(rules[0].x1 - rules[0].x0 > 690.0, "{rules:?}");
    }

    #[test]
    fn a_skewed_box_has_its_corners_where_its_lines_meet() {
        // deskewed: rows y' 100 and 160 from x' 100 to 700, columns x' 120 and 600 between them;
        // drawn turned by a slope of 0.02 about (400, 130)
        let (slope, cx, cy) = (0.02f32, 400.0f32, 130.0f32);
        let mut g = image(800, 300, &[]);
        let mut put = |xs: f32, ys: f32| {
            let (x, y) = (xs - slope * (ys - cy), ys + slope * (xs - cx));
            for (dx, dy) in [(0, 0), (1, 0), (0, 1), (1, 1)] {
                let (x, y) = (x.round() as usize + dx, y.round() as usize + dy);
                g.pixels[y * 800 + x] = 0;
            }
        };
        for x in 100..=700 {
            put(x as f32, 100.0);
            put(x as f32, 160.0);
        }
        for y in 100..=160 {
            put(120.0, y as f32);
            put(600.0, y as f32);
        }
        let rules = find_rules(&g, slope, (cx, cy), 200);
        let near = |a: f32, b: f32| (a - b).abs() <= 2.5;
        let v: Vec<&PixelRule> = rules.iter().filter(|r| r.x0 == r.x1).collect();
        let h: Vec<&PixelRule> = rules.iter().filter(|r| r.y0 == r.y1).collect();
        assert_eq!((v.len(), h.len()), (2, 2), "{rules:?}");
        assert!(
            v.iter().all(|r| near(r.y0, 100.0) && near(r.y1, 161.0)),
            "{v:?}"
        );
        assert!(
            h.iter().all(|r| near(r.x0, 100.0) && near(r.x1, 701.0)),
            "{h:?}"
        );
    }

    #[test]
    fn runs_bridge_small_gaps() {
        let row: Vec<bool> = (0..100)
            .map(|i| (10..40).contains(&i) && i != 20 && i != 21)
            .collect();
        assert_eq!(runs(100, 25, |i| row[i]), vec![(10, 40)]);
        assert_eq!(runs(100, 31, |i| row[i]), vec![]);
    }

    #[test]
    fn erased_rules_leave_the_text_they_box_in() {
        // a horizontal rule 3 px thick at y 20..23 and a "glyph" block below it at y 30..40
        let mut g = image(100, 60, &[(0, 20, 100, 23), (40, 30, 50, 40)]);
        let rules = find_rules(&g, 0.0, (50.0, 30.0), 200);
        assert_eq!(rules.len(), 1, "{rules:?}");
        g = erase_rules(&g, &rules, 0.0, (50.0, 30.0), 200);
        let dark = |x: usize, y: usize| g.pixels[y * 100 + x] < 128;
        assert!((0..100).all(|x| (20..23).all(|y| !dark(x, y))), "rule left");
        assert!((40..50).all(|x| (30..40).all(|y| dark(x, y))), "text lost");
        assert!(to_pgm(&g).starts_with(b"P5\n100 60\n255\n"));
    }

    #[test]
    fn upscaling_doubles_and_blends() {
        let g = Gray {
            width: 2,
            height: 1,
            pixels: vec![0, 200],
        };
        let big = upscale(&g, 2);
        assert_eq!((big.width, big.height), (4, 2));
        // the outer pixels keep their value, the inner ones blend towards the neighbour
        assert_eq!(big.pixels, vec![0, 50, 150, 200, 0, 50, 150, 200]);
    }

    #[test]
    fn pnm_decodes_to_gray() {
        let cases: [(&[u8], Vec<u8>); 3] = [
            (b"P5\n2 1\n255\n\x10\x20", vec![0x10, 0x20]),
            (b"P6\n1 1\n255\n\x03\x06\x09", vec![6]),
            (b"P4\n3 1\n\xa0", vec![0, 255, 0]),
        ];
        for (bytes, want) in cases {
            let g = pnm_gray(bytes).expect("pnm");
            assert_eq!(g.pixels, want);
        }
    }
}
