//! `cargo xtask <command>`: see `cargo xtask --help`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use generator::{Config, Selection, Split};

// Generation builds and drops millions of small token trees and syntax nodes on two threads at
// once; glibc's allocator spent a quarter of a large run in malloc and free.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "cargo xtask", about = "Project automation for the OpenAPI client generator")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Generate a client crate from an OpenAPI document (by default spec/openapi.yaml into generated/).
    Codegen {
        /// Write nothing; fail with a diff if the output folder is not what would be generated.
        #[arg(long)]
        check: bool,
        /// Move the crate's version by the most serious change of its API since the version was
        /// last set: major for breaking, minor for compatible, patch for documentation (cargo's
        /// rules before 1.0).
        #[arg(long)]
        bump: bool,
        /// The OpenAPI document (YAML or JSON).
        #[arg(long, value_name = "PATH", requires = "out")]
        spec: Option<PathBuf>,
        /// The folder to write the crate into.
        #[arg(long, value_name = "DIR", requires = "spec")]
        out: Option<PathBuf>,
        /// The package name (default: derived from the document's title).
        #[arg(long, value_name = "NAME")]
        crate_name: Option<String>,
        /// Generate only the operations with this tag (repeatable), and the types they use.
        #[arg(long = "tag", value_name = "TAG")]
        tags: Vec<String>,
        /// Generate only this operation, by operationId or method name (repeatable).
        #[arg(long = "operation", value_name = "ID")]
        operations: Vec<String>,
        /// Generate only the operations whose path starts with this (repeatable).
        #[arg(long = "path-prefix", value_name = "PREFIX")]
        path_prefixes: Vec<String>,
        /// Gate each tag's operations, and the types only they use, behind a cargo feature:
        /// `auto` does it for more than 100 operations.
        #[arg(long, value_name = "WHEN", default_value = "auto")]
        features: FeaturesArg,
        /// Generate no `items()` and `pages()` for paginated operations.
        #[arg(long)]
        no_pagination: bool,
        /// Print each paginated operation found, with its pattern and the places it reads.
        #[arg(long)]
        list_pagination: bool,
        /// A folder whose files the document's `$ref`s may read too, besides the document's
        /// own folder (or its git repository) (repeatable).
        #[arg(long = "allow-ref-dir", value_name = "DIR")]
        allow_ref_dirs: Vec<PathBuf>,
        /// Make a component schema an existing Rust type, optionally from a crate the manifest
        /// then depends on: `Money=rust_decimal::Decimal@rust_decimal:1` (repeatable).
        #[arg(long = "replace-type", value_name = "SCHEMA=PATH[@CRATE:VERSION]", value_parser = parse_replacement)]
        replace_types: Vec<Replacement>,
        /// Derive this too on every type made from a schema (`Hash`, `schemars::JsonSchema`)
        /// (repeatable).
        #[arg(long = "derive", value_name = "PATH")]
        derives: Vec<String>,
        /// Give an operation another method name: `listPetsV2=list_pets` (repeatable).
        #[arg(long = "rename-operation", value_name = "OPERATION_ID=NAME", value_parser = parse_pair)]
        rename_operations: Vec<(String, String)>,
        /// Give a component schema another type name: `PetV2=Pet` (repeatable).
        #[arg(long = "rename-type", value_name = "SCHEMA=NAME", value_parser = parse_pair)]
        rename_types: Vec<(String, String)>,
    },
    /// Generate a crate from every spec in a folder and check that they all compile.
    Corpus {
        /// The folder of specs.
        #[arg(long, default_value = "../shared/corpus")]
        dir: PathBuf,
        /// Where to put the generated crates and their workspace.
        #[arg(long, default_value = "target/corpus")]
        out: PathBuf,
        /// Only specs of at most this many bytes.
        #[arg(long)]
        max_size: Option<u64>,
        /// Also write the table to this file.
        #[arg(long)]
        report: Option<PathBuf>,
        /// Split crates into cargo features per tag (each is then checked on its own).
        #[arg(long, value_name = "WHEN", default_value = "auto")]
        features: FeaturesArg,
        /// Do not run the crates' tests (`tests/examples/` of each crate: its front page's
        /// example compiled, the round trips of its document's examples), only check them.
        #[arg(long)]
        no_tests: bool,
    },
    /// Call every operation of generated clients against Prism in dynamic mode and judge what
    /// comes back (`cargo xtask conformance --help` lists the options).
    #[command(disable_help_flag = true)]
    Conformance {
        /// The options of the `conformance` crate's command, passed on.
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// Benchmarks of the generator, in a release build (`cargo xtask bench --help` lists the
    /// options).
    #[command(disable_help_flag = true)]
    Bench {
        /// The options of the `bench` crate's command, passed on.
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
}

/// `--replace-type`: a schema, the Rust type's path, and the crate it needs.
#[derive(Clone, Debug)]
struct Replacement {
    schema: String,
    path: String,
    dependency: Option<(String, String)>,
}

/// `KEY=VALUE`, both non-empty.
fn parse_pair(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((key, value)) if !key.is_empty() && !value.is_empty() => Ok((key.to_string(), value.to_string())),
        _ => Err(format!("{text:?} is not KEY=VALUE")),
    }
}

