//! Keep the token out of memory images. Once a token is read, the process
//! is made non-dumpable (Linux: no core file, no ptrace or /proc/PID/mem
//! or /proc/PID/environ for other processes of the same user) and its core
//! size limit set to 0, so a crash writes no copy of the token anywhere.

/// Best effort: a refusal is logged, never fatal (the token is still only
/// in memory).
pub fn no_core_dumps() {
    #[cfg(unix)]
    {
        use rustix::process::{Resource, Rlimit, getrlimit, setrlimit};
        let limit = getrlimit(Resource::Core);
        let none = Rlimit {
            current: Some(0),
            maximum: limit.maximum,
        };
        if let Err(e) = setrlimit(Resource::Core, none) {
            tracing::warn!("cannot turn core dumps off: {e}");
        }
    }
    #[cfg(target_os = "linux")]
    {
        use rustix::process::{DumpableBehavior, set_dumpable_behavior};
        if let Err(e) = set_dumpable_behavior(DumpableBehavior::NotDumpable) {
            tracing::warn!("cannot make the process non-dumpable: {e}");
        }
    }
}
