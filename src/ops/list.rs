//! `Get-ExchangeCertificate` without a thumbprint: filtered, ordered listings.

use super::describe::{describe_chain, trust, Trust};
use super::get::expiry_warnings;
use super::DEFAULT_EXPIRY_WARNING_DAYS;
use crate::cert::chain::{Pool, VerifiedIssuers};
use crate::cert::normalize_thumbprint;
use crate::model::{ExchangeCertificate, ListAnswer, ListRequest};
use crate::revocation::Unchecked;
use crate::store::{ServerStore, Store, Wanted, MAX_REMEMBERED_SIGNATURES};
use crate::Result;

/// `Get-ExchangeCertificate` without a thumbprint: every entry of one server (or of all, with
/// `Server = "*"`), filtered, CA-issued before self-signed, newest first.
pub fn list_certificates(req: &ListRequest) -> Result<ListAnswer> {
    list_certificates_wanting(req, Wanted::ALL)
}

/// As `list_certificates`, for an answer that shows only some properties: what `wanted` leaves
/// out is left empty in the certificates (never the CN or DNS names when a domain filter needs
/// them).
pub fn list_certificates_wanting(req: &ListRequest, shown: Wanted) -> Result<ListAnswer> {
    let store = Store::open(req.store_root.as_deref())?;
    let servers = match req.server.as_deref().map(str::trim) {
        Some("*") => store.servers()?,
        other => vec![store.server(other)?],
    };
    let mut anchors = trust(&store)?;
    anchors.verified = VerifiedIssuers::remembering(store.remembered_signatures());
    let days = req
        .expiry_warning_days
        .unwrap_or(DEFAULT_EXPIRY_WARNING_DAYS);
    let wanted = req
        .thumbprint
        .as_deref()
        .map(normalize_thumbprint)
        .transpose()?;
    let patterns: Vec<String> = req
        .domain_name
        .iter()
        .map(|d| d.trim().to_ascii_lowercase())
        .collect();
    let shown = Wanted {
        names: shown.names || !patterns.is_empty(),
        ..shown
    };
    let mut warnings = store.permission_warnings();
    let anchors = &anchors;
    let pool = Pool::new(&anchors.intermediates);
    let filter = Filter {
        days,
        wanted: wanted.as_deref(),
        patterns: &patterns,
        expiring_within_days: req.expiring_within_days,
        shown,
        now: time::OffsetDateTime::now_utc(),
    };
    // The servers are independent: two threads (the machines excert runs on have at least
    // two cores) each take every other server; the answer keeps the servers' order.
    let per_server: Vec<Result<Listed>> = if servers.len() > 1 {
        let halves = std::thread::scope(|scope| {
            let second = scope.spawn(|| {
                let odd = servers.iter().skip(1).step_by(2);
                odd.map(|s| list_server(s, &filter, anchors, &pool))
                    .collect::<Vec<_>>()
            });
            let even = servers.iter().step_by(2);
            let even: Vec<_> = even
                .map(|s| list_server(s, &filter, anchors, &pool))
                .collect();
            (even, second.join())
        });
        let (even, odd) = match halves {
            (even, Ok(odd)) => (even, odd),
            (_, Err(panic)) => std::panic::resume_unwind(panic),
        };
        let mut odd = odd.into_iter();
        even.into_iter()
            .flat_map(|e| std::iter::once(e).chain(odd.next()))
            .collect()
    } else {
        servers
            .iter()
            .map(|s| list_server(s, &filter, anchors, &pool))
            .collect()
    };
    // Grown, not sized to the total: an exact 10,000-object vector left the heap of a process
    // that lists again 2 MB larger (glibc's mmap threshold; bench/list_bench's peak RSS).
    let mut out = Vec::new();
    for listed in per_server {
        let (certificates, found) = listed?;
        warnings.extend(found);
        out.extend(certificates);
    }
    warnings.extend(crate::revocation::apply(
        &mut out,
        &store.revocation_cache(),
        req.revocation,
    ));
    if let Some(keys) = anchors.verified.to_remember(MAX_REMEMBERED_SIGNATURES) {
        store.remember_signatures(&keys);
    }
    let mut out: Vec<_> = out.into_iter().map(|(c, _)| c).collect();
    // By a plain key, then one move each: sorting the large objects themselves moved each many
    // times, and comparing `OffsetDateTime`s (offsets normalised each time) cost as much again.
    // (In place: ordering into a second vector held two copies of the answer at its peak.)
    out.sort_by_cached_key(|c| {
        let newest_first = std::cmp::Reverse(c.not_before.unix_timestamp_nanos());
        (c.is_self_signed, newest_first)
    });
    warnings.extend(expiry_warnings(&out));
    Ok(ListAnswer {
        warnings,
        certificates: out,
    })
}

