//! A dependent's code, written against one version of a document, compiled against the crate
//! of the next: the change report's first word must be what the compiler says. The crate of
//! `tests/changes/base.yaml` is regenerated in place, as a user regenerates theirs.

use std::fs;
use std::path::Path;
use std::process::Command;

/// Code of a dependent written against the base document: every call and constructor it
/// offers, with optional parameters and fields left alone, and the response's fields read.
const DEPENDENT: &str = r#"
pub async fn use_pets(client: &pets::Client) -> Result<usize, Box<dyn std::error::Error>> {
    let listed = client.list_pets().await?;
    let names: Vec<&str> = listed.iter().map(|pet| pet.name.as_str()).collect();
    let body = pets::types::NewPet::new().name("Rex").kind(pets::types::Kind::Dog);
    let created = client.create_pet(&body).await?;
    match client.create_pet(&pets::types::NewPet::default()).await {
        Ok(pet) => println!("{} {}", pet.id, created.id),
        Err(error) => match error.api() {
            Some(pets::types::CreatePetError::BadRequest(problem)) => println!("{}", problem.title),
            _ => return Err(error.into()),
        },
    }
    Ok(names.len())
}
"#;

fn base() -> String {
    fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/changes/base.yaml")).unwrap()
}

/// `base` with `from` (which it holds once) replaced by `to`.
fn edit(spec: &str, from: &str, to: &str) -> String {
    assert_eq!(spec.matches(from).count(), 1, "{from:?} is not in the document once");
    spec.replace(from, to)
}

/// Regenerates the crate in `dir/pets` from `spec`; the report's first line.
fn regenerate(dir: &Path, spec: &str) -> String {
    let path = dir.join("openapi.yaml");
    fs::write(&path, spec).unwrap();
    let out = dir.join("pets");
    let run = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["codegen", "--spec"])
        .arg(&path)
        .arg("--out")
        .arg(&out)
        .args(["--crate-name", "pets"])
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let printed = format!("{}{}", String::from_utf8_lossy(&run.stdout), String::from_utf8_lossy(&run.stderr));
    printed.lines().next().unwrap_or_default().to_string()
}

/// Whether the dependent compiles against the crate as it is now.
fn dependent_compiles(dir: &Path) -> (bool, String) {
    let check = crate::support::check(&dir.join("dependent/Cargo.toml"), Some("pets"));
    (check.status.success(), String::from_utf8_lossy(&check.stderr).into_owned())
}

#[test]
fn a_dependent_keeps_compiling_while_the_document_grows_and_stops_when_it_must() {
    let dir = tempfile::tempdir().unwrap();
    crate::support::dependent(dir.path(), DEPENDENT);

    let base = base();
    regenerate(dir.path(), &base);
    let (ok, errors) = dependent_compiles(dir.path());
    assert!(ok, "the dependent does not compile against the base: {errors}");

    // An optional query parameter, an optional header, an optional request field, an optional
    // response field and a new operation.
    let grown = edit(
        &base,
        "      summary: List the pets\n",
        "      summary: List the pets\n      parameters:\n        - {name: limit, in: query, schema: {type: integer}}\n        - {name: X-Trace, in: header, schema: {type: string}}\n",
    );
    let grown = edit(
        &grown,
        "          $ref: '#/components/schemas/Kind'\n    Kind:",
        "          $ref: '#/components/schemas/Kind'\n        age:\n          type: integer\n    Kind:",
    );
    let grown = edit(
        &grown,
        "          description: What the pet answers to\n",
        "          description: What the pet answers to\n        born:\n          type: string\n          format: date\n",
    );
    let grown = edit(
        &grown,
        "components:\n",
        "  /pets/{id}:\n    delete:\n      operationId: delete-pet\n      parameters:\n        - {name: id, in: path, required: true, schema: {type: string}}\n      responses:\n        '204':\n          description: Deleted\ncomponents:\n",
    );
    let report = regenerate(dir.path(), &grown);
    assert!(report.starts_with("compatible"), "{report}");
    let (ok, errors) = dependent_compiles(dir.path());
    assert!(ok, "the dependent stopped compiling after a compatible change: {errors}");

    // A required query parameter: breaking, and the dependent's call is now one argument short.
    let required = edit(
        &grown,
        "        - {name: limit, in: query, schema: {type: integer}}\n",
        "        - {name: limit, in: query, schema: {type: integer}}\n        - {name: owner, in: query, required: true, schema: {type: string}}\n",
    );
    let report = regenerate(dir.path(), &required);
    assert!(report.starts_with("breaking"), "{report}");
    let (ok, errors) = dependent_compiles(dir.path());
    assert!(!ok, "the dependent still compiles after a breaking change");
    assert!(errors.contains("list_pets"), "{errors}");
}
