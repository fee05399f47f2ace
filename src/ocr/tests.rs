use super::*;

fn word(line: u32, left: f32, top: f32, width: f32, text: &str, conf: f32) -> Word {
    Word {
        line: (1, 1, line),
        left,
        top,
        width,
        height: 20.0,
        conf,
        text: text.to_string(),
    }
}

#[test]
fn modes_parse() {
    let cases = [
        ("never", Ok(OcrMode::Never)),
        ("auto", Ok(OcrMode::Auto)),
        ("always", Ok(OcrMode::Always)),
    ];
    for (s, want) in cases {
        assert_eq!(s.parse::<OcrMode>(), want, "{s}");
    }
    assert!("sometimes".parse::<OcrMode>().is_err());
    assert_eq!(OcrMode::default(), OcrMode::Auto);
}

#[test]
fn tsv_words_are_read_and_cleaned() {
    let tsv = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n\
        1\t1\t0\t0\t0\t0\t0\t0\t2000\t3000\t-1\t\n\
        4\t1\t1\t1\t1\t0\t100\t100\t300\t25\t-1\t\n\
        5\t1\t1\t1\t1\t1\t100\t100\t60\t25\t91.5\t行 政\n\
        5\t1\t1\t1\t1\t2\t170\t100\t5\t25\t40.0\t|\n\
        5\t1\t1\t1\t2\t1\t100\t140\t40\t25\t88\t2021\n\
        5\t1\t1\t1\t2\t2\tx\t140\t40\t25\t88\tbad\n";
    let words = parse_tsv(tsv);
    let got: Vec<(&str, LineKey, f32, f32)> = words
        .iter()
        .map(|w| (w.text.as_str(), w.line, w.left, w.conf))
        .collect();
    assert_eq!(
        got,
        vec![
            ("行政", (1, 1, 1), 100.0, 91.5),
            ("2021", (1, 1, 2), 100.0, 88.0)
        ]
    );
}

#[test]
fn rule_bars_at_word_ends_are_taken_off() {
    // (text, left, width, height) → (kept, left, width)
    let cases = [
        ("|R4", 100.0, 30.0, 40.0, ("R4", 110.0, 20.0)),
        ("展開|", 100.0, 30.0, 40.0, ("展開", 100.0, 20.0)),
        ("|a|", 100.0, 30.0, 40.0, ("a", 110.0, 10.0)),
        ("R4", 100.0, 20.0, 40.0, ("R4", 100.0, 20.0)),
        ("a|b", 100.0, 30.0, 40.0, ("a|b", 100.0, 30.0)),
        // a box over more than was read: the bar takes a bar's width, not a third of it
        ("|R4", 1007.0, 181.0, 33.0, ("R4", 1015.25, 172.75)),
    ];
    for (text, left, width, height, (want, wl, ww)) in cases {
        let (t, l, w) = trim_rule_bars(text, left, width, height);
        assert_eq!((t.as_str(), l, w), (want, wl, ww), "{text}");
    }
}

