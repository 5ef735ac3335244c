//! CSV downloads: a stream of rows becomes a chunked `text/csv` response, written with the `csv` crate.
//!
//! Invariants (issue 14 B):
//! - RFC 4180: fields quoted when they hold the delimiter, a quote or a line break; quotes doubled; every
//!   record ends in CRLF. The body starts with a UTF-8 byte-order mark (Excel then reads UTF-8) and the
//!   header row.
//! - Delimiter `,` with a decimal point, or `;` with a decimal comma (Dutch Excel): [`Delimiter`] decides
//!   both, so a file never mixes them.
//! - Free text ([`Cell::Text`]: names, positions, reasons, e-mail addresses) that starts with `=`, `+`, `-`,
//!   `@`, a tab or a carriage return is prefixed with `'`, so a spreadsheet shows it instead of evaluating
//!   it as a formula (CSV injection). Values the server writes itself ([`Cell::Value`]: numbers, dates,
//!   ids, statuses) are written as they are — a negative correction stays a number.
//! - Rows are encoded in batches as the store yields them; nothing holds the whole file. A store error
//!   part-way is logged and ends the body with an error, so the client sees an aborted download rather
//!   than a file that looks complete.

use std::borrow::Cow;

use actix_web::http::header;
use actix_web::web::Bytes;
use actix_web::HttpResponse;
use crewplots_domain::ports::StoreError;
use crewplots_domain::scheduling::hours::DecimalMark;
use crewplots_domain::validation::FieldErrors;
use futures_util::{stream, Stream, StreamExt};

use crate::error::ApiError;

/// The UTF-8 byte-order mark every export starts with.
pub(crate) const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Rows encoded per chunk of the body (at most; fewer when the store has fewer ready).
const ROWS_PER_CHUNK: usize = 256;

/// The field separator, and with it the decimal mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Delimiter {
    Comma,
    Semicolon,
}

impl Delimiter {
    /// The `delimiter` query parameter: `comma` (default) or `semicolon`; anything else 422.
    pub(crate) fn parse(text: Option<&str>) -> Result<Self, ApiError> {
        match text.map(str::trim).filter(|t| !t.is_empty()) {
            None | Some("comma") => Ok(Self::Comma),
            Some("semicolon") => Ok(Self::Semicolon),
            Some(_) => {
                let mut errors = FieldErrors::default();
                errors.add("delimiter", "invalid");
                Err(errors.into())
            }
        }
    }

    fn byte(self) -> u8 {
        match self {
            Self::Comma => b',',
            Self::Semicolon => b';',
        }
    }

    pub(crate) fn decimal_mark(self) -> DecimalMark {
        match self {
            Self::Comma => DecimalMark::Point,
            Self::Semicolon => DecimalMark::Comma,
        }
    }

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Comma => "comma",
            Self::Semicolon => "semicolon",
        }
    }
}

/// One field of a row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Cell {
    /// Text people typed: neutralised against formula injection.
    Text(String),
    /// A value the server formats itself (number, date, instant, id, code): written as is.
    Value(String),
}

impl Cell {
    pub(crate) fn text(value: impl Into<String>) -> Self {
        Self::Text(value.into())
    }

    pub(crate) fn value(value: impl ToString) -> Self {
        Self::Value(value.to_string())
    }

    fn as_field(&self) -> Cow<'_, str> {
        match self {
            Self::Text(text) => neutralise(text),
            Self::Value(value) => Cow::Borrowed(value),
        }
    }
}

/// A cell a spreadsheet would read as a formula gets a leading `'`.
pub(crate) fn neutralise(text: &str) -> Cow<'_, str> {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// Encodes records (CRLF line ends, quoting as needed).
pub(crate) fn encode<'a>(
    rows: impl IntoIterator<Item = &'a [Cell]>,
    delimiter: Delimiter,
) -> Result<Vec<u8>, csv::Error> {
    let mut writer = csv::WriterBuilder::new()
        .delimiter(delimiter.byte())
        .terminator(csv::Terminator::CRLF)
        .quote_style(csv::QuoteStyle::Necessary)
        .flexible(false)
        .from_writer(Vec::new());
    for row in rows {
        writer.write_record(row.iter().map(|c| c.as_field().into_owned()))?;
    }
    writer
        .into_inner()
        .map_err(|e| csv::Error::from(e.into_error()))
}

fn io_error(error: impl std::fmt::Display) -> std::io::Error {
    std::io::Error::other(error.to_string())
}

/// The chunked body: BOM and header first, then the rows in batches.
pub(crate) fn body<S>(
    delimiter: Delimiter,
    header: &'static [&'static str],
    rows: S,
) -> impl Stream<Item = Result<Bytes, std::io::Error>> + 'static
where
    S: Stream<Item = Result<Vec<Cell>, StoreError>> + 'static,
{
    let head = stream::once(async move {
        let names: Vec<Cell> = header.iter().map(|h| Cell::value(*h)).collect();
        let mut bytes = BOM.to_vec();
        bytes.extend(encode([names.as_slice()], delimiter).map_err(io_error)?);
        Ok(Bytes::from(bytes))
    });
    let rows = rows.ready_chunks(ROWS_PER_CHUNK).map(move |batch| {
        let batch = batch
            .into_iter()
            .collect::<Result<Vec<_>, _>>()
            .map_err(|error| {
                tracing::error!(%error, "an export failed part-way; the download is aborted");
                io_error("the export failed")
            })?;
        encode(batch.iter().map(Vec::as_slice), delimiter)
            .map(Bytes::from)
            .map_err(io_error)
    });
    head.chain(rows)
}

