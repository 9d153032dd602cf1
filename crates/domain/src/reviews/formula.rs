//! The scoring formula of a review template (V-3), in evalexpr's safe expression language:
//! numbers, the template's variables, + − × ÷ and comparisons, `min`, `max`, `if`, rounding.
//! A formula is checked when it is saved, so that a mistake is named then and not when a
//! cycle is being scored.

use evalexpr::{
    Context, ContextWithMutableVariables, DefaultNumericTypes, EvalexprError, HashMapContext, Node, Operator, Value,
    build_operator_tree,
};

/// The names a formula may use. Each is a score on 0–100 (see `scoring`).
pub const VARIABLES: [&str; 9] =
    ["goals", "competencies", "values", "skills", "environment", "self", "manager", "peers", "upward"];
/// The functions it may call: enough for weighting, caps and thresholds, nothing that reads or
/// writes outside the expression.
pub const FUNCTIONS: [&str; 7] = ["min", "max", "if", "round", "floor", "ceil", "math::abs"];
pub const MAX_CHARS: usize = 500;

/// Why a formula was refused, with where to look.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormulaError {
    Empty,
    TooLong,
    /// The expression does not parse; evalexpr's message.
    Syntax(String),
    UnknownVariable(String),
    UnknownFunction(String),
    /// `=`, `+=`, `;` and the like: a formula computes, it does not assign.
    NotAllowed(String),
    /// It divides by zero (or otherwise gives no finite number) for the inputs named.
    NotFinite(String),
    /// It gives a boolean or text where a score is needed.
    NotANumber,
    /// Evaluating failed for another reason (e.g. `min` of nothing); evalexpr's message.
    Evaluation(String),
}

impl std::fmt::Display for FormulaError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FormulaError::Empty => write!(f, "the formula is empty"),
            FormulaError::TooLong => write!(f, "the formula is longer than {MAX_CHARS} characters"),
            FormulaError::Syntax(m) => write!(f, "syntax error: {m}"),
            FormulaError::UnknownVariable(v) => write!(f, "unknown variable `{v}`"),
            FormulaError::UnknownFunction(v) => write!(f, "unknown function `{v}`"),
            FormulaError::NotAllowed(v) => write!(f, "`{v}` is not allowed in a formula"),
            FormulaError::NotFinite(at) => write!(f, "division by zero when {at}"),
            FormulaError::NotANumber => write!(f, "the formula must give a number"),
            FormulaError::Evaluation(m) => write!(f, "{m}"),
        }
    }
}

/// A checked formula, ready to evaluate many times.
#[derive(Debug, Clone)]
pub struct Formula {
    text: String,
    tree: Node<DefaultNumericTypes>,
    /// The variables it reads, in the order of `VARIABLES`.
    used: Vec<&'static str>,
}

impl Formula {
    /// Parses and checks: known variables and functions only, no assignment, and a finite
    /// number for every input at 0, at 100 and in between (so `goals / (manager - 50)` is
    /// refused: a manager score of 50 would divide by zero).
    pub fn parse(text: &str) -> Result<Formula, FormulaError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(FormulaError::Empty);
        }
        if text.chars().count() > MAX_CHARS {
            return Err(FormulaError::TooLong);
        }
        let mut tree =
            build_operator_tree::<DefaultNumericTypes>(text).map_err(|e| FormulaError::Syntax(e.to_string()))?;
        for node in tree.iter() {
            if let Some(bad) = forbidden(node.operator()) {
                return Err(FormulaError::NotAllowed(bad.into()));
            }
        }
        for v in tree.iter_variable_identifiers() {
            if !VARIABLES.contains(&v) {
                return Err(FormulaError::UnknownVariable(v.into()));
            }
        }
        for f in tree.iter_function_identifiers() {
            if !FUNCTIONS.contains(&f) {
                return Err(FormulaError::UnknownFunction(f.into()));
            }
        }
        // Whole numbers in the text become decimals: HR writes `goals * (7/10)` and means 0.7,
        // not evalexpr's integer division (0).
        for op in tree.iter_operators_mut() {
            if let Operator::Const { value: Value::Int(i) } = op {
                *op = Operator::Const { value: Value::Float(*i as f64) };
            }
        }
        let used = VARIABLES.iter().copied().filter(|v| tree.iter_variable_identifiers().any(|u| u == *v)).collect();
        let formula = Formula { text: text.to_string(), tree, used };
        formula.probe()?;
        Ok(formula)
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// The variables the formula reads.
    pub fn variables(&self) -> &[&'static str] {
        &self.used
    }

    /// Evaluates with the given variable values; a variable the formula reads and `values`
    /// lacks is an error naming it.
    pub fn eval(&self, values: &[(&str, f64)]) -> Result<f64, FormulaError> {
        let mut ctx = HashMapContext::<DefaultNumericTypes>::new();
        for (name, v) in values {
            if self.used.contains(name) {
                ctx.set_value((*name).to_string(), Value::Float(*v))
                    .map_err(|e| FormulaError::Evaluation(e.to_string()))?;
            }
        }
        for v in &self.used {
            if ctx.get_value(v).is_none() {
                return Err(FormulaError::UnknownVariable((*v).to_string()));
            }
        }
        match self.tree.eval_with_context(&ctx) {
            Ok(Value::Float(x)) if x.is_finite() => Ok(x),
            Ok(Value::Int(i)) => Ok(i as f64),
            Ok(Value::Float(_)) => Err(FormulaError::NotFinite(describe(values, &self.used))),
            Ok(_) => Err(FormulaError::NotANumber),
            Err(EvalexprError::DivisionError { .. }) => Err(FormulaError::NotFinite(describe(values, &self.used))),
            // `0.6*goals +` parses, with an operand missing: a syntax error to the person typing.
            Err(
                e @ (EvalexprError::WrongOperatorArgumentAmount { .. }
                | EvalexprError::WrongFunctionArgumentAmount { .. }),
            ) => Err(FormulaError::Syntax(e.to_string())),
            Err(e) => Err(FormulaError::Evaluation(e.to_string())),
        }
    }

    /// Tries the formula at the corners and the middle of the 0–100 range of every input, and
    /// at each input alone at 0 and 50: scores that really occur.
    fn probe(&self) -> Result<(), FormulaError> {
        let mut points: Vec<Vec<(&str, f64)>> =
            [0.0, 50.0, 100.0, 37.5].iter().map(|x| self.used.iter().map(|v| (*v, *x)).collect()).collect();
        for (i, _) in self.used.iter().enumerate() {
            for (x, rest) in [(0.0, 100.0), (50.0, 100.0), (100.0, 0.0), (50.0, 0.0)] {
                points.push(self.used.iter().enumerate().map(|(j, v)| (*v, if i == j { x } else { rest })).collect());
            }
        }
        for p in points {
            self.eval(&p)?;
        }
        Ok(())
    }
}

