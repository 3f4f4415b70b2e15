//! The `passerelle` binary: everything lives in the library; this only hands
//! the command line over to it.

fn main() -> std::process::ExitCode {
    passerelle::cli::main()
}
