//! `okhunt generate`: write the synthetic tenant to a file or stdout.

use crate::cli::GenerateArgs;
use anyhow::Context;
use flate2::Compression;
use flate2::write::GzEncoder;
use std::io::{BufWriter, Write};
use std::process::ExitCode;

pub fn run(args: &GenerateArgs) -> anyhow::Result<ExitCode> {
    let summary = match &args.out {
        Some(path) => {
            let file = std::fs::File::create(path)
                .with_context(|| format!("cannot create {}", path.display()))?;
            let gz = path.extension().is_some_and(|e| e == "gz");
            let mut out: Box<dyn Write> = if gz {
                Box::new(GzEncoder::new(
                    BufWriter::with_capacity(1 << 20, file),
                    Compression::default(),
                ))
            } else {
                Box::new(BufWriter::with_capacity(1 << 20, file))
            };
            let s = crate::generate::write_tenant(args, &mut out)?;
            out.flush()?;
            drop(out);
            eprintln!(
                "okhunt: wrote {} events ({} bytes of NDJSON) to {}",
                s.events,
                s.bytes,
                path.display()
            );
            s
        }
        None => {
            let stdout = std::io::stdout();
            let mut out = BufWriter::with_capacity(1 << 20, stdout.lock());
            let s = crate::generate::write_tenant(args, &mut out)?;
            out.flush()?;
            s
        }
    };
    tracing::info!(
        events = summary.events,
        bytes = summary.bytes,
        "generated tenant"
    );
    Ok(ExitCode::SUCCESS)
}
