//! Deadlines below the pool: how the pool's connections are opened, and the watch that turns a PostgreSQL
//! server which stopped answering into an error instead of a request that hangs.
//!
//! Why the watch sits on the socket: a stalled peer that still acknowledges TCP (a `SIGSTOP`ped server, a
//! proxy that accepts but never forwards, a hung host behind a live kernel) is invisible to keepalives and
//! to `tcp_user_timeout`; only the application notices that an answer is overdue. Every statement, commit
//! and rollback of the crate goes through a pooled connection, so watching the connection's socket bounds
//! all of them in one place instead of a timeout around each of the crate's queries.
//!
//! How: the watch reads the message framing of both directions (never the content). Each `Query` or `Sync`
//! the client sends is answered by exactly one `ReadyForQuery`, so it knows when an answer is due. While one
//! is due and nothing has moved for [`Deadlines::liveness_check`], it asks the server whether it still
//! answers at all — a new TCP connection and an `SSLRequest`, which the postmaster answers with one byte
//! before any authentication. No byte within [`Deadlines::connect`] (a server that cannot take a connection
//! that fast is unavailable to the pool anyway): the connection fails with `TimedOut`, every query waiting
//! on it gets a "connection closed" error (which the store maps to "unavailable"), and the pool drops the
//! closed connection instead of handing it out again. A server that answers may simply be busy: the
//! statement is then bounded by the server-side `statement_timeout`, and the client gives up anyway after
//! that deadline plus [`SILENCE_GRACE`] of silence.
//!
//! Silence is what is bounded, not a statement's whole run: rows streaming to a slow reader (exports) keep
//! the watch quiet, and a statement allowed to run longer (an export's own `statement_timeout`) is still cut
//! if it stays silent past the pool's deadline plus the grace. The liveness check shows in the server's log
//! as a connection only where `log_connections` is on, and only after half a second of silence.
//!
//! Connections opened here are TCP (or Unix-socket) connections without TLS, like the pool's `NoTls`
//! before; keepalives and `tcp_user_timeout` from the configuration are applied to the socket.

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use deadpool_postgres::Connect;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::net::TcpStream;
use tokio::task::JoinHandle;
use tokio::time::{Instant, Sleep};
use tokio_postgres::config::Host;
use tokio_postgres::{Client, Config, Error, NoTls};

/// Time limits of the pool's connections and statements.
#[derive(Debug, Clone, Copy)]
pub struct Deadlines {
    /// Opening a connection: TCP, start-up and authentication.
    pub connect: Duration,
    /// The server-side `statement_timeout` (unless the URL sets one). The client waits at most this long
    /// plus [`SILENCE_GRACE`] for any answer, whatever a liveness check says.
    pub statement: Duration,
    /// Silence, while an answer is due, after which the client checks that the server still answers; the
    /// check itself gets [`Self::connect`]. A stalled server is noticed within the sum of the two.
    pub liveness_check: Duration,
}

impl Default for Deadlines {
    fn default() -> Self {
        Self {
            connect: Duration::from_secs(1),
            statement: Duration::from_secs(5),
            liveness_check: Duration::from_millis(500),
        }
    }
}

/// How much longer than the statement deadline the client waits for the server's own cancellation.
pub const SILENCE_GRACE: Duration = Duration::from_secs(1);

/// The pool's way of opening connections: like `tokio_postgres::Config::connect` with `NoTls`, but through a
/// watched socket.
pub(crate) struct WatchedConnect {
    pub deadlines: Deadlines,
    /// Longest silence while an answer is due; `None` when the URL sets its own `statement_timeout`,
    /// whose length this code does not interpret.
    pub silence_limit: Option<Duration>,
}

impl Connect for WatchedConnect {
    fn connect(
        &self,
        config: &Config,
    ) -> Pin<Box<dyn Future<Output = Result<(Client, JoinHandle<()>), Error>> + Send + '_>> {
        let config = config.clone();
        Box::pin(async move {
            match tokio::time::timeout(self.deadlines.connect, self.connect_any(&config)).await {
                Ok(result) => result,
                Err(_) => Err(Error::__private_api_timeout()),
            }
        })
    }
}

