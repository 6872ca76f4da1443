//! cargo-fuzz target: see [okhunt_fuzz::format_detector].
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| okhunt_fuzz::format_detector(data));
