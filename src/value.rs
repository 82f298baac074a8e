//! NaN-boxed values (placeholder until the runtime lands).
