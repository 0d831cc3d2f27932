//! Grouped bars as a small SVG drawn on the server (no chart library, no
//! script, no style attribute: the pages' CSP allows neither). The approach of
//! the center's hourly chart (`board::chart`), as an edge any area may use, so
//! the hub's overview draws the same way without knowing the board.
//!
//! Readable without colour: each series has its own fill pattern (solid,
//! hatched, dotted) shown in the legend, and every bar carries its value above
//! it and in its `<title>`.

use std::fmt::Write;

/// How a series' bars are filled besides their colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fill {
    Solid,
    Hatched,
    Dotted,
}

/// One kind of bar (e.g. 予約), the same in every group.
#[derive(Clone, Debug)]
pub struct Series {
    /// `class="bar <class>"` on each bar (tests and print styles find them by it).
    pub class: &'static str,
    /// The legend's word.
    pub label: String,
    pub colour: &'static str,
    pub fill: Fill,
}

/// One slot on the axis (e.g. a day), with one value per series.
#[derive(Clone, Debug)]
pub struct Group {
    /// `data-group` on each bar.
    pub key: String,
    /// Under the slot.
    pub label: String,
    /// One per series; `None`: not known (no bar, 「–」 above its place).
    pub values: Vec<Option<i64>>,
}

#[derive(Clone, Debug)]
pub struct Chart {
    /// `aria-label` of the whole chart.
    pub label: String,
    pub series: Vec<Series>,
    pub groups: Vec<Group>,
    /// Under the axis.
    pub axis_label: String,
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// The chart as one `<svg>` element: the legend on top, the scale on the left.
pub fn svg(chart: &Chart) -> String {
    let (left, top, height, bar) = (36.0, 40.0, 140.0, 16.0);
    let slot = bar * chart.series.len().max(1) as f64 + 14.0;
    let width = (left + slot * chart.groups.len().max(1) as f64 + 8.0).max(360.0);
    let max = chart.groups.iter().flat_map(|g| g.values.iter().flatten().copied()).max().unwrap_or(0).max(1);
    let scale = height / max as f64;
    let mut out = String::new();
    let _ = write!(
        out,
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {}" role="img" aria-label="{}" font-family="sans-serif" font-size="11">"##,
        top + height + 44.0,
        escape(&chart.label)
    );
    out.push_str("<defs>");
    for series in &chart.series {
        let c = series.colour;
        let id = series.class;
        match series.fill {
            Fill::Solid => {}
            Fill::Hatched => {
                let _ = write!(
                    out,
                    r##"<pattern id="fill-{id}" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#fff"/><rect width="3" height="6" fill="{c}"/></pattern>"##
                );
            }
            Fill::Dotted => {
                let _ = write!(
                    out,
                    r##"<pattern id="fill-{id}" width="5" height="5" patternUnits="userSpaceOnUse"><rect width="5" height="5" fill="#fff"/><circle cx="2.5" cy="2.5" r="1.6" fill="{c}"/></pattern>"##
                );
            }
        }
    }
    out.push_str("</defs>");
    let paint = |series: &Series| match series.fill {
        Fill::Solid => series.colour.to_string(),
        _ => format!("url(#fill-{})", series.class),
    };
    let mut x = left;
    for series in &chart.series {
        let _ = write!(
            out,
            r##"<rect x="{x}" y="6" width="12" height="12" fill="{}" stroke="{}"/><text x="{}" y="16">{}</text>"##,
            paint(series),
            series.colour,
            x + 16.0,
            escape(&series.label)
        );
        x += 24.0 + 12.0 * series.label.chars().count() as f64;
    }
    let base = top + height;
    let _ = write!(
        out,
        r##"<line x1="{left}" y1="{base}" x2="{}" y2="{base}" stroke="#888"/><line x1="{left}" y1="{top}" x2="{left}" y2="{base}" stroke="#888"/><text x="{}" y="{}" text-anchor="end">{max}</text><text x="{}" y="{base}" text-anchor="end">0</text>"##,
        width - 8.0,
        left - 4.0,
        top + 4.0,
        left - 4.0,
    );
    for (n, group) in chart.groups.iter().enumerate() {
        let x0 = left + slot * n as f64 + 7.0;
        for (k, series) in chart.series.iter().enumerate() {
            let x = x0 + bar * k as f64;
            let Some(value) = group.values.get(k).copied().flatten() else {
                let _ = write!(
                    out,
                    r##"<text class="unknown {}" data-group="{}" x="{}" y="{}" text-anchor="middle" font-size="9">–</text>"##,
                    series.class,
                    escape(&group.key),
                    x + (bar - 2.0) / 2.0,
                    base - 2.0,
                );
                continue;
            };
            let h = value as f64 * scale;
            let _ = write!(
                out,
                r##"<rect class="bar {}" data-group="{}" data-value="{value}" x="{x}" y="{}" width="{}" height="{h}" fill="{}" stroke="{}"><title>{} {}: {value}</title></rect><text x="{}" y="{}" text-anchor="middle" font-size="9">{value}</text>"##,
                series.class,
                escape(&group.key),
                base - h,
                bar - 2.0,
                paint(series),
                series.colour,
                escape(&group.label),
                escape(&series.label),
                x + (bar - 2.0) / 2.0,
                base - h - 2.0,
            );
        }
        let _ = write!(
            out,
            r##"<text x="{}" y="{}" text-anchor="middle">{}</text>"##,
            x0 + bar * chart.series.len() as f64 / 2.0,
            base + 14.0,
            escape(&group.label)
        );
    }
    let _ = write!(
        out,
        r##"<text x="{}" y="{}" text-anchor="middle">{}</text></svg>"##,
        width / 2.0,
        base + 32.0,
        escape(&chart.axis_label)
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_to_the_largest_and_carry_their_values() {
        let chart = Chart {
            label: "days".into(),
            series: vec![
                Series { class: "a", label: "A".into(), colour: "#1c7ed6", fill: Fill::Solid },
                Series { class: "b", label: "B<".into(), colour: "#f76707", fill: Fill::Hatched },
            ],
            groups: vec![
                Group { key: "d1".into(), label: "12-01".into(), values: vec![Some(10), Some(5)] },
                Group { key: "d2".into(), label: "12-02".into(), values: vec![Some(0), Some(20)] },
            ],
            axis_label: "day".into(),
        };
        let drawn = svg(&chart);
        let doc = roxmltree::Document::parse(&drawn).expect("well-formed");
        let height = |class: &str, group: &str| {
            doc.descendants()
                .find(|n| n.attribute("class") == Some(class) && n.attribute("data-group") == Some(group))
                .and_then(|n| n.attribute("height"))
                .and_then(|h| h.parse::<f64>().ok())
                .unwrap()
        };
        assert_eq!(height("bar b", "d2"), 140.0, "the largest fills the height");
        assert_eq!(height("bar a", "d1"), 70.0);
        assert_eq!(height("bar a", "d2"), 0.0);
        assert!(drawn.contains("url(#fill-b)"), "hatched, not colour alone");
        assert!(drawn.contains("B&lt;"), "words are escaped");
        let unknown =
            Chart { groups: vec![Group { key: "d3".into(), label: "x".into(), values: vec![Some(1), None] }], ..chart };
        let drawn = svg(&unknown);
        assert!(drawn.contains(r#"class="unknown b""#) && !drawn.contains(r#"class="bar b""#), "not known: no bar");
    }
}
