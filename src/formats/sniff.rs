//! (filled in by the requests work, issue 11)
