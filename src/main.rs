//! `gyokaku`: command-line arguments → validated config → library → exit code.

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let code = match gyokaku::cli::Cli::parse().into_config() {
        Ok(config) => gyokaku::cli::run(config),
        Err(usage) => {
            gyokaku::cli::usage_error(&usage);
            2
        }
    };
    ExitCode::from(code)
}
