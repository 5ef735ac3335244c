//! Segmented AES-256-GCM envelopes for large objects (documents of up to hundreds of MiB), sealed and opened
//! as streams with memory bounded by the segment size, never by the object size.
//!
//! # Envelope layout (version 1)
//!
//! ```text
//! header:
//!   version          1 byte    1 (leads every envelope, SPEC §3)
//!   magic            4 bytes   "CPSE" (Crew Plots Segmented Envelope)
//!   segment size     u32 BE    plaintext bytes per segment, 1 ..= 1 MiB (default 64 KiB)
//!   nonce prefix     7 bytes   random per object
//!   KEK id length    u8        1 ..= 255
//!   KEK id           UTF-8     fingerprint id of the KEK that wraps the DEK
//!   wrapped DEK len  u16 BE    1 ..= 65535
//!   wrapped DEK      bytes     nonce ‖ AES-GCM(DEK) ‖ tag, as made by `sealed::new_wrapped_dek`
//! segments, in order, at least one:
//!   AES-256-GCM(segment plaintext) ‖ 16-byte tag
//!   every segment but the last holds exactly `segment size` plaintext bytes; the last holds 0 ..= size
//! ```
//!
//! Segment `i` is sealed under the object's DEK with
//!
//! * nonce = nonce prefix (7) ‖ `i` (u32 BE) ‖ last flag (1 byte, 0 or 1), and
//! * associated data = version ‖ magic ‖ segment size (u32 BE) ‖ kind ‖ object id ‖ owner id ‖ `i` (u32 BE)
//!   ‖ last flag, where kind, object id and owner id are each prefixed by their length (u64 BE).
//!
//! # Invariants
//!
//! * Every object gets a fresh random DEK (wrapped by the ring's primary KEK), and within an object every
//!   segment has a distinct (index, last) pair, so a nonce never repeats under a key. Re-wrapping for key
//!   rotation keeps the DEK and the segments byte for byte; nothing is re-encrypted.
//! * The final segment is always flagged last — an empty object is exactly one empty last segment — and the
//!   opener decides "last" from the end of the input, not from the data. So truncation at a segment boundary,
//!   dropping the last segment, appending anything after it, reordering segments or moving them to another
//!   object, owner or kind all fail authentication.
//! * The wrapped DEK is bound to its KEK id and the object id by the wrap's associated data, so a header
//!   copied onto another object does not unwrap. The segment size is bound into every segment, so a header
//!   whose size was altered cannot re-cut the segments.
//! * Memory: a sealing or opening stream holds one segment plus one byte of look-ahead, and yields chunks of
//!   at most `segment size + 16` bytes; a forged header cannot ask for more than [`SegmentSize::MAX`].
//!
//! # Partial output
//!
//! Segments are authenticated one at a time, so an [`OpeningStream`] yields every verified segment before the
//! first one that fails, then the error, then ends. The stream ends without an error only after it has
//! verified the last segment. A consumer that must not expose partial content (a preview, a re-encryption)
//! buffers the plaintext until the stream has ended cleanly; one that streams to a client (the HTTP download)
//! aborts the response on the error, so the client sees a broken transfer rather than a complete file.
//!
//! # Use with a store
//!
//! Upload: [`encrypt_stream`] over the request body, `write_all` each chunk to the GridFS upload stream,
//! `close` it after the stream ends cleanly and `abort` it on an error; [`SealingStream::plaintext_len`] then
//! gives the document's size. Download: [`decrypt_stream`] over the GridFS download stream (a `futures-io`
//! reader; `tokio_util::compat` adapts it). Rotation: [`EnvelopeHeader::parse_prefix`] on the first chunk
//! tells which KEK an object is under, and [`rewrap_header`] gives a same-length header to write back.

use std::fmt;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::task::{ready, Context, Poll};

use futures_util::{FutureExt as _, Stream, StreamExt as _};
use ring::aead::{Aad, LessSafeKey, Nonce, UnboundKey, AES_256_GCM, NONCE_LEN};
use ring::rand::{SecureRandom, SystemRandom};
use tokio::io::{AsyncRead, AsyncReadExt as _, ReadBuf};

use crate::keyring::{KeyRing, KEY_LEN};
use crate::sealed::{self, new_wrapped_dek, unwrap_dek, CryptoError, ObjectContext};

/// Leads every segmented envelope.
pub const MAGIC: [u8; 4] = *b"CPSE";

/// The envelope format version, the first byte of every envelope.
pub const STREAM_VERSION: u8 = 1;

/// Bytes of authentication tag after each segment's ciphertext.
pub const TAG_LEN: usize = 16;

/// Bytes of random nonce prefix in the header.
pub const NONCE_PREFIX_LEN: usize = 7;

/// magic ‖ version ‖ segment size ‖ nonce prefix ‖ KEK id length.
const FIXED_HEADER_LEN: usize = MAGIC.len() + 1 + 4 + NONCE_PREFIX_LEN + 1;

/// Read buffers start this small and double up to one segment, so short objects stay cheap.
const INITIAL_READ: usize = 8 * 1024;

/// How many plaintext bytes one segment holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SegmentSize(u32);

impl SegmentSize {
    /// 64 KiB: large enough that the per-segment tag and bookkeeping are noise, small enough to stream.
    pub const DEFAULT: Self = Self(64 * 1024);

    /// The largest size an envelope may declare (1 MiB), which bounds what a forged header can make an
    /// opener allocate.
    pub const MAX: u32 = 1024 * 1024;

    /// A segment size of `bytes`, if it is between 1 and [`Self::MAX`].
    pub const fn new(bytes: u32) -> Option<Self> {
        if bytes >= 1 && bytes <= Self::MAX {
            Some(Self(bytes))
        } else {
            None
        }
    }

    /// The size in bytes.
    pub const fn get(self) -> u32 {
        self.0
    }

    fn bytes(self) -> usize {
        // u32 → usize is lossless on every target this crate builds for (32 and 64 bit).
        self.0 as usize
    }
}

impl Default for SegmentSize {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// Why a stream could not be sealed or opened.
#[derive(Debug, thiserror::Error)]
pub enum StreamError {
    /// The envelope is not intact, not this object's, or under a key this process does not have.
    #[error(transparent)]
    Crypto(#[from] CryptoError),
    /// The underlying reader failed (e.g. the upload or the database connection broke).
    #[error("reading the object failed: {0}")]
    Io(#[from] io::Error),
    /// The object has more segments than a u32 counter can number (4 Gi segments).
    #[error("the object is too large for its segment size")]
    TooLarge,
}

/// The header of a segmented envelope: everything needed to unwrap the DEK and cut the segments.
#[derive(Clone, PartialEq, Eq)]
pub struct EnvelopeHeader {
    segment_size: SegmentSize,
    nonce_prefix: [u8; NONCE_PREFIX_LEN],
    kek_id: String,
    wrapped_dek: Vec<u8>,
}

impl fmt::Debug for EnvelopeHeader {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EnvelopeHeader")
            .field("segment_size", &self.segment_size.get())
            .field("kek_id", &self.kek_id)
            .finish_non_exhaustive()
    }
}

impl EnvelopeHeader {
    fn new(
        segment_size: SegmentSize,
        nonce_prefix: [u8; NONCE_PREFIX_LEN],
        kek_id: String,
        wrapped_dek: Vec<u8>,
    ) -> Result<Self, CryptoError> {
        // Key ids are 16 hex digits and wrapped DEKs 60 bytes, far inside both length prefixes.
        if kek_id.is_empty()
            || u8::try_from(kek_id.len()).is_err()
            || wrapped_dek.is_empty()
            || u16::try_from(wrapped_dek.len()).is_err()
        {
            return Err(CryptoError::Tampered);
        }
        Ok(Self {
            segment_size,
            nonce_prefix,
            kek_id,
            wrapped_dek,
        })
    }

