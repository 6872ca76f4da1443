//! The story in the output: every element present, under any cap, in any
//! period length; and its fixed names well formed.

use super::story::*;
use super::tests::{args, generate, of_type, parse, s, sample};
use serde_json::Value;

#[test]
fn the_story_is_complete() {
    check_story(&sample().2);
}

fn check_story(events: &[Value]) {
    assert_eq!(
        of_type(events, "user.session.impersonation.grant").count(),
        1
    );
    assert_eq!(
        of_type(events, "user.session.impersonation.initiate").count(),
        2
    );
    assert_eq!(of_type(events, "user.session.impersonation.end").count(), 1);
    // The first initiate has no grant before it.
    let first_initiate = of_type(events, "user.session.impersonation.initiate")
        .next()
        .expect("initiate");
    let grant = of_type(events, "user.session.impersonation.grant")
        .next()
        .expect("grant");
    assert!(s(first_initiate, "/published") < s(grant, "/published"));

    let support_resets: Vec<_> = events
        .iter()
        .filter(|e| {
            s(e, "/actor/alternateId") == "system@okta.com" && s(e, "/transaction/id") == "unknown"
        })
        .collect();
    let types: Vec<_> = support_resets.iter().map(|e| s(e, "/eventType")).collect();
    assert_eq!(
        types,
        ["user.account.reset_password", "user.mfa.factor.reset_all"]
    );
    for e in &support_resets {
        assert!(
            e["client"]["userAgent"]["rawUserAgent"].is_null()
                && e["client"]["geographicalContext"].is_null()
        );
        assert_eq!(s(e, "/target/0/alternateId"), "jane.doe@acme.com");
    }

    let from_attacker = |t: &str| {
        of_type(events, t)
            .filter(|e| s(e, "/client/ipAddress") == ATTACKER_IP)
            .count()
    };
    assert_eq!(from_attacker("user.session.start"), 1);
    assert_eq!(from_attacker("user.session.access_admin_app"), 1);
    let grant = of_type(events, "user.account.privilege.grant")
        .next()
        .expect("privilege grant");
    assert_eq!(
        s(grant, "/debugContext/debugData/privilegeGranted"),
        "Super administrator"
    );
    assert_eq!(of_type(events, "system.api_token.create").count(), 1);
    let by_token = events
        .iter()
        .filter(|e| s(e, "/transaction/detail/requestApiTokenId") == API_TOKEN_ID)
        .count();
    assert!(by_token >= 3);
    let replayed = events
        .iter()
        .filter(|e| {
            s(e, "/authenticationContext/externalSessionId") == VICTIM_SESSION
                && s(e, "/client/ipAddress") == ATTACKER_IP
        })
        .count();
    assert_eq!(replayed, 2);

    // The victim's keep-alives continue from home while the attacker works.
    let attack_start = of_type(events, "user.session.start")
        .find(|e| s(e, "/client/ipAddress") == ATTACKER_IP)
        .map(|e| s(e, "/published"));
    let keepalives_during = events
        .iter()
        .filter(|e| {
            s(e, "/actor/alternateId") == "jane.doe@acme.com"
                && s(e, "/client/userAgent/rawUserAgent").contains("Jamf")
        })
        .filter(|e| {
            s(e, "/client/ipAddress") == VICTIM_HOME_IP && Some(s(e, "/published")) > attack_start
        })
        .count();
    assert!(
        keepalives_during >= 10,
        "{keepalives_during} keep-alives during the attack"
    );

    // MFA fatigue: >= 5 denials within 10 minutes, then a success.
    let denials: Vec<_> = of_type(events, "user.mfa.okta_verify.deny_push")
        .map(|e| s(e, "/published"))
        .collect();
    assert!(denials.len() >= 5);
    let span = chrono::DateTime::parse_from_rfc3339(denials[denials.len() - 1]).expect("time")
        - chrono::DateTime::parse_from_rfc3339(denials[0]).expect("time");
    assert!(span.num_minutes() < 10, "{span}");
    assert!(
        of_type(events, "user.session.start")
            .any(|e| s(e, "/authenticationContext/externalSessionId") == FATIGUE_SESSION)
    );
}

#[test]
fn events_cap_counts_the_story_and_keeps_it() {
    let (full, _, _) = sample();
    let (capped, buf) = generate(&args(8, 5, 3, Some(1_500)));
    assert!(full.events > 1_500);
    assert_eq!(capped.events, 1_500);
    check_story(&parse(&buf));
    let (tiny, buf) = generate(&args(8, 5, 3, Some(5)));
    assert!(tiny.events > 5, "the story is never cut");
    check_story(&parse(&buf));
}

#[test]
fn short_periods_and_tiny_tenants_still_tell_the_story() {
    for days in [1, 2, 3] {
        let (_, buf) = generate(&args(1, days, 9, None));
        let events = parse(&buf);
        check_story(&events);
        let published: Vec<_> = events.iter().map(|e| s(e, "/published")).collect();
        assert!(published.windows(2).all(|w| w[0] <= w[1]));
    }
}

#[test]
fn fixed_names_and_ids_are_well_formed() {
    use super::geo::{self, CITIES};
    for (index, name) in [
        (geo::SAN_FRANCISCO, "San Francisco"),
        (geo::LONDON, "London"),
        (geo::DUBLIN, "Dublin"),
        (geo::BERLIN, "Berlin"),
        (geo::BENGALURU, "Bengaluru"),
        (geo::BUCHAREST, "Bucharest"),
        (geo::SAN_JOSE_CR, "San Jose"),
    ] {
        assert_eq!(CITIES[index].name, name);
    }
    for c in CAST {
        assert!(c.id.len() == 20 && c.id.starts_with("00u"), "{}", c.id);
    }
    for id in [SUPPORT_ID, FOOTHOLD_ID, CREATED_ID, API_TOKEN_ID] {
        assert_eq!(id.len(), 20, "{id}");
    }
    for session in [
        VICTIM_SESSION,
        VICTIM_JAMF_SESSION,
        ADMIN_SESSION,
        SUPPORT_SESSION,
        ATTACKER_SESSION,
        FATIGUE_SESSION,
    ] {
        assert!(
            session.len() == 25 && session.starts_with("102"),
            "{session}"
        );
    }
    assert_eq!(CAST[VICTIM].login, "jane.doe@acme.com");
}
