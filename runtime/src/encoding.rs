//! Encoding of parameters and bodies, shared by every operation.
// Each API uses a subset of these helpers (nullable fields, multipart bodies, …).
#![allow(dead_code)]

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

pub(crate) use crate::query_style::QueryStyle;

/// RFC 3986 unreserved characters stay; everything else in a path segment is escaped, so no
/// value can add a segment, a query or a fragment.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// Cookie values: everything but unreserved characters escaped.
const COOKIE: &AsciiSet = SEGMENT;

pub(crate) fn cookie_value(value: &str) -> String {
    utf8_percent_encode(value, COOKIE).to_string()
}

/// A parameter value as text: strings as they are, numbers and booleans as JSON writes them,
/// arrays of those joined with commas (OpenAPI's `simple` style, for paths, headers and
/// cookies), anything else as compact JSON.
pub(crate) fn param_string<T: Serialize + ?Sized>(value: &T) -> Result<String, String> {
    Ok(text(serde_json::to_value(value).map_err(|e| e.to_string())?))
}

fn text(value: Value) -> String {
    match value {
        Value::Array(items) if items.iter().all(|i| !i.is_array() && !i.is_object()) => {
            items.into_iter().map(scalar).collect::<Vec<_>>().join(",")
        }
        other => scalar(other),
    }
}

