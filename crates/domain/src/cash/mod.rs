//! Cash counts per location (SPEC §4.10, issue 15): opening, midday and closing counts of the till by
//! euro denomination, checked against an expected amount, decided by a manager.
//!
//! The model:
//! - **Money is integer cents** (`i64`) everywhere: counted lines are denomination × quantity summed with
//!   checked arithmetic ([`money::total`]); typed amounts are parsed from text with at most two decimals
//!   ([`money::parse_amount`]). No float ever holds an amount.
//! - **Business date**: a count belongs to the business day it was made in; a day runs from 06:00 local time
//!   to 06:00 the next morning ([`rules::business_date`]), so a closing at 01:30 belongs to the day before.
//!   Clients may send the date; the server defaults it from the location's time zone.
//! - **Figures of a count**: `counted` (the cash in the till, from the lines), `cardTotal` (the card
//!   terminal's total, entered), `float` (the cash left in the till for the next opening), `cashTakings`
//!   (the day's cash sales so far per the register, entered), `expected`, and
//!   `discrepancy = counted − expected` (negative: short; positive: over).
//! - **Expected**: entered by the person counting, or computed by the server ([`rules::computed_expected`]):
//!   an *opening* expects the float the latest earlier closing left in the till; a *midday* or *closing*
//!   expects the same day's opening cash plus the cash takings entered with the count. Without a basis the
//!   amount must be entered (422).
//! - **Tolerance**: per location (default 5 €, managers change it); a count stores the tolerance in force
//!   when it was submitted, and is over tolerance when `|discrepancy| > tolerance`.
//! - **State**: `submitted → approved | disputed` ([`rules::decide`]), decided by managers (and
//!   administrators) under the count's row lock; a dispute needs a reason. Decided counts never change
//!   (a database trigger refuses it): a mistake is fixed by a *correction*, a new count that names the one it
//!   corrects; the original stays, and only the latest of a chain is *effective* (shown in summaries,
//!   decided). One original count per location, business date and type.
//! - **Idempotency**: every submission carries a client-generated key, unique per submitter; a repeat with
//!   the same figures answers the first count, a repeat with other figures is refused.
//! - Cash figures are not personal data and live in PostgreSQL; a till-receipt photo is sealed in the
//!   document vault (its owner id is the location).

pub mod model;
pub mod money;
pub mod ports;
pub mod rules;
pub mod service;

pub use model::{
    CashCount, CashReceipt, CashSettings, CashState, CountType, ExpectedBasis, ExpectedSource,
    NewCashCount,
};
pub use money::CashLine;
