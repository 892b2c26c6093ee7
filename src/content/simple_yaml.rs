//! Front matter in the plain shape most records have, read without the YAML parser.
//!
//! yaml_serde (a port of libyaml) spends tens of microseconds on a ten-line front
//! matter: a big site's records spent more time there than in their Markdown. Nearly
//! every record is written like this:
//!
//! ```yaml
//! title: 学习《条例》的体会
//! date: 2026-03-06
//! attendees: [zhang-wei, li-na]
//! absent:
//!   - {person: wang-fang, reason: 病假}
//! summary: '会议要求：对照检查'
//! ```
//!
//! [`from_str`] reads that: `key: value` lines whose value is a plain scalar, a quoted
//! one without escapes, a flow sequence of plain scalars, or nothing and then a block
//! sequence of plain scalars or one-line flow mappings; blank and comment lines. It
//! gives up on anything else (multi-line values, block scalars, nested mappings,
//! anchors, tags, a `#` anywhere in a value, a repeated key), and on any value it cannot
//! give exactly as yaml_serde would (a number or word YAML might read another way): the
//! caller then parses with yaml_serde, which also words every error. Where both succeed
//! they give the same value (tests compare them on every record we have).

use serde::de::{self, DeserializeOwned, DeserializeSeed, IntoDeserializer, Visitor};

use super::scan;

/// `T` from `yaml`, or `None` when the text is not in the plain shape or its values are
/// not what `T` wants (the YAML parser then reads it and reports why).
pub fn from_str<T: DeserializeOwned>(yaml: &str) -> Option<T> {
    let node = parse(yaml)?;
    T::deserialize(&node).ok()
}

#[derive(Debug, PartialEq)]
enum Node<'a> {
    /// A plain scalar: its meaning depends on what is asked of it, as in YAML.
    Plain(&'a str),
    /// A quoted scalar: always a string.
    Quoted(&'a str),
    Seq(Vec<Node<'a>>),
    Map(Vec<(&'a str, Node<'a>)>),
}

/// The lines of `yaml` that hold something, as (file line from 1, indentation, text
/// after it), without trailing spaces; `None` when a line has a tab or a carriage
/// return (left to the YAML parser). Blank and comment lines are skipped.
pub(super) fn content_lines(yaml: &str) -> Option<Vec<(usize, usize, &str)>> {
    // Bytes, not chars: the structure is ASCII, and most text is Chinese.
    if memchr::memchr2(b'\t', b'\r', yaml.as_bytes()).is_some() {
        return None;
    }
    // Sized once: a log has a thousand lines.
    let mut lines = Vec::with_capacity(memchr::memchr_iter(b'\n', yaml.as_bytes()).count() + 1);
    for (n, line) in scan::split_lines(yaml).enumerate() {
        let line = line.trim_end_matches(' ');
        let rest = line.trim_start_matches(' ');
        if !(rest.is_empty() || rest.starts_with('#')) {
            lines.push((n + 1, line.len() - rest.len(), rest));
        }
    }
    Some(lines)
}

fn parse(yaml: &str) -> Option<Node<'_>> {
    let mut fields: Vec<(&str, Node)> = Vec::new();
    // The block sequence being filled (the last field's), and its items' indentation.
    let mut items: Option<(Vec<Node>, Option<usize>)> = None;
    for (_, indent, rest) in content_lines(yaml)? {
        if let Some((list, item_indent)) = items.as_mut()
            && (rest == "-" || rest.starts_with("- "))
        {
            if *item_indent.get_or_insert(indent) != indent {
                return None;
            }
            list.push(item(rest[1..].trim_start_matches(' '))?);
            continue;
        }
        if indent > 0 {
            return None;
        }
        close(&mut fields, &mut items);
        let (key, value) = split_at_colon(rest)?;
        let value = value.trim_start_matches(' ');
        if !is_key(key) || fields.iter().any(|(k, _)| *k == key) {
            return None;
        }
        if value.is_empty() {
            items = Some((Vec::new(), None));
            fields.push((key, Node::Plain("")));
        } else {
            fields.push((key, block_value(value)?));
        }
    }
    close(&mut fields, &mut items);
    Some(Node::Map(fields))
}

/// Puts the block sequence being filled, if it has items, as the last field's value
/// (a key with neither a value nor items is null, as in YAML).
fn close<'a>(
    fields: &mut [(&'a str, Node<'a>)],
    items: &mut Option<(Vec<Node<'a>>, Option<usize>)>,
) {
    if let Some((list, _)) = items.take()
        && !list.is_empty()
        && let Some((_, value)) = fields.last_mut()
    {
        *value = Node::Seq(list);
    }
}

/// A key YAML reads as this very string (not null or a boolean).
fn is_key(key: &str) -> bool {
    key.bytes()
        .next()
        .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        && !is_null(key)
        && boolean(key).is_none()
}

/// The value after `key: `.
fn block_value(value: &str) -> Option<Node<'_>> {
    if let Some(inner) = value.strip_prefix('[') {
        return flow_seq(inner.strip_suffix(']')?);
    }
    quoted(value).or_else(|| plain(value, false).map(Node::Plain))
}

