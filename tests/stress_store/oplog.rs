//! The workers' logs: what each operation was, and whether it returned.

use super::*;

/// One operation as a worker logged it.
#[derive(Debug, Clone)]
pub(crate) struct Op {
    pub(crate) kind: String,
    /// Thumbprints named before it started (`-` for none).
    pub(crate) targets: Vec<String>,
    /// `None` while in flight (the worker died before it returned).
    pub(crate) result: Option<std::result::Result<Changes, (String, String)>>,
}

impl Op {
    pub(crate) fn created(&self) -> impl Iterator<Item = &str> {
        self.changes('+')
    }

    pub(crate) fn removed(&self) -> impl Iterator<Item = &str> {
        self.changes('-')
    }

    pub(crate) fn changes(&self, sign: char) -> impl Iterator<Item = &str> {
        match &self.result {
            Some(Ok(c)) => c.as_slice(),
            _ => &[],
        }
        .iter()
        .filter_map(move |c| c.strip_prefix(sign))
    }
}

/// The operations of a log, in order; a line cut short by a kill is ignored (it never counted).
pub(crate) fn read_log(path: &Path) -> (Vec<Op>, bool) {
    let text = fs::read_to_string(path).unwrap_or_default();
    let complete = match text.rfind('\n') {
        Some(i) => &text[..=i],
        None => "",
    };
    let mut ops: Vec<Op> = Vec::new();
    let mut exited = false;
    for line in complete.lines() {
        let mut words = line.splitn(3, ' ');
        let (tag, kind, rest) = (
            words.next().unwrap_or(""),
            words.next().unwrap_or("").to_string(),
            words.next().unwrap_or(""),
        );
        match tag {
            "start" => {}
            "exit" => exited = true,
            "begin" => ops.push(Op {
                kind,
                targets: rest
                    .split(',')
                    .filter(|t| *t != "-" && !t.is_empty())
                    .map(str::to_string)
                    .collect(),
                result: None,
            }),
            "ok" | "fail" => {
                let op = ops.last_mut().expect("a result follows its begin");
                assert_eq!(
                    op.kind,
                    kind,
                    "log {}: result of another operation",
                    path.display()
                );
                assert!(op.result.is_none(), "log {}: two results", path.display());
                op.result = Some(if tag == "ok" {
                    Ok(rest
                        .split(' ')
                        .filter(|w| !w.is_empty())
                        .map(str::to_string)
                        .collect())
                } else {
                    let (code, message) = rest.split_once(' ').unwrap_or((rest, ""));
                    Err((code.to_string(), message.to_string()))
                });
            }
            other => panic!("log {}: unknown line tag {other:?}", path.display()),
        }
    }
    (ops, exited)
}

/// Every log line that names `t`, with its worker, for failure messages.
pub(crate) fn history(logs: &[PathBuf], t: &str) -> String {
    let mut out = String::new();
    for log in logs {
        let name = log.file_stem().unwrap().to_string_lossy();
        let text = fs::read_to_string(log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            // A result line may not name the thumbprint its `begin` named.
            let begun = i > 0 && lines[i - 1].starts_with("begin") && lines[i - 1].contains(t);
            if line.contains(t) || begun {
                out.push_str(&format!("  {name}: {line}\n"));
            }
        }
    }
    out
}
