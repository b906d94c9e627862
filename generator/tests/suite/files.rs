//! Reading other files: only regular files of a bounded size, inside the document's folder
//! (or its git repository, or a folder the user allows), never by URL, and no message shows
//! what a file holds.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

const HEAD: &str = "openapi: 3.0.3\ninfo: {title: Test, version: '1'}\n";

/// A fresh folder under the system's temporary folder, removed when dropped.
struct Folder(PathBuf);

impl Folder {
    fn new(name: &str) -> Self {
        let path = std::env::temp_dir().join(format!("generator-files-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).unwrap();
        Folder(path)
    }
    fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.0.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        path
    }
}

impl Drop for Folder {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A document whose one operation takes the parameter `reference` points to.
fn spec_with_parameter(reference: &str) -> String {
    format!("{HEAD}paths:\n  /a:\n    get:\n      parameters: [{{$ref: '{reference}'}}]\n      responses: {{'204': {{description: ok}}}}\n")
}

const PARAMETER: &str = "name: q\nin: query\nschema: {type: string}\n";

/// Loads `spec` allowing `extra` folders too, giving up after ten seconds (a FIFO would block).
fn load(spec: &Path, extra: &[PathBuf]) -> Result<generator::read::source::Document, String> {
    let (send, receive) = mpsc::channel();
    let (spec, extra) = (spec.to_path_buf(), extra.to_vec());
    std::thread::spawn(move || {
        let result = generator::read::source::load_with(&spec, "openapi.yaml", &extra).map_err(|e| e.to_string());
        let _ = send.send(result);
    });
    receive.recv_timeout(Duration::from_secs(10)).unwrap_or_else(|_| Err("timed out".into()))
}

fn load_err(spec: &Path, extra: &[PathBuf]) -> String {
    match load(spec, extra) {
        Ok(document) if document.problems.is_empty() => panic!("{} loaded", spec.display()),
        Ok(document) => generator::Diagnostics(document.problems).to_string(),
        Err(e) => e,
    }
}

#[test]
fn references_stay_inside_the_documents_folder_unless_allowed() {
    let folder = Folder::new("outside");
    folder.write("other/p.yaml", PARAMETER);
    let spec = folder.write("api/openapi.yaml", &spec_with_parameter("../other/p.yaml"));
    let e = load_err(&spec, &[]);
    assert!(e.contains("#/paths/~1a/get/parameters/0/$ref"), "{e}");
    assert!(e.contains("outside"), "{e}");
    assert!(e.contains("--allow-ref-dir"), "{e}");
    assert!(load(&spec, &[folder.0.join("other")]).is_ok_and(|d| d.problems.is_empty()));
    // An absolute path is no way out either.
    let passwd = folder.write("api/passwd.yaml", &spec_with_parameter("/etc/passwd"));
    let e = load_err(&passwd, &[]);
    assert!(e.contains("outside") && !e.contains("root:"), "{e}");
}

#[test]
fn a_git_repository_is_one_folder() {
    let folder = Folder::new("git");
    std::fs::create_dir_all(folder.0.join(".git")).unwrap();
    folder.write("shared/p.yaml", PARAMETER);
    let spec = folder.write("api/v1/openapi.yaml", &spec_with_parameter("../../shared/p.yaml"));
    let document = load(&spec, &[]).unwrap();
    assert_eq!(document.problems, []);
}

#[test]
fn only_regular_files_of_a_bounded_size_are_read() {
    let folder = Folder::new("regular");
    std::fs::create_dir_all(folder.0.join("dir")).unwrap();
    let spec = folder.write("openapi.yaml", &spec_with_parameter("dir"));
    assert!(load_err(&spec, &[]).contains("not a regular file"));
    let big = std::fs::File::create(folder.0.join("big.yaml")).unwrap();
    big.set_len(65 << 20).unwrap();
    let spec = folder.write("openapi.yaml", &spec_with_parameter("big.yaml"));
    let e = load_err(&spec, &[]);
    assert!(e.contains("larger than 64 MiB"), "{e}");
    let fifo = folder.0.join("fifo.yaml");
    if std::process::Command::new("mkfifo").arg(&fifo).status().is_ok_and(|s| s.success()) {
        let spec = folder.write("openapi.yaml", &spec_with_parameter("fifo.yaml"));
        assert!(load_err(&spec, &[]).contains("not a regular file"));
        // The document itself too.
        assert!(load_err(&fifo, &[]).contains("not a regular file"));
    }
}

#[test]
fn references_by_url_are_refused_where_they_are() {
    let folder = Folder::new("urls");
    for reference in ["https://example.com/p.yaml", "http://example.com/p.yaml#/P", "file:///etc/passwd"] {
        let spec = folder.write("openapi.yaml", &spec_with_parameter(reference));
        let e = load_err(&spec, &[]);
        assert!(e.contains("#/paths/~1a/get/parameters/0/$ref"), "{e}");
        assert!(e.contains("not supported"), "{e}");
    }
}

#[test]
fn no_message_shows_what_a_file_holds() {
    let folder = Folder::new("secret");
    folder.write("notes.txt", "the password is hunter2\n");
    folder.write("env.yaml", "password: hunter2\n  - [\n");
    folder.write("list.yaml", "- hunter2\n");
    for name in ["notes.txt", "env.yaml", "list.yaml", "env.yaml#/password"] {
        let spec = folder.write("openapi.yaml", &spec_with_parameter(name));
        let e = load_err(&spec, &[]);
        assert!(!e.contains("hunter2"), "{name}: {e}");
    }
}

#[test]
fn a_ref_key_in_data_is_data() {
    let folder = Folder::new("data");
    let spec = folder.write(
        "openapi.yaml",
        &format!(
            "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    A:\n      type: object\n      description: A thing.\n      x-origin: {{$ref: 'missing.yaml'}}\n      default: {{$ref: 'missing.yaml'}}\n      example: {{$ref: '#/nowhere'}}\n      properties:\n        b:\n          enum: [{{$ref: 'missing.yaml'}}]\n          type: object\n        c:\n          examples: [{{$ref: 'missing.yaml'}}]\n"
        ),
    );
    let document = load(&spec, &[]).unwrap();
    assert_eq!(document.problems, []);
    generator::lower::lower(&document).unwrap();
}

#[test]
fn names_that_are_data_keywords_elsewhere_are_followed() {
    let folder = Folder::new("names");
    folder.write(
        "error.yaml",
        "description: failed\ncontent: {application/json: {schema: {type: object, properties: {m: {type: string}}}}}\n",
    );
    folder.write("enum.yaml", "type: string\nenum: [a, b]\n");
    let spec = folder.write(
        "openapi.yaml",
        &format!(
            "{HEAD}paths:\n  /a:\n    get:\n      responses:\n        '204': {{description: ok}}\n        default: {{$ref: 'error.yaml'}}\ncomponents:\n  schemas:\n    enum: {{$ref: 'enum.yaml'}}\n    B:\n      type: object\n      properties:\n        default: {{$ref: 'enum.yaml'}}\n"
        ),
    );
    let document = load(&spec, &[]).unwrap();
    assert_eq!(document.problems, []);
    let api = generator::lower::lower(&document).unwrap_or_else(|e| panic!("{e}"));
    assert!(api.operations[0].errors.iter().any(|e| e.body.is_some()), "{:?}", api.operations[0].errors);
}
