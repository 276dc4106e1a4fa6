//! Operations: one function per cmdlet verb, over the store.
