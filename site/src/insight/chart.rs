//! Small SVG charts: a line chart over days and a bar chart over labels. No script library
//! (the dashboard is wasm under a strict CSP): scales and ticks are computed here, colours
//! come from the stylesheet's custom properties (`--chart-1`…), and every chart carries a
//! visually hidden table of its numbers for screen readers. The line chart shows a tooltip
//! for the day under the pointer, or the day chosen with the arrow keys when it has focus.

use chrono::NaiveDate;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::text::{day_tick, number};
use crate::ctx;

/// The drawing's coordinate space (it scales to the card's width).
const W: f64 = 640.0;
const H: f64 = 220.0;
const LEFT: f64 = 54.0;
const RIGHT: f64 = 40.0;
const TOP: f64 = 14.0;
const BOTTOM: f64 = 28.0;
/// Day labels along the bottom, at most.
const X_TICKS: usize = 6;

/// One line of a chart.
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    pub label: String,
    /// `s1`…`s4`: which `--chart-n` colour it takes.
    pub class: &'static str,
    pub values: Vec<u32>,
}

/// The value axis: its top and the ticks from 0, on steps of 1, 2 or 5 times a power of
/// ten, about four of them.
pub fn ticks(max: u32) -> (u32, Vec<u32>) {
    let raw = max.div_ceil(4).max(1);
    let mut power = 1u32;
    let step = loop {
        if let Some(step) = [1u32, 2, 5]
            .into_iter()
            .map(|m| m.saturating_mul(power))
            .find(|s| *s >= raw)
        {
            break step;
        }
        power = power.saturating_mul(10);
    };
    let top = max.div_ceil(step).max(1).saturating_mul(step);
    let ticks = (0..=top / step).map(|i| i * step).collect();
    (top, ticks)
}

/// The positions along the bottom that get a label: the first, the last and evenly between.
pub fn label_positions(n: usize) -> Vec<usize> {
    if n <= X_TICKS {
        return (0..n).collect();
    }
    let gaps = X_TICKS - 1;
    (0..=gaps).map(|i| i * (n - 1) / gaps).collect()
}

fn y_of(value: u32, top: u32) -> f64 {
    TOP + (1.0 - f64::from(value) / f64::from(top.max(1))) * (H - TOP - BOTTOM)
}

fn x_of(i: usize, n: usize) -> f64 {
    if n <= 1 {
        return (LEFT + W - RIGHT) / 2.0;
    }
    LEFT + (i as f64) * (W - LEFT - RIGHT) / ((n - 1) as f64)
}

/// Value gridlines and their labels.
fn y_axis(ticks: &[u32], top: u32) -> impl IntoView + use<> {
    ticks
        .iter()
        .map(|t| {
            let y = y_of(*t, top);
            view! {
                <line class="qd-grid" x1=LEFT x2=W - RIGHT y1=y y2=y/>
                <text class="qd-tick" x=LEFT - 6.0 y=y + 4.0 text-anchor="end">{number(u64::from(*t))}</text>
            }
        })
        .collect_view()
}

/// The colour key of several series.
fn legend(series: &[Series]) -> impl IntoView + use<> {
    (series.len() > 1).then(|| {
        let items = series
            .iter()
            .map(|s| {
                let class = format!("qd-swatch {}", s.class);
                view! { <li><span class=class aria-hidden="true"></span>{s.label.clone()}</li> }
            })
            .collect_view();
        view! { <ul class="qd-legend">{items}</ul> }
    })
}

