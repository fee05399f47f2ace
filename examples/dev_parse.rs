fn main() {
    let path = std::env::args().nth(1).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    match gyokaku::parse_bytes(&bytes, &path, &gyokaku::Options::default()) {
        Ok(r) => print!("{}", gyokaku::emit::to_json(&r)),
        Err(e) => eprintln!("{e}"),
    }
}
