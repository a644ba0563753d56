//! The pure core of samkost: distributions, the coalition cost model, allocation keys and the
//! Monte Carlo driver.
//!
//! Modules depend inward only: `simulation` → `allocation` → `games` → `model`, `draws`,
//! `stats`, `sampling`; `sensitivity` uses `simulation`'s per-draw kernel. Nothing in this crate does I/O, prints, or knows a file format.

pub mod allocation;
pub mod design;
pub mod draws;
pub mod games;
pub mod model;
pub mod sampling;
pub mod sensitivity;
pub mod simulation;
pub mod stats;
