//! The media library: uploads (one request and resumable, with an interrupted chunk), plan
//! limits, disguised files, duplicates, probing (EXIF orientation and location, video through
//! ffprobe), the library API, serving (signed URLs, ETags, ranges), per-network derivatives,
//! publishing with library media, tenant isolation, and both storage backends (data folder and
//! S3 on moto).

mod library;
mod publishing;
mod serving;
mod storage;
mod transforms;
mod upload;

use zenalto_testkit::{StatusCode, Value};

#[track_caller]
pub fn expect_error(status: StatusCode, body: &Value, want: StatusCode, code: &str) {
    zenalto_testkit::expect_error(status, body, want, code, "");
}
