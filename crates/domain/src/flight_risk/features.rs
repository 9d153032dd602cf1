//! From a labelled table to the model's numbers (issue 26, item 3): a column whose every value
//! is a number is a measure, standardized (mean 0, standard deviation 1, as the training rows
//! have it); any other column is a category, one column per value seen in training (1 where the
//! row has it). A value first seen after training counts as none of them.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

/// A table as read from a file: column names and rows of text, each as long as the header.
#[derive(Debug, Clone)]
pub struct Table {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TableError {
    #[error("there is no column \"{0}\"")]
    NoColumn(String),
    #[error("row {row}: {found} values where the header has {expected}")]
    RowLength { row: usize, expected: usize, found: usize },
    #[error("column \"{column}\" holds \"{value}\", neither \"{positive}\" nor the one other outcome \"{other}\"")]
    ThirdOutcome { column: String, value: String, positive: String, other: String },
    #[error("column \"{column}\" holds only \"{value}\": a model needs people of both outcomes")]
    OneOutcome { column: String, value: String },
    #[error("column \"{column}\" never holds \"{positive}\"")]
    NoPositive { column: String, positive: String },
    #[error("column \"{column}\", row {row}: \"{value}\" is not a number (the column's other values are)")]
    NotANumber { column: String, row: usize, value: String },
    #[error("column \"{column}\", row {row}: empty")]
    Empty { column: String, row: usize },
    #[error("no rows")]
    NoRows,
}

/// A share of numbers this high makes a column a measure whose other values are mistakes,
/// rather than a category that happens to hold some digits.
const MOSTLY_NUMBERS: f64 = 0.9;

/// How each feature column becomes numbers, learned from training rows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Encoder {
    columns: Vec<Encoding>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "as", rename_all = "snake_case")]
enum Encoding {
    Measure { column: usize, name: String, mean: f64, sd: f64 },
    Category { column: usize, name: String, values: Vec<String> },
}

/// The outcome column of a table as yes/no, the rest as features.
#[derive(Debug, Clone)]
pub struct Labelled {
    pub outcome: Vec<bool>,
    /// Feature column indexes into the table (every column but the label).
    pub features: Vec<usize>,
}

impl Table {
    /// Some rows, each as long as the header (row numbers as a spreadsheet shows them).
    pub fn check_rows(&self) -> Result<(), TableError> {
        if self.rows.is_empty() {
            return Err(TableError::NoRows);
        }
        match self.rows.iter().position(|r| r.len() != self.columns.len()) {
            Some(i) => {
                Err(TableError::RowLength { row: i + 2, expected: self.columns.len(), found: self.rows[i].len() })
            }
            None => Ok(()),
        }
    }

    /// Checks the shape and reads the label column: exactly two outcomes, one of them
    /// `positive`.
    pub fn labelled(&self, label: &str, positive: &str) -> Result<Labelled, TableError> {
        self.check_rows()?;
        let at = self.columns.iter().position(|c| c == label).ok_or_else(|| TableError::NoColumn(label.into()))?;
        let mut other: Option<&str> = None;
        // A third outcome is reported once the positive one is known to be there at all: a
        // wrong `positive` is the likelier mistake.
        let mut third: Option<TableError> = None;
        let mut outcome = Vec::with_capacity(self.rows.len());
        for (i, r) in self.rows.iter().enumerate() {
            let v = r[at].trim();
            if v.is_empty() {
                return Err(TableError::Empty { column: label.into(), row: i + 2 });
            }
            if v == positive {
                outcome.push(true);
                continue;
            }
            match other {
                None => other = Some(v),
                Some(o) if o == v => {}
                Some(o) => {
                    third.get_or_insert_with(|| TableError::ThirdOutcome {
                        column: label.into(),
                        value: v.into(),
                        positive: positive.into(),
                        other: o.into(),
                    });
                }
            }
            outcome.push(false);
        }
        if !outcome.iter().any(|y| *y) {
            return Err(TableError::NoPositive { column: label.into(), positive: positive.into() });
        }
        if let Some(e) = third {
            return Err(e);
        }
        match other {
            None => Err(TableError::OneOutcome { column: label.into(), value: positive.into() }),
            Some(_) => Ok(Labelled { outcome, features: (0..self.columns.len()).filter(|c| *c != at).collect() }),
        }
    }
}

impl Encoder {
    /// Learns each feature column's encoding from the rows `train` of `table`; the columns
    /// named in `categorical` are categories whatever they hold (a level may be written "5").
    pub fn fit(
        table: &Table,
        features: &[usize],
        train: &[usize],
        categorical: &[&str],
    ) -> Result<Encoder, TableError> {
        let mut columns = Vec::with_capacity(features.len());
        for &c in features {
            let name = table.columns[c].clone();
            if categorical.contains(&name.as_str()) {
                let values: BTreeSet<&str> = train.iter().map(|&r| table.rows[r][c].trim()).collect();
                columns.push(Encoding::Category {
                    column: c,
                    name,
                    values: values.into_iter().map(String::from).collect(),
                });
                continue;
            }
            let mut numbers = Vec::with_capacity(train.len());
            let mut first_text: Option<(usize, &str)> = None;
            for &r in train {
                let v = table.rows[r][c].trim();
                if v.is_empty() {
                    return Err(TableError::Empty { column: name, row: r + 2 });
                }
                match v.parse::<f64>() {
                    Ok(x) if x.is_finite() => numbers.push(x),
                    _ => {
                        first_text.get_or_insert((r, v));
                    }
                }
            }
            let share = numbers.len() as f64 / train.len().max(1) as f64;
            columns.push(match first_text {
                None => {
                    let mean = numbers.iter().sum::<f64>() / numbers.len() as f64;
                    let var = numbers.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / numbers.len() as f64;
                    Encoding::Measure { column: c, name, mean, sd: var.sqrt() }
                }
                Some((row, value)) if share >= MOSTLY_NUMBERS => {
                    return Err(TableError::NotANumber { column: name, row: row + 2, value: value.into() });
                }
                Some(_) => {
                    let values: BTreeSet<&str> = train.iter().map(|&r| table.rows[r][c].trim()).collect();
                    Encoding::Category { column: c, name, values: values.into_iter().map(String::from).collect() }
                }
            });
        }
        Ok(Encoder { columns })
    }

