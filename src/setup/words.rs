//! The words of `/setup` and its poster, in Japanese and English. The steps
//! name the settings screens as each device labels them in that language.

use crate::i18n::Lang;

pub struct Words {
    pub title: &'static str,
    pub lead: &'static str,
    pub open_heading: &'static str,
    pub open_note: &'static str,
    pub first_heading: &'static str,
    pub first_note: &'static str,
    pub fingerprint_heading: &'static str,
    pub fingerprint_note: &'static str,
    pub tls_off_heading: &'static str,
    pub tls_off: &'static str,
    pub tls_off_how: &'static str,
    pub own_cert: &'static str,
    pub ios_heading: &'static str,
    pub ios_download: &'static str,
    pub ios_steps: &'static [&'static str],
    pub android_heading: &'static str,
    pub android_download: &'static str,
    pub android_steps: &'static [&'static str],
    pub windows_heading: &'static str,
    pub windows_download: &'static str,
    pub windows_steps: &'static [&'static str],
    pub mac_heading: &'static str,
    pub mac_download: &'static str,
    pub mac_steps: &'static [&'static str],
    pub poster_link: &'static str,
}

pub fn words(lang: Lang) -> &'static Words {
    match lang {
        Lang::Ja => &JA,
        Lang::En => &EN,
    }
}

pub static JA: Words = Words {
    title: "タブレットの接続設定",
    lead: "タブレットでカメラ（QRコードの読み取り）を使うには、このセンターの証明書を端末に一度だけ入れて信頼させます。",
    open_heading: "このセンターを開く",
    open_note: "証明書を入れた端末は、こちらのアドレスで開きます。",
    first_heading: "はじめての端末はここから",
    first_note: "まだ証明書を入れていない端末は、まずこのQRコードからこのページを開いてください。",
    fingerprint_heading: "証明書の指紋（SHA-256）",
    fingerprint_note: "端末に表示される指紋がこれと同じか確かめてください。違う場合は入れずに本部へ。",
    tls_off_heading: "HTTPSは使われていません",
    tls_off: "HTTPSは使われていません。タブレットのカメラ（QRコード読み取り）にはHTTPSが必要です。",
    tls_off_how: "センターのパソコンで borasen serve --tls として起動してください（環境変数 BORASEN_TLS=1 でも同じ）。初回にこのセンター専用の証明書（ローカルCA）が作られます。",
    own_cert: "このセンターは管理者が用意した証明書を使っています。端末に入れる証明書は管理者に確認してください。",
    ios_heading: "iPad・iPhone",
    ios_download: "構成プロファイルをダウンロード",
    ios_steps: &[
        "Safariでこのページを開き、「構成プロファイルをダウンロード」を押して「許可」を選びます。",
        "設定 → 一般 → VPNとデバイス管理 → ダウンロード済みのプロファイル → 「インストール」を押します（パスコードを入力）。",
        "設定 → 一般 → 情報 → 証明書信頼設定 → このセンターの証明書を「オン」にします（ルート証明書を全面的に信頼）。",
        "上の「このセンターを開く」のアドレスを開きます。",
    ],
    android_heading: "Android",
    android_download: "CA証明書をダウンロード（ca.crt）",
    android_steps: &[
        "Chromeでこのページを開き、「CA証明書をダウンロード」を押します。",
        "設定 → セキュリティ → 暗号化と認証情報 → 証明書のインストール → CA証明書 → 「インストール」を押し、ダウンロードした ca.crt を選びます。",
        "機種によっては 設定 → セキュリティとプライバシー → その他のセキュリティ設定 の中にあります。",
        "上の「このセンターを開く」のアドレスを開きます。",
    ],
    windows_heading: "Windows",
    windows_download: "CA証明書をダウンロード（ca.crt）",
    windows_steps: &[
        "ダウンロードした ca.crt をダブルクリック → 「証明書のインストール」を押します。",
        "「証明書をすべて次のストアに配置する」→ 参照 → 「信頼されたルート証明機関」を選び、完了します。",
        "または certmgr.msc → 信頼されたルート証明機関 → 証明書 → 右クリック → すべてのタスク → インポート。",
        "ブラウザーを開き直します。",
    ],
    mac_heading: "Mac",
    mac_download: "CA証明書をダウンロード（ca.pem）",
    mac_steps: &[
        "ダウンロードした ca.pem をダブルクリックし、キーチェーンアクセスで「システム」に追加します。",
        "キーチェーンアクセスでこのセンターの証明書をダブルクリック → 信頼 → 「この証明書を使用するとき」を「常に信頼」にします。",
        "ブラウザーを開き直します。",
    ],
    poster_link: "掲示用ポスター（PDF）",
};

pub static EN: Words = Words {
    title: "Connecting a tablet",
    lead: "Tablets need this center's certificate, installed and trusted once, before they may use the camera (QR scanning).",
    open_heading: "Open this center",
    open_note: "Devices that trust the certificate open the center here.",
    first_heading: "New devices start here",
    first_note: "A device without the certificate opens this page first, from this QR code.",
    fingerprint_heading: "Certificate fingerprint (SHA-256)",
    fingerprint_note: "Check that the device shows the same fingerprint. If not, do not install it; tell the headquarters.",
    tls_off_heading: "HTTPS is off",
    tls_off: "HTTPS is off. Tablets need HTTPS to use the camera (QR scanning).",
    tls_off_how: "Start the center with borasen serve --tls (or set BORASEN_TLS=1). The first start makes this center's own certificate authority.",
    own_cert: "This center uses a certificate provided by its administrator. Ask them which certificate devices must trust.",
    ios_heading: "iPad / iPhone",
    ios_download: "Download the configuration profile",
    ios_steps: &[
        "Open this page in Safari, tap “Download the configuration profile” and choose “Allow”.",
        "Settings → General → VPN & Device Management → the downloaded profile → Install (enter the passcode).",
        "Settings → General → About → Certificate Trust Settings → turn on this center's certificate (enable full trust for root certificates).",
        "Open the address under “Open this center”.",
    ],
    android_heading: "Android",
    android_download: "Download the CA certificate (ca.crt)",
    android_steps: &[
        "Open this page in Chrome and tap “Download the CA certificate”.",
        "Settings → Security → Encryption & credentials → Install a certificate → CA certificate → Install anyway, and pick the downloaded ca.crt.",
        "On some models it is under Settings → Security & privacy → More security settings.",
        "Open the address under “Open this center”.",
    ],
    windows_heading: "Windows",
    windows_download: "Download the CA certificate (ca.crt)",
    windows_steps: &[
        "Double-click the downloaded ca.crt → Install Certificate.",
        "“Place all certificates in the following store” → Browse → “Trusted Root Certification Authorities”, then Finish.",
        "Or certmgr.msc → Trusted Root Certification Authorities → Certificates → right-click → All Tasks → Import.",
        "Restart the browser.",
    ],
    mac_heading: "Mac",
    mac_download: "Download the CA certificate (ca.pem)",
    mac_steps: &[
        "Double-click the downloaded ca.pem and add it to the “System” keychain in Keychain Access.",
        "In Keychain Access, double-click this center's certificate → Trust → “When using this certificate”: Always Trust.",
        "Restart the browser.",
    ],
    poster_link: "Poster for the desks (PDF)",
};
