//! The generator as a library, driven from outside this workspace as a user's xtask or build
//! script drives it, and what such users configure: types replaced by existing Rust types
//! (typify's `x-rust-type`, or the configuration), derives added, operations and types renamed.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use generator::Config;

/// A small document: a schema the configuration replaces, a property `x-rust-type` replaces,
/// and names the configuration changes.
const SPEC: &str = r#"
openapi: 3.0.3
info: {title: Pets, version: 1.0.0}
servers: [{url: 'https://pets.example.com'}]
paths:
  /pets:
    get:
      operationId: listPets
      responses:
        '200':
          description: The pets
          content:
            application/json:
              schema:
                type: array
                items: {$ref: '#/components/schemas/Pet'}
components:
  schemas:
    Address:
      type: string
      description: Where the pet lives, replaced by a type of the configuration's choosing.
    Pet:
      type: object
      required: [name]
      properties:
        name: {type: string}
        address: {$ref: '#/components/schemas/Address'}
        ip:
          type: string
          x-rust-type: {crate: std, version: '1', path: std::net::IpAddr}
"#;

/// Every file under `dir`, relative to it, with its bytes.
fn tree(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        for entry in fs::read_dir(&current).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push((path.strip_prefix(dir).unwrap().to_path_buf(), fs::read(&path).unwrap()));
            }
        }
    }
    out.sort();
    out
}

/// The workspace's `[profile]` table, for a program of another workspace built in this one's
/// target folder: with the same profiles (and lock file), the dependencies this workspace built
/// with the same features are reused rather than built again.
fn workspace_profiles() -> String {
    let manifest: toml::Table = fs::read_to_string(xtask::project_root().join("Cargo.toml")).unwrap().parse().unwrap();
    let mut profiles = toml::Table::new();
    if let Some(profile) = manifest.get("profile") {
        profiles.insert("profile".into(), profile.clone());
    }
    toml::to_string(&profiles).unwrap()
}

/// A program of another workspace that depends on `generator` by path and generates a crate
/// writes exactly what `cargo xtask codegen --spec … --out … --crate-name …` writes.
#[test]
fn another_workspace_generates_what_cargo_xtask_codegen_generates() {
    let dir = tempfile::tempdir().unwrap();
    let consumer = dir.path().join("consumer");
    fs::create_dir_all(consumer.join("src")).unwrap();
    let generator = xtask::project_root().join("generator");
    fs::write(
        consumer.join("Cargo.toml"),
        format!(
            "[package]\nname = \"generator-consumer\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n\
             [dependencies]\ngenerator = {{ path = {:?} }}\n\n[workspace]\n\n{}",
            generator.display().to_string(),
            workspace_profiles()
        ),
    )
    .unwrap();
    fs::write(
        consumer.join("src/main.rs"),
        r#"fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Err(error) = generator::Config::new(&args[0]).crate_name("pets").generate(&args[1]) {
        eprintln!("{error}");
        std::process::exit(1);
    }
}
"#,
    )
    .unwrap();
    // The project's versions of every dependency, so nothing is fetched.
    fs::copy(xtask::project_root().join("Cargo.lock"), consumer.join("Cargo.lock")).unwrap();
    fs::write(dir.path().join("openapi.yaml"), SPEC).unwrap();

    let run = project::cargo()
        .args([
            "run",
            "--quiet",
            "--offline",
            "--manifest-path",
            "consumer/Cargo.toml",
            "--",
            "openapi.yaml",
            "library",
        ])
        .current_dir(dir.path())
        .env("CARGO_TARGET_DIR", project::target())
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let codegen = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["codegen", "--spec", "openapi.yaml", "--out", "command", "--crate-name", "pets"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(codegen.status.success(), "{}", String::from_utf8_lossy(&codegen.stderr));

    let (library, command) = (tree(&dir.path().join("library")), tree(&dir.path().join("command")));
    assert!(library.iter().any(|(path, _)| path == Path::new("src/lib.rs")));
    assert_eq!(library.iter().map(|(p, _)| p).collect::<Vec<_>>(), command.iter().map(|(p, _)| p).collect::<Vec<_>>());
    for ((path, ours), (_, theirs)) in library.iter().zip(&command) {
        assert!(ours == theirs, "{} differs between the library and the command", path.display());
    }
}

/// A run configured to replace `Address` by `std::net::Ipv4Addr`, add `Eq` and `Hash`, and
/// rename `listPets` and `Pet`.
fn customized(dir: &Path) -> Config {
    fs::write(dir.join("openapi.yaml"), SPEC).unwrap();
    let mut config = Config::new(dir.join("openapi.yaml"));
    config
        .spec_name("openapi.yaml")
        .crate_name("pets")
        .replace_type("Address", "std::net::Ipv4Addr", None)
        .derive("Eq")
        .derive("Hash")
        .rename_operation("listPets", "all_pets")
        .rename_type("Pet", "Animal");
    config
}

fn file<'a>(files: &'a [(String, String)], path: &str) -> &'a str {
    &files.iter().find(|(p, _)| p == path).unwrap_or_else(|| panic!("no {path}")).1
}

