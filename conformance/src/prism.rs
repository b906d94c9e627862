//! Prism (`@stoplight/prism-cli`, pinned in the repository's `package.json`) in dynamic mode:
//! it answers every call with a random body valid against the response schema, and validates
//! every request against the spec.

use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How long a large spec may take Prism to load.
const STARTUP: Duration = Duration::from_secs(180);

pub struct Prism {
    pub url: String,
    child: Child,
}

impl Prism {
    /// Starts Prism on a free loopback port for `spec`; its output goes to `log`.
    pub fn start(root: &Path, spec: &Path, log: &Path) -> Result<Prism, String> {
        let binary = root.join("node_modules/.bin/prism");
        if !binary.exists() {
            return Err(format!("{} is missing: run `npm ci` at the repository's root", binary.display()));
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map_err(|e| format!("no free port: {e}"))?
            .port();
        let output = std::fs::File::create(log).map_err(|e| format!("{}: {e}", log.display()))?;
        let errors = output.try_clone().map_err(|e| e.to_string())?;
        let child = Command::new(&binary)
            .args(["mock", "-d", "-h", "127.0.0.1", "-p", &port.to_string()])
            .arg(spec)
            .stdin(Stdio::null())
            .stdout(output)
            .stderr(errors)
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", binary.display()))?;
        let mut prism = Prism { url: format!("http://127.0.0.1:{port}"), child };
        let start = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if let Ok(Some(status)) = prism.child.try_wait() {
                return Err(format!("Prism exited ({status}) before answering; see {}", log.display()));
            }
            if start.elapsed() > STARTUP {
                return Err(format!("Prism did not answer within {STARTUP:?}; see {}", log.display()));
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        Ok(prism)
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
