//! The robot of issue 14, item 6, as a test: it solved 6 spoken captchas
//! out of 6 without any speech recognition, by splitting the WAV on
//! silence and matching each part against the voice clips the project
//! ships under `assets/captcha-voice/`. Here it is written down: split on
//! energy, then for each part the shipped clip with the best normalised
//! cross-correlation over alignments. The same matcher must read a plain
//! concatenation of the clips (it works), and must fail on what the
//! gateway serves (each rendering changes pitch, tempo, gain and spacing
//! per character and lays speech-like babble over it).
//!
//! Everything runs at 4 kHz and with a bounded alignment window so the
//! test stays cheap in a debug build.

use passerelle::captcha::alphabet;
use passerelle::captcha::{CaptchaKey, CaptchaMode, CaptchaSettings, Challenge};
use passerelle::i18n::Lang;
use secrecy::{ExposeSecret, SecretString};
use std::path::Path;

/// The rate the robot works at: half the WAV's 8 kHz.
const RATE: usize = 4_000;
/// 20 ms loudness windows.
const WINDOW: usize = RATE / 50;
/// 5 ms envelope steps, for the coarse alignment.
const STEP: usize = RATE / 200;
/// How far the coarse alignment looks: ±150 ms.
const COARSE_STEPS: usize = 30;
/// How far around it the waveforms are compared: ±10 ms.
const FINE_SHIFT: usize = RATE * 10 / 1000;
/// Clips whose loudness fits a part best, compared then sample by sample.
const SHORTLIST: usize = 8;
/// Captchas the robot tries on the served audio.
const TRIES: usize = 20;

fn key() -> CaptchaKey {
    CaptchaKey::new(&SecretString::from(
        "test-code-key-0123456789-abcdefghijklmnop",
    ))
}

/// 8 kHz mono 16-bit PCM samples of a WAV (the robot's own parser).
fn samples_of(wav: &[u8]) -> Vec<f32> {
    let mut at = 12;
    while at + 8 <= wav.len() {
        let size = u32::from_le_bytes(wav[at + 4..at + 8].try_into().unwrap()) as usize;
        if &wav[at..at + 4] == b"data" {
            return wav[at + 8..at + 8 + size]
                .chunks_exact(2)
                .map(|p| f32::from(i16::from_le_bytes([p[0], p[1]])))
                .collect();
        }
        at += 8 + size + (size & 1);
    }
    panic!("no data chunk");
}

/// 8 kHz to 4 kHz by averaging pairs.
fn downsample(samples: &[f32]) -> Vec<f32> {
    samples
        .chunks(2)
        .map(|p| p.iter().sum::<f32>() / p.len() as f32)
        .collect()
}

fn loudness(samples: &[f32]) -> Vec<f32> {
    samples
        .chunks(WINDOW)
        .map(|w| (w.iter().map(|s| s * s).sum::<f32>() / w.len() as f32).sqrt())
        .collect()
}

/// The loud parts: runs of windows above the threshold, separated by at
/// least 0.2 s of quiet (so that a word's own short pauses stay inside).
fn split_on_silence(samples: &[f32]) -> Vec<std::ops::Range<usize>> {
    let loud = loudness(samples);
    let peak = loud.iter().cloned().fold(0.0, f32::max);
    let mut sorted = loud.clone();
    sorted.sort_by(|a, b| a.total_cmp(b));
    let floor = sorted[sorted.len() / 10];
    let threshold = (peak * 0.08).max(floor * 3.0);
    let mut parts = Vec::new();
    let mut current: Option<(usize, usize)> = None;
    for (i, value) in loud.iter().enumerate() {
        if *value > threshold {
            current = match current {
                Some((start, end)) if i - end <= 10 => Some((start, i)),
                Some(done) => {
                    parts.push(done);
                    Some((i, i))
                }
                None => Some((i, i)),
            };
        }
    }
    parts.extend(current);
    parts
        .into_iter()
        .map(|(start, end)| {
            // 40 ms of context each side: the soft start and end of a word.
            let from = start.saturating_sub(2) * WINDOW;
            let to = ((end + 3) * WINDOW).min(samples.len());
            from..to
        })
        .collect()
}

