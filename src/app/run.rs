//! The terminal loop: read keys and worker answers, `update`, run effects,
//! draw when no message is pending.

use super::ingest_job::IngestJob;
use super::msg::{Effect, Msg};
use super::state::AppState;
use super::update::update;
use super::worker::{self, Job};
use crate::case::Case;
use crate::fetch::FetchConfig;
use crate::keymap::{Key, Keymap};
use ratatui::crossterm::event::{self, Event};
use std::io::Write;
use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

/// How long to wait for input before a spinner tick.
const TICK: Duration = Duration::from_millis(100);

/// How long the input thread waits in one poll (it notices the app is gone
/// after at most this).
const INPUT_POLL: Duration = Duration::from_millis(250);

/// How often the ingest gauge is refreshed.
const INGEST_POLL: Duration = Duration::from_millis(250);

/// Run the TUI on an opened case until the user quits, ingesting `paths`
/// into it meanwhile, or tailing an org's System Log into it. The keymap
/// is already validated: nothing here fails before the terminal is
/// restored.
pub fn run(
    case: Case,
    keymap: &Keymap,
    paths: Vec<PathBuf>,
    tail: Option<(FetchConfig, Duration)>,
) -> anyhow::Result<()> {
    let (answers_tx, answers) = mpsc::channel();
    let root = case.root.clone();
    if let Some((cfg, every)) = tail {
        super::tail_job::start(cfg, root.clone(), every, answers_tx.clone())?;
    }
    let mut ingest = if paths.is_empty() {
        None
    } else {
        Some(IngestJob::start(root, paths, answers_tx.clone())?)
    };
    spawn_input(answers_tx.clone())?;
    let jobs = worker::spawn(case, answers_tx)?;
    let color = std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let mut terminal = ratatui::init();
    let result = (|| {
        let size = terminal.size()?;
        let (mut state, effects) = AppState::new((size.width, size.height), color);
        run_effects(effects, &jobs, &mut state);
        event_loop(
            &mut terminal,
            &mut state,
            keymap,
            &jobs,
            &answers,
            &mut ingest,
        )
    })();
    ratatui::restore();
    result
}

fn event_loop(
    terminal: &mut ratatui::DefaultTerminal,
    state: &mut AppState,
    keymap: &Keymap,
    jobs: &Sender<Job>,
    answers: &Receiver<Msg>,
    ingest: &mut Option<IngestJob>,
) -> anyhow::Result<()> {
    let mut dirty = true;
    let mut polled = Instant::now();
    let mut ticked = Instant::now();
    while !state.quit {
        if dirty {
            terminal.draw(|f| crate::ui::render(state, keymap, f))?;
            state.drawn_rows = Some(crate::ui::table_rows(state));
            dirty = false;
        }
        // Keys and answers arrive on one channel, so neither waits for the
        // other: a worker's answer is drawn the moment it comes.
        let mut msgs = Vec::new();
        match answers.recv_timeout(TICK) {
            Ok(m) => msgs.push(m),
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => break,
        }
        msgs.extend(answers.try_iter());
        if state.busy() && ticked.elapsed() >= TICK {
            ticked = Instant::now();
            msgs.push(Msg::Tick);
        }
        if let Some(job) = ingest.as_mut().filter(|_| polled.elapsed() >= INGEST_POLL) {
            polled = Instant::now();
            msgs.extend(job.poll(state.ingest.as_ref()));
        }
        for msg in msgs {
            let effects = update(state, msg, keymap);
            run_effects(effects, jobs, state);
            dirty = true;
        }
    }
    Ok(())
}

/// Read the terminal on a thread of its own, into the loop's channel. It
/// ends when the loop is gone (or the terminal is: then the app quits).
fn spawn_input(tx: Sender<Msg>) -> std::io::Result<()> {
    std::thread::Builder::new()
        .name("okhunt-input".into())
        .spawn(move || {
            loop {
                let read = event::poll(INPUT_POLL).and_then(|ready| {
                    if ready {
                        event::read().map(terminal_msg)
                    } else {
                        Ok(None)
                    }
                });
                let msg = match read {
                    Ok(Some(m)) => m,
                    Ok(None) => continue,
                    Err(e) => {
                        tracing::warn!("the terminal cannot be read: {e}");
                        Msg::TerminalLost(e.to_string())
                    }
                };
                let lost = matches!(msg, Msg::TerminalLost(_));
                if tx.send(msg).is_err() || lost {
                    return;
                }
            }
        })?;
    Ok(())
}

fn terminal_msg(ev: Event) -> Option<Msg> {
    match ev {
        Event::Key(k) => Key::from_event(&k).map(Msg::Key),
        Event::Resize(w, h) => Some(Msg::Resize(w, h)),
        _ => None,
    }
}

fn run_effects(effects: Vec<Effect>, jobs: &Sender<Job>, state: &mut AppState) {
    for effect in effects {
        match effect {
            Effect::Quit => state.quit = true,
            Effect::Load { ticket, request } => {
                if jobs.send(Job { ticket, request }).is_err() {
                    state.status = Some("the query worker stopped; see the log".into());
                }
            }
            Effect::Copy(text) => {
                let mut out = std::io::stdout();
                let _ = write!(out, "\x1b]52;c;{}\x07", base64(text.as_bytes()));
                let _ = out.flush();
            }
        }
    }
}

/// Standard base64 with padding, for OSC 52.
pub fn base64(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(A[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn base64_pads() {
        assert_eq!(super::base64(b"Ma"), "TWE=");
        assert_eq!(super::base64(b"Man"), "TWFu");
        assert_eq!(super::base64(b"M"), "TQ==");
    }
}