fn forbidden(op: &Operator<DefaultNumericTypes>) -> Option<&'static str> {
    Some(match op {
        Operator::Assign
        | Operator::AddAssign
        | Operator::SubAssign
        | Operator::MulAssign
        | Operator::DivAssign
        | Operator::ModAssign
        | Operator::ExpAssign
        | Operator::AndAssign
        | Operator::OrAssign
        | Operator::VariableIdentifierWrite { .. } => "=",
        Operator::Chain => ";",
        Operator::Const { value: Value::String(_) } => "\"…\"",
        _ => return None,
    })
}

fn describe(values: &[(&str, f64)], used: &[&str]) -> String {
    values.iter().filter(|(n, _)| used.contains(n)).map(|(n, v)| format!("{n} = {v}")).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v3_weighted_formula_evaluates_in_decimals() {
        let f = Formula::parse("0.7*goals + 0.3*competencies").unwrap();
        assert_eq!(f.variables(), &["goals", "competencies"]);
        // 0.7 × 80 + 0.3 × 90 = 56 + 27 = 83
        let x = f.eval(&[("goals", 80.0), ("competencies", 90.0)]).unwrap();
        assert!((x - 83.0).abs() < 1e-9);
        // Whole-number fractions are decimals, not integer division: 7/10 × 80 + 3/10 × 90 = 83.
        let g = Formula::parse("goals * (7/10) + competencies * 3 / 10").unwrap();
        assert!((g.eval(&[("goals", 80.0), ("competencies", 90.0)]).unwrap() - 83.0).abs() < 1e-9);
    }

    #[test]
    fn v3_min_max_and_if() {
        let f = Formula::parse("min(100, if(goals >= 60, 0.6*goals + 0.4*manager, goals))").unwrap();
        // goals 50 < 60: the score is goals alone, 50.
        assert_eq!(f.eval(&[("goals", 50.0), ("manager", 90.0)]).unwrap(), 50.0);
        // goals 120: 72 + 36 = 108, capped at 100.
        assert_eq!(f.eval(&[("goals", 120.0), ("manager", 90.0)]).unwrap(), 100.0);
        assert!((f.eval(&[("goals", 80.0), ("manager", 70.0)]).unwrap() - 76.0).abs() < 1e-9);
    }

    #[test]
    fn v3_bad_formulas_are_named() {
        assert_eq!(Formula::parse("  ").unwrap_err(), FormulaError::Empty);
        assert_eq!(Formula::parse("0.5*goals + 0.5*bonus").unwrap_err(), FormulaError::UnknownVariable("bonus".into()));
        assert_eq!(Formula::parse("sqrt(goals)").unwrap_err(), FormulaError::UnknownFunction("sqrt".into()));
        assert!(matches!(Formula::parse("goals * (").unwrap_err(), FormulaError::Syntax(_)));
        assert!(matches!(Formula::parse("0.6*goals +").unwrap_err(), FormulaError::Syntax(_)));
        assert!(matches!(
            Formula::parse("min(goals)").unwrap_err(),
            FormulaError::Syntax(_) | FormulaError::Evaluation(_)
        ));
        assert_eq!(Formula::parse("goals = 100").unwrap_err(), FormulaError::NotAllowed("=".into()));
        assert_eq!(Formula::parse("goals; 100").unwrap_err(), FormulaError::NotAllowed(";".into()));
        assert_eq!(Formula::parse("goals > 50").unwrap_err(), FormulaError::NotANumber);
        assert_eq!(Formula::parse("goals / 0").unwrap_err(), FormulaError::NotFinite("goals = 0".into()));
        // Divides by zero only when the manager gives exactly 50: found by the probe.
        let e = Formula::parse("goals / (manager - 50)").unwrap_err();
        assert!(matches!(e, FormulaError::NotFinite(ref at) if at.contains("manager = 50")), "{e:?}");
        assert_eq!(Formula::parse(&"1+".repeat(300)).unwrap_err(), FormulaError::TooLong);
    }

    #[test]
    fn a_constant_formula_is_allowed() {
        assert_eq!(Formula::parse("75").unwrap().eval(&[]).unwrap(), 75.0);
    }
}
