//! `cargo run -p quanzi-openapi [FILE]`: writes the API document to FILE, or prints it.
//! (`cargo xtask build` writes it to `dist/public/api/v1/openapi.json` itself.)

use std::process::ExitCode;

fn main() -> ExitCode {
    let json = match quanzi_openapi::json() {
        Ok(json) => json,
        Err(e) => {
            eprintln!("quanzi-openapi: {e}");
            return ExitCode::FAILURE;
        }
    };
    let written = match std::env::args().nth(1) {
        Some(path) => std::fs::write(&path, json).map_err(|e| format!("{path}: {e}")),
        None => {
            println!("{json}");
            Ok(())
        }
    };
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("quanzi-openapi: {e}");
            ExitCode::FAILURE
        }
    }
}