/// A block sequence item: a plain scalar or a one-line flow mapping.
fn item(text: &str) -> Option<Node<'_>> {
    match text.strip_prefix('{') {
        Some(inner) => flow_map(inner.strip_suffix('}')?),
        None => plain(text, true).map(Node::Plain),
    }
}

fn flow_seq(inner: &str) -> Option<Node<'_>> {
    if inner.trim_matches(' ').is_empty() {
        return Some(Node::Seq(Vec::new()));
    }
    let items = scan::split_byte(inner, b',')
        .map(|part| plain(part.trim_matches(' '), true).map(Node::Plain));
    Some(Node::Seq(items.collect::<Option<_>>()?))
}

fn flow_map(inner: &str) -> Option<Node<'_>> {
    let mut fields: Vec<(&str, Node)> = Vec::new();
    for part in scan::split_byte(inner, b',') {
        let (key, value) = split_at_colon(part.trim_matches(' '))?;
        let value = plain(value.trim_start_matches(' '), true)?;
        if !is_key(key) || fields.iter().any(|(k, _)| *k == key) {
            return None;
        }
        fields.push((key, Node::Plain(value)));
    }
    Some(Node::Map(fields))
}

/// `"text"` or `'text'` without escapes or a quote inside.
fn quoted(value: &str) -> Option<Node<'_>> {
    let quote = value.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let inner = value[1..].strip_suffix(quote)?;
    let simple = classes(inner) & QUOTE == 0;
    simple.then_some(Node::Quoted(inner))
}

/// A plain scalar that means the same text wherever it stands: nothing YAML reads as
/// structure (`: `, ` #`, a leading indicator) and, inside a flow collection, none of
/// `,[]{}`. Empty is not one (a flow item must have a value).
fn plain(text: &str, in_flow: bool) -> Option<&str> {
    let first = *text.as_bytes().first()?;
    // `-` starts a plain scalar when a digit follows it (a negative number).
    let negative = first == b'-' && text.as_bytes().get(1).is_some_and(u8::is_ascii_digit);
    let indicator = b"-?:,[]{}#&*!|>'\"%@`".contains(&first) && !negative;
    let found = classes(text);
    let flow_breaking = in_flow && found & FLOW != 0;
    // A colon first: most values hold none (a substring search for ": " is set up anew
    // for every value).
    let comment_or_key = found & HASH != 0 || (found & COLON != 0 && text.contains(": "));
    let ok = !indicator && !flow_breaking && !comment_or_key && !text.ends_with(':');
    ok.then_some(text)
}

/// `key: value`, or `key:` with nothing after it, split at the first colon, which must
/// end the text or be followed by a space (`None` otherwise). A key holds no colon (both
/// readers refuse any other key), and looking for one byte is quicker than for ": ",
/// a substring search set up again for every line.
pub(super) fn split_at_colon(text: &str) -> Option<(&str, &str)> {
    let (key, rest) = scan::split_once_byte(text, b':')?;
    if rest.is_empty() {
        return Some((key, ""));
    }
    Some((key, rest.strip_prefix(' ')?))
}

