//! Text that comes from outside: the one lenient Base64 decoder every reader uses.

use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};

/// Base64 decoder that takes input with or without `=` padding (both occur in the wild).
pub(crate) const LENIENT_BASE64: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// A control character as it is shown instead of itself: `\x1B` for ESC. C0 controls, DEL and
/// the C1 controls (U+0080–U+009F) from imported files never reach a terminal or a log raw.
pub fn escaped_control(c: char) -> Option<String> {
    let code = c as u32;
    (code < 0x20 || (0x7f..=0x9f).contains(&code)).then(|| format!("\\x{code:02X}"))
}
