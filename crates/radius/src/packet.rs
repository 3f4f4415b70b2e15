//! The datagrams of one check: the Access-Request the gateway sends (RFC
//! 2865) and the reading of what comes back. The request is built once,
//! signed with a Message-Authenticator placed first (RFC 3579 §3.2, first
//! as the BlastRADIUS advisory asks), and carries the password as PAP
//! (User-Password, RFC 2865 §5.2) or as MS-CHAPv2 (RFC 2548's
//! MS-CHAP-Challenge and MS-CHAP2-Response). An answer counts only if it
//! answers this very request (identifier), was signed with the shared secret
//! (Response Authenticator, and Message-Authenticator when present), and,
//! for an MS-CHAPv2 Accept, carries the MS-CHAP2-Success only a server
//! holding the person's NT hash can compute.
//!
//! The `radius` crate encodes and decodes packets, hides the PAP password
//! and checks the Response Authenticator; what it lacks (the
//! Message-Authenticator, Microsoft's vendor attributes, MS-CHAPv2) is
//! here and in [`crate::mschapv2`].

use std::fmt;

use hmac::{Hmac, Mac};
use md5::Md5;
use radius::core::avp::AVP;
use radius::core::code::Code;
use radius::core::packet::Packet;
use radius::core::{rfc2865, rfc2869};
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use crate::mschapv2::{self, Challenge};
use crate::RadiusError;

/// The fixed header: code, identifier, length, authenticator (RFC 2865 §3).
const HEADER_LENGTH: usize = 20;
/// The largest packet RFC 2865 §3 allows.
const MAX_PACKET_LENGTH: usize = 4096;
/// Room for a value in one attribute (RFC 2865 §5: length is one octet and
/// counts the type and itself).
const MAX_ATTRIBUTE_VALUE: usize = 253;
/// RFC 2865 §5.2: a User-Password holds at most 128 octets.
const MAX_PAP_PASSWORD: usize = 128;
/// RFC 2759 §8.3 (NtPasswordHash): "0-to-256-unicode-char Password".
const MAX_MSCHAP_PASSWORD_UNITS: usize = 256;

const VENDOR_SPECIFIC: u8 = 26;
const MESSAGE_AUTHENTICATOR: u8 = 80;
/// Where the value of the Message-Authenticator placed first begins.
const MESSAGE_AUTHENTICATOR_VALUE: std::ops::Range<usize> = 22..38;

/// Microsoft's SMI network management private enterprise code (RFC 2548 §2).
const MICROSOFT: u32 = 311;
/// RFC 2548 §2.1.5.
const MS_CHAP_ERROR: u8 = 2;
/// RFC 2548 §2.3.2.
const MS_CHAP_CHALLENGE: u8 = 11;
/// RFC 2548 §2.3.2.
const MS_CHAP2_RESPONSE: u8 = 25;
/// RFC 2548 §2.3.3.
const MS_CHAP2_SUCCESS: u8 = 26;

/// How the password is put into the request.
pub(crate) enum Credentials<'a> {
    Pap {
        password: &'a str,
    },
    MsChapV2 {
        password: &'a str,
        authenticator_challenge: Challenge,
        peer_challenge: Challenge,
    },
}

impl<'a> Credentials<'a> {
    /// MS-CHAPv2 with fresh challenges: RFC 2759 §4 asks for random ones,
    /// and a repeated pair would let a recorded exchange be replayed.
    pub(crate) fn fresh_mschapv2(password: &'a str) -> Self {
        use rand::RngCore;
        let mut authenticator_challenge = [0u8; 16];
        let mut peer_challenge = [0u8; 16];
        rand::thread_rng().fill_bytes(&mut authenticator_challenge);
        rand::thread_rng().fill_bytes(&mut peer_challenge);
        Credentials::MsChapV2 {
            password,
            authenticator_challenge,
            peer_challenge,
        }
    }
}

/// What an Access-Accept must carry to be believed.
enum Proof {
    /// PAP: the signature of the answer is all there is.
    Signature,
    /// MS-CHAPv2: MS-CHAP2-Success with this Ident and `S=` authenticator
    /// response (RFC 2759 §5).
    AuthenticatorResponse { ident: u8, expected: String },
}

