//! A TCP proxy in front of a real store whose behaviour a test switches at run time (after crates.io's
//! `ChaosProxy`): forward everything, cut (close every connection and refuse new ones), or stall (accept
//! and keep connections open but forward nothing — a hung host, a `SIGSTOP`ped server). Restoring resumes
//! forwarding; connections that survived a stall carry on where they stopped.

use std::net::SocketAddr;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::JoinHandle;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Pass,
    Cut,
    Stall,
}

pub struct ChaosProxy {
    pub address: SocketAddr,
    mode: watch::Sender<Mode>,
    listener: JoinHandle<()>,
}

impl ChaosProxy {
    /// A proxy on a free local port, forwarding to `upstream`.
    pub async fn start(upstream: SocketAddr) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind the proxy");
        let address = listener.local_addr().expect("proxy address");
        let (mode, _) = watch::channel(Mode::Pass);
        let modes = mode.clone();
        let listener = tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let receiver = modes.subscribe();
                if *receiver.borrow() == Mode::Cut {
                    // Refused: closed at once.
                    drop(client);
                    continue;
                }
                let _ = client.set_nodelay(true);
                tokio::spawn(serve(client, upstream, receiver));
            }
        });
        Self {
            address,
            mode,
            listener,
        }
    }

    pub fn cut(&self) {
        self.mode.send_replace(Mode::Cut);
    }

    pub fn stall(&self) {
        self.mode.send_replace(Mode::Stall);
    }

    pub fn restore(&self) {
        self.mode.send_replace(Mode::Pass);
    }

    /// `url` with its `host:port` replaced by the proxy's address.
    pub fn url_for(&self, url: &str) -> String {
        let (start, end) = authority(url);
        format!("{}{}{}", &url[..start], self.address, &url[end..])
    }
}

impl Drop for ChaosProxy {
    fn drop(&mut self) {
        self.listener.abort();
        // Every connection task ends when it sees the mode channel close.
        self.mode.send_replace(Mode::Cut);
    }
}

/// The byte range of `host:port` in a store URL (after `scheme://` and any `user:password@`).
fn authority(url: &str) -> (usize, usize) {
    let start = url.find("://").map_or(0, |i| i + 3);
    let rest = &url[start..];
    let host_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let start = start + rest[..host_end].rfind('@').map_or(0, |i| i + 1);
    let end = url[start..]
        .find(['/', '?'])
        .map_or(url.len(), |i| start + i);
    (start, end)
}

/// The upstream address of a store URL.
pub fn upstream_of(url: &str) -> SocketAddr {
    let (start, end) = authority(url);
    url[start..end]
        .parse()
        .expect("the store URL names ip:port")
}

/// One client connection: waits while stalled, forwards while passing, closes both sides when cut.
async fn serve(mut client: TcpStream, upstream: SocketAddr, mut mode: watch::Receiver<Mode>) {
    // A connection accepted while stalled reaches the store only once restored.
    loop {
        let current = *mode.borrow_and_update();
        match current {
            Mode::Pass => break,
            Mode::Cut => return,
            Mode::Stall => {
                if mode.changed().await.is_err() {
                    return;
                }
            }
        }
    }
    let Ok(mut server) = TcpStream::connect(upstream).await else {
        return;
    };
    let _ = server.set_nodelay(true);
    let (mut client_read, mut client_write) = client.split();
    let (mut server_read, mut server_write) = server.split();
    let mut up = vec![0u8; 64 * 1024];
    let mut down = vec![0u8; 64 * 1024];
    loop {
        let current = *mode.borrow_and_update();
        match current {
            Mode::Cut => return,
            Mode::Stall => {
                if mode.changed().await.is_err() {
                    return;
                }
            }
            Mode::Pass => {
                tokio::select! {
                    changed = mode.changed() => if changed.is_err() { return },
                    read = client_read.read(&mut up) => match read {
                        Ok(0) | Err(_) => return,
                        Ok(n) => if server_write.write_all(&up[..n]).await.is_err() { return },
                    },
                    read = server_read.read(&mut down) => match read {
                        Ok(0) | Err(_) => return,
                        Ok(n) => if client_write.write_all(&down[..n]).await.is_err() { return },
                    },
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::authority;

    #[test]
    fn the_authority_is_found_in_every_store_url() {
        for (url, expected) in [
            ("postgres://u:p@127.0.0.1:5432/db", "127.0.0.1:5432"),
            ("redis://127.0.0.1:6379/0", "127.0.0.1:6379"),
            (
                "mongodb://127.0.0.1:27017/?directConnection=true",
                "127.0.0.1:27017",
            ),
            ("mongodb://127.0.0.1:27017", "127.0.0.1:27017"),
        ] {
            let (start, end) = authority(url);
            assert_eq!(&url[start..end], expected, "{url}");
        }
    }
}