    /// The id of the KEK that wraps this object's DEK (a rotation counts objects not under the primary).
    pub fn kek_id(&self) -> &str {
        &self.kek_id
    }

    /// Plaintext bytes per segment.
    pub fn segment_size(&self) -> SegmentSize {
        self.segment_size
    }

    /// Length of [`Self::to_bytes`].
    pub fn encoded_len(&self) -> usize {
        FIXED_HEADER_LEN + self.kek_id.len() + 2 + self.wrapped_dek.len()
    }

    /// The header as it leads the envelope.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.encoded_len());
        out.push(STREAM_VERSION);
        out.extend_from_slice(&MAGIC);
        out.extend_from_slice(&self.segment_size.get().to_be_bytes());
        out.extend_from_slice(&self.nonce_prefix);
        // Both lengths were checked against their prefixes in `new`, so these never saturate.
        out.push(u8::try_from(self.kek_id.len()).unwrap_or(u8::MAX));
        out.extend_from_slice(self.kek_id.as_bytes());
        out.extend_from_slice(
            &u16::try_from(self.wrapped_dek.len())
                .unwrap_or(u16::MAX)
                .to_be_bytes(),
        );
        out.extend_from_slice(&self.wrapped_dek);
        out
    }

    /// Parses the header at the start of `bytes`; returns it and its length. Everything after it (the
    /// segments) is ignored, so the first chunk of a stored envelope is enough.
    pub fn parse_prefix(bytes: &[u8]) -> Result<(Self, usize), CryptoError> {
        let mut cursor = Cursor { bytes, pos: 0 };
        let fixed = parse_fixed(cursor.take(FIXED_HEADER_LEN)?)?;
        let kek_id = std::str::from_utf8(cursor.take(fixed.kek_id_len)?)
            .map_err(|_| CryptoError::Tampered)?
            .to_string();
        let wrapped_len = usize::from(u16::from_be_bytes(cursor.array()?));
        let wrapped_dek = cursor.take(wrapped_len)?.to_vec();
        let header = Self::new(fixed.segment_size, fixed.nonce_prefix, kek_id, wrapped_dek)?;
        Ok((header, cursor.pos))
    }

    /// Parses bytes that are exactly one header.
    pub fn parse(bytes: &[u8]) -> Result<Self, CryptoError> {
        match Self::parse_prefix(bytes)? {
            (header, len) if len == bytes.len() => Ok(header),
            _ => Err(CryptoError::Tampered),
        }
    }

    /// Reads exactly one header from the start of `reader`, leaving it at the first segment. Input that ends
    /// inside the header is reported as [`CryptoError::Tampered`].
    pub async fn read_from<R: AsyncRead + Unpin>(reader: &mut R) -> Result<Self, StreamError> {
        let mut raw = vec![0u8; FIXED_HEADER_LEN];
        read_exact(reader, &mut raw).await?;
        // Check magic, version and sizes before reading further, so garbage fails fast.
        let kek_id_len = parse_fixed(&raw)?.kek_id_len;
        let start = raw.len();
        raw.resize(start + kek_id_len + 2, 0);
        read_exact(reader, &mut raw[start..]).await?;
        let wrapped_len = raw
            .get(raw.len() - 2..)
            .and_then(|b| <[u8; 2]>::try_from(b).ok())
            .map(|b| usize::from(u16::from_be_bytes(b)))
            .ok_or(CryptoError::Tampered)?;
        let start = raw.len();
        raw.resize(start + wrapped_len, 0);
        read_exact(reader, &mut raw[start..]).await?;
        Ok(Self::parse(&raw)?)
    }
}

struct FixedHeader {
    segment_size: SegmentSize,
    nonce_prefix: [u8; NONCE_PREFIX_LEN],
    kek_id_len: usize,
}

fn parse_fixed(fixed: &[u8]) -> Result<FixedHeader, CryptoError> {
    let mut cursor = Cursor {
        bytes: fixed,
        pos: 0,
    };
    // The version leads (SPEC §3), so a future format can change everything after it.
    let [version] = cursor.array::<1>()?;
    if version != STREAM_VERSION {
        return Err(CryptoError::UnsupportedVersion(version));
    }
    if cursor.array::<4>()? != MAGIC {
        return Err(CryptoError::Tampered);
    }
    let segment_size =
        SegmentSize::new(u32::from_be_bytes(cursor.array()?)).ok_or(CryptoError::Tampered)?;
    let nonce_prefix = cursor.array()?;
    let [kek_id_len] = cursor.array::<1>()?;
    if kek_id_len == 0 {
        return Err(CryptoError::Tampered);
    }
    Ok(FixedHeader {
        segment_size,
        nonce_prefix,
        kek_id_len: usize::from(kek_id_len),
    })
}

/// A bounds-checked reader over a byte slice: running past the end is a malformed envelope, never a panic.
struct Cursor<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], CryptoError> {
        let end = self.pos.checked_add(n).ok_or(CryptoError::Tampered)?;
        let taken = self.bytes.get(self.pos..end).ok_or(CryptoError::Tampered)?;
        self.pos = end;
        Ok(taken)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], CryptoError> {
        self.take(N)?.try_into().map_err(|_| CryptoError::Tampered)
    }
}

async fn read_exact<R: AsyncRead + Unpin>(
    reader: &mut R,
    buf: &mut [u8],
) -> Result<(), StreamError> {
    match reader.read_exact(buf).await {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => Err(CryptoError::Tampered.into()),
        Err(e) => Err(e.into()),
    }
}

/// Seals and opens the segments of one object: its DEK, nonce prefix, associated data and counter.
struct SegmentCipher {
    key: LessSafeKey,
    nonce_prefix: [u8; NONCE_PREFIX_LEN],
    /// The per-object associated data, followed by the current segment's index and flag.
    aad: Vec<u8>,
    aad_prefix_len: usize,
    /// The next segment's index; `None` once the counter is used up.
    next_index: Option<u32>,
}

impl fmt::Debug for SegmentCipher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SegmentCipher")
            .field("next_index", &self.next_index)
            .finish_non_exhaustive()
    }
}

