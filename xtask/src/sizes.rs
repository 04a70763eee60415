//! Transfer sizes: raw, gzip -9 and brotli (quality 11), as a browser would download them.

use std::io::Write;
use std::path::Path;

use crate::Result;

pub struct SizeRow {
    pub name: String,
    pub raw: usize,
    pub gzip: usize,
    pub brotli: usize,
}

pub struct SizeReport {
    pub rows: Vec<SizeRow>,
}

pub fn measure(name: &str, path: &Path) -> Result<SizeRow> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(SizeRow {
        name: name.to_owned(),
        raw: bytes.len(),
        gzip: gzip_len(&bytes)?,
        brotli: brotli_len(&bytes)?,
    })
}

fn gzip_len(bytes: &[u8]) -> Result<usize> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    enc.write_all(bytes)?;
    Ok(enc.finish()?.len())
}

fn brotli_len(bytes: &[u8]) -> Result<usize> {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: 22,
        ..Default::default()
    };
    brotli::BrotliCompress(&mut &bytes[..], &mut out, &params)?;
    Ok(out.len())
}

fn kb(n: usize) -> String {
    format!("{:.1} KB", n as f64 / 1024.0)
}

impl SizeReport {
    pub fn print(&self) {
        eprintln!("\nsizes (raw / gzip / brotli):");
        for r in &self.rows {
            eprintln!(
                "  {:<24} {:>9} / {:>9} / {:>9}",
                r.name,
                kb(r.raw),
                kb(r.gzip),
                kb(r.brotli)
            );
        }
        let brotli = |names: &[&str]| -> usize {
            self.rows
                .iter()
                .filter(|r| names.contains(&r.name.as_str()))
                .map(|r| r.brotli)
                .sum()
        };
        eprintln!(
            "  the home's first view (embed.js, styles; its HTML depends on the data), brotli: {}",
            kb(brotli(&["embed.js", "widget styles"]))
        );
        eprintln!(
            "  the app, loaded when the member reaches for it (glue, main wasm, split.js), brotli: {}",
            kb(brotli(&["widget glue", "widget wasm", "widget split.js"]))
        );
    }
}
