use std::ops::Range;

use serde::{Deserialize, Serialize};

use crate::normalize::NormalizedText;
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

/// A morpheme borrowed from the text and the dictionary while a text is segmented
/// ([`Tokenizer::for_each_morpheme`](crate::Tokenizer::for_each_morpheme)): the fields of
/// a [`Token`] without its allocations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Morpheme<'a> {
    /// See [`Token::surface`].
    pub surface: &'a str,
    /// See [`Token::base_form`].
    pub base_form: &'a str,
    /// See [`Token::pos`].
    pub pos: &'a PartOfSpeech,
    /// See [`Token::known`].
    pub known: bool,
    /// Which word of the system dictionary this is, for a known word: one id is always the
    /// same surface, base form and part of speech under one [`Tokenizer`](crate::Tokenizer)
    /// (see [`Tokenizer::id`](crate::Tokenizer::id)), so what is derived from those alone
    /// can be remembered by it. `None` for unknown words and words of a user dictionary.
    pub word: Option<u32>,
    /// The text as segmented, and this morpheme's bytes in it: [`Morpheme::span`] maps
    /// them back only when asked (features never ask).
    pub(crate) normalized: &'a NormalizedText,
    pub(crate) range: Range<usize>,
}

impl Morpheme<'_> {
    /// See [`Token::span`].
    pub fn span(&self) -> Range<usize> {
        self.normalized.original_span(self.range.clone())
    }

    /// The owned token.
    pub fn to_token(&self) -> Token {
        Token {
            surface: self.surface.to_owned(),
            base_form: self.base_form.to_owned(),
            pos: self.pos.clone(),
            span: self.span(),
            known: self.known,
        }
    }
}
