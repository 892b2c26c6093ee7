use std::borrow::Cow;

use serde::Serialize;

use crate::value::{Key, Value};

/// The struct that holds the context of a template rendering.
///
/// Light wrapper around a map for easier insertions of Serializable
/// values
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Context {
    pub(crate) data: ContextMap,
}

/// jianbao's patch: the entries of a [`Context`], in the order of their keys (as the
/// `BTreeMap` it replaces kept them). A context has a few dozen entries at most, and
/// every variable a template names is looked up in it: a scan that compares lengths
/// first finds it without the `memcmp` call the tree made for every key it passed (a
/// twentieth of a site's rendering). Cloning it, once per page, is one allocation.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct ContextMap(Vec<(Cow<'static, str>, Value)>);

/// Up to this many entries a lookup scans; beyond, it searches by halves.
const CONTEXT_SCAN_MAX: usize = 24;

type ContextEntry = (Cow<'static, str>, Value);

impl ContextMap {
    /// Where `key` is, or where it would go to keep the keys in order.
    fn position(&self, key: &str) -> Result<usize, usize> {
        self.0.binary_search_by(|(k, _)| k.as_ref().cmp(key))
    }

    #[inline]
    pub(crate) fn get(&self, key: &str) -> Option<&Value> {
        if self.0.len() <= CONTEXT_SCAN_MAX {
            let bytes = key.as_bytes();
            self.0
                .iter()
                .find(|(k, _)| crate::utils::same_bytes(k.as_bytes(), bytes))
                .map(|(_, v)| v)
        } else {
            self.position(key).ok().map(|i| &self.0[i].1)
        }
    }

    pub(crate) fn insert(&mut self, key: Cow<'static, str>, value: Value) -> Option<Value> {
        match self.position(&key) {
            Ok(i) => Some(std::mem::replace(&mut self.0[i].1, value)),
            Err(i) => {
                self.0.insert(i, (key, value));
                None
            }
        }
    }

    pub(crate) fn remove(&mut self, key: &str) -> Option<Value> {
        self.position(key).ok().map(|i| self.0.remove(i).1)
    }

    pub(crate) fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    pub(crate) fn keys(&self) -> impl Iterator<Item = &Cow<'static, str>> {
        self.0.iter().map(|(k, _)| k)
    }

    /// Moves every entry of `other` in, replacing the values of keys already here.
    pub(crate) fn append(&mut self, other: &mut ContextMap) {
        for (k, v) in other.0.drain(..) {
            self.insert(k, v);
        }
    }
}

impl<'a> IntoIterator for &'a ContextMap {
    type Item = (&'a Cow<'static, str>, &'a Value);
    type IntoIter = std::iter::Map<
        std::slice::Iter<'a, ContextEntry>,
        fn(&'a ContextEntry) -> (&'a Cow<'static, str>, &'a Value),
    >;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter().map(|(k, v)| (k, v))
    }
}

impl Context {
    /// Initializes an empty context
    pub fn new() -> Self {
        Self::default()
    }