/// Values per day, one line per series, with a tooltip for the day under the pointer or
/// chosen by keyboard.
#[component]
pub fn LineChart(
    /// The days along the bottom, oldest first.
    days: Vec<NaiveDate>,
    /// The lines; each has one value per day.
    series: Vec<Series>,
    /// What the chart shows, for its accessible name and its table's caption.
    caption: String,
    #[prop(optional)] testid: &'static str,
) -> impl IntoView {
    let ctx = ctx();
    let locale = ctx.locale.get_untracked();
    let n = days.len();
    let max = series
        .iter()
        .flat_map(|s| s.values.iter().copied())
        .max()
        .unwrap_or(0);
    let (top, y_ticks) = ticks(max);
    let hover = RwSignal::new(None::<usize>);

    let lines = series
        .iter()
        .map(|s| {
            let points: Vec<String> = s
                .values
                .iter()
                .enumerate()
                .map(|(i, v)| format!("{:.1},{:.1}", x_of(i, n), y_of(*v, top)))
                .collect();
            let radius = if n > 31 { 1.6 } else { 3.0 };
            let dots = s
                .values
                .iter()
                .enumerate()
                .map(|(i, v)| {
                    let class = format!("qd-dot {}", s.class);
                    view! { <circle class=class data-testid="point" cx=x_of(i, n) cy=y_of(*v, top) r=radius/> }
                })
                .collect_view();
            let class = format!("qd-line {}", s.class);
            view! {
                <g data-series=s.label.clone()>
                    <polyline class=class points=points.join(" ")/>
                    {dots}
                </g>
            }
        })
        .collect_view();
    let x_labels = label_positions(n)
        .into_iter()
        .filter_map(|i| days.get(i).map(|d| (i, *d)))
        .map(|(i, day)| {
            view! { <text class="qd-tick" x=x_of(i, n) y=H - 6.0 text-anchor="middle">{day_tick(locale, day)}</text> }
        })
        .collect_view();

    // The pointer's day: the nearest position along the bottom.
    let pointer = move |ev: leptos::ev::MouseEvent| {
        let Some(svg) = ev
            .current_target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        else {
            return;
        };
        let rect = svg.get_bounding_client_rect();
        if rect.width() <= 0.0 || n == 0 {
            return;
        }
        let x = (f64::from(ev.client_x()) - rect.left()) / rect.width() * W;
        let step = if n > 1 {
            (W - LEFT - RIGHT) / ((n - 1) as f64)
        } else {
            1.0
        };
        let i = ((x - LEFT) / step)
            .round()
            .clamp(0.0, (n.max(1) - 1) as f64);
        hover.set(Some(i as usize));
    };
    let keys = move |ev: leptos::ev::KeyboardEvent| {
        if n == 0 {
            return;
        }
        let now = hover.get_untracked().unwrap_or(n - 1);
        let next = match ev.key().as_str() {
            "ArrowLeft" => now.saturating_sub(1),
            "ArrowRight" => (now + 1).min(n - 1),
            "Home" => 0,
            "End" => n - 1,
            "Escape" => {
                hover.set(None);
                return;
            }
            _ => return,
        };
        ev.prevent_default();
        hover.set(Some(next));
    };

    let tip_days = days.clone();
    let tip_series = series.clone();
    let tooltip = move || {
        let i = hover.get()?;
        let day = *tip_days.get(i)?;
        let left = x_of(i, n) / W * 100.0;
        // Keep the box inside the card at either end.
        let shift = if left < 20.0 {
            "0%"
        } else if left > 80.0 {
            "-100%"
        } else {
            "-50%"
        };
        let rows = tip_series
            .iter()
            .map(|s| {
                let class = format!("qd-swatch {}", s.class);
                let value = s.values.get(i).copied().unwrap_or(0);
                view! { <li><span class=class aria-hidden="true"></span>{s.label.clone()}": "<b>{number(u64::from(value))}</b></li> }
            })
            .collect_view();
        Some(view! {
            <div class="qd-tooltip" data-testid="chart-tooltip"
                style=format!("left: {left:.2}%; transform: translateX({shift})")>
                <strong>{super::text::day_long(locale, day)}</strong>
                <ul>{rows}</ul>
            </div>
        })
    };
    let guide = move || {
        hover.get().map(|i| {
            let x = x_of(i, n);
            view! { <line class="qd-guide" x1=x x2=x y1=TOP y2=H - BOTTOM/> }
        })
    };

    let table_rows = days
        .iter()
        .enumerate()
        .map(|(i, day)| {
            let cells = series
                .iter()
                .map(|s| view! { <td>{number(u64::from(s.values.get(i).copied().unwrap_or(0)))}</td> })
                .collect_view();
            view! { <tr><th scope="row">{super::text::day_long(locale, *day)}</th>{cells}</tr> }
        })
        .collect_view();
    let table_head = series
        .iter()
        .map(|s| view! { <th scope="col">{s.label.clone()}</th> })
        .collect_view();
    let hint = ctx.t().chart_keys_hint();

    view! {
        <figure class="qd-chart" data-testid=testid data-points=n>
            {legend(&series)}
            <div class="qd-chart-area" tabindex="0" role="group"
                aria-label=format!("{caption}. {hint}")
                on:keydown=keys on:focus=move |_| hover.set(Some(n.saturating_sub(1)))
                on:blur=move |_| hover.set(None)>
                <svg viewBox=format!("0 0 {W} {H}") aria-hidden="true" focusable="false"
                    on:mousemove=pointer on:mouseleave=move |_| hover.set(None)>
                    {y_axis(&y_ticks, top)}
                    {x_labels}
                    {guide}
                    {lines}
                </svg>
                {tooltip}
            </div>
            <div class="qd-visually-hidden"><table>
                <caption>{caption.clone()}</caption>
                <thead><tr><th scope="col">{ctx.t().chart_day()}</th>{table_head}</tr></thead>
                <tbody>{table_rows}</tbody>
            </table></div>
        </figure>
    }
}

