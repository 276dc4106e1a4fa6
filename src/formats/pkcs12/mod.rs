//! PKCS#12 (issue 12).
