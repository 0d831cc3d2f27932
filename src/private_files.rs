//! The data folder holds names, phone numbers and addresses: only the account
//! that runs borasen may read it. Folders are 0700 and files 0600, whatever
//! the umask (SQLite gives its `-wal` and `-shm` files the database's mode).

use std::io;
use std::path::Path;

/// Creates `dir` (and its parents) and makes it private.
pub fn private_dir(dir: &Path) -> io::Result<()> {
    std::fs::create_dir_all(dir)?;
    set_mode(dir, 0o700)
}

/// Creates an empty private file at `path` unless one is there; an existing
/// file is made private.
pub fn private_file(path: &Path) -> io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(false);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)?;
    set_mode(path, 0o600)
}

/// Makes a file private if it exists.
pub fn restrict(path: &Path) -> io::Result<()> {
    match std::fs::metadata(path) {
        Ok(_) => set_mode(path, 0o600),
        Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(error) => Err(error),
    }
}

#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
}

#[cfg(not(unix))]
fn set_mode(_: &Path, _: u32) -> io::Result<()> {
    Ok(())
}
