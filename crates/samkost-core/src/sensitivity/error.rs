//! Why a sensitivity analysis could not be carried out: one typed error for the module.

use crate::sampling::DesignError;

/// Why a sensitivity analysis could not be carried out.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SensitivityError {
    /// No inputs to analyse.
    #[error("a sensitivity analysis needs at least one input")]
    NoInputs,
    /// Saltelli's scheme with a Sobol' design needs `N = 2^m`.
    #[error("the number of base samples must be a power of two (at least 2), got {0}")]
    NotPowerOfTwo(usize),
    /// The outputs do not match the design.
    #[error("expected {expected} outputs, one per design row, got {got}")]
    OutputCount {
        /// Rows of the design.
        expected: usize,
        /// Outputs given.
        got: usize,
    },
    /// The inputs do not match the distributions or the outputs.
    #[error("expected {expected} inputs, got {got}")]
    InputCount {
        /// Inputs expected.
        expected: usize,
        /// Inputs given.
        got: usize,
    },
    /// An output was NaN or infinite.
    #[error("output {row} must be a finite number, got {value}")]
    NonFiniteOutput {
        /// Index of the first offending output.
        row: usize,
        /// Its value.
        value: f64,
    },
    /// The output does not vary, so variance shares are undefined.
    #[error("the output does not vary over the sample, so its variance cannot be apportioned")]
    ZeroVariance,
    /// An input does not vary, so its regression coefficient is undefined.
    #[error("input {input} does not vary over the sample")]
    ConstantInput {
        /// Index of the input.
        input: usize,
    },
    /// Inputs are linearly dependent, so regression coefficients are not identified.
    #[error("the inputs are linearly dependent (input {input} is a combination of the others)")]
    Collinear {
        /// Index of the first input found to depend on the ones before it.
        input: usize,
    },
    /// Too few draws for the number of inputs.
    #[error("a regression on {inputs} inputs needs more than {inputs} draws, got {rows}")]
    TooFewRows {
        /// Draws given.
        rows: usize,
        /// Inputs.
        inputs: usize,
    },
    /// A confidence level outside (0, 1).
    #[error("the confidence level must be in (0, 1), got {0}")]
    ConfidenceLevel(f64),
    /// A probability for a quantile outside (0, 1).
    #[error("quantile probabilities must be in (0, 1), got {0}")]
    Probability(f64),
    /// The Morris grid needs an even number of levels.
    #[error("the Morris grid needs an even number of levels, at least 2, got {0}")]
    MorrisLevels(usize),
    /// Morris statistics need at least two trajectories.
    #[error("Morris screening needs at least 2 trajectories, got {0}")]
    TooFewTrajectories(usize),
    /// The underlying design could not be built.
    #[error(transparent)]
    Design(#[from] DesignError),
}
