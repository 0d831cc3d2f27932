//! Shared A4 PDF layout (in progress).
