//! Draws a captcha's characters as a distorted picture: each character
//! scaled, turned and shifted on its own, the whole line bent by two waves,
//! then crossed by a few lines and speckled, in dark grey on a light
//! background (readable for a person, contrast well above 4.5:1).
//!
//! The glyphs are the bitmap font of the `captcha` crate, which was drawn
//! for this purpose; the distortions are ours, so that they come from a
//! seed (the keyed hash of the challenge) instead of a thread-local random
//! generator: the same challenge always gives the same picture.

use ::image::codecs::png::PngEncoder;
use ::image::{ColorType, GrayImage, ImageEncoder, ImageFormat};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::collections::HashMap;
use std::f32::consts::PI;
use std::sync::LazyLock;

/// Height of the picture, in pixels.
pub const HEIGHT: u32 = 70;
/// Horizontal room for each character; 6 characters make 200 pixels.
const ADVANCE: u32 = 30;
const MARGIN: u32 = 10;

const BACKGROUND: f32 = 246.0;
const INK: f32 = 38.0;

/// Width of the picture of `length` characters.
pub fn width(length: usize) -> u32 {
    2 * MARGIN + ADVANCE * u32::try_from(length).unwrap_or(10)
}

/// A glyph as ink coverage, 0.0 (paper) to 1.0 (ink), row by row.
struct Glyph {
    width: usize,
    height: usize,
    ink: Vec<f32>,
}

impl Glyph {
    /// Bilinear sample at (x, y) in glyph pixels; outside is paper.
    fn sample(&self, x: f32, y: f32) -> f32 {
        let at = |xi: i64, yi: i64| -> f32 {
            if xi < 0 || yi < 0 {
                return 0.0;
            }
            let (xi, yi) = (xi as usize, yi as usize);
            if xi >= self.width || yi >= self.height {
                0.0
            } else {
                self.ink[yi * self.width + xi]
            }
        };
        sample_bilinear(x, y, at)
    }
}

fn sample_bilinear(x: f32, y: f32, at: impl Fn(i64, i64) -> f32) -> f32 {
    let (x0, y0) = (x.floor(), y.floor());
    let (fx, fy) = (x - x0, y - y0);
    let (xi, yi) = (x0 as i64, y0 as i64);
    let top = at(xi, yi) * (1.0 - fx) + at(xi + 1, yi) * fx;
    let bottom = at(xi, yi + 1) * (1.0 - fx) + at(xi + 1, yi + 1) * fx;
    top * (1.0 - fy) + bottom * fy
}

/// The glyphs of the alphabet, cut once from the `captcha` crate's font.
static GLYPHS: LazyLock<HashMap<char, Glyph>> = LazyLock::new(|| {
    super::alphabet::ALPHABET
        .iter()
        .filter_map(|&c| glyph(c).map(|g| (c, g)))
        .collect()
});

fn glyph(c: char) -> Option<Glyph> {
    let mut canvas = captcha::Captcha::new();
    // With a single allowed character, the crate's random pick is `c`.
    canvas.set_chars(&[c]).add_char();
    let area = canvas.text_area();
    canvas.extract(area);
    let png = canvas.as_png()?;
    let gray = ::image::load_from_memory_with_format(&png, ImageFormat::Png)
        .ok()?
        .to_luma8();
    Some(Glyph {
        width: gray.width() as usize,
        height: gray.height() as usize,
        ink: gray
            .pixels()
            .map(|p| 1.0 - f32::from(p.0[0]) / 255.0)
            .collect(),
    })
}

