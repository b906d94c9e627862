//! The verdicts, a spec's tally of them, and the tables of `CONFORMANCE.md`.

use std::fmt::Write as _;

/// How one operation's call ended.
#[derive(Debug)]
pub enum Outcome {
    /// Decoded and printed as it came; `undeclared` properties the schema does not declare
    /// were dropped, which is allowed.
    Ok {
        undeclared: usize,
    },
    /// Decoded, but values changed or were lost on the way (each with its JSON path).
    Lossy(Vec<String>),
    /// Lossy, but Prism's body is invalid against the schema.
    PrismLossy(String),
    /// A 2xx whose valid body the client could not decode.
    DecodeFailure(String),
    /// A 2xx the client could not decode, whose body is invalid against the schema: Prism's
    /// fault or the spec's.
    PrismDecode(String),
    /// Prism found an error in how the client encoded the request.
    Rejected(String),
    /// Prism rejected a value the suite made, which is invalid itself: the suite's fault.
    RejectedValue(String),
    /// Prism rejected what the spec allows, as far as it can read it (form arrays).
    PrismRejected(String),
    /// Prism rejected what the spec itself makes impossible (a security scheme it never
    /// defines).
    SpecFault(String),
    /// The client gave up before sending.
    NotSent(String),
    /// Prism answered neither 2xx nor a rejection (it could not make a response).
    Server(String),
    Skipped(String),
    Crash(String),
    Timeout,
}

impl Outcome {
    /// Whether the outcome is the client's fault.
    pub fn is_client_failure(&self) -> bool {
        matches!(
            self,
            Outcome::Lossy(_)
                | Outcome::DecodeFailure(_)
                | Outcome::Rejected(_)
                | Outcome::NotSent(_)
                | Outcome::Crash(_)
        )
    }

    pub fn describe(&self) -> String {
        match self {
            Outcome::Ok { undeclared: 0 } => "ok".into(),
            Outcome::Ok { undeclared } => format!("ok ({undeclared} undeclared properties dropped)"),
            Outcome::Lossy(losses) => format!("lossy: {}", losses.join("; ")),
            Outcome::PrismLossy(d) => format!("lossy (Prism's body): {d}"),
            Outcome::DecodeFailure(d) => format!("decode-failure (client): {d}"),
            Outcome::PrismDecode(d) => format!("decode-failure (Prism's body): {d}"),
            Outcome::Rejected(d) => format!("request-rejected (client's encoding): {d}"),
            Outcome::RejectedValue(d) => format!("request-rejected (value made by the suite): {d}"),
            Outcome::SpecFault(d) => format!("request-rejected (the spec's fault): {d}"),
            Outcome::PrismRejected(d) => format!("request-rejected (Prism's reading): {d}"),
            Outcome::NotSent(d) => format!("not-sent (client): {d}"),
            Outcome::Server(d) => format!("server: {d}"),
            Outcome::Skipped(d) => format!("skipped: {d}"),
            Outcome::Crash(d) => format!("crash: {d}"),
            Outcome::Timeout => "timeout".into(),
        }
    }
}

/// One spec's tally.
#[derive(Debug, Default)]
pub struct SpecReport {
    pub spec: String,
    /// Why the spec could not be judged at all.
    pub failure: Option<String>,
    pub operations: usize,
    pub ok: usize,
    pub lossy: usize,
    pub lossy_prism: usize,
    pub decode_client: usize,
    pub decode_prism: usize,
    pub rejected_client: usize,
    pub rejected_value: usize,
    pub rejected_spec: usize,
    pub rejected_prism: usize,
    pub not_sent: usize,
    pub server: usize,
    pub skipped: usize,
    pub crash: usize,
    pub timeout: usize,
    pub undeclared_dropped: usize,
    /// Documented error statuses Prism produced and the client was checked on.
    pub errors_checked: usize,
    /// Error statuses Prism would not produce (it answered another status).
    pub errors_unavailable: usize,
    /// Error bodies the client could not decode because Prism's body was invalid.
    pub errors_prism: usize,
    pub error_failures: Vec<String>,
    /// Every failure of the client's, by operation.
    pub failures: Vec<String>,
}

/// A table row: a spec's figures.
pub type Row = SpecReport;

impl SpecReport {
    pub fn new(spec: &str) -> Self {
        SpecReport { spec: spec.into(), ..Default::default() }
    }

    pub fn failed(spec: &str, why: String) -> Self {
        SpecReport { spec: spec.into(), failure: Some(why), ..Default::default() }
    }

    pub fn add(&mut self, id: &str, outcome: Outcome) {
        self.operations += 1;
        if outcome.is_client_failure() {
            self.failures.push(format!("{id}: {}", outcome.describe()));
        }
        match outcome {
            Outcome::Ok { undeclared } => {
                self.ok += 1;
                self.undeclared_dropped += undeclared;
            }
            Outcome::Lossy(_) => self.lossy += 1,
            Outcome::PrismLossy(_) => self.lossy_prism += 1,
            Outcome::DecodeFailure(_) => self.decode_client += 1,
            Outcome::PrismDecode(_) => self.decode_prism += 1,
            Outcome::Rejected(_) => self.rejected_client += 1,
            Outcome::RejectedValue(_) => self.rejected_value += 1,
            Outcome::SpecFault(_) => self.rejected_spec += 1,
            Outcome::PrismRejected(_) => self.rejected_prism += 1,
            Outcome::NotSent(_) => self.not_sent += 1,
            Outcome::Server(_) => self.server += 1,
            Outcome::Skipped(_) => self.skipped += 1,
            Outcome::Crash(_) => self.crash += 1,
            Outcome::Timeout => self.timeout += 1,
        }
    }

