//! What child processes cost, and what they wrote.

use std::fs;
use std::path::Path;
use std::time::Duration;

/// User + system time of the children this process has waited for (Linux; zero elsewhere).
pub fn children_cpu() -> Duration {
    let stat = fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name: state is field 3, cutime 16 and cstime 17.
    let fields: Vec<&str> =
        stat.rsplit_once(')').map(|(_, rest)| rest.split_whitespace().collect()).unwrap_or_default();
    let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<u64>().ok()).unwrap_or(0);
    // Linux reports these in clock ticks of 1/100 s.
    Duration::from_millis((ticks(13) + ticks(14)) * 10)
}

/// Lines and bytes of the `.rs` files under `dir`.
pub fn rust_size(dir: &Path) -> (usize, u64) {
    let Ok(entries) = fs::read_dir(dir) else { return (0, 0) };
    entries.flatten().fold((0, 0), |(lines, bytes), e| {
        let path = e.path();
        let (l, b) = if path.is_dir() {
            rust_size(&path)
        } else if path.extension().is_some_and(|x| x == "rs") {
            let text = fs::read_to_string(&path).unwrap_or_default();
            (text.lines().count(), text.len() as u64)
        } else {
            (0, 0)
        };
        (lines + l, bytes + b)
    })
}
