//! The recruiting poster a venue prints and hangs up: an A4 portrait page with the headline, the venue's
//! name, a large QR code of the venue's application URL, that URL in text under the code, and a call to
//! action.
//!
//! [`svg`] builds the page as a standalone SVG (`width="210mm" height="297mm"`, `viewBox="0 0 210 297"`, so
//! one user unit is one millimetre); [`png`] renders that same SVG to a PNG with resvg. The PNG path needs
//! no file outside the binary: the Noto Sans Regular and Bold faces come from the `notosans` crate
//! (SIL Open Font License 1.1) and are the only fonts resvg is given, because the production container has
//! no system fonts.
//!
//! Invariants:
//! - Every piece of caller text reaches the SVG only through [`xml_text`], which drops the characters XML 1.0
//!   cannot carry at all (control characters) and escapes the five markup characters, so any venue name or
//!   URL yields well-formed XML.
//! - Text never leaves its box: [`fit`] measures with the advance widths of the same embedded font that
//!   renders the PNG, shrinks the font size down to a floor, wraps at spaces (or anywhere in a word longer
//!   than a line), and past the floor truncates with an ellipsis.
//! - The QR code uses error correction level Q and keeps a four-module quiet zone inside its white square,
//!   so it scans after a little print wear; modules are drawn black on white with `crispEdges`.

use std::sync::{Arc, LazyLock};

use qrcode::{Color, EcLevel, QrCode};
use resvg::tiny_skia;
use resvg::usvg::{self, fontdb};
use skrifa::instance::{LocationRef, Size};
use skrifa::{FontRef, MetadataProvider};

/// What goes on a venue's recruiting poster. All text is plain text; [`svg`] escapes it.
#[derive(Debug, Clone, Copy)]
pub struct Poster<'a> {
    pub venue: &'a str,
    pub url: &'a str,
    pub headline: &'a str,
    pub call_to_action: &'a str,
}