/// One Access-Request, encoded and signed, ready to be sent (and sent again
/// identically).
pub(crate) struct AccessRequest {
    /// The datagram; it carries the hidden password or the NT-Response, so
    /// it is wiped when dropped.
    datagram: Zeroizing<Vec<u8>>,
    proof: Proof,
}

impl fmt::Debug for AccessRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AccessRequest")
            .field("identifier", &self.identifier())
            .finish_non_exhaustive()
    }
}

impl AccessRequest {
    /// A new Access-Request, with a random identifier and Request
    /// Authenticator (RFC 2865 §3 asks for an unpredictable one).
    pub(crate) fn new(
        user_name: &str,
        nas_identifier: &str,
        credentials: Credentials<'_>,
        secret: &[u8],
    ) -> Result<Self, RadiusError> {
        Self::assemble(
            Packet::new(Code::AccessRequest, secret),
            user_name,
            nas_identifier,
            credentials,
            secret,
        )
    }

    /// Fills `packet` (an empty Access-Request carrying its identifier and
    /// Request Authenticator) and signs it.
    fn assemble(
        mut packet: Packet,
        user_name: &str,
        nas_identifier: &str,
        credentials: Credentials<'_>,
        secret: &[u8],
    ) -> Result<Self, RadiusError> {
        if user_name.is_empty() || user_name.len() > MAX_ATTRIBUTE_VALUE {
            return Err(RadiusError::Unsendable(
                "the user name must be 1 to 253 octets",
            ));
        }
        let identifier = packet.get_identifier();
        // Zeroes for now: RFC 3579 §3.2 computes the HMAC over the packet
        // with this value zeroed, then puts it in place.
        rfc2869::add_message_authenticator(&mut packet, &[0u8; 16]);
        rfc2865::add_user_name(&mut packet, user_name);
        rfc2865::add_nas_identifier(&mut packet, nas_identifier);
        let proof = match credentials {
            Credentials::Pap { password } => {
                if password.len() > MAX_PAP_PASSWORD {
                    return Err(RadiusError::Unsendable(
                        "PAP carries passwords of at most 128 octets",
                    ));
                }
                // A fixed text rather than the crate's message: whatever
                // that quotes, it must never reach a log with a password.
                rfc2865::add_user_password(&mut packet, password.as_bytes())
                    .map_err(|_| RadiusError::Unsendable("PAP cannot carry this password"))?;
                Proof::Signature
            }
            Credentials::MsChapV2 {
                password,
                authenticator_challenge,
                peer_challenge,
            } => {
                if password.encode_utf16().count() > MAX_MSCHAP_PASSWORD_UNITS {
                    return Err(RadiusError::Unsendable(
                        "MS-CHAPv2 carries passwords of at most 256 characters",
                    ));
                }
                let nt_response = mschapv2::nt_response(
                    &authenticator_challenge,
                    &peer_challenge,
                    user_name,
                    password,
                );
                // The Ident only pairs the Success with the Response
                // (RFC 2548 §2.3.2); the packet identifier does that job.
                let ident = identifier;
                let mut response = Vec::with_capacity(50);
                response.push(ident);
                response.push(0); // Flags, "reserved for future use".
                response.extend_from_slice(&peer_challenge);
                response.extend_from_slice(&[0u8; 8]); // Reserved.
                response.extend_from_slice(&nt_response);
                packet.add(microsoft_attribute(
                    MS_CHAP_CHALLENGE,
                    &authenticator_challenge,
                ));
                packet.add(microsoft_attribute(MS_CHAP2_RESPONSE, &response));
                Proof::AuthenticatorResponse {
                    ident,
                    expected: mschapv2::authenticator_response(
                        password,
                        &nt_response,
                        &peer_challenge,
                        &authenticator_challenge,
                        user_name,
                    ),
                }
            }
        };
        let mut datagram = Zeroizing::new(
            packet
                .encode()
                .map_err(|_| RadiusError::Unsendable("the request does not fit in a packet"))?,
        );
        let signature = message_authenticator(secret, &datagram)?;
        datagram[MESSAGE_AUTHENTICATOR_VALUE].copy_from_slice(&signature);
        Ok(AccessRequest { datagram, proof })
    }

