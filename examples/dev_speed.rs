fn main() {
    let path = std::env::args().nth(1).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    let n = 200;
    let t = std::time::Instant::now();
    for _ in 0..n {
        let r = gyokaku::parse_bytes(&bytes, &path, &gyokaku::Options::default()).unwrap();
        std::hint::black_box(gyokaku::emit::to_json(&r));
    }
    let s = t.elapsed().as_secs_f64();
    println!("{:.1} MB/s", (bytes.len() * n) as f64 / s / 1e6);
}
