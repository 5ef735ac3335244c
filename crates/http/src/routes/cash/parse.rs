//! Reading the cash routes' input: every value arrives as text or a plain number and is checked here, so a
//! bad value answers 422 with its field named (`lines[2].quantity`, `cardTotal`, …).

use chrono::NaiveDate;
use crewplots_domain::cash::money::{self, check_lines};
use crewplots_domain::cash::rules::{self, Submission};
use crewplots_domain::cash::{CashState, CountType};
use crewplots_domain::validation::FieldErrors;
use uuid::Uuid;

use crate::dto::NewCashCountRequest;
use crate::query;

fn present(text: Option<&str>) -> Option<&str> {
    text.map(str::trim).filter(|t| !t.is_empty())
}

/// An optional decimal euro amount, in cents.
pub(crate) fn amount(errors: &mut FieldErrors, field: &str, text: Option<&str>) -> Option<i64> {
    let text = present(text)?;
    money::parse_amount(text)
        .map_err(|e| errors.add(field, e.code()))
        .ok()
}

/// A count type; `required` adds `required` when it is missing.
pub(crate) fn count_type(
    errors: &mut FieldErrors,
    field: &str,
    text: Option<&str>,
    required: bool,
) -> Option<CountType> {
    match present(text) {
        None => {
            if required {
                errors.add(field, "required");
            }
            None
        }
        Some(text) => CountType::parse(text)
            .ok_or(())
            .map_err(|_| errors.add(field, "invalid"))
            .ok(),
    }
}

/// An optional state filter.
pub(crate) fn state(errors: &mut FieldErrors, text: Option<&str>) -> Option<CashState> {
    let text = present(text)?;
    CashState::parse(text)
        .ok_or(())
        .map_err(|_| errors.add("state", "invalid"))
        .ok()
}

/// A count's business date: the one sent (not in the future, not too old), or today's at the location.
pub(crate) fn business_date(
    errors: &mut FieldErrors,
    text: Option<&str>,
    today: NaiveDate,
) -> Option<NaiveDate> {
    match present(text) {
        None => Some(today),
        Some(_) => {
            let date = query::date(errors, "businessDate", text)?;
            rules::check_business_date(date, today)
                .map_err(|refused| errors.add("businessDate", refused.code()))
                .ok()
        }
    }
}

/// A submission: every field checked, every problem named at once.
pub(crate) fn submission(
    body: NewCashCountRequest,
    header_key: Option<&str>,
    location: Uuid,
    today: NaiveDate,
    counted_by: Uuid,
) -> Result<Submission, FieldErrors> {
    let mut errors = FieldErrors::default();
    let key_text = present(body.client_key.as_deref()).or(present(header_key));
    let client_key = match key_text {
        None => {
            errors.add("clientKey", "required");
            None
        }
        Some(text) => text
            .parse::<Uuid>()
            .map_err(|_| errors.add("clientKey", "invalid_id"))
            .ok(),
    };
    let count_type = count_type(&mut errors, "type", body.count_type.as_deref(), true);
    let business_date = business_date(&mut errors, body.business_date.as_deref(), today);
    let raw: Vec<(i64, i64)> = body
        .lines
        .iter()
        .map(|l| (l.denomination, l.quantity))
        .collect();
    let lines = match check_lines(&raw) {
        Ok(lines) => Some(lines),
        Err(problems) => {
            for (index, problem) in problems {
                errors.add(
                    &format!("lines[{index}].{}", problem.field()),
                    problem.code(),
                );
            }
            None
        }
    };
    let card_total = amount(&mut errors, "cardTotal", body.card_total.as_deref());
    let float = amount(&mut errors, "float", body.float.as_deref());
    let cash_takings = amount(&mut errors, "cashTakings", body.cash_takings.as_deref());
    let expected = amount(&mut errors, "expected", body.expected.as_deref());
    let note = rules::optional_text(body.note.as_deref())
        .map_err(|code| errors.add("note", code))
        .ok()
        .flatten();
    match (client_key, count_type, business_date, lines) {
        (Some(client_key), Some(count_type), Some(business_date), Some(lines))
            if errors.is_empty() =>
        {
            Ok(Submission {
                location_id: location,
                count_type,
                business_date,
                lines,
                card_total_cents: card_total,
                float_cents: float,
                cash_takings_cents: cash_takings,
                expected_cents: expected,
                corrects: body.corrects,
                note,
                counted_by,
                client_key,
            })
        }
        _ => Err(errors),
    }
}
