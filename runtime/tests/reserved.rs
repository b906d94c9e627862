//! The names the generator avoids are the names the runtime defines.

use std::collections::BTreeSet;

use client_runtime::reserved::{
    BUILDER_METHODS, CALL_METHODS, CALL_TRAIT_METHODS, CLIENT_METHODS, EXPECT_METHODS, GENERATED_CALL_METHODS,
    GENERATED_CLIENT_METHODS, GENERATED_EXPECT_METHODS, ROOT_TYPES, TRAIT_METHODS,
};

fn source(file: &str) -> syn::File {
    let path = format!("{}/src/{file}", env!("CARGO_MANIFEST_DIR"));
    syn::parse_file(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

/// The methods of the inherent `impl` blocks of `type_name` in `file`.
fn methods(file: &str, type_name: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for item in source(file).items {
        let syn::Item::Impl(block) = item else { continue };
        let syn::Type::Path(ty) = &*block.self_ty else { continue };
        // `Call<T, E, H, O>` as well as `Client`.
        let named = ty.path.segments.last().is_some_and(|segment| segment.ident == type_name);
        if block.trait_.is_some() || !named {
            continue;
        }
        for item in block.items {
            if let syn::ImplItem::Fn(f) = item {
                out.insert(f.sig.ident.to_string());
            }
        }
    }
    out
}

fn set(names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|n| n.to_string()).collect()
}

#[test]
fn client_methods_are_reserved() {
    let mut defined = methods("client.rs", "Client");
    assert!(defined.contains("with_header"), "{defined:?}");
    defined.extend(set(GENERATED_CLIENT_METHODS));
    defined.extend(set(TRAIT_METHODS));
    assert_eq!(set(CLIENT_METHODS), defined);
}

#[test]
fn call_methods_are_reserved() {
    let mut defined = methods("call.rs", "Call");
    assert!(defined.contains("send_with_headers"), "{defined:?}");
    defined.extend(set(GENERATED_CALL_METHODS));
    defined.extend(set(CALL_TRAIT_METHODS));
    assert_eq!(set(CALL_METHODS), defined);
}

#[test]
fn expect_methods_are_reserved() {
    let mut defined = methods("mock.rs", "Expect");
    assert!(defined.contains("times"), "{defined:?}");
    defined.extend(set(GENERATED_EXPECT_METHODS));
    assert_eq!(set(EXPECT_METHODS), defined);
}

#[test]
fn builder_methods_are_reserved() {
    let defined = methods("client.rs", "ClientBuilder");
    assert!(defined.contains("build"), "{defined:?}");
    assert_eq!(set(BUILDER_METHODS), defined);
}

#[test]
fn root_types_are_reserved() {
    let mut exported = BTreeSet::new();
    for item in source("lib.rs").items {
        let syn::Item::Use(item) = item else { continue };
        let mut stack = vec![item.tree];
        while let Some(tree) = stack.pop() {
            match tree {
                syn::UseTree::Path(p) => stack.push(*p.tree),
                syn::UseTree::Group(g) => stack.extend(g.items),
                // Types, not constants: capitalised, with a lowercase letter.
                syn::UseTree::Name(n) => {
                    let name = n.ident.to_string();
                    if name.starts_with(char::is_uppercase) && name.chars().any(char::is_lowercase) {
                        exported.insert(name);
                    }
                }
                _ => {}
            }
        }
    }
    assert!(exported.contains("Client"), "{exported:?}");
    let reserved = set(ROOT_TYPES);
    let missing: Vec<_> = exported.difference(&reserved).collect();
    assert!(missing.is_empty(), "types the runtime exports but the generator does not avoid: {missing:?}");
}