/// The download response: `text/csv`, attachment named `crewplots-<kind>-<from>-<to>.csv`.
pub(crate) fn download<S>(
    kind: &str,
    from: &str,
    to: &str,
    delimiter: Delimiter,
    header: &'static [&'static str],
    rows: S,
) -> HttpResponse
where
    S: Stream<Item = Result<Vec<Cell>, StoreError>> + 'static,
{
    HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"crewplots-{kind}-{from}-{to}.csv\""),
        ))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .streaming(body(delimiter, header, rows))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn read(bytes: &[u8], delimiter: Delimiter) -> Vec<Vec<String>> {
        csv::ReaderBuilder::new()
            .has_headers(false)
            .delimiter(delimiter.byte())
            .from_reader(bytes)
            .records()
            .map(|r| r.unwrap().iter().map(str::to_string).collect())
            .collect()
    }

    #[test]
    fn formula_cells_are_neutralised_and_values_are_not() {
        let row = vec![
            Cell::text("=HYPERLINK(\"http://evil\",\"x\")"),
            Cell::text("+31 6 1234"),
            Cell::text("-2+3"),
            Cell::text("@SUM(A1)"),
            Cell::text("\tx"),
            Cell::text("Anne-Marie"),
            Cell::value("-1.50"),
        ];
        let bytes = encode([row.as_slice()], Delimiter::Comma).unwrap();
        let fields = &read(&bytes, Delimiter::Comma)[0];
        assert_eq!(
            fields,
            &vec![
                "'=HYPERLINK(\"http://evil\",\"x\")".to_string(),
                "'+31 6 1234".into(),
                "'-2+3".into(),
                "'@SUM(A1)".into(),
                "'\tx".into(),
                "Anne-Marie".into(),
                "-1.50".into(),
            ]
        );
    }

    #[test]
    fn records_end_in_crlf_and_fields_are_quoted_only_when_needed() {
        let rows = [
            vec![Cell::value("a"), Cell::text("b;c"), Cell::text("d,e")],
            vec![
                Cell::value("1"),
                Cell::text("say \"hi\""),
                Cell::text("x\ny"),
            ],
        ];
        let comma = encode(rows.iter().map(Vec::as_slice), Delimiter::Comma).unwrap();
        assert_eq!(
            String::from_utf8(comma).unwrap(),
            "a,b;c,\"d,e\"\r\n1,\"say \"\"hi\"\"\",\"x\ny\"\r\n"
        );
        let semicolon = encode(rows.iter().map(Vec::as_slice), Delimiter::Semicolon).unwrap();
        assert_eq!(
            String::from_utf8(semicolon).unwrap(),
            "a;\"b;c\";d,e\r\n1;\"say \"\"hi\"\"\";\"x\ny\"\r\n"
        );
    }

    #[test]
    fn delimiters_parse_and_choose_the_decimal_mark() {
        assert_eq!(Delimiter::parse(None).unwrap(), Delimiter::Comma);
        assert_eq!(
            Delimiter::parse(Some("semicolon")).unwrap(),
            Delimiter::Semicolon
        );
        assert_eq!(Delimiter::Semicolon.decimal_mark(), DecimalMark::Comma);
        assert!(Delimiter::parse(Some("tab")).is_err());
    }

    #[actix_web::test]
    async fn the_body_starts_with_the_bom_and_the_header() {
        let rows = stream::iter(vec![
            Ok(vec![Cell::value("1"), Cell::text("Zoë")]),
            Ok(vec![Cell::value("2"), Cell::text("=1+1")]),
        ]);
        let chunks: Vec<_> = body(Delimiter::Semicolon, &["id", "name"], rows)
            .collect()
            .await;
        let bytes: Vec<u8> = chunks
            .into_iter()
            .flat_map(|c| c.unwrap().to_vec())
            .collect();
        assert!(bytes.starts_with(BOM));
        let text = String::from_utf8(bytes[BOM.len()..].to_vec()).unwrap();
        assert_eq!(text, "id;name\r\n1;Zoë\r\n2;'=1+1\r\n");
    }

    #[actix_web::test]
    async fn a_store_error_ends_the_body_with_an_error() {
        let rows = stream::iter(vec![
            Ok(vec![Cell::value("1")]),
            Err(StoreError::Unavailable("gone".into())),
        ]);
        let chunks: Vec<_> = body(Delimiter::Comma, &["id"], rows).collect().await;
        assert!(chunks.last().unwrap().is_err());
    }

    proptest! {
        /// Whatever the text (quotes, both delimiters, line breaks, non-ASCII), it reads back as written:
        /// values exactly, free text exactly as neutralised.
        #[test]
        fn written_rows_read_back(
            rows in prop::collection::vec(prop::collection::vec(("\\PC*|[\";,\r\n =+@-]{0,6}", any::<bool>()), 1..5), 1..6),
            semicolon in any::<bool>(),
        ) {
            let delimiter = if semicolon { Delimiter::Semicolon } else { Delimiter::Comma };
            let width = rows[0].len();
            let rows: Vec<Vec<Cell>> = rows
                .into_iter()
                .map(|row| {
                    let mut row: Vec<Cell> = row
                        .into_iter()
                        .map(|(text, free)| if free { Cell::Text(text) } else { Cell::Value(text) })
                        .collect();
                    row.resize(width, Cell::value(""));
                    row
                })
                .collect();
            let bytes = encode(rows.iter().map(Vec::as_slice), delimiter).unwrap();
            prop_assert!(bytes.ends_with(b"\r\n"));
            let read = read(&bytes, delimiter);
            let expected: Vec<Vec<String>> = rows
                .iter()
                .map(|row| row.iter().map(|c| c.as_field().into_owned()).collect())
                .collect();
            prop_assert_eq!(read, expected);
        }
    }
}
