//! The MS-CHAPv2 arithmetic of RFC 2759 §8, seen from the peer (the person's
//! device, here the gateway): the NT-Response that proves the password to
//! the RADIUS server, and the authenticator response the server must send
//! back in MS-CHAP2-Success to prove that it, too, knows the NT hash. This
//! is what eduroam's inner method computes, so an Access-Accept obtained
//! this way is the same verdict a laptop on PEAP-MSCHAPv2 would get.
//!
//! No well-kept crate does this part; the primitives (MD4, SHA-1, DES) are
//! RustCrypto's. Values derived from the password are held in [`Zeroizing`]
//! buffers so that they are wiped when dropped.

use des::cipher::generic_array::GenericArray;
use des::cipher::{BlockEncrypt, KeyInit};
use des::Des;
use md4::Md4;
use sha1::{Digest, Sha1};
use zeroize::Zeroizing;

/// RFC 2759 §8.7, the first constant of GenerateAuthenticatorResponse.
const MAGIC_SERVER_TO_CLIENT: &[u8; 39] = b"Magic server to client signing constant";
/// RFC 2759 §8.7, the second constant of GenerateAuthenticatorResponse.
const MAGIC_PAD: &[u8; 41] = b"Pad to make it do more than one iteration";

/// The 16-octet challenges each side picks (RFC 2759 §4: the authenticator
/// challenge travels as MS-CHAP-Challenge, the peer challenge inside
/// MS-CHAP2-Response).
pub(crate) type Challenge = [u8; 16];

/// The 24-octet NT-Response of RFC 2759 §8.1.
pub(crate) type NtResponse = [u8; 24];

/// The NT hash: MD4 of the password in UTF-16LE (RFC 2759 §8.3
/// NtPasswordHash). The same value the gateway writes as `sambaNTPassword`
/// and FreeRADIUS reads as NT-Password.
pub(crate) fn nt_password_hash(password: &str) -> Zeroizing<[u8; 16]> {
    let utf16: Zeroizing<Vec<u8>> =
        Zeroizing::new(password.encode_utf16().flat_map(u16::to_le_bytes).collect());
    let mut hash = Zeroizing::new([0u8; 16]);
    hash.copy_from_slice(&Md4::digest(utf16.as_slice()));
    hash
}

/// RFC 2759 §8.2 ChallengeHash: the 8 octets both sides derive from the
/// two challenges and the user name. Only the name proper counts (§8.2
/// excludes "any prepended domain name"), which is also what FreeRADIUS's
/// rlm_mschap hashes for a `DOMAIN\name` User-Name.
pub(crate) fn challenge_hash(
    peer_challenge: &Challenge,
    authenticator_challenge: &Challenge,
    user_name: &str,
) -> [u8; 8] {
    let name = user_name
        .split_once('\\')
        .map_or(user_name, |(_domain, name)| name);
    let digest = Sha1::new()
        .chain_update(peer_challenge)
        .chain_update(authenticator_challenge)
        .chain_update(name.as_bytes())
        .finalize();
    let mut hash = [0u8; 8];
    hash.copy_from_slice(&digest[..8]);
    hash
}

/// RFC 2759 §8.1 GenerateNTResponse.
pub(crate) fn nt_response(
    authenticator_challenge: &Challenge,
    peer_challenge: &Challenge,
    user_name: &str,
    password: &str,
) -> NtResponse {
    let challenge = challenge_hash(peer_challenge, authenticator_challenge, user_name);
    challenge_response(&challenge, &nt_password_hash(password))
}

/// RFC 2759 §8.5 ChallengeResponse: the hash, padded to 21 octets, is cut
/// into three DES keys that each encrypt the 8-octet challenge.
fn challenge_response(challenge: &[u8; 8], password_hash: &[u8; 16]) -> NtResponse {
    let mut padded = Zeroizing::new([0u8; 21]);
    padded[..16].copy_from_slice(password_hash);
    let mut response = [0u8; 24];
    for (third, key) in response.chunks_exact_mut(8).zip(padded.chunks_exact(7)) {
        third.copy_from_slice(&des_encrypt(challenge, key));
    }
    response
}

/// RFC 2759 §8.6 DesEncrypt: a 7-octet key is spread over the 8 octets DES
/// takes, seven key bits per octet followed by an odd-parity bit.
fn des_encrypt(clear: &[u8; 8], seven_octets: &[u8]) -> [u8; 8] {
    let mut bits: u64 = 0;
    for octet in seven_octets {
        bits = (bits << 8) | u64::from(*octet);
    }
    let mut key = Zeroizing::new([0u8; 8]);
    for (i, octet) in key.iter_mut().enumerate() {
        let seven = ((bits >> (49 - 7 * i)) & 0x7f) as u8;
        let parity = u8::from(seven.count_ones() % 2 == 0);
        *octet = (seven << 1) | parity;
    }
    let cipher = Des::new(GenericArray::from_slice(key.as_slice()));
    let mut block = GenericArray::clone_from_slice(clear);
    cipher.encrypt_block(&mut block);
    block.into()
}