#[test]
fn configured_replacements_derives_and_renames_compile_for_a_dependent() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("pets");
    let generated = customized(dir.path()).generate(&out).unwrap_or_else(|e| panic!("{e}"));
    let types = fs::read_to_string(out.join("src/types.rs")).unwrap();
    assert!(types.contains("pub type Address = ::std::net::Ipv4Addr;"), "{types}");
    assert!(types.contains("pub ip: Option<::std::net::IpAddr>,"), "{types}");
    assert!(
        types.contains(
            "#[derive(Debug, Clone, PartialEq, serde::Serialize, Eq, Hash)]\n#[non_exhaustive]\npub struct Animal"
        ),
        "{types}"
    );
    assert!(!types.contains("struct Pet "), "{types}");
    let manifest = fs::read_to_string(out.join("api.json")).unwrap();
    assert!(manifest.contains("\"all_pets\""), "{manifest}");
    assert_eq!(generated.rendered.operations, 1);

    // A dependent that needs each: the renamed method and type, the replaced types, and the
    // derives (an `Animal` in a `HashSet`).
    let dependent = crate::support::dependent(
        dir.path(),
        r#"
pub async fn homes(client: &pets::Client) -> Result<std::collections::HashSet<pets::types::Animal>, Box<dyn std::error::Error>> {
    let animals = client.all_pets().await?;
    let home: Option<std::net::Ipv4Addr> = animals.first().and_then(|a| a.address);
    let ip: Option<std::net::IpAddr> = animals.first().and_then(|a| a.ip);
    let _ = (home, ip);
    Ok(animals.into_iter().collect())
}
"#,
    );
    let check = crate::support::check(&dependent, Some("pets"));
    assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stderr));
}

#[test]
fn a_type_of_another_crate_adds_that_crate_to_the_manifest() {
    let dir = tempfile::tempdir().unwrap();
    let spec = SPEC.replace(
        "      description: Where the pet lives, replaced by a type of the configuration's choosing.\n",
        "      x-rust-type: {crate: rust-decimal, version: '1.30', path: rust_decimal::Decimal}\n",
    );
    fs::write(dir.path().join("openapi.yaml"), spec).unwrap();
    let files = Config::new(dir.path().join("openapi.yaml")).render().unwrap_or_else(|e| panic!("{e}")).files;
    let manifest = file(&files, "Cargo.toml");
    assert!(manifest.contains("\nrust-decimal = \"1.30\"\n"), "{manifest}");
    assert!(file(&files, "src/types.rs").contains("pub type Address = ::rust_decimal::Decimal;"));
    // By configuration, the same, and a later replacement of the same schema wins.
    let mut config = Config::new(dir.path().join("openapi.yaml"));
    config.replace_type("Address", "time::Date", Some(("time", "0.3")));
    let files = config.render().unwrap_or_else(|e| panic!("{e}")).files;
    assert!(file(&files, "Cargo.toml").contains("\ntime = \"0.3\"\n"));
    assert!(!file(&files, "Cargo.toml").contains("rust-decimal"));
}

#[test]
fn what_the_configuration_or_the_extension_gets_wrong_is_an_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let render = |config: &mut Config| config.render().map(|_| ()).unwrap_err().to_string();

    let error = render(customized(dir.path()).rename_type("Owner", "Person"));
    assert!(error.contains("schema \"Owner\", which the document does not define"), "{error}");
    let error = render(customized(dir.path()).rename_operation("deletePet", "remove"));
    assert!(error.contains("operation \"deletePet\", which the document does not have"), "{error}");
    let error = render(customized(dir.path()).rename_type("Pet", "not a name"));
    assert!(error.contains("is not a Rust type name"), "{error}");
    let error = render(customized(dir.path()).derive("serde::"));
    assert!(error.contains("derive \"serde::\" is not a Rust path"), "{error}");
    let error = render(customized(dir.path()).replace_type("Address", "std::net::Ipv4Addr", Some(("other", "1"))));
    assert!(error.contains("does not start with the crate's name `other`"), "{error}");

    let spec = SPEC.replace("path: std::net::IpAddr}", "path: 'std::net::Ip Addr'}");
    fs::write(dir.path().join("openapi.yaml"), spec).unwrap();
    let error =
        Config::new(dir.path().join("openapi.yaml")).spec_name("openapi.yaml").render().unwrap_err().to_string();
    assert!(error.contains("openapi.yaml: #/components/schemas/Pet/properties/ip/x-rust-type"), "{error}");
    assert!(error.contains("is not a Rust path"), "{error}");
}

/// `cargo xtask codegen` takes the same customisations as flags, and writes what `Config` writes.
#[test]
fn the_command_takes_the_customizations_as_flags() {
    let dir = tempfile::tempdir().unwrap();
    let files = customized(dir.path()).render().unwrap_or_else(|e| panic!("{e}")).files;
    let run = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["codegen", "--spec", "openapi.yaml", "--out", "flags", "--crate-name", "pets"])
        .args(["--replace-type", "Address=std::net::Ipv4Addr", "--derive", "Eq", "--derive", "Hash"])
        .args(["--rename-operation", "listPets=all_pets", "--rename-type", "Pet=Animal"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let written = tree(&dir.path().join("flags"));
    // The command compares with nothing and writes a first generation, as `render` does.
    assert_eq!(written.len(), files.len());
    for (path, text) in &files {
        let on_disk = &written.iter().find(|(p, _)| p == Path::new(path)).unwrap().1;
        assert!(on_disk == text.as_bytes(), "{path} differs between the flags and the configuration");
    }

    let bad = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["codegen", "--spec", "openapi.yaml", "--out", "bad", "--replace-type", "Address=x@nocolon"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(!bad.status.success());
    let stderr = String::from_utf8_lossy(&bad.stderr);
    assert!(stderr.contains("@CRATE:VERSION"), "{stderr}");
    assert!(!dir.path().join("bad").exists());
}
