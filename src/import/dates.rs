//! Dates as Chinese documents write them: `2026年3月6日`, `二〇二六年三月六日` (the official
//! form), `2026-03-06`, `2026.3.6`, `2026/3/6`.

use chrono::NaiveDate;

/// The first date in `text`, with what comes before and after it: `2026年3月6日`,
/// `二〇二六年三月六日`, `2026-03-06`, `2026.3.6`, `2026/3/6`.
pub fn find_date(text: &str) -> Option<(NaiveDate, &str, &str)> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let at = |i: usize| chars.get(i).map_or(text.len(), |&(byte, _)| byte);
    (0..chars.len()).find_map(|start| {
        let (date, end) = date_at(&chars, start)?;
        Some((date, text[..at(start)].trim(), &text[at(end)..]))
    })
}

/// A date starting at `chars[start]`, with the index just after it.
fn date_at(chars: &[(usize, char)], start: usize) -> Option<(NaiveDate, usize)> {
    let (year, mut i) = number_at(chars, start, 4)?;
    if !(1949..=2100).contains(&year) {
        return None;
    }
    let separator = chars.get(i)?.1;
    let chinese = separator == '年';
    if !(chinese || matches!(separator, '-' | '.' | '/')) {
        return None;
    }
    i += 1;
    let (month, next) = number_at(chars, i, 2)?;
    i = next;
    match chars.get(i)?.1 {
        '月' if chinese => {}
        c if !chinese && c == separator => {}
        _ => return None,
    }
    i += 1;
    let (day, next) = number_at(chars, i, 2)?;
    i = next;
    if chinese {
        match chars.get(i).map(|c| c.1) {
            Some('日' | '号') => i += 1,
            _ => return None,
        }
    }
    Some((NaiveDate::from_ymd_opt(year as i32, month, day)?, i))
}

/// A number written in ASCII digits (at most `max_digits`) or in Chinese numerals
/// (`二〇二六`, `十二`, `二十六`), with the index after it.
fn number_at(chars: &[(usize, char)], start: usize, max_digits: usize) -> Option<(u32, usize)> {
    let digit = |c: char| -> Option<u32> {
        match c {
            '0'..='9' => c.to_digit(10),
            '〇' | '○' | '零' | 'Ｏ' => Some(0),
            '一' => Some(1),
            '二' => Some(2),
            '三' => Some(3),
            '四' => Some(4),
            '五' => Some(5),
            '六' => Some(6),
            '七' => Some(7),
            '八' => Some(8),
            '九' => Some(9),
            _ => None,
        }
    };
    let mut i = start;
    let mut value = 0u32;
    let mut tens = false;
    let mut count = 0;
    while let Some(&(_, c)) = chars.get(i) {
        if c == '十' {
            // 十 = 10, 十二 = 12, 二十 = 20, 二十六 = 26.
            value = if count == 0 { 10 } else { value * 10 };
            tens = true;
        } else if let Some(d) = digit(c) {
            if tens {
                value += d;
            } else {
                value = value * 10 + d;
            }
        } else {
            break;
        }
        count += 1;
        i += 1;
        if count > max_digits + 1 {
            return None;
        }
    }
    (count > 0 && (tens || count <= max_digits)).then_some((value, i))
}

/// A day written without its year, as a plan's schedule writes it (`3月6日`, `十二月
/// 二十六日`, `3.6`, `03-06`), in `year`; a full date ([`find_date`]) keeps its own year.
pub fn day_in_year(text: &str, year: i32) -> Option<NaiveDate> {
    if let Some((date, _, _)) = find_date(text) {
        return Some(date);
    }
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    (0..chars.len()).find_map(|start| {
        let (month, i) = number_at(&chars, start, 2)?;
        let separator = chars.get(i)?.1;
        let (day, end) = number_at(&chars, i + 1, 2)?;
        let ends = chars.get(end).map(|c| c.1);
        let fits = match separator {
            '月' => matches!(ends, Some('日' | '号')),
            '.' | '-' | '/' => !matches!(ends, Some('0'..='9' | '.' | '-' | '/')),
            _ => false,
        };
        // Not the end of a longer number: neither `12026.3` nor `3.1.4` is a day.
        let starts_clean = start == 0 || !matches!(chars[start - 1].1, '0'..='9' | '.' | '-' | '/');
        (fits && starts_clean)
            .then(|| NaiveDate::from_ymd_opt(year, month, day))
            .flatten()
    })
}

/// The period a plan's title names: `2026年3月` -> `2026-03`, `2026年第二季度` or
/// `2026年二季度` -> `2026-Q2`, `2026年` -> `2026`.
pub fn period_in(title: &str) -> Option<String> {
    let chars: Vec<(usize, char)> = title.char_indices().collect();
    (0..chars.len()).find_map(|start| {
        let (year, i) = number_at(&chars, start, 4)?;
        if !(1949..=2100).contains(&year) || chars.get(i)?.1 != '年' {
            return None;
        }
        let after = &chars[i + 1..];
        let month = number_at(after, 0, 2)
            .filter(|&(m, end)| (1..=12).contains(&m) && after.get(end).map(|c| c.1) == Some('月'));
        let skip = usize::from(after.first().map(|c| c.1) == Some('第'));
        let quarter = number_at(after, skip, 1)
            .filter(|&(q, end)| (1..=4).contains(&q) && after.get(end).map(|c| c.1) == Some('季'));
        Some(match (month, quarter) {
            (Some((m, _)), _) => format!("{year}-{m:02}"),
            (None, Some((q, _))) => format!("{year}-Q{q}"),
            _ => year.to_string(),
        })
    })
}
