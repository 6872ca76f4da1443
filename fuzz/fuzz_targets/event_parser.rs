//! cargo-fuzz target: see [okhunt_fuzz::event_parser].
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| okhunt_fuzz::event_parser(data));
