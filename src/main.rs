use clap::Parser;

// Extraction allocates many small strings (two per token) and frees them per document;
// mimalloc serves that pattern much faster than the system allocator.
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