    /// The bytes to send.
    pub(crate) fn datagram(&self) -> &[u8] {
        &self.datagram
    }

    /// The identifier an answer must carry (RFC 2865 §3).
    pub(crate) fn identifier(&self) -> u8 {
        self.datagram[1]
    }

    fn request_authenticator(&self) -> &[u8] {
        &self.datagram[4..HEADER_LENGTH]
    }

    /// Reads a datagram that came from the server's address. `Ok` when it
    /// is this request's answer, signed with `secret`; `Err` with the
    /// reason it is ignored otherwise (a stray, late or forged datagram).
    pub(crate) fn read_answer(&self, datagram: &[u8], secret: &[u8]) -> Result<Answer, Ignored> {
        if datagram.len() < HEADER_LENGTH {
            return Err(Ignored::Truncated);
        }
        let length = usize::from(u16::from_be_bytes([datagram[2], datagram[3]]));
        if !(HEADER_LENGTH..=MAX_PACKET_LENGTH).contains(&length) || length > datagram.len() {
            return Err(Ignored::Truncated);
        }
        // RFC 2865 §3: octets past Length are padding, to be ignored.
        let answer = &datagram[..length];
        if answer[1] != self.identifier() {
            return Err(Ignored::OtherIdentifier);
        }
        let code = Code::from(answer[0]);
        if !matches!(
            code,
            Code::AccessAccept | Code::AccessReject | Code::AccessChallenge
        ) {
            return Err(Ignored::NotAnAnswer(answer[0]));
        }
        if !Packet::is_authentic_response(answer, &self.datagram, secret) {
            return Err(Ignored::WrongResponseAuthenticator);
        }
        // From here on the server holds the secret: what is wrong is its
        // fault, not a forger's, and is reported rather than ignored.
        let signature = match find_message_authenticator(answer) {
            Ok(found) => found,
            Err(why) => return Ok(Answer::Malformed(why)),
        };
        if let Some(offset) = signature {
            let mut signed = answer.to_vec();
            signed[4..HEADER_LENGTH].copy_from_slice(self.request_authenticator());
            signed[offset..offset + 16].fill(0);
            let expected = match message_authenticator(secret, &signed) {
                Ok(expected) => expected,
                Err(_) => return Err(Ignored::WrongMessageAuthenticator),
            };
            if !bool::from(expected.ct_eq(&answer[offset..offset + 16])) {
                return Err(Ignored::WrongMessageAuthenticator);
            }
        }
        let packet = match Packet::decode(answer, secret) {
            Ok(packet) => packet,
            Err(_) => return Ok(Answer::Malformed("attributes that cannot be decoded")),
        };
        Ok(match code {
            Code::AccessAccept => match &self.proof {
                Proof::Signature => Answer::Accepted,
                Proof::AuthenticatorResponse { ident, expected } => {
                    if carries_success(&packet, *ident, expected) {
                        Answer::Accepted
                    } else {
                        Answer::AcceptedWithoutProof
                    }
                }
            },
            Code::AccessReject => Answer::Rejected {
                ms_chap_error: ms_chap_error(&packet),
            },
            _ => Answer::Challenged,
        })
    }
}

/// What the server said, once its answer is known to be genuine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Answer {
    /// Access-Accept, with a verified MS-CHAP2-Success for MS-CHAPv2.
    Accepted,
    /// Access-Reject; the MS-CHAP error code (RFC 2759 §6, e.g. 691
    /// "authentication failure", 648 "password expired") when one came.
    Rejected { ms_chap_error: Option<u16> },
    /// Access-Accept to an MS-CHAPv2 request with no MS-CHAP2-Success, or
    /// one that does not prove knowledge of the NT hash: a server (or
    /// proxy) accepting without checking, never a confirmation.
    AcceptedWithoutProof,
    /// Access-Challenge: the server wants a conversation (EAP, tokens) that
    /// this check does not hold.
    Challenged,
    /// A signed answer whose attributes are broken.
    Malformed(&'static str),
}

/// Why a datagram was not taken as the answer; each is logged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ignored {
    Truncated,
    OtherIdentifier,
    NotAnAnswer(u8),
    WrongResponseAuthenticator,
    WrongMessageAuthenticator,
}

