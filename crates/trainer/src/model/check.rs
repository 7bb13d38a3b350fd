//! The checks a model's values go through on load, beyond its checksums.

use sagiguard_corpus::Label;
use sagiguard_features::FeatureConfig;

use super::Model;

impl Model {
    /// Checks every value a checksum cannot vouch for: the settings go through the same
    /// checked-params step as training, and each number must be in its range, so that a
    /// damaged or hand-edited model is refused instead of giving verdicts (a NaN threshold
    /// would call every mail ham).
    pub(super) fn check_values(&self) -> Result<(), (&'static str, String)> {
        let range = |field, value: f64, ok: bool, expected: &str| {
            if ok {
                Ok(())
            } else {
                Err((field, format!("{value} is not {expected}")))
            }
        };
        range(
            "threshold",
            self.threshold,
            (0.0..=1.0).contains(&self.threshold),
            "a probability in [0, 1]",
        )?;
        range(
            "unsure margin",
            self.unsure_margin,
            (0.0..1.0).contains(&self.unsure_margin),
            "in [0, 1)",
        )?;
        for (field, value) in [
            ("calibration slope", self.calibration.a),
            ("calibration intercept", self.calibration.b),
        ] {
            range(field, value, value.is_finite(), "a finite number")?;
        }
        self.metadata
            .config
            .clone()
            .check()
            .map_err(|e| ("training settings", e.to_string()))?;
        FeatureConfig::clone(self.extractor.config())
            .check()
            .map_err(|e| ("feature settings", e.to_string()))?;
        let dim = self.extractor.vocabulary().len();
        if dim == 0 {
            return Err(("vocabulary", "it is empty".into()));
        }
        let has = |label| self.classes.iter().any(|c| c.label == label);
        if !has(Label::Ham) || !has(Label::Scam) {
            return Err((
                "classes",
                "ham and at least one scam class are needed".into(),
            ));
        }
        range(
            "smoothing",
            self.nb.alpha,
            self.nb.alpha > 0.0 && self.nb.alpha.is_finite(),
            "a positive number",
        )?;
        for c in &self.nb.classes {
            range(
                "class prior",
                c.prior,
                c.prior > 0.0 && c.prior <= 1.0,
                "a probability in (0, 1]",
            )?;
            if let Some(bad) = c
                .feature_log_prob
                .iter()
                .find(|v| !(v.is_finite() && **v <= 0.0))
            {
                return Err((
                    "feature weights",
                    format!(
                        "class {} has log-probability {bad}, not a finite number <= 0",
                        c.class
                    ),
                ));
            }
            if let Some(bad) = c
                .feature_count
                .iter()
                .find(|v| !(v.is_finite() && **v >= 0.0))
            {
                return Err((
                    "feature counts",
                    format!(
                        "class {} has count {bad}, not a finite number >= 0",
                        c.class
                    ),
                ));
            }
        }
        Ok(())
    }
}
