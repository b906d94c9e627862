//! One spec: Prism and the proxy started, every operation called through the CLI, each
//! exchange judged.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use generator::model::{Api, Encoding, Operation, Payload, StatusMatch, SuccessType};
use serde_json::Value;
use wait_timeout::ChildExt;

use crate::call::{self, Call};
use crate::fidelity;
use crate::prism::Prism;
use crate::proxy::{Exchange, Proxy};
use crate::report::{Outcome, SpecReport};
use crate::schema::Doc;
use crate::synth::Synth;

/// How long one call may take.
const CALL_TIMEOUT: Duration = Duration::from_secs(60);

/// What the CLI did.
struct Run {
    code: Option<i32>,
    stdout: Vec<u8>,
    stderr: String,
    timed_out: bool,
}

pub fn spec(root: &Path, out: &Path, name: &str, spec: &Path, crate_name: &str) -> Result<SpecReport, String> {
    let document = generator::read::source::load(spec).map_err(|e| e.to_string())?;
    let api = generator::lower::lower(&document).map_err(|e| e.to_string())?;
    if api.operations.is_empty() {
        // Nothing to call (a spec of webhooks only), and no command-line client is made.
        return Ok(SpecReport::new(name));
    }
    let binary = project::generated_target().join("debug").join(crate_name);
    if !binary.exists() {
        return Err("its command-line client did not build".into());
    }
    let mut doc = Doc::new(generator::read::source::load_json(spec).map_err(|e| e.to_string())?);
    let prism = Prism::start(root, spec, &out.join(format!("{name}.prism.log")))?;
    let proxy = Proxy::start(&prism.url)?;
    let env = credentials(&api, crate_name);
    let mut report = SpecReport::new(name);
    let mut synth = Synth::default();
    let mut log = String::new();
    for op in &api.operations {
        let outcome = operation(&mut doc, &mut synth, &proxy, &binary, &env, op, &mut report, &mut log);
        let _ = writeln!(log, "{} {}: {}", op.id, op.pointer, outcome.describe());
        report.add(&op.id, outcome);
    }
    let _ = std::fs::write(out.join(format!("{name}.log")), log);
    drop(proxy);
    drop(prism);
    Ok(report)
}

/// Dummy secrets for every scheme the client reads from the environment.
fn credentials(api: &Api, crate_name: &str) -> Vec<(String, String)> {
    let mut api = api.clone();
    generator::lower::environment::name(&mut api, crate_name);
    // EXO2 keys start with `EXO`; any other secret takes anything.
    api.environment.schemes.concat().into_iter().map(|var| (var, "EXOconformance".to_string())).collect()
}

#[allow(clippy::too_many_arguments)]
fn operation(
    doc: &mut Doc,
    synth: &mut Synth,
    proxy: &Proxy,
    binary: &Path,
    env: &[(String, String)],
    op: &Operation,
    report: &mut SpecReport,
    log: &mut String,
) -> Outcome {
    if let Some(why) = unsatisfiable(doc, op) {
        return Outcome::Skipped(why);
    }
    let call = match call::call(doc, synth, op) {
        Ok(call) => call,
        Err(reason) => return Outcome::Skipped(reason),
    };
    proxy.prefer(None);
    let _ = proxy.take();
    let run = match execute(binary, &proxy.url, env, &call) {
        Ok(run) => run,
        Err(e) => return Outcome::Skipped(e),
    };
    let exchanges = proxy.take();
    let outcome = judge(doc, op, &call, &run, &exchanges);
    if matches!(outcome, Outcome::Ok { .. } | Outcome::Lossy { .. }) {
        errors(doc, proxy, binary, env, op, &call, report, log);
    }
    outcome
}

