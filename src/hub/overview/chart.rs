//! The overview's chart: per day, booked vs came vs walk-ins (summed over the
//! centers shown), drawn by the shared [`crate::bar_chart`]; walk-ins of a
//! day nobody has reported are not drawn (「–」), not drawn as 0.

use super::figures::DayTotal;
use crate::bar_chart::{self, Chart, Fill, Group, Series};
use crate::i18n::{Lang, word};

pub fn svg(days: &[DayTotal], lang: Lang) -> String {
    let series = |class: &'static str, key: &str, colour: &'static str, fill: Fill| Series {
        class,
        label: word(lang, &format!("hub_overview.chart.{key}")).into_owned(),
        colour,
        fill,
    };
    bar_chart::svg(&Chart {
        label: word(lang, "hub_overview.chart.label").into_owned(),
        series: vec![
            series("booked", "booked", "#1c7ed6", Fill::Solid),
            series("came", "came", "#2b8a3e", Fill::Hatched),
            series("walk-ins", "walk_ins", "#f76707", Fill::Dotted),
        ],
        groups: days
            .iter()
            .map(|d| Group {
                key: d.day.to_string(),
                label: d.day.format("%m-%d").to_string(),
                values: vec![Some(d.booked), Some(d.came), d.walk_ins],
            })
            .collect(),
        axis_label: word(lang, "hub_overview.chart.day_axis").into_owned(),
    })
}
