//! Model format 3, read to upgrade: the same payload as format 4 but for the feature
//! settings, which had no `mask_feature` (format 3 models counted masks).

use sagiguard_features::{FeatureConfig, FeatureConfigV3, FeatureExtractorV3};
use sagiguard_tokenizer::Normalizer;
use serde::Deserialize;

use super::{ClassLabel, LearningSection, Metadata, Model};
use crate::calibrate::Calibration;
use crate::config::{Algorithm, Classes, ThresholdPolicy, TrainConfig};
use crate::nb::NbParams;

/// The format this module reads.
pub(super) const VERSION: u16 = 3;

#[derive(Deserialize)]
pub(super) struct ModelV3 {
    normalizer: Normalizer,
    dictionary_fingerprint: String,
    extractor: FeatureExtractorV3,
    nb: NbParams,
    classes: Vec<ClassLabel>,
    calibration: Calibration,
    threshold: f64,
    unsure_margin: f64,
    min_known_features: usize,
    metadata: MetadataV3,
}

#[derive(Deserialize)]
struct MetadataV3 {
    sagiguard_version: String,
    trained_on: String,
    corpus_hash: String,
    mails: usize,
    scam: usize,
    ham: usize,
    config: TrainConfigV3,
    cross_validation: Vec<(String, f64)>,
}

#[derive(Deserialize)]
struct TrainConfigV3 {
    features: FeatureConfigV3,
    algorithm: Algorithm,
    alpha: f64,
    classes: Classes,
    batch_size: usize,
    folds: usize,
    seed: u64,
    threshold: ThresholdPolicy,
    unsure_margin: f64,
    min_known_features: usize,
}

impl ModelV3 {
    /// The model in this build's terms; `Err` names what is out of range.
    pub(super) fn upgrade(self) -> Result<Model, String> {
        let extractor = self.extractor.upgrade().map_err(|e| e.to_string())?;
        let m = self.metadata;
        let c = m.config;
        let config = TrainConfig {
            features: FeatureConfig::from(c.features),
            algorithm: c.algorithm,
            alpha: c.alpha,
            classes: c.classes,
            batch_size: c.batch_size,
            folds: c.folds,
            seed: c.seed,
            threshold: c.threshold,
            unsure_margin: c.unsure_margin,
            min_known_features: c.min_known_features,
        };
        Ok(Model {
            normalizer: self.normalizer,
            dictionary_fingerprint: self.dictionary_fingerprint,
            extractor,
            nb: self.nb,
            classes: self.classes,
            calibration: self.calibration,
            threshold: self.threshold,
            unsure_margin: self.unsure_margin,
            min_known_features: self.min_known_features,
            metadata: Metadata {
                sagiguard_version: m.sagiguard_version,
                trained_on: m.trained_on,
                corpus_hash: m.corpus_hash,
                mails: m.mails,
                scam: m.scam,
                ham: m.ham,
                config,
                cross_validation: m.cross_validation,
            },
            scorer: None,
            learning: LearningSection::default(),
            // Set by the reader, as for every model read from a file.
            read_format: None,
        })
    }
}
