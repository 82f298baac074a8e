//! How values print: `print`/interpolation text and the quoted form inside containers (placeholder until the runtime lands).
