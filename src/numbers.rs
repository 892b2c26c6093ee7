//! Numbers written as text without the float formatter: the briefings and reports
//! write tens of thousands of them, and `format!("{:.1}")` takes its exact (slow) path
//! for every one.

use std::fmt::Write;

/// `x` times `scale` (10 or 100), rounded to an integer, when that integer is what the
/// float formatter's exact decimal expansion rounds to: below 2^32 the product is within
/// 1e-6 of the exact one, so unless it lies that close to a half, rounding it rounds
/// the exact value. Negative numbers, ties and huge numbers are left to the formatter.
fn scaled(x: f64, scale: f64) -> Option<u64> {
    let product = x * scale;
    let rounded = product.round();
    let clear_of_tie = ((product - rounded).abs() - 0.5).abs() > 1e-6;
    (x >= 0.0 && x.is_sign_positive() && product < 4e9 && clear_of_tie).then_some(rounded as u64)
}

/// Appends `x` with `PLACES` decimals (1 or 2), as `{:.PLACES$}` writes it. A constant,
/// so that the scale and the digits' divisions are too.
fn push_fixed<const PLACES: usize>(out: &mut String, x: f64) {
    let scale: u64 = if PLACES == 1 { 10 } else { 100 };
    match scaled(x, scale as f64) {
        Some(n) => {
            out.push_str(itoa::Buffer::new().format(n / scale));
            out.push('.');
            let mut unit = scale / 10;
            while unit > 0 {
                out.push(char::from(b'0' + (n / unit % 10) as u8));
                unit /= 10;
            }
        }
        None => {
            let _ = write!(out, "{x:.PLACES$}");
        }
    }
}

/// A number with one decimal, as `{:.1}` writes it. A chart writes a thousand of them,
/// and the float formatter's exact path took a tenth of a briefing's values: a number
/// whose tenths are not near a tie is written from an integer instead.
pub struct Tenths(pub f64);

impl Tenths {
    /// Appends the number to `out` (what `Display` writes, without the formatter).
    pub fn push_to(&self, out: &mut String) {
        push_fixed::<1>(out, self.0);
    }
}

impl std::fmt::Display for Tenths {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut s = String::with_capacity(16);
        self.push_to(&mut s);
        f.write_str(&s)
    }
}

/// A number with two decimals, as `{:.2}` writes it (the evaluation's scores: a year's
/// page shows every department's and every person's), the way [`Tenths`] writes one.
pub struct Hundredths(pub f64);

impl Hundredths {
    /// Appends the number to `out`.
    pub fn push_to(&self, out: &mut String) {
        push_fixed::<2>(out, self.0);
    }
}

/// A share as a percentage with at most one decimal and no sign: `85.7`, `80`.
pub fn percent_figure(rate: f64) -> String {
    let mut s = String::with_capacity(8);
    Tenths(rate * 100.0).push_to(&mut s);
    if s.ends_with(".0") {
        s.truncate(s.len() - 2);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tenths_are_written_as_the_float_formatter_writes_them() {
        let mut values: Vec<f64> = (0..200_000).map(|k| f64::from(k) / 1000.0).collect();
        // Chart coordinates, and widths of bars as shares of 220.
        values.extend((0..5000).map(|i| 30.0 + 26.0 * f64::from(i) + 26.0 * 0.62));
        values.extend(
            (0..=400).flat_map(|n| (1..=400).map(move |d| 220.0 * f64::from(n) / f64::from(d))),
        );
        // Ties and their neighbours, big and odd numbers.
        values.extend([
            0.25,
            0.35,
            0.05,
            2.45,
            1e-7,
            0.049999999,
            123456789.95,
            4e8 + 0.05,
        ]);
        values.extend([
            -0.0,
            -0.04,
            -1.25,
            -3.3,
            f64::NAN,
            f64::INFINITY,
            5e9,
            1e300,
        ]);
        let mut seed = 7u64;
        values.extend((0..100_000).map(|_| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 11) as f64 / (1u64 << 53) as f64 * 10f64.powi((seed % 12) as i32 - 3)
        }));
        for v in values {
            let mut pushed = String::new();
            Tenths(v).push_to(&mut pushed);
            assert_eq!(Tenths(v).to_string(), format!("{v:.1}"), "{v:e}");
            assert_eq!(pushed, format!("{v:.1}"), "{v:e}");
        }
    }

    #[test]
    fn hundredths_are_written_as_the_float_formatter_writes_them() {
        let mut values: Vec<f64> = (0..1_000_000).map(|k| f64::from(k) / 10_000.0).collect();
        // Scores: weights times shares, summed.
        values.extend(
            (0..=200).flat_map(|n| (1..=200).map(move |d| 20.0 * f64::from(n) / f64::from(d))),
        );
        values.extend([
            0.005,
            1.005,
            2.675,
            0.125,
            99.995,
            -0.0,
            -1.5,
            4e7,
            f64::NAN,
            1e300,
        ]);
        for v in values {
            let mut pushed = String::new();
            Hundredths(v).push_to(&mut pushed);
            assert_eq!(pushed, format!("{v:.2}"), "{v:e}");
        }
    }

    #[test]
    fn percent_figures_drop_a_zero_decimal() {
        assert_eq!(percent_figure(0.857142), "85.7");
        assert_eq!(percent_figure(0.8), "80");
        assert_eq!(percent_figure(0.0), "0");
        assert_eq!(percent_figure(1.0), "100");
    }
}
