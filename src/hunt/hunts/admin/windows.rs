//! Okta Support windows: impersonation events paired into grant → use →
//! end.

use super::common::{self, hhmm, when};
use crate::hunt::Facts;

/// One support window: its impersonation events, oldest first.
#[derive(Debug, Clone)]
pub struct Window {
    pub events: Vec<Facts>,
    /// When the grant runs out unless ended or revoked first.
    expiry_ms: i64,
}

/// The last part of an impersonation event type: grant, initiate, ...
fn kind(f: &Facts) -> &str {
    f.event_type.rsplit('.').next().unwrap_or_default()
}

impl Window {
    fn new(first: Facts, length_ms: i64) -> Window {
        let expiry_ms = first.published_ms.saturating_add(length_ms);
        Window {
            events: vec![first],
            expiry_ms,
        }
    }

    fn has(&self, k: &str) -> bool {
        self.events.iter().any(|e| kind(e) == k)
    }

    pub fn granted(&self) -> bool {
        self.has("grant")
    }

    pub fn used(&self) -> bool {
        self.has("initiate")
    }

    fn last(&self) -> Option<&Facts> {
        self.events.last()
    }

    /// Whether the window ended (its last event is an end or a revoke).
    fn ended(&self) -> bool {
        self.last()
            .is_some_and(|e| matches!(kind(e), "end" | "revoke"))
    }

    pub fn start_ms(&self) -> i64 {
        self.events.first().map_or(0, |e| e.published_ms)
    }

    /// The end or revoke that closed it, else when the grant ran out.
    pub fn close_ms(&self) -> i64 {
        let last = self.last().map_or(0, |e| e.published_ms);
        if self.ended() {
            last
        } else {
            last.max(self.expiry_ms)
        }
    }

    pub fn duration_ms(&self) -> i64 {
        self.close_ms() - self.start_ms()
    }

    /// Whether an event at `t` still belongs here: the grant has not run
    /// out nor been revoked (support may start again after an end).
    fn accepts(&self, t: i64) -> bool {
        let revoked = self.last().is_some_and(|l| kind(l) == "revoke");
        let last = self.last().map_or(0, |e| e.published_ms);
        !revoked && t <= self.expiry_ms.max(last)
    }

    pub fn covers(&self, ms: i64) -> bool {
        self.start_ms() <= ms && ms <= self.close_ms()
    }

    /// Who granted the access (the first grant's actor).
    pub fn granter(&self) -> Option<String> {
        self.events
            .iter()
            .find(|e| kind(e) == "grant")
            .and_then(|e| e.who().map(str::to_string))
    }

    /// The support staff who used it (actors of initiate/end events).
    pub fn support_staff(&self) -> Vec<String> {
        let granter = self.granter();
        common::distinct(
            self.events
                .iter()
                .filter(|e| matches!(kind(e), "initiate" | "end"))
                .filter_map(|e| e.who().map(str::to_string))
                .filter(|w| Some(w) != granter.as_ref()),
        )
    }

    /// The users support impersonated (User targets of initiate events).
    pub fn impersonated(&self) -> Vec<String> {
        common::distinct(
            self.events
                .iter()
                .filter(|e| kind(e) == "initiate")
                .filter_map(|e| e.target_user.clone()),
        )
    }

    /// "Okta Support access granted by A at T, used by S from IP at T2,
    /// ended at T3 (6.6 h)"
    pub fn story(&self) -> String {
        let first_of = |k: &str| self.events.iter().find(|e| kind(e) == k);
        let mut parts = Vec::new();
        match first_of("grant") {
            Some(g) => parts.push(format!(
                "granted by {} at {}",
                g.who().unwrap_or("an unknown actor"),
                when(g.published_ms)
            )),
            None => parts.push("with no grant in these logs".to_string()),
        }
        match first_of("initiate") {
            Some(i) => parts.push(format!(
                "used by {} from {} at {}",
                common::list(&self.support_staff(), 3),
                common::place(i),
                when(i.published_ms)
            )),
            None => parts.push("never used".to_string()),
        }
        let extends = self.events.iter().filter(|e| kind(e) == "extend").count();
        if extends > 0 {
            parts.push(format!("extended {extends} time(s)"));
        }
        let hours = self.duration_ms() as f64 / common::HOUR_MS as f64;
        match self.last().filter(|_| self.ended()) {
            Some(e) => parts.push(format!(
                "{} at {} ({hours:.1} h)",
                kind(e).replace("end", "ended").replace("revoke", "revoked"),
                hhmm(e.published_ms)
            )),
            None => parts.push(format!(
                "not ended in these logs (runs until {}, {hours:.1} h)",
                when(self.close_ms())
            )),
        }
        format!("Okta Support access {}", parts.join(", "))
    }
}

