//! Finding the next byte that needs a closer look in text that is mostly Chinese, 16
//! bytes at a time.
//!
//! The search index's text is collapsed at whitespace ([`crate::markdown`]) and its
//! JSON escaped ([`crate::render::search`]); both stepped over the text a character at
//! a time, a few instructions per Chinese character, for every record of a build.
//! Nearly every byte of that text needs nothing; these functions skip to the first one
//! that may, with SSE2 (every x86-64 has it) and a byte loop elsewhere. Each class is a
//! set of bytes that only ever start a character (ASCII, or a UTF-8 lead byte), so the
//! index returned is always a character boundary of a `str`.

/// The byte classes sought.
#[derive(Clone, Copy)]
enum Class {
    WhitespaceStart,
    JsonSpecial,
}

/// Whether `byte` may start a whitespace character (`char::is_whitespace`): ASCII's
/// whitespace and the other controls and space (`..=0x20`), and the lead bytes of
/// U+0085 and U+00A0 (`0xC2`), U+1680 (`0xE1`), U+2000-U+205F (`0xE2`) and U+3000
/// (`0xE3`); `0xE0` comes with them (its characters are never whitespace).
pub fn may_start_whitespace(byte: u8) -> bool {
    byte <= 0x20 || byte == 0xC2 || byte & 0xFC == 0xE0
}

/// Whether JSON escapes `byte` in a string (`"`, `\`, controls), or `<` (escaped so
/// that a script can hold the JSON).
pub fn json_special(byte: u8) -> bool {
    byte < 0x20 || byte == b'"' || byte == b'\\' || byte == b'<'
}

/// The index of the first byte of `b` at or after `from` that [`may_start_whitespace`],
/// or `b.len()`.
pub fn find_whitespace_start(b: &[u8], from: usize) -> usize {
    find(b, from, Class::WhitespaceStart)
}

/// The index of the first byte of `b` at or after `from` that is [`json_special`], or
/// `b.len()`.
pub fn find_json_special(b: &[u8], from: usize) -> usize {
    find(b, from, Class::JsonSpecial)
}

#[inline]
fn find(b: &[u8], from: usize, class: Class) -> usize {
    // SAFETY: SSE2 is part of x86-64 itself: every CPU that runs this code has it.
    #[cfg(target_arch = "x86_64")]
    let from = unsafe { sse2::find_in_blocks(b, from, class) };
    let from = from.min(b.len());
    let test = match class {
        Class::WhitespaceStart => may_start_whitespace,
        Class::JsonSpecial => json_special,
    };
    // The whole search without SSE2, and the last bytes (fewer than 16) with it.
    b[from..]
        .iter()
        .position(|&byte| test(byte))
        .map_or(b.len(), |i| from + i)
}

#[cfg(target_arch = "x86_64")]
mod sse2 {
    use super::Class;
    use std::arch::x86_64::{
        __m128i, _mm_and_si128, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_min_epu8, _mm_movemask_epi8,
        _mm_or_si128, _mm_set1_epi8,
    };

    /// The index of the first byte at or after `from` of the class, in whole blocks of
    /// 16; where no block has one, the start of the bytes left over, for the byte loop.
    #[inline]
    #[target_feature(enable = "sse2")]
    pub(super) fn find_in_blocks(b: &[u8], mut from: usize, class: Class) -> usize {
        while let Some(block) = b.get(from..from.saturating_add(16)) {
            // SAFETY: `block` is 16 readable bytes; the load takes any alignment.
            let v = unsafe { _mm_loadu_si128(block.as_ptr().cast::<__m128i>()) };
            let lanes = _mm_movemask_epi8(match class {
                Class::WhitespaceStart => whitespace_start(v),
                Class::JsonSpecial => json_special(v),
            });
            if lanes != 0 {
                return from + lanes.trailing_zeros() as usize;
            }
            from += 16;
        }
        from
    }