/// Asks Prism for each documented error status in turn; each must decode into its typed error.
#[allow(clippy::too_many_arguments)]
fn errors(
    doc: &mut Doc,
    proxy: &Proxy,
    binary: &Path,
    env: &[(String, String)],
    op: &Operation,
    call: &Call,
    report: &mut SpecReport,
    log: &mut String,
) {
    for variant in &op.errors {
        let StatusMatch::Code(code) = variant.status else { continue };
        proxy.prefer(Some(format!("code={code}")));
        let run = execute(binary, &proxy.url, env, call);
        proxy.prefer(None);
        let exchanges = proxy.take();
        let (Ok(run), Some(exchange)) = (run, exchanges.last()) else { continue };
        if exchange.status != code {
            report.errors_unavailable += 1;
            continue;
        }
        report.errors_checked += 1;
        if run.code == Some(1) {
            continue;
        }
        let schema = response_schema(doc, op, exchange);
        let prism_fault = body_invalid(doc, schema.as_deref(), exchange);
        let what = format!("{} {code}: exit {:?}: {}", op.id, run.code, first_line(&run.stderr));
        let _ = writeln!(log, "error status {what}");
        if prism_fault.is_some() {
            report.errors_prism += 1;
        } else {
            report.error_failures.push(what);
        }
    }
}

fn judge(doc: &mut Doc, op: &Operation, call: &Call, run: &Run, exchanges: &[Exchange]) -> Outcome {
    if run.timed_out {
        return Outcome::Timeout;
    }
    if run.code.is_none() || run.stderr.contains("panicked at") || run.stderr.contains("overflowed its stack") {
        return Outcome::Crash(first_line(&run.stderr));
    }
    let Some(exchange) = exchanges.last() else {
        return Outcome::NotSent(first_line(&run.stderr));
    };
    let violations = request_errors(exchange);
    if !violations.is_empty() {
        return match rejected(doc, op, call, exchange, &violations) {
            // What went out, to see the encoding at fault.
            Outcome::Rejected(why) => {
                let media = exchange.request_headers.iter().find(|(n, _)| n.eq_ignore_ascii_case("content-type"));
                let media = media.map(|(_, v)| v.as_str()).unwrap_or("no content type");
                let sent = String::from_utf8_lossy(&exchange.request_body);
                // A JSON body that is not what the CLI was given was changed by the client's types.
                let intended = call.intended.iter().find(|i| i.what == "body").map(|i| &i.value);
                let changed = match (intended, serde_json::from_slice::<Value>(&exchange.request_body)) {
                    (Some(intended), Ok(sent)) if media.contains("json") => {
                        let verdict = fidelity::compare(doc, None, &strip_nulls(intended.clone()), &strip_nulls(sent));
                        (!verdict.losses.is_empty())
                            .then(|| format!("; the client changed the body: {}", verdict.losses.join("; ")))
                    }
                    _ => None,
                };
                Outcome::Rejected(format!(
                    "{why}{} (sent {} {media}: {})",
                    changed.unwrap_or_default(),
                    exchange.url,
                    short(&sent)
                ))
            }
            outcome => outcome,
        };
    }
    let documented_redirect = (300..400).contains(&exchange.status) && run.code.is_some_and(|c| c <= 1);
    if documented_redirect && run.code == Some(1) {
        // A documented 3xx the operation counts among its errors, returned as one.
        return Outcome::Ok { undeclared: 0 };
    }
    if !(200..300).contains(&exchange.status) && !documented_redirect {
        let body = String::from_utf8_lossy(&exchange.response_body);
        return Outcome::Server(format!("{} {}", exchange.status, short(&body)));
    }
    let schema = response_schema(doc, op, exchange);
    if run.code != Some(0) {
        let detail = first_line(&run.stderr);
        return match body_invalid(doc, schema.as_deref(), exchange) {
            Some(why) => Outcome::PrismDecode(format!("{detail}; Prism's body is invalid: {why}")),
            None => Outcome::DecodeFailure(detail),
        };
    }
    if let SuccessType::Body(Payload { encoding: Encoding::EventStream, .. }) = &op.success_type {
        // Printed as one JSON line per event, which the wire's text does not compare with
        // field by field; the events were read to the end without a failure.
        return Outcome::Ok { undeclared: 0 };
    }
    if let SuccessType::Body(Payload { encoding: Encoding::Text | Encoding::Bytes, .. }) = &op.success_type {
        // Written out as it came.
        return match run.stdout == exchange.response_body {
            true => Outcome::Ok { undeclared: 0 },
            false => Outcome::Lossy(vec![format!(
                "$: {} bytes on the wire, {} written, and they differ",
                exchange.response_body.len(),
                run.stdout.len()
            )]),
        };
    }
    match fidelity(doc, schema.as_deref(), exchange, &String::from_utf8_lossy(&run.stdout)) {
        // A body that breaks its schema (a `oneOf` it matches twice, say) may lose what no
        // type could hold: not the client's fault.
        Outcome::Lossy(losses) => match body_invalid(doc, schema.as_deref(), exchange) {
            Some(why) => Outcome::PrismLossy(format!("{}; Prism's body is invalid: {why}", losses.join("; "))),
            None => Outcome::Lossy(losses),
        },
        outcome => outcome,
    }
}

