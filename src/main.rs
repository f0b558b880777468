use clap::Parser;

// Extraction allocates many small strings (two per token) and frees them per document;
// mimalloc serves that pattern much faster than the system allocator. Its `override` feature
// makes C's malloc/free mimalloc too: RocksDB error messages are allocated in C and freed by
// Rust (oxigraph's CString::from_raw), which must be the same allocator
// (tests/errors.rs).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let cli = actorgraph::cli::Cli::parse();
    match actorgraph::cli::run(cli) {
        Ok(code) => std::process::exit(code),
        Err(e) => {
            eprintln!("actorgraph: {e:#}");
            std::process::exit(2);
        }
    }
}