/// RFC 2759 §8.7 GenerateAuthenticatorResponse: the `S=` followed by 40
/// uppercase hexadecimal digits that a server knowing the NT hash sends in
/// MS-CHAP2-Success.
pub(crate) fn authenticator_response(
    password: &str,
    nt_response: &NtResponse,
    peer_challenge: &Challenge,
    authenticator_challenge: &Challenge,
    user_name: &str,
) -> String {
    let password_hash = nt_password_hash(password);
    let mut password_hash_hash = Zeroizing::new([0u8; 16]);
    password_hash_hash.copy_from_slice(&Md4::digest(password_hash.as_slice()));
    let first = Sha1::new()
        .chain_update(password_hash_hash.as_slice())
        .chain_update(nt_response)
        .chain_update(MAGIC_SERVER_TO_CLIENT)
        .finalize();
    let challenge = challenge_hash(peer_challenge, authenticator_challenge, user_name);
    let second = Sha1::new()
        .chain_update(first)
        .chain_update(challenge)
        .chain_update(MAGIC_PAD)
        .finalize();
    format!("S={}", hex::encode_upper(second))
}

#[cfg(test)]
mod tests {
    use super::*;

    // RFC 2759 §9.2, "Sample MS-CHAPv2 Data".
    const USER_NAME: &str = "User";
    const PASSWORD: &str = "clientPass";
    const AUTHENTICATOR_CHALLENGE: Challenge = [
        0x5B, 0x5D, 0x7C, 0x7D, 0x7B, 0x3F, 0x2F, 0x3E, 0x3C, 0x2C, 0x60, 0x21, 0x32, 0x26, 0x26,
        0x28,
    ];
    const PEER_CHALLENGE: Challenge = [
        0x21, 0x40, 0x23, 0x24, 0x25, 0x5E, 0x26, 0x2A, 0x28, 0x29, 0x5F, 0x2B, 0x3A, 0x33, 0x7C,
        0x7E,
    ];

    #[test]
    fn the_nt_hash_is_that_of_rfc_2759() {
        assert_eq!(
            hex::encode_upper(nt_password_hash(PASSWORD).as_slice()),
            "44EBBA8D5312B8D611474411F56989AE"
        );
    }

    #[test]
    fn the_challenge_hash_is_that_of_rfc_2759() {
        assert_eq!(
            hex::encode_upper(challenge_hash(
                &PEER_CHALLENGE,
                &AUTHENTICATOR_CHALLENGE,
                USER_NAME
            )),
            "D02E4386BCE91226"
        );
    }

    #[test]
    fn the_nt_response_is_that_of_rfc_2759() {
        let response = nt_response(
            &AUTHENTICATOR_CHALLENGE,
            &PEER_CHALLENGE,
            USER_NAME,
            PASSWORD,
        );
        assert_eq!(
            hex::encode_upper(response),
            "82309ECD8D708B5EA08FAA3981CD83544233114A3D85D6DF"
        );
    }

    #[test]
    fn the_authenticator_response_is_that_of_rfc_2759() {
        let response = nt_response(
            &AUTHENTICATOR_CHALLENGE,
            &PEER_CHALLENGE,
            USER_NAME,
            PASSWORD,
        );
        assert_eq!(
            authenticator_response(
                PASSWORD,
                &response,
                &PEER_CHALLENGE,
                &AUTHENTICATOR_CHALLENGE,
                USER_NAME
            ),
            "S=407A5589115FD0D6209F510FE9C04566932CDA56"
        );
    }

    #[test]
    fn a_windows_domain_before_the_name_is_not_hashed() {
        assert_eq!(
            challenge_hash(&PEER_CHALLENGE, &AUTHENTICATOR_CHALLENGE, "UNIV\\User"),
            challenge_hash(&PEER_CHALLENGE, &AUTHENTICATOR_CHALLENGE, USER_NAME)
        );
    }

    #[test]
    fn a_password_outside_the_basic_plane_is_hashed_as_utf16_surrogates() {
        // "𝄞" is U+1D11E: two UTF-16 code units, D834 DD1E.
        let expected = Md4::digest([0x34, 0xD8, 0x1E, 0xDD]);
        assert_eq!(nt_password_hash("𝄞").as_slice(), expected.as_slice());
    }
}