/// Whether what was printed is what came: JSON compared as values, other bodies as text.
fn fidelity(doc: &Doc, schema: Option<&str>, exchange: &Exchange, stdout: &str) -> Outcome {
    if stdout.trim().is_empty() {
        return Outcome::Ok { undeclared: 0 };
    }
    let Ok(printed) = serde_json::from_str::<Value>(stdout) else {
        return Outcome::Lossy(vec![format!("the CLI printed no JSON: {}", short(stdout))]);
    };
    let wire = match serde_json::from_slice::<Value>(&exchange.response_body) {
        Ok(wire) if is_json(exchange) => wire,
        _ => Value::String(String::from_utf8_lossy(&exchange.response_body).to_string()),
    };
    let schema = schema.and_then(|p| doc.at(p));
    let verdict = fidelity::compare(doc, schema, &strip_nulls(wire), &strip_nulls(printed));
    if verdict.losses.is_empty() {
        Outcome::Ok { undeclared: verdict.undeclared_dropped }
    } else {
        Outcome::Lossy(verdict.losses)
    }
}

/// Errors Prism found in the request, from its `sl-violations` header.
fn request_errors(exchange: &Exchange) -> Vec<Value> {
    let mut violations: Vec<Value> =
        exchange.response_header("sl-violations").and_then(|h| serde_json::from_str(h).ok()).unwrap_or_default();
    // When the spec documents no 400 or 422 of its own, Prism answers with its own 422, whose
    // problem document lists the violations instead of the header.
    // Prism's 401 says a security requirement is not met.
    if exchange.status == 401 {
        if let Ok(problem) = serde_json::from_slice::<Value>(&exchange.response_body) {
            if problem["type"].as_str().is_some_and(|t| t.ends_with("#UNAUTHORIZED")) {
                violations.push(
                    serde_json::json!({"location": ["request"], "severity": "Error", "message": problem["title"]}),
                );
            }
        }
    }
    if exchange.status == 422 {
        if let Ok(problem) = serde_json::from_slice::<Value>(&exchange.response_body) {
            let is_prisms = problem["type"].as_str().is_some_and(|t| t.ends_with("#UNPROCESSABLE_ENTITY"));
            if let (true, Some(listed)) = (is_prisms, problem["validation"].as_array()) {
                // Its locations start at the part of the request (`["body", "To"]`).
                violations.extend(listed.iter().cloned().map(|mut v| {
                    if let Some(location) = v["location"].as_array_mut() {
                        if location.first().and_then(Value::as_str) != Some("request") {
                            location.insert(0, Value::String("request".into()));
                        }
                    }
                    v
                }));
            }
        }
    }
    violations
        .into_iter()
        .filter(|v| v["severity"] == "Error")
        .filter(|v| v["location"].get(0).and_then(Value::as_str) == Some("request"))
        .collect()
}