impl WatchedConnect {
    /// Tries the configured hosts in order, like libpq; the first that accepts wins.
    async fn connect_any(&self, config: &Config) -> Result<(Client, JoinHandle<()>), Error> {
        let ports = config.get_ports();
        let mut last = None;
        for (index, host) in config.get_hosts().iter().enumerate() {
            // One port applies to every host; otherwise ports pair with hosts.
            let port = ports
                .get(index)
                .or_else(|| ports.first())
                .copied()
                .unwrap_or(5432);
            let attempt = match host {
                Host::Tcp(name) => {
                    let addresses = match config.get_hostaddrs().get(index) {
                        Some(ip) => Ok(vec![SocketAddr::new(*ip, port)]),
                        None => tokio::net::lookup_host((name.as_str(), port))
                            .await
                            .map(Iterator::collect),
                    };
                    match addresses {
                        Ok(addresses) => self.connect_tcp(config, addresses).await,
                        Err(error) => Err(connect_error(error)),
                    }
                }
                #[cfg(unix)]
                Host::Unix(dir) => {
                    let path = dir.join(format!(".s.PGSQL.{port}"));
                    match tokio::net::UnixStream::connect(&path).await {
                        Ok(stream) => self.start(config, stream, Target::Unix(path)).await,
                        Err(error) => Err(connect_error(error)),
                    }
                }
            };
            match attempt {
                Ok(connected) => return Ok(connected),
                Err(error) => last = Some(error),
            }
        }
        Err(last.unwrap_or_else(|| {
            connect_error(io::Error::new(io::ErrorKind::InvalidInput, "no host"))
        }))
    }

    async fn connect_tcp(
        &self,
        config: &Config,
        addresses: Vec<SocketAddr>,
    ) -> Result<(Client, JoinHandle<()>), Error> {
        let mut last = io::Error::new(io::ErrorKind::NotFound, "the host has no address");
        for address in addresses {
            match TcpStream::connect(address).await {
                Ok(stream) => {
                    tune_socket(&stream, config).map_err(connect_error)?;
                    return self.start(config, stream, Target::Tcp(address)).await;
                }
                Err(error) => last = error,
            }
        }
        Err(connect_error(last))
    }

    /// Start-up and authentication over the watched socket; the connection then runs in a task of its own.
    async fn start<S>(
        &self,
        config: &Config,
        stream: S,
        target: Target,
    ) -> Result<(Client, JoinHandle<()>), Error>
    where
        S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
    {
        let watched = Watched::new(
            stream,
            Arc::new(Limits {
                check_after: self.deadlines.liveness_check,
                check_within: self.deadlines.connect,
                silence: self.silence_limit,
                target,
            }),
        );
        let (client, connection) = config.connect_raw(watched, NoTls).await?;
        let task = tokio::spawn(async move {
            if let Err(error) = connection.await {
                tracing::warn!(%error, "PostgreSQL connection closed with an error");
            }
        });
        Ok((client, task))
    }
}

/// Keepalives and `tcp_user_timeout` as configured (`Config::connect_raw` leaves the socket alone).
fn tune_socket(stream: &TcpStream, config: &Config) -> io::Result<()> {
    stream.set_nodelay(true)?;
    let socket = socket2::SockRef::from(stream);
    if config.get_keepalives() {
        let mut keepalive = socket2::TcpKeepalive::new().with_time(config.get_keepalives_idle());
        if let Some(interval) = config.get_keepalives_interval() {
            keepalive = keepalive.with_interval(interval);
        }
        if let Some(retries) = config.get_keepalives_retries() {
            keepalive = keepalive.with_retries(retries);
        }
        socket.set_tcp_keepalive(&keepalive)?;
    }
    #[cfg(target_os = "linux")]
    if let Some(timeout) = config.get_tcp_user_timeout() {
        socket.set_tcp_user_timeout(Some(*timeout))?;
    }
    Ok(())
}

/// `tokio_postgres::Error` has no public constructor for an I/O error; a stream that fails at once gets the
/// driver to make one, so a refused connection is reported with its cause.
fn connect_error(error: io::Error) -> Error {
    use futures_util::FutureExt as _;
    let failing = Failing(Some(error));
    match Config::new().connect_raw(failing, NoTls).now_or_never() {
        Some(Err(error)) => error,
        // Unreachable: the first write fails synchronously.
        _ => Error::__private_api_timeout(),
    }
}

struct Failing(Option<io::Error>);

impl Failing {
    fn fail<T>(&mut self) -> Poll<io::Result<T>> {
        Poll::Ready(Err(self
            .0
            .take()
            .unwrap_or_else(|| io::Error::from(io::ErrorKind::NotConnected))))
    }
}

impl AsyncRead for Failing {
    fn poll_read(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
        _: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        self.get_mut().fail()
    }
}

impl AsyncWrite for Failing {
    fn poll_write(self: Pin<&mut Self>, _: &mut Context<'_>, _: &[u8]) -> Poll<io::Result<usize>> {
        self.get_mut().fail()
    }
    fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.get_mut().fail()
    }
    fn poll_shutdown(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}

