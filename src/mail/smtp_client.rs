//! A small SMTP client for sending many messages over few connections.
//!
//! lettre builds and signs the messages; sending them is done here because
//! lettre's client writes the body and the final `.` in two writes on a
//! socket without `TCP_NODELAY`, so every message waits ~40 ms for the
//! server's delayed ACK, and it has no PIPELINING (RFC 2920). This client
//! sets `TCP_NODELAY`, sends MAIL, RCPT and DATA in one write when the
//! server offers PIPELINING, and writes each message with its terminator in
//! one write. STARTTLS and implicit TLS use rustls; AUTH is PLAIN or LOGIN.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::sync::Arc;
use std::time::Duration;

use base64::Engine;
use rustls::pki_types::ServerName;

use crate::config::Tls;

/// Marks the text of a refusal the server gave to one recipient (at RCPT
/// TO), which is what the address is worth, not what the message is:
/// `membership::bounces::rcpt_refusal` reads it from the recorded error.
pub(crate) const AT_RCPT: &str = " (refused at RCPT TO)";

/// What went wrong, and whether trying again may help.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SmtpError {
    /// The server's reply code, if it answered.
    pub code: Option<u16>,
    pub message: String,
}

impl SmtpError {
    fn network(what: &str, e: impl std::fmt::Display) -> SmtpError {
        SmtpError {
            code: None,
            message: format!("{what}: {e}"),
        }
    }

    /// A 5xx about this message or recipient: it will never pass.
    pub(crate) fn is_permanent(&self) -> bool {
        self.code.is_some_and(|c| (500..600).contains(&c)) && !self.is_session()
    }

    /// The server refused the session itself (authentication, TLS
    /// required): every message would fail the same way.
    pub(crate) fn is_session(&self) -> bool {
        matches!(self.code, Some(530 | 534 | 535 | 538))
    }
}

impl std::fmt::Display for SmtpError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.code {
            Some(code) => write!(f, "{code} {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

/// Where and how to connect; shared by every connection of a run.
#[derive(Clone)]
pub(crate) struct Settings {
    pub host: String,
    pub port: u16,
    pub tls: Tls,
    pub credentials: Option<(String, String)>,
    pub tls_config: Arc<rustls::ClientConfig>,
    pub timeout: Duration,
    /// The name this client gives in EHLO.
    pub hello_name: String,
}

enum Stream {
    Plain(TcpStream),
    Tls(Box<rustls::StreamOwned<rustls::ClientConnection, TcpStream>>),
    /// Only while the socket moves into a TLS session.
    Moving,
}

fn moving() -> std::io::Error {
    std::io::Error::other("the connection is being secured")
}

impl Read for Stream {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match self {
            Stream::Plain(s) => s.read(buf),
            Stream::Tls(s) => s.read(buf),
            Stream::Moving => Err(moving()),
        }
    }
}

impl Write for Stream {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            Stream::Plain(s) => s.write(buf),
            Stream::Tls(s) => s.write(buf),
            Stream::Moving => Err(moving()),
        }
    }
    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Stream::Plain(s) => s.flush(),
            Stream::Tls(s) => s.flush(),
            Stream::Moving => Err(moving()),
        }
    }
}

/// What a server said it supports in its EHLO reply.
struct Features(Vec<String>);

impl Features {
    fn has(&self, keyword: &str) -> bool {
        self.0
            .iter()
            .any(|line| line.split_whitespace().next() == Some(keyword))
    }

    fn auth(&self, mechanism: &str) -> bool {
        self.0.iter().any(|line| {
            let mut words = line.split(|c: char| c.is_whitespace() || c == '=');
            words.next() == Some("AUTH") && words.any(|w| w == mechanism)
        })
    }
}

/// One open SMTP session.
pub(crate) struct Connection {
    reader: BufReader<Stream>,
    pipelining: bool,
    /// Reused between messages to build each command group in one buffer.
    out: Vec<u8>,
}

