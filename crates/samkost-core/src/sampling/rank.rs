//! Ranks and rank correlation (Spearman's ρ), shared by rank-correlation induction and the
//! sensitivity measures.

/// Ranks of `values`, 1-based, with ties given their average rank (so that Spearman's ρ is
/// the Pearson correlation of the ranks). NaN sorts last (`f64::total_cmp`).
pub fn ranks(values: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
    let mut ranks = vec![0.0; values.len()];
    let mut start = 0;
    while start < order.len() {
        let mut end = start + 1;
        while end < order.len() && values[order[end]] == values[order[start]] {
            end += 1;
        }
        // Positions start..end (0-based) share the mean of ranks start+1 ..= end.
        let rank = (start + end + 1) as f64 / 2.0;
        for &i in &order[start..end] {
            ranks[i] = rank;
        }
        start = end;
    }
    ranks
}

/// Pearson's correlation of two equally long slices; NaN when either is constant.
pub fn pearson(x: &[f64], y: &[f64]) -> f64 {
    debug_assert_eq!(x.len(), y.len());
    let n = x.len() as f64;
    let mean_x = x.iter().sum::<f64>() / n;
    let mean_y = y.iter().sum::<f64>() / n;
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in x.iter().zip(y) {
        let (dx, dy) = (a - mean_x, b - mean_y);
        sxy += dx * dy;
        sxx += dx * dx;
        syy += dy * dy;
    }
    sxy / (sxx * syy).sqrt()
}

/// Spearman's rank correlation of two equally long slices (average ranks for ties).
pub fn spearman(x: &[f64], y: &[f64]) -> f64 {
    pearson(&ranks(x), &ranks(y))
}

/// Spearman's ρ between every pair of columns of a row-major sample with `n_cols` columns,
/// as a row-major `n_cols × n_cols` matrix (what a run achieved, to show next to its target).
pub fn spearman_matrix(samples: &[f64], n_cols: usize) -> Vec<f64> {
    let n_rows = samples.len().checked_div(n_cols).unwrap_or(0);
    let column_ranks: Vec<Vec<f64>> = (0..n_cols)
        .map(|j| {
            ranks(
                &(0..n_rows)
                    .map(|r| samples[r * n_cols + j])
                    .collect::<Vec<_>>(),
            )
        })
        .collect();
    let mut out = vec![0.0; n_cols * n_cols];
    for i in 0..n_cols {
        out[i * n_cols + i] = 1.0;
        for j in 0..i {
            let rho = pearson(&column_ranks[i], &column_ranks[j]);
            out[i * n_cols + j] = rho;
            out[j * n_cols + i] = rho;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ties_get_average_ranks() {
        assert_eq!(ranks(&[3.0, 1.0, 3.0, 2.0]), vec![3.5, 1.0, 3.5, 2.0]);
    }

    #[test]
    fn spearman_of_a_monotone_transform_is_one() {
        let x: Vec<f64> = (0..50).map(|i| f64::from(i) * 0.37).collect();
        let y: Vec<f64> = x.iter().map(|v| v.exp()).collect();
        let z: Vec<f64> = x.iter().map(|v| -v * v * v).collect();
        assert!((spearman(&x, &y) - 1.0).abs() < 1e-15);
        assert!((spearman(&x, &z) + 1.0).abs() < 1e-15);
    }

    #[test]
    fn spearman_matches_the_textbook_formula_without_ties() {
        // ρ = 1 − 6 Σ d² / (n (n² − 1)) when there are no ties.
        let x = [1.0, 2.0, 3.0, 4.0, 5.0];
        let y = [2.0, 1.0, 4.0, 3.0, 5.0];
        let d2 = 4.0;
        let expected = 1.0 - 6.0 * d2 / (5.0 * 24.0);
        assert!((spearman(&x, &y) - expected).abs() < 1e-15);
        let m = spearman_matrix(&[1.0, 2.0, 2.0, 1.0, 3.0, 4.0, 4.0, 3.0, 5.0, 5.0], 2);
        assert!((m[1] - expected).abs() < 1e-15 && m[1] == m[2] && m[0] == 1.0);
    }
}
