//! Certificates: names, keys, building, reading.
