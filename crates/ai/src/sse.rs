//! A small Server-Sent Events decoder over a response body: enough of the WHATWG format for AI
//! providers (`event:` and multi-line `data:` fields, comments, CRLF). Hand-written on
//! `Response::chunk` so reqwest needs no extra feature and no SSE crate is pulled in.

use futures::Stream;

use crate::error::AiError;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Event {
    pub event: String,
    pub data: String,
}

/// Accumulates bytes and hands out complete events.
#[derive(Default)]
pub(crate) struct Decoder {
    buffer: Vec<u8>,
    current: Event,
    has_data: bool,
}

impl Decoder {
    pub fn push(&mut self, bytes: &[u8]) -> Vec<Event> {
        self.buffer.extend_from_slice(bytes);
        let mut events = Vec::new();
        while let Some(end) = self.buffer.iter().position(|b| *b == b'\n') {
            let line: Vec<u8> = self.buffer.drain(..=end).collect();
            let line = String::from_utf8_lossy(&line);
            let line = line.trim_end_matches(['\n', '\r']);
            if let Some(event) = self.line(line) {
                events.push(event);
            }
        }
        events
    }

    /// The event left when the body ends without a final blank line.
    pub fn finish(&mut self) -> Option<Event> {
        let rest = std::mem::take(&mut self.buffer);
        let rest = String::from_utf8_lossy(&rest).into_owned();
        let mut last = None;
        if !rest.trim().is_empty() {
            last = self.line(rest.trim_end_matches('\r'));
        }
        last.or_else(|| self.line(""))
    }

    fn line(&mut self, line: &str) -> Option<Event> {
        if line.is_empty() {
            if !self.has_data {
                self.current = Event::default();
                return None;
            }
            self.has_data = false;
            return Some(std::mem::take(&mut self.current));
        }
        if line.starts_with(':') {
            return None;
        }
        let (field, value) = line.split_once(':').unwrap_or((line, ""));
        let value = value.strip_prefix(' ').unwrap_or(value);
        match field {
            "event" => self.current.event = value.to_owned(),
            "data" => {
                if self.has_data {
                    self.current.data.push('\n');
                }
                self.current.data.push_str(value);
                self.has_data = true;
            }
            _ => {}
        }
        None
    }
}

/// The events of a streaming response body, in order.
pub(crate) fn events(provider: String, response: reqwest::Response) -> impl Stream<Item = Result<Event, AiError>> {
    struct State {
        response: Option<reqwest::Response>,
        decoder: Decoder,
        ready: std::collections::VecDeque<Event>,
        provider: String,
    }
    let state = State { response: Some(response), decoder: Decoder::default(), ready: Default::default(), provider };
    futures::stream::unfold(state, |mut state| async move {
        loop {
            if let Some(event) = state.ready.pop_front() {
                return Some((Ok(event), state));
            }
            let response = state.response.as_mut()?;
            match response.chunk().await {
                Ok(Some(bytes)) => state.ready.extend(state.decoder.push(&bytes)),
                Ok(None) => {
                    state.response = None;
                    state.ready.extend(state.decoder.finish());
                }
                Err(error) => {
                    state.response = None;
                    return Some((Err(AiError::from_transport(&state.provider, &error)), state));
                }
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_split_across_chunks_and_lines() {
        let mut decoder = Decoder::default();
        assert!(decoder.push(b"event: ping\r\nda").is_empty());
        let events = decoder.push(b"ta: {\"a\":1}\r\n\r\n: comment\n\ndata: one\ndata: two\n\n");
        assert_eq!(
            events,
            vec![
                Event { event: "ping".into(), data: "{\"a\":1}".into() },
                Event { event: String::new(), data: "one\ntwo".into() }
            ]
        );
        assert!(decoder.push(b"data: [DONE]").is_empty());
        assert_eq!(decoder.finish(), Some(Event { event: String::new(), data: "[DONE]".into() }));
    }
}