#[test]
fn dashes_on_a_rule_are_dropped() {
    let rule = rules::PixelRule {
        x0: 0.0,
        y0: 200.0,
        x1: 1000.0,
        y1: 200.0,
    };
    let skew = cells::Skew {
        slope: 0.0,
        centre: (0.0, 0.0),
    };
    let flat = |text: &str, top: f32, height: f32| Word {
        height,
        ..word(1, 300.0, top, 30.0, text, 90.0)
    };
    let words = vec![
        word(1, 100.0, 100.0, 60.0, "行政", 90.0),
        word(1, 200.0, 100.0, 60.0, "改革", 90.0),
        // a piece of the rule read as a dash
        flat("ー", 198.0, 4.0),
        // a printed dash in a cell's middle
        flat("―", 150.0, 4.0),
        // a dash as tall as the text on the rule: a character
        flat("ー", 190.0, 20.0),
        // a word of letters on the rule
        flat("R4", 198.0, 4.0),
        // a rule piece boxed with the specks above it: the rule touches its bottom
        flat("ーー", 189.0, 10.0),
        // the same box clear of the rule
        flat("ーー", 170.0, 10.0),
        word(2, 100.0, 250.0, 60.0, "取組", 90.0),
        word(2, 200.0, 250.0, 60.0, "内容", 90.0),
    ];
    let kept: Vec<(String, f32)> = drop_rule_fragments(words, &[rule], skew, 300)
        .into_iter()
        .map(|w| (w.text, w.top))
        .collect();
    let want: Vec<(String, f32)> = [
        ("行政", 100.0),
        ("改革", 100.0),
        ("―", 150.0),
        ("ー", 190.0),
        ("R4", 198.0),
        ("ーー", 170.0),
        ("取組", 250.0),
        ("内容", 250.0),
    ]
    .iter()
    .map(|(t, y)| (t.to_string(), *y))
    .collect();
    assert_eq!(kept, want);
}

#[test]
fn clean_word_table() {
    let cases = [
        ("行 政 改 革", "行政改革"),
        ("|", ""),
        ("_.", ""),
        ("(1)", "(1)"),
        ("順調", "順調"),
        // a capital I read as a small l among capitals
        ("Alを活用した", "AIを活用した"),
        ("lCTの推進", "ICTの推進"),
        ("RPA・Al", "RPA・AI"),
        ("A l", "AI"),
        // a small l beside small letters, or with no capital beside it, stays
        ("Vol.2", "Vol.2"),
        ("10ml", "10ml"),
        ("Excel", "Excel"),
        ("l", "l"),
        ("Il", "II"),
    ];
    for (s, want) in cases {
        assert_eq!(clean_word(s), want, "{s}");
    }
}

#[test]
fn words_on_the_line_table() {
    // (bottom, height) of a word on a line whose baseline is at 100 and height 30
    let cases = [
        ((100.0, 30.0), true),
        ((112.0, 28.0), true),
        // a box drawn over two rows of a wrapped cell, from the line's top
        ((160.0, 90.0), true),
        // a word of the next row, run into the line
        ((140.0, 30.0), false),
        // a tall box that starts a row lower
        ((190.0, 90.0), false),
        // a loose box around the line's band: 12 above, 16 below
        ((116.0, 58.0), true),
        // a box over the line and the row below it, more than twice the line's height
        ((160.0, 75.0), false),
    ];
    for ((bottom, height), want) in cases {
        assert_eq!(
            on_line(bottom, height, false, 100.0, 30.0),
            want,
            "{bottom} {height}"
        );
    }
}

#[test]
fn a_narrow_word_boxed_tall_stays_on_its_line() {
    // (bottom, height, narrow) of a word on a line whose baseline is at 100 and height 20
    let cases = [
        // one character boxed from above the line to well below it, 2.1 × the line's height
        ((113.0, 42.0, true), true),
        // the same box around a wider text: it may span two rows
        ((113.0, 42.0, false), false),
        // narrow but starting below the line's top: the row below
        ((135.0, 42.0, true), false),
        // narrow and more than three times the line's height
        ((130.0, 65.0, true), false),
    ];
    for ((bottom, height, narrow), want) in cases {
        assert_eq!(
            on_line(bottom, height, narrow, 100.0, 20.0),
            want,
            "{bottom} {height} {narrow}"
        );
    }
}