/// The groups of ASCII bytes that decide how a value reads ([`classes`]), a bit each.
const FLOW: u8 = 1; // , [ ] { }: end a flow item
const HASH: u8 = 2; // #: may start a comment
const COLON: u8 = 4; // :  may end a key
const QUOTE: u8 = 8; // " ' \: end or escape a quoted value

/// The group of every byte (0 for most).
const CLASS: [u8; 256] = {
    let mut class = [0; 256];
    let mut i = 0;
    let groups: [(&[u8], u8); 4] = [
        (b",[]{}", FLOW),
        (b"#", HASH),
        (b":", COLON),
        (b"\"'\\", QUOTE),
    ];
    while i < groups.len() {
        let (bytes, group) = groups[i];
        let mut j = 0;
        while j < bytes.len() {
            class[bytes[j] as usize] = group;
            j += 1;
        }
        i += 1;
    }
    class
};

/// The groups of bytes `text` holds, in one pass for every question a value asks (a
/// scan per question was most of the front matter's cost). Eight bytes at a time are
/// passed over where none is ASCII: a Chinese title or summary is mostly such words.
fn classes(text: &str) -> u8 {
    const HIGH_BITS: u64 = 0x8080_8080_8080_8080;
    let mut words = text.as_bytes().chunks_exact(8);
    let mut found = 0;
    for word in &mut words {
        let bits = u64::from_le_bytes(word.try_into().unwrap_or([0; 8]));
        if bits & HIGH_BITS != HIGH_BITS {
            found |= (word.iter()).fold(0, |f, &b| f | CLASS[usize::from(b)]);
        }
    }
    found | (words.remainder().iter()).fold(0, |f, &b| f | CLASS[usize::from(b)])
}

/// Any reason to let the YAML parser decide; never shown.
#[derive(Debug)]
struct GiveUp;

impl std::fmt::Display for GiveUp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("not in the plain shape")
    }
}

impl std::error::Error for GiveUp {}

impl de::Error for GiveUp {
    fn custom<T: std::fmt::Display>(_: T) -> Self {
        GiveUp
    }
}

/// YAML's null, as yaml_serde reads a plain scalar.
fn is_null(s: &str) -> bool {
    matches!(s, "" | "~" | "null" | "Null" | "NULL")
}

fn boolean(s: &str) -> Option<bool> {
    match s {
        "true" | "True" | "TRUE" => Some(true),
        "false" | "False" | "FALSE" => Some(false),
        _ => None,
    }
}

/// A decimal number in the one spelling all readers agree on: `-?(0|[1-9][0-9]*)`,
/// then an optional `.digits`. Returns whether it has a fraction.
fn decimal(s: &str) -> Option<bool> {
    let unsigned = s.strip_prefix('-').unwrap_or(s);
    let (whole, fraction) = match scan::split_once_byte(unsigned, b'.') {
        Some((w, f)) => (w, Some(f)),
        None => (unsigned, None),
    };
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    let whole_ok = digits(whole) && (whole == "0" || !whole.starts_with('0'));
    let fraction_ok = fraction.is_none_or(digits);
    (whole_ok && fraction_ok).then_some(fraction.is_some())
}

/// Whether YAML might read `s` as a number although it is not [`decimal`]: anything
/// Rust's float parser takes, `0x`/`0o`/`0b` integers, `.inf` and `.nan`.
fn maybe_number(s: &str) -> bool {
    let unsigned = s.trim_start_matches(['+', '-']);
    unsigned.parse::<f64>().is_ok()
        || ["0x", "0o", "0b"].iter().any(|p| unsigned.starts_with(p))
        || unsigned.starts_with('.')
}

/// Deserializer methods that read their value as another method does (`i8` as `i64`).
macro_rules! forward {
    ($($($from:ident)+ => $to:ident,)+) => {
        $($(
            fn $from<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, GiveUp> {
                self.$to(visitor)
            }
        )+)+
    };
}