/// Where the liveness check connects: the address this connection reached.
#[derive(Debug, Clone)]
enum Target {
    Tcp(SocketAddr),
    #[cfg(unix)]
    Unix(PathBuf),
}

#[derive(Debug)]
struct Limits {
    check_after: Duration,
    check_within: Duration,
    silence: Option<Duration>,
    target: Target,
}

/// True when the server at `target` answers an `SSLRequest` within `within`. The postmaster answers it
/// before authentication (`S` or `N`); the probe then closes the connection.
async fn server_answers(target: Target, within: Duration) -> bool {
    /// Length 8, then the request code 80877103.
    const SSL_REQUEST: [u8; 8] = [0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f];
    async fn exchange<S: AsyncRead + AsyncWrite + Unpin>(mut stream: S) -> io::Result<()> {
        stream.write_all(&SSL_REQUEST).await?;
        let mut answer = [0u8; 1];
        stream.read_exact(&mut answer).await?;
        Ok(())
    }
    let check = async move {
        match target {
            Target::Tcp(address) => exchange(TcpStream::connect(address).await?).await,
            #[cfg(unix)]
            Target::Unix(path) => exchange(tokio::net::UnixStream::connect(path).await?).await,
        }
    };
    matches!(tokio::time::timeout(within, check).await, Ok(Ok(())))
}

/// A silence being watched: since when nothing moved, the next liveness check, and a check in flight.
struct Watch {
    since: Instant,
    next_check: Pin<Box<Sleep>>,
    check: Option<Pin<Box<dyn Future<Output = bool> + Send>>>,
}

/// A socket whose silence is watched while an answer is due.
pub(crate) struct Watched<S> {
    inner: S,
    sent: Frames,
    received: Frames,
    /// `ReadyForQuery` messages still due: one for the start-up, one per `Query` or `Sync` sent.
    due: u64,
    watch: Option<Watch>,
    limits: Arc<Limits>,
}

impl<S> Watched<S> {
    fn new(inner: S, limits: Arc<Limits>) -> Self {
        Self {
            inner,
            // The start-up message is the only one without a type byte.
            sent: Frames::untyped_first(),
            received: Frames::typed(),
            due: 1,
            watch: None,
            limits,
        }
    }

    /// `Pending` while the silence is within bounds (with a wake-up registered), an error once the server
    /// is found not to answer.
    fn poll_watch<T>(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<T>> {
        if self.due == 0 {
            self.watch = None;
            return Poll::Pending;
        }
        let limits = &self.limits;
        let watch = self.watch.get_or_insert_with(|| {
            let now = Instant::now();
            Watch {
                since: now,
                next_check: Box::pin(tokio::time::sleep_until(now + limits.check_after)),
                check: None,
            }
        });
        loop {
            if let Some(limit) = limits.silence {
                if watch.since.elapsed() >= limit {
                    return Poll::Ready(Err(stalled("no answer within the statement deadline")));
                }
            }
            if let Some(check) = watch.check.as_mut() {
                match check.as_mut().poll(cx) {
                    Poll::Ready(true) => {
                        watch.check = None;
                        watch
                            .next_check
                            .as_mut()
                            .reset(Instant::now() + limits.check_after);
                        continue;
                    }
                    Poll::Ready(false) => {
                        return Poll::Ready(Err(stalled("the server stopped answering")))
                    }
                    Poll::Pending => return Poll::Pending,
                }
            }
            if watch.next_check.as_mut().poll(cx).is_ready() {
                watch.check = Some(Box::pin(server_answers(
                    limits.target.clone(),
                    limits.check_within,
                )));
                continue;
            }
            return Poll::Pending;
        }
    }
}

fn stalled(what: &str) -> io::Error {
    io::Error::new(io::ErrorKind::TimedOut, format!("PostgreSQL: {what}"))
}

impl<S: AsyncRead + Unpin> AsyncRead for Watched<S> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        match Pin::new(&mut this.inner).poll_read(cx, buf) {
            Poll::Ready(Ok(())) => {
                let fresh = &buf.filled()[before..];
                if !fresh.is_empty() {
                    let mut answered = 0;
                    this.received.feed(fresh, |kind| {
                        if kind == b'Z' {
                            answered += 1;
                        }
                    });
                    this.due = this.due.saturating_sub(answered);
                    this.watch = None;
                }
                Poll::Ready(Ok(()))
            }
            Poll::Pending => this.poll_watch(cx),
            Poll::Ready(Err(error)) => Poll::Ready(Err(error)),
        }
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Watched<S> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        match Pin::new(&mut this.inner).poll_write(cx, buf) {
            Poll::Ready(Ok(written)) => {
                let mut asked = 0;
                this.sent.feed(&buf[..written], |kind| {
                    if kind == b'Q' || kind == b'S' {
                        asked += 1;
                    }
                });
                this.due += asked;
                if written > 0 {
                    // The silence starts now. The connection polls its reads before its writes, so a read
                    // may not come round again before an answer arrives: register the watch's wake-up here.
                    // (A fresh watch cannot have run out: this only registers the wake-up.)
                    this.watch = None;
                    let _ = this.poll_watch::<()>(cx);
                }
                Poll::Ready(Ok(written))
            }
            Poll::Pending => this.poll_watch(cx),
            Poll::Ready(Err(error)) => Poll::Ready(Err(error)),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        match Pin::new(&mut this.inner).poll_flush(cx) {
            Poll::Pending => this.poll_watch(cx),
            ready => ready,
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }
}

/// Follows the framing of one direction of the protocol: a type byte (except for the start-up message),
/// a 4-byte big-endian length that counts itself, then the body.
#[derive(Debug)]
struct Frames {
    header: [u8; 5],
    header_len: usize,
    filled: usize,
    body_left: usize,
}

impl Frames {
    fn typed() -> Self {
        Self {
            header: [0; 5],
            header_len: 5,
            filled: 0,
            body_left: 0,
        }
    }

