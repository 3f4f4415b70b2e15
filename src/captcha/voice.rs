//! The spoken captcha: the voice clip of each character (French or
//! English, made by `scripts/make-captcha-voice` with espeak-ng and
//! compiled in), joined by random gaps, each at a slightly different
//! loudness, over a faint random hiss, into one 8 kHz mono 16-bit PCM WAV.
//! The randomness means that two renderings of the same challenge never
//! have the same bytes, so a robot cannot look clips up byte for byte; a
//! person hears the same characters.
//!
//! When the challenge is case-sensitive, each letter is said with its case
//! ("A majuscule", "e minuscule"; "capital A", "small e"): the person who
//! listens must be able to type exactly what the check expects.

use super::alphabet::{self, Case};
use crate::i18n::Lang;
use rand::Rng;
use std::collections::HashMap;
use std::sync::LazyLock;

pub const SAMPLE_RATE: u32 = 8_000;

/// One clip per digit and letter, and the two words that say the case,
/// per language.
macro_rules! clips {
    ($lang:literal) => {
        [
            ('2', clip!($lang, '2')),
            ('3', clip!($lang, '3')),
            ('4', clip!($lang, '4')),
            ('6', clip!($lang, '6')),
            ('7', clip!($lang, '7')),
            ('8', clip!($lang, '8')),
            ('9', clip!($lang, '9')),
            ('A', clip!($lang, 'A')),
            ('C', clip!($lang, 'C')),
            ('D', clip!($lang, 'D')),
            ('E', clip!($lang, 'E')),
            ('F', clip!($lang, 'F')),
            ('H', clip!($lang, 'H')),
            ('J', clip!($lang, 'J')),
            ('K', clip!($lang, 'K')),
            ('M', clip!($lang, 'M')),
            ('N', clip!($lang, 'N')),
            ('P', clip!($lang, 'P')),
            ('R', clip!($lang, 'R')),
            ('T', clip!($lang, 'T')),
            ('U', clip!($lang, 'U')),
            ('V', clip!($lang, 'V')),
            ('W', clip!($lang, 'W')),
            ('X', clip!($lang, 'X')),
            ('Y', clip!($lang, 'Y')),
            // The case words, under characters the alphabet never uses.
            ('^', clip!($lang, "upper")),
            ('_', clip!($lang, "lower")),
        ]
    };
}

macro_rules! clip {
    ($lang:literal, $name:literal) => {
        include_bytes!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/assets/captcha-voice/",
            $lang,
            "/",
            $name,
            ".wav"
        ))
        .as_slice()
    };
}

const UPPER_WORD: char = '^';
const LOWER_WORD: char = '_';

type Voice = HashMap<char, Vec<i16>>;

static FRENCH: LazyLock<Voice> = LazyLock::new(|| decode_all(&clips!("fr")));
static ENGLISH: LazyLock<Voice> = LazyLock::new(|| decode_all(&clips!("en")));

fn voice(lang: Lang) -> &'static Voice {
    match lang {
        Lang::Fr => &FRENCH,
        Lang::En => &ENGLISH,
    }
}

fn decode_all(clips: &[(char, &[u8])]) -> Voice {
    clips
        .iter()
        .filter_map(|(c, bytes)| match decode(bytes) {
            Some(samples) => Some((*c, samples)),
            None => {
                tracing::error!(clip = %c, "a captcha voice clip is not 8 kHz mono 16-bit PCM");
                None
            }
        })
        .collect()
}

/// The samples of an 8 kHz mono 16-bit PCM WAV; None for anything else.
pub fn decode(bytes: &[u8]) -> Option<Vec<i16>> {
    if bytes.len() < 12 || &bytes[0..4] != b"RIFF" || &bytes[8..12] != b"WAVE" {
        return None;
    }
    let mut at = 12;
    let mut format_ok = false;
    while at + 8 <= bytes.len() {
        let id = &bytes[at..at + 4];
        let size = u32::from_le_bytes(bytes[at + 4..at + 8].try_into().ok()?) as usize;
        let body = bytes.get(at + 8..at + 8 + size)?;
        match id {
            b"fmt " if body.len() >= 16 => {
                let format = u16::from_le_bytes([body[0], body[1]]);
                let channels = u16::from_le_bytes([body[2], body[3]]);
                let rate = u32::from_le_bytes([body[4], body[5], body[6], body[7]]);
                let bits = u16::from_le_bytes([body[14], body[15]]);
                format_ok = format == 1 && channels == 1 && rate == SAMPLE_RATE && bits == 16;
            }
            b"data" if format_ok => {
                return Some(
                    body.chunks_exact(2)
                        .map(|pair| i16::from_le_bytes([pair[0], pair[1]]))
                        .collect(),
                );
            }
            _ => {}
        }
        // Chunks are padded to an even size.
        at += 8 + size + (size & 1);
    }
    None
}

