//! Finding paginated operations: a query parameter the client can move on from page to page,
//! and a response that says where the next page is (or that it is the last). Names reveal the
//! common patterns; `x-pagination` states one the names do not, or (`false`) turns it off.
//! Only what is certain is taken: an operation whose page has no list of items, or whose
//! paging parameter is required, is not paginated.

use std::collections::HashMap;

use serde_json::Value;

use super::Lowerer;
use crate::model::{
    Encoding, PagePattern, PageTotal, Pagination, Param, ParamLocation, SuccessType, TypeDef, TypeKind, TypeRef,
};
use crate::names::Ident;

/// Parameters that take a cursor the page gives.
const CURSOR_PARAMS: &[&str] = &[
    "cursor",
    "page_token",
    "pagetoken",
    "page_cursor",
    "next_token",
    "nexttoken",
    "continuation_token",
    "continuationtoken",
    "marker",
    "next",
    "after",
    "starting_after",
];
/// Fields of the page that hold the next cursor, in order of preference.
const NEXT_FIELDS: &[&str] = &[
    "next_cursor",
    "nextcursor",
    "next_page_token",
    "nextpagetoken",
    "next_token",
    "nexttoken",
    "next_marker",
    "nextmarker",
    "continuation_token",
    "continuationtoken",
    "cursor",
    "next",
    "next_page",
    "after",
    "last_id",
];
/// Parameters that take a page number.
const PAGE_PARAMS: &[&str] = &["page", "page_number", "pagenumber"];
/// Parameters that take how many items to skip.
const OFFSET_PARAMS: &[&str] = &["offset", "skip"];
/// Parameters that set how many items a page holds.
const SIZE_PARAMS: &[&str] = &["per_page", "perpage", "page_size", "pagesize", "limit", "size", "count", "max_results"];
/// Fields of the page that hold the next page's number.
const NEXT_PAGE_FIELDS: &[&str] = &["next_page", "nextpage"];
/// Fields that are `false` on the last page.
const HAS_MORE_FIELDS: &[&str] = &["has_more", "hasmore", "has_next", "hasnext", "has_next_page", "hasnextpage"];
/// Fields that count every item.
const TOTAL_FIELDS: &[&str] =
    &["total", "total_count", "totalcount", "total_entries", "total_results", "totalresults", "total_items"];
/// Fields that count every page.
const PAGES_FIELDS: &[&str] = &["pages", "total_pages", "totalpages", "page_count", "pagecount", "last_page"];
/// Fields that hold the items, in order of preference, when the page has several arrays.
const ITEMS_FIELDS: &[&str] = &["data", "items", "results", "entries", "records", "values", "elements", "list"];
/// Objects of the page searched for the fields above, besides the page itself.
const NESTED: &[&str] = &["meta", "pagination", "paging", "page_info", "pageinfo", "links", "cursors", "_links"];

/// A name reduced for comparison: `nextPageToken`, `next-page-token` and `next_page_token`
/// are the same.
fn key(name: &str) -> String {
    name.chars().filter(|c| c.is_ascii_alphanumeric()).flat_map(|c| c.to_lowercase()).collect()
}

fn is_one_of(name: &str, list: &[&str]) -> bool {
    let name = key(name);
    list.iter().any(|l| key(l) == name)
}

/// What the detection reads of an operation.
pub(super) struct Candidate<'p> {
    pub pointer: &'p str,
    pub params: &'p [Param],
    pub success: &'p SuccessType,
    /// The success responses declare a `Link` header.
    pub link_header: bool,
    /// The operation's `x-pagination`, if any.
    pub extension: Option<&'p Value>,
    pub is_get: bool,
}

/// A scalar field of the page, or an array, at a pointer.
struct Found {
    pointer: String,
    ty: TypeRef,
}

