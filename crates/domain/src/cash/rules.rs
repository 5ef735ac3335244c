//! The decisions of cash counting as pure functions: the business date of an instant, the expected amount,
//! the discrepancy, the state machine, what makes two submissions the same, and a range's summary.

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use chrono_tz::Tz;
use uuid::Uuid;

use super::model::{CashCount, CashState, CountType, ExpectedBasis, ExpectedSource, NewCashCount};
use super::money::{self, CashLine};

/// A business day starts at 06:00 local time: a night that runs past midnight belongs to the day it began.
pub const DAY_STARTS_AT: NaiveTime = match NaiveTime::from_hms_opt(6, 0, 0) {
    Some(time) => time,
    None => NaiveTime::MIN,
};

/// How far back a count may be dated (days before the current business date).
pub const MAX_BACKDATE_DAYS: i64 = 62;

/// The tolerance of a location that never set one: 5 €.
pub const DEFAULT_TOLERANCE_CENTS: i64 = 500;

/// The largest tolerance a location may set: 1 000 €.
pub const MAX_TOLERANCE_CENTS: i64 = 100_000;

/// The longest note, dispute reason or approval note, in characters.
pub const MAX_TEXT_CHARS: usize = 500;

/// The business date of an instant at a location: the local calendar date, or the day before when the local
/// wall-clock time is before [`DAY_STARTS_AT`]. Decided on the wall clock, so a DST change (which happens
/// at 02:00/03:00, inside the night) never moves an instant to another business day.
pub fn business_date(at: DateTime<Utc>, tz: Tz) -> NaiveDate {
    let local = at.with_timezone(&tz).naive_local();
    if local.time() < DAY_STARTS_AT {
        local.date().pred_opt().unwrap_or(local.date())
    } else {
        local.date()
    }
}

/// Why a business date was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateRefused {
    InFuture,
    TooOld,
}

impl DateRefused {
    pub fn code(self) -> &'static str {
        match self {
            Self::InFuture => "in_future",
            Self::TooOld => "too_old",
        }
    }
}

/// A business date a count may carry, given today's business date at the location.
pub fn check_business_date(date: NaiveDate, today: NaiveDate) -> Result<NaiveDate, DateRefused> {
    if date > today {
        Err(DateRefused::InFuture)
    } else if today - date > Duration::days(MAX_BACKDATE_DAYS) {
        Err(DateRefused::TooOld)
    } else {
        Ok(date)
    }
}

/// `|discrepancy| > tolerance`.
pub fn over_tolerance(discrepancy_cents: i64, tolerance_cents: i64) -> bool {
    discrepancy_cents.unsigned_abs() > tolerance_cents.unsigned_abs()
}

/// counted − expected, in cents.
pub fn discrepancy(counted_cents: i64, expected_cents: i64) -> i64 {
    counted_cents - expected_cents
}

/// The expected amount the server can compute (see the module doc of [`super`]): an opening expects the
/// float the previous closing left; midday and closing expect the day's opening cash plus the cash
/// takings. `None` when the basis is missing (the person counting must then enter it).
pub fn computed_expected(
    count_type: CountType,
    basis: &ExpectedBasis,
    cash_takings_cents: Option<i64>,
) -> Option<(i64, ExpectedSource)> {
    match count_type {
        CountType::Opening => basis
            .previous_closing
            .and_then(|(_, float)| float)
            .map(|float| (float, ExpectedSource::PreviousClosing)),
        CountType::Midday | CountType::Closing => {
            let (_, opening) = basis.opening?;
            let takings = cash_takings_cents?;
            Some((opening + takings, ExpectedSource::OpeningPlusTakings))
        }
    }
}

/// What a person submits, already parsed and checked field by field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Submission {
    pub location_id: Uuid,
    pub count_type: CountType,
    pub business_date: NaiveDate,
    pub lines: Vec<CashLine>,
    pub card_total_cents: Option<i64>,
    pub float_cents: Option<i64>,
    pub cash_takings_cents: Option<i64>,
    /// Entered by the person counting; otherwise computed.
    pub expected_cents: Option<i64>,
    pub corrects: Option<Uuid>,
    pub note: Option<String>,
    pub counted_by: Uuid,
    pub client_key: Uuid,
}

/// Why a submission cannot become a count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrepareRefused {
    /// Nothing to compute the expected amount from, and none entered.
    ExpectedRequired,
}

