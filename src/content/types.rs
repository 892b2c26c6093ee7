//! The small value types every record is made of: ids, dates, months and plan periods.
//!
//! They are parsed once, at the edge (YAML deserialization), with messages a user can act
//! on; inside the program nobody re-parses strings.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize, Serializer, de};

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        ///
        /// Shared, not copied: a year's figures name every person in hundreds of lists.
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub std::sync::Arc<str>);

        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                $name(s.into())
            }
        }

        impl std::borrow::Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }
    };
}

id_type!(
    /// A department id from org.yaml (`mishu`).
    DeptId
);
id_type!(
    /// A person id from org.yaml (`zhang-wei`).
    PersonId
);

/// A calendar month, written `YYYY-MM`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct YearMonth {
    pub year: i32,
    pub month: u32,
}

impl YearMonth {
    pub fn new(year: i32, month: u32) -> Option<Self> {
        (1..=12)
            .contains(&month)
            .then_some(YearMonth { year, month })
    }

    pub fn of(date: NaiveDate) -> Self {
        YearMonth {
            year: date.year(),
            month: date.month(),
        }
    }

    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).unwrap_or(NaiveDate::MIN)
    }

    pub fn last_day(self) -> NaiveDate {
        self.next().first_day().pred_opt().unwrap_or(NaiveDate::MAX)
    }

    pub fn next(self) -> Self {
        if self.month == 12 {
            YearMonth {
                year: self.year + 1,
                month: 1,
            }
        } else {
            YearMonth {
                year: self.year,
                month: self.month + 1,
            }
        }
    }

    pub fn prev(self) -> Self {
        if self.month == 1 {
            YearMonth {
                year: self.year - 1,
                month: 12,
            }
        } else {
            YearMonth {
                year: self.year,
                month: self.month - 1,
            }
        }
    }

    pub fn contains(self, date: NaiveDate) -> bool {
        date.year() == self.year && date.month() == self.month
    }

    /// The twelve months of a year, or those up to and including `through`.
    pub fn months_of_year(year: i32, through: Option<YearMonth>) -> Vec<YearMonth> {
        (1..=12)
            .map(|m| YearMonth { year, month: m })
            .filter(|ym| through.is_none_or(|t| *ym <= t))
            .collect()
    }
}

impl fmt::Display for YearMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl FromStr for YearMonth {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let bad = || format!("`{s}` is not a month: write it as YYYY-MM, like 2026-03");
        let (y, m) = s.trim().split_once('-').ok_or_else(bad)?;
        if y.len() != 4 || m.len() != 2 {
            return Err(bad());
        }
        let year: i32 = y.parse().map_err(|_| bad())?;
        let month: u32 = m.parse().map_err(|_| bad())?;
        YearMonth::new(year, month).ok_or_else(|| format!("`{s}`: there is no month {month}"))
    }
}

impl Serialize for YearMonth {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for YearMonth {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = scalar_string(d)?;
        s.parse().map_err(de::Error::custom)
    }
}

/// Parses a `YYYY-MM-DD` date with a message that says what is wrong with it
/// (`2025-02-31`: February 2025 has 28 days).
pub fn parse_date(s: &str) -> Result<NaiveDate, String> {
    let s = s.trim();
    let bad = || format!("`{s}` is not a date: write it as YYYY-MM-DD, like 2026-03-06");
    let mut parts = super::scan::split_byte(s, b'-');
    let (Some(y), Some(m), Some(d), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(bad());
    };
    if y.len() != 4 || m.is_empty() || m.len() > 2 || d.is_empty() || d.len() > 2 {
        return Err(bad());
    }
    let (Ok(year), Ok(month), Ok(day)) = (y.parse::<i32>(), m.parse::<u32>(), d.parse::<u32>())
    else {
        return Err(bad());
    };
    if !(1..=12).contains(&month) {
        return Err(format!("`{s}` is not a date: there is no month {month}"));
    }
    NaiveDate::from_ymd_opt(year, month, day).ok_or_else(|| {
        let days = YearMonth { year, month }.last_day().day();
        format!("`{s}` is not a date: {year}-{month:02} has {days} days")
    })
}

/// Accepts a YAML scalar of any type as a string (so `period: 2026` and
/// `period: "2026"` mean the same).
fn scalar_string<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Scalar {
        S(String),
        I(i64),
        F(f64),
    }
    Ok(match Scalar::deserialize(d)? {
        Scalar::S(s) => s,
        Scalar::I(i) => i.to_string(),
        Scalar::F(f) => f.to_string(),
    })
}

/// Serde adapter for `NaiveDate` fields: `#[serde(with = "date")]`.
pub mod date {
    use super::*;

    pub fn serialize<S: Serializer>(date: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&date.format("%Y-%m-%d"))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
        parse_date(&scalar_string(d)?).map_err(de::Error::custom)
    }
}

/// A date as `YYYY-MM-DD`, as its `Display` writes it, without the formatter for the
/// years of four digits (every record's date is written for its pages, feeds and
/// search document).
pub fn iso_date(d: NaiveDate) -> String {
    use chrono::Datelike;
    let Ok(year) = u16::try_from(d.year()) else {
        return d.to_string();
    };
    if year > 9999 {
        return d.to_string();
    }
    let digit = |n: u32| char::from(b'0' + (n % 10) as u8);
    let (year, month, day) = (u32::from(year), d.month(), d.day());
    [
        digit(year / 1000),
        digit(year / 100),
        digit(year / 10),
        digit(year),
        '-',
        digit(month / 10),
        digit(month),
        '-',
        digit(day / 10),
        digit(day),
    ]
    .into_iter()
    .collect()
}

