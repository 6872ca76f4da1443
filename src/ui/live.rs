//! The live-tail indicator at the right of the top line: `● live 07:12:03
//! +12`, `● catching up`, or `tail stopped` (the reason is on the status
//! line).

use crate::app::msg::TailStatus;

/// The indicator's text; `None` without a tail.
pub fn text(tail: Option<&TailStatus>) -> Option<String> {
    let t = tail?;
    Some(if !t.running {
        "○ tail stopped".to_string()
    } else {
        match t.last_poll_ms {
            None => "● catching up".to_string(),
            Some(ms) => {
                let at = chrono::DateTime::from_timestamp_millis(ms)
                    .map(|d| d.format("%H:%M:%S").to_string())
                    .unwrap_or_default();
                if t.new > 0 {
                    format!("● live {at} +{}", t.new)
                } else {
                    format!("● live {at}")
                }
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states() {
        assert_eq!(text(None), None);
        let mut t = TailStatus {
            running: true,
            ..TailStatus::default()
        };
        assert_eq!(text(Some(&t)).as_deref(), Some("● catching up"));
        t.last_poll_ms = Some(1_710_000_000_000);
        t.new = 3;
        assert_eq!(text(Some(&t)).as_deref(), Some("● live 16:00:00 +3"));
        t.running = false;
        assert_eq!(text(Some(&t)).as_deref(), Some("○ tail stopped"));
    }
}
