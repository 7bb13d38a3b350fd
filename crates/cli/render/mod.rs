//! The evaluation [`Report`](sagiguard_trainer::Report) for people: a text table for the
//! terminal, and SVG curves with an HTML page around that table. The trainer computes the
//! report as data; how it looks is the command line's business, beside the other views.

mod plots;
mod table;

pub use plots::write_plots;
pub use table::report_table;
