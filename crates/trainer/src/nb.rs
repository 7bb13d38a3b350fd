//! linfa-bayes, fitted in dense batches of bounded size, kept in a deterministic form.
//!
//! linfa-bayes takes dense `Array2` records only, so rows are densified `batch_size` at a
//! time and folded in with `FitWith`: memory is batch × features however many mails there
//! are. Its fitted models keep their classes in a `HashMap`, whose order differs from
//! process to process; the parameters are therefore stored as [`NbParams`], sorted by
//! class, and the linfa model is rebuilt from them through its serde representation, so the
//! same training gives the same model bytes.

use linfa::dataset::DatasetBase;
use linfa::traits::FitWith;
#[cfg(test)]
use linfa_bayes::NaiveBayes;
use linfa_bayes::{BernoulliNb, MultinomialNb};
#[cfg(test)]
use ndarray::ArrayView2;
use ndarray::{Array1, Array2};
use sagiguard_features::SparseVector;
use serde::{Deserialize, Serialize};
use serde_json::Value;
#[cfg(test)]
use serde_json::json;

use crate::config::Algorithm;
use crate::error::{Error, Result};

/// One class's fitted parameters, as linfa-bayes computes them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClassParams {
    /// The class index.
    pub class: usize,
    /// Training rows of the class.
    pub class_count: usize,
    /// Prior probability.
    pub prior: f64,
    /// Summed feature values.
    pub feature_count: Vec<f64>,
    /// Smoothed log-probability of each feature given the class.
    pub feature_log_prob: Vec<f64>,
}

/// A fitted model's parameters, sorted by class.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NbParams {
    /// The event model.
    pub algorithm: Algorithm,
    /// Per class, ascending.
    pub classes: Vec<ClassParams>,
    /// The additive smoothing of the fit (complement weights smooth with it too).
    pub alpha: f64,
}

/// A fitted linfa-bayes model.
#[derive(Debug, Clone)]
pub(crate) enum Fitted {
    Multinomial(MultinomialNb<f64, usize>),
    Bernoulli(BernoulliNb<f64, usize>),
}

impl Fitted {
    /// The unnormalised log posterior of each class for each row: `[row][class index]`,
    /// classes in the order of `classes`. Scoring uses [`Scorer`]; this is its reference.
    #[cfg(test)]
    pub fn joint_log_likelihood(&self, x: ArrayView2<f64>, classes: &[usize]) -> Vec<Vec<f64>> {
        let jll = match self {
            Fitted::Multinomial(m) => m.joint_log_likelihood(x),
            Fitted::Bernoulli(m) => m.joint_log_likelihood(x),
        };
        (0..x.nrows())
            .map(|row| {
                classes
                    .iter()
                    .map(|c| jll.get(c).map_or(f64::NEG_INFINITY, |v| v[row]))
                    .collect()
            })
            .collect()
    }

    pub fn params(&self, algorithm: Algorithm, alpha: f64) -> NbParams {
        let value = match self {
            Fitted::Multinomial(m) => serde_json::to_value(m),
            Fitted::Bernoulli(m) => serde_json::to_value(m),
        }
        .expect("a fitted linfa model serialises");
        let mut classes: Vec<ClassParams> = value["class_info"]
            .as_object()
            .expect("linfa models keep class_info")
            .iter()
            .map(|(class, info)| ClassParams {
                class: class.parse().expect("class keys are indices"),
                class_count: info["class_count"].as_u64().unwrap_or(0) as usize,
                prior: info["prior"].as_f64().unwrap_or(0.0),
                feature_count: array_data(&info["feature_count"]),
                feature_log_prob: array_data(&info["feature_log_prob"]),
            })
            .collect();
        classes.sort_by_key(|c| c.class);
        NbParams {
            algorithm,
            classes,
            alpha,
        }
    }
}

fn array_data(value: &Value) -> Vec<f64> {
    value["data"]
        .as_array()
        .map(|a| a.iter().map(|x| x.as_f64().unwrap_or(0.0)).collect())
        .unwrap_or_default()
}