/// Pair impersonation events (oldest first) into windows. A grant opens a
/// window of `length_ms`, a grant or extend while it is open prolongs it,
/// initiate/end/revoke join the open window (revoke closes it). An event
/// with no open window starts an ungranted one: support used with no grant
/// in sight. A grant never joins an ungranted window, so an earlier use
/// without a grant cannot be hidden by a later grant.
pub fn pair(events: Vec<Facts>, length_ms: i64) -> Vec<Window> {
    let mut out: Vec<Window> = Vec::new();
    for e in events {
        let t = e.published_ms;
        let open = out.last_mut().filter(|w| w.accepts(t));
        match (kind(&e), open) {
            ("grant", Some(w)) if w.granted() && !w.ended() => {
                w.expiry_ms = w.expiry_ms.max(t.saturating_add(length_ms));
                w.events.push(e);
            }
            ("grant", _) => start(&mut out, e, length_ms),
            ("extend", Some(w)) => {
                w.expiry_ms = w.expiry_ms.max(t.saturating_add(length_ms));
                w.events.push(e);
            }
            (_, Some(w)) => w.events.push(e),
            (_, None) => start(&mut out, e, length_ms),
        }
    }
    out
}

/// Open a new window at `first`; the previous one cannot reach past it.
fn start(out: &mut Vec<Window>, first: Facts, length_ms: i64) {
    if let Some(prev) = out.last_mut() {
        prev.expiry_ms = prev.expiry_ms.min(first.published_ms);
    }
    out.push(Window::new(first, length_ms));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(uuid: &str, kind: &str, hour: f64) -> Facts {
        Facts {
            uuid: uuid.into(),
            event_type: format!("user.session.impersonation.{kind}"),
            published_ms: (hour * common::HOUR_MS as f64) as i64,
            actor: Some(
                if kind == "grant" {
                    "admin@x.com"
                } else {
                    "support@okta.com"
                }
                .into(),
            ),
            ..Facts::default()
        }
    }

    fn uuids(w: &Window) -> Vec<&str> {
        w.events.iter().map(|e| e.uuid.as_str()).collect()
    }

    #[test]
    fn pairs_grants_uses_and_ends() {
        let h8 = 8 * common::HOUR_MS;
        let ws = pair(
            vec![
                ev("orphan", "initiate", 1.0),
                ev("g1", "grant", 3.0),
                ev("i1", "initiate", 3.5),
                ev("e1", "end", 4.0),
                ev("i2", "initiate", 5.0),
                ev("x1", "extend", 10.0),
                ev("r1", "revoke", 17.0),
                ev("late", "initiate", 18.0),
                ev("g2", "grant", 40.0),
            ],
            h8,
        );
        let got: Vec<Vec<&str>> = ws.iter().map(uuids).collect();
        assert_eq!(
            got,
            vec![
                vec!["orphan"],
                vec!["g1", "i1", "e1", "i2", "x1", "r1"],
                vec!["late"],
                vec!["g2"]
            ]
        );
        assert!(ws[0].used() && !ws[0].granted());
        assert_eq!(ws[1].duration_ms(), 14 * common::HOUR_MS);
        assert!(ws[1].covers(16 * common::HOUR_MS) && !ws[1].covers(17 * common::HOUR_MS + 1));
        assert!(ws[3].granted() && !ws[3].used() && ws[3].duration_ms() == h8);
        assert!(
            ws[1].story().contains("revoked at 17:00 (14.0 h)"),
            "{}",
            ws[1].story()
        );
    }
}
