//! Scale: what grows with the document grows linearly (timed by hand at 10k and 100k: about
//! ten times apart), and what nests without bound is a located error, not a stack overflow.

use std::fmt::Write;

use crate::small_stack;

use generator::diagnostic::Location;
use generator::model::{Api, TypeKind};

const HEAD: &str = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths: {}\n";

fn lower(text: String) -> Api {
    small_stack(move || {
        let document = generator::read::source::parse(text.as_bytes(), "t.yaml").unwrap_or_else(|e| panic!("{e}"));
        generator::lower::lower(&document).unwrap_or_else(|e| panic!("{e}"))
    })
}

fn kind<'a>(api: &'a Api, name: &str) -> &'a TypeKind {
    &api.types.iter().find(|t| t.name == name).unwrap().kind
}

#[test]
fn an_object_of_a_hundred_thousand_properties() {
    let mut text = format!(
        "{HEAD}components:\n  schemas:\n    Big:\n      type: object\n      required: [p99999]\n      properties:\n"
    );
    for i in 0..100_000 {
        writeln!(text, "        p{i}: {{type: string}}").unwrap();
    }
    let api = lower(text);
    let TypeKind::Struct(s) = kind(&api, "Big") else { panic!() };
    assert_eq!(s.fields.len(), 100_000);
    assert!(s.fields[99_999].required());
}

#[test]
fn an_enum_of_a_hundred_thousand_values() {
    let mut text = format!("{HEAD}components:\n  schemas:\n    Big:\n      type: string\n      enum:\n");
    for i in 0..100_000 {
        writeln!(text, "        - value-{i}").unwrap();
    }
    let api = lower(text);
    let TypeKind::Enum(e) = kind(&api, "Big") else { panic!() };
    assert_eq!(e.variants.len(), 100_000);
}

/// The error reading `text` gives, which must have a line and column.
fn nesting_error(text: String) -> String {
    small_stack(move || {
        let errors = generator::read::source::parse(text.as_bytes(), "t.yaml").unwrap_err();
        let [error] = errors.0.as_slice() else { panic!("{errors}") };
        assert!(matches!(error.location, Location::LineColumn { .. }), "{error}");
        error.to_string()
    })
}

#[test]
fn ten_thousand_levels_of_nesting_are_an_error_where_they_go_too_deep() {
    const N: usize = 10_000;
    let yaml_lists = format!("{HEAD}x-deep: {}{}\n", "[".repeat(N), "]".repeat(N));
    let yaml_maps = format!("{HEAD}x-deep: {}1{}\n", "{a: ".repeat(N), "}".repeat(N));
    let json_lists = format!("{{\"openapi\": \"3.0.3\", \"x-deep\": {}{}}}", "[".repeat(N), "]".repeat(N));
    let json_maps = format!("{{\"openapi\": \"3.0.3\", \"x-deep\": {}1{}}}", "{\"a\": ".repeat(N), "}".repeat(N));
    let mut block = format!("{HEAD}x-deep:\n");
    for depth in 1..1000 {
        writeln!(block, "{}a:", " ".repeat(depth)).unwrap();
    }
    for text in [yaml_lists, yaml_maps, json_lists, json_maps, block] {
        let e = nesting_error(text);
        assert!(e.contains("recursion limit exceeded"), "{e}");
    }
}