impl NbParams {
    /// The linfa model these parameters describe.
    #[cfg(test)]
    pub(crate) fn to_fitted(&self) -> std::result::Result<Fitted, String> {
        let class_info: serde_json::Map<String, Value> = self
            .classes
            .iter()
            .map(|c| {
                let array = |v: &Vec<f64>| {
                    serde_json::to_value(Array1::from(v.clone())).expect("arrays serialise")
                };
                (
                    c.class.to_string(),
                    json!({
                        "class_count": c.class_count,
                        "prior": c.prior,
                        "feature_count": array(&c.feature_count),
                        "feature_log_prob": array(&c.feature_log_prob),
                    }),
                )
            })
            .collect();
        match self.algorithm {
            Algorithm::Multinomial | Algorithm::Complement => {
                serde_json::from_value(json!({ "class_info": class_info })).map(Fitted::Multinomial)
            }
            Algorithm::Bernoulli => {
                serde_json::from_value(json!({ "class_info": class_info, "binarize": 0.0 }))
                    .map(Fitted::Bernoulli)
            }
        }
        .map_err(|e| e.to_string())
    }

    /// The class indices, ascending.
    #[cfg(test)]
    pub fn class_indices(&self) -> Vec<usize> {
        self.classes.iter().map(|c| c.class).collect()
    }
}

/// The joint log-likelihood of a sparse row, computed as linfa-bayes computes it from a
/// dense one (`x · w_c + b_c`) but over the row's non-zero features only: a mail has a few
/// hundred of the vocabulary's tens of thousands, so densifying it cost most of the time of
/// scoring.
#[derive(Debug, Clone)]
pub(crate) struct Scorer {
    classes: usize,
    /// Per fitted class: its index, weights and constant.
    fitted: Vec<(usize, Vec<f64>, f64)>,
}

impl Scorer {
    /// Per class: multinomial `w = log P(f|c)`, `b = log prior`; Bernoulli
    /// `w = log p − log(1 − p)`, `b = log prior + Σ log(1 − p)`. Refuses parameters that do
    /// not describe `dim` features of `classes` classes.
    pub fn new(
        params: &NbParams,
        classes: usize,
        dim: usize,
    ) -> std::result::Result<Scorer, String> {
        let mut fitted = Vec::with_capacity(params.classes.len());
        for c in &params.classes {
            if c.class >= classes {
                return Err(format!(
                    "parameters for class {} of a model with {classes} classes",
                    c.class
                ));
            }
            if c.feature_log_prob.len() != dim {
                return Err(format!(
                    "class {} has {} feature probabilities for {dim} features",
                    c.class,
                    c.feature_log_prob.len()
                ));
            }
            let (weights, constant) = match params.algorithm {
                Algorithm::Multinomial => (c.feature_log_prob.clone(), c.prior.ln()),
                Algorithm::Complement => (complement_weights(params, c.class), 0.0),
                Algorithm::Bernoulli => {
                    let negative: Vec<f64> = c
                        .feature_log_prob
                        .iter()
                        .map(|lp| (1.0 - lp.exp()).ln())
                        .collect();
                    let weights = c
                        .feature_log_prob
                        .iter()
                        .zip(&negative)
                        .map(|(lp, neg)| lp - neg)
                        .collect();
                    (weights, c.prior.ln() + negative.iter().sum::<f64>())
                }
            };
            fitted.push((c.class, weights, constant));
        }
        Ok(Scorer { classes, fitted })
    }

    /// One value per class index; a class without training rows is impossible (−∞).
    pub fn joint_log_likelihood(&self, x: &SparseVector) -> Vec<f64> {
        let mut jll = vec![f64::NEG_INFINITY; self.classes];
        for (class, w, b) in &self.fitted {
            jll[*class] = b + x
                .iter()
                .filter_map(|(i, v)| Some(f64::from(v) * w.get(i as usize)?))
                .sum::<f64>();
        }
        jll
    }
}