/// Serde adapter for `Option<NaiveDate>` fields: `#[serde(default, with = "opt_date")]`.
pub mod opt_date {
    use super::*;

    pub fn serialize<S: Serializer>(date: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
        match date {
            Some(d) => s.collect_str(&d.format("%Y-%m-%d")),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
        let raw: Option<String> = Option::<StringLike>::deserialize(d)?.map(|s| s.0);
        raw.map(|s| parse_date(&s).map_err(de::Error::custom))
            .transpose()
    }

    struct StringLike(String);
    impl<'de> Deserialize<'de> for StringLike {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            scalar_string(d).map(StringLike)
        }
    }
}

/// The period a plan covers: a year, a quarter or a month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    Year(i32),
    Quarter(i32, u32),
    Month(YearMonth),
}

impl Period {
    pub fn first_day(self) -> NaiveDate {
        match self {
            Period::Year(y) => YearMonth { year: y, month: 1 }.first_day(),
            Period::Quarter(y, q) => YearMonth {
                year: y,
                month: (q - 1) * 3 + 1,
            }
            .first_day(),
            Period::Month(ym) => ym.first_day(),
        }
    }

    pub fn last_day(self) -> NaiveDate {
        match self {
            Period::Year(y) => YearMonth { year: y, month: 12 }.last_day(),
            Period::Quarter(y, q) => YearMonth {
                year: y,
                month: q * 3,
            }
            .last_day(),
            Period::Month(ym) => ym.last_day(),
        }
    }

    pub fn contains(self, date: NaiveDate) -> bool {
        self.first_day() <= date && date <= self.last_day()
    }

    /// How a Chinese reader names the period: 2026年, 2026年第二季度, 2026年3月.
    pub fn label_zh(self) -> String {
        match self {
            Period::Year(y) => format!("{y}年"),
            Period::Quarter(y, q) => {
                let n = ["一", "二", "三", "四"][(q as usize - 1).min(3)];
                format!("{y}年第{n}季度")
            }
            Period::Month(ym) => format!("{}年{}月", ym.year, ym.month),
        }
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Period::Year(y) => write!(f, "{y}"),
            Period::Quarter(y, q) => write!(f, "{y}-Q{q}"),
            Period::Month(ym) => write!(f, "{ym}"),
        }
    }
}

impl FromStr for Period {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let s = s.trim();
        let bad = || format!("`{s}` is not a period: write 2026, 2026-Q2 or 2026-03");
        if s.len() == 4 {
            return s.parse().map(Period::Year).map_err(|_| bad());
        }
        if let Some((y, q)) = s.split_once("-Q") {
            let year: i32 = y.parse().map_err(|_| bad())?;
            let q: u32 = q.parse().map_err(|_| bad())?;
            return if (1..=4).contains(&q) {
                Ok(Period::Quarter(year, q))
            } else {
                Err(bad())
            };
        }
        s.parse().map(Period::Month).map_err(|_| bad())
    }
}

impl Serialize for Period {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Period {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        scalar_string(d)?.parse().map_err(de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_written_as_chrono_writes_them() {
        for (y, m, d) in [
            (2026, 3, 9),
            (1, 1, 1),
            (0, 12, 31),
            (999, 10, 5),
            (9999, 12, 31),
        ] {
            let date = NaiveDate::from_ymd_opt(y, m, d).expect("a date");
            assert_eq!(iso_date(date), date.to_string());
        }
        for y in [-1, 10000, 200_000] {
            let date = NaiveDate::from_ymd_opt(y, 6, 1).expect("a date");
            assert_eq!(iso_date(date), date.to_string());
        }
    }

    #[test]
    fn dates_are_checked_against_the_calendar() {
        assert_eq!(
            parse_date("2026-03-06"),
            NaiveDate::from_ymd_opt(2026, 3, 6).ok_or(String::new())
        );
        for (input, expected) in [
            ("2025-13-45", "there is no month 13"),
            ("2025-02-31", "2025-02 has 28 days"),
            ("2024-02-30", "2024-02 has 29 days"),
            ("2026/03/06", "write it as YYYY-MM-DD"),
            ("", "write it as YYYY-MM-DD"),
            ("2026-03-06-01", "write it as YYYY-MM-DD"),
        ] {
            let err = parse_date(input).expect_err(input);
            assert!(err.contains(expected), "{input}: {err}");
        }
    }

    #[test]
    fn months_and_periods_parse_and_print() {
        let ym: YearMonth = "2026-03".parse().expect("month");
        assert_eq!(ym.to_string(), "2026-03");
        assert_eq!(
            ym.last_day(),
            NaiveDate::from_ymd_opt(2026, 3, 31).expect("date")
        );
        assert_eq!(
            YearMonth {
                year: 2026,
                month: 12
            }
            .next()
            .to_string(),
            "2027-01"
        );
        assert!("2026-13".parse::<YearMonth>().is_err());
        for (s, first, last) in [
            ("2026", "2026-01-01", "2026-12-31"),
            ("2026-Q2", "2026-04-01", "2026-06-30"),
            ("2026-02", "2026-02-01", "2026-02-28"),
        ] {
            let p: Period = s.parse().expect(s);
            assert_eq!(p.first_day().to_string(), first);
            assert_eq!(p.last_day().to_string(), last);
            assert_eq!(p.to_string(), s);
        }
        assert!("2026-Q5".parse::<Period>().is_err());
        assert_eq!(
            "2026-Q2".parse::<Period>().map(Period::label_zh),
            Ok("2026年第二季度".into())
        );
    }

    #[test]
    fn period_accepts_a_bare_yaml_integer() {
        let p: Period = serde_yaml::from_str("2026").expect("period");
        assert_eq!(p, Period::Year(2026));
    }
}