    /// No failure of the client's, and the spec could be judged.
    pub fn is_clean(&self) -> bool {
        self.failure.is_none() && self.failures.is_empty() && self.error_failures.is_empty()
    }

    pub fn summary(&self) -> String {
        match &self.failure {
            Some(why) => format!("  {}: {why}", self.spec),
            None => format!(
                "  {}: {} operations, {} ok, {} client failures, {} error statuses checked ({} failed)",
                self.spec,
                self.operations,
                self.ok,
                self.failures.len(),
                self.errors_checked,
                self.error_failures.len()
            ),
        }
    }
}

/// The table, then every failure of the client's.
pub fn markdown(reports: &[SpecReport]) -> String {
    let mut out = String::from(
        "| spec | operations | ok | lossy (client / Prism) | decode-failure (client / Prism) | request-rejected (client / suite's value / spec / Prism) | not sent | server | skipped | crash | timeout | undeclared dropped | error statuses (checked / failed / Prism's body / not produced) |\n\
         |---|---:|---:|---:|---|---|---:|---:|---:|---:|---:|---:|---|\n",
    );
    for r in reports {
        if let Some(why) = &r.failure {
            let _ = writeln!(out, "| {} | {} |", r.spec, why.replace('|', "\\|"));
            continue;
        }
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} / {} | {} / {} | {} / {} / {} / {} | {} | {} | {} | {} | {} | {} | {} / {} / {} / {} |",
            r.spec,
            r.operations,
            r.ok,
            r.lossy,
            r.lossy_prism,
            r.decode_client,
            r.decode_prism,
            r.rejected_client,
            r.rejected_value,
            r.rejected_spec,
            r.rejected_prism,
            r.not_sent,
            r.server,
            r.skipped,
            r.crash,
            r.timeout,
            r.undeclared_dropped,
            r.errors_checked,
            r.error_failures.len(),
            r.errors_prism,
            r.errors_unavailable
        );
    }
    let failing: Vec<&SpecReport> =
        reports.iter().filter(|r| !r.failures.is_empty() || !r.error_failures.is_empty()).collect();
    if !failing.is_empty() {
        out.push_str("\n### The client's failures\n");
        for r in failing {
            let _ = writeln!(out, "\n{}:", r.spec);
            for line in r.failures.iter().chain(&r.error_failures) {
                let _ = writeln!(out, "- {}", line.replace('|', "\\|"));
            }
        }
    }
    out
}

/// `CONFORMANCE.md`: how the figures were made, then the tables.
pub fn document(tables: &str) -> String {
    format!(
        "# Conformance\n\n\
         Every operation of every spec, called through its generated command-line client (a debug build) against \
         [Prism](https://github.com/stoplightio/prism) 5.14.2 in dynamic mode (`prism mock -d`), behind a recording proxy. \
         Arguments come from the spec's examples where they are valid, otherwise they are made from the schemas. \
         Reproduce with `npm ci && cargo xtask conformance --report CONFORMANCE.md` (the corpus is `../shared/corpus/`; \
         `--spec PATH` judges one spec).\n\n\
         - **ok**: Prism answered 2xx and the CLI printed the decoded value, equal to the JSON on the wire (nulls aside, \
         date-times as instants, numbers exactly); **lossy**: printed, but a value changed or was lost (the client's fault unless Prism's body is invalid \
         against the schema, a `oneOf` it matches twice, say). Properties the \
         schema does not declare may be dropped, and are counted apart (**undeclared dropped**).\n\
         - **decode-failure**: a 2xx the client could not decode; the client's fault when Prism's body is valid against \
         the schema (checked with the `jsonschema` crate), Prism's otherwise.\n\
         - **request-rejected**: Prism found an error in the request (its `sl-violations` header); the client's fault \
         unless the value the suite made for that place is itself invalid (the suite's), or the spec makes the request \
         impossible (the spec's: an operation requiring a security scheme the spec never defines, or a header parameter \
         named `Authorization`, which OpenAPI says to ignore), or Prism cannot read what OpenAPI prescribes (Prism's: \
         an array in a form or multipart body sent as one field per item, which Prism 5.14 reads only as `name[]`; an \
         object sent as a multipart part of type `application/json`, which it reads as text; an optional parameter \
         that was not sent, which it validates as an empty object).\n\
         - **not sent**: the client gave up before sending; **server**: Prism answered neither 2xx nor a rejection.\n\
         - **error statuses**: every documented error code, asked of Prism with `Prefer: code=NNN`, must decode into its \
         typed error (the CLI exits 1).\n\n\
         Client failures (lossy, decode-failure and request-rejected that are the client's, not sent, crash, error \
         statuses that failed) make the command exit non-zero. Prism's bodies are random, so the counts move a little \
         from run to run; every call's verdict, with what was sent where a request was rejected, is in \
         `target/conformance/<spec>.log`, and Prism's own output beside it.\n\n{tables}"
    )
}
