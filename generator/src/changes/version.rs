//! The crate's next version, from how much changed, as cargo reads versions: before 1.0 the
//! left-most non-zero number is the one a breaking change moves (`0.3.1` → `0.4.0`), and a
//! compatible change moves the next (`0.3.1` → `0.3.2`); `0.0.z` changes with everything.

use super::classify::Level;

pub fn bump(version: &str, level: Level) -> Result<String, String> {
    let numbers: Vec<u64> = version
        .split('.')
        .map(|part| part.parse::<u64>())
        .collect::<Result<_, _>>()
        .map_err(|_| format!("version {version:?} is not MAJOR.MINOR.PATCH"))?;
    let [major, minor, patch] = numbers[..] else {
        return Err(format!("version {version:?} is not MAJOR.MINOR.PATCH"));
    };
    Ok(match (major, minor, level) {
        (0, 0, _) => format!("0.0.{}", patch + 1),
        (0, _, Level::Major) => format!("0.{}.0", minor + 1),
        (0, _, _) => format!("0.{minor}.{}", patch + 1),
        (_, _, Level::Major) => format!("{}.0.0", major + 1),
        (_, _, Level::Minor) => format!("{major}.{}.0", minor + 1),
        (_, _, Level::Patch) => format!("{major}.{minor}.{}", patch + 1),
    })
}

#[cfg(test)]
mod tests {
    use super::{bump, Level};

    #[test]
    fn cargo_rules() {
        for (from, level, to) in [
            ("1.2.3", Level::Major, "2.0.0"),
            ("1.2.3", Level::Minor, "1.3.0"),
            ("1.2.3", Level::Patch, "1.2.4"),
            ("0.3.1", Level::Major, "0.4.0"),
            ("0.3.1", Level::Minor, "0.3.2"),
            ("0.3.1", Level::Patch, "0.3.2"),
            ("0.0.4", Level::Major, "0.0.5"),
            ("0.0.4", Level::Patch, "0.0.5"),
        ] {
            assert_eq!(bump(from, level).unwrap(), to, "{from} {level:?}");
        }
        assert!(bump("1.0", Level::Minor).is_err());
        assert!(bump("1.0.0-beta", Level::Minor).is_err());
    }
}
