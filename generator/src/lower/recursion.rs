//! Types that contain each other by value have no finite size; the fields that close such a
//! cycle are boxed. Cycles are found as strongly connected components (Tarjan), so the pass
//! is linear in the number of types and fields.

use std::collections::HashMap;

use crate::model::{TypeDef, TypeKind, TypeRef};

/// The named types a reference holds inline (not behind a `Vec` or map).
fn by_value(ty: &TypeRef) -> Vec<&str> {
    match ty {
        TypeRef::Named(name) => vec![name.as_str()],
        TypeRef::Nullable(inner) => by_value(inner),
        TypeRef::Tuple(items) => items.iter().flat_map(by_value).collect(),
        _ => Vec::new(),
    }
}

fn edges(def: &TypeDef) -> Vec<&str> {
    match &def.kind {
        TypeKind::Struct(s) => s.fields.iter().flat_map(|f| by_value(&f.ty)).collect(),
        TypeKind::Union(u) => u.variants.iter().flat_map(|v| by_value(&v.ty)).collect(),
        TypeKind::Alias(ty) => by_value(ty),
        _ => Vec::new(),
    }
}

/// Rust refuses an alias that names itself, even behind a `Vec` (`type Tree = Vec<Tree>;`):
/// each alias that reaches itself through other aliases and a list or map becomes a newtype.
/// (One that does so by value alone is an error of [`box_cycles`].)
fn wrap_recursive_aliases(defs: &mut [TypeDef], index: &HashMap<String, usize>) {
    let mentions = |ty: &TypeRef| {
        let mut names = Vec::new();
        ty.names(&mut names);
        names.into_iter().filter_map(|n| index.get(n.as_str()).copied()).collect::<Vec<usize>>()
    };
    let graph: Vec<Vec<usize>> = defs
        .iter()
        .map(|d| match &d.kind {
            TypeKind::Alias(ty) => {
                mentions(ty).into_iter().filter(|&j| matches!(defs[j].kind, TypeKind::Alias(_))).collect()
            }
            _ => Vec::new(),
        })
        .collect();
    let component = tarjan(&graph);
    let wrap: Vec<usize> = (0..defs.len())
        .filter(|&i| {
            let TypeKind::Alias(ty) = &defs[i].kind else { return false };
            let by_value: Vec<&str> = by_value(ty);
            // An edge inside the cycle that goes through a list or map.
            graph[i].iter().any(|&j| component[j] == component[i] && !by_value.contains(&defs[j].name.as_str()))
        })
        .collect();
    for i in wrap {
        if let TypeKind::Alias(ty) = &defs[i].kind {
            defs[i].kind = TypeKind::Newtype(ty.clone());
        }
    }
}

/// Boxes every by-value reference inside a cycle. Fails with the names of each cycle made
/// only of aliases, which no box can break.
pub fn box_cycles(defs: &mut [TypeDef]) -> Result<(), Vec<Vec<String>>> {
    let index: HashMap<String, usize> = defs.iter().enumerate().map(|(i, d)| (d.name.to_string(), i)).collect();
    wrap_recursive_aliases(defs, &index);
    let graph: Vec<Vec<usize>> =
        defs.iter().map(|d| edges(d).into_iter().filter_map(|n| index.get(n).copied()).collect()).collect();
    let component = tarjan(&graph);
    let mut size = vec![0usize; defs.len()];
    for &c in &component {
        size[c] += 1;
    }
    let cyclic = |from: usize, to: usize| component[from] == component[to] && (size[component[from]] > 1 || from == to);
    let in_cycle = |i: usize, ty: &TypeRef| by_value(ty).iter().filter_map(|n| index.get(*n)).any(|&j| cyclic(i, j));
    for (i, def) in defs.iter_mut().enumerate() {
        match &mut def.kind {
            TypeKind::Struct(s) => {
                for field in &mut s.fields {
                    field.boxed = in_cycle(i, &field.ty);
                }
            }
            TypeKind::Union(u) => {
                for variant in &mut u.variants {
                    variant.boxed = in_cycle(i, &variant.ty);
                }
            }
            _ => {}
        }
    }
    // A cycle of aliases alone (`type A = B; type B = A;`) cannot be broken.
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); defs.len()];
    for (i, &c) in component.iter().enumerate() {
        members[c].push(i);
    }
    let unbreakable: Vec<Vec<String>> = members
        .iter()
        .filter(|m| m.len() > 1 || m.first().is_some_and(|&i| graph[i].contains(&i)))
        .filter(|m| m.iter().all(|&i| matches!(defs[i].kind, TypeKind::Alias(_))))
        .map(|m| m.iter().map(|&i| defs[i].name.to_string()).collect())
        .collect();
    if unbreakable.is_empty() {
        Ok(())
    } else {
        Err(unbreakable)
    }
}