impl SegmentCipher {
    fn new(
        dek: &[u8; KEY_LEN],
        header: &EnvelopeHeader,
        ctx: &ObjectContext<'_>,
    ) -> Result<Self, CryptoError> {
        let key = UnboundKey::new(&AES_256_GCM, dek)
            .map(LessSafeKey::new)
            .map_err(|_| CryptoError::Tampered)?;
        let mut aad = Vec::with_capacity(
            MAGIC.len()
                + 1
                + 4
                + 3 * 8
                + ctx.kind.len()
                + ctx.object_id.len()
                + ctx.owner_id.len()
                + 5,
        );
        aad.push(STREAM_VERSION);
        aad.extend_from_slice(&MAGIC);
        aad.extend_from_slice(&header.segment_size.get().to_be_bytes());
        for part in [ctx.kind.as_bytes(), ctx.object_id, ctx.owner_id] {
            aad.extend_from_slice(&u64::try_from(part.len()).unwrap_or(u64::MAX).to_be_bytes());
            aad.extend_from_slice(part);
        }
        Ok(Self {
            key,
            nonce_prefix: header.nonce_prefix,
            aad_prefix_len: aad.len(),
            aad,
            next_index: Some(0),
        })
    }

    /// The nonce of segment `index`, and the associated data for it left in `self.aad`.
    fn prepare(&mut self, index: u32, last: bool) -> Nonce {
        let flag = u8::from(last);
        self.aad.truncate(self.aad_prefix_len);
        self.aad.extend_from_slice(&index.to_be_bytes());
        self.aad.push(flag);
        let mut nonce = [0u8; NONCE_LEN];
        nonce[..NONCE_PREFIX_LEN].copy_from_slice(&self.nonce_prefix);
        nonce[NONCE_PREFIX_LEN..NONCE_LEN - 1].copy_from_slice(&index.to_be_bytes());
        nonce[NONCE_LEN - 1] = flag;
        Nonce::assume_unique_for_key(nonce)
    }

    /// Appends the sealed segment (ciphertext and tag) to `out`; on an error `out` is as it was.
    fn seal_into(
        &mut self,
        plain: &[u8],
        last: bool,
        out: &mut Vec<u8>,
    ) -> Result<(), StreamError> {
        let index = self.next_index.ok_or(StreamError::TooLarge)?;
        let nonce = self.prepare(index, last);
        let start = out.len();
        out.reserve(plain.len() + TAG_LEN);
        out.extend_from_slice(plain);
        match self.key.seal_in_place_separate_tag(
            nonce,
            Aad::from(self.aad.as_slice()),
            &mut out[start..],
        ) {
            Ok(tag) => out.extend_from_slice(tag.as_ref()),
            Err(_) => {
                out.truncate(start);
                return Err(StreamError::TooLarge);
            }
        }
        self.next_index = index.checked_add(1);
        Ok(())
    }

    fn open(&mut self, sealed: &[u8], last: bool) -> Result<Vec<u8>, CryptoError> {
        let index = self.next_index.ok_or(CryptoError::Tampered)?;
        let nonce = self.prepare(index, last);
        let mut out = sealed.to_vec();
        let len = self
            .key
            .open_in_place(nonce, Aad::from(self.aad.as_slice()), &mut out)
            .map_err(|_| CryptoError::Tampered)?
            .len();
        out.truncate(len);
        self.next_index = index.checked_add(1);
        Ok(out)
    }
}

/// Reads into `buf[*filled..target]` until `target` bytes are buffered or the reader reports the end of its
/// input. Ready(Ok(true)) means the input ended first. `buf` grows in steps up to `target`, so memory follows
/// what actually arrives.
fn poll_fill<R: AsyncRead + Unpin>(
    reader: &mut R,
    cx: &mut Context<'_>,
    buf: &mut Vec<u8>,
    filled: &mut usize,
    target: usize,
) -> Poll<io::Result<bool>> {
    while *filled < target {
        if *filled == buf.len() {
            let grown = buf.len().saturating_mul(2).max(INITIAL_READ).min(target);
            buf.resize(grown, 0);
        }
        let mut read_buf = ReadBuf::new(&mut buf[*filled..]);
        ready!(Pin::new(&mut *reader).poll_read(cx, &mut read_buf))?;
        let n = read_buf.filled().len();
        if n == 0 {
            return Poll::Ready(Ok(true));
        }
        *filled += n;
    }
    Poll::Ready(Ok(false))
}

/// Plaintext in, envelope out: yields the header, then one sealed segment per `segment size` bytes read.
///
/// Made by [`encrypt_stream`]. Feed each chunk to the store (e.g. `write_all` on a GridFS upload stream) and
/// finish the upload only after the stream has ended without an error; on an error, abort the upload.
pub struct SealingStream<R> {
    reader: R,
    cipher: SegmentCipher,
    header: Option<Vec<u8>>,
    buf: Vec<u8>,
    filled: usize,
    segment_len: usize,
    plaintext_len: u64,
    done: bool,
}

impl<R> fmt::Debug for SealingStream<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SealingStream")
            .field("segment_len", &self.segment_len)
            .field("plaintext_len", &self.plaintext_len)
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}

impl<R> SealingStream<R> {
    /// Plaintext bytes sealed so far; once the stream has ended cleanly, the object's length.
    pub fn plaintext_len(&self) -> u64 {
        self.plaintext_len
    }

    /// Whether the last segment has been sealed (or the stream failed).
    pub fn is_done(&self) -> bool {
        self.done
    }
}

impl<R: AsyncRead + Unpin> SealingStream<R> {
    /// The stream's next item appended to `out` instead of returned in a buffer of its own: the header
    /// first, then one sealed segment per call; `Ready(None)` once the stream has ended. The bytes are the
    /// same as the items'; a writer that gathers segments into larger writes saves a copy of each.
    pub fn poll_seal_into(
        &mut self,
        cx: &mut Context<'_>,
        out: &mut Vec<u8>,
    ) -> Poll<Option<Result<(), StreamError>>> {
        let this = self;
        if this.done {
            return Poll::Ready(None);
        }
        if let Some(header) = this.header.take() {
            out.extend_from_slice(&header);
            return Poll::Ready(Some(Ok(())));
        }
        // One byte of look-ahead past a full segment tells whether this segment is the last.
        let target = this.segment_len + 1;
        let at_end = match ready!(poll_fill(
            &mut this.reader,
            cx,
            &mut this.buf,
            &mut this.filled,
            target
        )) {
            Ok(at_end) => at_end,
            Err(e) => {
                this.done = true;
                return Poll::Ready(Some(Err(e.into())));
            }
        };
        let len = if at_end {
            this.filled
        } else {
            this.segment_len
        };
        let sealed = this.cipher.seal_into(&this.buf[..len], at_end, out);
        if at_end || sealed.is_err() {
            this.done = true;
        } else {
            this.buf.copy_within(this.segment_len..target, 0);
            this.filled = 1;
        }
        if sealed.is_ok() {
            this.plaintext_len += len as u64;
        }
        Poll::Ready(Some(sealed))
    }
}

impl<R: AsyncRead + Unpin> Stream for SealingStream<R> {
    type Item = Result<Vec<u8>, StreamError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let mut out = Vec::new();
        self.get_mut()
            .poll_seal_into(cx, &mut out)
            .map(|item| item.map(|sealed| sealed.map(|()| out)))
    }
}

