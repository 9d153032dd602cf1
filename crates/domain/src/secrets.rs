//! Comparing secrets (tokens, signatures) in time that does not depend on where they differ,
//! so that a timing measurement does not reveal a correct prefix.

pub fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |d, (x, y)| d | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    #[test]
    fn equal_only_when_equal() {
        assert!(super::same_secret("abc", "abc"));
        assert!(!super::same_secret("abc", "abd") && !super::same_secret("abc", "ab"));
    }
}
