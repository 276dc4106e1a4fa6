//! The one error type of the core. Each variant maps to one stable ABI code (docs/c-api.md).

use std::fmt;

/// Stable result codes of the C ABI. Numbers are never reused; retired ones stay reserved.
#[repr(i32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Code {
    /// Success.
    Ok = 0,
    // 1–99: caller errors.
    /// A required pointer argument was NULL.
    NullArgument = 1,
    /// A string argument was not valid UTF-8.
    InvalidUtf8 = 2,
    /// The request was not valid JSON or did not match the request's schema.
    InvalidJson = 3,
    /// A value in the request is not acceptable.
    InvalidArgument = 4,
    // 100s: parsing and formats.
    /// The data is damaged or truncated.
    MalformedData = 100,
    /// The data is in no format this library reads.
    UnknownFormat = 101,
    /// No data was given.
    EmptyData = 102,
    /// The password does not open the file.
    WrongPassword = 103,
    /// The file uses an algorithm or profile this library does not support.
    UnsupportedProfile = 104,
    // 200s: crypto and generation.
    /// A cryptographic operation failed.
    Crypto = 200,
    /// Key generation failed.
    KeyGeneration = 201,
    /// A private key does not match its certificate.
    KeyMismatch = 202,
    // 300s: the store.
    /// No certificate or request with that thumbprint on that server.
    NotFound = 300,
    /// A certificate with that thumbprint already exists on that server.
    AlreadyExists = 301,
    /// Another writer holds the store's lock.
    StoreLocked = 302,
    /// Reading or writing the store failed.
    StoreIo = 303,
    /// The store's files have unsafe or unusable permissions.
    StorePermissions = 304,
    /// A store entry is damaged.
    StoreCorrupt = 305,
    // 400s: policy refusals.
    /// The private key is not exportable.
    NotExportable = 400,
    /// The certificate is in use by a service.
    InUse = 401,
    /// The certificate has expired or is not yet valid.
    Expired = 402,
    /// The change needs the caller's confirmation (or Force).
    ConfirmationRequired = 403,
    /// The service assignment is refused.
    ServiceRefused = 404,
    /// The operation does not apply to a pending request.
    PendingRequest = 405,
    /// The certificate has no private key.
    NoPrivateKey = 406,
    // 500s: files the caller named (an export's FileName, an import's FileName).
    /// A file the caller named could not be read.
    FileNotReadable = 500,
    /// A file the caller named could not be written.
    FileNotWritten = 501,
    // 900s: the library itself.
    /// A bug in this library.
    Internal = 900,
    /// A panic was caught at the ABI boundary.
    Panic = 999,
}

impl Code {
    /// Every code, for tables and tests.
    pub const ALL: [Code; 30] = [
        Code::Ok,
        Code::NullArgument,
        Code::InvalidUtf8,
        Code::InvalidJson,
        Code::InvalidArgument,
        Code::MalformedData,
        Code::UnknownFormat,
        Code::EmptyData,
        Code::WrongPassword,
        Code::UnsupportedProfile,
        Code::Crypto,
        Code::KeyGeneration,
        Code::KeyMismatch,
        Code::NotFound,
        Code::AlreadyExists,
        Code::StoreLocked,
        Code::StoreIo,
        Code::StorePermissions,
        Code::StoreCorrupt,
        Code::NotExportable,
        Code::InUse,
        Code::Expired,
        Code::ConfirmationRequired,
        Code::ServiceRefused,
        Code::PendingRequest,
        Code::NoPrivateKey,
        Code::FileNotReadable,
        Code::FileNotWritten,
        Code::Internal,
        Code::Panic,
    ];

    /// The code for a number, if it is one.
    pub fn from_i32(n: i32) -> Option<Code> {
        Code::ALL.iter().copied().find(|c| *c as i32 == n)
    }

