//! jianbao's patch: the map of `Value::Map`, its entries in insertion order in one list,
//! with a hash index only once it is big.
//!
//! tera's map (with `preserve_order`) is an `IndexMap`: every map, however small, keeps a
//! hash table beside its entries and a hash in each entry. A site's template values are
//! mostly small maps (a record's fields, a link, a row of a table), a million of them at
//! 100,000 records: the tables and hashes were an eighth of the memory those values
//! took, a second allocation per map, and inserting a field hashed its key. Here a map
//! of up to [`INDEXED_FROM`] entries is searched by a scan of its keys, which is what
//! tera already did to look a name up in a map of up to 12; a bigger one (the site's
//! departments, people or tags by id) builds a table of entry positions.
//!
//! The API is the part of `IndexMap`'s that tera and jianbao use, with the same
//! meaning: insertion order, `insert` of a present key keeps its place and returns the
//! old value, equality ignores order. Its tests are jianbao's (src/render/fields.rs):
//! the vendored crate's tests are not built.

use std::fmt;
use std::hash::BuildHasher;
use std::sync::atomic::AtomicU8;
use std::sync::atomic::Ordering::Relaxed;

use hashbrown::HashTable;

use super::{Key, MapHasher, Value};

/// A map with more entries than this keeps a hash index.
const INDEXED_FROM: usize = 32;