/// The count to store: totals, expected amount, discrepancy and the tolerance in force.
pub fn prepare(
    id: Uuid,
    submission: Submission,
    basis: &ExpectedBasis,
    tolerance_cents: i64,
) -> Result<NewCashCount, PrepareRefused> {
    // Checked lines cannot overflow (see `money::total`); saturate rather than trust that in release.
    let counted = money::total(&submission.lines).unwrap_or(i64::MAX);
    let (expected, source) = match submission.expected_cents {
        Some(entered) => (entered, ExpectedSource::Entered),
        None => computed_expected(submission.count_type, basis, submission.cash_takings_cents)
            .ok_or(PrepareRefused::ExpectedRequired)?,
    };
    Ok(NewCashCount {
        id,
        location_id: submission.location_id,
        count_type: submission.count_type,
        business_date: submission.business_date,
        counted_cents: counted,
        discrepancy_cents: discrepancy(counted, expected),
        lines: submission.lines,
        card_total_cents: submission.card_total_cents,
        float_cents: submission.float_cents,
        cash_takings_cents: submission.cash_takings_cents,
        expected_cents: expected,
        expected_source: source,
        tolerance_cents,
        note: submission.note,
        corrects: submission.corrects,
        counted_by: submission.counted_by,
        client_key: submission.client_key,
    })
}

/// Whether a stored count is what this submission would have created (a double tap, a retried request):
/// the same figures as typed, the same correction target and note.
pub fn same_submission(submission: &Submission, stored: &CashCount) -> bool {
    let expected_same = match submission.expected_cents {
        Some(entered) => {
            stored.expected_source == ExpectedSource::Entered && stored.expected_cents == entered
        }
        None => stored.expected_source != ExpectedSource::Entered,
    };
    let mut lines = submission.lines.clone();
    lines.sort();
    let mut stored_lines = stored.lines.clone();
    stored_lines.sort();
    stored.location_id == submission.location_id
        && stored.count_type == submission.count_type
        && stored.business_date == submission.business_date
        && stored_lines == lines
        && stored.card_total_cents == submission.card_total_cents
        && stored.float_cents == submission.float_cents
        && stored.cash_takings_cents == submission.cash_takings_cents
        && expected_same
        && stored.corrects == submission.corrects
        && stored.note == submission.note
        && stored.counted_by.id == submission.counted_by
}

/// A manager's decision on a submitted count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    Approve { note: Option<String> },
    Dispute { reason: String },
}

impl Decision {
    pub fn target(&self) -> CashState {
        match self {
            Self::Approve { .. } => CashState::Approved,
            Self::Dispute { .. } => CashState::Disputed,
        }
    }

    pub fn reason(&self) -> Option<&str> {
        match self {
            Self::Approve { note } => note.as_deref(),
            Self::Dispute { reason } => Some(reason),
        }
    }
}

/// Why a decision was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecisionRefused {
    /// Already approved or disputed: decisions are final.
    AlreadyDecided(CashState),
    /// A correction replaced the count; decide on the correction.
    Superseded,
}

/// The state machine: only a submitted count that no correction replaced is decided, once.
pub fn decide(
    state: CashState,
    corrected_by: Option<Uuid>,
    decision: &Decision,
) -> Result<CashState, DecisionRefused> {
    if state != CashState::Submitted {
        return Err(DecisionRefused::AlreadyDecided(state));
    }
    if corrected_by.is_some() {
        return Err(DecisionRefused::Superseded);
    }
    Ok(decision.target())
}

/// Why a correction was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CorrectionRefused {
    /// A correction keeps the location, count type and business date of the count it corrects.
    DifferentCount,
    /// The count was corrected already: correct the latest correction instead.
    AlreadyCorrected,
}

/// Checks that `submission` may correct `original`.
pub fn check_correction(
    submission: &Submission,
    original: &CashCount,
) -> Result<(), CorrectionRefused> {
    if original.location_id != submission.location_id
        || original.count_type != submission.count_type
        || original.business_date != submission.business_date
    {
        Err(CorrectionRefused::DifferentCount)
    } else if original.corrected_by.is_some() {
        Err(CorrectionRefused::AlreadyCorrected)
    } else {
        Ok(())
    }
}

/// Trims free text; empty is `None`. `Err("too_long")` beyond [`MAX_TEXT_CHARS`].
pub fn optional_text(text: Option<&str>) -> Result<Option<String>, &'static str> {
    // The shared free-text rule; cash has answered `invalid` for control characters since it shipped.
    crate::validation::free_text(text, MAX_TEXT_CHARS).map_err(|code| match code {
        "invalid_characters" => "invalid",
        other => other,
    })
}

