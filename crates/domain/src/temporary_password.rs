//! Temporary passwords for the CAF and Ecolesoft flows: random, of the
//! configured length, copied from a mail by people who will often retype
//! them, so without characters that look alike (0/O/o, 1/l/I/i), and always
//! acceptable to the site's own policy (every class is present, the length
//! is brought within the policy's bounds), so that the directory never
//! refuses the gateway's own password.

use crate::policy::{PasswordPolicy, PersonContext, PolicyConfig};
use rand::seq::SliceRandom;
use rand::Rng;
use secrecy::{ExposeSecret, SecretString};

const LOWER: &str = "abcdefghjkmnpqrstuvwxyz";
const UPPER: &str = "ABCDEFGHJKLMNPQRSTUVWXYZ";
const DIGITS: &str = "23456789";
/// Typed the same on French and English keyboards, and harmless in a mail,
/// a shell or a URL a person pastes it into.
const SPECIAL: &str = "!#%+-=?@_";

/// Shortest temporary password ever made, whatever the configuration says:
/// below this a mailed password is guessable during its validity.
pub const MIN_LENGTH: usize = 10;

/// The length actually used: the configured one, at least [`MIN_LENGTH`]
/// and the policy's minimum, at most the policy's maximum.
pub fn effective_length(config: &PolicyConfig, configured: usize) -> usize {
    let min = config.min_length.map_or(0, |n| n as usize);
    let mut length = configured.max(MIN_LENGTH).max(min);
    if let Some(max) = config.max_length {
        length = length.min(max as usize);
    }
    length.max(4)
}

/// One random temporary password of [`effective_length`], with every class
/// at least as often as the policy asks (and at least once).
pub fn generate(config: &PolicyConfig, configured_length: usize) -> SecretString {
    let length = effective_length(config, configured_length);
    let forbidden = &config.forbidden_characters;
    let usable =
        |set: &str| -> Vec<char> { set.chars().filter(|c| !forbidden.contains(*c)).collect() };
    let classes = [
        (usable(LOWER), config.min_lowercase.unwrap_or(0)),
        (usable(UPPER), config.min_uppercase.unwrap_or(0)),
        (usable(DIGITS), config.min_digits.unwrap_or(0)),
        (usable(SPECIAL), config.min_special.unwrap_or(0)),
    ];
    let mut rng = rand::rngs::OsRng;
    let mut chars: Vec<char> = Vec::with_capacity(length);
    for (set, minimum) in &classes {
        if set.is_empty() {
            continue;
        }
        for _ in 0..(*minimum).max(1) {
            chars.push(set[rng.gen_range(0..set.len())]);
        }
    }
    let all: Vec<char> = classes
        .iter()
        .flat_map(|(set, _)| set.iter().copied())
        .collect();
    while chars.len() < length && !all.is_empty() {
        chars.push(all[rng.gen_range(0..all.len())]);
    }
    chars.shuffle(&mut rng);
    SecretString::from(chars.into_iter().collect::<String>())
}

/// A temporary password the site's policy accepts for this person (it may
/// refuse one that happens to contain the login or a name): drawn again
/// until accepted, a few times at most.
pub fn generate_for(
    policy: &PasswordPolicy,
    config: &PolicyConfig,
    configured_length: usize,
    person: &PersonContext<'_>,
) -> SecretString {
    let mut candidate = generate(config, configured_length);
    for _ in 0..32 {
        if policy.check(&candidate, person).is_acceptable() {
            break;
        }
        candidate = generate(config, configured_length);
    }
    candidate
}

/// Whether `password` uses only characters a temporary password may have.
pub fn is_unambiguous(password: &SecretString) -> bool {
    password.expose_secret().chars().all(|c| {
        LOWER.contains(c) || UPPER.contains(c) || DIGITS.contains(c) || SPECIAL.contains(c)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn preset(min_length: u32, max_length: Option<u32>) -> PolicyConfig {
        PolicyConfig {
            min_length: Some(min_length),
            max_length,
            min_lowercase: Some(1),
            min_uppercase: Some(1),
            min_digits: Some(1),
            min_special: Some(1),
            ..PolicyConfig::default()
        }
    }

    #[test]
    fn a_temporary_password_has_every_class_and_no_look_alike() {
        for _ in 0..500 {
            let password = generate(&preset(8, Some(20)), 14);
            let text = password.expose_secret();
            assert_eq!(text.chars().count(), 14);
            assert!(text.chars().any(|c| c.is_ascii_lowercase()));
            assert!(text.chars().any(|c| c.is_ascii_uppercase()));
            assert!(text.chars().any(|c| c.is_ascii_digit()));
            assert!(text.chars().any(|c| SPECIAL.contains(c)));
            assert!(is_unambiguous(&password));
            for look_alike in ['0', 'O', 'o', '1', 'l', 'I', 'i'] {
                assert!(!text.contains(look_alike), "{text}");
            }
        }
    }

    #[test]
    fn the_length_follows_the_policy_bounds() {
        assert_eq!(effective_length(&preset(12, None), 8), 12);
        assert_eq!(effective_length(&preset(6, Some(20)), 40), 20);
        assert_eq!(effective_length(&preset(6, Some(20)), 4), MIN_LENGTH);
        assert_eq!(effective_length(&preset(6, Some(8)), 14), 8);
    }

    #[test]
    fn forbidden_characters_are_never_used() {
        let mut config = preset(8, None);
        config.forbidden_characters = "!#%+-=?@".into();
        for _ in 0..200 {
            let password = generate(&config, 12);
            assert!(password
                .expose_secret()
                .chars()
                .all(|c| !"!#%+-=?@".contains(c)));
            assert!(password.expose_secret().contains('_'));
        }
    }

    #[test]
    fn passwords_differ() {
        let config = preset(8, None);
        let a = generate(&config, 14);
        let b = generate(&config, 14);
        assert_ne!(a.expose_secret(), b.expose_secret());
    }
}
