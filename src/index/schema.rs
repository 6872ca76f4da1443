//! The case's tantivy schema: explicit fields for everything okhunt queries,
//! sorts or aggregates, and the original event stored whole.
//!
//! Field names are the names users type in queries (`actor:`, `ip:`), so the
//! query language and the index cannot drift apart. Pivot keys are
//! raw-tokenized (tantivy's `STRING`, without fieldnorms) and fast, which
//! makes term lookups exact and counts, top-N and histograms cheap.

use tantivy::schema::{
    DateOptions, DateTimePrecision, FAST, Field, INDEXED, IndexRecordOption, IpAddrOptions,
    NumericOptions, STORED, Schema, TextFieldIndexing, TextOptions,
};

/// Bump when the schema changes; a case built with another version is
/// refused with a message to rebuild it.
/// 3: no fieldnorms (nothing is scored: results are ordered by time).
pub const SCHEMA_VERSION: u32 = 3;

/// Every pivot/keyword field: (name, what it holds). Order is the order of
/// `okhunt search --help` and the README.
pub const KEYWORD_FIELDS: &[(&str, &str)] = &[
    ("uuid", "uuid (or okhunt-<hash> when the event had none)"),
    ("type", "eventType"),
    ("legacy_type", "legacyEventType"),
    ("severity", "severity"),
    ("actor", "actor.alternateId"),
    ("actor_id", "actor.id"),
    ("actor_name", "actor.displayName"),
    ("actor_type", "actor.type"),
    ("target", "target[].alternateId (every target)"),
    ("target_id", "target[].id"),
    ("target_name", "target[].displayName"),
    ("target_type", "target[].type"),
    ("target_user", "alternateId of the target of type User"),
    (
        "target_app",
        "displayName of the target of type AppInstance",
    ),
    ("session", "authenticationContext.externalSessionId"),
    ("root_session", "authenticationContext.rootSessionId"),
    ("credential", "authenticationContext.credentialType"),
    ("country", "client.geographicalContext.country"),
    ("state", "client.geographicalContext.state"),
    ("city", "client.geographicalContext.city"),
    ("zone", "client.zone"),
    ("ua", "client.userAgent.rawUserAgent"),
    ("os", "client.userAgent.os"),
    ("browser", "client.userAgent.browser"),
    ("device", "client.device"),
    ("client_id", "client.id (OAuth client)"),
    ("outcome", "outcome.result"),
    ("reason", "outcome.reason"),
    ("txn", "transaction.id"),
    ("txn_type", "transaction.type"),
    ("api_token", "transaction.detail.requestApiTokenId"),
    ("dthash", "debugContext.debugData.dtHash"),
    ("as_org", "securityContext.asOrg"),
    ("isp", "securityContext.isp"),
];

/// Handles to every field, looked up once.
#[derive(Clone, Debug)]
pub struct Fields {
    pub uuid: Field,
    pub published: Field,
    pub event_type: Field,
    pub legacy_type: Field,
    pub severity: Field,
    pub actor: Field,
    pub actor_id: Field,
    pub actor_name: Field,
    pub actor_type: Field,
    pub target: Field,
    pub target_id: Field,
    pub target_name: Field,
    pub target_type: Field,
    pub target_user: Field,
    pub target_app: Field,
    pub session: Field,
    pub root_session: Field,
    pub credential: Field,
    pub country: Field,
    pub state: Field,
    pub city: Field,
    pub zone: Field,
    pub ua: Field,
    pub os: Field,
    pub browser: Field,
    pub device: Field,
    pub client_id: Field,
    pub outcome: Field,
    pub reason: Field,
    pub txn: Field,
    pub txn_type: Field,
    pub api_token: Field,
    pub dthash: Field,
    pub as_org: Field,
    pub isp: Field,
    /// client.ipAddress, as an IP field (IPv4 mapped into IPv6).
    pub ip: Field,
    /// request.ipChain[].ip, every hop.
    pub ip_chain: Field,
    pub lat: Field,
    pub lon: Field,
    pub proxy: Field,
    /// Ingest batch number: hunts re-run only over batches they have not seen.
    pub batch: Field,
    /// displayMessage, tokenized: free words in a query match it.
    pub message: Field,
    /// debugData as `key=value` text, and outcome.reason, tokenized.
    pub debug: Field,
    /// The original event, compact JSON, stored only.
    pub source: Field,
}

