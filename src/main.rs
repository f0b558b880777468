use clap::Parser;

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
