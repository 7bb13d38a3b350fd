//! Dates of generated mail, in Japan time, and the three ways mail writes them.
//!
//! A day is counted from 1970-01-01 (the proleptic Gregorian calendar); the civil-date
//! conversions are Howard Hinnant's `days_from_civil` and `civil_from_days`, exact over any
//! range this generator uses.

use std::fmt::Write;

use crate::random::Random;

/// The first and last day a generated mail is sent on, as the corpus in data/ does.
const FIRST: (i64, u32, u32) = (2023, 1, 1);
const LAST: (i64, u32, u32) = (2026, 10, 31);

const WEEKDAYS_EN: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
const WEEKDAYS_JA: [&str; 7] = ["木", "金", "土", "日", "月", "火", "水"];
const MONTHS_EN: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// A moment in Japan Standard Time (UTC+9, no daylight saving).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Moment {
    /// Days since 1970-01-01.
    day: i64,
    /// Seconds since midnight.
    second: u32,
}

impl Moment {
    /// A random moment between the first and last day, more often in waking hours.
    pub(crate) fn draw(random: &mut Random) -> Moment {
        let first = days_from_civil(FIRST.0, FIRST.1, FIRST.2);
        let last = days_from_civil(LAST.0, LAST.1, LAST.2);
        let day = first + random.below((last - first + 1) as u64) as i64;
        // Bulk senders mail at any hour; people mostly between 7 and 23.
        let hour = if random.percent(80) {
            random.between(7, 23)
        } else {
            random.below(24)
        } as u32;
        let second = hour * 3600 + random.below(3600) as u32;
        Moment { day, second }
    }

    /// The same time of day, `days` later.
    pub(crate) fn plus_days(self, days: i64) -> Moment {
        Moment {
            day: self.day + days,
            ..self
        }
    }

    /// The first weekday (Monday to Friday) on or after this day.
    pub(crate) fn weekday_on_or_after(self) -> Moment {
        match self.weekday() {
            // 2 is Saturday, 3 Sunday (day 0, 1970-01-01, was a Thursday).
            2 => self.plus_days(2),
            3 => self.plus_days(1),
            _ => self,
        }
    }

    fn civil(self) -> (i64, u32, u32) {
        civil_from_days(self.day)
    }

    fn weekday(self) -> usize {
        self.day.rem_euclid(7) as usize
    }

    fn clock(self) -> (u32, u32, u32) {
        (self.second / 3600, self.second / 60 % 60, self.second % 60)
    }

    /// ISO 8601 with the offset, as the dataset's `date` field: `2025-03-14T18:02:00+09:00`.
    pub(crate) fn iso8601(self, out: &mut String) {
        let (y, m, d) = self.civil();
        let (h, min, s) = self.clock();
        let _ = write!(out, "{y:04}-{m:02}-{d:02}T{h:02}:{min:02}:{s:02}+09:00");
    }

    /// RFC 5322 `Date:`: `Fri, 14 Mar 2025 18:02:00 +0900`.
    pub(crate) fn rfc5322(self, out: &mut String) {
        let (y, m, d) = self.civil();
        let (h, min, s) = self.clock();
        let weekday = WEEKDAYS_EN[self.weekday()];
        let month = MONTHS_EN[m as usize - 1];
        let _ = write!(
            out,
            "{weekday}, {d} {month} {y:04} {h:02}:{min:02}:{s:02} +0900"
        );
    }

    /// Japanese date: `2025年3月14日`.
    pub(crate) fn japanese_date(self, out: &mut String) {
        let (y, m, d) = self.civil();
        let _ = write!(out, "{y}年{m}月{d}日");
    }

    /// Japanese date with the weekday: `2025年3月14日（金）`.
    pub(crate) fn japanese_date_weekday(self, out: &mut String) {
        self.japanese_date(out);
        let _ = write!(out, "（{}）", WEEKDAYS_JA[self.weekday()]);
    }

    /// Japanese date and time: `2025年3月14日 18:02`.
    pub(crate) fn japanese_date_time(self, out: &mut String) {
        self.japanese_date(out);
        let (h, min, _) = self.clock();
        let _ = write!(out, " {h}:{min:02}");
    }

    /// The year, for copyright lines and fiscal years.
    pub(crate) fn year(self) -> i64 {
        self.civil().0
    }

    /// The month, 1 to 12.
    pub(crate) fn month(self) -> u32 {
        self.civil().1
    }
}

fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn moment(y: i64, m: u32, d: u32, h: u32, min: u32) -> Moment {
        Moment {
            day: days_from_civil(y, m, d),
            second: h * 3600 + min * 60,
        }
    }

    #[test]
    fn formats_match_a_known_day() {
        let cases = [
            // (date, ISO 8601, RFC 5322, Japanese with weekday)
            (
                moment(2025, 3, 14, 18, 2),
                "2025-03-14T18:02:00+09:00",
                "Fri, 14 Mar 2025 18:02:00 +0900",
                "2025年3月14日（金）",
            ),
            (
                moment(2024, 2, 29, 7, 5),
                "2024-02-29T07:05:00+09:00",
                "Thu, 29 Feb 2024 07:05:00 +0900",
                "2024年2月29日（木）",
            ),
            (
                moment(2023, 1, 1, 0, 0),
                "2023-01-01T00:00:00+09:00",
                "Sun, 1 Jan 2023 00:00:00 +0900",
                "2023年1月1日（日）",
            ),
        ];
        for (moment, iso, rfc, japanese) in cases {
            let (mut a, mut b, mut c) = (String::new(), String::new(), String::new());
            moment.iso8601(&mut a);
            moment.rfc5322(&mut b);
            moment.japanese_date_weekday(&mut c);
            assert_eq!((a.as_str(), b.as_str(), c.as_str()), (iso, rfc, japanese));
        }
    }

    #[test]
    fn civil_days_round_trip() {
        for day in -1000..40_000 {
            let (y, m, d) = civil_from_days(day);
            assert_eq!(days_from_civil(y, m, d), day);
        }
    }

    #[test]
    fn drawn_moments_stay_in_range() {
        let mut random = Random::for_mail(3, 0);
        for _ in 0..2000 {
            let m = Moment::draw(&mut random);
            let (y, ..) = m.civil();
            assert!((2023..=2026).contains(&y));
            assert!(m.second < 86_400);
        }
    }
}
