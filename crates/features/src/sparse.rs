use serde::{Deserialize, Serialize};

/// A mail's features as vocabulary indices and values, sorted by index.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SparseVector {
    /// Vocabulary indices, ascending, unique.
    pub indices: Vec<u32>,
    /// The value of each index.
    pub values: Vec<f32>,
}

impl SparseVector {
    /// The number of non-zero features.
    pub fn len(&self) -> usize {
        self.indices.len()
    }

    /// Whether no feature is present.
    pub fn is_empty(&self) -> bool {
        self.indices.is_empty()
    }

    /// `(index, value)` pairs in index order.
    pub fn iter(&self) -> impl Iterator<Item = (u32, f32)> + '_ {
        self.indices
            .iter()
            .copied()
            .zip(self.values.iter().copied())
    }
}
