//! Medians and minimums, and how they are printed.

use std::time::Duration;

/// Median and minimum of some durations.
#[derive(Debug, Clone, Copy, Default)]
pub struct Summary {
    pub median: Duration,
    pub min: Duration,
}

pub fn summarize(samples: &[Duration]) -> Summary {
    let mut sorted = samples.to_vec();
    sorted.sort();
    if sorted.is_empty() {
        return Summary::default();
    }
    let n = sorted.len();
    let median = if n % 2 == 1 { sorted[n / 2] } else { (sorted[n / 2 - 1] + sorted[n / 2]) / 2 };
    Summary { median, min: sorted[0] }
}

pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Milliseconds with as many decimals as make sense for their size.
pub fn fmt_ms(d: Duration) -> String {
    let v = ms(d);
    if v < 10.0 {
        format!("{v:.2}")
    } else if v < 1000.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.0}")
    }
}

pub fn cell(s: Summary) -> String {
    format!("{} ({})", fmt_ms(s.median), fmt_ms(s.min))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summaries() {
        let d = Duration::from_millis;
        let s = summarize(&[d(5), d(1), d(3)]);
        assert_eq!((s.median, s.min), (d(3), d(1)));
        let s = summarize(&[d(4), d(1), d(2), d(3)]);
        assert_eq!((s.median, s.min), (Duration::from_micros(2500), d(1)));
    }
}
