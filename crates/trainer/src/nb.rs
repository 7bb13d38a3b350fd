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
use linfa_bayes::{BernoulliNb, MultinomialNb, NaiveBayes};
use ndarray::{Array1, Array2, ArrayView2};
use sagiguard_features::SparseVector;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

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
}

/// A fitted linfa-bayes model.
#[derive(Debug, Clone)]
pub(crate) enum Fitted {
    Multinomial(MultinomialNb<f64, usize>),
    Bernoulli(BernoulliNb<f64, usize>),
}

impl Fitted {
    /// The unnormalised log posterior of each class for each row: `[row][class index]`,
    /// classes in the order of `classes`.
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

    pub fn params(&self, algorithm: Algorithm) -> NbParams {
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
        NbParams { algorithm, classes }
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
            Algorithm::Multinomial => {
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
    pub fn class_indices(&self) -> Vec<usize> {
        self.classes.iter().map(|c| c.class).collect()
    }
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
            (Algorithm::Multinomial, previous) => {
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
