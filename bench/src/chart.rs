//! The scaling benchmark's chart (SVG).

use std::path::Path;

use crate::scaling::ScalePoint;
use crate::stats::ms;

pub fn chart(path: &Path, base_name: &str, points: &[ScalePoint]) -> Result<(), String> {
    use plotters::prelude::*;

    let e = |e: DrawingAreaErrorKind<_>| e.to_string();
    let total: Vec<(f64, f64)> = points.iter().map(|p| (p.measured.operations as f64, ms(p.whole().median))).collect();
    let per_op: Vec<(f64, f64)> =
        points.iter().map(|p| (p.measured.operations as f64, p.per_op().as_secs_f64() * 1e6)).collect();
    let first_per_op_ms = total[0].1 / total[0].0.max(1.0);
    let max_ops = total.iter().map(|p| p.0).fold(1.0, f64::max);
    let max_ms = total.iter().map(|p| p.1).fold(1.0, f64::max).max(max_ops * first_per_op_ms);
    let max_per_op = per_op.iter().map(|p| p.1).fold(1.0, f64::max);

    let root = SVGBackend::new(path, (1000, 440)).into_drawing_area();
    root.fill(&WHITE).map_err(e)?;
    let root = root
        .titled(
            &format!(
                "Generation time of {base_name} repeated 1×–{}× (median, release build)",
                points.last().map_or(1, |p| p.factor)
            ),
            ("sans-serif", 18),
        )
        .map_err(e)?;
    let (left, right) = root.split_horizontally(500);

    let mut chart = ChartBuilder::on(&left)
        .caption("whole run", ("sans-serif", 15))
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(60)
        .build_cartesian_2d(0.0..max_ops * 1.05, 0.0..max_ms * 1.1)
        .map_err(e)?;
    chart
        .configure_mesh()
        .x_desc("operations")
        .y_desc("milliseconds")
        .x_label_formatter(&|x| format!("{x:.0}"))
        .y_label_formatter(&|y| format!("{y:.0}"))
        .draw()
        .map_err(e)?;
    let linear = vec![(0.0, 0.0), (max_ops, max_ops * first_per_op_ms)];
    chart
        .draw_series(DashedLineSeries::new(linear, 6, 4, RED.stroke_width(1)))
        .map_err(e)?
        .label("linear from 1×")
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], RED));
    chart
        .draw_series(LineSeries::new(total.clone(), BLUE.stroke_width(2)))
        .map_err(e)?
        .label("measured")
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], BLUE));
    chart.draw_series(total.iter().map(|&p| Circle::new(p, 4, BLUE.filled()))).map_err(e)?;
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK)
        .draw()
        .map_err(e)?;

    let mut chart = ChartBuilder::on(&right)
        .caption("time per operation", ("sans-serif", 15))
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(60)
        .build_cartesian_2d(0.0..max_ops * 1.05, 0.0..max_per_op * 1.3)
        .map_err(e)?;
    chart
        .configure_mesh()
        .x_desc("operations")
        .y_desc("microseconds per operation")
        .x_label_formatter(&|x| format!("{x:.0}"))
        .y_label_formatter(&|y| format!("{y:.0}"))
        .draw()
        .map_err(e)?;
    chart.draw_series(LineSeries::new(per_op.clone(), BLUE.stroke_width(2))).map_err(e)?;
    chart.draw_series(per_op.iter().map(|&p| Circle::new(p, 4, BLUE.filled()))).map_err(e)?;
    chart
        .draw_series(per_op.iter().zip(points).map(|(&(x, y), p)| {
            Text::new(
                format!("{}×", p.factor),
                (x - max_ops * 0.03, y + max_per_op * 0.08),
                ("sans-serif", 13).into_font(),
            )
        }))
        .map_err(e)?;
    root.present().map_err(e)?;
    Ok(())
}
