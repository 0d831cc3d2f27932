//! How a message leaves: SMTP (lettre), or a `.eml` file in `--mail-dir`
//! named by its Message-ID (written to a temporary name and renamed, so a
//! crash leaves the whole file or none, and a second write of the same id
//! replaces the first rather than adding a copy).

use std::path::{Path, PathBuf};

use base64::Engine;
use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use super::outbox::InlinePart;
use crate::hub::config::{MailTransport, SmtpSecurity};

/// A queued message as read back for sending.
#[derive(Clone, Debug)]
pub struct Outgoing {
    pub message_id: String,
    pub to: String,
    pub subject: String,
    pub text: String,
    pub inline: Vec<InlinePart>,
}

/// Why a message did not leave; `permanent` when retrying cannot help.
#[derive(Debug)]
pub struct SendError {
    pub permanent: bool,
    pub text: String,
}

impl SendError {
    fn permanent(text: impl Into<String>) -> SendError {
        SendError { permanent: true, text: text.into() }
    }
    fn transient(text: impl Into<String>) -> SendError {
        SendError { permanent: false, text: text.into() }
    }
}

pub enum Transport {
    Dir(PathBuf),
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
}

impl Transport {
    pub fn new(config: &MailTransport) -> Result<Transport, String> {
        match config {
            MailTransport::Dir(dir) => {
                std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
                Ok(Transport::Dir(dir.clone()))
            }
            MailTransport::Smtp(smtp) => {
                let tls = |host: &str| TlsParameters::new(host.to_string()).map_err(|e| e.to_string());
                let security = match smtp.security {
                    SmtpSecurity::None => Tls::None,
                    SmtpSecurity::Starttls => Tls::Required(tls(&smtp.host)?),
                    SmtpSecurity::Tls => Tls::Wrapper(tls(&smtp.host)?),
                };
                let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&smtp.host)
                    .port(smtp.port)
                    .tls(security)
                    .timeout(Some(smtp.timeout));
                if let (Some(user), Some(password)) = (&smtp.username, &smtp.password) {
                    builder = builder.credentials(Credentials::new(user.clone(), password.clone()));
                }
                Ok(Transport::Smtp(builder.build()))
            }
        }
    }

    pub async fn send(&self, from: &str, outgoing: &Outgoing) -> Result<(), SendError> {
        let message = build(from, outgoing)?;
        match self {
            Transport::Dir(dir) => write_eml(dir, &outgoing.message_id, &message.formatted())
                .await
                .map_err(|e| SendError::transient(e.to_string())),
            Transport::Smtp(smtp) => match smtp.send(message).await {
                Ok(_) => Ok(()),
                Err(error) => Err(SendError { permanent: error.is_permanent(), text: error.to_string() }),
            },
        }
    }
}

fn build(from: &str, outgoing: &Outgoing) -> Result<Message, SendError> {
    let from: Mailbox = from.parse().map_err(|e| SendError::permanent(format!("From: {e}")))?;
    let to: Mailbox = outgoing.to.parse().map_err(|e| SendError::permanent(format!("To: {e}")))?;
    let builder = Message::builder()
        .from(from)
        .to(to)
        .subject(outgoing.subject.clone())
        .message_id(Some(format!("<{}>", outgoing.message_id)))
        .date_now();
    let text = SinglePart::builder().header(ContentType::TEXT_PLAIN).body(outgoing.text.clone());
    let built = if outgoing.inline.is_empty() {
        builder.singlepart(text)
    } else {
        let mut parts = MultiPart::mixed().singlepart(text);
        for part in &outgoing.inline {
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(&part.base64)
                .map_err(|e| SendError::permanent(format!("inline part {}: {e}", part.cid)))?;
            let content_type =
                ContentType::parse(&part.content_type).map_err(|e| SendError::permanent(e.to_string()))?;
            parts = parts.singlepart(Attachment::new_inline(part.cid.clone()).body(bytes, content_type));
        }
        builder.multipart(parts)
    };
    built.map_err(|e| SendError::permanent(e.to_string()))
}

/// `DIR/<message id>.eml`, durably.
async fn write_eml(dir: &Path, message_id: &str, bytes: &[u8]) -> std::io::Result<()> {
    let name: String =
        message_id.chars().map(|c| if c.is_ascii_alphanumeric() || "-_.@".contains(c) { c } else { '_' }).collect();
    let (dir, bytes) = (dir.to_path_buf(), bytes.to_vec());
    tokio::task::spawn_blocking(move || {
        use std::io::Write;
        let temporary = dir.join(format!(".{name}.tmp"));
        let mut file = std::fs::File::create(&temporary)?;
        file.write_all(&bytes)?;
        file.sync_all()?;
        std::fs::rename(&temporary, dir.join(format!("{name}.eml")))?;
        std::fs::File::open(&dir)?.sync_all()
    })
    .await
    .map_err(std::io::Error::other)?
}