/// Component id of every node (iterative, so deep schemas cannot overflow the stack).
fn tarjan(graph: &[Vec<usize>]) -> Vec<usize> {
    let n = graph.len();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut component = vec![usize::MAX; n];
    let mut next_index = 0;
    let mut next_component = 0;
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        let mut work = vec![(root, 0usize)];
        while let Some((v, child)) = work.pop() {
            if child == 0 {
                index[v] = next_index;
                low[v] = next_index;
                next_index += 1;
                stack.push(v);
                on_stack[v] = true;
            }
            if let Some(&w) = graph[v].get(child) {
                work.push((v, child + 1));
                if index[w] == usize::MAX {
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            if low[v] == index[v] {
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    component[w] = next_component;
                    if w == v {
                        break;
                    }
                }
                next_component += 1;
            }
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
        }
    }
    component
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Field, FieldKind, Property, Struct};

    fn strukt(name: &str, fields: &[(&str, TypeRef)]) -> TypeDef {
        TypeDef {
            name: name.into(),
            doc: None,
            pointer: String::new(),
            side: crate::model::Side::Neither,
            kind: TypeKind::Struct(Struct::new(
                fields
                    .iter()
                    .map(|(n, ty)| Field {
                        name: (*n).into(),
                        doc: None,
                        ty: ty.clone(),
                        boxed: false,
                        takes_null: false,
                        setter: None,
                        kind: FieldKind::Property(Property {
                            wire_name: n.to_string(),
                            pointer: String::new(),
                            required: true,
                            default: None,
                            read_only: false,
                            write_only: false,
                            deprecated: false,
                        }),
                    })
                    .collect(),
            )),
            traits: Default::default(),
        }
    }

    fn boxed(def: &TypeDef) -> Vec<bool> {
        match &def.kind {
            TypeKind::Struct(s) => s.fields.iter().map(|f| f.boxed).collect(),
            _ => vec![],
        }
    }

    #[test]
    fn boxes_only_fields_that_close_a_cycle() {
        let named = |n: &str| TypeRef::Named(n.into());
        let mut defs = vec![
            strukt(
                "Node",
                &[
                    ("next", TypeRef::Nullable(Box::new(named("Node")))),
                    ("children", TypeRef::Array(Box::new(named("Node")))),
                    ("leaf", named("Leaf")),
                ],
            ),
            strukt("Leaf", &[("v", TypeRef::String)]),
            strukt("A", &[("b", named("B"))]),
            strukt("B", &[("a", named("A"))]),
        ];
        box_cycles(&mut defs).unwrap();
        assert_eq!(boxed(&defs[0]), [true, false, false]);
        assert_eq!(boxed(&defs[2]), [true]);
        assert_eq!(boxed(&defs[3]), [true]);
    }

    #[test]
    fn alias_cycles_are_errors() {
        let alias = |n: &str, to: &str| TypeDef {
            name: n.into(),
            doc: None,
            kind: TypeKind::Alias(TypeRef::Named(to.into())),
            pointer: String::new(),
            side: crate::model::Side::Neither,
            traits: Default::default(),
        };
        let mut defs = vec![alias("A", "B"), alias("B", "A")];
        assert_eq!(box_cycles(&mut defs).unwrap_err(), [["A", "B"]]);
    }
}
