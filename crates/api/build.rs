//! Rebuilds this crate when the web app's build output changes. `rust-embed` settles at compile
//! time which folder it serves (and, in release builds, embeds its files), so a binary compiled
//! before `web/dist` existed, or before a new build of it, would keep serving the old UI or the
//! "not built" page.

fn main() {
    println!("cargo:rerun-if-changed=../../web/dist");
    println!("cargo:rerun-if-changed=build.rs");
}
