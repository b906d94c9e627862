//! Whether what the client printed is what came over the wire: nulls aside, date-times as
//! instants, numbers exactly. Properties the schema does not declare may be dropped, and are
//! counted apart.

use serde_json::Value;

use crate::schema::Doc;

#[derive(Debug, Default)]
pub struct Verdict {
    /// Values changed or lost, each with its JSON path.
    pub losses: Vec<String>,
    /// Undeclared properties the client dropped.
    pub undeclared_dropped: usize,
}

/// Compares the wire's JSON with the client's, walking the response schema beside them.
pub fn compare(doc: &Doc, schema: Option<&Value>, wire: &Value, printed: &Value) -> Verdict {
    let mut verdict = Verdict::default();
    let schemas: Vec<&Value> = schema.into_iter().collect();
    walk(doc, &schemas, wire, printed, "$", &mut verdict);
    verdict
}

fn walk(doc: &Doc, schemas: &[&Value], wire: &Value, printed: &Value, path: &str, verdict: &mut Verdict) {
    match (wire, printed) {
        (Value::Object(wire), Value::Object(printed)) => {
            for (key, value) in wire {
                let child = format!("{path}.{key}");
                let property = doc.property(schemas, key);
                match printed.get(key) {
                    Some(got) => walk(doc, &property, value, got, &child, verdict),
                    None if value.is_null() => {}
                    None if !schemas.is_empty() && !doc.declares(schemas, key, value) => {
                        verdict.undeclared_dropped += 1
                    }
                    None => verdict.losses.push(format!("{child}: lost ({})", short(value))),
                }
            }
            for (key, value) in printed {
                if !wire.contains_key(key) && !value.is_null() {
                    verdict.losses.push(format!("{path}.{key}: added ({})", short(value)));
                }
            }
        }
        (Value::Array(wire), Value::Array(printed)) => {
            if wire.len() != printed.len() {
                verdict.losses.push(format!("{path}: {} items on the wire, {} printed", wire.len(), printed.len()));
                return;
            }
            let items = doc.items(schemas);
            for (i, (w, p)) in wire.iter().zip(printed).enumerate() {
                walk(doc, &items, w, p, &format!("{path}[{i}]"), verdict);
            }
        }
        (Value::Number(w), Value::Number(p)) if !same_number(w, p) => {
            verdict.losses.push(format!("{path}: {w} became {p}"));
        }
        (Value::Number(_), Value::Number(_)) => {}
        (Value::String(w), Value::String(p)) if w != p => {
            let instants = doc.is_date_time(schemas) || schemas.is_empty();
            if !(instants && same_instant(w, p)) {
                verdict.losses.push(format!("{path}: {} became {}", short(wire), short(printed)));
            }
        }
        (w, p) if w != p => verdict.losses.push(format!("{path}: {} became {}", short(w), short(p))),
        _ => {}
    }
}

/// Integers as integers, fractions as the `f64` they denote (the wire text read exactly).
fn same_number(a: &serde_json::Number, b: &serde_json::Number) -> bool {
    match (a.as_i128(), b.as_i128()) {
        (Some(a), Some(b)) => a == b,
        _ => a.as_f64() == b.as_f64(),
    }
}

fn same_instant(a: &str, b: &str) -> bool {
    match (chrono::DateTime::parse_from_rfc3339(a), chrono::DateTime::parse_from_rfc3339(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

fn short(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() > 80 {
        format!("{}…", text.chars().take(80).collect::<String>())
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn judged(schema: Value, wire: Value, printed: Value) -> Verdict {
        let doc = Doc::new(json!({}));
        compare(&doc, Some(&schema), &wire, &printed)
    }

    #[test]
    fn a_changed_float_is_a_loss_and_an_equal_one_is_not() {
        let schema = json!({"properties": {"x": {"type": "number"}}});
        let wire: Value = serde_json::from_str(r#"{"x": -9636924.180668995}"#).unwrap();
        let changed: Value = serde_json::from_str(r#"{"x": -9636924.180668997}"#).unwrap();
        assert_eq!(judged(schema.clone(), wire.clone(), changed).losses.len(), 1);
        assert!(judged(schema.clone(), wire.clone(), wire).losses.is_empty());
        assert!(judged(schema, json!({"x": 5}), json!({"x": 5.0})).losses.is_empty());
    }

    #[test]
    fn a_property_only_another_member_declares_with_another_type_is_undeclared() {
        let schema = json!({"oneOf": [
            {"properties": {"call_id": {"type": "string"}}, "required": ["call_id"]},
            {"properties": {"id": {"type": "string"}}}
        ]});
        let verdict = judged(schema, json!({"id": "a", "call_id": 5.5}), json!({"id": "a"}));
        assert!(verdict.losses.is_empty(), "{:?}", verdict.losses);
        assert_eq!(verdict.undeclared_dropped, 1);
    }

    #[test]
    fn nulls_instants_and_undeclared_properties() {
        let schema = json!({"properties": {"at": {"type": "string", "format": "date-time"}, "gone": {}}});
        let verdict = judged(
            schema,
            json!({"at": "2024-01-02T03:04:05+00:00", "n": null, "extra": 1, "gone": {"a": 1}}),
            json!({"at": "2024-01-02T03:04:05Z"}),
        );
        assert_eq!(verdict.undeclared_dropped, 1);
        assert_eq!(verdict.losses, vec!["$.gone: lost ({\"a\":1})".to_string()]);
    }
}