/// `SCHEMA=PATH` or `SCHEMA=PATH@CRATE:VERSION`.
fn parse_replacement(text: &str) -> Result<Replacement, String> {
    let (schema, rest) = parse_pair(text)?;
    let (path, dependency) = match rest.split_once('@') {
        None => (rest, None),
        Some((path, dependency)) => match dependency.split_once(':') {
            Some((krate, version)) if !krate.is_empty() && !version.is_empty() && !path.is_empty() => {
                (path.to_string(), Some((krate.to_string(), version.to_string())))
            }
            _ => return Err(format!("{text:?}: the crate is written @CRATE:VERSION (`@rust_decimal:1`)")),
        },
    };
    Ok(Replacement { schema, path, dependency })
}

/// When to split a crate into features.
#[derive(Clone, Copy, clap::ValueEnum)]
enum FeaturesArg {
    Auto,
    Always,
    Never,
}

impl From<FeaturesArg> for Split {
    fn from(arg: FeaturesArg) -> Self {
        match arg {
            FeaturesArg::Auto => Split::Auto,
            FeaturesArg::Always => Split::Always,
            FeaturesArg::Never => Split::Never,
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Codegen {
            check,
            bump,
            spec,
            out,
            crate_name,
            tags,
            operations,
            path_prefixes,
            features,
            no_pagination,
            list_pagination,
            allow_ref_dirs,
            replace_types,
            derives,
            rename_operations,
            rename_types,
        } => {
            // By default the project's own crate: `spec/openapi.yaml` into `generated/`, named as
            // such in headers wherever the command runs. A given path is named relative to the
            // current folder, so the output does not depend on the machine's folders.
            let (mut config, out) = match (spec, out) {
                (Some(spec), Some(out)) => (Config::new(spec), out),
                _ => {
                    let root = xtask::project_root();
                    let mut config = Config::new(root.join("spec/openapi.yaml"));
                    config.spec_name("spec/openapi.yaml");
                    (config, root.join("generated"))
                }
            };
            if let Some(name) = crate_name {
                config.crate_name(name);
            }
            config
                .selection(Selection { tags, operations, path_prefixes })
                .features(features.into())
                .pagination(!no_pagination)
                .bump(bump);
            for dir in allow_ref_dirs {
                config.allow_ref_dir(dir);
            }
            for r in replace_types {
                config.replace_type(r.schema, r.path, r.dependency.as_ref().map(|(c, v)| (c.as_str(), v.as_str())));
            }
            for derive in derives {
                config.derive(derive);
            }
            for (id, name) in rename_operations {
                config.rename_operation(id, name);
            }
            for (schema, name) in rename_types {
                config.rename_type(schema, name);
            }
            codegen_command(&config, &out, check, list_pagination)
        }
        // The benchmarks time the generator, so they are built with optimisations.
        Command::Bench { args } => delegate("bench", &["--release"], &args),
        Command::Conformance { args } => delegate("conformance", &[], &args),
        Command::Corpus { dir, out, max_size, report, features, no_tests } => {
            let root = xtask::project_root();
            let options = xtask::corpus::Options {
                dir: root.join(dir),
                out: root.join(out),
                max_size,
                report: report.map(|r| root.join(r)),
                features: features.into(),
                tests: !no_tests,
            };
            match xtask::corpus::run(&options) {
                Ok(true) => ExitCode::SUCCESS,
                Ok(false) => {
                    eprintln!("error: some specs did not generate or compile cleanly, or their tests failed");
                    ExitCode::FAILURE
                }
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::FAILURE
                }
            }
        }
    }
}