    /// The model's features by name: a measure's column name, a category's `column=value`.
    pub fn names(&self) -> Vec<String> {
        let mut out = Vec::new();
        for e in &self.columns {
            match e {
                Encoding::Measure { name, .. } => out.push(name.clone()),
                Encoding::Category { name, values, .. } => out.extend(values.iter().map(|v| format!("{name}={v}"))),
            }
        }
        out
    }

    /// How many of the model's features each column became, in order (a measure one, a
    /// category one per value).
    pub fn widths(&self) -> Vec<usize> {
        self.columns
            .iter()
            .map(|e| match e {
                Encoding::Measure { .. } => 1,
                Encoding::Category { values, .. } => values.len(),
            })
            .collect()
    }

    /// One row's features. A measure that does not parse (a row outside training) is an error.
    pub fn row(&self, table: &Table, r: usize) -> Result<Vec<f64>, TableError> {
        let mut out = Vec::new();
        for e in &self.columns {
            match e {
                Encoding::Measure { column, name, mean, sd } => {
                    let v = table.rows[r][*column].trim();
                    let x = v.parse::<f64>().ok().filter(|x| x.is_finite()).ok_or_else(|| TableError::NotANumber {
                        column: name.clone(),
                        row: r + 2,
                        value: v.into(),
                    })?;
                    // A measure without variation in training tells nothing: 0 for everyone.
                    out.push(if *sd > 0.0 { (x - mean) / sd } else { 0.0 });
                }
                Encoding::Category { column, values, .. } => {
                    let v = table.rows[r][*column].trim();
                    out.extend(values.iter().map(|x| if x == v { 1.0 } else { 0.0 }));
                }
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(rows: &[&[&str]]) -> Table {
        Table {
            columns: vec!["Age".into(), "OverTime".into(), "Left".into()],
            rows: rows.iter().map(|r| r.iter().map(|v| v.to_string()).collect()).collect(),
        }
    }

    #[test]
    fn i4_measures_are_standardized_and_categories_one_hot() {
        let t = table(&[&["30", "Yes", "Y"], &["40", "No", "N"], &["50", "No", "N"]]);
        let l = t.labelled("Left", "Y").unwrap();
        assert_eq!(l.outcome, vec![true, false, false]);
        let e = Encoder::fit(&t, &l.features, &[0, 1, 2], &[]).unwrap();
        assert_eq!(e.names(), vec!["Age", "OverTime=No", "OverTime=Yes"]);
        // Ages 30, 40, 50: mean 40, population sd √(200/3) ≈ 8.165; 30 → −1.2247.
        let r0 = e.row(&t, 0).unwrap();
        assert!((r0[0] + 10.0 / (200.0f64 / 3.0).sqrt()).abs() < 1e-12, "{r0:?}");
        assert_eq!(&r0[1..], &[0.0, 1.0]);
        assert_eq!(&e.row(&t, 1).unwrap()[1..], &[1.0, 0.0]);
    }

    #[test]
    fn i4_a_category_first_seen_after_training_is_none_of_them() {
        let t = table(&[&["30", "Yes", "Y"], &["40", "No", "N"], &["35", "Sometimes", "N"]]);
        let e = Encoder::fit(&t, &[0, 1], &[0, 1], &[]).unwrap();
        assert_eq!(&e.row(&t, 2).unwrap()[1..], &[0.0, 0.0]);
    }

    #[test]
    fn i4_bad_labels_and_values_name_the_column_and_row() {
        let t = table(&[&["30", "Yes", "Y"], &["40", "No", "N"]]);
        assert_eq!(t.labelled("Attrition", "Y").unwrap_err(), TableError::NoColumn("Attrition".into()));
        assert!(matches!(t.labelled("Left", "Yes").unwrap_err(), TableError::NoPositive { .. }));
        let one = table(&[&["30", "Yes", "Y"], &["40", "No", "Y"]]);
        assert!(matches!(one.labelled("Left", "Y").unwrap_err(), TableError::OneOutcome { .. }));
        let three = table(&[&["30", "Yes", "Y"], &["40", "No", "N"], &["41", "No", "Maybe"]]);
        let err = three.labelled("Left", "Y").unwrap_err();
        assert_eq!(err.to_string(), "column \"Left\" holds \"Maybe\", neither \"Y\" nor the one other outcome \"N\"");
        // Nine numbers and a word: the word is a mistake, named with its row (header is row 1).
        let mut rows: Vec<Vec<String>> = (0..9).map(|i| vec![format!("{}", 30 + i), "No".into(), "N".into()]).collect();
        rows.push(vec!["forty".into(), "Yes".into(), "Y".into()]);
        let t = Table { columns: vec!["Age".into(), "OverTime".into(), "Left".into()], rows };
        let err = Encoder::fit(&t, &[0, 1], &(0..10).collect::<Vec<_>>(), &[]).unwrap_err();
        assert_eq!(err, TableError::NotANumber { column: "Age".into(), row: 11, value: "forty".into() });
        let short = Table { columns: vec!["a".into(), "b".into()], rows: vec![vec!["1".into()]] };
        assert_eq!(short.labelled("b", "1").unwrap_err(), TableError::RowLength { row: 2, expected: 2, found: 1 });
    }
}