/// Loudness over 20 ms (two pitch periods or more, so the voice's own
/// ripple is smoothed out) every 5 ms, to find where a clip sits in a part
/// cheaply.
fn envelope(samples: &[f32]) -> Vec<f32> {
    (0..samples.len().div_ceil(STEP))
        .map(|i| {
            let w = &samples[i * STEP..(i * STEP + WINDOW).min(samples.len())];
            (w.iter().map(|s| s * s).sum::<f32>() / w.len() as f32).sqrt()
        })
        .collect()
}

/// Σ a[i + shift]·b[i] over the overlap, b zero beyond its ends.
fn dot_at(a: &[f32], b: &[f32], shift: isize) -> f32 {
    let (a, b) = if shift >= 0 {
        (&a[(shift as usize).min(a.len())..], b)
    } else {
        (a, &b[((-shift) as usize).min(b.len())..])
    };
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

fn energy(x: &[f32]) -> f32 {
    x.iter().map(|v| v * v).sum()
}

/// Where `clip` likeliest sits in `part`, from their loudness envelopes:
/// the envelope correlation at the best place, and the three best places
/// at least 10 ms apart (loudness alone can put a clip a syllable off), in
/// samples, within ±150 ms.
fn likely_places(part: &[f32], clip: &[f32]) -> (f32, Vec<isize>) {
    let (part_envelope, clip_envelope) = (envelope(part), envelope(clip));
    let norm = (energy(&part_envelope) * energy(&clip_envelope))
        .sqrt()
        .max(1.0);
    let mut coarse: Vec<(isize, f32)> = (-(COARSE_STEPS as isize)..=COARSE_STEPS as isize)
        .map(|s| (s, dot_at(&part_envelope, &clip_envelope, s) / norm))
        .collect();
    coarse.sort_by(|a, b| b.1.total_cmp(&a.1));
    let best = coarse.first().map(|c| c.1).unwrap_or(0.0);
    let mut places: Vec<isize> = Vec::new();
    for (step, _) in coarse {
        if places.iter().all(|p| (p - step).abs() >= 2) {
            places.push(step);
            if places.len() == 3 {
                break;
            }
        }
    }
    (
        best,
        places.into_iter().map(|p| p * STEP as isize).collect(),
    )
}

/// The best normalised cross-correlation of the waveforms of `part` and
/// `clip` at every sample within ±10 ms of each of `places`. Normalised by
/// the energy of the whole of both, so that a short overlap cannot look
/// like a perfect match.
fn best_correlation(part: &[f32], clip: &[f32], places: &[isize]) -> f32 {
    let norm = (energy(part) * energy(clip)).sqrt().max(1.0);
    places
        .iter()
        .flat_map(|centre| centre - FINE_SHIFT as isize..=centre + FINE_SHIFT as isize)
        .map(|shift| dot_at(part, clip, shift) / norm)
        .fold(0.0, f32::max)
}

/// The shipped clips of `lang`, by character, at the robot's rate.
fn shipped_clips(lang: &str) -> Vec<(char, Vec<f32>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("assets/captcha-voice")
        .join(lang);
    alphabet::ALPHABET
        .iter()
        .map(|c| alphabet::spoken(*c).0)
        .collect::<std::collections::BTreeSet<char>>()
        .into_iter()
        .map(|name| {
            let bytes = std::fs::read(dir.join(format!("{name}.wav"))).expect("clip");
            (name, downsample(&samples_of(&bytes)))
        })
        .collect()
}

/// What the robot reads from a WAV: one character per loud part, the
/// clip that correlates best with it. Each part is compared at both
/// phases of the halving to 4 kHz, since a clip may start on an odd
/// sample.
fn solve(wav: &[u8], clips: &[(char, Vec<f32>)]) -> String {
    let samples = samples_of(wav);
    split_on_silence(&downsample(&samples))
        .into_iter()
        .map(|part| {
            let part = &samples[part.start * 2..(part.end * 2).min(samples.len())];
            let phases = [downsample(part), downsample(&part[1..])];
            // Loudness shortlists the clips; the waveforms decide.
            let mut shortlist: Vec<(char, &Vec<f32>, f32, Vec<isize>)> = clips
                .iter()
                .map(|(name, clip)| {
                    let (score, places) = likely_places(&phases[0], clip);
                    (*name, clip, score, places)
                })
                .collect();
            shortlist.sort_by(|a, b| b.2.total_cmp(&a.2));
            shortlist.truncate(SHORTLIST);
            shortlist
                .into_iter()
                .map(|(name, clip, _, places)| {
                    let score = phases
                        .iter()
                        .map(|phase| best_correlation(phase, clip, &places))
                        .fold(0.0, f32::max);
                    (name, score)
                })
                .max_by(|a, b| a.1.total_cmp(&b.1))
                .map(|(name, _)| name)
                .unwrap_or('?')
        })
        .collect()
}

/// Full solves and characters read right, compared case-insensitively
/// (the challenges here ignore case, as by default).
fn score(expected: &str, read: &str) -> (bool, usize) {
    let expected = expected.to_uppercase();
    let right = expected
        .chars()
        .zip(read.chars())
        .filter(|(a, b)| a == b)
        .count();
    (expected == read, right)
}

fn challenge() -> Challenge {
    Challenge::new(&CaptchaSettings {
        mode: CaptchaMode::Always,
        case_sensitive: false,
        length: 6,
    })
}

/// A WAV of the shipped clips one after the other with 0.5 s of silence:
/// the rendering the robot was built for.
fn plain_concatenation(text: &str, lang: &str) -> Vec<u8> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("assets/captcha-voice")
        .join(lang);
    let mut samples: Vec<i16> = vec![0; 2_000];
    for c in text.chars() {
        let name = alphabet::spoken(c).0;
        let bytes = std::fs::read(dir.join(format!("{name}.wav"))).expect("clip");
        samples.extend(samples_of(&bytes).into_iter().map(|s| s as i16));
        samples.extend(std::iter::repeat_n(0, 4_000));
    }
    let mut wav = Vec::new();
    let data = (samples.len() * 2) as u32;
    wav.extend_from_slice(b"RIFF");
    wav.extend_from_slice(&(36 + data).to_le_bytes());
    wav.extend_from_slice(b"WAVEfmt ");
    wav.extend_from_slice(&16u32.to_le_bytes());
    wav.extend_from_slice(&[1, 0, 1, 0]);
    wav.extend_from_slice(&8_000u32.to_le_bytes());
    wav.extend_from_slice(&16_000u32.to_le_bytes());
    wav.extend_from_slice(&[2, 0, 16, 0]);
    wav.extend_from_slice(b"data");
    wav.extend_from_slice(&data.to_le_bytes());
    for s in samples {
        wav.extend_from_slice(&s.to_le_bytes());
    }
    wav
}