/// Envelope in, plaintext out: yields each segment's plaintext once it has been authenticated.
///
/// Made by [`decrypt_stream`] or [`decrypt_segments`]. Ends with `None` only after the last segment has been
/// verified; any failure is yielded as an error, after which the stream ends. See the module docs on partial
/// output.
pub struct OpeningStream<R> {
    reader: R,
    cipher: SegmentCipher,
    buf: Vec<u8>,
    filled: usize,
    sealed_segment_len: usize,
    plaintext_len: u64,
    done: bool,
}

impl<R> fmt::Debug for OpeningStream<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OpeningStream")
            .field("sealed_segment_len", &self.sealed_segment_len)
            .field("plaintext_len", &self.plaintext_len)
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}

impl<R> OpeningStream<R> {
    /// Verified plaintext bytes yielded so far.
    pub fn plaintext_len(&self) -> u64 {
        self.plaintext_len
    }

    /// Whether the stream has ended (after the verified last segment, or after an error).
    pub fn is_done(&self) -> bool {
        self.done
    }
}

impl<R: AsyncRead + Unpin> Stream for OpeningStream<R> {
    type Item = Result<Vec<u8>, StreamError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if this.done {
            return Poll::Ready(None);
        }
        // One byte of look-ahead past a full segment tells whether this segment is the last: the end of the
        // input decides, so a stream cut at a boundary or extended past the last segment fails to verify.
        let target = this.sealed_segment_len + 1;
        let at_end = match ready!(poll_fill(
            &mut this.reader,
            cx,
            &mut this.buf,
            &mut this.filled,
            target
        )) {
            Ok(at_end) => at_end,
            Err(e) => {
                this.done = true;
                return Poll::Ready(Some(Err(e.into())));
            }
        };
        let opened = if at_end {
            if this.filled < TAG_LEN {
                Err(CryptoError::Tampered)
            } else {
                this.cipher.open(&this.buf[..this.filled], true)
            }
        } else {
            this.cipher
                .open(&this.buf[..this.sealed_segment_len], false)
        };
        match opened {
            Ok(plain) => {
                if at_end {
                    this.done = true;
                } else {
                    this.buf.copy_within(this.sealed_segment_len..target, 0);
                    this.filled = 1;
                }
                this.plaintext_len += plain.len() as u64;
                Poll::Ready(Some(Ok(plain)))
            }
            Err(e) => {
                this.done = true;
                Poll::Ready(Some(Err(e.into())))
            }
        }
    }
}

/// Starts sealing the object read from `reader` with the default segment size; the first chunk is the header.
pub fn encrypt_stream<R: AsyncRead + Unpin>(
    ring: &KeyRing,
    ctx: &ObjectContext<'_>,
    reader: R,
) -> Result<SealingStream<R>, CryptoError> {
    encrypt_stream_with(ring, ctx, reader, SegmentSize::DEFAULT)
}

/// [`encrypt_stream`] with a chosen segment size.
pub fn encrypt_stream_with<R: AsyncRead + Unpin>(
    ring: &KeyRing,
    ctx: &ObjectContext<'_>,
    reader: R,
    segment_size: SegmentSize,
) -> Result<SealingStream<R>, CryptoError> {
    let (dek, kek_id, wrapped_dek) = new_wrapped_dek(ring, ctx.object_id)?;
    let mut nonce_prefix = [0u8; NONCE_PREFIX_LEN];
    SystemRandom::new()
        .fill(&mut nonce_prefix)
        .map_err(|_| CryptoError::Random)?;
    let header = EnvelopeHeader::new(segment_size, nonce_prefix, kek_id, wrapped_dek)?;
    let cipher = SegmentCipher::new(&dek, &header, ctx)?;
    Ok(SealingStream {
        reader,
        cipher,
        header: Some(header.to_bytes()),
        buf: Vec::new(),
        filled: 0,
        segment_len: segment_size.bytes(),
        plaintext_len: 0,
        done: false,
    })
}

/// Reads and checks the header from `reader` (unwrapping the DEK, so an unknown key or another object's
/// header fails here, before any content), then returns the stream of verified plaintext segments.
pub async fn decrypt_stream<R: AsyncRead + Unpin>(
    ring: &KeyRing,
    ctx: &ObjectContext<'_>,
    mut reader: R,
) -> Result<OpeningStream<R>, StreamError> {
    let header = EnvelopeHeader::read_from(&mut reader).await?;
    Ok(decrypt_segments(ring, ctx, &header, reader)?)
}

/// Opens the segments that follow `header`, for callers that read the header themselves; `reader` must be
/// positioned at the first segment.
pub fn decrypt_segments<R: AsyncRead + Unpin>(
    ring: &KeyRing,
    ctx: &ObjectContext<'_>,
    header: &EnvelopeHeader,
    reader: R,
) -> Result<OpeningStream<R>, CryptoError> {
    let dek = unwrap_dek(ring, &header.kek_id, &header.wrapped_dek, ctx.object_id)?;
    let cipher = SegmentCipher::new(&dek, header, ctx)?;
    Ok(OpeningStream {
        reader,
        cipher,
        buf: Vec::new(),
        filled: 0,
        sealed_segment_len: header.segment_size.bytes() + TAG_LEN,
        plaintext_len: 0,
        done: false,
    })
}

/// Key rotation: returns `header_bytes` (exactly one header) with its DEK re-wrapped under the ring's current
/// primary KEK. The segments are untouched and stay valid. The new header has the same length as the old one
/// whenever the key ids have the same length, which fingerprint ids always do.
pub fn rewrap_header(
    ring: &KeyRing,
    object_id: &[u8],
    header_bytes: &[u8],
) -> Result<Vec<u8>, CryptoError> {
    let header = EnvelopeHeader::parse(header_bytes)?;
    let (kek_id, wrapped_dek) =
        sealed::rewrap(ring, object_id, &header.kek_id, &header.wrapped_dek)?;
    let rewrapped = EnvelopeHeader::new(
        header.segment_size,
        header.nonce_prefix,
        kek_id,
        wrapped_dek,
    )?;
    Ok(rewrapped.to_bytes())
}

/// Seals a whole in-memory object with the default segment size, through the same stream as uploads.
pub fn seal_all(
    ring: &KeyRing,
    ctx: &ObjectContext<'_>,
    plain: &[u8],
) -> Result<Vec<u8>, StreamError> {
    seal_all_with(ring, ctx, plain, SegmentSize::DEFAULT)
}

/// [`seal_all`] with a chosen segment size.
pub fn seal_all_with(
    ring: &KeyRing,
    ctx: &ObjectContext<'_>,
    plain: &[u8],
    segment_size: SegmentSize,
) -> Result<Vec<u8>, StreamError> {
    let mut sealing = encrypt_stream_with(ring, ctx, plain, segment_size)?;
    run_in_memory(async move {
        let mut out = Vec::new();
        while let Some(chunk) = sealing.next().await {
            out.extend_from_slice(&chunk?);
        }
        Ok(out)
    })
}

/// Opens a whole in-memory envelope through the same stream as downloads; all or nothing.
pub fn open_all(
    ring: &KeyRing,
    ctx: &ObjectContext<'_>,
    envelope: &[u8],
) -> Result<Vec<u8>, StreamError> {
    run_in_memory(async move {
        let mut opening = decrypt_stream(ring, ctx, envelope).await?;
        let mut out = Vec::new();
        while let Some(segment) = opening.next().await {
            out.extend_from_slice(&segment?);
        }
        Ok(out)
    })
}

