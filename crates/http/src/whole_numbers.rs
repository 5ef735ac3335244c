//! Whole numbers written with a fraction (`7.0`) in JSON request bodies.
//!
//! To JSON Schema — so to our OpenAPI document — `7.0` is an integer like `7`, but serde reads it only into
//! float fields: an integer field answered 400 `invalid_json` to a body its own contract admits (the API
//! fuzzer sends such numbers on purpose; any client whose JSON writer keeps floats as floats does too).
//! This middleware sits just outside the handlers: a JSON body that holds such a number gets it rewritten
//! as the plain integer before the `Json` extractors read it. Bodies without one pass through byte for byte;
//! numbers with a real fraction stay as they are (and an integer field still refuses them).

use actix_web::body::MessageBody;
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::header::{CONTENT_LENGTH, CONTENT_TYPE};
use actix_web::middleware::Next;
use actix_web::web::{Bytes, BytesMut};
use actix_web::{Error, HttpMessage as _};
use futures_util::StreamExt as _;
use serde_json::Value;

use crate::error::JSON_LIMIT_BYTES;

/// Beyond this magnitude a float no longer spells one integer exactly.
const EXACT: f64 = 9_007_199_254_740_992.0; // 2^53

pub(crate) async fn middleware(
    mut request: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let json = request
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(';')
                .next()
                .unwrap_or_default()
                .trim()
                .to_ascii_lowercase()
        })
        .is_some_and(|media| media == "application/json" || media.ends_with("+json"));
    // Only bodies of a declared length within the JSON limit are read here; anything else is left to the
    // extractor and its limit (HTTP/1 framing keeps a body to its declared length).
    let length = request
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<usize>().ok())
        .filter(|n| (1..=JSON_LIMIT_BYTES).contains(n));
    if let (true, Some(length)) = (json, length) {
        let mut payload = request.take_payload();
        let mut body = BytesMut::with_capacity(length);
        while let Some(chunk) = payload.next().await {
            body.extend_from_slice(&chunk?);
        }
        let body = body.freeze();
        let rewritten = rewrite(&body).unwrap_or(body);
        request.set_payload(Payload::from(rewritten));
    }
    next.call(request).await
}

/// The body with its whole floats written as integers, or `None` when it has none (or is no JSON: the
/// extractor reports that).
fn rewrite(body: &[u8]) -> Option<Bytes> {
    let mut value: Value = serde_json::from_slice(body).ok()?;
    if !make_whole(&mut value) {
        return None;
    }
    serde_json::to_vec(&value).ok().map(Bytes::from)
}

/// Rewrites every whole float in place; whether there was one.
fn make_whole(value: &mut Value) -> bool {
    match value {
        Value::Number(number) if number.is_f64() => {
            match number.as_f64() {
                Some(float) if float.fract() == 0.0 && float.abs() <= EXACT => {
                    // Exact: a whole number within ±2^53 (checked above).
                    #[allow(clippy::cast_possible_truncation)]
                    let whole = float as i64;
                    *value = Value::from(whole);
                    true
                }
                _ => false,
            }
        }
        Value::Array(items) => items
            .iter_mut()
            .fold(false, |found, v| make_whole(v) | found),
        Value::Object(map) => map
            .values_mut()
            .fold(false, |found, v| make_whole(v) | found),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_floats_become_integers_everywhere_in_the_body() {
        let body =
            br#"{"slots": 2.0, "shifts": [{"weekday": 7.0, "minLevel": -3.0}], "ratio": 0.5}"#;
        let rewritten = rewrite(body).unwrap_or_default();
        let value: Value = serde_json::from_slice(&rewritten).unwrap_or_default();
        assert_eq!(
            value,
            serde_json::json!({"slots": 2, "shifts": [{"weekday": 7, "minLevel": -3}], "ratio": 0.5})
        );
        assert!(value["slots"].is_i64());
    }

    #[test]
    fn bodies_without_whole_floats_are_left_alone() {
        assert!(rewrite(br#"{"slots": 2, "ratio": 0.5, "name": "7.0"}"#).is_none());
        assert!(rewrite(b"not json").is_none());
        // Past 2^53 a float names no single integer: left for the extractor to refuse.
        assert!(rewrite(br#"{"n": 1e300}"#).is_none());
    }
}
