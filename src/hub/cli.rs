//! `borasen hub`: its flags, each also a `BORASEN_*` variable.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::Args;

use super::config::{FirstAdmin, HubConfig, MailConfig, MailTransport, SmtpSecurity, SmtpSettings};

#[derive(Args)]
pub struct HubArgs {
    /// PostgreSQL の接続先 / the database: postgres://USER:PASSWORD@HOST/DB (a socket: postgres:///DB?host=/run/postgresql)
    #[arg(long = "database", value_name = "URL", env = "BORASEN_DATABASE_URL", hide_env_values = true)]
    database: String,
    /// 待ち受けアドレス / address to listen on
    #[arg(long, env = "BORASEN_HUB_ADDR", default_value = "0.0.0.0:8090")]
    addr: SocketAddr,
    /// 公開URL（メールのリンク）/ the URL people reach the hub by, for links in mail (default: the listening address)
    #[arg(long, value_name = "URL", env = "BORASEN_HUB_PUBLIC_URL")]
    public_url: Option<String>,
    /// HTTPS の証明書（PEM、通常はリバースプロキシで終端）/ serve HTTPS with this certificate chain (PEM); usually a reverse proxy does TLS
    #[arg(long, value_name = "FILE", env = "BORASEN_HUB_TLS_CERT", requires = "tls_key")]
    tls_cert: Option<PathBuf>,
    /// --tls-cert の秘密鍵 / its private key (PEM)
    #[arg(long, value_name = "FILE", env = "BORASEN_HUB_TLS_KEY", requires = "tls_cert")]
    tls_key: Option<PathBuf>,
    /// メールを送らず .eml ファイルとしてここに書く / write mail as .eml files here instead of sending it
    #[arg(long, value_name = "DIR", env = "BORASEN_MAIL_DIR", conflicts_with = "smtp_host")]
    mail_dir: Option<PathBuf>,
    /// SMTP サーバー / SMTP server
    #[arg(long, value_name = "HOST", env = "BORASEN_SMTP_HOST")]
    smtp_host: Option<String>,
    /// SMTP ポート（既定: starttls 587、tls 465、none 25）/ SMTP port (default 587 starttls, 465 tls, 25 none)
    #[arg(long, value_name = "PORT", env = "BORASEN_SMTP_PORT")]
    smtp_port: Option<u16>,
    /// SMTP の暗号化 / SMTP security
    #[arg(long, value_enum, env = "BORASEN_SMTP_SECURITY", default_value = "starttls")]
    smtp_security: SmtpSecurity,
    /// SMTP ユーザー（パスワードは環境変数 BORASEN_SMTP_PASSWORD）/ SMTP user (its password from BORASEN_SMTP_PASSWORD)
    #[arg(long, value_name = "USER", env = "BORASEN_SMTP_USER")]
    smtp_user: Option<String>,
    /// 差出人 / the From: address
    #[arg(long, value_name = "ADDRESS", env = "BORASEN_MAIL_FROM", default_value = "borasen <noreply@localhost>")]
    mail_from: String,
    /// ハブ管理者がいなければ、このアドレスで作る（パスワードは BORASEN_HUB_ADMIN_PASSWORD、なければ表示）/
    /// make the first hub admin with this address when there is none (password from BORASEN_HUB_ADMIN_PASSWORD, else printed once)
    #[arg(long, value_name = "EMAIL", env = "BORASEN_HUB_FIRST_ADMIN")]
    first_admin: Option<String>,
    /// 登録できる最低年齢 / the youngest a volunteer may register
    #[arg(long, env = "BORASEN_HUB_MINIMUM_AGE", default_value_t = 13, value_parser = clap::value_parser!(u32).range(0..=100))]
    minimum_age: u32,
    /// データベース接続数の上限 / connections to PostgreSQL this process holds at most
    #[arg(long, env = "BORASEN_HUB_DB_CONNECTIONS", default_value_t = 20)]
    db_connections: u32,
    /// 信頼するリバースプロキシ（X-Forwarded-For の利用者アドレスを採る。カンマ区切り可）/
    /// reverse proxies trusted to name the client in X-Forwarded-For (login throttling); repeat or separate with commas
    #[arg(long = "trusted-proxy", value_name = "IP", env = "BORASEN_HUB_TRUSTED_PROXIES", value_delimiter = ',')]
    trusted_proxies: Vec<std::net::IpAddr>,
    /// センターごとの同期リクエスト上限（1分あたり、プロセスごと）/ sync requests a center may make per minute, counted by each hub process apart
    #[arg(long, env = "BORASEN_HUB_SYNC_PER_MINUTE", default_value_t = 60, value_parser = clap::value_parser!(u32).range(1..))]
    sync_per_minute: u32,
    /// 抽選で不参加（予約して来なかった日）の少ない人を先に並べる（既定: しない）/
    /// lotteries put applicants with fewer no-shows first (sha256-rank-noshow-v1; default off)
    #[arg(long, env = "BORASEN_HUB_LOTTERY_WEIGH_NO_SHOWS")]
    lottery_weigh_no_shows: bool,
    /// メール再送の初回待ち（秒）/ seconds before a failed mail's first retry (doubling)
    #[arg(long, env = "BORASEN_MAIL_RETRY_SECONDS", default_value_t = 30)]
    mail_retry_seconds: u64,
}

impl HubArgs {
    pub fn config(self) -> Result<HubConfig, String> {
        let transport = match (self.mail_dir, self.smtp_host) {
            (Some(dir), _) => MailTransport::Dir(dir),
            (None, Some(host)) => MailTransport::Smtp(SmtpSettings {
                port: self.smtp_port.unwrap_or(match self.smtp_security {
                    SmtpSecurity::None => 25,
                    SmtpSecurity::Starttls => 587,
                    SmtpSecurity::Tls => 465,
                }),
                host,
                security: self.smtp_security,
                username: self.smtp_user,
                password: secret("BORASEN_SMTP_PASSWORD"),
                timeout: Duration::from_secs(30),
            }),
            (None, None) => {
                return Err("メールの送り方がありません: --smtp-host または --mail-dir を指定してください / \
                     no way to send mail: give --smtp-host or --mail-dir"
                    .into());
            }
        };
        let mut mail = MailConfig::new(self.mail_from, transport);
        mail.retry_base = Duration::from_secs(self.mail_retry_seconds.max(1));
        let mut config = HubConfig::new(self.database, mail);
        config.addr = self.addr;
        config.public_url = self.public_url.map(|url| url.trim_end_matches('/').to_string());
        config.tls = self.tls_cert.zip(self.tls_key).map(|(cert, key)| crate::config::OwnCert { cert, key });
        config.db_connections = self.db_connections.max(2);
        config.minimum_age = self.minimum_age;
        config.trusted_proxies = self.trusted_proxies;
        config.sync_per_minute = self.sync_per_minute;
        config.lottery_weigh_no_shows = self.lottery_weigh_no_shows;
        config.first_admin =
            self.first_admin.map(|email| FirstAdmin { email, password: secret("BORASEN_HUB_ADMIN_PASSWORD") });
        Ok(config)
    }
}

/// Passwords come from the environment only: flags show in `ps`.
fn secret(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|value| !value.is_empty())
}