/// The map of a `Value::Map`: see the module's documentation.
#[derive(Clone, Default)]
pub struct Map {
    entries: Vec<(Key<'static>, Value)>,
    /// Positions in `entries`, by the hash of their key; only for big maps. Boxed: a
    /// map is 32 bytes, not 56, and nearly every map has none.
    index: Option<Box<HashTable<usize>>>,
}

/// The hash of a key in the index: the same for a key every time (std's `RandomState`,
/// tera's hasher without `fast_hash`, would not be).
#[cfg(feature = "fast_hash")]
fn hash(key: &Key<'_>) -> u64 {
    MapHasher::default().hash_one(key)
}

#[cfg(not(feature = "fast_hash"))]
fn hash(key: &Key<'_>) -> u64 {
    std::hash::BuildHasherDefault::<std::collections::hash_map::DefaultHasher>::default()
        .hash_one(key)
}

/// Whether `key` is the name `name`, compared inline, length first (`utils::same_bytes`).
#[inline(always)]
fn is_named(key: &Key<'_>, name: &str) -> bool {
    key.as_str()
        .is_some_and(|s| crate::utils::same_bytes(s.as_bytes(), name.as_bytes()))
}

/// The entries of a map, in order.
pub type Iter<'a> = std::iter::Map<
    std::slice::Iter<'a, (Key<'static>, Value)>,
    fn(&'a (Key<'static>, Value)) -> (&'a Key<'static>, &'a Value),
>;

impl Map {
    /// An empty map.
    pub fn new() -> Self {
        Map::default()
    }

    /// An empty map with room for `capacity` entries.
    pub fn with_capacity(capacity: usize) -> Self {
        Map {
            entries: Vec::with_capacity(capacity),
            index: None,
        }
    }

    /// As [`Map::with_capacity`]; the hasher is that of every map (kept so that code
    /// written for tera's `IndexMap` compiles as it is).
    pub fn with_capacity_and_hasher(capacity: usize, _hasher: MapHasher) -> Self {
        Map::with_capacity(capacity)
    }

    /// The map of `entries`, whose keys the caller knows to be distinct (debug builds
    /// check), in their order: the list becomes the map's own, without an insert per
    /// entry.
    pub fn from_distinct(entries: Vec<(Key<'static>, Value)>) -> Self {
        debug_assert!(
            (entries.iter().enumerate())
                .all(|(i, (k, _))| entries[..i].iter().all(|(o, _)| o != k)),
            "from_distinct given a key twice"
        );
        let mut map = Map {
            entries,
            index: None,
        };
        if map.entries.len() > INDEXED_FROM {
            map.build_index();
        }
        map
    }

    /// The number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the map has no entry.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Where the entry of `key` is in the list.
    fn position(&self, key: &Key<'_>) -> Option<usize> {
        match &self.index {
            Some(index) => index
                .find(hash(key), |&i| self.entries[i].0 == *key)
                .copied(),
            // A name (nearly every key) is compared inline, length first: a call to
            // `Key`'s equality for each entry passed cost more than the hashing it saves.
            None => match key.as_str() {
                Some(name) => self.entries.iter().position(|(k, _)| is_named(k, name)),
                None => self.entries.iter().position(|(k, _)| k == key),
            },
        }
    }

    /// The value of `key`.
    pub fn get(&self, key: &Key<'_>) -> Option<&Value> {
        match key.as_str() {
            Some(name) => self.get_str(name),
            None => self.position(key).map(|i| &self.entries[i].1),
        }
    }

    /// The value under the name `name`: what a template's `a.name` looks up, millions of
    /// times a build, so a small map's scan returns the value itself.
    #[inline]
    pub fn get_str(&self, name: &str) -> Option<&Value> {
        if self.index.is_some() {
            return self.position(&Key::Str(name)).map(|i| &self.entries[i].1);
        }
        (self.entries.iter()).find_map(|(k, v)| is_named(k, name).then_some(v))
    }

    /// As [`Map::get_str`], trying first the entry at `hint` and leaving there where
    /// `name` was found: a template looks the same name up in maps made alike (every
    /// record's `entry`), which hold it at the same place. A wrong hint costs one
    /// comparison; threads sharing a hint only ever store a position some map had.
    #[inline]
    pub fn get_str_hinted(&self, name: &str, hint: &AtomicU8) -> Option<&Value> {
        let at = usize::from(hint.load(Relaxed));
        if let Some((k, v)) = self.entries.get(at)
            && is_named(k, name)
        {
            return Some(v);
        }
        let i = self.position(&Key::Str(name))?;
        if let Ok(i) = u8::try_from(i) {
            hint.store(i, Relaxed);
        }
        Some(&self.entries[i].1)
    }

    /// The value of `key`, to change it.
    pub fn get_mut(&mut self, key: &Key<'_>) -> Option<&mut Value> {
        self.position(key).map(|i| &mut self.entries[i].1)
    }

    /// Whether the map has an entry for `key`.
    pub fn contains_key(&self, key: &Key<'_>) -> bool {
        self.position(key).is_some()
    }

    /// Sets the value of `key`: a key already there keeps its place and its old value is
    /// returned; a new one goes last.
    pub fn insert(&mut self, key: Key<'static>, value: Value) -> Option<Value> {
        if let Some(i) = self.position(&key) {
            return Some(std::mem::replace(&mut self.entries[i].1, value));
        }
        self.push_new(key, value);
        None
    }

    /// Inserts `value` under `key` unless the key is there already.
    pub fn insert_if_absent(&mut self, key: Key<'static>, value: Value) {
        if self.position(&key).is_none() {
            self.push_new(key, value);
        }
    }

    /// Appends an entry whose key the caller knows is not in the map (cheaper than
    /// [`Map::insert`], which looks for it first). Given a key that is there, the map
    /// would hold it twice and find the first.
    pub fn insert_new(&mut self, key: Key<'static>, value: Value) {
        debug_assert!(!self.contains_key(&key), "insert_new of a key already there");
        self.push_new(key, value);
    }

    /// Appends an entry whose key is not in the map.
    fn push_new(&mut self, key: Key<'static>, value: Value) {
        let at = self.entries.len();
        let key_hash = self.index.as_ref().map(|_| hash(&key));
        self.entries.push((key, value));
        let Map { entries, index } = self;
        if let (Some(index), Some(key_hash)) = (index.as_mut(), key_hash) {
            index.insert_unique(key_hash, at, |&i| hash(&entries[i].0));
        } else if entries.len() > INDEXED_FROM {
            self.build_index();
        }
    }

    fn build_index(&mut self) {
        let mut index = HashTable::with_capacity(self.entries.len());
        for (i, (key, _)) in self.entries.iter().enumerate() {
            index.insert_unique(hash(key), i, |&j| hash(&self.entries[j].0));
        }
        self.index = Some(Box::new(index));
    }

    /// Removes the entry of `key`, keeping the order of the others, and returns its
    /// value.
    pub fn shift_remove(&mut self, key: &Key<'_>) -> Option<Value> {
        let i = self.position(key)?;
        let (_, value) = self.entries.remove(i);
        if self.index.is_some() {
            self.index = None;
            if self.entries.len() > INDEXED_FROM {
                self.build_index();
            }
        }
        Some(value)
    }

    /// The entries, in order.
    pub fn iter(&self) -> Iter<'_> {
        self.entries.iter().map(|(k, v)| (k, v))
    }

    /// The entries, in order, with their values to change.
    pub fn iter_mut(&mut self) -> impl Iterator<Item = (&Key<'static>, &mut Value)> {
        self.entries.iter_mut().map(|(k, v)| (&*k, v))
    }

    /// The keys, in order.
    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &Key<'static>> + ExactSizeIterator {
        self.entries.iter().map(|(k, _)| k)
    }

    /// The values, in order.
    pub fn values(&self) -> impl DoubleEndedIterator<Item = &Value> + ExactSizeIterator {
        self.entries.iter().map(|(_, v)| v)
    }

    /// Makes room for `additional` more entries.
    pub fn reserve(&mut self, additional: usize) {
        self.entries.reserve(additional);
    }

    /// Makes room for exactly `additional` more entries.
    pub fn reserve_exact(&mut self, additional: usize) {
        self.entries.reserve_exact(additional);
    }
}