    /// The stable PascalCase name (the PowerShell ErrorId).
    pub fn name(self) -> &'static str {
        match self {
            Code::Ok => "Ok",
            Code::NullArgument => "NullArgument",
            Code::InvalidUtf8 => "InvalidUtf8",
            Code::InvalidJson => "InvalidJson",
            Code::InvalidArgument => "InvalidArgument",
            Code::MalformedData => "MalformedData",
            Code::UnknownFormat => "UnknownFormat",
            Code::EmptyData => "EmptyData",
            Code::WrongPassword => "WrongPassword",
            Code::UnsupportedProfile => "UnsupportedProfile",
            Code::Crypto => "Crypto",
            Code::KeyGeneration => "KeyGeneration",
            Code::KeyMismatch => "KeyMismatch",
            Code::NotFound => "NotFound",
            Code::AlreadyExists => "AlreadyExists",
            Code::StoreLocked => "StoreLocked",
            Code::StoreIo => "StoreIo",
            Code::StorePermissions => "StorePermissions",
            Code::StoreCorrupt => "StoreCorrupt",
            Code::NotExportable => "NotExportable",
            Code::InUse => "InUse",
            Code::Expired => "Expired",
            Code::ConfirmationRequired => "ConfirmationRequired",
            Code::ServiceRefused => "ServiceRefused",
            Code::PendingRequest => "PendingRequest",
            Code::NoPrivateKey => "NoPrivateKey",
            Code::FileNotReadable => "FileNotReadable",
            Code::FileNotWritten => "FileNotWritten",
            Code::Internal => "Internal",
            Code::Panic => "Panic",
        }
    }

    /// The PowerShell `ErrorCategory` that fits the code.
    pub fn category(self) -> &'static str {
        match self {
            Code::Ok => "NotSpecified",
            Code::NullArgument | Code::InvalidUtf8 | Code::InvalidJson | Code::InvalidArgument => {
                "InvalidArgument"
            }
            Code::MalformedData | Code::UnknownFormat | Code::EmptyData | Code::KeyMismatch => {
                "InvalidData"
            }
            Code::WrongPassword => "AuthenticationError",
            Code::UnsupportedProfile => "NotImplemented",
            Code::Crypto | Code::KeyGeneration => "InvalidResult",
            Code::NotFound => "ObjectNotFound",
            Code::AlreadyExists => "ResourceExists",
            Code::StoreLocked => "ResourceBusy",
            Code::StoreIo | Code::StoreCorrupt => "ReadError",
            Code::StorePermissions => "PermissionDenied",
            Code::NotExportable | Code::NoPrivateKey => "SecurityError",
            Code::InUse | Code::ConfirmationRequired | Code::PendingRequest => "InvalidOperation",
            Code::Expired => "InvalidOperation",
            Code::ServiceRefused => "InvalidOperation",
            Code::FileNotReadable => "ReadError",
            Code::FileNotWritten => "WriteError",
            Code::Internal | Code::Panic => "NotSpecified",
        }
    }
}

/// An error of the core: a stable code and a message that names the problem and the fix.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Error {
    /// The stable code.
    pub code: Code,
    /// What went wrong and what to do; never holds key material or passwords.
    pub message: String,
}

impl Error {
    /// An error with a code and a message.
    pub fn new(code: Code, message: impl Into<String>) -> Error {
        Error {
            code,
            message: message.into(),
        }
    }

    /// A caller error: a value that is not acceptable.
    pub fn invalid(message: impl Into<String>) -> Error {
        Error::new(Code::InvalidArgument, message)
    }

    /// A store I/O error, naming the path and the operation.
    pub fn io(what: &str, path: &std::path::Path, err: std::io::Error) -> Error {
        let code = match err.kind() {
            std::io::ErrorKind::PermissionDenied => Code::StorePermissions,
            _ => Code::StoreIo,
        };
        Error::new(code, format!("could not {what} {}: {err}", path.display()))
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

/// The core's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_names_are_unique() {
        let mut names = std::collections::HashSet::new();
        for c in Code::ALL.iter().skip(1) {
            assert_eq!(Code::from_i32(*c as i32), Some(*c));
            names.insert(c.name());
        }
        assert_eq!(names.len(), Code::ALL.len() - 1);
        assert_eq!(Code::from_i32(5), None);
    }
}
