//! The iCalendar (RFC 5545) feed of scheduled posts that people subscribe to from their
//! calendar app. Output is deterministic for the same input, so feeds can be cached by ETag.

use crate::Timestamp;

use super::zoned::to_jiff;

/// One scheduled post as a calendar event (no DTEND: RFC 5545 §3.6.1 makes it end when it
/// starts, which is what a post is).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CalendarEvent {
    /// Globally unique and stable across renders (e.g. `<post id>@<host>`), so calendar apps
    /// update the event instead of duplicating it.
    pub uid: String,
    /// When the post goes out.
    pub start: Timestamp,
    /// Event title.
    pub summary: String,
    /// Event body; may contain newlines.
    pub description: String,
    /// Link back to the post in Zenalto.
    pub url: Option<String>,
    /// `TENTATIVE`, `CONFIRMED` or `CANCELLED` (any case) become STATUS; anything else (say a
    /// post status like `failed`) is kept as `X-ZENALTO-STATUS` so the file stays valid.
    pub status: String,
    /// Last change to the post: DTSTAMP and LAST-MODIFIED.
    pub updated: Timestamp,
}

/// Longest content line in octets, excluding the CRLF (RFC 5545 §3.1).
const MAX_LINE_OCTETS: usize = 75;

/// Renders a VCALENDAR with one VEVENT per event: CRLF line endings, lines folded at 75 octets
/// on UTF-8 character boundaries, TEXT values escaped, times in UTC (`YYYYMMDDTHHMMSSZ`).
pub fn render_calendar(name: &str, events: &[CalendarEvent]) -> String {
    let mut out = String::new();
    let mut line = |text: &str| push_folded(&mut out, text);
    line("BEGIN:VCALENDAR");
    line("VERSION:2.0");
    line("PRODID:-//Zenalto//Calendar//EN");
    line("CALSCALE:GREGORIAN");
    line(&format!("X-WR-CALNAME:{}", escape_text(name)));
    for event in events {
        line("BEGIN:VEVENT");
        line(&format!("UID:{}", escape_text(&event.uid)));
        // Without METHOD, DTSTAMP is the last modification of the event (RFC 5545 §3.8.7.2).
        line(&format!("DTSTAMP:{}", utc(event.updated)));
        line(&format!("LAST-MODIFIED:{}", utc(event.updated)));
        line(&format!("DTSTART:{}", utc(event.start)));
        line(&format!("SUMMARY:{}", escape_text(&event.summary)));
        line(&format!("DESCRIPTION:{}", escape_text(&event.description)));
        if let Some(url) = &event.url {
            // URI values are not TEXT-escaped, but a control character would end the line early.
            let url: String = url.chars().filter(|c| !c.is_control()).collect();
            line(&format!("URL:{url}"));
        }
        match event.status.to_ascii_uppercase().as_str() {
            status @ ("TENTATIVE" | "CONFIRMED" | "CANCELLED") => line(&format!("STATUS:{status}")),
            _ => line(&format!("X-ZENALTO-STATUS:{}", escape_text(&event.status))),
        }
        line("END:VEVENT");
    }
    line("END:VCALENDAR");
    out
}

/// `YYYYMMDDTHHMMSSZ`; milliseconds are dropped (iCalendar has whole seconds).
fn utc(at: Timestamp) -> String {
    to_jiff(at).strftime("%Y%m%dT%H%M%SZ").to_string()
}

/// RFC 5545 §3.3.11 TEXT: backslash, semicolon and comma are escaped, any line break becomes
/// `\n`, and other control characters (which TEXT forbids, tab aside) are dropped.
fn escape_text(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                chars.next_if_eq(&'\n');
                out.push_str("\\n");
            }
            '\n' => out.push_str("\\n"),
            '\t' => out.push('\t'),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends `line` and CRLF, folding so no physical line exceeds 75 octets; a continuation starts
