//! Dates at the precision stated: a year, a month or a day (ISO 8601).

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PartialDate {
    pub year: i32,
    pub month: Option<u32>,
    pub day: Option<u32>,
}

impl PartialDate {
    pub fn year(year: i32) -> Self {
        PartialDate {
            year,
            month: None,
            day: None,
        }
    }
    pub fn month(year: i32, month: u32) -> Self {
        PartialDate {
            year,
            month: Some(month),
            day: None,
        }
    }
    pub fn day(year: i32, month: u32, day: u32) -> Option<Self> {
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(PartialDate {
            year,
            month: Some(month),
            day: Some(day),
        })
    }

    /// Parse `YYYY`, `YYYY-MM`, `YYYY-MM-DD` (a longer timestamp is cut to its date).
    pub fn parse_iso(s: &str) -> Option<Self> {
        let s = s.trim();
        let date_part = s.split(['T', ' ']).next()?;
        let parts: Vec<&str> = date_part.split('-').collect();
        let year: i32 = parts.first().filter(|p| p.len() == 4)?.parse().ok()?;
        match parts.len() {
            1 => Some(Self::year(year)),
            2 => {
                let m: u32 = parts[1].parse().ok()?;
                (1..=12).contains(&m).then(|| Self::month(year, m))
            }
            3 => Self::day(year, parts[1].parse().ok()?, parts[2].parse().ok()?),
            _ => None,
        }
    }

    /// Sortable key of the first day covered.
    pub fn key_start(&self) -> (i32, u32, u32) {
        (self.year, self.month.unwrap_or(1), self.day.unwrap_or(1))
    }
    /// Sortable key of the last day covered.
    pub fn key_end(&self) -> (i32, u32, u32) {
        let m = self.month.unwrap_or(12);
        (
            self.year,
            m,
            self.day.unwrap_or_else(|| days_in_month(self.year, m)),
        )
    }

    /// XSD datatype local name for this precision.
    pub fn xsd_type(&self) -> &'static str {
        match (self.month, self.day) {
            (Some(_), Some(_)) => "date",
            (Some(_), None) => "gYearMonth",
            _ => "gYear",
        }
    }

    /// Days since 1970-01-01 (full dates only).
    pub fn days(&self) -> Option<i64> {
        Some(days_from_civil(
            self.year as i64,
            self.month? as i64,
            self.day? as i64,
        ))
    }

    pub fn from_days(z: i64) -> Self {
        let (y, m, d) = civil_from_days(z);
        PartialDate {
            year: y as i32,
            month: Some(m as u32),
            day: Some(d as u32),
        }
    }

    /// 0 = Monday .. 6 = Sunday.
    pub fn weekday(&self) -> Option<u32> {
        let d = self.days()?;
        Some(((d + 3).rem_euclid(7)) as u32)
    }
}

impl serde::Serialize for PartialDate {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
            if let Some(d) = self.day {
                write!(f, "-{d:02}")?;
            }
        }
        Ok(())
    }
}

pub fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

// Howard Hinnant's algorithms.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe - 719468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719468;
    let era = if z >= 0 { z } else { z - 146096 } / 146097;
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_print() {
        assert_eq!(
            PartialDate::parse_iso("2022-09").unwrap().to_string(),
            "2022-09"
        );
        assert_eq!(
            PartialDate::parse_iso("2025-03-14 20:30:26Z")
                .unwrap()
                .to_string(),
            "2025-03-14"
        );
        assert!(PartialDate::parse_iso("2022-02-30").is_none());
        assert!(PartialDate::parse_iso("22-01").is_none());
    }

    #[test]
    fn day_arithmetic() {
        let d = PartialDate::day(2025, 3, 14).unwrap();
        assert_eq!(d.weekday(), Some(4)); // a Friday
        assert_eq!(
            PartialDate::from_days(d.days().unwrap() - 14).to_string(),
            "2025-02-28"
        );
    }
}