/// Complement naive Bayes weights of `class` (Rennie et al. 2003, steps 6–8): the smoothed
/// log-probability of each feature in every *other* class pooled, negated (a mail like the
/// other classes scores low), and scaled to unit L1 norm. The smoothing is the one linfa
/// applied to the multinomial fit.
fn complement_weights(params: &NbParams, class: usize) -> Vec<f64> {
    let dim = params.classes.first().map_or(0, |c| c.feature_count.len());
    let mut counts = vec![0.0; dim];
    for c in params.classes.iter().filter(|c| c.class != class) {
        for (sum, v) in counts.iter_mut().zip(&c.feature_count) {
            *sum += v;
        }
    }
    let alpha = params.alpha;
    let total: f64 = counts.iter().sum::<f64>() + alpha * dim as f64;
    let mut weights: Vec<f64> = counts.iter().map(|n| -((n + alpha) / total).ln()).collect();
    let norm: f64 = weights.iter().map(|w| w.abs()).sum();
    if norm > 0.0 {
        weights.iter_mut().for_each(|w| *w /= norm);
    }
    // Rennie's rule picks the class minimising Σ x·log θ̃; as a "higher is likelier" score
    // that is Σ x·(−log θ̃), the normalised weights as they stand.
    weights
}

/// Folds rows into a linfa model `batch_size` rows at a time.
pub(crate) struct Fitter {
    algorithm: Algorithm,
    alpha: f64,
    dim: usize,
    batch_size: usize,
    rows: Vec<(SparseVector, usize)>,
    model: Option<Fitted>,
}

impl Fitter {
    pub fn new(algorithm: Algorithm, alpha: f64, dim: usize, batch_size: usize) -> Self {
        Fitter {
            algorithm,
            alpha,
            dim,
            batch_size,
            rows: Vec::with_capacity(batch_size),
            model: None,
        }
    }