/// Runs a future whose only I/O is reading a byte slice, which never waits, so it completes in one poll.
fn run_in_memory<T>(work: impl Future<Output = Result<T, StreamError>>) -> Result<T, StreamError> {
    work.now_or_never()
        .unwrap_or_else(|| Err(StreamError::Io(io::ErrorKind::WouldBlock.into())))
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine as _;
    use proptest::prelude::*;
    use ring::digest;
    use secrecy::SecretString;
    use tokio::io::AsyncWriteExt as _;

    fn ring_with(seed: u8, old: Option<u8>) -> KeyRing {
        let key = |s: u8| -> SecretString {
            let bytes: Vec<u8> = (0..32u8)
                .map(|i| i.wrapping_mul(29).wrapping_add(s))
                .collect();
            SecretString::from(base64::engine::general_purpose::STANDARD.encode(bytes))
        };
        KeyRing::from_config(Some(&key(seed)), old.map(key).as_ref()).unwrap()
    }

    const CTX: ObjectContext<'static> = ObjectContext {
        kind: "document",
        object_id: b"document-1",
        owner_id: b"person-1",
    };

    fn seg(n: u32) -> SegmentSize {
        SegmentSize::new(n).unwrap()
    }

    fn plaintext(len: usize) -> Vec<u8> {
        (0..len).map(|i| (i * 7 + i / 251) as u8).collect()
    }

    fn header_len(envelope: &[u8]) -> usize {
        EnvelopeHeader::parse_prefix(envelope).unwrap().1
    }

    /// Byte ranges of each sealed segment in an envelope made with segment size `size`.
    fn segment_ranges(envelope: &[u8], size: usize) -> Vec<std::ops::Range<usize>> {
        let mut ranges = Vec::new();
        let mut start = header_len(envelope);
        loop {
            let end = (start + size + TAG_LEN).min(envelope.len());
            ranges.push(start..end);
            if end == envelope.len() {
                return ranges;
            }
            start = end;
        }
    }

    /// Polls a future to completion with a no-op waker; the readers used with it never wait for real.
    fn block_on<F: Future>(future: F) -> F::Output {
        let mut future = std::pin::pin!(future);
        let mut cx = Context::from_waker(std::task::Waker::noop());
        loop {
            if let Poll::Ready(out) = future.as_mut().poll(&mut cx) {
                return out;
            }
        }
    }

    /// Every item an opening stream yields, in order.
    fn open_items(
        ring: &KeyRing,
        ctx: &ObjectContext<'_>,
        envelope: &[u8],
    ) -> Vec<Result<Vec<u8>, String>> {
        block_on(async {
            let mut opening = match decrypt_stream(ring, ctx, envelope).await {
                Ok(opening) => opening,
                Err(e) => return vec![Err(e.to_string())],
            };
            let mut items = Vec::new();
            while let Some(item) = opening.next().await {
                items.push(item.map_err(|e| e.to_string()));
            }
            items
        })
    }

    /// A reader that hands out at most `max` bytes per read and answers every other poll with `Pending`.
    struct Trickle<'a> {
        data: &'a [u8],
        max: usize,
        wait: bool,
    }

    impl AsyncRead for Trickle<'_> {
        fn poll_read(
            mut self: Pin<&mut Self>,
            cx: &mut Context<'_>,
            buf: &mut ReadBuf<'_>,
        ) -> Poll<io::Result<()>> {
            self.wait = !self.wait;
            if self.wait {
                cx.waker().wake_by_ref();
                return Poll::Pending;
            }
            let n = self.max.min(buf.remaining()).min(self.data.len());
            let (now, rest) = self.data.split_at(n);
            buf.put_slice(now);
            self.data = rest;
            Poll::Ready(Ok(()))
        }
    }

    /// A reader that fails after `ok` bytes.
    struct Broken {
        ok: usize,
    }

    impl AsyncRead for Broken {
        fn poll_read(
            mut self: Pin<&mut Self>,
            _: &mut Context<'_>,
            buf: &mut ReadBuf<'_>,
        ) -> Poll<io::Result<()>> {
            if self.ok == 0 {
                return Poll::Ready(Err(io::Error::new(io::ErrorKind::ConnectionReset, "cut")));
            }
            let n = self.ok.min(buf.remaining());
            buf.put_slice(&vec![0x5a; n]);
            self.ok -= n;
            Poll::Ready(Ok(()))
        }
    }

    #[test]
    fn round_trips_every_length_around_segment_boundaries() {
        let ring = ring_with(1, None);
        for size in [1usize, 7, 16] {
            let segment = seg(size as u32);
            for len in [
                0,
                1,
                size - 1,
                size,
                size + 1,
                2 * size,
                2 * size + 1,
                3 * size,
            ] {
                let plain = plaintext(len);
                let envelope = seal_all_with(&ring, &CTX, &plain, segment).unwrap();
                let segments = len.div_ceil(size).max(1);
                assert_eq!(
                    envelope.len(),
                    header_len(&envelope) + len + segments * TAG_LEN,
                    "size {size} len {len}"
                );
                assert_eq!(
                    open_all(&ring, &CTX, &envelope).unwrap(),
                    plain,
                    "size {size} len {len}"
                );
            }
        }
    }

    #[test]
    fn an_empty_object_is_one_empty_last_segment_and_the_default_size_is_64_kib() {
        let ring = ring_with(1, None);
        let envelope = seal_all(&ring, &CTX, b"").unwrap();
        let (header, len) = EnvelopeHeader::parse_prefix(&envelope).unwrap();
        assert_eq!(header.segment_size().get(), 64 * 1024);
        assert_eq!(header.encoded_len(), len);
        assert_eq!(envelope.len(), len + TAG_LEN);
        assert_eq!(open_all(&ring, &CTX, &envelope).unwrap(), b"");
        // No segment at all is not an empty object.
        assert!(matches!(
            open_all(&ring, &CTX, &envelope[..len]),
            Err(StreamError::Crypto(CryptoError::Tampered))
        ));
    }

    #[test]
    fn the_header_layout_is_as_documented() {
        let ring = ring_with(1, None);
        let envelope = seal_all_with(&ring, &CTX, b"hello", seg(300)).unwrap();
        assert_eq!(envelope[0], 1, "the version byte leads");
        assert_eq!(&envelope[1..5], b"CPSE");
        assert_eq!(&envelope[5..9], &300u32.to_be_bytes());
        let kek_id = ring.primary().id().as_bytes();
        assert_eq!(usize::from(envelope[16]), kek_id.len());
        assert_eq!(&envelope[17..17 + kek_id.len()], kek_id);
        let at = 17 + kek_id.len();
        let wrapped_len = usize::from(u16::from_be_bytes([envelope[at], envelope[at + 1]]));
        assert_eq!(wrapped_len, 12 + 32 + 16);
        assert_eq!(header_len(&envelope), at + 2 + wrapped_len);
        assert!(!envelope.windows(5).any(|w| w == b"hello"));
    }

    #[test]
    fn every_single_byte_flip_anywhere_fails() {
        let ring = ring_with(1, None);
        for len in [0usize, 5, 8, 20] {
            let plain = plaintext(len);
            let envelope = seal_all_with(&ring, &CTX, &plain, seg(8)).unwrap();
            for i in 0..envelope.len() {
                for mask in [0x01u8, 0x80, 0xff] {
                    let mut altered = envelope.clone();
                    altered[i] ^= mask;
                    let result = open_all(&ring, &CTX, &altered);
                    assert!(
                        matches!(
                            result,
                            Err(StreamError::Crypto(
                                CryptoError::Tampered
                                    | CryptoError::UnknownKey(_)
                                    | CryptoError::UnsupportedVersion(_)
                            ))
                        ),
                        "len {len} byte {i} mask {mask:#x}: {result:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn a_changed_version_or_forged_segment_size_is_refused_before_any_content() {
        let ring = ring_with(1, None);
        let envelope = seal_all_with(&ring, &CTX, &plaintext(40), seg(16)).unwrap();
        let mut v2 = envelope.clone();
        v2[0] = 2;
        assert!(matches!(
            open_all(&ring, &CTX, &v2),
            Err(StreamError::Crypto(CryptoError::UnsupportedVersion(2)))
        ));
        for size in [0u32, SegmentSize::MAX + 1, u32::MAX] {
            let mut forged = envelope.clone();
            forged[5..9].copy_from_slice(&size.to_be_bytes());
            assert!(matches!(
                EnvelopeHeader::parse_prefix(&forged),
                Err(CryptoError::Tampered)
            ));
            assert!(open_all(&ring, &CTX, &forged).is_err());
        }
        // A valid size that differs from the sealed one re-cuts nothing: the size is in every segment's AAD.
        for size in [8u32, 17, 32, 1024] {
            let mut forged = envelope.clone();
            forged[5..9].copy_from_slice(&size.to_be_bytes());
            assert!(open_all(&ring, &CTX, &forged).is_err(), "size {size}");
        }
        assert!(open_all(&ring, &CTX, b"").is_err());
        assert!(open_all(&ring, &CTX, b"CPSE").is_err());
    }

    #[test]
    fn truncation_anywhere_fails_including_every_segment_boundary() {
        let ring = ring_with(1, None);
        for len in [0usize, 8, 20, 24] {
            let envelope = seal_all_with(&ring, &CTX, &plaintext(len), seg(8)).unwrap();
            for cut in 0..envelope.len() {
                assert!(
                    open_all(&ring, &CTX, &envelope[..cut]).is_err(),
                    "len {len} cut {cut}"
                );
            }
            let ranges = segment_ranges(&envelope, 8);
            for range in &ranges[..ranges.len() - 1] {
                assert!(matches!(
                    open_all(&ring, &CTX, &envelope[..range.end]),
                    Err(StreamError::Crypto(CryptoError::Tampered))
                ));
            }
        }
    }

    #[test]
    fn dropping_swapping_or_duplicating_segments_fails() {
        let ring = ring_with(1, None);
        for len in [20usize, 24, 33] {
            let envelope = seal_all_with(&ring, &CTX, &plaintext(len), seg(8)).unwrap();
            let ranges = segment_ranges(&envelope, 8);
            let header = &envelope[..ranges[0].start];
            let part = |i: usize| &envelope[ranges[i].clone()];
            let n = ranges.len();

            let without_last: Vec<u8> =
                [header, &envelope[ranges[0].start..ranges[n - 1].start]].concat();
            let without_middle: Vec<u8> = [header, part(0), &envelope[ranges[2].start..]].concat();
            let swapped: Vec<u8> =
                [header, part(1), part(0), &envelope[ranges[2].start..]].concat();
            let duplicated: Vec<u8> = [header, part(0), &envelope[ranges[0].start..]].concat();
            let last_first: Vec<u8> = [
                header,
                part(n - 1),
                &envelope[ranges[0].start..ranges[n - 1].start],
            ]
            .concat();
            for (what, altered) in [
                ("without last", without_last),
                ("without middle", without_middle),
                ("swapped", swapped),
                ("duplicated", duplicated),
                ("last first", last_first),
            ] {
                assert!(
                    matches!(
                        open_all(&ring, &CTX, &altered),
                        Err(StreamError::Crypto(CryptoError::Tampered))
                    ),
                    "len {len}: {what}"
                );
            }
        }
    }

    #[test]
    fn anything_after_the_last_segment_fails() {
        let ring = ring_with(1, None);
        for len in [0usize, 5, 8, 20] {
            let envelope = seal_all_with(&ring, &CTX, &plaintext(len), seg(8)).unwrap();
            let ranges = segment_ranges(&envelope, 8);
            let last = envelope[ranges[ranges.len() - 1].clone()].to_vec();
            let other = seal_all_with(&ring, &CTX, &plaintext(len), seg(8)).unwrap();
            let other_segments = other[header_len(&other)..].to_vec();
            for extra in [
                vec![0u8],
                vec![0u8; TAG_LEN],
                vec![0u8; 8 + TAG_LEN + 1],
                last,
                other_segments,
            ] {
                let extended = [envelope.as_slice(), &extra].concat();
                assert!(
                    matches!(
                        open_all(&ring, &CTX, &extended),
                        Err(StreamError::Crypto(CryptoError::Tampered))
                    ),
                    "len {len} extra {}",
                    extra.len()
                );
            }
        }
    }

    #[test]
    fn another_owner_object_kind_or_header_cannot_open_it() {
        let ring = ring_with(1, None);
        let plain = plaintext(30);
        let envelope = seal_all_with(&ring, &CTX, &plain, seg(8)).unwrap();
        for ctx in [
            ObjectContext {
                owner_id: b"person-2",
                ..CTX
            },
            ObjectContext {
                object_id: b"document-2",
                ..CTX
            },
            ObjectContext {
                kind: "note_body",
                ..CTX
            },
            ObjectContext {
                kind: "documen",
                owner_id: b"tperson-1",
                ..CTX
            },
        ] {
            let items = open_items(&ring, &ctx, &envelope);
            assert_eq!(items.len(), 1, "{ctx:?}: no plaintext before the error");
            assert!(items[0].is_err(), "{ctx:?}");
        }
        // The header of another object of the same owner (same ring) in front of these segments.
        let other = seal_all_with(&ring, &CTX, &plain, seg(8)).unwrap();
        let spliced = [
            &other[..header_len(&other)],
            &envelope[header_len(&envelope)..],
        ]
        .concat();
        assert!(open_all(&ring, &CTX, &spliced).is_err());
    }

    #[test]
    fn an_unknown_key_is_reported_as_such() {
        let sealer = ring_with(1, None);
        let envelope = seal_all_with(&sealer, &CTX, b"payslip", seg(8)).unwrap();
        match open_all(&ring_with(2, None), &CTX, &envelope) {
            Err(StreamError::Crypto(CryptoError::UnknownKey(id))) => {
                assert_eq!(id, sealer.primary().id())
            }
            other => panic!("expected UnknownKey, got {other:?}"),
        }
    }

    #[test]
    fn rotation_rewraps_the_header_and_leaves_the_segments_alone() {
        let old = ring_with(1, None);
        let plain = plaintext(50);
        let envelope = seal_all_with(&old, &CTX, &plain, seg(16)).unwrap();
        let (header, len) = EnvelopeHeader::parse_prefix(&envelope).unwrap();
        assert_eq!(header.kek_id(), old.primary().id());

        // ENCRYPTION_KEY = new key, ENCRYPTION_OLD_KEYS = old key.
        let rotating = ring_with(2, Some(1));
        assert_eq!(open_all(&rotating, &CTX, &envelope).unwrap(), plain);
        let new_header = rewrap_header(&rotating, CTX.object_id, &envelope[..len]).unwrap();
        assert_eq!(new_header.len(), len);
        assert_eq!(
            EnvelopeHeader::parse(&new_header).unwrap().kek_id(),
            rotating.primary().id()
        );
        let rotated = [new_header.as_slice(), &envelope[len..]].concat();

        assert_eq!(open_all(&rotating, &CTX, &rotated).unwrap(), plain);
        assert_eq!(
            open_all(&ring_with(2, None), &CTX, &rotated).unwrap(),
            plain
        );
        assert!(matches!(
            open_all(&old, &CTX, &rotated),
            Err(StreamError::Crypto(CryptoError::UnknownKey(_)))
        ));
        // Rewrapping needs the right object id and exactly one header.
        assert!(rewrap_header(&rotating, b"document-2", &envelope[..len]).is_err());
        assert!(matches!(
            rewrap_header(&rotating, CTX.object_id, &envelope),
            Err(CryptoError::Tampered)
        ));
        assert!(matches!(
            rewrap_header(&ring_with(3, None), CTX.object_id, &envelope[..len]),
            Err(CryptoError::UnknownKey(_))
        ));
    }

    #[test]
    fn verified_segments_come_before_the_error_and_nothing_after_it() {
        let ring = ring_with(1, None);
        let plain = plaintext(24);
        let mut envelope = seal_all_with(&ring, &CTX, &plain, seg(8)).unwrap();
        let ranges = segment_ranges(&envelope, 8);
        envelope[ranges[1].start + 3] ^= 1;
        let items = open_items(&ring, &CTX, &envelope);
        assert_eq!(items.len(), 2);
        assert_eq!(items[0].as_deref(), Ok(&plain[..8]));
        assert!(items[1].is_err());
    }

    #[test]
    fn reader_failures_surface_as_io_errors_and_end_the_stream() {
        let ring = ring_with(1, None);
        let items: Vec<_> = block_on(async {
            let sealing = encrypt_stream_with(&ring, &CTX, Broken { ok: 20 }, seg(8)).unwrap();
            sealing.collect::<Vec<_>>().await
        });
        // header, two full segments, then the failure while looking for the third.
        assert_eq!(items.len(), 4);
        assert!(matches!(items[3], Err(StreamError::Io(_))));

        let envelope = seal_all_with(&ring, &CTX, &plaintext(40), seg(8)).unwrap();
        let reader = tokio::io::AsyncReadExt::chain(
            &envelope[..header_len(&envelope) + 30],
            Broken { ok: 0 },
        );
        let result = block_on(async {
            let mut opening = decrypt_stream(&ring, &CTX, reader).await?;
            let mut n = 0;
            while let Some(item) = opening.next().await {
                n += item?.len();
            }
            Ok::<_, StreamError>(n)
        });
        assert!(matches!(result, Err(StreamError::Io(_))));
    }

    #[test]
    fn debug_output_shows_no_key_material() {
        let ring = ring_with(1, None);
        let sealing = encrypt_stream_with(&ring, &CTX, &b"x"[..], seg(8)).unwrap();
        let shown = format!("{sealing:?}");
        assert!(
            shown.contains("SealingStream") && !shown.contains("key"),
            "{shown}"
        );
        let envelope = seal_all(&ring, &CTX, b"x").unwrap();
        let header = EnvelopeHeader::parse_prefix(&envelope).unwrap().0;
        assert!(!format!("{header:?}").contains("wrapped"));
    }

    #[test]
    fn streams_and_the_opening_future_can_move_between_threads() {
        fn assert_send<T: Send>(_: &T) {}
        let ring = ring_with(1, None);
        let sealing = encrypt_stream(&ring, &CTX, &b"x"[..]).unwrap();
        assert_send(&sealing);
        let opening = decrypt_stream(&ring, &CTX, &b""[..]);
        assert_send(&opening);
    }

    /// Generates `len` random bytes on demand, hashing them as it hands them out.
    struct RandomSource {
        left: u64,
        hash: digest::Context,
        rng: SystemRandom,
    }

    impl AsyncRead for RandomSource {
        fn poll_read(
            mut self: Pin<&mut Self>,
            _: &mut Context<'_>,
            buf: &mut ReadBuf<'_>,
        ) -> Poll<io::Result<()>> {
            // Odd-sized reads so segments never line up with them.
            let n = (self.left.min(12_345) as usize).min(buf.remaining());
            let mut chunk = vec![0u8; n];
            self.rng
                .fill(&mut chunk)
                .map_err(|_| io::Error::other("rng"))?;
            self.hash.update(&chunk);
            buf.put_slice(&chunk);
            self.left -= n as u64;
            Poll::Ready(Ok(()))
        }
    }

    #[tokio::test]
    async fn a_64_mib_object_streams_through_with_bounded_chunks() {
        const LEN: u64 = 64 * 1024 * 1024;
        let ring = ring_with(1, None);
        let segment = SegmentSize::DEFAULT.bytes();
        let mut source = RandomSource {
            left: LEN,
            hash: digest::Context::new(&digest::SHA256),
            rng: SystemRandom::new(),
        };
        let mut sealing = encrypt_stream(&ring, &CTX, &mut source).unwrap();
        // A small pipe between sealer and opener, like an upload followed by a download.
        let (mut upload, download) = tokio::io::duplex(64 * 1024);

        let produce = async {
            let mut max_chunk = 0;
            while let Some(chunk) = sealing.next().await {
                let chunk = chunk.unwrap();
                max_chunk = max_chunk.max(chunk.len());
                upload.write_all(&chunk).await.unwrap();
            }
            upload.shutdown().await.unwrap();
            max_chunk
        };
        let consume = async {
            let mut opening = decrypt_stream(&ring, &CTX, download).await.unwrap();
            let mut hash = digest::Context::new(&digest::SHA256);
            let mut max_chunk = 0;
            while let Some(plain) = opening.next().await {
                let plain = plain.unwrap();
                max_chunk = max_chunk.max(plain.len());
                hash.update(&plain);
            }
            assert!(opening.buf.len() <= segment + TAG_LEN + 1);
            (hash.finish(), max_chunk, opening.plaintext_len())
        };
        let (max_sealed, (opened_hash, max_plain, opened_len)) = tokio::join!(produce, consume);
        assert!(sealing.buf.len() <= segment + 1);
        assert_eq!(sealing.plaintext_len(), LEN);
        drop(sealing);

        assert_eq!(max_sealed, segment + TAG_LEN);
        assert_eq!(max_plain, segment);
        assert_eq!(opened_len, LEN);
        assert_eq!(opened_hash.as_ref(), source.hash.finish().as_ref());
    }

    /// Throughput of the streaming API on a 64 MiB buffer. A measurement, not a test: run with
    /// `cargo test --release -p crewplots-crypto stream_throughput -- --ignored --nocapture`.
    #[test]
    #[ignore = "measurement; run in release mode"]
    fn stream_throughput_64_mib() {
        const LEN: usize = 64 * 1024 * 1024;
        let ring = ring_with(1, None);
        let mut plain = vec![0u8; LEN];
        SystemRandom::new().fill(&mut plain).unwrap();
        let expected = digest::digest(&digest::SHA256, &plain);
        let mb = LEN as f64 / 1e6;

        for round in 0..3 {
            // Timed without keeping the output (as when chunks go straight to an upload), then once more
            // keeping it, for the decryption rounds.
            let started = std::time::Instant::now();
            let sealed_len = block_on(async {
                let mut sealing = encrypt_stream(&ring, &CTX, plain.as_slice()).unwrap();
                let mut sealed_len = 0;
                while let Some(chunk) = sealing.next().await {
                    sealed_len += chunk.unwrap().len();
                }
                sealed_len
            });
            let sealed = started.elapsed();
            let mut envelope = Vec::with_capacity(sealed_len);
            block_on(async {
                let mut sealing = encrypt_stream(&ring, &CTX, plain.as_slice()).unwrap();
                while let Some(chunk) = sealing.next().await {
                    envelope.extend_from_slice(&chunk.unwrap());
                }
            });
            assert_eq!(envelope.len(), sealed_len);

            let started = std::time::Instant::now();
            let mut hash = digest::Context::new(&digest::SHA256);
            let mut max_chunk = 0;
            block_on(async {
                let mut opening = decrypt_stream(&ring, &CTX, envelope.as_slice())
                    .await
                    .unwrap();
                while let Some(segment) = opening.next().await {
                    let segment = segment.unwrap();
                    max_chunk = max_chunk.max(segment.len());
                    hash.update(&segment);
                }
            });
            let opened_and_hashed = started.elapsed();
            assert_eq!(hash.finish().as_ref(), expected.as_ref());
            assert_eq!(max_chunk, SegmentSize::DEFAULT.bytes());

            let started = std::time::Instant::now();
            let opened_len = block_on(async {
                let mut opening = decrypt_stream(&ring, &CTX, envelope.as_slice())
                    .await
                    .unwrap();
                while let Some(segment) = opening.next().await {
                    segment.unwrap();
                }
                opening.plaintext_len()
            });
            let opened = started.elapsed();
            assert_eq!(opened_len, LEN as u64);
            println!(
                "round {round}: encrypt {:.0} MB/s ({sealed:?}), decrypt {:.0} MB/s ({opened:?}), \
                 decrypt+sha256 {:.0} MB/s ({opened_and_hashed:?})",
                mb / sealed.as_secs_f64(),
                mb / opened.as_secs_f64(),
                mb / opened_and_hashed.as_secs_f64(),
            );
        }
    }

    proptest! {
        /// A writer that gathers segments into its own buffer gets an envelope that opens to the plaintext,
        /// after whatever the buffer held before, which stays as it was.
        #[test]
        fn sealing_into_one_buffer_appends_an_envelope_that_opens(
            size in 1u32..=48,
            len in 0usize..240,
            max_read in 1usize..100,
            before in prop::collection::vec(any::<u8>(), 0..8),
        ) {
            let ring = ring_with(4, None);
            let plain = plaintext(len);
            let out = block_on(async {
                let reader = Trickle { data: &plain, max: max_read, wait: false };
                let mut sealing = encrypt_stream_with(&ring, &CTX, reader, seg(size)).unwrap();
                let mut out = before.clone();
                while let Some(step) =
                    std::future::poll_fn(|cx| sealing.poll_seal_into(cx, &mut out)).await
                {
                    step.unwrap();
                }
                assert_eq!(sealing.plaintext_len(), len as u64);
                out
            });
            prop_assert_eq!(&out[..before.len()], &before[..]);
            let opened: Vec<u8> = open_items(&ring, &CTX, &out[before.len()..])
                .into_iter()
                .flat_map(Result::unwrap)
                .collect();
            prop_assert_eq!(opened, plain);
        }

        #[test]
        fn random_lengths_up_to_five_segments_round_trip_through_trickling_readers(
            size in 1u32..=48,
            fraction in 0.0f64..=5.0,
            max_read in 1usize..100,
        ) {
            let ring = ring_with(4, None);
            let len = (f64::from(size) * fraction) as usize;
            let plain = plaintext(len);
            let envelope = block_on(async {
                let reader = Trickle { data: &plain, max: max_read, wait: false };
                let mut sealing = encrypt_stream_with(&ring, &CTX, reader, seg(size)).unwrap();
                let mut out = sealing.next().await.unwrap().unwrap();
                assert_eq!(out.len(), header_len(&out));
                while let Some(chunk) = sealing.next().await {
                    let chunk = chunk.unwrap();
                    assert!(chunk.len() <= size as usize + TAG_LEN);
                    out.extend_from_slice(&chunk);
                }
                assert_eq!(sealing.plaintext_len(), len as u64);
                out
            });
            let segments = len.div_ceil(size as usize).max(1);
            prop_assert_eq!(envelope.len(), header_len(&envelope) + len + segments * TAG_LEN);
            let opened = block_on(async {
                let reader = Trickle { data: &envelope, max: max_read, wait: false };
                let mut opening = decrypt_stream(&ring, &CTX, reader).await.unwrap();
                let mut out = Vec::new();
                while let Some(segment) = opening.next().await {
                    let segment = segment.unwrap();
                    assert!(segment.len() <= size as usize);
                    out.extend_from_slice(&segment);
                }
                out
            });
            prop_assert_eq!(opened, plain);
        }

        #[test]
        fn arbitrary_mutations_never_yield_other_plaintext(
            len in 0usize..80,
            size in 1u32..=24,
            edits in prop::collection::vec((0u8..4, any::<prop::sample::Index>(), any::<u8>()), 1..4),
        ) {
            let ring = ring_with(5, None);
            let plain = plaintext(len);
            let envelope = seal_all_with(&ring, &CTX, &plain, seg(size)).unwrap();
            let mut altered = envelope.clone();
            for (kind, at, byte) in edits {
                let i = at.index(altered.len().max(1));
                match kind {
                    0 if !altered.is_empty() => altered[i] ^= byte.max(1),
                    1 => altered.insert(i.min(altered.len()), byte),
                    2 if !altered.is_empty() => { altered.remove(i); }
                    _ => altered.truncate(i),
                }
            }
            match open_all(&ring, &CTX, &altered) {
                Ok(opened) => {
                    prop_assert_eq!(&altered, &envelope);
                    prop_assert_eq!(opened, plain);
                }
                Err(e) => prop_assert!(altered != envelope, "intact envelope failed: {e}"),
            }
        }
    }
}
