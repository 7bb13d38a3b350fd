//! Platt scaling: naive-Bayes log-odds are overconfident, so the scam probability is a
//! logistic function of them fitted on out-of-fold scores.

use serde::{Deserialize, Serialize};

/// `p = 1 / (1 + exp(-(a · log_odds + b)))`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Calibration {
    /// Slope.
    pub a: f64,
    /// Intercept.
    pub b: f64,
}

impl Default for Calibration {
    /// The plain logistic of the log-odds.
    fn default() -> Self {
        Calibration { a: 1.0, b: 0.0 }
    }
}

impl Calibration {
    /// The calibrated probability of a log-odds; finite log-odds give a finite probability.
    pub fn probability(&self, log_odds: f64) -> f64 {
        let z = (self.a * log_odds + self.b).clamp(-700.0, 700.0);
        1.0 / (1.0 + (-z).exp())
    }

    /// Fits `a` and `b` by Newton's method on `(log_odds, is_scam)` pairs, with Platt's
    /// smoothed targets so that a perfectly separated set does not push `a` to infinity.
    pub fn fit(scores: &[(f64, bool)]) -> Calibration {
        let positives = scores.iter().filter(|(_, y)| *y).count() as f64;
        let negatives = scores.len() as f64 - positives;
        if positives == 0.0 || negatives == 0.0 {
            return Calibration::default();
        }
        let hi = (positives + 1.0) / (positives + 2.0);
        let lo = 1.0 / (negatives + 2.0);
        let targets: Vec<(f64, f64)> = scores
            .iter()
            .map(|&(s, y)| (s.clamp(-1e6, 1e6), if y { hi } else { lo }))
            .collect();
        // Cross-entropy against the smoothed targets: convex, so Newton steps with
        // backtracking converge from Platt's starting point.
        let loss = |a: f64, b: f64| -> f64 {
            targets
                .iter()
                .map(|&(s, t)| {
                    let z = a * s + b;
                    // log(1 + e^z) - t z, computed without overflow.
                    let softplus = if z > 0.0 {
                        z + (-z).exp().ln_1p()
                    } else {
                        z.exp().ln_1p()
                    };
                    softplus - t * z
                })
                .sum()
        };
        let (mut a, mut b) = (0.0, ((positives + 1.0) / (negatives + 1.0)).ln());
        let mut current = loss(a, b);
        for _ in 0..100 {
            let (mut ga, mut gb, mut haa, mut hab, mut hbb) = (0.0, 0.0, 1e-12, 0.0, 1e-12);
            for &(s, t) in &targets {
                let p = Calibration { a, b }.probability(s);
                let w = p * (1.0 - p);
                ga += (p - t) * s;
                gb += p - t;
                haa += w * s * s;
                hab += w * s;
                hbb += w;
            }
            let det = haa * hbb - hab * hab;
            if det.abs() < 1e-300 {
                break;
            }
            let da = (hbb * ga - hab * gb) / det;
            let db = (haa * gb - hab * ga) / det;
            let mut step = 1.0;
            let improved = loop {
                let (na, nb) = (a - step * da, b - step * db);
                let next = loss(na, nb);
                if next <= current {
                    break Some((na, nb, next));
                }
                step /= 2.0;
                if step < 1e-10 {
                    break None;
                }
            };
            let Some((na, nb, next)) = improved else {
                break;
            };
            let done = (current - next).abs() < 1e-12 * current.abs().max(1.0);
            (a, b, current) = (na, nb, next);
            if done {
                break;
            }
        }
        if a.is_finite() && b.is_finite() && a > 0.0 {
            Calibration { a, b }
        } else {
            Calibration::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calibrated_probabilities_follow_the_data() {
        // Log-odds of 10 mean 80 % scam here, not 99.995 %.
        let mut scores = Vec::new();
        for i in 0..100 {
            scores.push((10.0, i % 5 != 0));
            scores.push((-10.0, i % 5 == 0));
        }
        let c = Calibration::fit(&scores);
        assert!((c.probability(10.0) - 0.8).abs() < 0.02, "{c:?}");
        assert!((c.probability(-10.0) - 0.2).abs() < 0.02, "{c:?}");
    }

    #[test]
    fn extreme_inputs_stay_finite() {
        let c = Calibration::fit(&[(1e300, true), (-1e300, false), (0.0, true)]);
        for s in [f64::MAX, -f64::MAX, 0.0] {
            let p = c.probability(s);
            assert!(p.is_finite() && (0.0..=1.0).contains(&p));
        }
        assert_eq!(Calibration::fit(&[(1.0, true)]), Calibration::default());
    }
}