    pub fn push(&mut self, row: SparseVector, class: usize) -> Result<()> {
        self.rows.push((row, class));
        if self.rows.len() >= self.batch_size {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<()> {
        if self.rows.is_empty() {
            return Ok(());
        }
        let rows = std::mem::take(&mut self.rows);
        let x = dense(rows.iter().map(|(r, _)| r), rows.len(), self.dim);
        let y: Array1<usize> = rows.iter().map(|(_, c)| *c).collect();
        let dataset = DatasetBase::new(x, y);
        self.model = Some(match (self.algorithm, self.model.take()) {
            // Complement NB is computed from the multinomial counts.
            (Algorithm::Multinomial | Algorithm::Complement, previous) => {
                let previous = match previous {
                    Some(Fitted::Multinomial(m)) => Some(m),
                    _ => None,
                };
                let params = MultinomialNb::params().alpha(self.alpha);
                Fitted::Multinomial(params.fit_with(previous, &dataset).map_err(Error::Fit)?)
            }
            (Algorithm::Bernoulli, previous) => {
                let previous = match previous {
                    Some(Fitted::Bernoulli(m)) => Some(m),
                    _ => None,
                };
                let params = BernoulliNb::params().alpha(self.alpha).binarize(Some(0.0));
                Fitted::Bernoulli(params.fit_with(previous, &dataset).map_err(Error::Fit)?)
            }
        });
        Ok(())
    }

    pub fn finish(mut self) -> Result<Fitted> {
        self.flush()?;
        self.model.ok_or(Error::OneClass { scam: 0, ham: 0 })
    }
}

/// Rows as a dense matrix of `dim` columns.
pub(crate) fn dense<'a>(
    rows: impl Iterator<Item = &'a SparseVector>,
    n: usize,
    dim: usize,
) -> Array2<f64> {
    let mut x = Array2::zeros((n, dim));
    for (i, row) in rows.enumerate() {
        for (index, value) in row.iter() {
            if (index as usize) < dim {
                x[[i, index as usize]] = f64::from(value);
            }
        }
    }
    x
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rows of a small corpus with a few hundred columns, most zero, as a mail's are.
    fn rows(n: usize, dim: usize) -> Vec<(SparseVector, usize)> {
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        (0..n)
            .map(|_| {
                let class = (next() % 3) as usize;
                let mut indices: Vec<u32> = (0..12).map(|_| (next() % dim as u64) as u32).collect();
                indices.sort_unstable();
                indices.dedup();
                let values = indices.iter().map(|_| (1 + next() % 3) as f32).collect();
                (SparseVector { indices, values }, class)
            })
            .collect()
    }

    fn fit(algorithm: Algorithm, rows: &[(SparseVector, usize)], dim: usize) -> NbParams {
        let mut fitter = Fitter::new(algorithm, 1.0, dim, rows.len());
        for (row, class) in rows {
            fitter.push(row.clone(), *class).unwrap();
        }
        fitter.finish().unwrap().params(algorithm, 1.0)
    }

    #[test]
    fn the_sparse_scorer_matches_linfa_on_dense_rows() {
        let dim = 300;
        let rows = rows(200, dim);
        for algorithm in [Algorithm::Multinomial, Algorithm::Bernoulli] {
            let params = fit(algorithm, &rows, dim);
            let scorer = Scorer::new(&params, 3, dim).unwrap();
            let linfa = params.to_fitted().unwrap();
            let x = dense(rows.iter().map(|(r, _)| r), rows.len(), dim);
            let expected = linfa.joint_log_likelihood(x.view(), &params.class_indices());
            for ((row, _), expected) in rows.iter().zip(expected) {
                let got = scorer.joint_log_likelihood(row);
                for (g, e) in got.iter().zip(&expected) {
                    assert!(
                        (g - e).abs() <= 1e-9 * e.abs().max(1.0),
                        "{algorithm:?}: {g} vs {e}"
                    );
                }
            }
        }
    }

    #[test]
    fn complement_weights_follow_the_other_classes_counts() {
        let dim = 40;
        let rows = rows(300, dim);
        let mut params = fit(Algorithm::Multinomial, &rows, dim);
        params.algorithm = Algorithm::Complement;
        let scorer = Scorer::new(&params, 3, dim).unwrap();
        // By hand for class 0: pooled counts of classes 1 and 2, smoothed, negated log,
        // normalised to unit L1.
        let pooled: Vec<f64> = (0..dim)
            .map(|i| params.classes[1].feature_count[i] + params.classes[2].feature_count[i])
            .collect();
        let total: f64 = pooled.iter().sum::<f64>() + dim as f64;
        let raw: Vec<f64> = pooled.iter().map(|n| -((n + 1.0) / total).ln()).collect();
        let norm: f64 = raw.iter().map(|w| w.abs()).sum();
        let row = &rows[0].0;
        let expected: f64 = row
            .iter()
            .map(|(i, v)| f64::from(v) * raw[i as usize] / norm)
            .sum();
        let got = scorer.joint_log_likelihood(row)[0];
        assert!((got - expected).abs() < 1e-12, "{got} vs {expected}");
        assert!(
            scorer
                .joint_log_likelihood(row)
                .iter()
                .all(|v| v.is_finite())
        );
    }

    #[test]
    fn a_class_without_rows_is_impossible_and_bad_parameters_are_refused() {
        let dim = 50;
        let rows: Vec<_> = rows(100, dim)
            .into_iter()
            .filter(|(_, c)| *c != 1)
            .collect();
        let params = fit(Algorithm::Multinomial, &rows, dim);
        let scorer = Scorer::new(&params, 3, dim).unwrap();
        let jll = scorer.joint_log_likelihood(&rows[0].0);
        assert_eq!(jll[1], f64::NEG_INFINITY);
        assert!(jll[0].is_finite() && jll[2].is_finite());
        assert!(Scorer::new(&params, 3, dim + 1).is_err());
        assert!(Scorer::new(&params, 2, dim).is_err());
    }
}