pub fn build() -> (Schema, Fields) {
    let mut b = Schema::builder();
    // Raw-tokenized, indexed without frequencies or fieldnorms (results are
    // ordered by time, never scored: a fieldnorm is a byte per event per
    // field written, merged and kept for nothing), and fast.
    let kw = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer("raw")
            .set_index_option(IndexRecordOption::Basic)
            .set_fieldnorms(false),
    ) | FAST;
    let mut k = |name: &str| b.add_text_field(name, kw.clone());
    let uuid = k("uuid");
    let event_type = k("type");
    let legacy_type = k("legacy_type");
    let severity = k("severity");
    let actor = k("actor");
    let actor_id = k("actor_id");
    let actor_name = k("actor_name");
    let actor_type = k("actor_type");
    let target = k("target");
    let target_id = k("target_id");
    let target_name = k("target_name");
    let target_type = k("target_type");
    let target_user = k("target_user");
    let target_app = k("target_app");
    let session = k("session");
    let root_session = k("root_session");
    let credential = k("credential");
    let country = k("country");
    let state = k("state");
    let city = k("city");
    let zone = k("zone");
    let ua = k("ua");
    let os = k("os");
    let browser = k("browser");
    let device = k("device");
    let client_id = k("client_id");
    let outcome = k("outcome");
    let reason = k("reason");
    let txn = k("txn");
    let txn_type = k("txn_type");
    let api_token = k("api_token");
    let dthash = k("dthash");
    let as_org = k("as_org");
    let isp = k("isp");
    let published = b.add_date_field(
        "published",
        DateOptions::from(INDEXED | FAST | STORED).set_precision(DateTimePrecision::Milliseconds),
    );
    let ip = b.add_ip_addr_field("ip", IpAddrOptions::from(INDEXED | FAST));
    let ip_chain = b.add_ip_addr_field("ip_chain", IpAddrOptions::from(INDEXED));
    let lat = b.add_f64_field("lat", NumericOptions::from(FAST));
    let lon = b.add_f64_field("lon", NumericOptions::from(FAST));
    let proxy = b.add_bool_field("proxy", NumericOptions::from(INDEXED | FAST));
    let batch = b.add_u64_field("batch", NumericOptions::from(INDEXED | FAST));
    let words = |record| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer("default")
                .set_index_option(record)
                .set_fieldnorms(false),
        )
    };
    // Positions for phrases; no fieldnorms (never scored).
    let message = b.add_text_field("message", words(IndexRecordOption::WithFreqsAndPositions));
    let debug = b.add_text_field("debug", words(IndexRecordOption::Basic));
    let source = b.add_text_field("source", STORED);
    let schema = b.build();
    let fields = Fields {
        uuid,
        published,
        event_type,
        legacy_type,
        severity,
        actor,
        actor_id,
        actor_name,
        actor_type,
        target,
        target_id,
        target_name,
        target_type,
        target_user,
        target_app,
        session,
        root_session,
        credential,
        country,
        state,
        city,
        zone,
        ua,
        os,
        browser,
        device,
        client_id,
        outcome,
        reason,
        txn,
        txn_type,
        api_token,
        dthash,
        as_org,
        isp,
        ip,
        ip_chain,
        lat,
        lon,
        proxy,
        batch,
        message,
        debug,
        source,
    };
    (schema, fields)
}

impl Fields {
    /// Look the handles up in an opened index, refusing a schema that is not
    /// exactly this okhunt's (handles are positional).
    pub fn from_schema(schema: &Schema) -> Result<Fields, String> {
        let (want, fields) = build();
        if *schema == want {
            Ok(fields)
        } else {
            Err("the case's index schema differs from this okhunt's".to_string())
        }
    }
}
