//! What can go wrong preparing HTTPS, said in both languages: these reach the
//! operator at the terminal when `serve --tls` refuses to start.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    #[error("証明書のファイル {path} を読み書きできません / cannot read or write {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error(
        "ローカルCAのファイルが片方しかありません（{present} はあり {missing} がない）。新しいCAを作るとタブレットの信頼設定がやり直しになるため、起動を止めました。バックアップから戻すか、両方を消してください / only one of the local CA's files exists ({present} without {missing}); restore it from a backup or remove both to make a new CA (every tablet must then trust it again)"
    )]
    CaIncomplete { present: PathBuf, missing: PathBuf },
    #[error("ローカルCA {path} が壊れています / the local CA {path} is unusable: {reason}")]
    CaBroken { path: PathBuf, reason: String },
    #[error("証明書を作れません / cannot make a certificate: {0}")]
    Generate(#[from] rcgen::Error),
    #[error(
        "証明書 {path} を読めません（PEM形式の証明書が必要です）/ cannot read the certificate {path} (PEM expected): {reason}"
    )]
    OwnCert { path: PathBuf, reason: String },
    #[error(
        "秘密鍵 {path} を読めません（PEM形式の秘密鍵が必要です）/ cannot read the private key {path} (PEM expected): {reason}"
    )]
    OwnKey { path: PathBuf, reason: String },
    #[error(
        "証明書 {cert} と秘密鍵 {key} が対になっていません / the certificate {cert} and the key {key} do not match: {reason}"
    )]
    Mismatch { cert: PathBuf, key: PathBuf, reason: String },
    #[error("TLSの設定に失敗しました / TLS setup failed: {0}")]
    Rustls(#[from] rustls::Error),
}

impl TlsError {
    pub fn io(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> TlsError {
        let path = path.into();
        move |source| TlsError::Io { path, source }
    }
}
