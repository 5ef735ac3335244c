//! Euro amounts as integer cents: the denominations a till holds, sums of counted lines, and amounts typed
//! as text (`"12.50"` or `"12,50"`). Nothing here touches a float.

use crate::scheduling::hours::DecimalMark;

/// The euro notes and coins a till is counted in, in cents, largest first.
pub const DENOMINATIONS: [i64; 15] = [
    50_000, 20_000, 10_000, 5_000, 2_000, 1_000, 500, // notes 500 € … 5 €
    200, 100, 50, 20, 10, 5, 2, 1, // coins 2 € … 1 ct
];

/// The most pieces of one denomination a count may list (bounds every sum far below `i64::MAX`).
pub const MAX_QUANTITY: i64 = 100_000;

/// The largest amount typed as text: 100 million euro.
pub const MAX_AMOUNT_CENTS: i64 = 10_000_000_000;

/// Whether `cents` is a euro note or coin.
pub fn is_denomination(cents: i64) -> bool {
    DENOMINATIONS.contains(&cents)
}

/// Whether the denomination is a note (5 € and up) rather than a coin.
pub fn is_note(cents: i64) -> bool {
    cents >= 500
}

/// One counted line: so many pieces of one denomination.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct CashLine {
    /// Cents, one of [`DENOMINATIONS`].
    pub denomination: i64,
    /// 0..=[`MAX_QUANTITY`].
    pub quantity: i64,
}

/// Why a counted line was refused; the code names the problem for the UI.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineError {
    UnknownDenomination,
    Duplicate,
    Negative,
    TooLarge,
}

impl LineError {
    pub fn code(self) -> &'static str {
        match self {
            Self::UnknownDenomination => "unknown_denomination",
            Self::Duplicate => "duplicate",
            Self::Negative => "negative",
            Self::TooLarge => "too_large",
        }
    }

    /// The line's field the error belongs to.
    pub fn field(self) -> &'static str {
        match self {
            Self::UnknownDenomination | Self::Duplicate => "denomination",
            Self::Negative | Self::TooLarge => "quantity",
        }
    }
}

/// Checks raw `(denomination, quantity)` pairs; the lines come back sorted largest denomination first,
/// lines of zero pieces dropped. Errors name the index of the line as sent.
pub fn check_lines(raw: &[(i64, i64)]) -> Result<Vec<CashLine>, Vec<(usize, LineError)>> {
    let mut errors = Vec::new();
    let mut seen = Vec::new();
    let mut lines = Vec::new();
    for (index, &(denomination, quantity)) in raw.iter().enumerate() {
        if !is_denomination(denomination) {
            errors.push((index, LineError::UnknownDenomination));
        } else if seen.contains(&denomination) {
            errors.push((index, LineError::Duplicate));
        } else if quantity < 0 {
            errors.push((index, LineError::Negative));
        } else if quantity > MAX_QUANTITY {
            errors.push((index, LineError::TooLarge));
        } else {
            seen.push(denomination);
            if quantity > 0 {
                lines.push(CashLine {
                    denomination,
                    quantity,
                });
            }
        }
    }
    if errors.is_empty() {
        lines.sort_by_key(|line| std::cmp::Reverse(line.denomination));
        Ok(lines)
    } else {
        Err(errors)
    }
}

/// The cash the lines add up to, in cents; `None` only if the sum would overflow (impossible for lines
/// that passed [`check_lines`]: at most 15 × 100 000 × 500 € ≈ 7.5 × 10¹¹ cents).
pub fn total(lines: &[CashLine]) -> Option<i64> {
    lines.iter().try_fold(0i64, |sum, line| {
        line.denomination
            .checked_mul(line.quantity)
            .and_then(|value| sum.checked_add(value))
    })
}

/// Why a typed amount was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AmountError {
    Invalid,
    TooManyDecimals,
    Negative,
    TooLarge,
}

impl AmountError {
    pub fn code(self) -> &'static str {
        match self {
            Self::Invalid => "invalid_amount",
            Self::TooManyDecimals => "too_many_decimals",
            Self::Negative => "negative",
            Self::TooLarge => "too_large",
        }
    }
}