#[test]
fn digit_groups_join_into_one_number() {
    let cases: [(Vec<Word>, Vec<&str>); 5] = [
        (
            vec![
                word(1, 100.0, 100.0, 20.0, "3,", 90.0),
                word(1, 128.0, 100.0, 30.0, "000", 80.0),
            ],
            vec!["3,000"],
        ),
        (
            vec![
                word(1, 100.0, 100.0, 30.0, "12,", 90.0),
                word(1, 138.0, 100.0, 40.0, "450,", 90.0),
                word(1, 186.0, 100.0, 30.0, "000", 90.0),
            ],
            vec!["12,450,000"],
        ),
        // a list of numbers: the second is not a digit group
        (
            vec![
                word(1, 100.0, 100.0, 20.0, "3,", 90.0),
                word(1, 128.0, 100.0, 20.0, "12", 90.0),
            ],
            vec!["3,", "12"],
        ),
        // far apart: two cells
        (
            vec![
                word(1, 100.0, 100.0, 20.0, "3,", 90.0),
                word(1, 300.0, 100.0, 30.0, "000", 90.0),
            ],
            vec!["3,", "000"],
        ),
        // another line
        (
            vec![
                word(1, 100.0, 100.0, 20.0, "3,", 90.0),
                word(2, 128.0, 140.0, 30.0, "000", 90.0),
            ],
            vec!["3,", "000"],
        ),
    ];
    for (words, want) in cases {
        let got = join_digit_groups(words);
        let texts: Vec<&str> = got.iter().map(|w| w.text.as_str()).collect();
        assert_eq!(texts, want);
    }
    let got = join_digit_groups(vec![
        word(1, 100.0, 100.0, 20.0, "3,", 90.0),
        word(1, 128.0, 100.0, 30.0, "000", 80.0),
    ]);
    assert_eq!(
        (got[0].left, got[0].width, got[0].conf),
        (100.0, 58.0, 80.0)
    );
}

#[test]
fn characters_share_the_word_box_and_the_line_baseline() {
    let page = layout_words(vec![
        word(1, 100.0, 100.0, 60.0, "行政", 90.0),
        word(1, 200.0, 102.0, 30.0, "改", 80.0),
    ]);
    let got: Vec<(&str, f32, f32)> = page
        .chars
        .iter()
        .map(|c| (c.text.as_str(), c.x.round(), c.w.round()))
        .collect();
    // Two words are too few to measure a skew: no rotation.
    assert_eq!(page.skew_degrees, 0.0);
    assert_eq!(
        got,
        vec![
            ("行", 100.0, 30.0),
            ("政", 130.0, 30.0),
            ("改", 200.0, 30.0)
        ]
    );
    let ys: Vec<f32> = page.chars.iter().map(|c| c.y).collect();
    assert!(ys.iter().all(|y| (y - ys[0]).abs() < 0.01), "{ys:?}");
    assert_eq!(page.words, 2);
    // (90·2 + 80·1) / 3
    assert!(
        (page.confidence - 86.666_67).abs() < 0.01,
        "{}",
        page.confidence
    );
}

#[test]
fn skew_is_measured_and_removed() {
    // A line of five words rising 1 pixel per 100 (0.57°) to the right, y down.
    let words: Vec<Word> = (0..5)
        .map(|i| {
            let x = 100.0 + 200.0 * i as f32;
            word(1, x, 500.0 - 0.01 * x, 40.0, "字", 95.0)
        })
        .chain((0..5).map(|i| {
            let x = 100.0 + 200.0 * i as f32;
            let mut w = word(2, x, 600.0 - 0.01 * x, 40.0, "字", 95.0);
            w.line = (1, 1, 2);
            w
        }))
        .collect();
    let page = layout_words(words);
    assert!(
        (page.skew_degrees - 0.573).abs() < 0.01,
        "{}",
        page.skew_degrees
    );
    // After the correction both lines are level and 100 pixels apart.
    let mut ys: Vec<i32> = page.chars.iter().map(|c| c.y.round() as i32).collect();
    ys.dedup();
    assert_eq!(ys.len(), 2, "{ys:?}");
    assert!((ys[1] - ys[0] - 100).abs() <= 1, "{ys:?}");
}

#[test]
fn missing_program_says_what_to_install() {
    match probe(Path::new("/nonexistent/tesseract-for-a-test")) {
        Engine::Missing(why) => {
            assert!(
                why.contains("apt-get install tesseract-ocr tesseract-ocr-jpn"),
                "{why}"
            )
        }
        Engine::Ready { .. } => panic!("a missing program is not ready"),
    }
}

