//! The garbage-collected heap (placeholder until the runtime lands).
