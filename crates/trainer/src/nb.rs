//! linfa-bayes, fitted in batches of bounded size, kept in a deterministic form.
//!
//! linfa-bayes takes dense `Array2` records only, and folds batches in with `FitWith`. A
//! multinomial fit depends on a class's rows only through their sum, so each batch of
//! `batch_size` rows reaches linfa as one row per class, summed here in row order as linfa's
//! `sum_axis` would sum them: the same parameters to the bit, without densifying every mail
//! into a rows × vocabulary matrix and copying it class by class (most of the fit's time). A
//! Bernoulli fit binarises each row, so its rows are densified as they are. Its fitted
//! models keep their classes in a `HashMap`, whose order differs from process to process;
//! the parameters are therefore stored as [`NbParams`], sorted by class, so the same
//! training gives the same model bytes. They are read from the fitted model through its
//! public `joint_log_likelihood` only (see [`Fitted::params`]); the row and value counts
//! linfa keeps privately are counted here as the rows go in.

use linfa::dataset::DatasetBase;
use linfa::traits::FitWith;
use linfa_bayes::{BernoulliNb, MultinomialNb, NaiveBayes};
use ndarray::{Array1, Array2, ArrayView2};
use rayon::prelude::*;
use sagiguard_features::{FeatureCounts, SparseVector, Vocabulary};
use serde::{Deserialize, Serialize};

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
enum Linfa {
    Multinomial(MultinomialNb<f64, usize>),
    Bernoulli(BernoulliNb<f64, usize>),
}

impl Linfa {
    /// `[class index][row]`; a class without rows is absent from linfa's answer and
    /// `None` here.
    fn joint_log_likelihood(&self, x: ArrayView2<f64>, classes: usize) -> Vec<Option<Array1<f64>>> {
        let jll = match self {
            Linfa::Multinomial(m) => m.joint_log_likelihood(x),
            Linfa::Bernoulli(m) => m.joint_log_likelihood(x),
        };
        (0..classes).map(|c| jll.get(&c).cloned()).collect()
    }
}

/// What one class's rows added up to while they were fitted.
#[derive(Debug, Clone, Default)]
struct ClassTotals {
    rows: usize,
    /// Summed values (Bernoulli: rows with the feature), in f64 as linfa sums them.
    values: Vec<f64>,
}

/// A fitted linfa model and what went into it.
#[derive(Debug, Clone)]
pub(crate) struct Fitted {
    model: Linfa,
    dim: usize,
    /// Per class index.
    totals: Vec<ClassTotals>,
}

/// Unit rows densified at a time when reading the parameters back: a few MB at most.
const UNIT_ROWS: usize = 64;

impl Fitted {
    /// The unnormalised log posterior of each class for each row: `[row][class index]`,
    /// classes in the order of `classes`. Scoring uses [`Scorer`]; this is its reference.
    #[cfg(test)]
    pub fn joint_log_likelihood(&self, x: ArrayView2<f64>, classes: &[usize]) -> Vec<Vec<f64>> {
        let jll = self.model.joint_log_likelihood(x, self.totals.len());
        (0..x.nrows())
            .map(|row| {
                classes
                    .iter()
                    .map(|&c| {
                        jll.get(c)
                            .and_then(Option::as_ref)
                            .map_or(f64::NEG_INFINITY, |v| v[row])
                    })
                    .collect()
            })
            .collect()
    }