/// with a space (which counts), and a multi-byte character is never split.
fn push_folded(out: &mut String, line: &str) {
    let mut octets = 0;
    for c in line.chars() {
        if octets + c.len_utf8() > MAX_LINE_OCTETS {
            out.push_str("\r\n ");
            octets = 1;
        }
        out.push(c);
        octets += c.len_utf8();
    }
    out.push_str("\r\n");
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn ts(rfc3339: &str) -> Timestamp {
        Timestamp::parse_rfc3339(rfc3339).unwrap()
    }

    fn event() -> CalendarEvent {
        CalendarEvent {
            uid: "post-1@zenalto.example".into(),
            start: ts("2026-03-29T07:30:00.250Z"),
            summary: "Launch day".into(),
            description: "Line one\nLine two".into(),
            url: Some("https://zenalto.example/posts/1".into()),
            status: "confirmed".into(),
            updated: ts("2026-03-20T10:00:00Z"),
        }
    }

    /// Undoes folding, as a calendar client would.
    fn unfold(text: &str) -> String {
        text.replace("\r\n ", "")
    }

    #[test]
    fn renders_a_complete_calendar() {
        let text = render_calendar("Zenalto — Acme", &[event()]);
        let expected = [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//Zenalto//Calendar//EN",
            "CALSCALE:GREGORIAN",
            "X-WR-CALNAME:Zenalto — Acme",
            "BEGIN:VEVENT",
            "UID:post-1@zenalto.example",
            "DTSTAMP:20260320T100000Z",
            "LAST-MODIFIED:20260320T100000Z",
            "DTSTART:20260329T073000Z",
            "SUMMARY:Launch day",
            "DESCRIPTION:Line one\\nLine two",
            "URL:https://zenalto.example/posts/1",
            "STATUS:CONFIRMED",
            "END:VEVENT",
            "END:VCALENDAR",
            "",
        ]
        .join("\r\n");
        assert_eq!(text, expected);
    }

    #[test]
    fn an_empty_calendar_is_still_valid() {
        let text = render_calendar("Empty", &[]);
        assert!(text.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
        assert!(text.ends_with("X-WR-CALNAME:Empty\r\nEND:VCALENDAR\r\n"));
    }

    #[test]
    fn escapes_text_values_table() {
        for (raw, escaped) in [
            ("plain", "plain"),
            ("a;b,c", "a\\;b\\,c"),
            ("back\\slash", "back\\\\slash"),
            ("one\ntwo", "one\\ntwo"),
            ("crlf\r\nlf", "crlf\\nlf"),
            ("cr\rlf", "cr\\nlf"),
            ("tab\tbell\u{7}", "tab\tbell"),
            ("C:\\path;x,y\n", "C:\\\\path\\;x\\,y\\n"),
            ("émoji 🎉, ok", "émoji 🎉\\, ok"),
        ] {
            assert_eq!(escape_text(raw), escaped, "{raw:?}");
        }
    }

    #[test]
    fn every_line_ends_in_crlf_and_fits_75_octets() {
        let long = CalendarEvent {
            summary: "Ünïcödé ✓ 🎉 ".repeat(20),
            description: "a,b;c\\d\n".repeat(30),
            url: Some(format!("https://zenalto.example/{}", "x".repeat(200))),
            ..event()
        };
        let text = render_calendar(&"名前".repeat(40), std::slice::from_ref(&long));
        assert!(text.ends_with("\r\n"));
        assert!(!text.replace("\r\n", "").contains(['\r', '\n']), "bare CR or LF");
        for physical in text.split("\r\n") {
            assert!(physical.len() <= MAX_LINE_OCTETS, "{} octets: {physical:?}", physical.len());
        }
        let unfolded = unfold(&text);
        assert!(unfolded.contains(&format!("SUMMARY:{}\r\n", escape_text(&long.summary))));
        assert!(unfolded.contains(&format!("DESCRIPTION:{}\r\n", escape_text(&long.description))));
        assert!(unfolded.contains(&format!("X-WR-CALNAME:{}\r\n", "名前".repeat(40))));
    }

    #[test]
    fn folding_never_splits_a_multi_byte_character() {
        // "SUMMARY:" is 8 octets, then 3-octet characters: 22 fit in the first 74, and the 23rd
        // would end at 77, so it moves to the next line.
        let mut out = String::new();
        push_folded(&mut out, &format!("SUMMARY:{}", "€".repeat(30)));
        let lines: Vec<&str> = out.split("\r\n").collect();
        assert_eq!(lines[0], format!("SUMMARY:{}", "€".repeat(22)));
        assert_eq!(lines[1], format!(" {}", "€".repeat(8)));
        assert_eq!(lines[2], "");
    }

    #[test]
    fn folds_ascii_at_exactly_75_octets() {
        let mut out = String::new();
        push_folded(&mut out, &"x".repeat(75));
        assert_eq!(out, format!("{}\r\n", "x".repeat(75)));
        out.clear();
        push_folded(&mut out, &"x".repeat(76));
        assert_eq!(out, format!("{}\r\n x\r\n", "x".repeat(75)));
    }

    #[test]
    fn status_outside_the_rfc_set_is_kept_as_an_extension() {
        for (status, line) in [
            ("CANCELLED", "STATUS:CANCELLED"),
            ("tentative", "STATUS:TENTATIVE"),
            ("failed", "X-ZENALTO-STATUS:failed"),
            ("bad;\nvalue", "X-ZENALTO-STATUS:bad\\;\\nvalue"),
        ] {
            let text = render_calendar("c", &[CalendarEvent { status: status.into(), ..event() }]);
            assert!(text.contains(&format!("\r\n{line}\r\n")), "{status:?}");
        }
    }

    #[test]
    fn control_characters_cannot_inject_properties() {
        let evil = CalendarEvent {
            uid: "x\r\nBEGIN:VEVENT".into(),
            url: Some("https://a.example/\r\nSTATUS:CANCELLED".into()),
            ..event()
        };
        let text = render_calendar("c", &[evil]);
        assert_eq!(text.split("\r\n").filter(|line| *line == "BEGIN:VEVENT").count(), 1);
        assert!(text.contains("UID:x\\nBEGIN:VEVENT\r\n"));
        assert!(text.contains("URL:https://a.example/STATUS:CANCELLED\r\n"));
    }
}