impl Lowerer<'_> {
    /// The operation's pagination.
    pub(super) fn pagination(&mut self, op: &Candidate<'_>) -> Option<Pagination> {
        match op.extension {
            Some(Value::Bool(false)) => return None,
            Some(Value::Object(stated)) => return self.stated(op, stated),
            Some(Value::Bool(true)) | None => {}
            Some(_) => {
                self.warn(format!("{}/x-pagination", op.pointer), "`x-pagination` must be an object or `false`");
                return None;
            }
        }
        if !op.is_get {
            return None;
        }
        let page = page_type(op.success)?;
        self.index_defs();
        let defs = Defs { list: &self.defs, by_name: &self.def_index };
        let items = items_of(defs, page)?;
        let param = |list: &[&str]| {
            op.params
                .iter()
                .find(|p| p.location == ParamLocation::Query && !p.required && is_one_of(&p.wire_name, list))
        };
        let size_param = param(SIZE_PARAMS).map(|p| p.wire_name.clone());
        let has_more = field(defs, page, HAS_MORE_FIELDS, is_bool).map(|f| f.pointer);
        let total = field(defs, page, TOTAL_FIELDS, is_int)
            .map(|f| PageTotal::Items(f.pointer))
            .or_else(|| field(defs, page, PAGES_FIELDS, is_int).map(|f| PageTotal::Pages(f.pointer)));
        let make = |pattern, param: Option<&Param>, next: Option<String>, has_more: Option<String>, total| Pagination {
            pattern,
            param: param.map(|p| (p.name.clone(), p.wire_name.clone())),
            items: items.pointer.clone(),
            item_type: items.ty.clone(),
            next,
            has_more,
            total,
            size_param: size_param.clone(),
            stated: false,
        };
        // A `page` that takes text is a cursor too (OpenAI's usage pages).
        let text_page = param(PAGE_PARAMS).filter(|p| matches!(p.ty.non_null(), TypeRef::String));
        if let Some(cursor) = param(CURSOR_PARAMS).or(text_page) {
            let last_item = is_one_of(&cursor.wire_name, &["starting_after", "after"]);
            if let Some(next) = field(defs, page, NEXT_FIELDS, is_scalar) {
                return Some(make(PagePattern::Cursor, Some(cursor), Some(next.pointer), has_more, None));
            }
            // Stripe's lists: the next page starts after the last item's id.
            let id = item_field(defs, &items.ty, "id");
            if let (true, Some(id), Some(_)) = (last_item, id, &has_more) {
                return Some(make(PagePattern::LastItem { id }, Some(cursor), None, has_more.clone(), None));
            }
        }
        if op.link_header {
            return Some(make(PagePattern::Link, None, None, None, None));
        }
        let ends = size_param.is_some() || has_more.is_some() || total.is_some();
        if let Some(page_param) = param(PAGE_PARAMS).filter(|p| is_int(&p.ty)) {
            let next = field(defs, page, NEXT_PAGE_FIELDS, is_int).map(|f| f.pointer);
            if ends || next.is_some() {
                let first = self.first_page(page_param);
                return Some(make(PagePattern::Page { first }, Some(page_param), next, has_more, total));
            }
        }
        if let Some(offset) = param(OFFSET_PARAMS).filter(|p| is_int(&p.ty)) {
            if ends {
                let total = total.filter(|t| matches!(t, PageTotal::Items(_)));
                return Some(make(PagePattern::Offset, Some(offset), None, has_more, total));
            }
        }
        None
    }

    /// The first page's number: 0 when the parameter's schema allows it as its minimum or
    /// default, else 1.
    fn first_page(&self, param: &Param) -> u64 {
        if self.zero_pages.contains(&param.pointer) {
            0
        } else {
            1
        }
    }

    /// The pattern `x-pagination` states:
    /// `{pattern, param, items, next, has_more, total, total_pages, size_param, id}`, places
    /// as JSON pointers into the page. What it leaves out is found as without it.
    fn stated(&mut self, op: &Candidate<'_>, stated: &serde_json::Map<String, Value>) -> Option<Pagination> {
        let at = format!("{}/x-pagination", op.pointer);
        let text = |key: &str| stated.get(key).and_then(Value::as_str).map(str::to_owned);
        let Some(page) = page_type(op.success) else {
            self.warn(&at, "`x-pagination` on an operation whose success is not a JSON body; ignored");
            return None;
        };
        self.index_defs();
        let defs = Defs { list: &self.defs, by_name: &self.def_index };
        let items = match text("items") {
            Some(pointer) => match type_at(defs, page, &pointer).map(|ty| array_item(defs, &ty)) {
                Some(Some(ty)) => Some(Found { pointer, ty }),
                _ => None,
            },
            None => items_of(defs, page),
        };
        let Some(items) = items else {
            self.warn(&at, "`x-pagination`: the page has no list of items (give `items` as a JSON pointer to one)");
            return None;
        };
        let pattern = match text("pattern").as_deref() {
            Some("cursor") => PagePattern::Cursor,
            Some("page") => PagePattern::Page { first: 1 },
            Some("offset") => PagePattern::Offset,
            Some("link") => PagePattern::Link,
            Some("last-item") => PagePattern::LastItem { id: text("id").unwrap_or_else(|| "/id".into()) },
            other => {
                self.warn(
                    &at,
                    format!(
                        "`x-pagination`: `pattern` is {other:?}, not one of cursor, last-item, page, offset, link; ignored"
                    ),
                );
                return None;
            }
        };
        let param = match (&pattern, text("param")) {
            (PagePattern::Link, _) => None,
            (_, None) => {
                self.warn(&at, "`x-pagination`: `param` (the query parameter the stream sets) is missing; ignored");
                return None;
            }
            (_, Some(wire)) => {
                let found = op.params.iter().find(|p| p.location == ParamLocation::Query && p.wire_name == wire);
                match found {
                    Some(p) if !p.required => Some(p),
                    _ => {
                        self.warn(&at, format!("`x-pagination`: {wire:?} is not an optional query parameter; ignored"));
                        return None;
                    }
                }
            }
        };
        let pattern = match pattern {
            PagePattern::Page { .. } => PagePattern::Page { first: param.map_or(1, |p| self.first_page(p)) },
            other => other,
        };
        let next = text("next");
        if pattern == PagePattern::Cursor && next.is_none() {
            self.warn(
                &at,
                "`x-pagination`: a cursor needs `next`, the pointer to the next cursor in the page; ignored",
            );
            return None;
        }
        let total = text("total").map(PageTotal::Items).or_else(|| text("total_pages").map(PageTotal::Pages));
        Some(Pagination {
            pattern,
            param: param.map(|p| (p.name.clone(), p.wire_name.clone())),
            items: items.pointer,
            item_type: items.ty,
            next,
            has_more: text("has_more"),
            total,
            size_param: text("size_param"),
            stated: true,
        })
    }
}