/// One bar per label, its value written above it.
#[component]
pub fn BarChart(
    /// `(label, value)`, in the order drawn.
    bars: Vec<(String, u32)>,
    /// What the chart shows, for its accessible name and its table's caption.
    caption: String,
    /// The header of the labels' column in the table.
    label_header: String,
    #[prop(optional)] testid: &'static str,
) -> impl IntoView {
    let n = bars.len();
    let max = bars.iter().map(|(_, v)| *v).max().unwrap_or(0);
    let (top, y_ticks) = ticks(max);
    let slot = (W - LEFT - RIGHT) / (n.max(1) as f64);
    let width = (slot * 0.6).min(64.0);
    let drawn = bars
        .iter()
        .enumerate()
        .map(|(i, (label, value))| {
            let cx = LEFT + slot * (i as f64 + 0.5);
            let y = y_of(*value, top);
            let height = (H - BOTTOM - y).max(0.0);
            view! {
                <g>
                    <rect class="qd-bar" data-testid="bar" data-value=*value x=cx - width / 2.0 y=y
                        width=width height=height rx="3"/>
                    <text class="qd-bar-value" x=cx y=y - 5.0 text-anchor="middle">{number(u64::from(*value))}</text>
                    <text class="qd-tick" x=cx y=H - 6.0 text-anchor="middle">{label.clone()}</text>
                </g>
            }
        })
        .collect_view();
    let rows = bars
        .iter()
        .map(|(label, value)| view! { <tr><th scope="row">{label.clone()}</th><td>{number(u64::from(*value))}</td></tr> })
        .collect_view();
    view! {
        <figure class="qd-chart" data-testid=testid data-bars=n>
            <svg viewBox=format!("0 0 {W} {H}") role="img" aria-label=caption.clone()>
                {y_axis(&y_ticks, top)}
                {drawn}
            </svg>
            <div class="qd-visually-hidden"><table>
                <caption>{caption}</caption>
                <thead><tr><th scope="col">{label_header}</th><th scope="col">"#"</th></tr></thead>
                <tbody>{rows}</tbody>
            </table></div>
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round_and_cover_the_largest_value() {
        assert_eq!(ticks(0), (1, vec![0, 1]));
        assert_eq!(ticks(3), (3, vec![0, 1, 2, 3]));
        assert_eq!(ticks(7), (8, vec![0, 2, 4, 6, 8]));
        assert_eq!(ticks(95), (100, vec![0, 50, 100]));
        assert_eq!(ticks(1234), (1500, vec![0, 500, 1000, 1500]));
    }

    #[test]
    fn day_labels_include_both_ends() {
        assert_eq!(label_positions(3), vec![0, 1, 2]);
        let many = label_positions(90);
        assert_eq!(many.first(), Some(&0));
        assert_eq!(many.last(), Some(&89));
        assert_eq!(many.len(), X_TICKS);
    }
}