fn silence(out: &mut Vec<i16>, seconds: f32) {
    let samples = (seconds * SAMPLE_RATE as f32) as usize;
    out.extend(std::iter::repeat_n(0, samples));
}

fn say(out: &mut Vec<i16>, clip: Option<&Vec<i16>>, gain: f32) {
    if let Some(clip) = clip {
        out.extend(clip.iter().map(|s| (f32::from(*s) * gain) as i16));
    }
}

/// The WAV that says `chars` in `lang`.
pub fn render(chars: &[char], lang: Lang, case_sensitive: bool) -> Vec<u8> {
    let voice = voice(lang);
    let mut rng = rand::thread_rng();
    let mut samples = Vec::new();
    silence(&mut samples, rng.gen_range(0.25..0.45));
    for (i, &c) in chars.iter().enumerate() {
        if i > 0 {
            silence(&mut samples, rng.gen_range(0.45..0.70));
        }
        let (name, case) = alphabet::spoken(c);
        let gain = rng.gen_range(0.75..1.0);
        let case_word = match case {
            Case::Upper if case_sensitive => voice.get(&UPPER_WORD),
            Case::Lower if case_sensitive => voice.get(&LOWER_WORD),
            _ => None,
        };
        let letter = voice.get(&name);
        match (case_word, lang) {
            (None, _) => say(&mut samples, letter, gain),
            // "A majuscule"
            (Some(word), Lang::Fr) => {
                say(&mut samples, letter, gain);
                silence(&mut samples, rng.gen_range(0.06..0.12));
                say(&mut samples, Some(word), gain);
            }
            // "capital A"
            (Some(word), Lang::En) => {
                say(&mut samples, Some(word), gain);
                silence(&mut samples, rng.gen_range(0.06..0.12));
                say(&mut samples, letter, gain);
            }
        }
    }
    silence(&mut samples, rng.gen_range(0.30..0.45));
    // A faint hiss (about -40 dBFS), different on every rendering.
    for sample in &mut samples {
        let noise: i16 = rng.gen_range(-330..=330);
        *sample = sample.saturating_add(noise);
    }
    wav(&samples)
}

/// A RIFF/WAVE file of 8 kHz mono 16-bit PCM samples.
pub fn wav(samples: &[i16]) -> Vec<u8> {
    let data_len = u32::try_from(samples.len() * 2).unwrap_or(u32::MAX - 36);
    let mut out = Vec::with_capacity(44 + samples.len() * 2);
    out.extend_from_slice(b"RIFF");
    out.extend_from_slice(&(36 + data_len).to_le_bytes());
    out.extend_from_slice(b"WAVE");
    out.extend_from_slice(b"fmt ");
    out.extend_from_slice(&16u32.to_le_bytes());
    out.extend_from_slice(&1u16.to_le_bytes()); // PCM
    out.extend_from_slice(&1u16.to_le_bytes()); // mono
    out.extend_from_slice(&SAMPLE_RATE.to_le_bytes());
    out.extend_from_slice(&(SAMPLE_RATE * 2).to_le_bytes()); // bytes per second
    out.extend_from_slice(&2u16.to_le_bytes()); // bytes per sample frame
    out.extend_from_slice(&16u16.to_le_bytes()); // bits per sample
    out.extend_from_slice(b"data");
    out.extend_from_slice(&data_len.to_le_bytes());
    for sample in samples {
        out.extend_from_slice(&sample.to_le_bytes());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_character_and_case_word_has_a_clip_in_both_languages() {
        for lang in [Lang::Fr, Lang::En] {
            let voice = voice(lang);
            for &c in alphabet::ALPHABET {
                let (name, _) = alphabet::spoken(c);
                let clip = voice.get(&name).unwrap_or_else(|| panic!("{c} {lang:?}"));
                let seconds = clip.len() as f32 / SAMPLE_RATE as f32;
                assert!((0.1..1.0).contains(&seconds), "{c} {lang:?} {seconds}");
            }
            for word in [UPPER_WORD, LOWER_WORD] {
                assert!(voice.contains_key(&word));
            }
        }
    }

    #[test]
    fn a_written_wav_decodes_to_the_same_samples() {
        let samples = vec![0, 1, -1, i16::MAX, i16::MIN];
        assert_eq!(decode(&wav(&samples)), Some(samples));
    }

    #[test]
    fn case_words_make_a_case_sensitive_rendering_longer() {
        let chars: Vec<char> = "aAdD".chars().collect();
        let plain = decode(&render(&chars, Lang::En, false)).unwrap().len();
        let with_case = decode(&render(&chars, Lang::En, true)).unwrap().len();
        assert!(with_case > plain + SAMPLE_RATE as usize / 2);
    }
}