/// One business day of a summary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DaySummary {
    pub date: NaiveDate,
    /// The effective count of each type, in [`CountType::ALL`] order, when there is one.
    pub counts: Vec<CashCount>,
    /// Cash takings and card total of the day: those entered with its closing count.
    pub cash_takings_cents: Option<i64>,
    pub card_total_cents: Option<i64>,
    /// The sum of the day's effective discrepancies.
    pub discrepancy_cents: i64,
    pub over_tolerance: bool,
    /// Effective counts still awaiting a decision.
    pub awaiting_decision: usize,
}

/// The totals of a range.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SummaryTotals {
    pub cash_takings_cents: i64,
    pub card_total_cents: i64,
    pub discrepancy_cents: i64,
    pub counts: usize,
    pub over_tolerance: usize,
    pub awaiting_decision: usize,
}

/// The counts of a range day by day (every day of the range, counted or not) and their totals. Only
/// effective counts (not corrected by another count) are shown and summed.
pub fn summarize(
    from: NaiveDate,
    to: NaiveDate,
    counts: &[CashCount],
) -> (Vec<DaySummary>, SummaryTotals) {
    let corrected: Vec<Uuid> = counts.iter().filter_map(|c| c.corrects).collect();
    let effective: Vec<&CashCount> = counts
        .iter()
        .filter(|c| c.is_effective() && !corrected.contains(&c.id))
        .collect();
    let mut days = Vec::new();
    let mut totals = SummaryTotals::default();
    let mut date = from;
    while date <= to {
        let of_day: Vec<CashCount> = CountType::ALL
            .iter()
            .filter_map(|t| {
                effective
                    .iter()
                    .filter(|c| c.business_date == date && c.count_type == *t)
                    .max_by_key(|c| (c.counted_at, c.id))
                    .map(|c| (*c).clone())
            })
            .collect();
        let closing = of_day.iter().find(|c| c.count_type == CountType::Closing);
        let day = DaySummary {
            date,
            cash_takings_cents: closing.and_then(|c| c.cash_takings_cents),
            card_total_cents: closing.and_then(|c| c.card_total_cents),
            discrepancy_cents: of_day.iter().map(|c| c.discrepancy_cents).sum(),
            over_tolerance: of_day.iter().any(CashCount::over_tolerance),
            awaiting_decision: of_day
                .iter()
                .filter(|c| c.state == CashState::Submitted)
                .count(),
            counts: of_day,
        };
        totals.cash_takings_cents += day.cash_takings_cents.unwrap_or(0);
        totals.card_total_cents += day.card_total_cents.unwrap_or(0);
        totals.discrepancy_cents += day.discrepancy_cents;
        totals.counts += day.counts.len();
        totals.over_tolerance += day.counts.iter().filter(|c| c.over_tolerance()).count();
        totals.awaiting_decision += day.awaiting_decision;
        days.push(day);
        match date.succ_opt() {
            Some(next) => date = next,
            None => break,
        }
    }
    (days, totals)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exports::NamedRef;
    use chrono::TimeZone;
    use chrono_tz::Europe::Amsterdam;
    use proptest::prelude::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap()
    }

    #[test]
    fn a_night_past_midnight_belongs_to_the_day_it_started() {
        // 23:59 and 00:30 and 05:59 local (CET, UTC+1) are the 9th; 06:00 is the 10th.
        assert_eq!(
            business_date(utc(2026, 1, 9, 22, 59), Amsterdam),
            date(2026, 1, 9)
        );
        assert_eq!(
            business_date(utc(2026, 1, 9, 23, 30), Amsterdam),
            date(2026, 1, 9)
        );
        assert_eq!(
            business_date(utc(2026, 1, 10, 4, 59), Amsterdam),
            date(2026, 1, 9)
        );
        assert_eq!(
            business_date(utc(2026, 1, 10, 5, 0), Amsterdam),
            date(2026, 1, 10)
        );
        // New year's night.
        assert_eq!(
            business_date(utc(2026, 12, 31, 23, 30), Amsterdam),
            date(2026, 12, 31)
        );
    }

    #[test]
    fn daylight_saving_changes_do_not_move_the_business_day() {
        // Spring forward, 29 March 2026: 02:00 CET becomes 03:00 CEST. 01:30 UTC is 03:30 local → the 28th;
        // 04:00 UTC is 06:00 CEST → the 29th; 03:59 UTC is 05:59 CEST → still the 28th.
        assert_eq!(
            business_date(utc(2026, 3, 29, 1, 30), Amsterdam),
            date(2026, 3, 28)
        );
        assert_eq!(
            business_date(utc(2026, 3, 29, 3, 59), Amsterdam),
            date(2026, 3, 28)
        );
        assert_eq!(
            business_date(utc(2026, 3, 29, 4, 0), Amsterdam),
            date(2026, 3, 29)
        );
        // Fall back, 25 October 2026: 03:00 CEST becomes 02:00 CET; both 02:30s are the 24th's night, and
        // 06:00 CET (05:00 UTC) starts the 25th.
        assert_eq!(
            business_date(utc(2026, 10, 25, 0, 30), Amsterdam),
            date(2026, 10, 24)
        );
        assert_eq!(
            business_date(utc(2026, 10, 25, 1, 30), Amsterdam),
            date(2026, 10, 24)
        );
        assert_eq!(
            business_date(utc(2026, 10, 25, 4, 59), Amsterdam),
            date(2026, 10, 24)
        );
        assert_eq!(
            business_date(utc(2026, 10, 25, 5, 0), Amsterdam),
            date(2026, 10, 25)
        );
    }

    #[test]
    fn business_dates_are_neither_future_nor_older_than_the_limit() {
        let today = date(2026, 6, 10);
        assert_eq!(check_business_date(today, today), Ok(today));
        assert_eq!(
            check_business_date(date(2026, 6, 11), today),
            Err(DateRefused::InFuture)
        );
        assert!(check_business_date(today - Duration::days(MAX_BACKDATE_DAYS), today).is_ok());
        assert_eq!(
            check_business_date(today - Duration::days(MAX_BACKDATE_DAYS + 1), today),
            Err(DateRefused::TooOld)
        );
    }

    fn submission(count_type: CountType, lines: &[(i64, i64)]) -> Submission {
        Submission {
            location_id: Uuid::from_u128(1),
            count_type,
            business_date: date(2026, 6, 10),
            lines: money::check_lines(lines).unwrap(),
            card_total_cents: Some(12_345),
            float_cents: Some(15_000),
            cash_takings_cents: Some(40_000),
            expected_cents: None,
            corrects: None,
            note: None,
            counted_by: Uuid::from_u128(7),
            client_key: Uuid::from_u128(99),
        }
    }

    fn stored(new: &NewCashCount) -> CashCount {
        CashCount {
            id: new.id,
            location_id: new.location_id,
            count_type: new.count_type,
            business_date: new.business_date,
            lines: new.lines.clone(),
            counted_cents: new.counted_cents,
            card_total_cents: new.card_total_cents,
            float_cents: new.float_cents,
            cash_takings_cents: new.cash_takings_cents,
            expected_cents: new.expected_cents,
            expected_source: new.expected_source,
            discrepancy_cents: new.discrepancy_cents,
            tolerance_cents: new.tolerance_cents,
            note: new.note.clone(),
            state: CashState::Submitted,
            corrects: new.corrects,
            corrected_by: None,
            counted_by: NamedRef {
                id: new.counted_by,
                name: None,
            },
            counted_at: utc(2026, 6, 10, 22, 0),
            client_key: new.client_key,
            decided_by: None,
            decided_at: None,
            decision_reason: None,
            receipt: None,
        }
    }

    #[test]
    fn expected_comes_from_the_previous_closing_or_the_opening_plus_takings() {
        let basis = ExpectedBasis {
            previous_closing: Some((Uuid::from_u128(3), Some(15_000))),
            opening: Some((Uuid::from_u128(4), 15_050)),
        };
        let opening = prepare(
            Uuid::nil(),
            submission(CountType::Opening, &[(5000, 3)]),
            &basis,
            500,
        )
        .unwrap();
        assert_eq!(opening.expected_cents, 15_000);
        assert_eq!(opening.expected_source, ExpectedSource::PreviousClosing);
        assert_eq!(opening.discrepancy_cents, 0);

        // 15 050 + 40 000 expected, 2 × 200 € + 10 × 5 € + 3 × 1 ct = 45 003 counted: 10 047 short.
        let closing = prepare(
            Uuid::nil(),
            submission(CountType::Closing, &[(20_000, 2), (500, 10), (1, 3)]),
            &basis,
            500,
        )
        .unwrap();
        assert_eq!(closing.counted_cents, 45_003);
        assert_eq!(closing.expected_cents, 55_050);
        assert_eq!(closing.expected_source, ExpectedSource::OpeningPlusTakings);
        assert_eq!(closing.discrepancy_cents, -10_047);

        let mut entered = submission(CountType::Midday, &[(100, 1)]);
        entered.expected_cents = Some(150);
        let midday = prepare(Uuid::nil(), entered, &ExpectedBasis::default(), 500).unwrap();
        assert_eq!(
            (midday.expected_cents, midday.expected_source),
            (150, ExpectedSource::Entered)
        );
        assert_eq!(midday.discrepancy_cents, -50);

        assert_eq!(
            prepare(
                Uuid::nil(),
                submission(CountType::Closing, &[]),
                &ExpectedBasis::default(),
                500
            ),
            Err(PrepareRefused::ExpectedRequired)
        );
        let mut no_takings = submission(CountType::Closing, &[]);
        no_takings.cash_takings_cents = None;
        assert_eq!(
            prepare(Uuid::nil(), no_takings, &basis, 500),
            Err(PrepareRefused::ExpectedRequired)
        );
        // A closing without a float leaves the next opening nothing to compute from.
        let no_float = ExpectedBasis {
            previous_closing: Some((Uuid::from_u128(3), None)),
            opening: None,
        };
        assert_eq!(computed_expected(CountType::Opening, &no_float, None), None);
    }

    #[test]
    fn a_repeat_is_the_same_submission_only_with_the_same_figures() {
        let first = submission(CountType::Closing, &[(5000, 3), (200, 4)]);
        let basis = ExpectedBasis {
            previous_closing: None,
            opening: Some((Uuid::from_u128(4), 15_000)),
        };
        let saved = stored(&prepare(Uuid::from_u128(5), first.clone(), &basis, 500).unwrap());
        assert!(same_submission(&first, &saved));
        let reordered = Submission {
            lines: {
                let mut l = first.lines.clone();
                l.reverse();
                l
            },
            ..first.clone()
        };
        assert!(same_submission(&reordered, &saved));
        let other = submission(CountType::Closing, &[(5000, 4), (200, 4)]);
        assert!(!same_submission(&other, &saved));
        let entered = Submission {
            expected_cents: Some(saved.expected_cents),
            ..first.clone()
        };
        assert!(
            !same_submission(&entered, &saved),
            "entered vs computed differ"
        );
        let someone_else = Submission {
            counted_by: Uuid::from_u128(8),
            ..first
        };
        assert!(!same_submission(&someone_else, &saved));
    }

    #[test]
    fn only_a_submitted_uncorrected_count_is_decided_once() {
        let approve = Decision::Approve { note: None };
        let dispute = Decision::Dispute {
            reason: "Short 20".into(),
        };
        assert_eq!(
            decide(CashState::Submitted, None, &approve),
            Ok(CashState::Approved)
        );
        assert_eq!(
            decide(CashState::Submitted, None, &dispute),
            Ok(CashState::Disputed)
        );
        for state in [CashState::Approved, CashState::Disputed] {
            assert_eq!(
                decide(state, None, &approve),
                Err(DecisionRefused::AlreadyDecided(state))
            );
        }
        assert_eq!(
            decide(CashState::Submitted, Some(Uuid::nil()), &approve),
            Err(DecisionRefused::Superseded)
        );
    }

    #[test]
    fn corrections_keep_the_count_they_correct() {
        let basis = ExpectedBasis {
            previous_closing: None,
            opening: Some((Uuid::from_u128(4), 0)),
        };
        let original = stored(
            &prepare(
                Uuid::from_u128(5),
                submission(CountType::Closing, &[]),
                &basis,
                500,
            )
            .unwrap(),
        );
        let mut fix = submission(CountType::Closing, &[(100, 1)]);
        fix.corrects = Some(original.id);
        assert_eq!(check_correction(&fix, &original), Ok(()));
        fix.count_type = CountType::Midday;
        assert_eq!(
            check_correction(&fix, &original),
            Err(CorrectionRefused::DifferentCount)
        );
        fix.count_type = CountType::Closing;
        let corrected = CashCount {
            corrected_by: Some(Uuid::from_u128(6)),
            ..original
        };
        assert_eq!(
            check_correction(&fix, &corrected),
            Err(CorrectionRefused::AlreadyCorrected)
        );
    }

    #[test]
    fn summaries_use_effective_counts_and_flag_discrepancies_over_tolerance() {
        let basis = ExpectedBasis {
            previous_closing: None,
            opening: Some((Uuid::from_u128(4), 10_000)),
        };
        let mut first = submission(CountType::Closing, &[(5000, 9)]); // 450 € vs 500 € expected
        first.cash_takings_cents = Some(40_000);
        let original = stored(&prepare(Uuid::from_u128(10), first, &basis, 500).unwrap());
        assert!(original.over_tolerance());
        let mut fix = submission(CountType::Closing, &[(5000, 10)]);
        fix.corrects = Some(original.id);
        let correction = stored(&prepare(Uuid::from_u128(11), fix, &basis, 500).unwrap());
        let (days, totals) = summarize(
            date(2026, 6, 9),
            date(2026, 6, 11),
            &[original.clone(), correction.clone()],
        );
        assert_eq!(days.len(), 3);
        assert!(days[0].counts.is_empty() && days[2].counts.is_empty());
        assert_eq!(days[1].counts, vec![correction]);
        assert_eq!(days[1].discrepancy_cents, 0);
        assert!(!days[1].over_tolerance);
        assert_eq!(days[1].card_total_cents, Some(12_345));
        assert_eq!(totals.counts, 1);
        assert_eq!(totals.cash_takings_cents, 40_000);
        assert_eq!(totals.awaiting_decision, 1);
        let (days, totals) = summarize(date(2026, 6, 10), date(2026, 6, 10), &[original]);
        assert!(days[0].over_tolerance);
        assert_eq!(totals.over_tolerance, 1);
        assert_eq!(totals.discrepancy_cents, -5_000);
    }

    #[test]
    fn texts_are_trimmed_and_bounded() {
        assert_eq!(optional_text(Some("  ")), Ok(None));
        assert_eq!(optional_text(Some(" ok ")), Ok(Some("ok".into())));
        assert_eq!(optional_text(Some(&"x".repeat(501))), Err("too_long"));
        assert_eq!(optional_text(Some("a\u{0}b")), Err("invalid"));
    }

    proptest! {
        /// The discrepancy is exactly counted − expected, its sign says short (−) or over (+), and the
        /// tolerance flag is symmetric.
        #[test]
        fn discrepancy_is_counted_minus_expected(
            quantities in prop::collection::vec(0..=money::MAX_QUANTITY, money::DENOMINATIONS.len()),
            expected in 0..=money::MAX_AMOUNT_CENTS,
            tolerance in 0..=MAX_TOLERANCE_CENTS,
        ) {
            let raw: Vec<(i64, i64)> = money::DENOMINATIONS.iter().copied().zip(quantities).collect();
            let mut s = submission(CountType::Midday, &raw);
            s.expected_cents = Some(expected);
            let count = prepare(Uuid::nil(), s, &ExpectedBasis::default(), tolerance).unwrap();
            let counted: i128 = raw.iter().map(|&(d, q)| i128::from(d) * i128::from(q)).sum();
            prop_assert_eq!(i128::from(count.counted_cents), counted);
            prop_assert_eq!(i128::from(count.discrepancy_cents), counted - i128::from(expected));
            prop_assert_eq!(count.discrepancy_cents < 0, counted < i128::from(expected));
            prop_assert_eq!(
                over_tolerance(count.discrepancy_cents, tolerance),
                over_tolerance(-count.discrepancy_cents, tolerance)
            );
            prop_assert_eq!(
                over_tolerance(count.discrepancy_cents, tolerance),
                (counted - i128::from(expected)).abs() > i128::from(tolerance)
            );
        }

        /// Every instant maps to its local date or the day before, and to the day before exactly when the
        /// local time is before 06:00.
        #[test]
        fn business_dates_follow_the_local_wall_clock(seconds in 0i64..4_000_000_000) {
            let at = DateTime::from_timestamp(seconds, 0).unwrap();
            let local = at.with_timezone(&Amsterdam).naive_local();
            let day = business_date(at, Amsterdam);
            if local.time() < DAY_STARTS_AT {
                prop_assert_eq!(day.succ_opt().unwrap(), local.date());
            } else {
                prop_assert_eq!(day, local.date());
            }
        }
    }
}
