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
