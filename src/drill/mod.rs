//! Drill mode (訓練モード). So far: scenario files and `borasen drill check`;
//! running a drill, the trainer console, the evaluator and the AAR are next.

pub mod check;
pub mod scenario;
