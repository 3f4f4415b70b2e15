//! The spoken captcha: the voice clip of each character (French or
//! English, made by `scripts/make-captcha-voice` with espeak-ng and
//! compiled in), each changed in speed and pitch, loudness and tone, joined
//! by pauses (all drawn from the challenge's keyed hash: random to anyone
//! without the key, the same at every fetch of one challenge), with a murmur of reversed clip fragments
//! over each and a faint hiss throughout, into one 8 kHz mono 16-bit PCM
//! WAV. Since the clips ship with the project, a robot can hold them all:
//! the changes are there so that no rendering lines up with them, byte for
//! byte or waveform against waveform (see [`render`]), while a person hears
//! the same characters.
//!
//! When the challenge is case-sensitive, each letter is said with its case
//! ("A majuscule", "e minuscule"; "capital A", "small e"): the person who
//! listens must be able to type exactly what the check expects.

use super::alphabet::{self, Case};
use passerelle_text::i18n::Lang;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
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
            "/../../assets/captcha-voice/",
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
    match lang.voice() {
        Lang::Fr => &FRENCH,
        _ => &ENGLISH,
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

/// How much each character's speed and pitch move, as a fraction, in
/// either direction: beyond ~8 % the shipped clip's waveform no longer
/// lines up with the rendered one over a whole word; below ~15 % the voice
/// stays natural.
const SPEED_CHANGE: std::ops::Range<f32> = 0.08..0.15;

/// Babble level against the character it covers (RMS ratio): about
/// -10 dB, which a person hears through, and which buries the fine detail
/// a waveform match relies on.
const BABBLE_LEVEL: std::ops::Range<f32> = 0.28..0.40;

fn silence(out: &mut Vec<f32>, rng: &mut impl Rng, seconds: std::ops::Range<f32>) {
    let samples = (rng.gen_range(seconds) * SAMPLE_RATE as f32) as usize;
    out.extend(std::iter::repeat_n(0.0, samples));
}

/// `clip` played at a speed drifting from `from` to `to` (1.0 is as
/// recorded; 1.1 is 10 % faster and higher), by linear interpolation.
/// Pitch and tempo move together, like a person speaking a little faster
/// or slower; the drift means no single speed lines up the whole word.
fn resample(clip: &[i16], from: f32, to: f32) -> Vec<f32> {
    let last = clip.len().saturating_sub(1);
    let mut out = Vec::with_capacity(clip.len() * 6 / 5);
    let mut at = 0.0f32;
    while (at as usize) < last {
        let i = at as usize;
        let frac = at - i as f32;
        out.push(f32::from(clip[i]) * (1.0 - frac) + f32::from(clip[i + 1]) * frac);
        at += from + (to - from) * (at / last as f32);
    }
    out
}

/// A random speed for one character: 8–15 % faster or slower, drifting a
/// further few percent across the word.
fn speeds(rng: &mut impl Rng) -> (f32, f32) {
    let change = rng.gen_range(SPEED_CHANGE);
    let from = if rng.gen_bool(0.5) {
        1.0 + change
    } else {
        1.0 - change
    };
    (from, from * rng.gen_range(0.96..1.04))
}

/// A word of the captcha: its clip at a random speed and loudness, through
/// a random gentle tilt of its tone (brighter or duller).
fn word(clip: &[i16], rng: &mut impl Rng) -> Vec<f32> {
    let (from, to) = speeds(rng);
    let mut samples = resample(clip, from, to);
    let gain = rng.gen_range(0.6..1.0);
    let tilt = rng.gen_range(-0.5..0.5);
    let mut previous = 0.0;
    for sample in &mut samples {
        let current = *sample;
        *sample = (current + tilt * previous) * gain / (1.0 + tilt.abs());
        previous = current;
    }
    samples
}

/// Speech-like noise as long as `length`: fragments of 30–90 ms of random
/// clips, reversed (so nothing in it is a word), overlapping, each faded
/// in and out. A person hears a murmur behind the voice; a robot sees its
/// clips everywhere.
fn babble(voice: &Voice, length: usize, rng: &mut impl Rng) -> Vec<f32> {
    let mut out = vec![0.0f32; length];
    let clips: Vec<&Vec<i16>> = voice.values().filter(|c| c.len() > 800).collect();
    if clips.is_empty() || length == 0 {
        return out;
    }
    let mut at = 0usize;
    while at < length {
        let clip = clips[rng.gen_range(0..clips.len())];
        let fragment = rng.gen_range(240..720).min(clip.len());
        let start = rng.gen_range(0..=clip.len() - fragment);
        let (speed, _) = speeds(rng);
        let piece = resample(&clip[start..start + fragment], speed, speed);
        let n = piece.len();
        for (k, value) in piece.iter().rev().enumerate() {
            // A triangular fade, so the fragments join without clicks.
            let fade = 1.0 - (2.0 * k as f32 / n as f32 - 1.0).abs();
            if let Some(slot) = out.get_mut(at + k) {
                *slot += value * fade;
            }
        }
        at += n / 2;
    }
    out
}

fn rms(samples: &[f32]) -> f32 {
    if samples.is_empty() {
        return 0.0;
    }
    (samples.iter().map(|s| s * s).sum::<f32>() / samples.len() as f32).sqrt()
}

/// Adds `spoken` at the end of `out`, with babble laid over it (and
/// 30 ms beyond each end, no more: the quiet between characters stays
/// quiet so a person hears where each one starts).
fn say(out: &mut Vec<f32>, spoken: &[f32], voice: &Voice, rng: &mut impl Rng) {
    let margin = (0.03 * SAMPLE_RATE as f32) as usize;
    let start = out.len().saturating_sub(margin);
    out.extend_from_slice(spoken);
    out.extend(std::iter::repeat_n(0.0, margin));
    let noise = babble(voice, out.len() - start, rng);
    let level = rng.gen_range(BABBLE_LEVEL) * rms(spoken) / rms(&noise).max(1.0);
    for (slot, value) in out[start..].iter_mut().zip(noise) {
        *slot += value * level;
    }
}

/// The WAV that says `chars` in `lang`.
///
/// Every challenge's rendering differs, so that matching the shipped clips
/// against it fails (issue 14, item 6: a robot split the audio on silence and matched
/// each part against the clips, solving 6 captchas out of 6): each
/// character is said 8–15 % faster or slower (pitch with it), at a random
/// loudness and tone, after a random pause, with speech-like babble made
/// of reversed clip fragments laid over it at about -10 dB, and a faint
/// hiss throughout. Characters never overlap: a person must hear where
/// each one starts, and the pauses (at least 0.35 s) are what tells them
/// apart.
///
/// Every change is drawn from `seed` (the keyed hash of the challenge): the
/// same challenge always sounds the same, so fetching it again and again
/// gives nothing to average the noise away with.
pub fn render(chars: &[char], lang: Lang, case_sensitive: bool, seed: [u8; 32]) -> Vec<u8> {
    let voice = voice(lang);
    let mut rng = StdRng::from_seed(seed);
    let mut samples: Vec<f32> = Vec::new();
    silence(&mut samples, &mut rng, 0.25..0.45);
    for (i, &c) in chars.iter().enumerate() {
        if i > 0 {
            silence(&mut samples, &mut rng, 0.42..0.70);
        }
        let (name, case) = alphabet::spoken(c);
        let case_word = match case {
            Case::Upper if case_sensitive => voice.get(&UPPER_WORD),
            Case::Lower if case_sensitive => voice.get(&LOWER_WORD),
            _ => None,
        };
        let Some(letter) = voice.get(&name) else {
            continue;
        };
        let mut spoken = word(letter, &mut rng);
        if let Some(case_word) = case_word {
            let pause = (rng.gen_range(0.06..0.12) * SAMPLE_RATE as f32) as usize;
            let case_word = word(case_word, &mut rng);
            let gap = std::iter::repeat_n(0.0, pause);
            spoken = match lang.voice() {
                // "A majuscule"
                Lang::Fr => spoken.into_iter().chain(gap).chain(case_word).collect(),
                // "capital A"
                _ => case_word.into_iter().chain(gap).chain(spoken).collect(),
            };
        }
        say(&mut samples, &spoken, voice, &mut rng);
    }
    silence(&mut samples, &mut rng, 0.30..0.45);
    // A faint hiss (about -40 dBFS), different for every challenge.
    let samples: Vec<i16> = samples
        .into_iter()
        .map(|sample| {
            let noise = f32::from(rng.gen_range(-330i16..=330));
            (sample + noise).clamp(f32::from(i16::MIN), f32::from(i16::MAX)) as i16
        })
        .collect();
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
        let plain = decode(&render(&chars, Lang::En, false, [7; 32]))
            .unwrap()
            .len();
        let with_case = decode(&render(&chars, Lang::En, true, [7; 32]))
            .unwrap()
            .len();
        assert!(with_case > plain + SAMPLE_RATE as usize / 2);
    }
}
