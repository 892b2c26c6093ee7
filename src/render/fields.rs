//! [`Fields`]: a template map filled key by key and made into a `tera::Value` in one
//! step.
//!
//! Upstream tera makes a map value only by copying another map into its own, hashing
//! every key again; our patched copy (vendor/tera) takes its own `Map` as it is. The
//! fields wait in a list until then, so that the map is made at its exact size (a
//! 10,000-record site's values hold a million fields; maps grown by doubling kept
//! 12 MB more).

use tera::{Map, Value};

/// The keys and values of a template map, in the order they were inserted (the map
/// keeps that order; a key inserted again keeps its place and takes the new value).
#[derive(Debug, Default)]
pub struct Fields(Vec<(&'static str, Value)>);

impl Fields {
    pub fn new() -> Self {
        Fields(Vec::with_capacity(8))
    }

    pub fn insert(&mut self, key: &'static str, value: Value) {
        self.0.push((key, value));
    }
}

impl From<Fields> for Value {
    fn from(fields: Fields) -> Value {
        let mut map = Map::with_capacity_and_hasher(fields.0.len(), Default::default());
        for (key, value) in fields.0 {
            map.insert(key.into(), value);
        }
        Value::from(map)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    }
}