impl<'de> de::Deserializer<'de> for &Node<'de> {
    type Error = GiveUp;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, GiveUp> {
        match self {
            Node::Plain(s) if is_null(s) => visitor.visit_unit(),
            Node::Plain(s) => match (boolean(s), decimal(s)) {
                (Some(b), _) => visitor.visit_bool(b),
                (None, Some(false)) if s.starts_with('-') => {
                    visitor.visit_i64(s.parse().map_err(|_| GiveUp)?)
                }
                (None, Some(false)) => visitor.visit_u64(s.parse().map_err(|_| GiveUp)?),
                (None, Some(true)) => visitor.visit_f64(s.parse().map_err(|_| GiveUp)?),
                (None, None) if maybe_number(s) => Err(GiveUp),
                (None, None) => visitor.visit_borrowed_str(s),
            },
            Node::Quoted(s) => visitor.visit_borrowed_str(s),
            Node::Seq(items) => visitor.visit_seq(Items(items.iter())),
            Node::Map(fields) => visitor.visit_map(Fields(fields.iter(), None)),
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, GiveUp> {
        match self {
            Node::Plain(s) => visitor.visit_bool(boolean(s).ok_or(GiveUp)?),
            _ => Err(GiveUp),
        }
    }

    fn deserialize_i64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, GiveUp> {
        match self {
            Node::Plain(s) if decimal(s) == Some(false) => {
                visitor.visit_i64(s.parse().map_err(|_| GiveUp)?)
            }
            _ => Err(GiveUp),
        }
    }

    fn deserialize_u64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, GiveUp> {
        match self {
            Node::Plain(s) if decimal(s) == Some(false) && !s.starts_with('-') => {
                visitor.visit_u64(s.parse().map_err(|_| GiveUp)?)
            }
            _ => Err(GiveUp),
        }
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, GiveUp> {
        match self {
            Node::Plain(s) if decimal(s).is_some() => {
                visitor.visit_f64(s.parse().map_err(|_| GiveUp)?)
            }
            _ => Err(GiveUp),
        }
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, GiveUp> {
        match self {
            Node::Plain(s) | Node::Quoted(s) => visitor.visit_borrowed_str(s),
            _ => Err(GiveUp),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, GiveUp> {
        match self {
            Node::Plain(s) if is_null(s) => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, GiveUp> {
        match self {
            Node::Plain(s) if is_null(s) => visitor.visit_unit(),
            _ => Err(GiveUp),
        }
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, GiveUp> {
        match self {
            Node::Seq(items) => visitor.visit_seq(Items(items.iter())),
            _ => Err(GiveUp),
        }
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, GiveUp> {
        match self {
            Node::Map(fields) => visitor.visit_map(Fields(fields.iter(), None)),
            _ => Err(GiveUp),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, GiveUp> {
        self.deserialize_map(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, GiveUp> {
        match self {
            // A unit variant named by a plain word.
            Node::Plain(s) if !is_null(s) => visitor.visit_enum(s.into_deserializer()),
            _ => Err(GiveUp),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, GiveUp> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, GiveUp> {
        visitor.visit_unit()
    }

    forward! {
        deserialize_i8 deserialize_i16 deserialize_i32 => deserialize_i64,
        deserialize_u8 deserialize_u16 deserialize_u32 => deserialize_u64,
        deserialize_f32 => deserialize_f64,
        deserialize_char deserialize_string deserialize_identifier => deserialize_str,
    }
    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, GiveUp> {
        self.deserialize_unit(visitor)
    }
    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, GiveUp> {
        self.deserialize_seq(visitor)
    }
    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, GiveUp> {
        self.deserialize_seq(visitor)
    }

    // Whatever else a type asks for (bytes, 128-bit numbers) is the parser's to read.
    fn deserialize_bytes<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, GiveUp> {
        Err(GiveUp)
    }
    fn deserialize_byte_buf<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, GiveUp> {
        Err(GiveUp)
    }
}

struct Items<'a, 'de>(std::slice::Iter<'a, Node<'de>>);

impl<'de> de::SeqAccess<'de> for Items<'_, 'de> {
    type Error = GiveUp;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, GiveUp> {
        self.0.next().map(|node| seed.deserialize(node)).transpose()
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.0.len())
    }
}

struct Fields<'a, 'de>(
    std::slice::Iter<'a, (&'de str, Node<'de>)>,
    Option<&'a Node<'de>>,
);

impl<'de> de::MapAccess<'de> for Fields<'_, 'de> {
    type Error = GiveUp;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, GiveUp> {
        match self.0.next() {
            Some((key, value)) => {
                self.1 = Some(value);
                seed.deserialize(key.into_deserializer()).map(Some)
            }
            None => Ok(None),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, GiveUp> {
        seed.deserialize(self.1.take().ok_or(GiveUp)?)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.0.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::Kind;
    use crate::content::frontmatter::{split, with_yaml_parser_only};
    use crate::content::record::parse_record;

    fn both(yaml: &str) -> (Option<serde_yaml::Value>, serde_yaml::Value) {
        let parser = serde_yaml::from_str(yaml).unwrap_or_else(|e| panic!("{e}:\n{yaml}"));
        (from_str(yaml), parser)
    }

    #[test]
    fn reads_the_plain_shape_as_the_yaml_parser_does() {
        for yaml in [
            "title: 学习《条例》的体会\ndate: 2026-03-06\ndraft: false\nhours: 2.5\n",
            "title: '会议要求：对照检查'\nsummary: \"引号里的 # 不是注释\"\n",
            "attendees: [zhang-wei, li-na]\ntags: []\nmaterials: [学习笔记模板,  知识测试题 ]\n",
            "absent:\n  - {person: wang-fang, reason: 病假}\n  - {person: li-na, reason: 出差}\nnext: 1\n",
            "schedule:\n- {date: 2026-07-27, topic: 条例, kind: 读书活动}\n\n# 说明\nperiod: 2026-Q3\n",
            "empty:\nlist:\n  - 甲\n  - 乙\nnumbers: [0, -3, 12, 0.25, -0.5, 2026]\n",
            "words: [true, False, null, Null, ~, yes, no, on, 2026-03, 1_000, http://a.b/c]\n",
            "speaker: 市委党校教授\nhost: it's\nlevel: county\ncount: 007\n",
        ] {
            let (fast, parser) = both(yaml);
            match fast {
                Some(fast) => assert_eq!(fast, parser, "{yaml}"),
                None if yaml.contains("007") => {} // leading zeros: the parser decides
                None => panic!("not read:\n{yaml}"),
            }
        }
    }

    #[test]
    fn splits_at_the_colon_where_a_key_can_end() {
        // What `split_once(": ")`, or a colon at the end, gave, for every key without a
        // colon (both readers refuse the others).
        let before = |text: &'static str| match text.split_once(": ") {
            Some(split) => Some(split),
            None => text.strip_suffix(':').map(|key| (key, "")),
        };
        for text in [
            "title: 学习记录",
            "title:  two spaces",
            "title:",
            "title: ",
            "tags:",
            "summary: 时间: 下午",
            "a: b: c",
            "a:b: c",
            "a:b",
            "a:b:",
            ":",
            ": x",
            "no colon",
            "url: http://example.org/a",
        ] {
            let expected = before(text).filter(|(key, _)| !key.contains(':'));
            assert_eq!(split_at_colon(text), expected, "{text}");
        }
    }

    #[test]
    fn finds_each_group_wherever_its_byte_is() {
        // Words of 8 bytes and a tail: every place, the edges of a word among them.
        let base = "title 学习记录 abc ".repeat(4);
        assert_eq!(classes(&base), 0);
        assert_eq!(classes(""), 0);
        for (byte, group) in [
            (',', FLOW),
            ('[', FLOW),
            (']', FLOW),
            ('{', FLOW),
            ('}', FLOW),
            ('#', HASH),
            (':', COLON),
            ('"', QUOTE),
            ('\'', QUOTE),
            ('\\', QUOTE),
        ] {
            for at in (0..=base.len()).filter(|&i| base.is_char_boundary(i)) {
                let mut text = base.clone();
                text.insert(at, byte);
                assert_eq!(classes(&text), group, "{byte:?} at {at}");
            }
        }
        assert_eq!(classes("a: #x, 'y'"), FLOW | HASH | COLON | QUOTE);
    }

    #[test]
    fn gives_up_on_anything_else() {
        for yaml in [
            "title: a: b\n",
            "title: 学习 # 注释\n",
            "title: |\n  多行\n",
            "title: >\n  折叠\n",
            "title: 第一行\n  第二行\n",
            "title: \"转义\\n\"\n",
            "title: &a 锚点\n",
            "title: !tag 标签\n",
            "title: a\ntitle: b\n",
            "meta:\n  key: value\n",
            "absent:\n  - person: li-na\n    reason: 病假\n",
            "absent:\n  - {person: li-na, reason: }\n",
            "tags: [a, [b]]\n",
            "tags: [a, b,]\n",
            "list:\n  - a\n   - b\n",
            "hours: 1e3\n",
            "hours: .5\n",
            "hours: 0x1F\n",
            "hours: +2\n",
            "hours: inf\n",
            "true: 1\n",
            "\ttitle: a\n",
            "title: a\r\n",
            "---\ntitle: a\n",
        ] {
            assert!(
                parse(yaml).is_none() || from_str::<serde_yaml::Value>(yaml).is_none(),
                "read:\n{yaml}"
            );
        }
    }

    #[test]
    fn typed_fields_take_only_what_the_parser_takes() {
        #[derive(Debug, serde::Deserialize, PartialEq)]
        #[serde(deny_unknown_fields)]
        struct Front {
            title: String,
            #[serde(default)]
            hours: Option<f64>,
            #[serde(default)]
            draft: bool,
            #[serde(default)]
            tags: Vec<String>,
        }
        // Read here and by the parser alike.
        for yaml in [
            "title: 2026\nhours: 2\n",
            "title: null\ndraft: true\ntags: [1, a]\n",
            "title: ''\nhours:\n",
        ] {
            let parser: Front = serde_yaml::from_str(yaml).expect(yaml);
            assert_eq!(from_str::<Front>(yaml), Some(parser), "{yaml}");
        }
        // Wrong for the type: left to the parser, which words the error.
        for yaml in [
            "title: a\nhours: 两小时\n",
            "title: a\ndraft: yes\n",
            "title: a\ntags: a\n",
            "title: a\ntitel: b\n",
            "hours: 2\n",
            "title: [a]\n",
        ] {
            assert!(from_str::<Front>(yaml).is_none(), "{yaml}");
        }
    }

    /// Every record in `dir` (a content directory) parses to the same record with and
    /// without this reader; returns how many this reader read.
    fn same_records(dir: &std::path::Path) -> usize {
        let mut read_here = 0;
        for kind in Kind::ALL {
            for entry in walkdir::WalkDir::new(dir.join(kind.folder())) {
                let entry = entry.expect("entry");
                if !entry.file_type().is_file() {
                    continue;
                }
                let rel = entry
                    .path()
                    .strip_prefix(dir)
                    .expect("inside")
                    .to_string_lossy()
                    .to_string();
                let text = std::fs::read_to_string(entry.path()).expect("record");
                let fast = format!("{:?}", parse_record(kind, &rel, &text));
                let parser =
                    with_yaml_parser_only(|| format!("{:?}", parse_record(kind, &rel, &text)));
                assert_eq!(fast, parser, "{rel}");
                if let Ok(s) = split(&text) {
                    read_here += usize::from(parse(s.yaml).is_some());
                }
            }
        }
        read_here
    }

    #[test]
    fn every_example_and_generated_record_reads_the_same() {
        let example = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
        assert!(same_records(&example) > 40);
        let dir = std::env::temp_dir().join(format!("jianbao-simple-yaml-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        crate::synth::generate(&dir, 300, 11).expect("generate");
        assert!(same_records(&dir) > 250);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
