//! What a regeneration changes in the generated crate's Rust API, and what that means for the
//! crates that depend on it. The generated crate keeps a manifest of its API (`api.json`,
//! [`manifest`]); the next regeneration compares the new API with it ([`diff`]), classifies each
//! change by Rust's semver rules ([`classify`]), reports it ([`report`]), picks the next version
//! ([`version`]) and adds a section to `CHANGELOG.md` ([`changelog`]). All pure: the caller reads
//! the previous files and writes the new ones.

pub mod changelog;
pub mod classify;
pub mod diff;
pub mod manifest;
pub mod report;
pub mod version;

pub use classify::Level;
pub use manifest::Manifest;
pub use report::Classified;

use crate::model::Api;

/// What the crate being replaced left: its manifest (or why there is none to compare with)
/// and its changelog.
#[derive(Debug, Clone)]
pub struct Previous {
    pub manifest: Result<Manifest, String>,
    pub changelog: Option<String>,
}

impl Previous {
    /// No previous crate: a first generation.
    pub fn none(why: &str) -> Self {
        Previous { manifest: Err(why.into()), changelog: None }
    }
}

/// What the regeneration makes of the previous crate.
#[derive(Debug, Clone)]
pub struct Regeneration {
    /// The new manifest, with the crate's version.
    pub manifest: Manifest,
    pub changes: Vec<Classified>,
    /// Why there was nothing to compare with, on a first generation.
    pub first: Option<String>,
    /// The version before, and whether `--bump` moved it.
    pub previous_version: String,
    pub bumped: bool,
    /// The report, starting with `breaking`, `compatible` or `no API change`.
    pub report: String,
    /// The new `CHANGELOG.md`.
    pub changelog: String,
}

impl Regeneration {
    pub fn level(&self) -> Option<Level> {
        report::level(&self.changes)
    }
}

/// Compares `api` with the crate `previous` left. `bump` moves the version by the most serious
/// change since it was last set; `source` names the document in the files' headers.
pub fn regenerate(
    api: &Api,
    crate_name: &str,
    previous: &Previous,
    bump: bool,
    source: &str,
) -> Result<Regeneration, String> {
    let spec_version = crate::emit::semver_or_default(&api.version);
    let old = previous.manifest.as_ref().ok();
    let base = old.map_or(spec_version.clone(), |m| m.version.clone());
    let mut manifest = Manifest::of(api, crate_name, &base);
    let changes = report::classified(old.map(|old| diff::diff(old, &manifest)).unwrap_or_default());
    let level = report::level(&changes);
    let unreleased = old.and_then(|m| m.unreleased.as_deref()).and_then(level_of);
    let pending = level.max(unreleased);
    let bumped = bump && pending.is_some();
    if bumped {
        manifest.version = version::bump(&base, pending.expect("checked above"))
            .map_err(|e| format!("cannot bump the crate's version: {e}"))?;
    } else {
        manifest.unreleased = pending.map(|l| l.as_str().to_string());
    }
    let first = previous.manifest.as_ref().err().cloned();
    let mut out = Regeneration {
        manifest,
        changes,
        first,
        previous_version: base,
        bumped,
        report: String::new(),
        changelog: String::new(),
    };
    out.report = report_text(&out, bump, pending);
    let section = section(&out, source, &api.version, unreleased.is_some() && bumped);
    out.changelog =
        changelog::add(previous.changelog.as_deref(), crate_name, &crate::header::note(source), section.as_deref());
    Ok(out)
}

fn level_of(text: &str) -> Option<Level> {
    [Level::Major, Level::Minor, Level::Patch].into_iter().find(|l| l.as_str() == text)
}

fn report_text(r: &Regeneration, bump: bool, pending: Option<Level>) -> String {
    let name = &r.manifest.name;
    if let Some(why) = &r.first {
        return format!("first generation: {why}; nothing to compare with ({name} {})\n", r.manifest.version);
    }
    let level = r.level();
    let mut out = format!("{}: {}", report::headline(level), report::counts(&r.changes));
    if r.bumped {
        out.push_str(&format!("; {name} {} → {}", r.previous_version, r.manifest.version));
    } else if let Some(pending) = pending {
        let next = version::bump(&r.previous_version, pending).unwrap_or_else(|_| "?".into());
        let unreleased = if level.is_some() { "" } else { " (unreleased changes of earlier regenerations)" };
        let how = if bump { "" } else { " with --bump" };
        out.push_str(&format!("; {name} {} → {next}{how}{unreleased}", r.previous_version));
    } else {
        out.push_str(&format!("; {name} stays {}", r.previous_version));
    }
    out.push('\n');
    for change in &r.changes {
        out.push_str(&report::line(change));
        out.push('\n');
    }
    out
}

/// The changelog's new section: on a first generation, when the API changed, or with a bump.
fn section(r: &Regeneration, source: &str, spec_version: &str, with_unreleased: bool) -> Option<String> {
    let version = &r.manifest.version;
    if r.first.is_some() {
        return Some(format!(
            "## {version}: first generation\n\nGenerated from {source} (info.version {spec_version}).\n"
        ));
    }
    let level = r.level();
    let api_changed = level.is_some_and(|l| l > Level::Patch);
    if !api_changed && !r.bumped {
        return None;
    }
    let headline = report::headline(level);
    let title = if r.bumped {
        format!("## {version}: {headline}")
    } else {
        format!("## Unreleased, after {version}: {headline}")
    };
    let mut out = format!("{title}\n\nRegenerated from {source} (info.version {spec_version}).");
    if with_unreleased {
        out.push_str(" Releases the unreleased changes below.");
    }
    out.push_str("\n\n");
    if r.changes.is_empty() {
        out.push_str("No change since the last regeneration.\n");
    }
    for change in &r.changes {
        out.push_str(&report::line(change));
        out.push('\n');
    }
    Some(out)
}
