//! Summaries the worker computes for actor, session and IP views.