impl fmt::Display for Ignored {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Ignored::Truncated => write!(f, "shorter than a RADIUS packet or than its Length"),
            Ignored::OtherIdentifier => write!(f, "the identifier of another request"),
            Ignored::NotAnAnswer(code) => {
                write!(f, "code {code}, not an answer to an Access-Request")
            }
            Ignored::WrongResponseAuthenticator => write!(
                f,
                "a wrong Response Authenticator (forged, or signed with another shared secret)"
            ),
            Ignored::WrongMessageAuthenticator => write!(
                f,
                "a wrong Message-Authenticator (forged, or signed with another shared secret)"
            ),
        }
    }
}

/// A Vendor-Specific attribute of Microsoft's holding one sub-attribute
/// (RFC 2548 §2).
fn microsoft_attribute(vendor_type: u8, value: &[u8]) -> AVP {
    let mut bytes = Vec::with_capacity(6 + value.len());
    bytes.extend_from_slice(&MICROSOFT.to_be_bytes());
    bytes.push(vendor_type);
    // Values here are 16 and 50 octets: the vendor length always fits.
    bytes.push((value.len() + 2) as u8);
    bytes.extend_from_slice(value);
    AVP::from_bytes(VENDOR_SPECIFIC, &bytes)
}

/// The values of Microsoft's sub-attributes of `vendor_type` in `packet`.
/// One Vendor-Specific attribute may hold several sub-attributes (RFC 2865
/// §5.26); malformed ones are skipped.
fn microsoft_values(packet: &Packet, vendor_type: u8) -> Vec<Vec<u8>> {
    let mut values = Vec::new();
    for attribute in packet.lookup_all(VENDOR_SPECIFIC) {
        let bytes = attribute.encode_bytes();
        let Some((vendor, mut rest)) = bytes.split_first_chunk::<4>() else {
            continue;
        };
        if u32::from_be_bytes(*vendor) != MICROSOFT {
            continue;
        }
        while let [typ, length, tail @ ..] = rest {
            let length = usize::from(*length);
            if length < 2 || length - 2 > tail.len() {
                break;
            }
            let (value, next) = tail.split_at(length - 2);
            if *typ == vendor_type {
                values.push(value.to_vec());
            }
            rest = next;
        }
    }
    values
}

/// Whether `packet` carries an MS-CHAP2-Success for `ident` whose
/// authenticator response is `expected` (RFC 2759 §5: the peer checks it
/// and "MUST" otherwise end the session).
fn carries_success(packet: &Packet, ident: u8, expected: &str) -> bool {
    microsoft_values(packet, MS_CHAP2_SUCCESS)
        .iter()
        .any(|value| match value.split_first() {
            // The message may go on (" M=..."): only the S= part proves.
            Some((got_ident, message))
                if *got_ident == ident && message.len() >= expected.len() =>
            {
                bool::from(
                    message[..expected.len()]
                        .to_ascii_uppercase()
                        .ct_eq(expected.as_bytes()),
                )
            }
            _ => false,
        })
}

/// The `E=` number of an MS-CHAP-Error (RFC 2759 §6), for the logs.
fn ms_chap_error(packet: &Packet) -> Option<u16> {
    microsoft_values(packet, MS_CHAP_ERROR)
        .iter()
        .find_map(|value| {
            let text = std::str::from_utf8(value.get(1..)?).ok()?;
            let digits = text.strip_prefix("E=")?;
            let end = digits
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(digits.len());
            digits[..end].parse().ok()
        })
}

/// HMAC-MD5 of `packet` keyed with the shared secret (RFC 3579 §3.2).
fn message_authenticator(secret: &[u8], packet: &[u8]) -> Result<[u8; 16], RadiusError> {
    // HMAC takes keys of any length; this cannot fail, but is not unwrapped.
    let mut mac = <Hmac<Md5> as Mac>::new_from_slice(secret)
        .map_err(|_| RadiusError::Unsendable("the shared secret cannot key HMAC-MD5"))?;
    mac.update(packet);
    Ok(mac.finalize().into_bytes().into())
}