    /// Takes something that implements Serialize and creates a context with it.
    /// Meant to be used if you have a hashmap or a struct and don't want to insert values
    /// one by one in the context.
    pub fn from_serialize<T: Serialize + ?Sized>(value: &T) -> crate::TeraResult<Self> {
        let val = Value::try_from_serializable(value)?;
        let type_name = val.name();

        match val.into_map() {
            Some(map) => {
                let mut data = ContextMap::default();
                for (key, value) in map {
                    let key_str: Cow<'static, str> = match key {
                        Key::String(s) => Cow::Owned((*s).to_string()),
                        Key::Str(s) => Cow::Owned(s.to_string()),
                        Key::Bool(b) => Cow::Owned(b.to_string()),
                        Key::U64(u) => Cow::Owned(u.to_string()),
                        Key::I64(i) => Cow::Owned(i.to_string()),
                        Key::U128(u) => Cow::Owned(u.to_string()),
                        Key::I128(i) => Cow::Owned(i.to_string()),
                    };
                    data.insert(key_str, value);
                }
                Ok(Context { data })
            }
            None => Err(crate::Error::message(format!(
                "from_serialize requires a struct or map, got {type_name}"
            ))),
        }
    }

    /// Converts the `val` parameter to `Value` and insert it into the context.
    /// This can panic if the value cannot be serialised.
    ///
    /// ```rust
    /// # use tera::Context;
    /// let mut context = tera::Context::new();
    /// context.insert("number_users", &42);
    /// ```
    pub fn insert<S: Into<Cow<'static, str>>, T: Serialize + ?Sized>(&mut self, key: S, val: &T) {
        self.data.insert(key.into(), Value::from_serializable(val));
    }

    /// In case you already have a `Value` you want to insert
    pub fn insert_value<S: Into<Cow<'static, str>>>(&mut self, key: S, val: Value) {
        self.data.insert(key.into(), val);
    }

    /// Remove a key from the context, returning the value at the key if the key was previously inserted into the context.
    pub fn remove(&mut self, key: &str) -> Option<Value> {
        self.data.remove(key)
    }

    /// Appends the data of the `source` parameter to `self`, overwriting existing keys.
    /// The source context will be dropped.
    ///
    /// ```rust
    /// # use tera::Context;
    /// let mut target = Context::new();
    /// target.insert("a", &1);
    /// target.insert("b", &2);
    /// let mut source = Context::new();
    /// source.insert("b", &3);
    /// source.insert("d", &4);
    /// target.extend(source);
    /// ```
    pub fn extend(&mut self, mut source: Context) {
        self.data.append(&mut source.data);
    }

    /// Checks if a value exists for given key.
    pub fn contains_key(&self, key: &str) -> bool {
        self.data.contains_key(key)
    }

    /// Returns the value at the given key
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.data.get(key)
    }
}

/// Creates a context from key value pairs
///
/// A bare key captures the local variable of the same name, like in struct initializers.
///
/// Example:
/// ```rust
/// use tera::context;
///
/// let age = 24;
/// let ctx = context! {
///     name => "Brian",
///     age,
/// };
/// ```
/// Expands to:
/// ```
/// use tera::Context;
///
/// let age = 24;
/// let ctx = {
///     let mut context = Context::new();
///     context.insert("name", "Brian");
///     context.insert("age", &age);
///     context
/// };
/// ```
#[macro_export]
macro_rules! context {
    (
        $(
            $key:ident $(=> $value:expr)? $(,)*
        )*
    ) => {
        {
            let mut context = $crate::Context::new();
            $(
                $crate::__context_insert!(context, $key $(=> $value)?);
            )*
            context
        }
    };
}

/// Implementation detail of [`context!`]: inserts one entry, capturing the local
/// variable when no value is given.
#[doc(hidden)]
#[macro_export]
macro_rules! __context_insert {
    ($context:ident, $key:ident) => {
        $context.insert(stringify!($key), &$key)
    };
    ($context:ident, $key:ident => $value:expr) => {
        $context.insert(stringify!($key), $value)
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn context_macro_builder() {
        let left = context! {
            foo => "Bar",
            con => &69
        };

        let mut right = Context::new();
        right.insert("foo", "Bar");
        right.insert("con", &69);

        assert_eq!(left, right);
    }

    #[test]
    fn context_macro_can_capture_local_name() {
        let foo = "Bar";
        let con = 69;
        let left = context! {
            foo,
            con => &con,
        };

        let mut right = Context::new();
        right.insert("foo", "Bar");
        right.insert("con", &69);

        assert_eq!(left, right);
    }

    #[test]
    fn context_tests() {
        let ctx = context! {
            name => "John Doe",
            age => &42,
        };

        assert!(ctx.contains_key("age"));
        assert_eq!(ctx.get("age"), Some(&Value::from(42)));
    }

    #[test]
    fn context_from_serialize() {
        use serde::Serialize;

        #[derive(Serialize)]
        struct Person {
            name: String,
            age: i32,
        }

        let person = Person {
            name: "Alice".to_string(),
            age: 30,
        };
        let ctx = Context::from_serialize(&person).unwrap();

        assert!(ctx.contains_key("name"));
        assert!(ctx.contains_key("age"));
        assert_eq!(ctx.get("name").unwrap().as_str(), Some("Alice"));
        assert_eq!(ctx.get("age").unwrap().as_i128(), Some(30));
    }

    #[test]
    fn context_from_serialize_non_map_fails() {
        let result = Context::from_serialize(&42);
        assert!(result.is_err());
    }
}
