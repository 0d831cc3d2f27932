//! On a drill server, the run takes a step several times a real second, so
//! injects fire within a fraction of a drill minute even at 120×.

use std::sync::Arc;
use std::time::Duration;

use super::run::DrillRun;

const EVERY: Duration = Duration::from_millis(200);

pub async fn run(drill: Arc<DrillRun>) {
    let mut tick = tokio::time::interval(EVERY);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        if let Err(error) = drill.step().await {
            tracing::warn!(error = %error.message.en, "drill step failed; will retry");
        }
    }
}
