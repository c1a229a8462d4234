//! Alt text from what the library measured about a file, for when no vision-capable provider
//! can look at it: its kind, shape, size, dominant colours, length and a name worth reading.
//! It describes the file, not what it shows, and says so; a person or a vision model must add
//! the subject.

use serde::Serialize;

/// What the media library knows about a file.
#[derive(Clone, Debug, Default)]
pub struct FileFacts<'a> {
    /// image, gif or video
    pub kind: &'a str,
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub duration_ms: Option<u64>,
    /// Dominant colours, most frequent first, as `#rrggbb`.
    pub colors: &'a [String],
    /// The file name as uploaded.
    pub name: &'a str,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Description {
    pub text: String,
    /// Which facts the text came from, e.g. `["shape", "colours", "name"]`.
    pub from: Vec<&'static str>,
}

/// A sentence like "Landscape image (1600 × 900) in mostly dark green and light blue tones,
/// titled “spring sale banner”."
pub fn describe(facts: &FileFacts) -> Description {
    let mut from = Vec::new();
    let noun = match facts.kind {
        "gif" => "animated GIF",
        "video" => "video",
        _ => "image",
    };
    let mut text = match (facts.width, facts.height) {
        (Some(w), Some(h)) if w > 0 && h > 0 => {
            from.push("shape");
            format!("{} {noun} ({w} × {h})", capitalise(shape(w, h)))
        }
        _ => capitalise(noun),
    };
    if let Some(ms) = facts.duration_ms.filter(|_| facts.kind == "video") {
        from.push("duration");
        text.push_str(&format!(", {} long", duration(ms)));
    }
    let names = colour_names(facts.colors);
    if !names.is_empty() {
        from.push("colours");
        text.push_str(&format!(" in mostly {} tones", join(&names)));
    }
    if let Some(title) = readable_name(facts.name) {
        from.push("name");
        text.push_str(&format!(", titled “{title}”"));
    }
    text.push('.');
    Description { text, from }
}

fn shape(width: u32, height: u32) -> &'static str {
    let ratio = width as f64 / height as f64;
    if ratio > 1.1 {
        "landscape"
    } else if ratio < 0.9 {
        "portrait"
    } else {
        "square"
    }
}