impl PartialEq for Map {
    /// Equal when both have the same keys with equal values, in any order (as
    /// `IndexMap`'s equality). Two maps made alike have their keys in the same order
    /// (`serve` compares every page's values with the last ones after an edit): they are
    /// compared entry by entry, by lookup only from the first key out of place.
    fn eq(&self, other: &Map) -> bool {
        if self.len() != other.len() {
            return false;
        }
        let mut in_order = 0;
        for ((k1, v1), (k2, v2)) in self.entries.iter().zip(&other.entries) {
            if k1 != k2 {
                break;
            }
            if v1 != v2 {
                return false;
            }
            in_order += 1;
        }
        // The keys before are the same in both, and a map's keys are unique: the others
        // can only be among `other`'s others.
        self.entries[in_order..]
            .iter()
            .all(|(key, value)| other.get(key).is_some_and(|v| v == value))
    }
}

impl fmt::Debug for Map {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl Extend<(Key<'static>, Value)> for Map {
    fn extend<I: IntoIterator<Item = (Key<'static>, Value)>>(&mut self, iter: I) {
        let iter = iter.into_iter();
        self.reserve(iter.size_hint().0);
        for (key, value) in iter {
            self.insert(key, value);
        }
    }
}

impl FromIterator<(Key<'static>, Value)> for Map {
    fn from_iter<I: IntoIterator<Item = (Key<'static>, Value)>>(iter: I) -> Self {
        let mut map = Map::new();
        map.extend(iter);
        map
    }
}

impl IntoIterator for Map {
    type Item = (Key<'static>, Value);
    type IntoIter = std::vec::IntoIter<(Key<'static>, Value)>;

    fn into_iter(self) -> Self::IntoIter {
        self.entries.into_iter()
    }
}

impl<'a> IntoIterator for &'a Map {
    type Item = (&'a Key<'static>, &'a Value);
    type IntoIter = Iter<'a>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}
