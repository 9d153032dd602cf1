//! Passwords attackers try first (issue 21, item 10): besides the length, a password is
//! refused when zxcvbn — Dropbox's estimator with its dictionaries of the most used passwords,
//! names and words, keyboard walks, repeats and dates — finds it guessable in under a million
//! tries (score 0 or 1), e.g. `password1`, `qwertyuiop`, `12345678`, `iloveyou`.

/// Whether the password is among those guessed first.
pub fn is_common(password: &str) -> bool {
    // zxcvbn's cost grows with length; anything this long is no dictionary word.
    if password.chars().count() > 100 {
        return false;
    }
    zxcvbn::zxcvbn(password, &[]).score() < zxcvbn::Score::Two
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_guesses_are_refused_and_a_passphrase_is_not() {
        for p in ["password", "password1", "12345678", "qwertyuiop", "iloveyou", "11111111", "abc12345"] {
            assert!(is_common(p), "{p}");
        }
        for p in ["waymark-demo", "correct horse battery staple", "路标绩效2026秋天"] {
            assert!(!is_common(p), "{p}");
        }
    }
}