    fn untyped_first() -> Self {
        Self {
            header_len: 4,
            ..Self::typed()
        }
    }

    /// Consumes `bytes`, calling `on_message` with the type of each message whose header completes.
    fn feed(&mut self, mut bytes: &[u8], mut on_message: impl FnMut(u8)) {
        while !bytes.is_empty() {
            if self.body_left > 0 {
                let skip = self.body_left.min(bytes.len());
                self.body_left -= skip;
                bytes = &bytes[skip..];
                continue;
            }
            let take = (self.header_len - self.filled).min(bytes.len());
            self.header[self.filled..self.filled + take].copy_from_slice(&bytes[..take]);
            self.filled += take;
            bytes = &bytes[take..];
            if self.filled == self.header_len {
                let h = self.header;
                let (kind, length) = if self.header_len == 5 {
                    (Some(h[0]), u32::from_be_bytes([h[1], h[2], h[3], h[4]]))
                } else {
                    (None, u32::from_be_bytes([h[0], h[1], h[2], h[3]]))
                };
                self.body_left = usize::try_from(length)
                    .unwrap_or(usize::MAX)
                    .saturating_sub(4);
                self.filled = 0;
                self.header_len = 5;
                if let Some(kind) = kind {
                    on_message(kind);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(kind: u8, body: &[u8]) -> Vec<u8> {
        let mut bytes = vec![kind];
        bytes.extend_from_slice(&(u32::try_from(body.len()).unwrap() + 4).to_be_bytes());
        bytes.extend_from_slice(body);
        bytes
    }

    fn kinds(frames: &mut Frames, stream: &[u8], piece: usize) -> Vec<u8> {
        let mut seen = Vec::new();
        for chunk in stream.chunks(piece) {
            frames.feed(chunk, |kind| seen.push(kind));
        }
        seen
    }

    #[test]
    fn frames_are_followed_across_any_split() {
        let mut stream = Vec::new();
        stream.extend_from_slice(&12u32.to_be_bytes());
        stream.extend_from_slice(&[0, 3, 0, 0, b'u', 0, 0, 0]);
        stream.extend(message(b'P', b"SELECT 1\0\0\0"));
        stream.extend(message(b'S', b""));
        stream.extend(message(b'Q', b"SELECT 2\0"));
        for piece in [1, 2, 3, 7, 64] {
            assert_eq!(
                kinds(&mut Frames::untyped_first(), &stream, piece),
                b"PSQ".to_vec(),
                "piece {piece}"
            );
        }
    }

    #[test]
    fn typed_frames_report_every_message() {
        let mut stream = message(b'1', b"");
        stream.extend(message(b'D', &[7; 300]));
        stream.extend(message(b'Z', b"I"));
        assert_eq!(kinds(&mut Frames::typed(), &stream, 5), b"1DZ".to_vec());
    }

    #[tokio::test]
    async fn a_closed_port_is_not_a_live_server() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        drop(listener);
        assert!(!server_answers(Target::Tcp(address), Duration::from_millis(500)).await);
    }

    #[tokio::test]
    async fn a_server_that_accepts_but_never_answers_is_not_alive() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let _held = tokio::spawn(async move {
            let (socket, _) = listener.accept().await.unwrap();
            tokio::time::sleep(Duration::from_secs(5)).await;
            drop(socket);
        });
        assert!(!server_answers(Target::Tcp(address), Duration::from_millis(300)).await);
    }
}
