//! Splitting text at an ASCII byte, the way `str::split` and `str::lines` do, without
//! their char searcher: it is set up again for every piece, and the pieces read here
//! (front matter values, log entries, ledger lines, dates) are a few bytes long, so
//! setting up cost more than searching. An ASCII byte never occurs inside a multi-byte
//! character, so every cut falls on a character boundary.

/// The pieces of `text` between line feeds, as `text.split('\n')` gives them: the line
/// feeds are found by memchr's SIMD search as it goes over the whole text.
pub fn split_lines(text: &str) -> impl Iterator<Item = &str> {
    let mut start = 0;
    (memchr::memchr_iter(b'\n', text.as_bytes()).map(Some))
        .chain(std::iter::once(None))
        .map(move |end| {
            let end = end.unwrap_or(text.len());
            let line = &text[start..end];
            start = end + 1;
            line
        })
}

/// The lines of `text` as `text.lines()` gives them: split at line feeds, a carriage
/// return before a line feed dropped, no empty line after a final line feed.
pub fn lines(text: &str) -> impl Iterator<Item = &str> {
    let mut start = 0;
    let mut feeds = memchr::memchr_iter(b'\n', text.as_bytes());
    std::iter::from_fn(move || {
        if start >= text.len() {
            return None;
        }
        Some(match feeds.next() {
            Some(end) => {
                let line = &text[start..end];
                start = end + 1;
                line.strip_suffix('\r').unwrap_or(line)
            }
            None => {
                let line = &text[start..];
                start = text.len();
                line
            }
        })
    })
}

/// The pieces of `text` between the ASCII byte `sep`, as `text.split(sep)` gives them.
pub fn split_byte(text: &str, sep: u8) -> impl Iterator<Item = &str> {
    debug_assert!(sep.is_ascii());
    let mut rest = Some(text);
    std::iter::from_fn(move || {
        let piece = rest?;
        Some(match split_once_byte(piece, sep) {
            Some((before, after)) => {
                rest = Some(after);
                before
            }
            None => {
                rest = None;
                piece
            }
        })
    })
}

/// `text` split at the first ASCII byte `sep`, as `text.split_once(sep)` gives it.
pub fn split_once_byte(text: &str, sep: u8) -> Option<(&str, &str)> {
    debug_assert!(sep.is_ascii());
    let at = text.bytes().position(|b| b == sep)?;
    Some((&text[..at], &text[at + 1..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXTS: &[&str] = &[
        "",
        "\n",
        "\n\n",
        "a",
        "a\n",
        "a\n\n",
        "\na",
        "a\nb",
        "\n\na\n\n",
        "学习\n心得：体会\r\n结尾",
        "a\r\nb\r\n",
        "a\r",
        "a\rb\n",
        "\r\n",
        "学习,计划\n心得,,体会\r\n",
        ",",
        ",a,",
        "2026-03-06",
        "1.5",
        "..",
    ];

    #[test]
    fn pieces_are_those_of_the_standard_library() {
        for text in TEXTS {
            assert_eq!(
                split_lines(text).collect::<Vec<_>>(),
                text.split('\n').collect::<Vec<_>>(),
                "split_lines {text:?}"
            );
            assert_eq!(
                lines(text).collect::<Vec<_>>(),
                text.lines().collect::<Vec<_>>(),
                "lines {text:?}"
            );
            for sep in [b',', b'-', b'.', b'\n'] {
                let c = char::from(sep);
                assert_eq!(
                    split_byte(text, sep).collect::<Vec<_>>(),
                    text.split(c).collect::<Vec<_>>(),
                    "split_byte {text:?} {c:?}"
                );
                assert_eq!(
                    split_once_byte(text, sep),
                    text.split_once(c),
                    "{text:?} {c:?}"
                );
            }
        }
    }
}