fn duration(ms: u64) -> String {
    let secs = (ms + 500) / 1000;
    if secs < 60 {
        format!("{secs} seconds")
    } else {
        format!("{} min {} s", secs / 60, secs % 60)
    }
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

fn join(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// Up to three distinct colour names for the dominant colours, in order.
fn colour_names(colors: &[String]) -> Vec<String> {
    let mut names = Vec::new();
    for name in colors
        .iter()
        .filter_map(|hex| rgb(hex))
        .map(|(r, g, b)| colour_name(r, g, b))
    {
        if !names.contains(&name) && names.len() < 3 {
            names.push(name);
        }
    }
    names
}

fn rgb(hex: &str) -> Option<(u8, u8, u8)> {
    let hex = hex.strip_prefix('#')?;
    if hex.len() != 6 {
        return None;
    }
    let channel = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
    Some((channel(0)?, channel(2)?, channel(4)?))
}

/// A plain name from hue, saturation and lightness: "dark green", "light blue", "grey", "white".
pub fn colour_name(r: u8, g: u8, b: u8) -> String {
    let (h, s, l) = hsl(r, g, b);
    if l > 0.92 {
        return "white".into();
    }
    if l < 0.1 {
        return "black".into();
    }
    if s < 0.15 {
        return if l > 0.65 {
            "light grey"
        } else if l < 0.35 {
            "dark grey"
        } else {
            "grey"
        }
        .into();
    }
    let hue = match h {
        h if !(15.0..345.0).contains(&h) => "red",
        h if h < 40.0 => {
            if l < 0.45 {
                "brown"
            } else {
                "orange"
            }
        }
        h if h < 65.0 => "yellow",
        h if h < 160.0 => "green",
        h if h < 195.0 => "teal",
        h if h < 255.0 => "blue",
        h if h < 290.0 => "purple",
        _ => "pink",
    };
    let shade = if l < 0.3 && hue != "brown" {
        "dark "
    } else if l > 0.72 {
        "light "
    } else {
        ""
    };
    format!("{shade}{hue}")
}

fn hsl(r: u8, g: u8, b: u8) -> (f64, f64, f64) {
    let (r, g, b) = (r as f64 / 255.0, g as f64 / 255.0, b as f64 / 255.0);
    let max = r.max(g).max(b);
    let min = r.min(g).min(b);
    let l = (max + min) / 2.0;
    let d = max - min;
    if d == 0.0 {
        return (0.0, 0.0, l);
    }
    let s = d / (1.0 - (2.0 * l - 1.0).abs());
    let h = if max == r {
        60.0 * (((g - b) / d).rem_euclid(6.0))
    } else if max == g {
        60.0 * ((b - r) / d + 2.0)
    } else {
        60.0 * ((r - g) / d + 4.0)
    };
    (h, s, l)
}

/// The file name as words, unless it is a camera's or a tool's serial ("IMG_2041.jpg",
/// "DSC00012", "a3f9c2e1…"), which says nothing to a reader.
fn readable_name(name: &str) -> Option<String> {
    let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
    let words: Vec<&str> = stem
        .split(['_', '-', ' ', '.'])
        .filter(|w| !w.is_empty())
        .collect();
    let meaningful: Vec<&str> = words
        .iter()
        .copied()
        .filter(|w| w.chars().any(|c| c.is_alphabetic()) && !is_serial(w))
        .collect();
    // Words that are letters only and not a camera prefix carry meaning.
    let readable = meaningful
        .iter()
        .filter(|w| w.chars().all(|c| c.is_alphabetic()) && w.len() > 1)
        .count();
    (readable > 0).then(|| {
        words
            .iter()
            .copied()
            .filter(|w| !is_serial(w))
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    })
}

fn is_serial(word: &str) -> bool {
    const CAMERA: [&str; 8] = [
        "img",
        "dsc",
        "dscn",
        "dcim",
        "pxl",
        "mvimg",
        "vid",
        "screenshot",
    ];
    let lower = word.to_lowercase();
    let digits = word.chars().filter(char::is_ascii_digit).count();
    CAMERA.contains(&lower.as_str())
        || (word.len() >= 8 && word.chars().all(|c| c.is_ascii_hexdigit()) && digits > 0)
        || (digits * 2 > word.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_colours_by_hue_and_lightness() {
        assert_eq!(colour_name(0x1b, 0x5e, 0x20), "dark green");
        assert_eq!(colour_name(0x87, 0xce, 0xeb), "light blue");
        assert_eq!(colour_name(0xff, 0xff, 0xff), "white");
        assert_eq!(colour_name(0x80, 0x80, 0x80), "grey");
        assert_eq!(colour_name(0xd3, 0x2f, 0x2f), "red");
        assert_eq!(colour_name(0x79, 0x48, 0x1f), "brown");
    }

    #[test]
    fn describes_shape_colours_and_a_meaningful_name() {
        let colors = [
            "#1b5e20".to_owned(),
            "#87ceeb".to_owned(),
            "#1c5f21".to_owned(),
        ];
        let facts = FileFacts {
            kind: "image",
            width: Some(1600),
            height: Some(900),
            colors: &colors,
            name: "spring_sale-banner.png",
            ..Default::default()
        };
        let d = describe(&facts);
        assert_eq!(
            d.text,
            "Landscape image (1600 × 900) in mostly dark green and light blue tones, titled “spring sale banner”."
        );
        assert_eq!(d.from, vec!["shape", "colours", "name"]);
    }

    #[test]
    fn leaves_out_camera_serials_and_says_how_long_a_video_is() {
        let facts = FileFacts {
            kind: "video",
            width: Some(720),
            height: Some(1280),
            duration_ms: Some(12_400),
            name: "IMG_2041.MOV",
            ..Default::default()
        };
        assert_eq!(
            describe(&facts).text,
            "Portrait video (720 × 1280), 12 seconds long."
        );
        assert_eq!(readable_name("a3f9c2e1b7.jpg"), None);
        assert_eq!(readable_name("PXL_20261101_093000.jpg"), None);
        assert_eq!(
            readable_name("team-photo-2026.jpg").as_deref(),
            Some("team photo")
        );
    }
}
