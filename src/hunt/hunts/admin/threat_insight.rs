//! Okta's own threat signals: ThreatInsight, user risk detections, and
//! users reporting activity they did not do.

use super::common::{self, date, day_of};
use crate::hunt::{Facts, Finding, Hunt, HuntContext, Severity, finding_from};
use std::collections::BTreeMap;

pub struct ThreatInsight;

const THREAT: &str = "security.threat.detected";
const RISK: &str = "user.risk.detect";
const REPORT: &str = "user.account.report_suspicious_activity_by_enduser";

/// What a group of signals is about: the IP for ThreatInsight (it rates
/// addresses), the user otherwise.
fn subject(f: &Facts) -> String {
    if f.event_type == THREAT {
        f.ip_text()
            .or_else(|| f.who().map(str::to_string))
            .unwrap_or_else(|| "unknown".into())
    } else if f.event_type == REPORT {
        f.who()
            .map(str::to_string)
            .unwrap_or_else(|| common::subject(f))
    } else {
        common::subject(f)
    }
}

impl Hunt for ThreatInsight {
    fn id(&self) -> &'static str {
        "threat-insight"
    }

    fn title(&self) -> &'static str {
        "Okta threat signal"
    }

    fn severity(&self) -> Severity {
        Severity::Medium
    }

    fn description(&self) -> &'static str {
        "Signals Okta raised itself: ThreatInsight flagging an IP (security.threat.detected), the risk engine rating a \
         user's sign-in (user.risk.detect), and a user reporting activity they did not do \
         (user.account.report_suspicious_activity_by_enduser). One finding per signal type, IP or user, and day. \
         ThreatInsight and risk detections are medium (high when Okta rates the risk high); an end-user report is high: \
         the user saw a sign-in or factor prompt that was not theirs, so review their recent sessions and factor \
         changes and consider resetting their credentials. ThreatInsight only logs what it flagged, not what it let \
         through."
    }

    fn run(&self, ctx: &HuntContext) -> tantivy::Result<Vec<Finding>> {
        let all = ctx.facts(&format!("type:({THREAT} OR {RISK} OR {REPORT})"))?;
        let mut groups: BTreeMap<(String, String, i64), Vec<&Facts>> = BTreeMap::new();
        for f in &all {
            groups
                .entry((f.event_type.clone(), subject(f), day_of(f.published_ms)))
                .or_default()
                .push(f);
        }
        let mut findings = Vec::new();
        for ((kind, who, _), events) in groups {
            let Some(first) = events.first() else {
                continue;
            };
            let orig = ctx.original(first);
            let text = orig.as_ref().map(common::wording).unwrap_or_default();
            let high_risk = orig
                .as_ref()
                .and_then(|o| common::debug_value(o, "risk"))
                .is_some_and(|r| r.to_ascii_uppercase().contains("HIGH"));
            let reason = first.reason.clone().or_else(|| {
                orig.as_ref()
                    .and_then(|o| common::debug_value(o, "threatDetections"))
            });
            let reason = reason.map(|r| format!(" ({r})")).unwrap_or_default();
            let n = events.len();
            let day = date(first.published_ms);
            let (severity, title, summary) = match kind.as_str() {
                THREAT => (
                    Severity::Medium,
                    format!("ThreatInsight flagged {who}"),
                    format!(
                        "Okta ThreatInsight flagged requests from {} {n} time(s) on {day}{reason}, targeting {}.",
                        common::place(first),
                        common::list(
                            &common::distinct(
                                events.iter().filter_map(|f| f.who().map(str::to_string))
                            ),
                            3
                        )
                    ),
                ),
                RISK => (
                    if high_risk || text.contains("level=high") {
                        Severity::High
                    } else {
                        Severity::Medium
                    },
                    format!("Okta detected risk for {who}"),
                    format!(
                        "Okta's risk engine flagged {who} {n} time(s) on {day} from {}{}.",
                        common::list(&common::ips_of(events.iter().copied()), 3),
                        orig.as_ref()
                            .and_then(|o| common::debug_value(o, "risk"))
                            .map(|r| format!(" ({r})"))
                            .unwrap_or_default()
                    ),
                ),
                _ => (
                    Severity::High,
                    format!("{who} reported suspicious activity"),
                    format!(
                        "{who} reported activity they did not recognise {n} time(s) on {day}, from {}{reason}.",
                        common::list(&common::ips_of(events.iter().copied()), 3)
                    ),
                ),
            };
            // ThreatInsight rates an IP: the users it went for are its targets.
            let (actor, targets) = if kind == THREAT {
                (
                    None,
                    common::distinct(events.iter().filter_map(|f| f.who().map(str::to_string))),
                )
            } else {
                (first.who().map(str::to_string), vec![who.clone()])
            };
            findings.push(finding_from(
                self, severity, title, summary, actor, targets, &events,
            ));
        }
        Ok(findings)
    }
}
