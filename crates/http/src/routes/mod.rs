//! Route table. Every route the application serves is registered here, through utoipa's actix bindings, so
//! the OpenAPI document lists exactly the routes the router has (the authorization-matrix test relies on
//! that).

mod accounts;
pub(crate) mod admin;
mod applications;
mod audit;
mod cash;
mod dashboard;
mod exports;
mod health;
mod hours_locks;
mod interviews;
mod knowledge;
mod locations;
mod me;
mod meta;
mod notes;
mod notifications;
mod people;
mod retention;
mod scheduling;
mod settings;
mod spa;

use base64::Engine as _;
use chrono::{DateTime, Utc};
use crewplots_domain::accounts::PageRequest;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use crate::error::ApiError;

pub(crate) use spa::fallback;

pub(crate) fn configure(cfg: &mut ServiceConfig<'_>) {
    cfg.service(health::alive)
        .service(health::ready)
        .service(health::metrics)
        .service(meta::openapi)
        .service(accounts::register)
        .service(accounts::login)
        .service(accounts::logout)
        .service(accounts::me)
        .service(accounts::change_password)
        .service(accounts::request_password_reset)
        .service(accounts::confirm_password_reset)
        .service(locations::public_location)
        .service(locations::list)
        .service(locations::create)
        .service(locations::get_one)
        .service(locations::update)
        .service(locations::get_poster)
        .service(locations::staff)
        .service(applications::my_applications)
        .service(applications::apply)
        .service(applications::add_manual)
        .service(applications::board)
        .service(applications::bulk_status)
        .service(applications::get_detail)
        .service(applications::withdraw)
        .service(applications::get_letter)
        .service(applications::put_letter)
        .service(applications::set_status)
        .service(applications::hire)
        .service(interviews::schedule)
        .service(interviews::reschedule)
        .service(interviews::cancel)
        .service(interviews::outcome)
        .service(interviews::download_ics)
        .service(notes::list)
        .service(notes::create)
        .service(notes::update)
        .service(notes::remove)
        .service(admin::list_users)
        .service(admin::create_user)
        .service(admin::update_user)
        .service(admin::revoke_sessions)
        .service(admin::outbox)
        .service(people::get_profile)
        .service(people::put_profile)
        .service(people::list_documents)
        .service(people::upload_document)
        .service(people::download_document)
        .service(people::delete_document)
        .service(people::review_document)
        .service(people::expiring_documents)
        .service(people::review_queue)
        .service(me::export)
        .service(me::erase_me)
        .service(me::erase_person)
        .service(scheduling::catalog::list_positions)
        .service(scheduling::catalog::create_position)
        .service(scheduling::catalog::update_position)
        .service(scheduling::catalog::list_competencies)
        .service(scheduling::catalog::create_competency)
        .service(scheduling::catalog::update_competency)
        .service(scheduling::crew::roster)
        .service(scheduling::crew::candidates)
        .service(scheduling::crew::add)
        .service(scheduling::crew::update)
        .service(scheduling::crew::page)
        .service(scheduling::crew::assess)
        .service(scheduling::templates::list)
        .service(scheduling::templates::create)
        .service(scheduling::templates::get_one)
        .service(scheduling::templates::replace)
        .service(scheduling::templates::remove)
        .service(scheduling::weeks::list_weeks)
        .service(scheduling::weeks::create)
        .service(scheduling::weeks::grid)
        .service(scheduling::weeks::published_schedule)
        .service(scheduling::weeks::set_rules)
        .service(scheduling::weeks::preview)
        .service(scheduling::weeks::publish_week)
        .service(scheduling::weeks::week_changes)
        .service(scheduling::shifts::add)
        .service(scheduling::shifts::update)
        .service(scheduling::shifts::remove)
        .service(scheduling::shifts::eligible)
        .service(scheduling::shifts::assign)
        .service(scheduling::shifts::unassign)
        .service(scheduling::autofill::suggest_fill)
        .service(scheduling::autofill::apply_suggestions)
        .service(scheduling::autofill::get_autofill_settings)
        .service(scheduling::autofill::put_autofill_settings)
        .service(scheduling::mine::my_shifts)
        .service(scheduling::mine::get_availability)
        .service(scheduling::mine::put_availability)
        .service(scheduling::mine::add_unavailable_day)
        .service(scheduling::mine::remove_unavailable_day)
        .service(scheduling::feed::status)
        .service(scheduling::feed::create)
        .service(scheduling::feed::remove)
        .service(scheduling::feed::calendar)
        .service(scheduling::time_off::mine)
        .service(scheduling::time_off::ask)
        .service(scheduling::time_off::cancel)
        .service(scheduling::time_off::location_list)
        .service(scheduling::time_off::decide)
        .service(scheduling::requests::open_shifts::list)
        .service(scheduling::requests::open_shifts::claim)
        .service(scheduling::requests::open_shifts::mark_interest)
        .service(scheduling::requests::open_shifts::unmark_interest)
        .service(scheduling::requests::swaps::offer)
        .service(scheduling::requests::swaps::swap)
        .service(scheduling::requests::swaps::my_requests)
        .service(scheduling::requests::swaps::accept)
        .service(scheduling::requests::swaps::decline)
        .service(scheduling::requests::swaps::withdraw)
        .service(scheduling::requests::inbox::location_list)
        .service(scheduling::requests::inbox::approve)
        .service(scheduling::requests::inbox::deny)
        .service(scheduling::requests::inbox::approve_many)
        .service(scheduling::requests::inbox::counts)
        .service(scheduling::requests::inbox::get_settings)
        .service(scheduling::requests::inbox::put_settings)
        .service(notifications::list)
        .service(notifications::mark_read)
        .service(notifications::get_settings)
        .service(notifications::put_setting)
        .service(dashboard::dashboard)
        .service(retention::retention_status)
        .service(retention::put_retention_hold)
        .service(retention::remove_retention_hold)
        .service(settings::public_settings)
        .service(exports::hours)
        .service(exports::applications)
        .service(exports::audit)
        .service(audit::list)
        .service(hours_locks::create)
        .service(hours_locks::list)
        .service(cash::counts::expected)
        .service(cash::counts::submit)
        .service(cash::counts::list)
        .service(cash::counts::get_one)
        .service(cash::decisions::approve)
        .service(cash::decisions::dispute)
        .service(cash::receipts::upload_receipt)
        .service(cash::receipts::download_receipt)
        .service(cash::summary::summary)
        .service(cash::summary::export)
        .service(cash::settings::get_settings)
        .service(cash::settings::put_settings)
        .service(knowledge::categories::list_categories)
        .service(knowledge::categories::create_category)
        .service(knowledge::categories::update_category)
        .service(knowledge::categories::delete_category)
        .service(knowledge::articles::list_articles)
        .service(knowledge::articles::create_article)
        .service(knowledge::articles::get_article)
        .service(knowledge::articles::save_article)
        .service(knowledge::articles::publish_article)
        .service(knowledge::articles::unpublish_article)
        .service(knowledge::articles::delete_article)
        .service(knowledge::articles::list_versions)
        .service(knowledge::articles::get_version)
        .service(knowledge::reading::confirm_read)
        .service(knowledge::reading::read_status)
        .service(knowledge::reading::my_must_read)
        .service(knowledge::search::search)
        .service(knowledge::images::upload_image)
        .service(knowledge::images::get_image);
}

