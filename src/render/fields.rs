//! [`Fields`]: a template map filled key by key and made into a `tera::Value` in one
//! step.
//!
//! tera makes a map value only by copying another map into its own, hashing every key
//! again; building the site's values as `BTreeMap`s first and converting them was a
//! twentieth of a big site's build. Its serializer, though, builds a struct's map
//! directly, and passes a `Value` field through as it is (a reference count, not a
//! copy): `Fields` serializes as such a struct.

use serde::ser::{Serialize, SerializeStruct, Serializer};
use tera::Value;

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

impl Serialize for Fields {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_struct("Fields", self.0.len())?;
        for (key, value) in &self.0 {
            map.serialize_field(key, value)?;
        }
        map.end()
    }
}

impl From<Fields> for Value {
    fn from(fields: Fields) -> Value {
        // Keys are strings and values are Values: tera's serializer cannot fail on them.
        Value::try_from_serializable(&fields).unwrap_or_else(|_| Value::none())
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
