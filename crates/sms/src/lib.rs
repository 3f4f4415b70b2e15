//! scratch
pub mod number;