/// The PNG of `chars`, its distortions drawn from `seed`.
pub fn render(chars: &[char], seed: [u8; 32]) -> Vec<u8> {
    let mut rng = StdRng::from_seed(seed);
    let width = width(chars.len());
    let (w, h) = (width as usize, HEIGHT as usize);
    let mut ink = vec![0.0f32; w * h];

    for (i, c) in chars.iter().enumerate() {
        let Some(glyph) = GLYPHS.get(c) else { continue };
        let scale: f32 = rng.gen_range(1.15..1.35);
        let angle: f32 = rng.gen_range(-0.25..0.25);
        let center_x = MARGIN as f32 + ADVANCE as f32 * (i as f32 + 0.5) + rng.gen_range(-3.0..3.0);
        let center_y = h as f32 / 2.0 + rng.gen_range(-6.0..6.0);
        let (sin, cos) = angle.sin_cos();
        let (gw, gh) = (glyph.width as f32, glyph.height as f32);
        let reach = (gw.max(gh) * scale * 0.75).ceil() as i64;
        for y in (center_y as i64 - reach).max(0)..(center_y as i64 + reach).min(h as i64) {
            for x in (center_x as i64 - reach).max(0)..(center_x as i64 + reach).min(w as i64) {
                // Inverse of: scale, turn, move to the centre.
                let dx = x as f32 - center_x;
                let dy = y as f32 - center_y;
                let gx = (dx * cos + dy * sin) / scale + gw / 2.0;
                let gy = (-dx * sin + dy * cos) / scale + gh / 2.0;
                let value = glyph.sample(gx, gy);
                let cell = &mut ink[y as usize * w + x as usize];
                *cell = cell.max(value);
            }
        }
    }

    // Two waves bend the line of characters, so no two are straight.
    let (amp_x, len_x, phase_x) = (
        rng.gen_range(1.5..2.5f32),
        rng.gen_range(28.0..45.0f32),
        rng.gen_range(0.0..2.0 * PI),
    );
    let (amp_y, len_y, phase_y) = (
        rng.gen_range(2.5..4.0f32),
        rng.gen_range(60.0..110.0f32),
        rng.gen_range(0.0..2.0 * PI),
    );
    let mut bent = vec![0.0f32; w * h];
    for y in 0..h {
        for x in 0..w {
            let sx = x as f32 + amp_x * (2.0 * PI * y as f32 / len_x + phase_x).sin();
            let sy = y as f32 + amp_y * (2.0 * PI * x as f32 / len_y + phase_y).sin();
            bent[y * w + x] = sample_bilinear(sx, sy, |xi, yi| {
                if xi < 0 || yi < 0 || xi >= w as i64 || yi >= h as i64 {
                    0.0
                } else {
                    ink[yi as usize * w + xi as usize]
                }
            });
        }
    }

    // A few lines across the characters, thin enough not to hide them.
    for _ in 0..rng.gen_range(2..5) {
        let (x0, y0) = (
            rng.gen_range(0.0..w as f32 * 0.3),
            rng.gen_range(0.0..h as f32),
        );
        let (x1, y1) = (
            rng.gen_range(w as f32 * 0.7..w as f32),
            rng.gen_range(0.0..h as f32),
        );
        let strength = rng.gen_range(0.35..0.6f32);
        draw_line(&mut bent, w, h, (x0, y0), (x1, y1), strength);
    }

    let mut pixels = GrayImage::new(width, HEIGHT);
    for (i, pixel) in pixels.pixels_mut().enumerate() {
        // Speckles, light on paper and on ink alike.
        let speckle = if rng.gen_bool(0.06) {
            rng.gen_range(-0.35..0.35f32)
        } else {
            0.0
        };
        let value = (bent[i] + speckle).clamp(0.0, 1.0);
        pixel.0[0] = (BACKGROUND - value * (BACKGROUND - INK)).round() as u8;
    }
    encode(&pixels)
}

/// Draws an anti-aliased line of about 1.5 pixels.
fn draw_line(ink: &mut [f32], w: usize, h: usize, from: (f32, f32), to: (f32, f32), strength: f32) {
    let length = ((to.0 - from.0).powi(2) + (to.1 - from.1).powi(2)).sqrt();
    let steps = (length * 2.0).ceil() as usize;
    for step in 0..=steps {
        let t = step as f32 / steps.max(1) as f32;
        let (x, y) = (from.0 + (to.0 - from.0) * t, from.1 + (to.1 - from.1) * t);
        for yi in (y - 1.0).floor() as i64..=(y + 1.0).ceil() as i64 {
            for xi in (x - 1.0).floor() as i64..=(x + 1.0).ceil() as i64 {
                if xi < 0 || yi < 0 || xi >= w as i64 || yi >= h as i64 {
                    continue;
                }
                let distance = ((xi as f32 - x).powi(2) + (yi as f32 - y).powi(2)).sqrt();
                let value = (1.0 - (distance - 0.5).max(0.0)).clamp(0.0, 1.0) * strength;
                let cell = &mut ink[yi as usize * w + xi as usize];
                *cell = cell.max(value);
            }
        }
    }
}

fn encode(pixels: &GrayImage) -> Vec<u8> {
    let mut png = Vec::new();
    let written = PngEncoder::new(&mut png).write_image(
        pixels.as_raw(),
        pixels.width(),
        pixels.height(),
        ColorType::L8,
    );
    if let Err(error) = written {
        // Encoding into memory only fails on a size mismatch, which the
        // code above rules out; an empty answer is refused by the route.
        tracing::error!(%error, "encoding the captcha picture failed");
        return Vec::new();
    }
    png
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_character_of_the_alphabet_has_a_glyph() {
        for c in super::super::alphabet::ALPHABET {
            let glyph = GLYPHS.get(c).unwrap_or_else(|| panic!("no glyph for {c}"));
            assert!(glyph.width > 5 && glyph.height > 10, "{c}");
            assert!(glyph.ink.iter().any(|v| *v > 0.5), "{c} is blank");
        }
    }

    #[test]
    fn the_same_seed_draws_the_same_picture() {
        let chars: Vec<char> = "aK3hE7".chars().collect();
        assert_eq!(render(&chars, [7; 32]), render(&chars, [7; 32]));
        assert_ne!(render(&chars, [7; 32]), render(&chars, [8; 32]));
    }
}
