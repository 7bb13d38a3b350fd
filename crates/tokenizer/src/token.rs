use std::ops::Range;

use serde::{Deserialize, Serialize};

use crate::pos::PartOfSpeech;

/// One morpheme.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Token {
    /// The morpheme as segmented, in normalised form (`ｶｰﾄﾞ` in the mail reads `カード` here).
    pub surface: String,
    /// The dictionary form (`行なっ` → `行なう`); the surface for words the dictionary lacks.
    pub base_form: String,
    /// The part of speech.
    pub pos: PartOfSpeech,
    /// The byte range of this morpheme in the text that was passed to
    /// [`Tokenizer::tokenize`](crate::Tokenizer::tokenize), before normalisation.
    pub span: Range<usize>,
    /// False when the dictionary does not know the word and its class was guessed from the
    /// kind of characters (typical of names, URLs and foreign script).
    pub known: bool,
}