fn scalar(value: Value) -> String {
    match value {
        Value::String(s) => s,
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// The name-value pairs one query parameter becomes. Properties that are `null` are left out.
pub(crate) fn query_pairs<T: Serialize + ?Sized>(
    name: &str,
    value: &T,
    style: QueryStyle,
) -> Result<Vec<(String, String)>, String> {
    let value = serde_json::to_value(value).map_err(|e| e.to_string())?;
    let separator = match style {
        QueryStyle::SpaceDelimited => " ",
        QueryStyle::PipeDelimited => "|",
        _ => ",",
    };
    let present = |props: serde_json::Map<String, Value>| props.into_iter().filter(|(_, v)| !v.is_null());
    Ok(match (style, value) {
        (QueryStyle::Json, value) => vec![(name.to_string(), value.to_string())],
        (QueryStyle::Form, Value::Array(items)) => items.into_iter().map(|i| (name.to_string(), text(i))).collect(),
        (QueryStyle::Form, Value::Object(props)) => present(props).map(|(k, v)| (k, text(v))).collect(),
        (QueryStyle::DeepObject, Value::Object(props)) => {
            present(props).map(|(k, v)| (format!("{name}[{k}]"), text(v))).collect()
        }
        (QueryStyle::FormJoined | QueryStyle::SpaceDelimited | QueryStyle::PipeDelimited, Value::Array(items)) => {
            vec![(name.to_string(), items.into_iter().map(text).collect::<Vec<_>>().join(separator))]
        }
        (QueryStyle::FormJoined | QueryStyle::SpaceDelimited | QueryStyle::PipeDelimited, Value::Object(props)) => {
            let parts: Vec<String> = present(props).flat_map(|(k, v)| [k, text(v)]).collect();
            vec![(name.to_string(), parts.join(separator))]
        }
        (_, other) => vec![(name.to_string(), text(other))],
    })
}

/// One escaped path segment. Empty values and dot segments are refused: they would change
/// which resource the path names once URL normalisation removes them.
pub(crate) fn path_segment<T: Serialize + ?Sized>(name: &str, value: &T) -> Result<String, String> {
    let text = param_string(value).map_err(|e| invalid(name, &e))?;
    if text.is_empty() || text == "." || text == ".." {
        return Err(invalid(name, &format!("{text:?} cannot be a path segment")));
    }
    Ok(utf8_percent_encode(&text, SEGMENT).to_string())
}

/// Why a parameter cannot be sent, as `ErrorKind::InvalidRequest` says it.
pub(crate) fn invalid(name: &str, message: &str) -> String {
    format!("parameter `{name}`: {message}")
}

/// The header `name` parsed as a `T`: `None` when it is missing, repeated, not text, or does not
/// parse.
pub(crate) fn header_value<T: std::str::FromStr>(headers: &reqwest::header::HeaderMap, name: &str) -> Option<T> {
    let mut values = headers.get_all(name).iter();
    let value = values.next()?;
    if values.next().is_some() {
        return None;
    }
    value.to_str().ok()?.trim().parse().ok()
}

/// For optional, nullable fields: a present `null` is `Some(None)`, an absent field `None`.
pub(crate) fn double_option<'de, T, D>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    T: Deserialize<'de>,
    D: Deserializer<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

/// For an optional field whose type has a value for `null` of its own (a union with a `null`
/// member, any JSON value): a present `null` is `Some` of that value, so that it is sent again
/// as `null`, not left out as an absent field is.
pub(crate) fn present<'de, T, D>(deserializer: D) -> Result<Option<T>, D::Error>
where
    T: Deserialize<'de>,
    D: Deserializer<'de>,
{
    T::deserialize(deserializer).map(Some)
}

/// `403 Forbidden: {"code":…}`.
pub(crate) fn fmt_status(f: &mut std::fmt::Formatter<'_>, status: u16, body: Option<&str>) -> std::fmt::Result {
    let reason = reqwest::StatusCode::from_u16(status).ok().and_then(|s| s.canonical_reason());
    match (reason, body) {
        (Some(reason), Some(body)) => write!(f, "{status} {reason}: {body}"),
        (Some(reason), None) => write!(f, "{status} {reason}"),
        (None, Some(body)) => write!(f, "{status}: {body}"),
        (None, None) => write!(f, "{status}"),
    }
}

/// Whether a `Content-Type` is JSON (`application/json`, `application/problem+json`, …).
pub(crate) fn is_json(content_type: &str) -> bool {
    let essence = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    essence == "application/json" || essence.ends_with("+json") || essence == "text/json"
}

/// An `application/x-www-form-urlencoded` body's pairs, each property written as OpenAPI
/// writes form bodies by default (`form`, exploded): an array is one pair per item
/// (`a=1&a=2`), an object's properties are pairs of their own. `null` properties are left out.
pub(crate) fn form_pairs<T: Serialize + ?Sized>(body: &T) -> Result<Vec<(String, String)>, String> {
    let Value::Object(properties) = serde_json::to_value(body).map_err(|e| e.to_string())? else {
        return Err("a form body must be an object".into());
    };
    let mut pairs = Vec::new();
    for (name, value) in properties.into_iter().filter(|(_, v)| !v.is_null()) {
        pairs.extend(query_pairs(&name, &value, QueryStyle::Form)?);
    }
    Ok(pairs)
}

/// A `multipart/form-data` body as OpenAPI describes one: a part per property, and for an
/// array a part per item under the same name; strings, numbers and booleans as text, objects
/// as JSON. `null` properties and items are left out.
///
/// Written out here rather than with reqwest's `multipart::Form`, which streams its body:
/// the request's bytes must be known before it is sent, for signing.
pub(crate) fn multipart<T: Serialize>(body: &T) -> Result<(String, Vec<u8>), String> {
    let Value::Object(fields) = serde_json::to_value(body).map_err(|e| e.to_string())? else {
        return Err("a multipart body must be an object".into());
    };
    let boundary = format!("------------------------{:016x}", fastrand_u64());
    let mut out = Vec::new();
    for (name, value) in fields {
        let items = match value {
            Value::Array(items) => items,
            other => vec![other],
        };
        // Quotes and line breaks in a name are escaped as browsers do, so it stays one header.
        let name = name.replace('"', "%22").replace('\r', "%0D").replace('\n', "%0A");
        for item in items.into_iter().filter(|i| !i.is_null()) {
            let (content_type, text) = match item {
                Value::String(s) => ("", s),
                Value::Object(_) | Value::Array(_) => ("Content-Type: application/json\r\n", item.to_string()),
                other => ("", other.to_string()),
            };
            out.extend_from_slice(
                format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n{content_type}\r\n")
                    .as_bytes(),
            );
            out.extend_from_slice(text.as_bytes());
            out.extend_from_slice(b"\r\n");
        }
    }
    out.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    Ok((format!("multipart/form-data; boundary={boundary}"), out))
}

/// A boundary only needs to differ from the content, not to be secret.
fn fastrand_u64() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u64(
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos() as u64).unwrap_or(0),
    );
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn segment(value: &str) -> Result<String, String> {
        path_segment("id", value)
    }

    #[test]
    fn no_value_can_change_the_path() {
        assert_eq!(segment("a/b").unwrap(), "a%2Fb");
        assert_eq!(segment("../admin").unwrap(), "..%2Fadmin");
        assert_eq!(segment("x?y=1#z").unwrap(), "x%3Fy%3D1%23z");
        assert_eq!(segment("key with spaces").unwrap(), "key%20with%20spaces");
        assert_eq!(segment("é").unwrap(), "%C3%A9");
        assert_eq!(segment("a-b.c_d~e").unwrap(), "a-b.c_d~e");
        for bad in ["", ".", ".."] {
            let error = segment(bad).unwrap_err();
            assert!(error.starts_with("parameter `id`"), "{error:?}");
        }
    }

    #[test]
    fn declared_headers_parse_or_are_none() {
        use reqwest::header::{HeaderMap, HeaderValue};
        let mut headers = HeaderMap::new();
        headers.insert("x-rate-limit", HeaderValue::from_static(" 42 "));
        headers.insert("x-name", HeaderValue::from_static("text"));
        headers.append("x-twice", HeaderValue::from_static("1"));
        headers.append("x-twice", HeaderValue::from_static("2"));
        assert_eq!(header_value::<i64>(&headers, "X-Rate-Limit"), Some(42));
        assert_eq!(header_value::<String>(&headers, "x-name"), Some("text".to_string()));
        assert_eq!(header_value::<i64>(&headers, "x-name"), None);
        assert_eq!(header_value::<i64>(&headers, "x-missing"), None);
        assert_eq!(header_value::<i64>(&headers, "x-twice"), None);
    }

    #[test]
    fn parameters_are_written_as_text() {
        assert_eq!(param_string("a b").unwrap(), "a b");
        assert_eq!(param_string(&42).unwrap(), "42");
        assert_eq!(param_string(&true).unwrap(), "true");
        assert_eq!(param_string(&Option::<u8>::None).unwrap(), "");
        assert_eq!(param_string(&["a", "b"]).unwrap(), "a,b");
        assert_eq!(param_string(&[1, 2]).unwrap(), "1,2");
    }

    #[test]
    fn query_styles() {
        // Properties come in the map's order, which serde_json's `preserve_order` feature
        // (set by whoever else in the build enables it) decides; compare them sorted.
        fn pairs<T: Serialize>(value: T, style: QueryStyle) -> Vec<(String, String)> {
            let mut pairs = query_pairs("p", &value, style).unwrap();
            pairs.sort();
            pairs
        }
        let pair = |k: &str, v: &str| (k.to_string(), v.to_string());
        let object = serde_json::json!({"x": 1, "name": "a b", "gone": null, "tags": ["t", "u"]});
        assert_eq!(pairs([1, 2], QueryStyle::Form), [pair("p", "1"), pair("p", "2")]);
        assert_eq!(pairs("one", QueryStyle::Form), [pair("p", "one")]);
        assert_eq!(pairs(&object, QueryStyle::Form), [pair("name", "a b"), pair("tags", "t,u"), pair("x", "1")]);
        assert_eq!(pairs([1, 2], QueryStyle::FormJoined), [pair("p", "1,2")]);
        let one = serde_json::json!({"x": 1, "gone": null});
        assert_eq!(pairs(&one, QueryStyle::FormJoined), [pair("p", "x,1")]);
        assert_eq!(pairs(["a", "b"], QueryStyle::SpaceDelimited), [pair("p", "a b")]);
        assert_eq!(pairs(["a", "b"], QueryStyle::PipeDelimited), [pair("p", "a|b")]);
        assert_eq!(
            pairs(&object, QueryStyle::DeepObject),
            [pair("p[name]", "a b"), pair("p[tags]", "t,u"), pair("p[x]", "1")]
        );
        assert_eq!(pairs(7, QueryStyle::DeepObject), [pair("p", "7")]);
        assert_eq!(pairs(serde_json::json!({"k": "v"}), QueryStyle::Json), [pair("p", r#"{"k":"v"}"#)]);
        assert_eq!(pairs("a", QueryStyle::Json), [pair("p", r#""a""#)]);
    }

    #[test]
    fn form_bodies_repeat_array_properties() {
        let body = serde_json::json!({"Name": "a b", "Urls": ["x", "y&z"], "Gone": null, "N": 2});
        let mut pairs = form_pairs(&body).unwrap();
        pairs.sort();
        let pair = |k: &str, v: &str| (k.to_string(), v.to_string());
        assert_eq!(pairs, [pair("N", "2"), pair("Name", "a b"), pair("Urls", "x"), pair("Urls", "y&z")]);
        assert!(form_pairs(&[1, 2]).is_err());
    }

    #[test]
    fn multipart_arrays_are_one_part_per_item() {
        let body = serde_json::json!({"tags": ["a", "b"], "meta": {"k": 1}, "n": 3, "gone": null});
        let (content_type, bytes) = multipart(&body).unwrap();
        let boundary = content_type.strip_prefix("multipart/form-data; boundary=").unwrap();
        let text = String::from_utf8(bytes).unwrap();
        let mut parts: Vec<&str> = text.split(&format!("--{boundary}")).map(str::trim).collect();
        assert_eq!(parts.remove(0), "");
        assert_eq!(parts.pop(), Some("--"));
        parts.sort();
        assert_eq!(
            parts,
            [
                "Content-Disposition: form-data; name=\"meta\"\r\nContent-Type: application/json\r\n\r\n{\"k\":1}",
                "Content-Disposition: form-data; name=\"n\"\r\n\r\n3",
                "Content-Disposition: form-data; name=\"tags\"\r\n\r\na",
                "Content-Disposition: form-data; name=\"tags\"\r\n\r\nb",
            ]
        );
    }

    #[test]
    fn cookie_values_cannot_add_cookies() {
        assert_eq!(cookie_value("x; admin=1"), "x%3B%20admin%3D1");
    }

    #[test]
    fn json_content_types() {
        for yes in
            ["application/json", "application/json; charset=utf-8", "application/problem+json", "APPLICATION/JSON"]
        {
            assert!(is_json(yes), "{yes}");
        }
        for no in ["text/plain", "text/html", "application/octet-stream", ""] {
            assert!(!is_json(no), "{no}");
        }
    }
}