#[derive(Debug, thiserror::Error)]
pub enum PosterError {
    /// The URL does not fit in any QR code version (about 1,600 bytes at level Q).
    #[error("the URL cannot be encoded as a QR code: {0}")]
    QrCode(#[from] qrcode::types::QrError),
    #[error("PNG width must be between {min} and {max} pixels, got {requested}")]
    InvalidWidth { requested: u32, min: u32, max: u32 },
    /// The bundled font bytes did not parse; only a broken build of the `notosans` crate can cause this.
    #[error("the embedded font could not be read")]
    Font,
    /// resvg rejected the SVG this module generated: a bug here, not bad input.
    #[error("the generated SVG could not be parsed: {0}")]
    Svg(#[from] usvg::Error),
    #[error("could not allocate a {width}x{height} pixel canvas")]
    Canvas { width: u32, height: u32 },
    #[error("PNG encoding failed")]
    PngEncode(#[source] Box<dyn std::error::Error + Send + Sync>),
}

/// Narrowest PNG accepted: below this (≈24 dpi) the QR modules of a long URL get too small to scan.
pub const MIN_WIDTH_PX: u32 = 200;
/// Widest PNG accepted: 300 dpi A4. The RGBA canvas is then 2480 × 3508 × 4 bytes ≈ 35 MB, which bounds the
/// memory one request can make the server allocate.
pub const MAX_WIDTH_PX: u32 = 2480;

/// Page size in millimetres (A4 portrait); the viewBox uses the same numbers.
const PAGE_W: f32 = 210.0;
const PAGE_H: f32 = 297.0;
const MARGIN: f32 = 15.0;
const CONTENT_W: f32 = PAGE_W - 2.0 * MARGIN;

/// The QR code's white square (quiet zone included), centred horizontally.
const QR_TOP: f32 = 100.0;
const QR_SIDE: f32 = 118.0;
const QR_QUIET_MODULES: usize = 4;

const INK: &str = "#1b1b1b";
const ACCENT: &str = "#1f4e79";
const FONT_FAMILY: &str = "'Noto Sans', 'DejaVu Sans', Arial, Helvetica, sans-serif";
/// Family name inside the embedded font files; resvg matches the first entry of [`FONT_FAMILY`] to it.
const EMBEDDED_FAMILY: &str = "Noto Sans";

/// A rectangle that a piece of text must stay inside, and the font sizes it may use (all in mm).
#[derive(Debug, Clone, Copy)]
struct TextBox {
    top: f32,
    height: f32,
    max_size: f32,
    min_size: f32,
    /// Lines the text may take before a smaller size on fewer lines is preferred.
    preferred_lines: usize,
    bold: bool,
    fill: &'static str,
}

const HEADLINE_BOX: TextBox = TextBox {
    top: 16.0,
    height: 28.0,
    max_size: 22.0,
    min_size: 7.0,
    preferred_lines: 1,
    bold: true,
    fill: ACCENT,
};
const VENUE_BOX: TextBox = TextBox {
    top: 46.0,
    height: 50.0,
    max_size: 20.0,
    min_size: 6.0,
    preferred_lines: 2,
    bold: true,
    fill: INK,
};
const URL_BOX: TextBox = TextBox {
    top: QR_TOP + QR_SIDE + 2.0,
    height: 14.0,
    max_size: 7.0,
    min_size: 3.0,
    preferred_lines: 1,
    bold: false,
    fill: INK,
};
const CTA_BOX: TextBox = TextBox {
    top: 240.0,
    height: 40.0,
    max_size: 12.0,
    min_size: 5.0,
    preferred_lines: 3,
    bold: false,
    fill: INK,
};

/// Baseline-to-baseline distance as a multiple of the font size.
const LINE_HEIGHT: f32 = 1.2;
/// Measured widths ignore kerning and a browser may substitute a wider font for the SVG, so lines are
/// filled to this share of the box only.
const WIDTH_SLACK: f32 = 0.95;
const SIZE_STEP: f32 = 0.25;
/// Characters of one text block that are laid out at all. More than fits any box at its smallest size
/// (the venue box holds about 300), and it bounds the layout work, which grows with length × size steps.
const MAX_TEXT_CHARS: usize = 1000;
const ELLIPSIS: char = '…';

/// The poster as a standalone SVG document, one user unit per millimetre.
pub fn svg(p: &Poster) -> Result<String, PosterError> {
    let regular = Face::new(notosans::REGULAR_TTF)?;
    let bold = Face::new(notosans::BOLD_TTF)?;
    let qr = QrCode::with_error_correction_level(p.url.as_bytes(), EcLevel::Q)?;

    let mut out = String::with_capacity(16 * 1024);
    out.push_str(r#"<?xml version="1.0" encoding="UTF-8"?>"#);
    out.push('\n');
    out.push_str(&format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="210mm" height="297mm" viewBox="0 0 {PAGE_W} {PAGE_H}" font-family="{FONT_FAMILY}">"#
    ));
    out.push('\n');
    out.push_str(&format!(
        "<title>{} – {}</title>\n",
        xml_text(&one_line(p.headline)),
        xml_text(&one_line(p.venue))
    ));
    out.push_str(&format!(
        r##"<rect width="{PAGE_W}" height="{PAGE_H}" fill="#ffffff"/>"##
    ));
    out.push('\n');
    out.push_str(&format!(
        r#"<rect width="{PAGE_W}" height="8" fill="{ACCENT}"/>"#
    ));
    out.push('\n');

    for (text, text_box) in [
        (p.headline, HEADLINE_BOX),
        (p.venue, VENUE_BOX),
        (p.url, URL_BOX),
        (p.call_to_action, CTA_BOX),
    ] {
        let face = if text_box.bold { &bold } else { &regular };
        push_text_block(&mut out, face, text, text_box);
    }
    push_qr(&mut out, &qr);

    out.push_str(&format!(
        r#"<rect y="{}" width="{PAGE_W}" height="8" fill="{ACCENT}"/>"#,
        PAGE_H - 8.0
    ));
    out.push_str("\n</svg>\n");
    Ok(out)
}

/// The poster rendered to a PNG `width_px` wide; the height follows A4's aspect ratio.
pub fn png(p: &Poster, width_px: u32) -> Result<Vec<u8>, PosterError> {
    if !(MIN_WIDTH_PX..=MAX_WIDTH_PX).contains(&width_px) {
        return Err(PosterError::InvalidWidth {
            requested: width_px,
            min: MIN_WIDTH_PX,
            max: MAX_WIDTH_PX,
        });
    }
    let document = svg(p)?;
    let options = usvg::Options {
        font_family: EMBEDDED_FAMILY.to_owned(),
        fontdb: Arc::clone(&FONTS),
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(&document, &options)?;

    // usvg sizes the tree in CSS pixels (96 dpi), so 210mm arrives as ≈793.7; scale that to the request.
    let size = tree.size();
    let scale = width_px as f32 / size.width();
    let height_px = (size.height() * scale).round() as u32;
    let mut pixmap = tiny_skia::Pixmap::new(width_px, height_px).ok_or(PosterError::Canvas {
        width: width_px,
        height: height_px,
    })?;
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    pixmap
        .encode_png()
        .map_err(|e| PosterError::PngEncode(Box::new(e)))
}

/// The only fonts resvg sees. Built once per process: the font bytes are `'static`, so the database borrows
/// them instead of copying ~400 kB per render.
static FONTS: LazyLock<Arc<fontdb::Database>> = LazyLock::new(|| {
    let mut db = fontdb::Database::new();
    for bytes in [notosans::REGULAR_TTF, notosans::BOLD_TTF] {
        db.load_font_source(fontdb::Source::Binary(Arc::new(bytes)));
    }
    // Generic families in the SVG (`sans-serif`) must land on the embedded face too.
    db.set_sans_serif_family(EMBEDDED_FAMILY);
    db.set_serif_family(EMBEDDED_FAMILY);
    Arc::new(db)
});

/// Horizontal advance widths of one embedded face, for laying text out before resvg sees it.
struct Face<'a> {
    font: FontRef<'a>,
}

impl<'a> Face<'a> {
    fn new(bytes: &'a [u8]) -> Result<Self, PosterError> {
        FontRef::new(bytes)
            .map(|font| Face { font })
            .map_err(|_| PosterError::Font)
    }

    /// Width of `text` set at `size` (same unit as `size`), without kerning.
    fn width(&self, text: &str, size: f32) -> f32 {
        let charmap = self.font.charmap();
        let metrics = self
            .font
            .glyph_metrics(Size::new(size), LocationRef::default());
        text.chars()
            .map(|c| {
                // A character the face lacks renders as the .notdef box (glyph 0), which has a width too.
                let glyph = charmap.map(c).unwrap_or_default();
                metrics.advance_width(glyph).unwrap_or(0.0)
            })
            .sum()
    }
}

/// Text laid out to fit a [`TextBox`].
#[derive(Debug, PartialEq)]
struct Fitted {
    size: f32,
    lines: Vec<String>,
}

/// The largest font size (in [`SIZE_STEP`]s from `max_size` down to `min_size`) at which `text`, wrapped to
/// the content width, fits the box's height, preferring sizes that keep to `preferred_lines`; at `min_size`
/// the lines that do not fit are cut and the last kept line ends in an ellipsis.
fn fit(face: &Face, text: &str, text_box: TextBox) -> Fitted {
    let text: String = one_line(text).chars().take(MAX_TEXT_CHARS).collect();
    let max_width = CONTENT_W * WIDTH_SLACK;
    let fits_height =
        |lines: usize, size: f32| lines as f32 * size * LINE_HEIGHT <= text_box.height;

    // First the largest size that keeps to the preferred number of lines, then the largest that fits at all.
    for max_lines in [text_box.preferred_lines, usize::MAX] {
        let mut size = text_box.max_size;
        while size >= text_box.min_size {
            let lines = wrap(face, &text, size, max_width);
            if lines.len() <= max_lines && fits_height(lines.len(), size) {
                return Fitted { size, lines };
            }
            size -= SIZE_STEP;
        }
    }

    let size = text_box.min_size;
    let mut lines = wrap(face, &text, size, max_width);
    let room = ((text_box.height / (size * LINE_HEIGHT)).floor() as usize).max(1);
    if lines.len() > room {
        lines.truncate(room);
        if let Some(last) = lines.last_mut() {
            while !last.is_empty() && face.width(&format!("{last}{ELLIPSIS}"), size) > max_width {
                last.pop();
            }
            let kept = last.trim_end().len();
            last.truncate(kept);
            last.push(ELLIPSIS);
        }
    }
    Fitted { size, lines }
}

/// Greedy word wrap at spaces; a word wider than a whole line is broken between characters (URLs have no
/// spaces, and a venue may be one long word).
fn wrap(face: &Face, text: &str, size: f32, max_width: f32) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let candidate = if line.is_empty() {
            word.to_owned()
        } else {
            format!("{line} {word}")
        };
        if face.width(&candidate, size) <= max_width {
            line = candidate;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        if face.width(word, size) <= max_width {
            line = word.to_owned();
            continue;
        }
        for c in word.chars() {
            line.push(c);
            // A line always keeps its first character, so a single glyph wider than the box cannot loop.
            if face.width(&line, size) > max_width && line.chars().nth(1).is_some() {
                line.pop();
                lines.push(std::mem::replace(&mut line, c.to_string()));
            }
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// Writes `text` as centred lines, vertically centred in its box.
fn push_text_block(out: &mut String, face: &Face, text: &str, text_box: TextBox) {
    let Fitted { size, lines } = fit(face, text, text_box);
    let step = size * LINE_HEIGHT;
    let block_top = text_box.top + (text_box.height - lines.len() as f32 * step) / 2.0;
    let weight = if text_box.bold { "700" } else { "400" };
    for (i, line) in lines.iter().enumerate() {
        // Noto Sans' cap height is ~0.71 em: putting the baseline 0.36 em below the line's middle centres
        // capitals in the line.
        let baseline = block_top + i as f32 * step + step / 2.0 + 0.36 * size;
        out.push_str(&format!(
            r#"<text x="{:.2}" y="{baseline:.2}" font-size="{size:.2}" font-weight="{weight}" text-anchor="middle" fill="{}">{}</text>"#,
            PAGE_W / 2.0,
            text_box.fill,
            xml_text(line),
        ));
        out.push('\n');
    }
}

/// Draws the code as one path in module units, scaled into the white square. Horizontal runs of dark
/// modules become one rectangle each, which keeps the path short and leaves no anti-aliasing seams between
/// neighbouring modules.
fn push_qr(out: &mut String, qr: &QrCode) {
    let width = qr.width();
    let colors = qr.to_colors();
    let mut path = String::with_capacity(width * width * 2);
    for (y, row) in colors.chunks(width).enumerate() {
        let mut x = 0;
        while x < width {
            if row[x] != Color::Dark {
                x += 1;
                continue;
            }
            let start = x;
            while x < width && row[x] == Color::Dark {
                x += 1;
            }
            let run = x - start;
            let (mx, my) = (start + QR_QUIET_MODULES, y + QR_QUIET_MODULES);
            path.push_str(&format!("M{mx} {my}h{run}v1h-{run}z"));
        }
    }
    let module = QR_SIDE / (width + 2 * QR_QUIET_MODULES) as f32;
    let left = (PAGE_W - QR_SIDE) / 2.0;
    out.push_str(&format!(
        r##"<rect x="{left:.2}" y="{QR_TOP:.2}" width="{QR_SIDE:.2}" height="{QR_SIDE:.2}" fill="#ffffff"/>"##
    ));
    out.push('\n');
    out.push_str(&format!(
        r##"<path transform="translate({left:.3} {QR_TOP:.3}) scale({module:.5})" fill="#000000" shape-rendering="crispEdges" d="{path}"/>"##
    ));
    out.push('\n');
}

/// Collapses every run of whitespace (newlines included) to one space: each text block is laid out by
/// [`wrap`], not by the caller's line breaks.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Escapes text for XML character data and attribute values. Control characters are dropped rather than
/// escaped because XML 1.0 forbids them even as character references (`&#1;` is not well-formed).
/// Hand-written: five replacements do not justify an XML-writer dependency.
fn xml_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if c.is_control() && !matches!(c, '\t' | '\n' | '\r') => {}
            // U+FFFE/U+FFFF are not XML characters either.
            '\u{FFFE}' | '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn poster<'a>(venue: &'a str, url: &'a str) -> Poster<'a> {
        Poster {
            venue,
            url,
            headline: "We're hiring",
            call_to_action: "Scan the code to apply in two minutes – bar, kitchen and floor staff.",
        }
    }

    const URL: &str = "https://crewplots.example/apply/3f1c2a9e-5b7d-4c1e-9a2b-8d6f0e4c7a11";

    fn texts(doc: &roxmltree::Document) -> Vec<String> {
        doc.descendants()
            .filter(|n| n.has_tag_name("text"))
            .map(|n| n.text().unwrap_or_default().to_owned())
            .collect()
    }

    /// Decoded RGBA8 pixels of a PNG, with its size.
    fn decode(png_bytes: &[u8]) -> (u32, u32, Vec<u8>) {
        let decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
        let mut reader = decoder.read_info().unwrap();
        let mut buf = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut buf).unwrap();
        assert_eq!(info.color_type, png::ColorType::Rgba);
        assert_eq!(info.bit_depth, png::BitDepth::Eight);
        buf.truncate(info.buffer_size());
        (info.width, info.height, buf)
    }

    fn luma(rgba: &[u8], width: u32, x: u32, y: u32) -> u8 {
        let i = ((y * width + x) * 4) as usize;
        let (r, g, b) = (rgba[i] as u32, rgba[i + 1] as u32, rgba[i + 2] as u32);
        ((r * 299 + g * 587 + b * 114) / 1000) as u8
    }

    /// Share of pixels darker than mid-grey in a rectangle given in millimetres.
    fn dark_share(rgba: &[u8], width: u32, mm: (f32, f32, f32, f32)) -> f32 {
        let px = width as f32 / PAGE_W;
        let (x0, y0, x1, y1) = (
            (mm.0 * px) as u32,
            (mm.1 * px) as u32,
            (mm.2 * px) as u32,
            (mm.3 * px) as u32,
        );
        let mut dark = 0u32;
        for y in y0..y1 {
            for x in x0..x1 {
                if luma(rgba, width, x, y) < 128 {
                    dark += 1;
                }
            }
        }
        dark as f32 / ((x1 - x0) * (y1 - y0)) as f32
    }

    #[test]
    fn svg_is_a4_and_well_formed() {
        let doc_text = svg(&poster("The Crooked Fork", URL)).unwrap();
        let doc = roxmltree::Document::parse(&doc_text).unwrap();
        let root = doc.root_element();
        assert_eq!(root.attribute("width"), Some("210mm"));
        assert_eq!(root.attribute("height"), Some("297mm"));
        assert_eq!(root.attribute("viewBox"), Some("0 0 210 297"));
        let texts = texts(&doc);
        assert_eq!(texts[0], "We're hiring");
        // A short name is set large, on up to two lines.
        assert!(texts.join(" ").contains("The Crooked Fork"), "{texts:?}");
        assert!(
            texts.iter().any(|t| t == URL),
            "the URL stays on one line: {texts:?}"
        );
        assert!(doc.descendants().any(
            |n| n.has_tag_name("path") && n.attribute("shape-rendering") == Some("crispEdges")
        ));
    }

    #[test]
    fn markup_in_text_is_escaped() {
        let venue = r#"<script>&"'"#;
        let doc_text = svg(&Poster {
            venue,
            url: "https://x.example/?a=1&b=<2>",
            headline: "</text><script>alert(1)</script>",
            call_to_action: "Tom & Jerry's \"bar\"",
        })
        .unwrap();
        assert!(!doc_text.contains("<script>"));
        assert!(doc_text.contains("&lt;script&gt;&amp;&quot;&apos;"));
        let doc = roxmltree::Document::parse(&doc_text).unwrap();
        assert!(doc.descendants().all(|n| !n.has_tag_name("script")));
        let texts = texts(&doc);
        assert!(texts.iter().any(|t| t == venue), "{texts:?}");
        assert!(texts.iter().any(|t| t == "https://x.example/?a=1&b=<2>"));
    }

    #[test]
    fn control_characters_are_dropped_so_the_xml_stays_well_formed() {
        let doc_text = svg(&poster("Bar\u{0}\u{1}\u{7f}\u{FFFF} Nord\nEst", URL)).unwrap();
        let doc = roxmltree::Document::parse(&doc_text).unwrap();
        assert!(texts(&doc).iter().any(|t| t == "Bar Nord Est"));
    }

    #[test]
    fn long_venue_name_shrinks_and_wraps_inside_the_page() {
        let long = "The Extraordinarily Long-Named Riverside Gastropub, Cocktail Lounge and \
                    Late-Night Dumpling Kitchen of Upper Hollowbrook";
        assert_eq!(long.chars().count(), 120);
        let bold = Face::new(notosans::BOLD_TTF).unwrap();
        let fitted = fit(&bold, long, VENUE_BOX);
        assert!(fitted.size < VENUE_BOX.max_size);
        assert!(fitted.lines.len() > 1);
        assert_eq!(fitted.lines.join(" "), long, "nothing cut at this length");
        for line in &fitted.lines {
            assert!(bold.width(line, fitted.size) <= CONTENT_W);
        }
        assert!(fitted.lines.len() as f32 * fitted.size * LINE_HEIGHT <= VENUE_BOX.height);

        // The same holds in the document: every line's text appears and the font size is the fitted one.
        let doc_text = svg(&poster(long, URL)).unwrap();
        let doc = roxmltree::Document::parse(&doc_text).unwrap();
        let texts = texts(&doc);
        for line in &fitted.lines {
            assert!(texts.contains(line));
        }
    }

    #[test]
    fn one_unbroken_word_is_split_between_characters() {
        let bold = Face::new(notosans::BOLD_TTF).unwrap();
        let word = "W".repeat(120);
        let fitted = fit(&bold, &word, VENUE_BOX);
        assert!(fitted.lines.len() > 1);
        assert_eq!(fitted.lines.concat(), word);
        for line in &fitted.lines {
            assert!(bold.width(line, fitted.size) <= CONTENT_W);
        }
    }

    #[test]
    fn text_too_long_for_the_smallest_size_is_cut_with_an_ellipsis() {
        let bold = Face::new(notosans::BOLD_TTF).unwrap();
        let huge = "Venue ".repeat(400);
        let fitted = fit(&bold, &huge, VENUE_BOX);
        assert_eq!(fitted.size, VENUE_BOX.min_size);
        assert!(fitted.lines.len() as f32 * fitted.size * LINE_HEIGHT <= VENUE_BOX.height);
        assert!(fitted.lines.last().unwrap().ends_with(ELLIPSIS));
        for line in &fitted.lines {
            assert!(bold.width(line, fitted.size) <= CONTENT_W);
        }
    }

    #[test]
    fn a_huge_text_is_cut_not_laid_out_in_full() {
        let bold = Face::new(notosans::BOLD_TTF).unwrap();
        let huge = "Bar ".repeat(50_000);
        let fitted = fit(&bold, &huge, VENUE_BOX);
        assert!(fitted.lines.last().unwrap().ends_with(ELLIPSIS));
    }

    #[test]
    fn characters_the_font_lacks_do_not_break_rendering() {
        // Noto Sans has no CJK or emoji glyphs: they render as .notdef boxes, but the poster still renders.
        let bytes = png(&poster("老虎酒吧 🍸 Tiger Bar", URL), 400).unwrap();
        let (w, _, _) = decode(&bytes);
        assert_eq!(w, 400);
    }

    #[test]
    fn empty_texts_still_make_a_poster() {
        let doc_text = svg(&Poster {
            venue: "",
            url: "",
            headline: "",
            call_to_action: "  \n ",
        })
        .unwrap();
        roxmltree::Document::parse(&doc_text).unwrap();
    }

    #[test]
    fn url_too_long_for_a_qr_code_is_an_error() {
        let url = format!("https://x.example/{}", "a".repeat(3000));
        assert!(matches!(
            svg(&poster("Bar", &url)),
            Err(PosterError::QrCode(_))
        ));
    }

    #[test]
    fn png_width_outside_the_allowed_range_is_rejected() {
        for width in [0, MIN_WIDTH_PX - 1, MAX_WIDTH_PX + 1] {
            assert!(matches!(
                png(&poster("Bar", URL), width),
                Err(PosterError::InvalidWidth { .. })
            ));
        }
    }

    #[test]
    fn png_is_a4_with_text_and_a_qr_code_that_scans_back_to_the_url() {
        let width = 1240;
        let bytes = png(&poster("The Crooked Fork", URL), width).unwrap();
        let (w, h, rgba) = decode(&bytes);
        assert_eq!(w, width);
        let expected_h = width as f32 * PAGE_H / PAGE_W;
        assert!((h as f32 - expected_h).abs() <= 1.0, "{h} vs {expected_h}");

        // Text was rendered: the title boxes hold dark glyph pixels, with no fonts on the machine needed.
        let headline = dark_share(&rgba, w, (MARGIN, HEADLINE_BOX.top, PAGE_W - MARGIN, 44.0));
        let venue = dark_share(&rgba, w, (MARGIN, VENUE_BOX.top, PAGE_W - MARGIN, 96.0));
        let cta = dark_share(&rgba, w, (MARGIN, CTA_BOX.top, PAGE_W - MARGIN, 280.0));
        assert!(headline > 0.02, "headline {headline}");
        assert!(venue > 0.02, "venue {venue}");
        assert!(cta > 0.005, "call to action {cta}");
        // Margins stay blank.
        assert!(dark_share(&rgba, w, (0.0, 10.0, MARGIN - 2.0, 286.0)) < 0.001);

        // QR modules are there: roughly half the code's area is dark.
        let left = (PAGE_W - QR_SIDE) / 2.0;
        let qr = dark_share(&rgba, w, (left, QR_TOP, left + QR_SIDE, QR_TOP + QR_SIDE));
        assert!(qr > 0.2 && qr < 0.7, "qr {qr}");

        let image = rqrr::PreparedImage::prepare_from_greyscale(w as usize, h as usize, |x, y| {
            luma(&rgba, w, x as u32, y as u32)
        });
        let mut image = image;
        let grids = image.detect_grids();
        assert_eq!(grids.len(), 1);
        let (_, content) = grids[0].decode().unwrap();
        assert_eq!(content, URL);
    }

    #[test]
    fn small_png_still_scans() {
        let bytes = png(&poster("Bar", URL), 600).unwrap();
        let (w, h, rgba) = decode(&bytes);
        let mut image =
            rqrr::PreparedImage::prepare_from_greyscale(w as usize, h as usize, |x, y| {
                luma(&rgba, w, x as u32, y as u32)
            });
        let grids = image.detect_grids();
        assert_eq!(grids[0].decode().unwrap().1, URL);
    }
}