/// A rejected request: the client's fault unless the value meant for the place Prism names
/// was itself invalid against its schema.
fn rejected(doc: &mut Doc, op: &Operation, call: &Call, exchange: &Exchange, violations: &[Value]) -> Outcome {
    let mut client = Vec::new();
    let mut ours = Vec::new();
    let mut prisms = Vec::new();
    for violation in violations {
        let location: Vec<&str> =
            violation["location"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
        let message = format!("{}: {}", location.join("."), violation["message"].as_str().unwrap_or(""));
        let text = violation["message"].as_str().unwrap_or("").to_ascii_lowercase();
        let ignored = ["authorization", "accept", "content-type"].iter().find(|h| {
            location.get(1) == Some(&"header") && (location.get(2) == Some(h) || text.contains(&format!("'{h}'")))
        });
        if let Some(header) = ignored {
            return Outcome::SpecFault(format!(
                "{message} (a header parameter named {header:?} is one OpenAPI says to ignore; the client sets it itself)"
            ));
        }
        if location == ["request"] {
            if let Some(scheme) = undefined_scheme(doc, op) {
                return Outcome::SpecFault(format!(
                    "{message} (its security names {scheme:?}, which the spec does not define)"
                ));
            }
        }
        if let ["request", kind @ ("query" | "header" | "path" | "cookie"), name, ..] = location.as_slice() {
            let optional = op.params.iter().any(|p| p.wire_name == *name && !p.required);
            let sent = call.intended.iter().any(|i| i.what.eq_ignore_ascii_case(&format!("{kind} {name}")));
            if optional && !sent {
                prisms.push(format!(
                    "{message} (an optional parameter, not sent; Prism validates it as an empty object)"
                ));
                continue;
            }
        }
        let says = |what: &str| violation["message"].as_str().is_some_and(|m| m.contains(what));
        // Prism 5 does not know `prefixItems`, and applies `items: false` to every item.
        if says("boolean schema is false") && location.last().is_some_and(|l| l.parse::<usize>().is_ok()) {
            prisms.push(format!("{message} (an item of a `prefixItems` tuple, which Prism 5 does not read)"));
            continue;
        }
        if let ["request", "body", name] = location.as_slice() {
            if says("must be object") && json_part(exchange, name) {
                prisms.push(format!("{message} (sent as a part of type application/json, as OpenAPI says for an object; Prism 5 reads parts as text)"));
                continue;
            }
            let one_item = call.intended.iter().any(|i| {
                i.what == "body" && i.value.get(*name).and_then(Value::as_array).is_some_and(|a| a.len() == 1)
            });
            if says("must be array") && (repeated(exchange, name) || (one_item && form_field(exchange, name))) {
                prisms.push(format!(
                    "{message} (sent as `{name}` fields, one per item, as OpenAPI's form style says; Prism 5 reads only `{name}[]`)"
                ));
                continue;
            }
        }
        let place = match location.as_slice() {
            ["request", "body", ..] => Some("body".to_string()),
            ["request", kind, name, ..] => Some(format!("{kind} {name}")),
            _ => None,
        };
        let intended = place.and_then(|p| call.intended.iter().find(|i| i.what.eq_ignore_ascii_case(&p)));
        match intended.map(|i| doc.validate(&i.schema, &i.value)) {
            Some(Ok(Err(why))) => ours.push(format!("{message} (the value made for it is invalid: {why})")),
            Some(Err(why)) => ours.push(format!("{message} (its schema could not be compiled: {why})")),
            _ => client.push(message),
        }
    }
    match (client.is_empty(), ours.is_empty()) {
        (false, _) => Outcome::Rejected(client.join("; ")),
        (true, false) => Outcome::RejectedValue(ours.join("; ")),
        (true, true) => Outcome::PrismRejected(prisms.join("; ")),
    }
}

/// Whether a multipart body carries `name` as a JSON part.
fn json_part(exchange: &Exchange, name: &str) -> bool {
    let body = String::from_utf8_lossy(&exchange.request_body);
    let header = format!("name=\"{name}\"\r\nContent-Type: application/json");
    body.contains(&header) || body.contains(&header.replace("\r\n", "\n"))
}

/// Whether a form or multipart body carries the field `name` more than once: an array in
/// OpenAPI's (exploded) form style.
fn repeated(exchange: &Exchange, name: &str) -> bool {
    form_fields(exchange, name) > 1
}

/// Whether a form or multipart body carries the field `name`: an array of one item is one
/// field, which no reader can tell from a string.
fn form_field(exchange: &Exchange, name: &str) -> bool {
    form_fields(exchange, name) == 1
}

/// How many times a form or multipart body carries the field `name`.
fn form_fields(exchange: &Exchange, name: &str) -> usize {
    let media = exchange.request_headers.iter().find(|(n, _)| n.eq_ignore_ascii_case("content-type"));
    let media = media.map(|(_, v)| v.to_ascii_lowercase()).unwrap_or_default();
    let body = String::from_utf8_lossy(&exchange.request_body);
    let count = if media.starts_with("application/x-www-form-urlencoded") {
        body.split('&').filter(|pair| pair.split('=').next() == Some(name)).count()
    } else if media.starts_with("multipart/form-data") {
        body.matches(&format!("name=\"{name}\"")).count()
    } else {
        0
    };
    count
}

/// Why the client cannot authenticate the operation from the environment, when every
/// alternative of the document's requirement needs a scheme it cannot apply itself (digest,
/// a second API key elsewhere): only the caller's own `Auth::Header` could.
fn unsatisfiable(doc: &Doc, op: &Operation) -> Option<String> {
    let declared = doc.at(&format!("{}/security", op.pointer)).or_else(|| doc.at("#/security"))?;
    let needs_other = |alternative: &Vec<generator::model::Required>| {
        alternative.iter().any(|required| required.kind == generator::model::SchemeKind::Other)
    };
    let stuck = declared.as_array().is_some_and(|a| !a.is_empty())
        && !op.security.is_empty()
        && op.security.iter().all(needs_other);
    stuck.then(|| "every alternative of its security needs a scheme the client cannot apply itself".to_string())
}

/// A security scheme the operation requires that `components/securitySchemes` lacks: no
/// client can satisfy that requirement.
fn undefined_scheme(doc: &Doc, op: &Operation) -> Option<String> {
    let requirements = doc.at(&format!("{}/security", op.pointer)).or_else(|| doc.at("#/security"))?;
    let names = requirements.as_array()?.iter().filter_map(Value::as_object).flat_map(|r| r.keys());
    let defined = doc.at("#/components/securitySchemes").and_then(Value::as_object);
    names.into_iter().find(|name| !defined.is_some_and(|d| d.contains_key(*name))).cloned()
}

/// The pointer of the schema of the response Prism gave, for its status and media type.
fn response_schema(doc: &Doc, op: &Operation, exchange: &Exchange) -> Option<String> {
    let responses = format!("{}/responses", op.pointer);
    let status = exchange.status.to_string();
    let range = format!("{}XX", exchange.status / 100);
    let lower_range = range.to_lowercase();
    let key = [status.as_str(), range.as_str(), lower_range.as_str(), "default"]
        .into_iter()
        .find(|k| doc.at(&format!("{responses}/{}", k)).is_some())?;
    let mut at = format!("{responses}/{key}");
    if let Some(reference) = doc.at(&at).and_then(|r| r.get("$ref")).and_then(Value::as_str) {
        at = reference.to_string();
    }
    let content = doc.at(&format!("{at}/content"))?.as_object()?;
    let media = exchange.response_header("content-type").unwrap_or("").split(';').next().unwrap_or("").trim();
    let key = content
        .keys()
        .find(|k| k.eq_ignore_ascii_case(media))
        .or_else(|| content.keys().find(|k| k.contains("json")))
        .or_else(|| content.keys().next())?;
    let pointer = format!("{at}/content/{}/schema", generator::diagnostic::escape(key));
    doc.at(&pointer).is_some().then_some(pointer)
}

/// Why Prism's body is invalid against the schema, if it is.
fn body_invalid(doc: &mut Doc, schema: Option<&str>, exchange: &Exchange) -> Option<String> {
    let schema = schema?;
    if !is_json(exchange) {
        return None;
    }
    let body = match serde_json::from_slice::<Value>(&exchange.response_body) {
        Ok(body) => body,
        Err(e) => return Some(format!("not JSON: {e}")),
    };
    match doc.validate(schema, &body) {
        Ok(Err(why)) => Some(why),
        _ => None,
    }
}

fn is_json(exchange: &Exchange) -> bool {
    let media = exchange.response_header("content-type").unwrap_or("").to_ascii_lowercase();
    media.contains("json")
}

fn strip_nulls(value: Value) -> Value {
    match value {
        Value::Object(map) => {
            Value::Object(map.into_iter().filter(|(_, v)| !v.is_null()).map(|(k, v)| (k, strip_nulls(v))).collect())
        }
        Value::Array(items) => Value::Array(items.into_iter().map(strip_nulls).collect()),
        other => other,
    }
}

fn execute(binary: &Path, endpoint: &str, env: &[(String, String)], call: &Call) -> Result<Run, String> {
    let stdout = tempfile(binary, "stdout")?;
    let stderr = tempfile(binary, "stderr")?;
    let mut child = Command::new(binary)
        .arg("--endpoint")
        .arg(endpoint)
        .args(&call.args)
        .envs(env.iter().map(|(k, v)| (k, v)))
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&stdout).map_err(|e| e.to_string())?)
        .stderr(std::fs::File::create(&stderr).map_err(|e| e.to_string())?)
        .spawn()
        .map_err(|e| format!("cannot run {}: {e}", binary.display()))?;
    let status = child.wait_timeout(CALL_TIMEOUT).map_err(|e| e.to_string())?;
    let timed_out = status.is_none();
    if timed_out {
        let _ = child.kill();
        let _ = child.wait();
    }
    let run = Run {
        code: status.and_then(|s| s.code()),
        stdout: std::fs::read(&stdout).unwrap_or_default(),
        stderr: String::from_utf8_lossy(&std::fs::read(&stderr).unwrap_or_default()).into_owned(),
        timed_out,
    };
    let _ = std::fs::remove_file(&stdout);
    let _ = std::fs::remove_file(&stderr);
    Ok(run)
}