    /// The parameters, read through linfa's public `joint_log_likelihood`, which is linear
    /// in the row: `jll(x) = x · w_c + b_c`. The all-zero row gives `b_c` (and which classes
    /// linfa saw), and a row `k·e_f` gives `k·w_c[f] + b_c`. Multinomial: `b = log prior`, `w = log P(f|c)`, and with
    /// `k = 2^200` the constant lies far below the last bit of `k·w`, so the sum, the
    /// difference and the division are all exact and `w` comes back bit for bit (a unit
    /// row would round twice). Bernoulli binarises its rows, so `k = 1` there:
    /// `b = log prior + Σ log(1 − p)`, `w = log p − log(1 − p)`, hence `log p = −ln(1 + e^−w)`,
    /// equal to linfa's own values to float rounding.
    pub fn params(&self, algorithm: Algorithm, alpha: f64) -> NbParams {
        let classes = self.totals.len();
        let dim = self.dim;
        let zero = self
            .model
            .joint_log_likelihood(Array2::zeros((1, dim)).view(), classes);
        let scale = match algorithm {
            Algorithm::Bernoulli => 1.0,
            Algorithm::Multinomial | Algorithm::Complement => 2f64.powi(200),
        };
        // Each probe is a dense vocabulary-wide product, so reading the weights back costs
        // features² per class: the blocks of unit rows are shared out among the cores, each
        // core reusing one matrix for its run of blocks.
        let starts: Vec<usize> = (0..dim).step_by(UNIT_ROWS).collect();
        let per_core = starts.len().div_ceil(rayon::current_num_threads()).max(1);
        let runs: Vec<Vec<Vec<f64>>> = starts
            .par_chunks(per_core)
            .map(|starts| {
                let mut weights: Vec<Vec<f64>> = vec![Vec::new(); classes];
                let mut x = Array2::zeros((UNIT_ROWS.min(dim), dim));
                for &start in starts {
                    let rows = UNIT_ROWS.min(dim - start);
                    for i in 0..rows {
                        x[[i, start + i]] = scale;
                    }
                    let unit = self.model.joint_log_likelihood(x.view(), classes);
                    for i in 0..rows {
                        x[[i, start + i]] = 0.0;
                    }
                    for (c, (unit, zero)) in unit.iter().zip(&zero).enumerate() {
                        if let (Some(unit), Some(zero)) = (unit, zero) {
                            weights[c]
                                .extend(unit.iter().take(rows).map(|u| (u - zero[0]) / scale));
                        }
                    }
                }
                weights
            })
            .collect();
        let mut weights: Vec<Vec<f64>> = vec![Vec::with_capacity(dim); classes];
        for run in runs {
            for (all, part) in weights.iter_mut().zip(run) {
                all.extend(part);
            }
        }
        let total: usize = self.totals.iter().map(|t| t.rows).sum();
        let classes = zero
            .iter()
            .zip(weights)
            .zip(&self.totals)
            .enumerate()
            .filter_map(|(class, ((zero, w), totals))| {
                zero.as_ref()?;
                let feature_log_prob = match algorithm {
                    Algorithm::Multinomial | Algorithm::Complement => w,
                    Algorithm::Bernoulli => w.iter().map(|w| -(-w).exp().ln_1p()).collect(),
                };
                let mut feature_count = totals.values.clone();
                feature_count.resize(dim, 0.0);
                Some(ClassParams {
                    class,
                    class_count: totals.rows,
                    // linfa's prior `N_c / N` from the rows counted here: `exp` of the log
                    // prior the zero row gives does not always round back to it.
                    prior: totals.rows as f64 / total as f64,
                    feature_count,
                    feature_log_prob,
                })
            })
            .collect();
        NbParams {
            algorithm,
            classes,
            alpha,
        }
    }
}

impl NbParams {
    /// The class indices, ascending.
    #[cfg(test)]
    pub fn class_indices(&self) -> Vec<usize> {
        self.classes.iter().map(|c| c.class).collect()
    }
}

