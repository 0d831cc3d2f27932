use std::process::ExitCode;

fn main() -> ExitCode {
    borasen::cli::main()
}
