//! Team suggestions for waiting needs: pure domain code.
