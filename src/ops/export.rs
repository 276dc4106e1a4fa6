//! `Export-ExchangeCertificate`: a PFX, a certificate or a pending request's PKCS#10.

use super::describe::rfc3339;
use super::find;
use super::get::store_warnings;
use crate::cert::inspect::CertificateInfo;
use crate::formats::pkcs12::{self, ExportItem};
use crate::model::{ExportAnswer, ExportFormat, ExportRequest};
use crate::platform::output_file;
use crate::{Code, Error, Result};
use time::OffsetDateTime;
use zeroize::Zeroizing;

/// `Export-ExchangeCertificate`: with a password, a PFX (key only when exportable); without, the
/// certificate alone; a pending request as its PKCS#10. With `file_name`, also written there
/// (the bytes or the text; a PFX's file readable by its owner only).
pub fn export(req: &ExportRequest, password: Option<&[u8]>) -> Result<ExportAnswer> {
    let answer = export_answer(req, password)?;
    if let Some(target) = &req.file_name {
        let mode = match answer.format {
            ExportFormat::Pkcs12 => output_file::OWNER_ONLY,
            _ => output_file::READABLE,
        };
        if target.binary_encoded {
            output_file::write(&target.path, &answer.file_data, mode)?;
        } else {
            output_file::write(&target.path, answer.text().as_bytes(), mode)?;
        }
    }
    Ok(answer)
}

fn export_answer(req: &ExportRequest, password: Option<&[u8]>) -> Result<ExportAnswer> {
    let (store, server, entry) = find(
        req.store_root.as_deref(),
        req.server.as_deref(),
        &req.thumbprint,
    )?;
    let thumb = entry.thumbprint.clone();
    let profile = req.encryption;
    let mut warnings = store_warnings(&store, &server, Some(&thumb));
    let Some(der) = &entry.certificate else {
        let csr = entry.request.as_deref().unwrap_or_default();
        if password.is_some() {
            warnings.push("A pending request exports as its PKCS#10, which holds no key: the password was not used".to_string());
        }
        return Ok(ExportAnswer {
            format: ExportFormat::CertificateRequest,
            file_data: Zeroizing::new(csr.to_vec()),
            warnings,
        });
    };
    let info = CertificateInfo::from_der(der)?;
    if OffsetDateTime::now_utc() > info.not_after && !req.force {
        return Err(Error::new(
            Code::Expired,
            format!("{thumb} expired on {}: renew it instead (Get-ExchangeCertificate -Thumbprint {thumb} | New-ExchangeCertificate), or repeat with -Force to export it anyway", rfc3339(info.not_after)),
        ));
    }
    let Some(password) = password else {
        return Ok(ExportAnswer {
            format: ExportFormat::Certificate,
            file_data: Zeroizing::new(der.clone()),
            warnings,
        });
    };
    if !entry.has_private_key {
        return Err(Error::new(Code::NoPrivateKey, format!("{thumb} has no private key, so there is nothing to protect with a password: export it without -Password to get the certificate alone")));
    }
    if !entry.metadata.private_key_exportable {
        return Err(Error::new(
            Code::NotExportable,
            format!("the private key of {thumb} is not exportable (PrivateKeyExportable False): export without -Password for the certificate alone, or make a new certificate with -PrivateKeyExportable $true"),
        ));
    }
    let key = server.private_key(&thumb)?.ok_or_else(|| {
        Error::new(
            Code::StoreCorrupt,
            format!("the private key file of {thumb} is missing: import the certificate again"),
        )
    })?;
    if password.is_empty() {
        warnings.push(
            "The PFX file is protected by an empty password: anyone with the file has the key"
                .to_string(),
        );
    }
    let pfx = pkcs12::write(
        &ExportItem {
            certificate_der: der,
            private_key_pkcs8: Some(key.pkcs8()),
            chain_der: &entry.chain,
            friendly_name: Some(&entry.metadata.friendly_name),
        },
        password,
        profile,
        pkcs12::DEFAULT_ITERATIONS,
    )?;
    Ok(ExportAnswer {
        format: ExportFormat::Pkcs12,
        file_data: Zeroizing::new(pfx),
        warnings,
    })
}