/// The offset of the Message-Authenticator's value in `answer`, if it has
/// one; an error when the attributes are not well framed or it is there
/// twice or with the wrong length.
fn find_message_authenticator(answer: &[u8]) -> Result<Option<usize>, &'static str> {
    let mut found = None;
    let mut offset = HEADER_LENGTH;
    while offset < answer.len() {
        let Some(&[typ, length]) = answer.get(offset..offset + 2) else {
            return Err("an attribute cut short");
        };
        let length = usize::from(length);
        if length < 2 || offset + length > answer.len() {
            return Err("an attribute whose length overruns the packet");
        }
        if typ == MESSAGE_AUTHENTICATOR {
            if length != 18 {
                return Err("a Message-Authenticator that is not 16 octets");
            }
            if found.is_some() {
                return Err("two Message-Authenticators");
            }
            found = Some(offset + 2);
        }
        offset += length;
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 2865 §7.1's shared secret.
    const RFC_SECRET: &[u8] = b"xyzzy5461";
    /// RFC 2865 §7.1's Request Authenticator.
    const RFC_AUTHENTICATOR: [u8; 16] = [
        0x0f, 0x40, 0x3f, 0x94, 0x73, 0x97, 0x80, 0x57, 0xbd, 0x83, 0xd5, 0xcb, 0x98, 0xf4, 0x22,
        0x7a,
    ];
    const SECRET: &[u8] = b"a-long-shared-secret-for-tests";

    /// An empty Access-Request with the given identifier and authenticator
    /// (the radius crate picks random ones in `Packet::new`).
    fn blank(identifier: u8, authenticator: [u8; 16], secret: &[u8]) -> Packet {
        let mut header = vec![1, identifier, 0, 20];
        header.extend_from_slice(&authenticator);
        Packet::decode(&header, secret).expect("a bare header decodes")
    }

    fn attributes(packet: &[u8]) -> Vec<(u8, Vec<u8>)> {
        let mut found = Vec::new();
        let mut rest = &packet[HEADER_LENGTH..];
        while let [typ, length, tail @ ..] = rest {
            let (value, next) = tail.split_at(usize::from(*length) - 2);
            found.push((*typ, value.to_vec()));
            rest = next;
        }
        found
    }

    /// A server's answer to `request`: code, attributes (a
    /// Message-Authenticator placed first when `sign` is set), then the
    /// Response Authenticator, as RFC 2865 §3 and RFC 3579 §3.2 compute
    /// them.
    fn answer(
        request: &AccessRequest,
        code: u8,
        extra: &[(u8, Vec<u8>)],
        sign: bool,
        secret: &[u8],
    ) -> Vec<u8> {
        let mut packet = vec![code, request.identifier(), 0, 0];
        packet.extend_from_slice(request.request_authenticator());
        if sign {
            packet.extend_from_slice(&[MESSAGE_AUTHENTICATOR, 18]);
            packet.extend_from_slice(&[0; 16]);
        }
        for (typ, value) in extra {
            packet.push(*typ);
            packet.push((value.len() + 2) as u8);
            packet.extend_from_slice(value);
        }
        let length = (packet.len() as u16).to_be_bytes();
        packet[2..4].copy_from_slice(&length);
        if sign {
            let mac = message_authenticator(secret, &packet).expect("HMAC-MD5");
            packet[MESSAGE_AUTHENTICATOR_VALUE].copy_from_slice(&mac);
        }
        let response_authenticator = {
            use md5::Digest;
            let mut md5 = Md5::new();
            md5.update(&packet);
            md5.update(secret);
            md5.finalize()
        };
        packet[4..HEADER_LENGTH].copy_from_slice(&response_authenticator);
        packet
    }

    fn vsa(vendor_type: u8, value: &[u8]) -> (u8, Vec<u8>) {
        (
            VENDOR_SPECIFIC,
            microsoft_attribute(vendor_type, value).encode_bytes(),
        )
    }

    fn pap_request(password: &str) -> AccessRequest {
        AccessRequest::new(
            "rosalie.borne",
            "passerelle",
            Credentials::Pap { password },
            SECRET,
        )
        .expect("a PAP request is built")
    }

    fn mschapv2_request(password: &str) -> (AccessRequest, String) {
        let credentials = Credentials::fresh_mschapv2(password);
        let Credentials::MsChapV2 {
            authenticator_challenge,
            peer_challenge,
            ..
        } = credentials
        else {
            unreachable!("fresh_mschapv2 makes MS-CHAPv2 credentials")
        };
        let request = AccessRequest::new("rosalie.borne", "passerelle", credentials, SECRET)
            .expect("an MS-CHAPv2 request is built");
        let nt_response = mschapv2::nt_response(
            &authenticator_challenge,
            &peer_challenge,
            "rosalie.borne",
            password,
        );
        let success = mschapv2::authenticator_response(
            password,
            &nt_response,
            &peer_challenge,
            &authenticator_challenge,
            "rosalie.borne",
        );
        (request, success)
    }

    #[test]
    fn the_pap_password_is_hidden_as_in_rfc_2865() {
        let request = AccessRequest::assemble(
            blank(0, RFC_AUTHENTICATOR, RFC_SECRET),
            "nemo",
            "passerelle",
            Credentials::Pap {
                password: "arctangent",
            },
            RFC_SECRET,
        )
        .expect("the RFC's request is built");
        let found = attributes(request.datagram());
        let hidden = found
            .iter()
            .find(|(typ, _)| *typ == 2)
            .map(|(_, value)| value.clone())
            .expect("a User-Password");
        assert_eq!(
            hidden,
            [
                0x0d, 0xbe, 0x70, 0x8d, 0x93, 0xd4, 0x13, 0xce, 0x31, 0x96, 0xe4, 0x3f, 0x78, 0x2a,
                0x0a, 0xee
            ]
        );
    }

    #[test]
    fn a_long_pap_password_is_hidden_block_by_block_and_reads_back() {
        let password = "Un-Mot-De-Passe-Bien-Plus-Long-Que-Seize-Octets-2026";
        let request = pap_request(password);
        let decoded = Packet::decode(request.datagram(), SECRET).expect("the request decodes");
        let hidden = decoded.lookup(2).expect("a User-Password").encode_bytes();
        assert_eq!(hidden.len(), 64, "padded to a multiple of 16 octets");
        assert!(!hidden
            .windows(8)
            .any(|w| password.as_bytes().windows(8).any(|p| p == w)));
        let clear = rfc2865::lookup_user_password(&decoded)
            .expect("a User-Password")
            .expect("it unhides");
        assert_eq!(clear, password.as_bytes());
    }

    #[test]
    fn the_request_names_the_person_and_the_nas_and_is_signed_first() {
        let request = pap_request("Jeune-Chataignier-2026");
        let found = attributes(request.datagram());
        assert_eq!(
            found[0].0, MESSAGE_AUTHENTICATOR,
            "Message-Authenticator first"
        );
        assert!(found.contains(&(1, b"rosalie.borne".to_vec())), "User-Name");
        assert!(
            found.contains(&(32, b"passerelle".to_vec())),
            "NAS-Identifier"
        );

        let mut zeroed = request.datagram().to_vec();
        zeroed[MESSAGE_AUTHENTICATOR_VALUE].fill(0);
        let expected = message_authenticator(SECRET, &zeroed).expect("HMAC-MD5");
        assert_eq!(
            found[0].1, expected,
            "HMAC-MD5 of the packet, RFC 3579 §3.2"
        );
    }

    #[test]
    fn the_message_authenticator_is_hmac_md5_as_in_rfc_2104() {
        // RFC 2104's first test vector, which RFC 3579 relies on.
        assert_eq!(
            hex::encode(message_authenticator(&[0x0b; 16], b"Hi There").expect("HMAC-MD5")),
            "9294727a3638bb1c13f48ef8158bfc9d"
        );
    }

    #[test]
    fn the_mschapv2_request_carries_the_challenge_and_the_response() {
        let credentials = Credentials::MsChapV2 {
            password: "clientPass",
            authenticator_challenge: [7; 16],
            peer_challenge: [9; 16],
        };
        let request = AccessRequest::new("User", "passerelle", credentials, SECRET)
            .expect("an MS-CHAPv2 request is built");
        let decoded = Packet::decode(request.datagram(), SECRET).expect("the request decodes");
        assert!(decoded.lookup(2).is_none(), "no User-Password");
        assert_eq!(
            microsoft_values(&decoded, MS_CHAP_CHALLENGE),
            vec![vec![7; 16]]
        );
        let responses = microsoft_values(&decoded, MS_CHAP2_RESPONSE);
        assert_eq!(responses.len(), 1);
        let response = &responses[0];
        assert_eq!(response.len(), 50, "RFC 2548 §2.3.2");
        assert_eq!(response[0], request.identifier(), "Ident");
        assert_eq!(response[1], 0, "Flags");
        assert_eq!(&response[2..18], &[9; 16], "Peer-Challenge");
        assert_eq!(&response[18..26], &[0; 8], "Reserved");
        assert_eq!(
            &response[26..],
            mschapv2::nt_response(&[7; 16], &[9; 16], "User", "clientPass").as_slice()
        );
    }

    #[test]
    fn a_signed_reject_is_a_rejection_with_its_ms_chap_error() {
        let (request, _) = mschapv2_request("Vieux-Platane-1987");
        let mut error = vec![request.identifier()];
        error.extend_from_slice(b"E=691 R=0 C=00000000000000000000000000000000 V=3");
        let datagram = answer(&request, 3, &[vsa(MS_CHAP_ERROR, &error)], true, SECRET);
        assert_eq!(
            request.read_answer(&datagram, SECRET),
            Ok(Answer::Rejected {
                ms_chap_error: Some(691)
            })
        );
    }

    #[test]
    fn an_accept_with_the_right_success_is_an_acceptance() {
        let (request, success) = mschapv2_request("Jeune-Chataignier-2026");
        let mut value = vec![request.identifier()];
        value.extend_from_slice(success.as_bytes());
        let datagram = answer(&request, 2, &[vsa(MS_CHAP2_SUCCESS, &value)], false, SECRET);
        assert_eq!(request.read_answer(&datagram, SECRET), Ok(Answer::Accepted));
    }

    #[test]
    fn an_accept_without_the_ms_chap2_success_proves_nothing() {
        let (request, success) = mschapv2_request("Jeune-Chataignier-2026");
        let bare = answer(&request, 2, &[], true, SECRET);
        assert_eq!(
            request.read_answer(&bare, SECRET),
            Ok(Answer::AcceptedWithoutProof)
        );

        // A success computed for another password (a server that does not
        // hold this person's NT hash) proves nothing either.
        let (_, other) = mschapv2_request("Autre-Chose-Entierement-1999");
        let mut value = vec![request.identifier()];
        value.extend_from_slice(other.as_bytes());
        let forged = answer(&request, 2, &[vsa(MS_CHAP2_SUCCESS, &value)], true, SECRET);
        assert_eq!(
            request.read_answer(&forged, SECRET),
            Ok(Answer::AcceptedWithoutProof)
        );

        // And the right one for another Ident.
        let mut value = vec![request.identifier().wrapping_add(1)];
        value.extend_from_slice(success.as_bytes());
        let other_ident = answer(&request, 2, &[vsa(MS_CHAP2_SUCCESS, &value)], true, SECRET);
        assert_eq!(
            request.read_answer(&other_ident, SECRET),
            Ok(Answer::AcceptedWithoutProof)
        );
    }

    #[test]
    fn an_answer_signed_with_another_secret_is_ignored() {
        let request = pap_request("Jeune-Chataignier-2026");
        let unsigned = answer(&request, 2, &[], false, b"another-secret");
        assert_eq!(
            request.read_answer(&unsigned, SECRET),
            Err(Ignored::WrongResponseAuthenticator)
        );
        let signed = answer(&request, 2, &[], true, b"another-secret");
        assert_eq!(
            request.read_answer(&signed, SECRET),
            Err(Ignored::WrongResponseAuthenticator)
        );
    }

    #[test]
    fn a_wrong_message_authenticator_is_ignored_even_under_a_right_response_authenticator() {
        let request = pap_request("Jeune-Chataignier-2026");
        let mut datagram = answer(&request, 2, &[], true, SECRET);
        // Spoil the HMAC, then sign the whole again the RFC 2865 way, as a
        // forger who broke only MD5 (BlastRADIUS) could.
        datagram[MESSAGE_AUTHENTICATOR_VALUE.start] ^= 0xff;
        datagram[4..HEADER_LENGTH].copy_from_slice(request.request_authenticator());
        let resigned = {
            use md5::Digest;
            let mut md5 = Md5::new();
            md5.update(&datagram);
            md5.update(SECRET);
            md5.finalize()
        };
        datagram[4..HEADER_LENGTH].copy_from_slice(&resigned);
        assert_eq!(
            request.read_answer(&datagram, SECRET),
            Err(Ignored::WrongMessageAuthenticator)
        );
    }

    #[test]
    fn an_answer_to_another_request_is_ignored() {
        let request = pap_request("Jeune-Chataignier-2026");
        let mut datagram = answer(&request, 3, &[], true, SECRET);
        datagram[1] = datagram[1].wrapping_add(1);
        assert_eq!(
            request.read_answer(&datagram, SECRET),
            Err(Ignored::OtherIdentifier)
        );
    }

    #[test]
    fn truncated_and_foreign_datagrams_are_ignored() {
        let request = pap_request("Jeune-Chataignier-2026");
        assert_eq!(
            request.read_answer(&[2, 0, 0], SECRET),
            Err(Ignored::Truncated)
        );
        let datagram = answer(&request, 3, &[], true, SECRET);
        assert_eq!(
            request.read_answer(&datagram[..datagram.len() - 1], SECRET),
            Err(Ignored::Truncated),
            "shorter than its Length"
        );
        let mut request_code = datagram.clone();
        request_code[0] = 1;
        assert_eq!(
            request.read_answer(&request_code, SECRET),
            Err(Ignored::NotAnAnswer(1))
        );
    }

    #[test]
    fn padding_past_the_length_is_ignored() {
        let request = pap_request("Jeune-Chataignier-2026");
        let mut datagram = answer(&request, 3, &[], true, SECRET);
        datagram.extend_from_slice(&[0; 7]);
        assert_eq!(
            request.read_answer(&datagram, SECRET),
            Ok(Answer::Rejected {
                ms_chap_error: None
            })
        );
    }

    #[test]
    fn a_signed_challenge_and_a_signed_malformed_answer_are_reported() {
        let request = pap_request("Jeune-Chataignier-2026");
        let challenge = answer(&request, 11, &[(18, b"Token?".to_vec())], true, SECRET);
        assert_eq!(
            request.read_answer(&challenge, SECRET),
            Ok(Answer::Challenged)
        );

        let mut broken = answer(&request, 2, &[(18, b"x".to_vec())], false, SECRET);
        // An attribute length of 40 overruns the packet; re-sign so only
        // the framing is wrong.
        let at = broken.len() - 2;
        broken[at] = 40;
        broken[4..HEADER_LENGTH].copy_from_slice(request.request_authenticator());
        let resigned = {
            use md5::Digest;
            let mut md5 = Md5::new();
            md5.update(&broken);
            md5.update(SECRET);
            md5.finalize()
        };
        broken[4..HEADER_LENGTH].copy_from_slice(&resigned);
        assert!(matches!(
            request.read_answer(&broken, SECRET),
            Ok(Answer::Malformed(_))
        ));
    }

    #[test]
    fn too_long_values_are_refused_before_anything_is_sent() {
        let long_name = "n".repeat(254);
        assert!(AccessRequest::new(
            &long_name,
            "passerelle",
            Credentials::Pap { password: "x" },
            SECRET
        )
        .is_err());
        assert!(
            AccessRequest::new("", "passerelle", Credentials::Pap { password: "x" }, SECRET)
                .is_err()
        );
        let long_password = "p".repeat(129);
        assert!(AccessRequest::new(
            "rosalie.borne",
            "passerelle",
            Credentials::Pap {
                password: &long_password
            },
            SECRET
        )
        .is_err());
        let long_password = "p".repeat(257);
        assert!(AccessRequest::new(
            "rosalie.borne",
            "passerelle",
            Credentials::fresh_mschapv2(&long_password),
            SECRET
        )
        .is_err());
    }

    #[test]
    fn two_requests_never_share_challenges_or_authenticators() {
        let (first, _) = mschapv2_request("Jeune-Chataignier-2026");
        let (second, _) = mschapv2_request("Jeune-Chataignier-2026");
        assert_ne!(
            first.request_authenticator(),
            second.request_authenticator()
        );
        assert_ne!(first.datagram(), second.datagram());
    }
}
