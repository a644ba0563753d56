//! samkost: does an inter-municipal ICT cooperation pay off for each member, and which
//! cost-allocation key keeps it a win-win?
//!
//! The pure core (model, sampling, allocation keys, Monte Carlo driver) lives in the
//! `samkost-core` crate. This crate adds the edges: the scenario format ([`scenario`]), the
//! output formats ([`report`]) and the command line ([`cli`]). [`allocate`] applies the
//! `samkost-game` crate's solution concepts to a game read from a game file.

pub mod allocate;
pub mod cli;
pub mod design;
pub mod report;
pub mod scenario;
