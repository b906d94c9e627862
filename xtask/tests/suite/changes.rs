//! The API change report: one fixture spec (`tests/changes/base.yaml`) and a series of edits,
//! each regenerated over the crate of the base and compared with its expected report
//! (`tests/changes/<edit>.txt`; `UPDATE_EXPECT=1` rewrites them). Then the whole flow on disk:
//! `--bump`, the changelog, a first generation, an unreadable manifest.

use std::path::{Path, PathBuf};

use expect_test::expect_file;
use generator::changes::{Manifest, Previous};
use generator::{previous, Config, Generated};

fn base() -> String {
    std::fs::read_to_string(dir().join("base.yaml")).unwrap()
}

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/changes")
}

/// A run over `spec` (written into `folder`), named as the base is in messages.
fn job(folder: &Path, spec: &str) -> Config {
    let path = folder.join("openapi.yaml");
    std::fs::write(&path, spec).unwrap();
    let mut config = Config::new(path);
    config.spec_name("tests/changes/base.yaml");
    config
}

/// The previous crate, as the base leaves it.
fn previous_of(spec: &str) -> Previous {
    let temp = tempfile::tempdir().unwrap();
    let files = job(temp.path(), spec).render().unwrap().files;
    let text = |name: &str| files.iter().find(|(p, _)| p == name).map(|(_, t)| t.clone());
    Previous { manifest: Manifest::parse(&text("api.json").unwrap()), changelog: text("CHANGELOG.md") }
}

/// `base` with `from` replaced by `to`, which must be there once.
fn edit(from: &str, to: &str) -> String {
    let base = base();
    assert_eq!(base.matches(from).count(), 1, "{from:?} is not in the base once");
    base.replace(from, to)
}

#[test]
fn each_edit_gets_its_report_and_classification() {
    let edits: Vec<(&str, &str, String)> = vec![
        (
            "add-optional-response-field",
            "Pet gets an optional `age`",
            edit("        kind:\n          $ref: '#/components/schemas/Kind'\n    NewPet:", "        kind:\n          $ref: '#/components/schemas/Kind'\n        age:\n          type: integer\n    NewPet:"),
        ),
        (
            "remove-response-field",
            "Pet loses `name`",
            edit("      required: [id, name]\n", "      required: [id]\n").replace(
                "        name:\n          type: string\n          description: What the pet answers to\n",
                "",
            ),
        ),
        (
            "make-request-field-required",
            "NewPet requires `name`",
            edit("      description: A pet to add\n", "      description: A pet to add\n      required: [name]\n"),
        ),
        (
            "add-operation",
            "DELETE /pets/{id}",
            edit(
                "components:\n",
                "  /pets/{id}:\n    delete:\n      operationId: delete-pet\n      parameters:\n        - name: id\n          in: path\n          required: true\n          schema:\n            type: string\n      responses:\n        '204':\n          description: Deleted\ncomponents:\n",
            ),
        ),
        (
            "add-optional-request-field",
            "NewPet gets an optional `age`",
            edit(
                "          $ref: '#/components/schemas/Kind'\n    Kind:",
                "          $ref: '#/components/schemas/Kind'\n        age:\n          type: integer\n    Kind:",
            ),
        ),
        (
            "add-required-request-field",
            "NewPet gets a required `age`",
            edit(
                "          $ref: '#/components/schemas/Kind'\n    Kind:",
                "          $ref: '#/components/schemas/Kind'\n        age:\n          type: integer\n    Kind:",
            )
            .replace("      description: A pet to add\n", "      description: A pet to add\n      required: [age]\n"),
        ),
        (
            "add-optional-query-parameter",
            "list-pets gets an optional `limit`",
            edit(
                "      summary: List the pets\n",
                "      summary: List the pets\n      parameters:\n        - name: limit\n          in: query\n          schema:\n            type: integer\n",
            ),
        ),
        (
            "add-optional-header-parameter",
            "list-pets gets an optional `X-Trace` header",
            edit(
                "      summary: List the pets\n",
                "      summary: List the pets\n      parameters:\n        - name: X-Trace\n          in: header\n          schema:\n            type: string\n",
            ),
        ),
        (
            "add-required-query-parameter",
            "list-pets gets a required `owner`",
            edit(
                "      summary: List the pets\n",
                "      summary: List the pets\n      parameters:\n        - name: owner\n          in: query\n          required: true\n          schema:\n            type: string\n",
            ),
        ),
        ("rename-operation-id", "list-pets becomes get-pets", edit("operationId: list-pets", "operationId: get-pets")),
        ("add-enum-value", "Kind gets `bird`", edit("enum: [cat, dog]", "enum: [cat, dog, bird]")),
        (
            "string-to-uuid",
            "Pet.id gets `format: uuid`",
            edit("          type: string\n          description: The pet's id", "          type: string\n          format: uuid\n          description: The pet's id"),
        ),
        (
            "description-only",
            "Pet.id's description changes",
            edit("description: The pet's id", "description: The pet's unique id"),
        ),
    ];
    let previous = previous_of(&base());
    let temp = tempfile::tempdir().unwrap();
    for (name, about, spec) in edits {
        let rendered = job(temp.path(), &spec).render_against(&previous).unwrap_or_else(|e| panic!("{name}: {e}"));
        let text = format!("# {about}\n{}", rendered.report);
        expect_file![dir().join(format!("{name}.txt"))].assert_eq(&text);
        // The report is the same however often it is made.
        let again = job(temp.path(), &spec).render_against(&previous).unwrap();
        assert_eq!(rendered.report, again.report, "{name}");
    }
}