#[test]
fn the_clip_matcher_reads_a_plain_concatenation_of_the_shipped_clips() {
    // A few look-alike clips (C/E in French) can trade places on a bare
    // concatenation: the matcher works when it reads nearly every
    // character and most captchas whole.
    let key = key();
    let (mut right, mut total, mut whole) = (0, 0, 0);
    for lang in ["fr", "en"] {
        let clips = shipped_clips(lang);
        for _ in 0..3 {
            let text = challenge().text(&key).expose_secret().to_uppercase();
            let read = solve(&plain_concatenation(&text, lang), &clips);
            right += read
                .chars()
                .zip(text.chars())
                .filter(|(a, b)| a == b)
                .count();
            total += text.chars().count();
            whole += usize::from(read == text);
        }
    }
    assert!(right * 100 >= total * 90, "{right}/{total} characters read");
    assert!(whole >= 4, "{whole}/6 captchas read whole");
}

#[test]
fn the_clip_matcher_cannot_read_the_served_audio() {
    let key = key();
    let clips = shipped_clips("fr");
    let (mut solved, mut right, mut total) = (0, 0, 0);
    for _ in 0..TRIES {
        let challenge = challenge();
        let text = challenge.text(&key).expose_secret().to_owned();
        let read = solve(&challenge.wav(&key, Lang::Fr), &clips);
        let (full, chars) = score(&text, &read);
        solved += usize::from(full);
        right += chars;
        total += text.chars().count();
    }
    let accuracy = right as f64 / total as f64;
    println!(
        "clip matcher on served audio: {solved}/{TRIES} captchas solved, {:.0} % of characters",
        accuracy * 100.0
    );
    assert_eq!(solved, 0, "captchas solved out of {TRIES}");
    assert!(
        accuracy < 0.35,
        "{:.0} % of characters read by matching the shipped clips",
        accuracy * 100.0
    );
}