/// The type of a JSON success body.
fn page_type(success: &SuccessType) -> Option<&TypeRef> {
    match success {
        SuccessType::Body(payload) if payload.encoding == Encoding::Json => Some(&payload.ty),
        _ => None,
    }
}

fn find<'d>(defs: Defs<'d>, name: &Ident) -> Option<&'d TypeDef> {
    defs.by_name.get(name.as_str()).map(|&i| &defs.list[i])
}

/// The types lowered so far, and their index by name: detection looks types up for every
/// operation, and a search of the list made a huge API's lowering quadratic.
#[derive(Clone, Copy)]
struct Defs<'d> {
    list: &'d [TypeDef],
    by_name: &'d HashMap<String, usize>,
}

/// `ty` with aliases and `null` seen through.
fn resolve<'d>(defs: Defs<'d>, ty: &'d TypeRef) -> &'d TypeRef {
    let mut ty = ty.non_null();
    for _ in 0..16 {
        match ty {
            TypeRef::Named(name) => match find(defs, name).map(|d| &d.kind) {
                Some(TypeKind::Alias(inner)) => ty = inner.non_null(),
                _ => return ty,
            },
            _ => return ty,
        }
    }
    ty
}

/// The properties of a struct type, by wire name and type.
fn properties<'d>(defs: Defs<'d>, ty: &'d TypeRef) -> Vec<(&'d str, &'d TypeRef)> {
    match resolve(defs, ty) {
        TypeRef::Named(name) => match find(defs, name).map(|d| &d.kind) {
            Some(TypeKind::Struct(s)) => {
                s.fields.iter().filter(|f| !f.is_flattened()).map(|f| (f.wire_name(), &f.ty)).collect()
            }
            _ => Vec::new(),
        },
        _ => Vec::new(),
    }
}