/// Output goes through files rather than pipes, so a large body cannot fill a pipe while the
/// judge waits. Named for the binary and this process, so that runs side by side keep apart.
fn tempfile(binary: &Path, what: &str) -> Result<PathBuf, String> {
    let dir = binary.parent().ok_or("the binary has no folder")?;
    let name = binary.file_name().unwrap_or_default().to_string_lossy();
    Ok(dir.join(format!("{name}.{}.{what}", std::process::id())))
}

fn first_line(text: &str) -> String {
    short(text.lines().find(|l| !l.trim().is_empty()).unwrap_or(""))
}

fn short(text: &str) -> String {
    let text = text.trim();
    if text.chars().count() > 200 {
        format!("{}…", text.chars().take(200).collect::<String>())
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    const SPEC: &str = r#"
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /pets:
    post:
      operationId: createPet
      requestBody:
        content:
          application/x-www-form-urlencoded:
            schema:
              type: object
              properties:
                tags: {type: array, items: {type: string}}
                age: {type: integer, minimum: 1}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                required: [name]
                properties:
                  name: {type: string}
                  weight: {type: number}
"#;

    fn setup() -> (Doc, Operation) {
        let document = generator::read::source::parse(SPEC.as_bytes(), "t.yaml").unwrap();
        let api = generator::lower::lower(&document).unwrap();
        (Doc::new(generator::read::source::parse_json(SPEC.as_bytes(), "t.yaml").unwrap()), api.operations[0].clone())
    }

    fn exchange(status: u16, request: &str, response: Value, headers: &[(&str, &str)]) -> Exchange {
        let mut response_headers = vec![("content-type".to_string(), "application/json".to_string())];
        response_headers.extend(headers.iter().map(|(n, v)| (n.to_string(), v.to_string())));
        Exchange {
            method: "POST".into(),
            url: "/pets".into(),
            request_headers: vec![("content-type".into(), "application/x-www-form-urlencoded".into())],
            request_body: request.as_bytes().to_vec(),
            status,
            response_headers,
            response_body: response.to_string().into_bytes(),
        }
    }

    fn run(code: i32, stdout: &str) -> Run {
        Run { code: Some(code), stdout: stdout.as_bytes().to_vec(), stderr: String::new(), timed_out: false }
    }

    #[test]
    fn a_changed_value_is_lossy_and_the_same_value_is_ok() {
        let (mut doc, op) = setup();
        let wire = json!({"name": "rex", "weight": 1.25});
        let same = exchange(200, "", wire.clone(), &[]);
        let printed = run(0, &wire.to_string());
        assert!(matches!(
            judge(&mut doc, &op, &Call::default(), &printed, std::slice::from_ref(&same)),
            Outcome::Ok { .. }
        ));
        let changed = run(0, r#"{"name": "rex", "weight": 1.0}"#);
        assert!(matches!(judge(&mut doc, &op, &Call::default(), &changed, &[same]), Outcome::Lossy(_)));
    }

    #[test]
    fn a_body_that_breaks_its_schema_is_prisms_fault() {
        let (mut doc, op) = setup();
        let invalid = exchange(200, "", json!({"weight": "heavy"}), &[]);
        let failed = Run { code: Some(2), stderr: "error: the body does not decode".into(), ..run(2, "") };
        assert!(matches!(
            judge(&mut doc, &op, &Call::default(), &failed, std::slice::from_ref(&invalid)),
            Outcome::PrismDecode(_)
        ));
        let valid = exchange(200, "", json!({"name": "rex"}), &[]);
        assert!(matches!(judge(&mut doc, &op, &Call::default(), &failed, &[valid]), Outcome::DecodeFailure(_)));
    }

    #[test]
    fn rejections_are_told_apart() {
        let (mut doc, op) = setup();
        let violation = |place: &str, message: &str| {
            json!([{"location": ["request", "body", place], "severity": "Error", "message": message}]).to_string()
        };
        // The client's: a valid value that Prism could not read.
        let call = Call {
            args: Vec::new(),
            intended: vec![call::Intended {
                what: "body".into(),
                schema: schema_of_body(&op),
                value: json!({"age": 2}),
            }],
        };
        let header = violation("age", "must be integer");
        let sent = exchange(400, "age=two", json!({}), &[("sl-violations", &header)]);
        assert!(matches!(judge(&mut doc, &op, &call, &run(2, ""), &[sent]), Outcome::Rejected(_)));
        // The suite's: the value it made breaks the schema.
        let bad = Call {
            args: Vec::new(),
            intended: vec![call::Intended {
                what: "body".into(),
                schema: schema_of_body(&op),
                value: json!({"age": 0}),
            }],
        };
        let header = violation("age", "must be >= 1");
        let sent = exchange(400, "age=0", json!({}), &[("sl-violations", &header)]);
        assert!(matches!(judge(&mut doc, &op, &bad, &run(2, ""), &[sent]), Outcome::RejectedValue(_)));
        // Prism's: an array sent as repeated fields.
        let header = violation("tags", "Request body property tags must be array");
        let sent = exchange(400, "tags=a&tags=b", json!({}), &[("sl-violations", &header)]);
        assert!(matches!(judge(&mut doc, &op, &call, &run(2, ""), &[sent]), Outcome::PrismRejected(_)));
    }

    fn schema_of_body(op: &Operation) -> String {
        format!("{}/requestBody/content/application~1x-www-form-urlencoded/schema", op.pointer)
    }
}
