//! The planned background: compact activities (rendered later by
//! `expand`) and each user's day (when, which sessions, which addresses).

use super::human::Novelty;
use super::ops::Followup;

#[derive(Clone, Copy, Debug)]
pub enum Act {
    SignIn {
        user: u32,
        session: u8,
        fail_first: bool,
    },
    Sso {
        user: u32,
        app: u8,
    },
    /// A desktop client renewing its access token with a refresh token.
    Refresh {
        user: u32,
    },
    KeepAlive {
        user: u32,
    },
    SignOut {
        user: u32,
    },
    /// SSO into the VPN app just before the user's traffic moves to its egress.
    Vpn {
        user: u32,
    },
    Console {
        user: u32,
    },
    Helpdesk {
        user: u32,
        roll: u8,
    },
    /// A user acting on a helpdesk reset (new password, new factor).
    Followup {
        user: u32,
        kind: Followup,
    },
    Service {
        svc: u8,
    },
    Import,
    NewHire {
        n: u32,
    },
}

#[derive(Clone, Copy, Debug)]
pub struct Activity {
    pub at: i64,
    pub day: u32,
    pub act: Act,
}

pub struct SessionPlan {
    pub start: i64,
    pub id: String,
    /// Jamf Connect's own session, renewed with the browser's (a network
    /// change makes both sign in again).
    pub jamf_id: String,
    pub ip: usize,
    pub novelty: Novelty,
}

/// One user's working day: when, and the sessions (each with its address).
pub struct UserDay {
    pub start: i64,
    pub end: i64,
    pub sessions: Vec<SessionPlan>,
}

impl UserDay {
    /// The session in use at `at` (the first one before the day starts).
    pub fn session_at(&self, at: i64) -> &SessionPlan {
        let i = self
            .sessions
            .iter()
            .rposition(|s| s.start <= at)
            .unwrap_or(0);
        &self.sessions[i]
    }

    pub fn covers(&self, at: i64) -> bool {
        self.start <= at && at < self.end
    }
}
