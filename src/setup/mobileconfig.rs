//! The iOS configuration profile (`.mobileconfig`): one `com.apple.security.root`
//! payload holding the CA. Its identifiers and UUIDs are derived from the CA's
//! fingerprint, so downloading it again replaces the installed profile instead
//! of adding a second one, and another center's CA gets another profile.

use base64::Engine;
use sha2::{Digest, Sha256};

use crate::tls::reach::CaCert;

pub const CONTENT_TYPE: &str = "application/x-apple-aspen-config";

/// The profile as a property list (XML), unsigned: iOS then shows it as 「未検証」
/// (unverified), which the steps on `/setup` prepare people for.
pub fn profile(ca: &CaCert, center_name: &str) -> String {
    let tag: String = ca.fingerprint.replace(':', "")[..16].to_ascii_lowercase();
    let data = base64::engine::general_purpose::STANDARD.encode(&ca.der);
    let data: Vec<&str> =
        data.as_bytes().chunks(52).map(|c| std::str::from_utf8(c).expect("base64 is ASCII")).collect();
    let certificate_name = escape(&ca.name);
    let center = escape(center_name);
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
	<key>PayloadContent</key>
	<array>
		<dict>
			<key>PayloadCertificateFileName</key>
			<string>borasen-ca.cer</string>
			<key>PayloadContent</key>
			<data>
			{data}
			</data>
			<key>PayloadDescription</key>
			<string>ボラセンのローカル認証局 / borasen local certificate authority</string>
			<key>PayloadDisplayName</key>
			<string>{certificate_name}</string>
			<key>PayloadIdentifier</key>
			<string>jp.borasen.ca.{tag}.root</string>
			<key>PayloadType</key>
			<string>com.apple.security.root</string>
			<key>PayloadUUID</key>
			<string>{root_uuid}</string>
			<key>PayloadVersion</key>
			<integer>1</integer>
		</dict>
	</array>
	<key>PayloadDescription</key>
	<string>{center}のタブレット用証明書。インストール後、設定 → 一般 → 情報 → 証明書信頼設定 でオンにしてください。 / Certificate for this center's tablets; after installing, turn it on in Settings → General → About → Certificate Trust Settings.</string>
	<key>PayloadDisplayName</key>
	<string>{certificate_name}</string>
	<key>PayloadIdentifier</key>
	<string>jp.borasen.ca.{tag}</string>
	<key>PayloadOrganization</key>
	<string>{center}</string>
	<key>PayloadRemovalDisallowed</key>
	<false/>
	<key>PayloadType</key>
	<string>Configuration</string>
	<key>PayloadUUID</key>
	<string>{profile_uuid}</string>
	<key>PayloadVersion</key>
	<integer>1</integer>
</dict>
</plist>
"#,
        data = data.join("\n\t\t\t"),
        root_uuid = uuid_from(&ca.der, "root"),
        profile_uuid = uuid_from(&ca.der, "profile"),
    )
}

/// A UUID (version 8, RFC 9562's custom layout) from SHA-256 of the CA and a label: the
/// same CA always gives the same UUIDs.
pub fn uuid_from(der: &[u8], label: &str) -> String {
    let mut hash = Sha256::new();
    hash.update(der);
    hash.update(label.as_bytes());
    let mut b: [u8; 16] = hash.finalize()[..16].try_into().expect("16 of 32 bytes");
    b[6] = (b[6] & 0x0f) | 0x80;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex = crate::hex::encode(&b).to_ascii_uppercase();
    format!("{}-{}-{}-{}-{}", &hex[..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..])
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ca() -> CaCert {
        CaCert {
            der: vec![1, 2, 3],
            pem: String::new(),
            fingerprint: "AB:CD:EF:01:23:45:67:89:AA".into(),
            name: "CA <x>".into(),
        }
    }

    #[test]
    fn the_uuids_are_stable_per_ca_distinct_per_payload_and_well_formed() {
        let (a, b) = (uuid_from(&[1, 2, 3], "root"), uuid_from(&[1, 2, 3], "profile"));
        assert_eq!(a, uuid_from(&[1, 2, 3], "root"));
        assert_ne!(a, b);
        assert_ne!(a, uuid_from(&[9], "root"));
        assert_eq!(a.len(), 36);
        assert_eq!(&a[14..15], "8", "version 8");
        assert!(matches!(&a[19..20], "8" | "9" | "A" | "B"), "RFC variant");
    }

    #[test]
    fn the_profile_names_the_root_payload_and_escapes_names() {
        let text = profile(&ca(), "A&B センター");
        assert!(text.contains("<string>com.apple.security.root</string>"));
        assert!(text.contains("<string>CA &lt;x&gt;</string>"));
        assert!(text.contains("A&amp;B センター"));
        assert!(text.contains("jp.borasen.ca.abcdef0123456789"));
        assert!(text.contains("AQID"), "the DER in base64");
    }
}