#[test]
fn figures_are_digits_with_their_separators() {
    let cases = [
        ("3,000", true),
        ("▲4,600", true),
        ("12,000", true),
        ("8.5%", true),
        ("30", true),
        // one digit, words, dashes, an id
        ("6,", false),
        ("5", false),
        ("ー", false),
        ("令和3年度", false),
        ("A-1", false),
        ("", false),
    ];
    for (text, want) in cases {
        assert_eq!(super::cells::is_figure(text), want, "{text}");
    }
}

#[test]
fn word_gaps_are_measured_on_each_text_line() {
    // Words 20 pixels tall (font size 20 / 0.9), two characters wide; each line's gaps between
    // neighbouring words in font sizes.
    let size = 20.0 / 0.9;
    let line_of = |line: u32, gaps: &[f32]| -> Vec<Word> {
        let at = |left: f32| word(line, left, 40.0 * line as f32, 2.0 * size, "改革", 90.0);
        let mut left = 100.0;
        let mut out = vec![at(left)];
        for g in gaps {
            left += 2.0 * size + g * size;
            out.push(at(left));
        }
        out
    };
    let mut many = vec![0.25; 99];
    many.push(1.2);
    // (case, lines' gaps, word gap)
    let cases: [(&str, Vec<Vec<f32>>, f32); 6] = [
        ("nothing read", vec![], 0.0),
        ("one word a line", vec![vec![], vec![]], 0.0),
        ("even gaps", vec![vec![0.2; 9]], 0.2),
        ("the widest few are not word spacing", vec![many], 0.25),
        (
            "a column gap is not measured",
            vec![vec![0.3, 0.3, 2.0]],
            0.3,
        ),
        ("lines apart", vec![vec![0.1, 0.1], vec![0.4, 0.4]], 0.4),
    ];
    for (what, lines, want) in cases {
        let words: Vec<Word> = lines
            .iter()
            .enumerate()
            .flat_map(|(i, gaps)| line_of(i as u32 + 1, gaps))
            .collect();
        let got = layout_words(words).word_gap;
        assert!((got - want).abs() < 1e-3, "{what}: {got} against {want}");
    }
}

#[test]
fn lines_of_one_print_share_the_pages_text_size() {
    // Three lines of 20-pixel print (the page's), then a line under test: its words' heights,
    // widths and texts, and the size (× 0.9, the box height it is set at) its characters get.
    let cases: &[(&str, f32, f32, &str, f32)] = &[
        // a row read again enlarged comes back a sixth taller: the page's size
        ("reread row", 23.5, 60.0, "行政改", 20.0),
        // a third taller: another print, kept
        ("larger print", 27.0, 81.0, "行政改", 27.0),
        // a two-digit box 40 tall and 16 wide: no wider than at 20 pixels, so the page's print
        ("loose box", 40.0, 16.0, "39", 20.0),
        // a heading twice the size, as wide as its height says: kept
        ("heading", 40.0, 80.0, "改革", 40.0),
    ];
    for &(name, height, width, text, want) in cases {
        let mut words: Vec<Word> = (0..3)
            .map(|i| word(i + 1, 100.0, 100.0 + 40.0 * i as f32, 60.0, "行政改", 95.0))
            .collect();
        let mut w = word(9, 400.0, 300.0, width, text, 95.0);
        w.height = height;
        words.push(w);
        let page = layout_words(words);
        let sizes: Vec<f32> = page
            .chars
            .iter()
            .filter(|c| c.x >= 400.0)
            .map(|c| (c.size * 0.9 * 10.0).round() / 10.0)
            .collect();
        assert!(
            !sizes.is_empty() && sizes.iter().all(|s| (s - want).abs() < 0.01),
            "{name}: {sizes:?}"
        );
    }
}