/// What a listing keeps of each server's entries.
struct Filter<'a> {
    days: u32,
    wanted: Option<&'a str>,
    patterns: &'a [String],
    expiring_within_days: Option<u32>,
    /// What the answer shows of each certificate.
    shown: Wanted,
    /// The time every certificate's dates are judged against: one for the whole listing.
    now: time::OffsetDateTime,
}

/// One server's certificates that pass the filter, each with its trusted path still to be
/// checked for revocation, and the warnings about the server's paths.
type Listed<'t> = (Vec<(ExchangeCertificate, Unchecked<'t>)>, Vec<String>);

fn list_server<'t>(
    server: &ServerStore,
    filter: &Filter<'_>,
    trust: &'t Trust,
    pool: &Pool<'t>,
) -> Result<Listed<'t>> {
    let mut warnings = Vec::new();
    let assignments = server.assignments()?;
    let entries = match filter.wanted {
        Some(t) => {
            warnings.extend(server.path_warnings(Some(t)));
            server.get(t)?.into_iter().collect()
        }
        None => {
            let (entries, found) = server.list_judged(filter.shown)?;
            warnings.extend(found);
            entries
        }
    };
    let mut out = Vec::with_capacity(entries.len());
    for entry in entries {
        let (c, path) = describe_chain(
            server,
            entry,
            &assignments,
            filter.days,
            trust,
            pool,
            filter.now,
        )?;
        let expiring = filter
            .expiring_within_days
            .is_none_or(|d| !c.is_pending() && c.days_until_expiry < d as i64);
        if expiring
            && (filter.patterns.is_empty()
                || c.certificate_domains
                    .iter()
                    .chain(&c.common_name)
                    .any(|n| filter.patterns.iter().any(|p| domain_matches(p, n))))
        {
            out.push((c, path));
        }
    }
    Ok((out, warnings))
}

/// Case-insensitive match of a `-DomainName` filter against a certificate name: `*` and `?` in
/// the filter are wildcards, and a wildcard certificate name covers the hosts it would serve.
fn domain_matches(pattern: &str, name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    if glob(pattern.as_bytes(), name.as_bytes()) {
        return true;
    }
    match name.strip_prefix("*.") {
        Some(base) => pattern
            .split_once('.')
            .is_some_and(|(host, rest)| !host.is_empty() && !host.contains('*') && rest == base),
        None => false,
    }
}

fn glob(p: &[u8], s: &[u8]) -> bool {
    match (p.first(), s.first()) {
        (None, None) => true,
        (Some(b'*'), _) => glob(&p[1..], s) || (!s.is_empty() && glob(p, &s[1..])),
        (Some(b'?'), Some(_)) => glob(&p[1..], &s[1..]),
        (Some(a), Some(b)) if a == b => glob(&p[1..], &s[1..]),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domain_filters_honour_wildcards_both_ways() {
        assert!(domain_matches("mail.contoso.com", "MAIL.contoso.com"));
        assert!(domain_matches("*.contoso.com", "mail.contoso.com"));
        assert!(domain_matches("mail.contoso.com", "*.contoso.com"));
        assert!(domain_matches("ma?l.contoso.com", "mail.contoso.com"));
        assert!(!domain_matches("a.b.contoso.com", "*.contoso.com"));
        assert!(!domain_matches("mail.fabrikam.com", "*.contoso.com"));
        assert!(!domain_matches("mail.contoso.com", "mail.contoso.com.evil"));
    }
}