/// Runs the command of the workspace's `package`. The conformance suite and the benchmarks live
/// in crates of their own, so that their dependencies (an HTTP proxy and client, random values
/// from regexes, a chart library) are not built for `cargo xtask codegen`.
fn delegate(package: &str, cargo_options: &[&str], args: &[String]) -> ExitCode {
    let manifest = xtask::project_root().join("Cargo.toml");
    let status = project::cargo()
        .args(["run", "--quiet", "--package", package])
        .args(cargo_options)
        .arg("--manifest-path")
        .arg(manifest)
        .arg("--")
        .args(args)
        .status();
    match status {
        Ok(status) if status.success() => ExitCode::SUCCESS,
        Ok(_) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("error: cannot run cargo: {e}");
            ExitCode::FAILURE
        }
    }
}

fn codegen_command(config: &Config, out: &std::path::Path, check: bool, list_pagination: bool) -> ExitCode {
    let run = if check { config.check(out) } else { config.generate(out) };
    let generator::Generated { rendered, outcome } = match run {
        Ok(result) => result,
        Err(failure) => {
            eprintln!("{failure}");
            return ExitCode::FAILURE;
        }
    };
    for warning in &rendered.warnings {
        eprintln!("{warning}");
    }
    if !rendered.paginated.is_empty() {
        // A few names say what was found; `--list-pagination` lists them all.
        const SHOWN: usize = 8;
        let mut found: Vec<String> =
            rendered.paginated.iter().take(SHOWN).map(|p| format!("{} ({})", p.operation, p.pattern)).collect();
        if rendered.paginated.len() > SHOWN {
            found.push(format!("and {} more (--list-pagination lists them)", rendered.paginated.len() - SHOWN));
        }
        eprintln!(
            "info: {} paginated operation(s), with items() and pages(): {}",
            rendered.paginated.len(),
            found.join(", ")
        );
    }
    if list_pagination {
        for p in &rendered.paginated {
            println!("{}\t{}\t{}", p.operation, p.pattern, p.detail);
        }
    }
    let out = generator::display(out);
    // The report of what changed in the crate's API comes first, on stdout (with the diff).
    print_diff(&rendered.report);
    if check {
        if outcome.is_clean() {
            eprintln!("{out} is up to date with {}", generator::escape::one_line(config.spec_label()));
            return ExitCode::SUCCESS;
        }
        print_diff(&outcome.diff);
        eprintln!(
            "error: {out} is stale ({} file(s) differ, {} to remove); run `cargo xtask codegen` and commit the result",
            outcome.changed.len(),
            outcome.removed.len()
        );
        return ExitCode::FAILURE;
    }
    if outcome.is_clean() {
        eprintln!("{out} is up to date ({} operations, {} types)", rendered.operations, rendered.types);
    } else {
        eprintln!(
            "wrote {out}: {} file(s) changed, {} removed ({} operations, {} types)",
            outcome.changed.len(),
            outcome.removed.len(),
            rendered.operations,
            rendered.types
        );
    }
    // The benchmark reads the peak from the generating process itself: a parent sees only
    // the largest of all its children.
    if std::env::var_os(PEAK_MEMORY_VAR).is_some() {
        if let Some(kb) = xtask::peak_memory_kb() {
            eprintln!("peak memory: {kb} kB");
        }
    }
    ExitCode::SUCCESS
}

/// Writes the `--check` diff to stdout. A reader that stops early (`| head`) or a full disk
/// does not change the check's answer, which is the exit status; `print!` would panic there.
fn print_diff(diff: &str) {
    use std::io::Write as _;
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(diff.as_bytes()).and_then(|()| out.flush());
}

/// Set, `codegen` ends by printing its peak resident memory (`peak memory: N kB`).
const PEAK_MEMORY_VAR: &str = "XTASK_PEAK_MEMORY";
