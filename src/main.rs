use std::process::ExitCode;

/// mimalloc gives freed memory back to the system: with glibc's malloc, a burst
/// of connections (a lobby flood) left the process 20 MB larger for good, its
/// per-thread arenas never trimmed.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    borasen::cli::main()
}