#[test]
fn bump_sets_the_version_and_the_changelog_records_it() {
    let temp = tempfile::tempdir().unwrap();
    let out = temp.path().join("crate");
    let first = job(temp.path(), &base()).bump(true).generate(&out).unwrap().rendered;
    assert!(first.report.starts_with("first generation: "), "{}", first.report);
    assert!(first.report.contains("api.json does not exist"), "{}", first.report);
    assert_eq!(first.version, "1.2.0");

    // A compatible change without --bump: unreleased, the version stays.
    let added = edit("enum: [cat, dog]", "enum: [cat, dog, bird]");
    let second = job(temp.path(), &added).bump(false).generate(&out).unwrap().rendered;
    assert!(second.report.starts_with("compatible: "), "{}", second.report);
    assert_eq!(second.version, "1.2.0");

    // A breaking one with --bump: major, counting the unreleased change too.
    let removed = added.replace("      required: [id, name]\n", "      required: [id]\n");
    let third = job(temp.path(), &removed).bump(true).generate(&out).unwrap().rendered;
    assert!(third.report.starts_with("breaking: "), "{}", third.report);
    assert_eq!(third.version, "2.0.0");
    let manifest = std::fs::read_to_string(out.join("Cargo.toml")).unwrap();
    assert!(manifest.contains("version = \"2.0.0\""), "{manifest}");
    let changelog = std::fs::read_to_string(out.join("CHANGELOG.md")).unwrap();
    expect_file![dir().join("CHANGELOG.md.txt")].assert_eq(&changelog);

    // Nothing changed: nothing to bump, nothing rewritten.
    let Generated { rendered: fourth, outcome } = job(temp.path(), &removed).bump(true).generate(&out).unwrap();
    assert!(fourth.report.starts_with("no API change: "), "{}", fourth.report);
    assert_eq!(fourth.version, "2.0.0");
    assert!(outcome.is_clean(), "{outcome:?}");

    // Documentation only, with --bump: a patch release.
    let doc = removed.replace("description: The pet's id", "description: The pet's unique id");
    let fifth = job(temp.path(), &doc).bump(true).generate(&out).unwrap().rendered;
    assert!(fifth.report.starts_with("no API change: 1 documentation change"), "{}", fifth.report);
    assert_eq!(fifth.version, "2.0.1");
}

#[test]
fn an_unreadable_manifest_is_a_first_generation_and_says_so() {
    let temp = tempfile::tempdir().unwrap();
    std::fs::write(temp.path().join("api.json"), "{ not json").unwrap();
    let why = previous(temp.path()).manifest.unwrap_err();
    assert!(why.contains("api.json cannot be read: not a manifest"), "{why}");
    let rendered = job(temp.path(), &base()).render_against(&previous(temp.path())).unwrap();
    assert!(rendered.report.starts_with("first generation: "), "{}", rendered.report);
    assert!(rendered.report.contains("cannot be read"), "{}", rendered.report);
}