/// Encodes a keyset position as an opaque cursor.
pub(crate) fn encode_cursor(position: Option<(DateTime<Utc>, Uuid)>) -> Option<String> {
    position.map(|(at, id)| {
        base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(format!("{}:{id}", at.timestamp_micros()))
    })
}

/// Reads `limit` and `cursor` query parameters.
pub(crate) fn page_request(
    limit: Option<u32>,
    cursor: Option<&str>,
) -> Result<PageRequest, ApiError> {
    let invalid = || ApiError::BadRequest {
        code: "invalid_cursor",
        message: "The cursor is not valid; start from the first page.".into(),
    };
    let after = match cursor.filter(|c| !c.is_empty()) {
        None => None,
        Some(cursor) => {
            let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(cursor)
                .map_err(|_| invalid())?;
            let text = String::from_utf8(bytes).map_err(|_| invalid())?;
            let (micros, id) = text.split_once(':').ok_or_else(invalid)?;
            let at = DateTime::from_timestamp_micros(micros.parse().map_err(|_| invalid())?)
                .ok_or_else(invalid)?;
            Some((at, id.parse().map_err(|_| invalid())?))
        }
    };
    Ok(PageRequest {
        limit: limit.unwrap_or(50).clamp(1, 200),
        after,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_garbage_is_refused() {
        let at = DateTime::from_timestamp_micros(1_700_000_000_123_456).unwrap();
        let id = Uuid::from_u128(7);
        let cursor = encode_cursor(Some((at, id))).unwrap();
        let page = page_request(Some(10), Some(&cursor)).unwrap();
        assert_eq!(page.after, Some((at, id)));
        assert_eq!(page.limit, 10);
        assert!(page_request(None, Some("%%%")).is_err());
        assert!(page_request(None, Some("bm9jb2xvbg")).is_err());
        assert_eq!(page_request(Some(100_000), None).unwrap().limit, 200);
    }
}
