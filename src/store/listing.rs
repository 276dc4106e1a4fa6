//! Listing a server's entries: the index as a cache, the generation as a seqlock.

use super::entry::Entry;
use super::files::{list_dir, read_optional};
use super::index::{self, Wanted};
use super::{atomic, ServerStore};
use crate::Result;
use std::time::Duration;

/// The listing cache of every entry (see `index`).
pub(super) const INDEX_FILE: &str = "index";

impl ServerStore {
    /// Every entry of the server. Entries come from the server's index where it has them
    /// (one file read instead of several per entry) and from their folders where it does not;
    /// the folders decide what exists. A listing is a snapshot: it is redone when an entry was
    /// added or removed while it ran (the server's generation moved, as in a seqlock); under
    /// constant writing it reads every folder. A stale index is rewritten for the next reader.
    /// Key-file permissions are checked on every listing, whatever the index says.
    pub fn list(&self) -> Result<Vec<Entry>> {
        let mut entries = self.list_snapshot_checked(Wanted::ALL)?;
        for e in entries.iter_mut().filter(|e| e.has_private_key) {
            e.key_file_exposed = self.exposed_key_file(&e.thumbprint);
        }
        Ok(entries)
    }

    /// The entries, their key files not yet judged (`list`, `list_judged`); those the index
    /// had carry only what `wanted` asks for.
    pub(super) fn list_snapshot_checked(&self, wanted: Wanted) -> Result<Vec<Entry>> {
        self.require_real_folders()?;
        self.list_snapshot(wanted)
    }

    fn list_snapshot(&self, wanted: Wanted) -> Result<Vec<Entry>> {
        for _ in 0..3 {
            let generation = self.generation();
            if generation % 2 == 1 {
                std::thread::sleep(Duration::from_millis(5));
                continue;
            }
            let (mut entries, stale) = self.list_once(Some(generation), wanted)?;
            // The index is rewritten from whole entries only: a pass that left parts out is
            // made again whole (rare: only after a change the index does not have yet).
            if stale && wanted != Wanted::ALL {
                entries = self.list_once(Some(generation), Wanted::ALL)?.0;
            }
            if self.generation() != generation {
                continue;
            }
            // Best effort: a reader that cannot write still gets its answer. Written after a
            // change, it carries a past generation and nobody uses it.
            if stale {
                let _ = atomic::replace_file(
                    &self.dir.join(INDEX_FILE),
                    &index::encode(generation, &entries),
                    atomic::PUBLIC_MODE,
                );
            }
            return Ok(entries);
        }
        Ok(self.list_once(None, wanted)?.0)
    }

    /// One pass over the entry folders, using the index only if it was made at `generation`;
    /// true when the index lacked something.
    fn list_once(&self, generation: Option<u64>, wanted: Wanted) -> Result<(Vec<Entry>, bool)> {
        let cached = match generation {
            // A cache: one that cannot be read (a symlink planted there ...) is not used, and
            // `path_warnings` names it.
            Some(g) => read_optional(&self.dir.join(INDEX_FILE))
                .ok()
                .flatten()
                .and_then(|b| index::decode_wanted(&b, wanted))
                .filter(|(made_at, _)| *made_at == g)
                .map(|(_, entries)| entries)
                .unwrap_or_default(),
            None => Default::default(),
        };
        let mut names: Vec<String> = list_dir(&self.certs_dir())?
            .into_iter()
            .filter(|n| !n.starts_with('.'))
            .collect();
        names.sort();
        // Both sorted by name: one walk through each, no look-ups.
        let mut stale = cached.len() != names.len();
        let mut cached = cached.into_iter().peekable();
        let mut out = Vec::with_capacity(names.len());
        for name in names {
            while cached.next_if(|e| e.thumbprint < name).is_some() {
                stale = true;
            }
            match cached.next_if(|e| e.thumbprint == name) {
                Some(e) => out.push(e),
                None => {
                    stale = true;
                    out.extend(self.read_entry(&name, &self.entry_dir(&name))?);
                }
            }
        }
        Ok((out, stale))
    }
}