impl Connection {
    /// Connects, greets, secures and logs in.
    pub(crate) fn open(settings: &Settings) -> Result<Connection, SmtpError> {
        let address = (settings.host.as_str(), settings.port)
            .to_socket_addrs()
            .map_err(|e| SmtpError::network(&format!("resolving {}", settings.host), e))?
            .next()
            .ok_or_else(|| SmtpError::network(&settings.host, "no address"))?;
        let tcp = TcpStream::connect_timeout(&address, settings.timeout)
            .map_err(|e| SmtpError::network(&format!("connecting to {address}"), e))?;
        tcp.set_nodelay(true)
            .and_then(|()| tcp.set_read_timeout(Some(settings.timeout)))
            .and_then(|()| tcp.set_write_timeout(Some(settings.timeout)))
            .map_err(|e| SmtpError::network("socket options", e))?;
        let stream = match settings.tls {
            Tls::Tls => Stream::Tls(Box::new(tls(settings, tcp)?)),
            _ => Stream::Plain(tcp),
        };
        let mut connection = Connection {
            reader: BufReader::with_capacity(16 * 1024, stream),
            pipelining: false,
            out: Vec::with_capacity(64 * 1024),
        };
        connection.reply(220)?;
        let mut features = connection.ehlo(&settings.hello_name)?;
        if settings.tls == Tls::Starttls {
            if !features.has("STARTTLS") {
                return Err(SmtpError {
                    code: None,
                    message: format!("{} does not offer STARTTLS", settings.host),
                });
            }
            connection.command(b"STARTTLS\r\n", 220)?;
            match std::mem::replace(connection.reader.get_mut(), Stream::Moving) {
                Stream::Plain(tcp) => {
                    *connection.reader.get_mut() = Stream::Tls(Box::new(tls(settings, tcp)?));
                }
                _ => {
                    return Err(SmtpError::network(
                        "STARTTLS",
                        "the connection was not plain",
                    ))
                }
            }
            features = connection.ehlo(&settings.hello_name)?;
        }
        connection.pipelining = features.has("PIPELINING");
        if let Some((user, password)) = &settings.credentials {
            connection.login(&features, user, password)?;
        }
        Ok(connection)
    }

    fn ehlo(&mut self, name: &str) -> Result<Features, SmtpError> {
        self.write(format!("EHLO {name}\r\n").as_bytes())?;
        let lines = self.reply(250)?;
        Ok(Features(
            lines
                .iter()
                .skip(1)
                .map(|l| l.to_ascii_uppercase())
                .collect(),
        ))
    }

    fn login(&mut self, features: &Features, user: &str, password: &str) -> Result<(), SmtpError> {
        let b64 = base64::engine::general_purpose::STANDARD;
        if features.auth("PLAIN") || !features.auth("LOGIN") {
            let token = b64.encode(format!("\0{user}\0{password}"));
            self.command(format!("AUTH PLAIN {token}\r\n").as_bytes(), 235)
                .map(|_| ())
        } else {
            self.command(b"AUTH LOGIN\r\n", 334)?;
            self.command(format!("{}\r\n", b64.encode(user)).as_bytes(), 334)?;
            self.command(format!("{}\r\n", b64.encode(password)).as_bytes(), 235)
                .map(|_| ())
        }
    }

    /// Sends one message to `to`, asking `hand_over` right before the final
    /// `.` that makes the server take it; when it says no, the message is
    /// left unfinished (an error: the connection goes, and the server
    /// drops what it got). After an error the connection is not used again
    /// (the caller opens a new one): servers differ in what RSET keeps, and
    /// a fresh session is in a known state.
    pub(crate) fn send(
        &mut self,
        from: &str,
        to: &[String],
        data: &[u8],
        hand_over: &mut dyn FnMut() -> bool,
    ) -> Result<(), SmtpError> {
        self.out.clear();
        let mut commands = vec![format!("MAIL FROM:<{from}>\r\n")];
        commands.extend(to.iter().map(|r| format!("RCPT TO:<{r}>\r\n")));
        commands.push("DATA\r\n".to_string());
        let expected: Vec<u16> = std::iter::once(250)
            .chain(to.iter().map(|_| 250))
            .chain(std::iter::once(354))
            .collect();
        if self.pipelining {
            for command in &commands {
                self.out.extend_from_slice(command.as_bytes());
            }
            let group = std::mem::take(&mut self.out);
            let written = self.write(&group);
            self.out = group;
            written?;
            // Every reply is read even after a refusal, so the session stays
            // in step with the server.
            let replies: Vec<Result<Vec<String>, SmtpError>> =
                expected.iter().map(|&code| self.reply(code)).collect();
            if let Some((index, error)) = replies
                .into_iter()
                .enumerate()
                .find_map(|(i, r)| r.err().map(|e| (i, e)))
            {
                return Err(at_rcpt(error, index, to.len()));
            }
        } else {
            for (index, (command, &code)) in commands.iter().zip(&expected).enumerate() {
                self.command(command.as_bytes(), code)
                    .map_err(|e| at_rcpt(e, index, to.len()))?;
            }
        }
        self.out.clear();
        dot_stuff(data, &mut self.out);
        let body = std::mem::take(&mut self.out);
        let written = self.write(&body);
        self.out = body;
        written?;
        if !hand_over() {
            return Err(SmtpError::network(
                "sending",
                "the run stopped before the end of the message",
            ));
        }
        self.write(END_OF_DATA)?;
        self.reply(250).map(|_| ())
    }

    /// Ends the session politely; errors do not matter any more.
    pub(crate) fn quit(mut self) {
        let _ = self.command(b"QUIT\r\n", 221);
    }

