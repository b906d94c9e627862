//! The model to source text: each file is emitted and formatted with `prettyplease` on a
//! worker thread (token streams cannot cross threads, so emission happens where formatting
//! does), with the generated-file header.

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::emit::{emit_part, parts, Part};
use crate::model::Api;
use crate::{FileContents, Options};

/// The crate's files as text, with the time spent emitting and formatting (summed over the
/// threads, so it is CPU time, not wall time).
pub struct Formatted {
    pub files: Vec<(String, String)>,
    pub emit: Duration,
    pub format: Duration,
}

/// One file done by a worker: its index, its path and text (or the error), and the time spent
/// emitting and formatting it.
type Done = (usize, Result<(String, String), String>, Duration, Duration);

/// Emits and formats every file of the crate, on as many threads as the machine has.
pub fn render_files(api: &Api, options: &Options, header: &str) -> Result<Formatted, String> {
    let mut jobs: Vec<(usize, String, Part)> =
        parts(api).into_iter().enumerate().map(|(i, (path, part))| (i, path, part)).collect();
    // The biggest files first, so no thread is left with a large one at the end.
    jobs.sort_by_key(|(_, _, part)| std::cmp::Reverse(estimate(api, *part)));
    let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1).min(jobs.len()).max(1);
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Done>> = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                while let Some((i, path, part)) = jobs.get(next.fetch_add(1, Ordering::Relaxed)) {
                    let start = Instant::now();
                    let contents = emit_part(api, options, *part);
                    let emitted = Instant::now();
                    let text = format_one(path, contents, header).map(|text| (path.clone(), text));
                    let done = Instant::now();
                    results.lock().unwrap_or_else(|e| e.into_inner()).push((*i, text, emitted - start, done - emitted));
                }
            });
        }
    });
    let mut results = results.into_inner().unwrap_or_else(|e| e.into_inner());
    if results.len() != jobs.len() {
        return Err("a formatting thread failed".into());
    }
    results.sort_by_key(|(i, ..)| *i);
    let emit = results.iter().map(|r| r.2).sum();
    let format = results.iter().map(|r| r.3).sum();
    let files = results.into_iter().map(|(_, file, _, _)| file).collect::<Result<_, _>>()?;
    Ok(Formatted { files, emit, format })
}

/// A rough size of a part, for scheduling only.
fn estimate(api: &Api, part: Part) -> usize {
    match part {
        Part::Types => api.types.len().min(crate::emit::TYPES_PER_FILE),
        Part::TypesChunk { types, .. } => types,
        Part::Operations | Part::Cli if api.features.is_empty() => api.operations.len(),
        Part::OperationsGroup(index) | Part::CliGroup(index) => api.features[index].operations,
        Part::Examples => api.examples.len() / 4,
        Part::Expectations => api.operations.len(),
        _ => 0,
    }
}

fn format_one(path: &str, contents: FileContents, header: &str) -> Result<String, String> {
    match contents {
        FileContents::Rust(pieces) => {
            let mut printer = Printer { out: String::new(), previous: None };
            for (i, piece) in pieces.into_iter().enumerate() {
                let print = |input: syn::parse::ParseStream<'_>| printer.piece(input, i == 0);
                syn::parse::Parser::parse2(print, piece)
                    .map_err(|e| format!("{path}: the generator produced invalid Rust ({e}); this is a bug"))?;
            }
            Ok(format!("{header}{}", printer.out))
        }
        FileContents::Text(text) if Path::new(path).extension().is_some_and(|e| e == "rs") => {
            Ok(format!("{header}{text}"))
        }
        FileContents::Text(text) => Ok(text),
    }
}

/// A file as prettyplease prints it, with a blank line between items as rustfmt keeps them:
/// prettyplease prints a file without any, so each item is printed on its own. Imports and
/// module declarations stay together, as people group them. Each item is parsed, printed and
/// dropped before the next: the syntax tree of a whole file of a huge API was several times
/// the size of its text, and the peak of the generation.
struct Printer {
    out: String,
    previous: Option<Group>,
}

impl Printer {
    /// Prints the items of one piece of a file; the first also holds its inner attributes.
    fn piece(&mut self, input: syn::parse::ParseStream<'_>, first: bool) -> syn::Result<()> {
        if first {
            let attrs = input.call(syn::Attribute::parse_inner)?;
            self.out = prettyplease::unparse(&syn::File { shebang: None, attrs, items: Vec::new() });
        }
        while !input.is_empty() {
            let item: syn::Item = input.parse()?;
            let group = Group::of(&item);
            let together = group != Group::Other && Some(group) == self.previous;
            if !self.out.is_empty() && !together {
                self.out.push('\n');
            }
            self.previous = Some(group);
            self.out.push_str(&prettyplease::unparse(&syn::File {
                shebang: None,
                attrs: Vec::new(),
                items: vec![item],
            }));
        }
        Ok(())
    }
}

/// Items that sit together without blank lines between them.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Group {
    Use,
    /// `mod name;`, a declaration without a body.
    Mod,
    Other,
}

impl Group {
    fn of(item: &syn::Item) -> Self {
        match item {
            syn::Item::Use(_) => Group::Use,
            syn::Item::Mod(m) if m.content.is_none() => Group::Mod,
            _ => Group::Other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Printer;

    #[test]
    fn items_are_apart_and_imports_together() {
        let pieces = ["//! Docs.\nuse a::b;\nuse c::d;\n", "mod x;\nmod y;\n", "/// One.\nstruct One;\nimpl One {}\n"];
        let mut printer = Printer { out: String::new(), previous: None };
        for (i, piece) in pieces.into_iter().enumerate() {
            syn::parse::Parser::parse_str(|input: syn::parse::ParseStream<'_>| printer.piece(input, i == 0), piece)
                .unwrap();
        }
        assert_eq!(
            printer.out,
            "//! Docs.\n\nuse a::b;\nuse c::d;\n\nmod x;\nmod y;\n\n/// One.\nstruct One;\n\nimpl One {}\n"
        );
    }
}
