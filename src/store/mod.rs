//! The on-disk store (DESIGN §4).
