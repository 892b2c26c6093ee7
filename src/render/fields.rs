//! [`Fields`]: a template map filled key by key and made into a `tera::Value` in one
//! step.
//!
//! Upstream tera makes a map value only by copying another map into its own, hashing
//! every key again; our patched copy (vendor/tera) takes its own `Map` as it is. The
//! fields wait in a list until then, so that the map is made at its exact size (a
//! 10,000-record site's values hold a million fields; maps grown by doubling kept
//! 12 MB more).

use tera::{Key, Map, Value};

/// The keys and values of a template map, in the order they were inserted (the map
/// keeps that order; a key inserted again keeps its place and takes the new value).
#[derive(Debug, Default)]
pub struct Fields(Vec<(Key<'static>, Value)>);

impl Fields {
    pub fn new() -> Self {
        Fields(Vec::with_capacity(8))
    }

    pub fn insert(&mut self, key: &'static str, value: Value) {
        self.0.push((Key::Str(key), value));
    }
}

impl From<Fields> for Value {
    fn from(Fields(mut fields): Fields) -> Value {
        // Nearly always every key is new: then the fields are moved into a list of their
        // exact size that becomes the map as it is (one copy, not an insert per field; a
        // million fields at 10,000 records). Not `shrink_to_fit`: the allocator keeps a
        // block shrunk by less than half, and the maps would hold their spare room.
        if distinct(&fields) {
            if fields.capacity() != fields.len() {
                let mut exact = Vec::with_capacity(fields.len());
                exact.append(&mut fields);
                fields = exact;
            }
            return Value::from(Map::from_distinct(fields));
        }
        let mut map = Map::with_capacity_and_hasher(fields.len(), Default::default());
        for (key, value) in fields {
            map.insert(key, value);
        }
        Value::from(map)
    }
}

/// Whether no two of `fields` have the same name. Each name sets one of 256 bits, picked
/// by its length and last byte; only a name whose bit was set already is compared with
/// the names before it (comparing every pair was most of making a record's map).
fn distinct(fields: &[(Key, Value)]) -> bool {
    let mut seen = [0u64; 4];
    for (i, (key, _)) in fields.iter().enumerate() {
        let name = key.as_str().unwrap_or_default().as_bytes();
        let bit = (name.len() * 31 + usize::from(name.last().copied().unwrap_or(0))) & 255;
        let (word, mask) = (bit / 64, 1u64 << (bit % 64));
        if seen[word] & mask != 0 && fields[..i].iter().any(|(k, _)| same_name(k, key)) {
            return false;
        }
        seen[word] |= mask;
    }
    true
}

/// `a == b` for the names [`Fields`] holds, byte by byte: most pairs differ in length
/// or first byte, and `==` on strings calls `memcmp`.
fn same_name(a: &Key, b: &Key) -> bool {
    match (a.as_str(), b.as_str()) {
        (Some(a), Some(b)) => a.len() == b.len() && a.bytes().zip(b.bytes()).all(|(x, y)| x == y),
        _ => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(i: usize) -> Key<'static> {
        Key::String(format!("k{i}").into())
    }

    /// tera's map as patched (vendor/tera/src/value/map.rs): a list up to 32 entries, a
    /// hash index beyond; both must behave as the `IndexMap` it replaced.
    #[test]
    fn template_maps_keep_order_and_replace_in_place_small_or_big() {
        for n in [3, 32, 33, 100] {
            let mut map = Map::new();
            for i in 0..n {
                assert_eq!(map.insert(key(i), Value::from(i)), None);
            }
            let old = map.insert(key(1), Value::from("again"));
            assert_eq!(old, Some(Value::from(1)));
            let keys: Vec<String> = map.keys().map(|k| k.to_string()).collect();
            let expected: Vec<String> = (0..n).map(|i| format!("k{i}")).collect();
            assert_eq!(keys, expected, "{n} entries");
            assert_eq!(map.get(&key(1)), Some(&Value::from("again")));
            assert_eq!(map.get(&Key::Str("k0")), Some(&Value::from(0)));
            assert!(map.get(&key(n)).is_none());

            map.insert_if_absent(key(2), Value::from("not taken"));
            assert_eq!(map.get(&key(2)), Some(&Value::from(2)));
            map.insert_new(key(n), Value::from("last"));
            assert_eq!(map.keys().last(), Some(&key(n)));

            assert_eq!(map.shift_remove(&key(0)), Some(Value::from(0)));
            assert_eq!(map.len(), n);
            assert!(!map.contains_key(&key(0)));
            assert!(
                (1..=n).all(|i| map.contains_key(&key(i))),
                "{n} after a removal"
            );
        }
    }

    #[test]
    fn template_maps_are_equal_whatever_their_order_and_keep_numbers_apart() {
        let a: Map = (0..40).map(|i| (key(i), Value::from(i))).collect();
        let b: Map = (0..40).rev().map(|i| (key(i), Value::from(i))).collect();
        assert_eq!(a, b);
        let mut c = b.clone();
        c.insert(key(5), Value::from("other"));
        assert_ne!(a, c);
        let small: Map = (0..3).map(|i| (key(i), Value::from(i))).collect();
        assert_ne!(a, small);
        // Equal in order up to a point, then in another order; then a value differs there.
        let mut d: Map = (0..20).map(|i| (key(i), Value::from(i))).collect();
        d.extend((20..40).rev().map(|i| (key(i), Value::from(i))));
        assert_eq!(a, d);
        d.insert(key(30), Value::from("other"));
        assert_ne!(a, d);
        let shared = Value::from(a.clone());
        assert_eq!(shared, shared.clone());

        let mut numbers = Map::new();
        numbers.insert(Key::U64(1), Value::from("one"));
        numbers.insert(Key::Str("1"), Value::from("text"));
        numbers.insert(Key::I64(1), Value::from("same number"));
        assert_eq!(numbers.len(), 2);
        assert_eq!(numbers.get(&Key::U64(1)), Some(&Value::from("same number")));
    }

    /// A template's path keeps a hint of where the name was in the last map (patched
    /// tera): maps with the name elsewhere, or without it, must still answer rightly.
    #[test]
    fn a_name_looked_up_with_a_hint_is_found_wherever_it_is() {
        use std::sync::atomic::{AtomicU8, Ordering::Relaxed};
        let hint = AtomicU8::new(0);
        for n in [3, 40] {
            let forward: Map = (0..n).map(|i| (key(i), Value::from(i))).collect();
            let backward: Map = (0..n).rev().map(|i| (key(i), Value::from(i))).collect();
            for map in [&forward, &backward, &forward] {
                assert_eq!(map.get_str_hinted("k2", &hint), Some(&Value::from(2)));
                let at = usize::from(hint.load(Relaxed));
                assert_eq!(map.iter().nth(at).map(|(k, _)| k), Some(&key(2)));
            }
            assert_eq!(forward.get_str_hinted("absent", &hint), None);
        }

        // Through a template: one path, rows whose fields come in different orders.
        let mut tera = tera::Tera::default();
        tera.add_raw_template("rows", "{% for r in rows %}{{ r.b }}{{ r.a }};{% endfor %}")
            .expect("template");
        let row = |pairs: &[(&'static str, i64)]| -> Value {
            let map: Map = pairs
                .iter()
                .map(|&(k, v)| (Key::Str(k), Value::from(v)))
                .collect();
            Value::from(map)
        };
        let rows = vec![
            row(&[("a", 1), ("b", 2)]),
            row(&[("b", 4), ("a", 3)]),
            row(&[("c", 0), ("a", 5), ("b", 6)]),
        ];
        let mut context = tera::Context::new();
        context.insert_value("rows", Value::from(rows));
        let html = tera.render("rows", &context).expect("render");
        assert_eq!(html, "21;43;65;");
    }

    #[test]
    fn names_are_found_distinct_exactly_when_no_two_are_equal() {
        // Names that share a length and a last byte (the same bit), names that do not,
        // and the same name twice at every distance.
        let names = [
            "url", "uri", "arl", "date", "name", "kind", "item", "title", "a", "b",
        ];
        let fields = |picked: &[&'static str]| -> Vec<(Key<'static>, Value)> {
            picked
                .iter()
                .map(|n| (Key::Str(n), Value::none()))
                .collect()
        };
        for len in 0..=names.len() {
            let picked = &names[..len];
            assert!(distinct(&fields(picked)), "{picked:?}");
            for i in 0..len {
                for j in 0..=len {
                    let mut twice = picked.to_vec();
                    twice.insert(j, picked[i]);
                    assert!(!distinct(&fields(&twice)), "{twice:?}");
                }
            }
        }
    }

    #[test]
    fn makes_the_map_a_btree_map_makes_in_insertion_order() {
        let nested = Value::from(vec![Value::from("甲"), Value::safe_string("<b>乙</b>")]);
        let mut fields = Fields::new();
        fields.insert("title", Value::from("学习体会"));
        fields.insert("count", Value::from(3));
        fields.insert("none", Value::none());
        fields.insert("list", nested.clone());
        fields.insert("count", Value::from(4));
        let value = Value::from(fields);

        let mut btree = std::collections::BTreeMap::new();
        btree.insert("title", Value::from("学习体会"));
        btree.insert("count", Value::from(4));
        btree.insert("none", Value::none());
        btree.insert("list", nested);
        assert_eq!(value, Value::from(btree));

        let keys: Vec<String> = (value.as_map().expect("a map").keys())
            .map(|k| k.to_string())
            .collect();
        assert_eq!(keys, ["title", "count", "none", "list"]);
        // A safe string stays safe: it is passed through, not serialized again.
        let html = value.get_from_path("list.1").expect("second item");
        assert!(html.is_safe());

        // Past 32 fields the map made from the list indexes them.
        let mut many = Fields::new();
        for i in 0..40 {
            many.insert(Box::leak(format!("k{i}").into_boxed_str()), Value::from(i));
        }
        let many = Value::from(many);
        let map = many.as_map().expect("a map");
        assert_eq!(map.len(), 40);
        assert_eq!(map.get(&key(39)), Some(&Value::from(39)));
        assert_eq!(map.keys().next(), Some(&key(0)));
    }
}
