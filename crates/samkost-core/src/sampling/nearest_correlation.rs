//! The nearest correlation matrix (Higham 2002), used to repair a target correlation matrix
//! that is symmetric with unit diagonal but not positive definite.
//!
//! Method: Higham's alternating projections with Dykstra's correction (N. J. Higham,
//! *Computing the nearest correlation matrix — a problem from finance*, IMA J. Numer. Anal. 22,
//! 329–343, 2002, Algorithm 3.3 with W = I). It alternates between the matrices with unit
//! diagonal and the positive semidefinite cone. We project onto `{X : λ_min(X) ≥ δ}` with
//! `δ = EIGEN_FLOOR` instead of the semidefinite cone, so the result is strictly positive
//! definite and has a Cholesky factor; that set is closed and convex, so the iteration still
//! converges to the nearest matrix (in the Frobenius norm) of the intersection. If the last
//! iterate's smallest eigenvalue is still below `δ/2` (the iteration stopped on its tolerance
//! just outside the set), its eigenvalues are clipped at `δ` and it is rescaled to unit
//! diagonal — the eigenvalue-clipping fallback of Rebonato & Jäckel (1999).

use nalgebra::{DMatrix, SymmetricEigen};

/// Smallest eigenvalue a correlation matrix must have to be used (and that a repair ensures).
pub const EIGEN_FLOOR: f64 = 1e-8;

/// Relative change between iterates below which the projections stop.
const TOLERANCE: f64 = 1e-12;

/// At most this many rounds of projections.
const MAX_ITERATIONS: usize = 10_000;

/// The result of [`nearest_correlation`].
#[derive(Debug, Clone)]
pub(crate) struct Nearest {
    /// The repaired matrix: symmetric, unit diagonal, smallest eigenvalue ≥ about `δ`.
    pub matrix: DMatrix<f64>,
    /// Rounds of projections used.
    pub iterations: usize,
}

/// Smallest eigenvalue of a symmetric matrix (+∞ for the empty matrix, which nalgebra's
/// eigensolver does not accept).
pub(crate) fn min_eigenvalue(m: &DMatrix<f64>) -> f64 {
    if m.is_empty() {
        return f64::INFINITY;
    }
    m.clone()
        .symmetric_eigenvalues()
        .iter()
        .copied()
        .fold(f64::INFINITY, f64::min)
}

/// The nearest (Frobenius norm) matrix to `a` with unit diagonal and eigenvalues ≥ `δ`.
/// `a` must be symmetric.
pub(crate) fn nearest_correlation(a: &DMatrix<f64>) -> Nearest {
    let mut y = a.clone();
    let mut correction = DMatrix::zeros(a.nrows(), a.ncols());
    let mut iterations = 0;
    while iterations < MAX_ITERATIONS {
        iterations += 1;
        let r = &y - &correction;
        let x = project_eigen_floor(&r);
        correction = &x - &r;
        let mut next = x.clone();
        next.fill_diagonal(1.0);
        let change = (&next - &y).norm() / next.norm();
        y = next;
        if change < TOLERANCE && (&y - &x).norm() / y.norm() < TOLERANCE.sqrt() {
            break;
        }
    }
    if min_eigenvalue(&y) < EIGEN_FLOOR / 2.0 {
        y = rescale_to_unit_diagonal(&project_eigen_floor(&y));
    }
    Nearest {
        matrix: y,
        iterations,
    }
}

/// Projection onto `{X : λ_min(X) ≥ δ}`: eigenvalues below `δ` are raised to `δ`.
fn project_eigen_floor(m: &DMatrix<f64>) -> DMatrix<f64> {
    let mut eigen = SymmetricEigen::new(m.clone());
    for lambda in eigen.eigenvalues.iter_mut() {
        *lambda = lambda.max(EIGEN_FLOOR);
    }
    let q = &eigen.eigenvectors;
    let r = q * DMatrix::from_diagonal(&eigen.eigenvalues) * q.transpose();
    // Symmetrise: the product is symmetric only up to rounding.
    (&r + r.transpose()) * 0.5
}

/// `D^{-1/2} M D^{-1/2}` with `D = diag(M)`.
fn rescale_to_unit_diagonal(m: &DMatrix<f64>) -> DMatrix<f64> {
    let scale: Vec<f64> = (0..m.nrows()).map(|i| 1.0 / m[(i, i)].sqrt()).collect();
    let mut out = DMatrix::from_fn(m.nrows(), m.ncols(), |i, j| m[(i, j)] * scale[i] * scale[j]);
    out.fill_diagonal(1.0);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn higham_2002_example() {
        // Higham (2002), section 4: the nearest correlation matrix to
        // [[1, 1, 0], [1, 1, 1], [0, 1, 1]] has off-diagonal 0.7607, 0.1573, 0.7607 (4 d.p.).
        const PUBLISHED_DECIMALS: f64 = 5e-5;
        let a = DMatrix::from_row_slice(3, 3, &[1.0, 1.0, 0.0, 1.0, 1.0, 1.0, 0.0, 1.0, 1.0]);
        let nearest = nearest_correlation(&a).matrix;
        assert!((nearest[(0, 1)] - 0.7607).abs() < PUBLISHED_DECIMALS);
        assert!((nearest[(1, 2)] - 0.7607).abs() < PUBLISHED_DECIMALS);
        assert!((nearest[(0, 2)] - 0.1573).abs() < PUBLISHED_DECIMALS);
        assert!(min_eigenvalue(&nearest) >= EIGEN_FLOOR / 2.0);
        assert!((0..3).all(|i| nearest[(i, i)] == 1.0));
    }

    #[test]
    fn clipping_fallback_gives_a_unit_diagonal() {
        let a = DMatrix::from_row_slice(2, 2, &[2.0, -3.0, -3.0, 2.0]);
        let r = rescale_to_unit_diagonal(&project_eigen_floor(&a));
        assert_eq!(r[(0, 0)], 1.0);
        assert!(min_eigenvalue(&r) > 0.0);
    }
}
