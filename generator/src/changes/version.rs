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
    // A number written by hand (or by a hostile manifest) may already be the largest there is.
    let next = |n: u64| {
        n.checked_add(1).ok_or_else(|| format!("version {version:?}: {n} is the largest number a version can hold"))
    };
    Ok(match (major, minor, level) {
        (0, 0, _) => format!("0.0.{}", next(patch)?),
        (0, _, Level::Major) => format!("0.{}.0", next(minor)?),
        (0, _, _) => format!("0.{minor}.{}", next(patch)?),
        (_, _, Level::Major) => format!("{}.0.0", next(major)?),
        (_, _, Level::Minor) => format!("{major}.{}.0", next(minor)?),
        (_, _, Level::Patch) => format!("{major}.{minor}.{}", next(patch)?),
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

    #[test]
    fn a_number_at_its_largest_is_an_error_not_a_wrap() {
        let max = u64::MAX;
        for (from, level) in [
            (format!("{max}.0.0"), Level::Major),
            (format!("1.{max}.0"), Level::Minor),
            (format!("1.2.{max}"), Level::Patch),
            (format!("0.{max}.1"), Level::Major),
            (format!("0.1.{max}"), Level::Minor),
            (format!("0.0.{max}"), Level::Patch),
        ] {
            let err = bump(&from, level).unwrap_err();
            assert!(err.contains(&from) && err.contains("largest"), "{err}");
        }
    }
}
