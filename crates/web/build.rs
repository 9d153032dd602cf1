//! Embeds the user guide's screenshots (docs/guide/<lang>/shots/*.png, taken by the browser
//! tests) so that the binary serves the guide with its pictures and needs no files beside it.

use std::fmt::Write;
use std::path::Path;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/guide");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut out = String::from(
        "/// (language, file name, PNG bytes) of every guide screenshot.\npub static SHOTS: &[(&str, &str, &[u8])] = &[\n",
    );
    for lang in ["zh-CN", "en"] {
        let dir = root.join(lang).join("shots");
        println!("cargo:rerun-if-changed={}", dir.display());
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        let mut files: Vec<_> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
        files.sort();
        for f in files.iter().filter(|f| f.extension().is_some_and(|e| e == "png")) {
            let name = f.file_name().and_then(|n| n.to_str()).expect("a file name");
            let path = f.canonicalize().expect("a screenshot");
            writeln!(out, "    ({lang:?}, {name:?}, include_bytes!({:?})),", path.display().to_string()).unwrap();
        }
    }
    out.push_str("];\n");
    let dest = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("guide_shots.rs");
    std::fs::write(dest, out).expect("write guide_shots.rs");
}