    #[target_feature(enable = "sse2")]
    fn splat(byte: u8) -> __m128i {
        _mm_set1_epi8(i8::from_ne_bytes([byte]))
    }

    /// `v <= max` in every lane (unsigned): `min(v, max) == v`.
    #[target_feature(enable = "sse2")]
    fn at_most(v: __m128i, max: u8) -> __m128i {
        _mm_cmpeq_epi8(_mm_min_epu8(v, splat(max)), v)
    }

    #[target_feature(enable = "sse2")]
    fn whitespace_start(v: __m128i) -> __m128i {
        let c2 = _mm_cmpeq_epi8(v, splat(0xC2));
        let e0_e3 = _mm_cmpeq_epi8(_mm_and_si128(v, splat(0xFC)), splat(0xE0));
        _mm_or_si128(at_most(v, 0x20), _mm_or_si128(c2, e0_e3))
    }

    #[target_feature(enable = "sse2")]
    fn json_special(v: __m128i) -> __m128i {
        let quote = _mm_cmpeq_epi8(v, splat(b'"'));
        let backslash = _mm_cmpeq_epi8(v, splat(b'\\'));
        let lt = _mm_cmpeq_epi8(v, splat(b'<'));
        _mm_or_si128(
            _mm_or_si128(at_most(v, 0x1F), quote),
            _mm_or_si128(backslash, lt),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Texts of every length around the block size, with the sought byte at every place.
    fn cases(special: &[u8], plain: &[u8]) -> Vec<(Vec<u8>, usize)> {
        let mut cases = Vec::new();
        for len in 0..40 {
            for &filler in plain {
                let text = vec![filler; len];
                cases.push((text.clone(), 0));
                for at in 0..len {
                    for &s in special {
                        let mut t = text.clone();
                        t[at] = s;
                        cases.push((t, at.saturating_sub(3)));
                    }
                }
            }
        }
        cases
    }

    fn reference(b: &[u8], from: usize, class: fn(u8) -> bool) -> usize {
        (from..b.len()).find(|&i| class(b[i])).unwrap_or(b.len())
    }

    #[test]
    fn every_byte_is_classed_as_the_byte_tests_say() {
        for byte in 0..=u8::MAX {
            let expected = byte <= 0x20 || matches!(byte, 0xC2 | 0xE0..=0xE3);
            assert_eq!(may_start_whitespace(byte), expected, "{byte:#x}");
            let json = byte < 0x20 || matches!(byte, b'"' | b'\\' | b'<');
            assert_eq!(json_special(byte), json, "{byte:#x}");
        }
    }

    #[test]
    fn the_first_special_byte_is_found_wherever_it_is() {
        let all: Vec<u8> = (0..=u8::MAX).collect();
        let whitespace: Vec<u8> = all
            .iter()
            .copied()
            .filter(|&b| may_start_whitespace(b))
            .collect();
        let json: Vec<u8> = all.iter().copied().filter(|&b| json_special(b)).collect();
        // The fillers are the neighbours of the sought bytes.
        for (text, from) in cases(&whitespace, &[0x21, 0xC1, 0xC3, 0xE4, 0xFF, b'a']) {
            let expected = reference(&text, from, may_start_whitespace);
            assert_eq!(
                find_whitespace_start(&text, from),
                expected,
                "{text:x?} from {from}"
            );
        }
        for (text, from) in cases(&json, &[0x20, b'!', b'=', b']', b'a', 0xE4, 0xFF]) {
            let expected = reference(&text, from, json_special);
            assert_eq!(
                find_json_special(&text, from),
                expected,
                "{text:x?} from {from}"
            );
        }
    }

    #[test]
    fn a_start_past_the_end_finds_nothing() {
        assert_eq!(find_whitespace_start(b"abc", 3), 3);
        assert_eq!(find_json_special(b"abc", 7), 3);
        assert_eq!(find_json_special("学习\"".as_bytes(), 0), 6);
    }
}
