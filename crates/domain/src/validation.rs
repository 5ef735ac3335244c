//! Input rules shared by every entry point. Each failing field maps to a stable code the UI translates.

use std::collections::BTreeMap;

/// Field name (camelCase, as in JSON) → error code.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct FieldErrors(pub BTreeMap<String, &'static str>);

impl FieldErrors {
    pub fn add(&mut self, field: &str, code: &'static str) {
        self.0.entry(field.to_string()).or_insert(code);
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok(())` when no field failed.
    pub fn into_result(self) -> Result<(), FieldErrors> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(self)
        }
    }
}

pub const PASSWORD_MIN_BYTES: usize = 10;
/// bcrypt reads at most 72 bytes; longer passwords would be silently truncated, so they are refused.
pub const PASSWORD_MAX_BYTES: usize = 72;

/// Lower-cases and trims a username and checks it: 3–32 of `a-z 0-9 . _ -`.
pub fn username(input: &str, field: &str, errors: &mut FieldErrors) -> String {
    let value = input.trim().to_lowercase();
    if value.is_empty() {
        errors.add(field, "required");
    } else if !(3..=32).contains(&value.len())
        || !value
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b))
    {
        errors.add(field, "invalid_username");
    }
    value
}

/// Trims an e-mail address and checks its shape (one `@`, a dotted domain, no spaces, at most 254 bytes).
pub fn email(input: &str, field: &str, errors: &mut FieldErrors) -> String {
    let value = input.trim().to_string();
    if value.is_empty() {
        errors.add(field, "required");
        return value;
    }
    let valid = value.len() <= 254
        && !value.chars().any(|c| c.is_whitespace() || c.is_control())
        && match value.split_once('@') {
            Some((local, domain)) => {
                !local.is_empty()
                    && local.len() <= 64
                    && !domain.contains('@')
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
                    && !domain.contains("..")
            }
            None => false,
        };
    if !valid {
        errors.add(field, "invalid_email");
    }
    value
}

/// Checks a new password's length in bytes (UTF-8), 10–72.
pub fn password(input: &str, field: &str, errors: &mut FieldErrors) {
    if input.is_empty() {
        errors.add(field, "required");
    } else if input.len() < PASSWORD_MIN_BYTES {
        errors.add(field, "password_too_short");
    } else if input.len() > PASSWORD_MAX_BYTES {
        errors.add(field, "password_too_long");
    }
}

/// A required one-line text of at most `max` characters, trimmed.
pub fn text(input: &str, max: usize, field: &str, errors: &mut FieldErrors) -> String {
    let value = input.trim().to_string();
    if value.is_empty() {
        errors.add(field, "required");
    } else if value.chars().count() > max || value.chars().any(char::is_control) {
        errors.add(field, "too_long");
    }
    value
}

/// Free text a person writes (a note, a reason): trimmed, `None` when nothing is left. Line breaks are kept;
/// other control characters are refused with `invalid_characters` (NUL among them, which PostgreSQL cannot
/// store), more than `max` characters with `too_long`.
pub fn free_text(input: Option<&str>, max: usize) -> Result<Option<String>, &'static str> {
    match input.map(str::trim).filter(|text| !text.is_empty()) {
        None => Ok(None),
        Some(text) if text.chars().count() > max => Err("too_long"),
        Some(text) if text.chars().any(|c| c.is_control() && c != '\n') => {
            Err("invalid_characters")
        }
        Some(text) => Ok(Some(text.to_string())),
    }
}

/// [`free_text`] with its refusal recorded under `field`.
pub fn optional_note(
    input: Option<&str>,
    max: usize,
    field: &str,
    errors: &mut FieldErrors,
) -> Option<String> {
    free_text(input, max).unwrap_or_else(|code| {
        errors.add(field, code);
        None
    })
}

/// The longest phone number, separators included, that is accepted (the locations table's limit too).
pub const PHONE_MAX_CHARS: usize = 40;

/// A phone number: digits with optional `+`, spaces, dashes, dots and parentheses; 6–15 digits (E.164),
/// at most [`PHONE_MAX_CHARS`] characters in all (separators cannot pad it without bound).
pub fn phone(input: &str, field: &str, errors: &mut FieldErrors) -> String {
    let value = input.trim().to_string();
    if value.is_empty() {
        errors.add(field, "required");
        return value;
    }
    if value.chars().count() > PHONE_MAX_CHARS {
        errors.add(field, "too_long");
        return value;
    }
    let digits = value.chars().filter(char::is_ascii_digit).count();
    let allowed = value
        .chars()
        .enumerate()
        .all(|(i, c)| c.is_ascii_digit() || " -.()".contains(c) || (c == '+' && i == 0));
    if !allowed || !(6..=15).contains(&digits) {
        errors.add(field, "invalid_phone");
    }
    value
}

/// An IANA time zone name such as `Europe/Amsterdam`.
pub fn timezone(input: &str, field: &str, errors: &mut FieldErrors) -> String {
    let value = input.trim().to_string();
    if value.parse::<chrono_tz::Tz>().is_err() {
        errors.add(field, "invalid_timezone");
    }
    value
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn free_text_keeps_line_breaks_and_refuses_other_control_characters() {
        assert_eq!(free_text(None, 10), Ok(None));
        assert_eq!(free_text(Some("  \n "), 10), Ok(None));
        assert_eq!(
            free_text(Some(" twee\nregels "), 11),
            Ok(Some("twee\nregels".into()))
        );
        assert_eq!(free_text(Some("a\u{0}b"), 10), Err("invalid_characters"));
        assert_eq!(free_text(Some("a\tb"), 10), Err("invalid_characters"));
        assert_eq!(free_text(Some("ééééé"), 5), Ok(Some("ééééé".into())));
        assert_eq!(free_text(Some("ééééé!"), 5), Err("too_long"));
    }

    proptest! {
        /// Whatever is typed, accepted text is trimmed, within bounds and free of control characters other
        /// than line breaks: what PostgreSQL stores and a screen shows.
        #[test]
        fn accepted_free_text_is_storable(input in "\\PC{0,20}|[\\x00-\\x7f]{0,20}") {
            if let Ok(Some(text)) = free_text(Some(&input), 12) {
                prop_assert!(text.chars().count() <= 12);
                prop_assert!(!text.contains('\0'));
                prop_assert!(text.chars().all(|c| !c.is_control() || c == '\n'));
                prop_assert_eq!(text.trim(), text.as_str());
            }
        }
    }

    fn check<T>(
        f: impl Fn(&str, &str, &mut FieldErrors) -> T,
        input: &str,
    ) -> Option<&'static str> {
        let mut errors = FieldErrors::default();
        f(input, "f", &mut errors);
        errors.0.get("f").copied()
    }

    #[test]
    fn usernames_are_normalised_and_limited() {
        let mut errors = FieldErrors::default();
        assert_eq!(username("  Anna.B ", "u", &mut errors), "anna.b");
        assert!(errors.is_empty());
        assert_eq!(check(username, "ab"), Some("invalid_username"));
        assert_eq!(check(username, "anna b"), Some("invalid_username"));
        assert_eq!(check(username, ""), Some("required"));
    }

    #[test]
    fn email_addresses_need_a_plausible_shape() {
        assert_eq!(check(email, "anna@example.nl"), None);
        for bad in [
            "anna",
            "anna@",
            "@example.nl",
            "anna@example",
            "an na@example.nl",
            "a@b@c.nl",
            "a@.nl",
        ] {
            assert_eq!(check(email, bad), Some("invalid_email"), "{bad}");
        }
    }

    #[test]
    fn passwords_are_counted_in_bytes() {
        assert_eq!(check(password, "123456789"), Some("password_too_short"));
        assert_eq!(check(password, "1234567890"), None);
        // 24 three-byte characters = 72 bytes: allowed; 25 = 75 bytes: refused.
        assert_eq!(check(password, &"€".repeat(24)), None);
        assert_eq!(check(password, &"€".repeat(25)), Some("password_too_long"));
    }

    #[test]
    fn phone_numbers_accept_common_notations() {
        for ok in ["+31 6 12345678", "06-12345678", "(020) 123 4567"] {
            assert_eq!(check(phone, ok), None, "{ok}");
        }
        for bad in [
            "12345",
            "+31 6 1234 5678 9999 1",
            "06-1234x678",
            "31+612345678",
        ] {
            assert_eq!(check(phone, bad), Some("invalid_phone"), "{bad}");
        }
        // Fifteen digits padded with separators past the limit: the number is fine, its length is not.
        let padded = format!("+31{}612345678", " -".repeat(20));
        assert_eq!(check(phone, &padded), Some("too_long"));
    }

    #[test]
    fn time_zones_must_be_iana_names() {
        assert_eq!(check(timezone, "Europe/Amsterdam"), None);
        assert_eq!(check(timezone, "Mars/Olympus"), Some("invalid_timezone"));
    }

    proptest! {
        #[test]
        fn validators_never_panic_and_normalised_usernames_are_valid(input in "\\PC{0,80}") {
            let mut errors = FieldErrors::default();
            let name = username(&input, "u", &mut errors);
            email(&input, "e", &mut errors);
            password(&input, "p", &mut errors);
            phone(&input, "t", &mut errors);
            text(&input, 100, "x", &mut errors);
            if !errors.0.contains_key("u") {
                let mut again = FieldErrors::default();
                prop_assert_eq!(username(&name, "u", &mut again), name.clone());
                prop_assert!(again.is_empty());
            }
        }

        #[test]
        fn accepted_phone_numbers_fit_the_column(input in "\\+?[0-9 ().-]{0,80}") {
            let mut errors = FieldErrors::default();
            let number = phone(&input, "t", &mut errors);
            if errors.is_empty() {
                prop_assert!(number.chars().count() <= PHONE_MAX_CHARS, "{number:?}");
            }
        }
    }
}