    fn write(&mut self, bytes: &[u8]) -> Result<(), SmtpError> {
        let stream = self.reader.get_mut();
        stream
            .write_all(bytes)
            .and_then(|()| stream.flush())
            .map_err(|e| SmtpError::network("writing", e))
    }

    fn command(&mut self, bytes: &[u8], code: u16) -> Result<Vec<String>, SmtpError> {
        self.write(bytes)?;
        self.reply(code)
    }

    /// Reads one (possibly multi-line) reply; an unexpected code is an error
    /// carrying the server's words.
    fn reply(&mut self, expected: u16) -> Result<Vec<String>, SmtpError> {
        let mut lines = Vec::new();
        loop {
            let mut line = String::new();
            let read = self
                .reader
                .read_line(&mut line)
                .map_err(|e| SmtpError::network("reading the reply", e))?;
            if read == 0 {
                return Err(SmtpError::network(
                    "reading the reply",
                    "the server closed the connection",
                ));
            }
            let line = line.trim_end_matches(['\r', '\n']);
            let code: u16 = line.get(..3).and_then(|c| c.parse().ok()).ok_or_else(|| {
                SmtpError::network("reading the reply", format!("not an SMTP reply: {line:?}"))
            })?;
            let last = line.as_bytes().get(3) != Some(&b'-');
            lines.push(line.get(4..).unwrap_or("").to_string());
            if last {
                return if code == expected {
                    Ok(lines)
                } else {
                    Err(SmtpError {
                        code: Some(code),
                        message: lines.join(" "),
                    })
                };
            }
        }
    }
}

/// The error of the `index`-th reply to MAIL, RCPT…, DATA, marked as a
/// recipient's refusal when it answered an RCPT.
fn at_rcpt(mut error: SmtpError, index: usize, recipients: usize) -> SmtpError {
    if error.code.is_some() && (1..=recipients).contains(&index) {
        error.message.push_str(AT_RCPT);
    }
    error
}

fn tls(
    settings: &Settings,
    tcp: TcpStream,
) -> Result<rustls::StreamOwned<rustls::ClientConnection, TcpStream>, SmtpError> {
    let name = ServerName::try_from(settings.host.clone())
        .map_err(|e| SmtpError::network(&format!("TLS name {}", settings.host), e))?;
    let mut connection = rustls::ClientConnection::new(settings.tls_config.clone(), name)
        .map_err(|e| SmtpError::network("TLS", e))?;
    let mut tcp = tcp;
    while connection.is_handshaking() {
        connection
            .complete_io(&mut tcp)
            .map_err(|e| SmtpError::network(&format!("TLS handshake with {}", settings.host), e))?;
    }
    Ok(rustls::StreamOwned::new(connection, tcp))
}

/// Ends the DATA section; written on its own (the socket has `TCP_NODELAY`)
/// because it is the moment the server takes the message.
const END_OF_DATA: &[u8] = b".\r\n";

/// The DATA section: lines starting with `.` get another `.` (RFC 5321
/// 4.5.2) and line ends are CRLF; `END_OF_DATA` follows.
pub(crate) fn dot_stuff(data: &[u8], out: &mut Vec<u8>) {
    out.reserve(data.len() + 64);
    // Line by line with memchr: lettre's output is already CRLF, so this is
    // mostly copying, and a byte-at-a-time loop showed up in profiles.
    let mut rest = data;
    while !rest.is_empty() {
        if rest[0] == b'.' {
            out.push(b'.');
        }
        match memchr::memchr(b'\n', rest) {
            Some(end) => {
                let line = &rest[..end];
                out.extend_from_slice(line);
                if line.last() != Some(&b'\r') {
                    out.push(b'\r');
                }
                out.push(b'\n');
                rest = &rest[end + 1..];
            }
            None => {
                out.extend_from_slice(rest);
                rest = &[];
            }
        }
    }
    if !out.ends_with(b"\r\n") {
        out.extend_from_slice(b"\r\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dot_stuffing_and_line_ends() {
        let mut out = Vec::new();
        dot_stuff(b"a\r\n.b\n..c\r\nend", &mut out);
        assert_eq!(out, b"a\r\n..b\r\n...c\r\nend\r\n");
        let mut out = Vec::new();
        dot_stuff(b".\r\n", &mut out);
        assert_eq!(out, b"..\r\n");
        let mut out = Vec::new();
        dot_stuff(b"\n\n.", &mut out);
        assert_eq!(out, b"\r\n\r\n..\r\n");
        let mut out = Vec::new();
        dot_stuff(b"", &mut out);
        assert_eq!(out, b"\r\n");
    }

    #[test]
    fn errors_say_whether_to_retry() {
        let error = |code| SmtpError {
            code: Some(code),
            message: String::new(),
        };
        assert!(error(550).is_permanent());
        assert!(!error(451).is_permanent());
        assert!(error(535).is_session() && !error(535).is_permanent());
        assert!(!SmtpError::network("x", "y").is_permanent());
    }
}
