//! Fuzzes the opening side of segmented envelopes (`crewplots_crypto::stream`).
//!
//! Run from `crates/crypto/fuzz` with a nightly toolchain:
//! `cargo +nightly fuzz run open_envelope -- -max_total_time=300`.
//!
//! The first input byte picks a mode:
//! * even — the rest is an envelope of the fuzzer's own making: parsing, re-wrapping and opening it must not
//!   panic, and it must never open (nobody without the key can make an envelope that verifies);
//! * odd — the rest describes a plaintext, a segment size and a list of edits; the target seals the
//!   plaintext, applies the edits to the envelope and opens the result through a reader that hands out
//!   fuzzer-chosen read sizes. An untouched envelope must open to the plaintext; an edited one must fail,
//!   and every segment yielded before the failure must be a genuine prefix of the plaintext.

#![no_main]

use std::io;
use std::pin::Pin;
use std::sync::OnceLock;
use std::task::{Context, Poll};

use crewplots_crypto::stream::{self, SegmentSize};
use crewplots_crypto::{EnvelopeHeader, KeyRing, ObjectContext, StreamError};
use futures_util::{FutureExt as _, StreamExt as _};
use libfuzzer_sys::fuzz_target;
use secrecy::SecretString;
use tokio::io::{AsyncRead, ReadBuf};

const CTX: ObjectContext<'static> = ObjectContext {
    kind: "document",
    object_id: b"document-1",
    owner_id: b"person-1",
};

fn ring() -> &'static KeyRing {
    static RING: OnceLock<KeyRing> = OnceLock::new();
    RING.get_or_init(|| {
        let key = SecretString::from(
            "5f1c7a2e9b04d38c61ae7f20b95c3d48e1a07f6c2b9d58e4f031c6a7b82d9e15".to_string(),
        );
        match KeyRing::from_config(Some(&key), None) {
            Ok(ring) => ring,
            Err(e) => panic!("fuzz key refused: {e}"),
        }
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    if mode % 2 == 0 {
        raw_envelope(rest);
    } else {
        edited_envelope(rest);
    }
});

fn raw_envelope(data: &[u8]) {
    let ring = ring();
    if let Ok((header, len)) = EnvelopeHeader::parse_prefix(data) {
        assert_eq!(header.encoded_len(), len);
        assert_eq!(&header.to_bytes()[..], &data[..len]);
        let _ = stream::rewrap_header(ring, CTX.object_id, &data[..len]);
    }
    let _ = stream::rewrap_header(ring, CTX.object_id, data);
    if let Ok(plain) = stream::open_all(ring, &CTX, data) {
        panic!(
            "an envelope the fuzzer made up opened ({} bytes)",
            plain.len()
        );
    }
}

/// Input: segment size (1 byte), read size (1 byte), edit count (1 byte), edits of 4 bytes each
/// (operation, position u16 BE, value), then the plaintext.
fn edited_envelope(data: &[u8]) {
    let [size, read_size, edit_count, rest @ ..] = data else {
        return;
    };
    let edit_bytes = (usize::from(*edit_count) % 8) * 4;
    let (edits, plain) = rest.split_at(edit_bytes.min(rest.len()));
    let segment = usize::from(size % 64) + 1;
    let Some(segment_size) = u32::try_from(segment).ok().and_then(SegmentSize::new) else {
        return;
    };
    let ring = ring();
    let envelope = match stream::seal_all_with(ring, &CTX, plain, segment_size) {
        Ok(envelope) => envelope,
        Err(e) => panic!("sealing failed: {e}"),
    };

    let mut altered = envelope.clone();
    for edit in edits.chunks_exact(4) {
        let [op, hi, lo, value] = [edit[0], edit[1], edit[2], edit[3]];
        let at = usize::from(u16::from_be_bytes([hi, lo])) % (altered.len() + 1);
        let within = at.min(altered.len().saturating_sub(1));
        match op % 6 {
            0 if !altered.is_empty() => altered[within] ^= value.max(1),
            1 => altered.insert(at, value),
            2 if !altered.is_empty() => {
                altered.remove(within);
            }
            3 => altered.truncate(at),
            4 => {
                // Swap two segment-sized windows (reordering).
                let width = segment + 16;
                let other = (at + usize::from(value) * width) % (altered.len() + 1);
                let (a, b) = (at.min(other), at.max(other));
                if b + width <= altered.len() && a + width <= b {
                    let (left, right) = altered.split_at_mut(b);
                    left[a..a + width].swap_with_slice(&mut right[..width]);
                }
            }
            _ => {
                // Copy a run of the envelope to its end (extension, duplicated segments).
                let end = (at + usize::from(value) + 1).min(altered.len());
                let run = altered[at..end].to_vec();
                altered.extend_from_slice(&run);
            }
        }
    }

    let (opened, result) = open_in_reads(ring, &altered, usize::from(*read_size) + 1);
    assert!(
        plain.starts_with(&opened),
        "yielded bytes that are not the plaintext"
    );
    match result {
        Ok(()) => {
            assert!(altered == envelope, "an edited envelope opened");
            assert_eq!(opened, plain, "opened to the wrong plaintext");
        }
        Err(e) => assert!(altered != envelope, "the intact envelope failed: {e}"),
    }
    // The all-at-once path agrees with the streaming one.
    assert_eq!(
        stream::open_all(ring, &CTX, &altered).is_ok(),
        altered == envelope
    );
}

/// Opens through a reader that hands out at most `read_size` bytes at a time; returns what was yielded.
fn open_in_reads(
    ring: &KeyRing,
    envelope: &[u8],
    read_size: usize,
) -> (Vec<u8>, Result<(), StreamError>) {
    let reader = Chunked {
        data: envelope,
        read_size,
    };
    let mut opened = Vec::new();
    let work = async {
        let mut opening = stream::decrypt_stream(ring, &CTX, reader).await?;
        while let Some(segment) = opening.next().await {
            opened.extend_from_slice(&segment?);
        }
        Ok(())
    };
    let result = match work.now_or_never() {
        Some(result) => result,
        None => panic!("an in-memory reader blocked"),
    };
    (opened, result)
}

struct Chunked<'a> {
    data: &'a [u8],
    read_size: usize,
}

impl AsyncRead for Chunked<'_> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let n = self.read_size.min(buf.remaining()).min(self.data.len());
        let (now, rest) = self.data.split_at(n);
        buf.put_slice(now);
        self.data = rest;
        Poll::Ready(Ok(()))
    }
}
