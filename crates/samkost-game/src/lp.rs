//! A small linear-programming front end over Clarabel's interior-point solver: the only
//! place that knows the solver's API.
//!
//! Problems are `min qᵀy` subject to equality rows `aᵀy = b` and inequality rows
//! `aᵀy ≤ b`, with free variables. The solution carries the inequality duals `z ≥ 0` and
//! slacks `s = b − aᵀy ≥ 0`. An interior-point method converges to a strictly
//! complementary pair (Güler & Ye 1993, "Convergence behavior of interior-point
//! algorithms", Math. Programming 60:215–228), which the nucleolus uses to identify the
//! coalitions that are tight in every optimum.

use clarabel::algebra::CscMatrix;
use clarabel::solver::{
    DefaultSettings, DefaultSolver, IPSolver, NonnegativeConeT, SolverStatus, SupportedConeT,
    ZeroConeT,
};

use crate::GameError;

/// One constraint row: sparse coefficients `(variable, value)` and the right-hand side.
#[derive(Debug, Clone)]
pub(crate) struct Row {
    pub(crate) coefs: Vec<(usize, f64)>,
    pub(crate) rhs: f64,
}

/// A linear program with free variables.
#[derive(Debug, Clone, Default)]
pub(crate) struct Lp {
    pub(crate) n_vars: usize,
    pub(crate) objective: Vec<f64>,
    pub(crate) equalities: Vec<Row>,
    pub(crate) inequalities: Vec<Row>,
}

/// Primal and dual solution of an [`Lp`].
#[derive(Debug, Clone)]
pub(crate) struct LpSolution {
    pub(crate) y: Vec<f64>,
    /// Duals of the inequality rows, `≥ 0`, in row order.
    pub(crate) duals: Vec<f64>,
    /// Slacks `b − aᵀy` of the inequality rows, in row order.
    pub(crate) slacks: Vec<f64>,
}

/// Solver tolerance. Clarabel's default is 1e-8; the nucleolus identifies tight coalitions
/// from the duals, so it asks for a little more.
const SOLVER_TOL: f64 = 1e-10;

impl Lp {
    /// Solves the program; `stage` names it in errors.
    pub(crate) fn solve(&self, stage: &str) -> Result<LpSolution, GameError> {
        let n_eq = self.equalities.len();
        let m = n_eq + self.inequalities.len();
        let (mut rows, mut cols, mut vals) = (Vec::new(), Vec::new(), Vec::new());
        for (r, row) in self.equalities.iter().chain(&self.inequalities).enumerate() {
            for &(c, v) in &row.coefs {
                rows.push(r);
                cols.push(c);
                vals.push(v);
            }
        }
        let a = CscMatrix::new_from_triplets(m, self.n_vars, rows, cols, vals);
        let p = CscMatrix::<f64>::zeros((self.n_vars, self.n_vars));
        let b: Vec<f64> = self
            .equalities
            .iter()
            .chain(&self.inequalities)
            .map(|r| r.rhs)
            .collect();
        let mut cones: Vec<SupportedConeT<f64>> = Vec::with_capacity(2);
        if n_eq > 0 {
            cones.push(ZeroConeT(n_eq));
        }
        if m > n_eq {
            cones.push(NonnegativeConeT(m - n_eq));
        }
        let settings = DefaultSettings {
            verbose: false,
            presolve_enable: false,
            tol_gap_abs: SOLVER_TOL,
            tol_gap_rel: SOLVER_TOL,
            tol_feas: SOLVER_TOL,
            tol_ktratio: 1e-8,
            max_iter: 400,
            ..DefaultSettings::default()
        };
        let mut solver = DefaultSolver::new(&p, &self.objective, &a, &b, &cones, settings);
        solver.solve();
        let solution = &solver.solution;
        match solution.status {
            SolverStatus::Solved | SolverStatus::AlmostSolved => Ok(LpSolution {
                y: solution.x.clone(),
                duals: solution.z[n_eq..].to_vec(),
                slacks: solution.s[n_eq..].to_vec(),
            }),
            status => Err(GameError::LpFailed {
                stage: stage.to_string(),
                status: format!("{status:?}"),
            }),
        }
    }
}
