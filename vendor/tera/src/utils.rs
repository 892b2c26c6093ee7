use std::fmt;
use std::ops::{Deref, Range};

#[derive(Clone, PartialEq)]
pub struct Spanned<T: fmt::Debug> {
    node: Box<T>,
    span: Span,
}

impl<T: fmt::Debug> Spanned<T> {
    pub fn new(node: T, span: Span) -> Self {
        Self {
            node: Box::new(node),
            span,
        }
    }

    pub fn span(&self) -> &Span {
        &self.span
    }

    pub fn span_mut(&mut self) -> &mut Span {
        &mut self.span
    }

    pub(crate) fn node(&self) -> &T {
        &self.node
    }

    pub fn into_parts(self) -> (T, Span) {
        (*self.node, self.span)
    }
}

impl<T: fmt::Debug> Deref for Spanned<T> {
    type Target = T;

    fn deref(&self) -> &Self::Target {
        &self.node
    }
}

impl<T: fmt::Debug> fmt::Debug for Spanned<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.node, f)?;
        write!(f, "{:?}", self.span)
    }
}

/// The position of a node in the template source
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Span {
    /// Line the span starts on, 1-based
    pub start_line: usize,
    /// Column the span starts on, 0-based
    pub start_col: usize,
    /// Line the span ends on, 1-based
    pub end_line: usize,
    /// Column the span ends on, 0-based
    pub end_col: usize,
    /// Byte range of the span in the template source
    pub range: Range<usize>,
}

impl fmt::Debug for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            " @ {}:{}-{}:{} ({:?})",
            self.start_line, self.start_col, self.end_line, self.end_col, self.range,
        )
    }
}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            " @ {}:{}-{}:{}",
            self.start_line, self.start_col, self.end_line, self.end_col,
        )
    }
}
impl Span {
    pub(crate) fn expand(&mut self, other: &Span) {
        self.end_line = other.end_line;
        self.end_col = other.end_col;
        self.range = self.range.start..other.range.end;
    }
}

/// jianbao's patch: whether two byte strings are equal, for the short names of variables
/// and fields, with two loads from each instead of a call to `memcmp` (looking names
/// up called it millions of times a build, each call dearer than the comparison).
#[inline]
pub(crate) fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    // Inlined by force: as calls (the compiler's choice) they cost more than the
    // comparison they make.
    #[inline(always)]
    fn load8(s: &[u8], at: usize) -> u64 {
        s.get(at..at + 8)
            .and_then(|w| w.try_into().ok())
            .map_or(0, u64::from_le_bytes)
    }
    #[inline(always)]
    fn load4(s: &[u8], at: usize) -> u32 {
        s.get(at..at + 4)
            .and_then(|w| w.try_into().ok())
            .map_or(0, u32::from_le_bytes)
    }
    let n = a.len();
    if n != b.len() {
        return false;
    }
    match n {
        0 => true,
        // The first, middle and last bytes cover every byte of 1 to 3.
        1..=3 => a[0] == b[0] && a[n / 2] == b[n / 2] && a[n - 1] == b[n - 1],
        // Two overlapping words cover every byte.
        4..=7 => load4(a, 0) == load4(b, 0) && load4(a, n - 4) == load4(b, n - 4),
        8..=16 => load8(a, 0) == load8(b, 0) && load8(a, n - 8) == load8(b, n - 8),
        _ => a == b,
    }
}

/// Whether `short` (under 16 bytes) holds a byte [`escape_html`] replaces: `&`, `<`, `>`,
/// `"` or `'` (jianbao's patch). Two 8-byte words, the second padded with zeros, each
/// tested for the five bytes at once (`x - 1` borrows into the top bit of a zero byte
/// of `x`, the word xor the byte sought).
pub fn short_needs_html_escape(short: &[u8]) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const TOPS: u64 = 0x8080_8080_8080_8080;
    let special = |word: u64| {
        let equal = |c: u8| {
            let x = word ^ (ONES * u64::from(c));
            x.wrapping_sub(ONES) & !x & TOPS
        };
        equal(b'&') | equal(b'<') | equal(b'>') | equal(b'"') | equal(b'\'')
    };
    let mut words = [0u8; 16];
    let n = short.len().min(16);
    words[..n].copy_from_slice(&short[..n]);
    let (low, high) = words.split_at(8);
    let word = |half: &[u8]| u64::from_le_bytes(half.try_into().unwrap_or([0; 8]));
    (special(word(low)) | special(word(high))) != 0
}

/// Escape HTML following [OWASP](https://www.owasp.org/index.php/XSS_(Cross_Site_Scripting)_Prevention_Cheat_Sheet)
///
/// Escape the following characters with HTML entity encoding to prevent switching
/// into any execution context, such as script, style, or event handlers. Using
/// hex entities is recommended in the spec. In addition to the 5 characters
/// significant in XML (&, <, >, ", '), the forward slash is included as it helps
/// to end an HTML entity.
///
/// ```text
/// & --> &amp;
/// < --> &lt;
/// > --> &gt;
/// " --> &quot;
/// ' --> &#39;
/// ```
#[inline]
pub fn escape_html(input: &str, buf: &mut dyn std::io::Write) -> std::io::Result<()> {
    // jianbao's patch: a short value (a date, a number, a name) goes through the
    // escaper's byte-by-byte path; most have nothing to escape, which two word tests
    // tell sooner. Longer ones take the escaper's SIMD path as they are.
    if input.len() < 16 && !short_needs_html_escape(input.as_bytes()) {
        return buf.write_all(input.as_bytes());
    }
    #[cfg(feature = "fast_escape")]
    {
        use pulldown_cmark_escape::IoWriter;
        pulldown_cmark_escape::escape_html(IoWriter(buf), input)?;
        Ok(())
    }

    #[cfg(not(feature = "fast_escape"))]
    {
        for c in input.as_bytes() {
            match c {
                b'&' => buf.write_all(b"&amp;")?,
                b'<' => buf.write_all(b"&lt;")?,
                b'>' => buf.write_all(b"&gt;")?,
                b'"' => buf.write_all(b"&quot;")?,
                b'\'' => buf.write_all(b"&#39;")?,
                _ => buf.write_all(&[*c])?,
            };
        }
        Ok(())
    }
}
