//! One operation as a command line of the generated CLI: its subcommand, a flag per
//! parameter and `--body`, with values from the spec's examples or made from its schemas.

use generator::diagnostic::escape;
use generator::model::{Encoding, Operation, ParamLocation, TypeRef};
use serde_json::Value;

use crate::schema::Doc;
use crate::synth::Synth;

/// The arguments after the binary's name, and the values they stand for.
#[derive(Debug, Default)]
pub struct Call {
    pub args: Vec<String>,
    /// What was meant to be sent, by name (`query id`, `body`), with the pointer of the schema
    /// it should be valid against: when Prism rejects the request, these say whose fault it is.
    pub intended: Vec<Intended>,
}

#[derive(Debug)]
pub struct Intended {
    pub what: String,
    pub schema: String,
    pub value: Value,
}

/// The command line for `op`, or why it cannot be called.
pub fn call(doc: &mut Doc, synth: &mut Synth, op: &Operation) -> Result<Call, String> {
    let mut call = Call { args: vec![op.id.clone()], ..Call::default() };
    for param in &op.params {
        let Some(raw) = doc.at(&param.pointer).cloned() else {
            return Err(format!("parameter {} not found at {}", param.wire_name, param.pointer));
        };
        let schema = match raw.get("schema") {
            Some(_) => format!("{}/schema", param.pointer),
            None => match raw.get("content").and_then(Value::as_object).and_then(|c| c.keys().next()) {
                Some(media) => format!("{}/content/{}/schema", param.pointer, escape(media)),
                None => return Err(format!("parameter {} has neither schema nor content", param.wire_name)),
            },
        };
        let required = param.required || param.location == ParamLocation::Path;
        if !required && raw.get("example").is_none() && raw.get("examples").is_none() && !cheap(doc, &schema) {
            continue;
        }
        let value = synth.value_for(doc, &param.pointer, &schema);
        let flag = format!("--{}", param.flag);
        match (&param.ty, &value) {
            (TypeRef::Array(_), Value::Array(items)) => {
                for item in items {
                    call.args.push(flag.clone());
                    call.args.push(text(item));
                }
            }
            (_, value) if param.ty == TypeRef::Bool && required && !value.is_boolean() => {
                return Err(format!("parameter {}: {value} is not a boolean", param.wire_name));
            }
            (_, value) => {
                call.args.push(flag);
                call.args.push(text(value));
            }
        }
        let location = format!("{:?}", param.location).to_lowercase();
        call.intended.push(Intended { what: format!("{location} {}", param.wire_name), schema, value });
    }
    if let Some(body) = &op.body {
        let holder = format!("{}/content/{}", request_body(doc, &op.pointer), escape(&body.payload.media_type));
        let schema = format!("{holder}/schema");
        let value = match doc.at(&schema) {
            Some(_) => synth.value_for(doc, &holder, &schema),
            None => Value::String("text".into()),
        };
        let text = match body.payload.encoding {
            Encoding::Json | Encoding::Form | Encoding::Multipart => value.to_string(),
            Encoding::Text | Encoding::Bytes | Encoding::EventStream => text(&value),
        };
        call.args.push("--body".into());
        call.args.push(text);
        if doc.at(&schema).is_some() {
            call.intended.push(Intended { what: "body".into(), schema, value });
        }
    }
    Ok(call)
}

/// The pointer of an operation's request body, through a `$ref` to a shared one.
pub fn request_body(doc: &Doc, op: &str) -> String {
    let at = format!("{op}/requestBody");
    match doc.at(&at).and_then(|b| b.get("$ref")).and_then(Value::as_str) {
        Some(reference) => reference.to_string(),
        None => at,
    }
}

/// Whether an optional parameter is worth sending: a scalar or a list of scalars, whose
/// encoding is then exercised too. Optional objects are left out.
fn cheap(doc: &Doc, schema: &str) -> bool {
    let Some(schema) = doc.at(schema) else { return false };
    let schema = doc.resolve(schema);
    let scalar =
        |s: &Value| matches!(s.get("type").and_then(Value::as_str), Some("string" | "integer" | "number" | "boolean"));
    scalar(schema) || schema.get("items").map(|i| scalar(doc.resolve(i))).unwrap_or(false)
}

/// A flag's text: strings as they are, anything else as JSON.
fn text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}