/// Naive-Bayes parameters from summed counts, computed as linfa-bayes computes them at the
/// end of a fit: per class, multinomial `log((n_f + α) / Σ(n + α))`, Bernoulli
/// `log((n_f + α) / (N_c + 2α))`, priors `N_c / N`. Classes without mails are left out, as
/// linfa leaves out classes it saw no row of.
pub(crate) fn params_from_counts(
    counts: &FeatureCounts,
    vocabulary: &Vocabulary,
    algorithm: Algorithm,
    alpha: f64,
) -> NbParams {
    let mails = counts.class_mails();
    let total: u64 = mails.iter().sum();
    let classes = mails
        .iter()
        .enumerate()
        .filter(|(_, n)| **n > 0)
        .map(|(class, &n)| {
            let feature_count = Array1::from(counts.class_sums(class, vocabulary));
            let smoothed = feature_count.mapv(|x| x + alpha);
            let denominator = match algorithm {
                Algorithm::Multinomial | Algorithm::Complement => smoothed.sum(),
                Algorithm::Bernoulli => n as f64 + alpha * 2.0,
            };
            let feature_log_prob = smoothed.mapv(|x| x.ln() - denominator.ln());
            ClassParams {
                class,
                class_count: n as usize,
                prior: n as f64 / total as f64,
                feature_count: feature_count.to_vec(),
                feature_log_prob: feature_log_prob.to_vec(),
            }
        })
        .collect();
    NbParams {
        algorithm,
        classes,
        alpha,
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
    /// Rows in the batch so far.
    pending: usize,
    /// Bernoulli: the batch's rows, densified when it is folded in.
    rows: Vec<(SparseVector, usize)>,
    /// Multinomial and complement: per class, the sum of the batch's rows of that class
    /// (empty for a class without one).
    sums: Vec<Vec<f64>>,
    model: Option<Linfa>,
    totals: Vec<ClassTotals>,
    /// Bernoulli: the dense batch linfa reads, kept between batches: only the cells a batch
    /// wrote are zeroed again (a fresh `batch_size × dim` matrix of zeros each time cost more).
    batch: Option<Array2<f64>>,
}

impl Fitter {
    pub fn new(algorithm: Algorithm, alpha: f64, dim: usize, batch_size: usize) -> Self {
        Fitter {
            algorithm,
            alpha,
            dim,
            batch_size,
            pending: 0,
            rows: Vec::new(),
            sums: Vec::new(),
            model: None,
            totals: Vec::new(),
            batch: None,
        }
    }

    pub fn push(&mut self, row: SparseVector, class: usize) -> Result<()> {
        if self.totals.len() <= class {
            self.totals.resize_with(class + 1, ClassTotals::default);
        }
        let totals = &mut self.totals[class];
        totals.rows += 1;
        totals.values.resize(self.dim, 0.0);
        for (index, value) in row.iter() {
            if let Some(sum) = totals.values.get_mut(index as usize) {
                // linfa's Bernoulli counts rows where the value is above its binarize 0.
                *sum += match self.algorithm {
                    Algorithm::Bernoulli => f64::from(u8::from(value > 0.0)),
                    _ => f64::from(value),
                };
            }
        }
        match self.algorithm {
            Algorithm::Bernoulli => self.rows.push((row, class)),
            Algorithm::Multinomial | Algorithm::Complement => {
                if self.sums.len() <= class {
                    self.sums.resize_with(class + 1, Vec::new);
                }
                let sum = &mut self.sums[class];
                sum.resize(self.dim, 0.0);
                // Row by row from zero, as `sum_axis` adds the class's rows of a batch; a
                // zero cell adds nothing there either.
                for (index, value) in row.iter() {
                    if let Some(cell) = sum.get_mut(index as usize) {
                        *cell += f64::from(value);
                    }
                }
            }
        }
        self.pending += 1;
        if self.pending >= self.batch_size {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<()> {
        if self.pending == 0 {
            return Ok(());
        }
        self.pending = 0;
        let fitted = match (self.algorithm, self.model.take()) {
            // Complement NB is computed from the multinomial counts.
            (Algorithm::Multinomial | Algorithm::Complement, previous) => {
                let previous = match previous {
                    Some(Linfa::Multinomial(m)) => Some(m),
                    _ => None,
                };
                let classes: Vec<usize> = (0..self.sums.len())
                    .filter(|&c| !self.sums[c].is_empty())
                    .collect();
                let mut x = Array2::zeros((classes.len(), self.dim));
                for (mut line, &class) in x.rows_mut().into_iter().zip(&classes) {
                    let sum = std::mem::take(&mut self.sums[class]);
                    line.assign(&ndarray::ArrayView1::from(&sum));
                }
                let dataset = DatasetBase::new(x, Array1::from(classes));
                let params = MultinomialNb::params().alpha(self.alpha);
                params.fit_with(previous, &dataset).map(Linfa::Multinomial)
            }
            (Algorithm::Bernoulli, previous) => {
                let previous = match previous {
                    Some(Linfa::Bernoulli(m)) => Some(m),
                    _ => None,
                };
                let rows = std::mem::take(&mut self.rows);
                let (dim, size) = (self.dim, self.batch_size.max(rows.len()));
                let batch = self.batch.get_or_insert_with(|| Array2::zeros((size, dim)));
                write_rows(batch, rows.iter().map(|(r, _)| r), false);
                let x = batch.slice_axis(ndarray::Axis(0), ndarray::Slice::from(0..rows.len()));
                let y: Array1<usize> = rows.iter().map(|(_, c)| *c).collect();
                let params = BernoulliNb::params().alpha(self.alpha).binarize(Some(0.0));
                let fitted = params
                    .fit_with(previous, &DatasetBase::new(x, y))
                    .map(Linfa::Bernoulli);
                // The batch is left all zeros for the next one, whether or not this one fitted.
                write_rows(batch, rows.iter().map(|(r, _)| r), true);
                fitted
            }
        };
        self.model = Some(fitted.map_err(Error::Fit)?);
        Ok(())
    }

    pub fn finish(mut self) -> Result<Fitted> {
        self.flush()?;
        let model = self.model.ok_or(Error::OneClass { scam: 0, ham: 0 })?;
        Ok(Fitted {
            model,
            dim: self.dim,
            totals: self.totals,
        })
    }
}

/// Writes each row's values into its line of `x` (with `clear`, zeros over them again);
/// columns past `x`'s width are left out.
fn write_rows<'a>(x: &mut Array2<f64>, rows: impl Iterator<Item = &'a SparseVector>, clear: bool) {
    let dim = x.ncols();
    for (i, row) in rows.enumerate() {
        for (index, value) in row.iter() {
            if (index as usize) < dim {
                x[[i, index as usize]] = if clear { 0.0 } else { f64::from(value) };
            }
        }
    }
}

/// Rows as a dense matrix of `dim` columns.
#[cfg(test)]
pub(crate) fn dense<'a>(
    rows: impl Iterator<Item = &'a SparseVector>,
    n: usize,
    dim: usize,
) -> Array2<f64> {
    let mut x = Array2::zeros((n, dim));
    write_rows(&mut x, rows, false);
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

    fn fitted(algorithm: Algorithm, rows: &[(SparseVector, usize)], dim: usize) -> Fitted {
        // Multinomial in two batches, so that FitWith's folding is exercised too; linfa's
        // Bernoulli is wrong across batches, and training refuses it past one.
        let batch = match algorithm {
            Algorithm::Bernoulli => rows.len(),
            _ => rows.len().div_ceil(2),
        };
        let mut fitter = Fitter::new(algorithm, 1.0, dim, batch);
        for (row, class) in rows {
            fitter.push(row.clone(), *class).unwrap();
        }
        fitter.finish().unwrap()
    }

    fn fit(algorithm: Algorithm, rows: &[(SparseVector, usize)], dim: usize) -> NbParams {
        fitted(algorithm, rows, dim).params(algorithm, 1.0)
    }

    /// linfa fitted the plain way: every row dense, `batch` rows at a time.
    fn linfa_on_dense_rows(
        algorithm: Algorithm,
        rows: &[(SparseVector, usize)],
        dim: usize,
        batch: usize,
    ) -> Linfa {
        let mut model = None;
        for chunk in rows.chunks(batch) {
            let x = dense(chunk.iter().map(|(r, _)| r), chunk.len(), dim);
            let y: Array1<usize> = chunk.iter().map(|(_, c)| *c).collect();
            let dataset = DatasetBase::new(x, y);
            model = Some(match (algorithm, model) {
                (Algorithm::Bernoulli, previous) => {
                    let previous = previous.map(|m| match m {
                        Linfa::Bernoulli(m) => m,
                        Linfa::Multinomial(_) => unreachable!(),
                    });
                    let params = BernoulliNb::params().alpha(1.0).binarize(Some(0.0));
                    Linfa::Bernoulli(params.fit_with(previous, &dataset).unwrap())
                }
                (_, previous) => {
                    let previous = previous.map(|m| match m {
                        Linfa::Multinomial(m) => m,
                        Linfa::Bernoulli(_) => unreachable!(),
                    });
                    let params = MultinomialNb::params().alpha(1.0);
                    Linfa::Multinomial(params.fit_with(previous, &dataset).unwrap())
                }
            });
        }
        model.unwrap()
    }

    #[test]
    fn the_sparse_scorer_matches_linfa_on_dense_rows() {
        let dim = 300;
        let rows = rows(200, dim);
        for algorithm in [Algorithm::Multinomial, Algorithm::Bernoulli] {
            let fitted = fitted(algorithm, &rows, dim);
            let params = fitted.params(algorithm, 1.0);
            let scorer = Scorer::new(&params, 3, dim).unwrap();
            let reference = Fitted {
                model: linfa_on_dense_rows(algorithm, &rows, dim, rows.len()),
                dim,
                totals: fitted.totals,
            };
            let x = dense(rows.iter().map(|(r, _)| r), rows.len(), dim);
            let expected = reference.joint_log_likelihood(x.view(), &params.class_indices());
            for ((row, _), expected) in rows.iter().zip(expected) {
                let got = scorer.joint_log_likelihood(row);
                for (g, e) in got.iter().zip(&expected) {
                    assert!(e.is_finite(), "{algorithm:?}: linfa gave {e}");
                    assert!(
                        (g - e).abs() <= 1e-9 * e.abs().max(1.0),
                        "{algorithm:?}: {g} vs {e}"
                    );
                }
            }
        }
    }

    /// Each batch reaches linfa as one summed row per class: the parameters must be those
    /// of linfa folding the same batches row by row, to the bit, for whole and for
    /// fractional values (log counts) and any batch size.
    #[test]
    fn summed_batches_fit_linfas_parameters_to_the_bit() {
        let dim = 250;
        let mut rows = rows(700, dim);
        for (row, _) in &mut rows {
            for v in &mut row.values {
                *v = (1.0 + *v).ln() * 1.1;
            }
        }
        for batch in [1, 7, 64, 700] {
            let mut fitter = Fitter::new(Algorithm::Multinomial, 1.0, dim, batch);
            for (row, class) in &rows {
                fitter.push(row.clone(), *class).unwrap();
            }
            let fitted = fitter.finish().unwrap();
            let reference = Fitted {
                model: linfa_on_dense_rows(Algorithm::Multinomial, &rows, dim, batch),
                dim,
                totals: fitted.totals.clone(),
            };
            let got = fitted.params(Algorithm::Multinomial, 1.0);
            let want = reference.params(Algorithm::Multinomial, 1.0);
            assert_eq!(got.class_indices(), [0, 1, 2]);
            for (g, w) in got.classes.iter().zip(&want.classes) {
                let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
                assert_eq!(
                    bits(&g.feature_log_prob),
                    bits(&w.feature_log_prob),
                    "batch {batch}, class {}",
                    g.class
                );
            }
        }
    }

    /// What the joint log-likelihood gives back is linfa's documented estimate, computed
    /// here by hand from the rows: priors `N_c / N`, multinomial
    /// `log((n_f + α) / Σ(n + α))`, Bernoulli `log((rows with f + α) / (N_c + 2α))`.
    #[test]
    fn parameters_read_back_are_linfas_estimates() {
        let dim = 120;
        let rows = rows(150, dim);
        for algorithm in [Algorithm::Multinomial, Algorithm::Bernoulli] {
            let params = fit(algorithm, &rows, dim);
            assert_eq!(params.class_indices(), [0, 1, 2]);
            for c in &params.classes {
                let mine: Vec<&SparseVector> = rows
                    .iter()
                    .filter(|(_, class)| *class == c.class)
                    .map(|(r, _)| r)
                    .collect();
                let mut counts = vec![0.0; dim];
                for row in &mine {
                    for (i, v) in row.iter() {
                        counts[i as usize] += match algorithm {
                            Algorithm::Bernoulli => 1.0,
                            _ => f64::from(v),
                        };
                    }
                }
                let denominator = match algorithm {
                    Algorithm::Bernoulli => mine.len() as f64 + 2.0,
                    _ => counts.iter().map(|n| n + 1.0).sum(),
                };
                assert_eq!(c.class_count, mine.len());
                assert_eq!(c.feature_count, counts);
                let close = |a: f64, b: f64| (a - b).abs() <= 1e-12 * b.abs().max(1.0);
                let prior = mine.len() as f64 / rows.len() as f64;
                assert!(
                    close(c.prior, prior),
                    "{algorithm:?}: {} vs {prior}",
                    c.prior
                );
                for (got, n) in c.feature_log_prob.iter().zip(&counts) {
                    let want = ((n + 1.0) / denominator).ln();
                    assert!(close(*got, want), "{algorithm:?}: {got} vs {want}");
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