/// Reads a non-negative euro amount typed as text: digits, optionally a `.` or `,` and one or two decimals
/// (`"12"`, `"12.5"`, `"12,50"`); surrounding spaces are ignored, thousands separators are not accepted.
pub fn parse_amount(text: &str) -> Result<i64, AmountError> {
    let text = text.trim();
    let (negative, text) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (whole, fraction) = match text.find(['.', ',']) {
        Some(at) => (&text[..at], Some(&text[at + 1..])),
        None => (text, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(whole) || fraction.is_some_and(|f| !digits(f)) {
        return Err(AmountError::Invalid);
    }
    let fraction = fraction.unwrap_or("");
    if fraction.len() > 2 {
        return Err(AmountError::TooManyDecimals);
    }
    if negative {
        return Err(AmountError::Negative);
    }
    let whole = whole.trim_start_matches('0');
    // 100 million euro has nine digits; anything longer is too large (and could overflow).
    if whole.len() > 9 {
        return Err(AmountError::TooLarge);
    }
    let euros: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().map_err(|_| AmountError::Invalid)?
    };
    let cents: i64 = match fraction.len() {
        0 => 0,
        1 => fraction.parse::<i64>().map_err(|_| AmountError::Invalid)? * 10,
        _ => fraction.parse().map_err(|_| AmountError::Invalid)?,
    };
    let amount = euros * 100 + cents;
    if amount > MAX_AMOUNT_CENTS {
        return Err(AmountError::TooLarge);
    }
    Ok(amount)
}

/// Cents as a decimal amount with two decimals: `1250` → `12.50`, `-5` → `-0.05`.
pub fn format_amount(cents: i64, mark: DecimalMark) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    let separator = match mark {
        DecimalMark::Point => '.',
        DecimalMark::Comma => ',',
    };
    format!("{sign}{}{separator}{:02}", abs / 100, abs % 100)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn amounts_parse_with_either_mark_and_at_most_two_decimals() {
        assert_eq!(parse_amount("12.50"), Ok(1250));
        assert_eq!(parse_amount("12,50"), Ok(1250));
        assert_eq!(parse_amount(" 12,5 "), Ok(1250));
        assert_eq!(parse_amount("12"), Ok(1200));
        assert_eq!(parse_amount("0.01"), Ok(1));
        assert_eq!(parse_amount("007.10"), Ok(710));
        assert_eq!(parse_amount("12.505"), Err(AmountError::TooManyDecimals));
        assert_eq!(parse_amount("-1.00"), Err(AmountError::Negative));
        assert_eq!(parse_amount("1.000,00"), Err(AmountError::Invalid));
        assert_eq!(parse_amount(""), Err(AmountError::Invalid));
        assert_eq!(parse_amount("12."), Err(AmountError::Invalid));
        assert_eq!(parse_amount(".5"), Err(AmountError::Invalid));
        assert_eq!(parse_amount("1e3"), Err(AmountError::Invalid));
        assert_eq!(parse_amount("+3"), Err(AmountError::Invalid));
        assert_eq!(parse_amount("100000000.00"), Ok(MAX_AMOUNT_CENTS));
        assert_eq!(parse_amount("100000000.01"), Err(AmountError::TooLarge));
        assert_eq!(
            parse_amount("99999999999999999999"),
            Err(AmountError::TooLarge)
        );
    }

    #[test]
    fn lines_refuse_unknown_denominations_duplicates_and_negative_quantities() {
        assert_eq!(
            check_lines(&[(5000, 2), (1, 3), (0, 1)]),
            Err(vec![(2, LineError::UnknownDenomination)])
        );
        assert_eq!(
            check_lines(&[(5000, 2), (5000, 1)]),
            Err(vec![(1, LineError::Duplicate)])
        );
        assert_eq!(
            check_lines(&[(300, 1), (200, -1), (100, MAX_QUANTITY + 1)]),
            Err(vec![
                (0, LineError::UnknownDenomination),
                (1, LineError::Negative),
                (2, LineError::TooLarge)
            ])
        );
        let lines = check_lines(&[(5, 4), (50_000, 1), (200, 0)]).unwrap();
        assert_eq!(
            lines,
            vec![
                CashLine {
                    denomination: 50_000,
                    quantity: 1
                },
                CashLine {
                    denomination: 5,
                    quantity: 4
                }
            ]
        );
        assert_eq!(total(&lines), Some(50_020));
    }

    #[test]
    fn formatting_keeps_two_decimals_and_the_sign() {
        assert_eq!(format_amount(1250, DecimalMark::Point), "12.50");
        assert_eq!(format_amount(1250, DecimalMark::Comma), "12,50");
        assert_eq!(format_amount(-5, DecimalMark::Point), "-0.05");
        assert_eq!(format_amount(0, DecimalMark::Point), "0.00");
        assert_eq!(format_amount(-100_001, DecimalMark::Comma), "-1000,01");
    }

    fn any_lines() -> impl Strategy<Value = Vec<(i64, i64)>> {
        prop::sample::subsequence(DENOMINATIONS.to_vec(), 0..=DENOMINATIONS.len()).prop_flat_map(
            |denominations| {
                let n = denominations.len();
                (
                    Just(denominations),
                    prop::collection::vec(0..=MAX_QUANTITY, n),
                )
                    .prop_map(|(d, q)| d.into_iter().zip(q).collect())
            },
        )
    }

    proptest! {
        /// The total is the sum of denomination × quantity (checked against 128-bit arithmetic), never
        /// overflows within the bounds, and does not depend on the order of the lines.
        #[test]
        fn the_total_is_the_sum_of_the_lines(raw in any_lines(), seed in any::<u64>()) {
            let lines = check_lines(&raw).unwrap();
            let expected: i128 = raw.iter().map(|&(d, q)| i128::from(d) * i128::from(q)).sum();
            let sum = total(&lines).unwrap();
            prop_assert_eq!(i128::from(sum), expected);
            let mut shuffled = raw.clone();
            let len = shuffled.len().max(1);
            shuffled.rotate_left((seed as usize) % len);
            prop_assert_eq!(total(&check_lines(&shuffled).unwrap()), Some(sum));
        }

        /// Every amount within the bounds survives formatting and parsing, with either decimal mark.
        #[test]
        fn amounts_round_trip(cents in 0..=MAX_AMOUNT_CENTS, comma in any::<bool>()) {
            let mark = if comma { DecimalMark::Comma } else { DecimalMark::Point };
            prop_assert_eq!(parse_amount(&format_amount(cents, mark)), Ok(cents));
        }

        /// A third decimal is always refused, whatever the digits.
        #[test]
        fn three_decimals_are_refused(whole in 0u32..1_000_000, fraction in 0u32..1000, comma in any::<bool>()) {
            let text = format!("{whole}{}{fraction:03}", if comma { ',' } else { '.' });
            prop_assert_eq!(parse_amount(&text), Err(AmountError::TooManyDecimals));
        }

        /// Quantities outside 0..=MAX_QUANTITY and denominations outside the euro set never pass.
        #[test]
        fn bad_lines_never_pass(denomination in -100_000i64..100_000, quantity in -1_000_000i64..1_000_000) {
            let ok = is_denomination(denomination) && (0..=MAX_QUANTITY).contains(&quantity);
            prop_assert_eq!(check_lines(&[(denomination, quantity)]).is_ok(), ok);
        }
    }
}