fn array_item(defs: Defs<'_>, ty: &TypeRef) -> Option<TypeRef> {
    match resolve(defs, ty) {
        TypeRef::Array(item) => Some((**item).clone()),
        _ => None,
    }
}

/// The list of items: the page itself, the array property named like one, or its only array.
fn items_of(defs: Defs<'_>, page: &TypeRef) -> Option<Found> {
    if let Some(ty) = array_item(defs, page) {
        return Some(Found { pointer: String::new(), ty });
    }
    let arrays: Vec<(&str, TypeRef)> =
        properties(defs, page).into_iter().filter_map(|(name, ty)| Some((name, array_item(defs, ty)?))).collect();
    // An object with one array among other properties is often a single resource (an event
    // and its `relationships`): its only array is taken for the items when it is all the
    // object holds, or beside paging fields.
    let paged = || {
        let props = properties(defs, page);
        props.len() == 1
            || props.iter().any(|(name, _)| {
                [NESTED, NEXT_FIELDS, HAS_MORE_FIELDS, TOTAL_FIELDS, PAGES_FIELDS]
                    .iter()
                    .any(|list| is_one_of(name, list))
            })
    };
    let chosen =
        ITEMS_FIELDS.iter().find_map(|want| arrays.iter().find(|(name, _)| key(name) == key(want))).or(match arrays
            .as_slice()
        {
            [only] if paged() => Some(only),
            _ => None,
        })?;
    Some(Found { pointer: format!("/{}", escape(chosen.0)), ty: chosen.1.clone() })
}

/// The first field named as in `names`, of the page or of one of its `NESTED` objects (two
/// levels at most: `meta.pagination.next_page`), whose type passes `accept`.
fn field(defs: Defs<'_>, page: &TypeRef, names: &[&str], accept: fn(&TypeRef) -> bool) -> Option<Found> {
    fn search(
        defs: Defs<'_>,
        ty: &TypeRef,
        prefix: &str,
        names: &[&str],
        accept: fn(&TypeRef) -> bool,
        depth: usize,
    ) -> Option<Found> {
        let props = properties(defs, ty);
        for want in names {
            if let Some((name, ty)) = props.iter().find(|(name, _)| key(name) == key(want)) {
                let ty = resolve(defs, ty);
                if accept(ty) {
                    return Some(Found { pointer: format!("{prefix}/{}", escape(name)), ty: ty.clone() });
                }
            }
        }
        if depth == 0 {
            return None;
        }
        props
            .iter()
            .filter(|(name, _)| is_one_of(name, NESTED))
            .find_map(|(name, ty)| search(defs, ty, &format!("{prefix}/{}", escape(name)), names, accept, depth - 1))
    }
    search(defs, page, "", names, accept, 2)
}

/// The pointer to an item's `name` property, when items are objects that have one.
fn item_field(defs: Defs<'_>, item: &TypeRef, name: &str) -> Option<String> {
    properties(defs, item)
        .iter()
        .find(|(wire, ty)| *wire == name && is_scalar(resolve(defs, ty)))
        .map(|(wire, _)| format!("/{}", escape(wire)))
}

/// The type at a JSON pointer into a value of type `ty`.
fn type_at(defs: Defs<'_>, ty: &TypeRef, pointer: &str) -> Option<TypeRef> {
    let mut ty = ty.clone();
    for step in pointer.split('/').skip(1) {
        let step = step.replace("~1", "/").replace("~0", "~");
        let props = properties(defs, &ty);
        ty = props.iter().find(|(name, _)| *name == step)?.1.clone();
    }
    Some(ty)
}

fn escape(name: &str) -> String {
    name.replace('~', "~0").replace('/', "~1")
}

fn is_bool(ty: &TypeRef) -> bool {
    matches!(ty.non_null(), TypeRef::Bool)
}

fn is_int(ty: &TypeRef) -> bool {
    matches!(ty.non_null(), TypeRef::Int(_))
}

fn is_scalar(ty: &TypeRef) -> bool {
    matches!(ty.non_null(), TypeRef::String | TypeRef::Int(_) | TypeRef::Uuid)
}
