//! The org's fixed furniture: apps, groups, user agents, and Okta's own
//! principal. Ids are constants so they stay the same for every seed.

pub struct App {
    pub label: &'static str,
    pub id: &'static str,
    /// `SAML_2_0` or `OPENID_CONNECT`; OIDC sign-ins also grant tokens.
    pub sign_on: &'static str,
    /// The app's name in SSO URLs.
    pub slug: &'static str,
    /// How often people open it, relative to the other everyday apps.
    pub weight: u32,
    /// Share of this app's SSO events Okta logs from the app's own servers
    /// rather than the user's address (per mille).
    pub service_ip_permille: u32,
}

const fn app(
    label: &'static str,
    id: &'static str,
    sign_on: &'static str,
    slug: &'static str,
    weight: u32,
    service_ip_permille: u32,
) -> App {
    App {
        label,
        id,
        sign_on,
        slug,
        weight,
        service_ip_permille,
    }
}

pub const SAML: &str = "SAML_2_0";
pub const OIDC: &str = "OPENID_CONNECT";

pub const GOOGLE_WORKSPACE: usize = 0;
pub const SLACK: usize = 1;
pub const SALESFORCE: usize = 2;
pub const ZOOM: usize = 3;
pub const GITHUB: usize = 4;
pub const ATLASSIAN: usize = 5;
pub const INTRANET: usize = 7;
/// Apps people open during the day; everything before this index.
pub const EVERYDAY_APPS: usize = 8;
pub const DASHBOARD: usize = 8;
pub const ADMIN_CONSOLE: usize = 9;
pub const JAMF_CONNECT: usize = 10;
pub const GLOBALPROTECT: usize = 11;

#[rustfmt::skip]
pub static APPS: &[App] = &[
    app("Google Workspace", "0oaE71Lhfe8L6HLVy5Br", SAML, "google", 26, 700),
    app("Slack", "0oa215dewC1zcJFIyqes", SAML, "slack", 20, 0),
    app("Salesforce", "0oaBhPT0MPaIrlh9dZMl", SAML, "salesforce", 8, 0),
    app("Zoom", "0oa65o6mSmCgP2Kty7Xo", OIDC, "zoom", 14, 0),
    app("GitHub", "0oa5ziREDUTnAcJ42GeN", SAML, "github", 8, 0),
    app("Atlassian Cloud", "0oai5SeT6ohtERnanmdG", SAML, "atlassian", 12, 0),
    app("Workday", "0oahIXHF4CEayKfatohX", SAML, "workday", 4, 0),
    app("Acme Intranet", "0oaEIzeHkRNN3eQ2Pkph", OIDC, "oidc_client", 8, 0),
    app("Okta Dashboard", "0oa4dWYAUJkdFvpUWFt9", OIDC, "okta_enduser", 0, 0),
    app("Okta Admin Console", "0oag8fLzygLBrVBpne8w", OIDC, "saasure", 0, 0),
    app("Jamf Connect", "0oav5M3T79EaOHrC4ooC", OIDC, "oidc_client", 0, 0),
    app("GlobalProtect VPN", "0oatxgzTY0HK7HUyMhNF", SAML, "panw_globalprotect", 0, 0),
];

/// The OIDC client service accounts use to fetch tokens.
pub const AUTOMATION_CLIENT_ID: &str = "0oal7irat0ZKUKgwMbwW";
/// The directory integration that imports users from Active Directory.
pub const AD_DIRECTORY_ID: &str = "0oa6TEjREwCc9nMayZNX";
/// The org authorization server that issues tokens.
pub const ORG_AUTH_SERVER: &str = "ausKlPT6fccys8rbhtfT";

/// Okta itself, as it appears on maintenance jobs and support actions.
pub const SYSTEM_ID: &str = "0oaX4sPTSz63FyR05XMS";
pub const SYSTEM_LOGIN: &str = "system@okta.com";
pub const SYSTEM_NAME: &str = "Okta System";

pub struct Group {
    pub name: &'static str,
    pub id: &'static str,
}

pub const ENGINEERING: usize = 1;
pub const ADMINS_GROUP: usize = 3;
pub const VPN_USERS: usize = 4;
/// The group rule that puts engineers from Active Directory in Engineering.
pub const ENGINEERING_RULE_ID: &str = "0pr7Hq2LmKd9WcR4x5d7";
#[rustfmt::skip]
pub static GROUPS: &[Group] = &[
    Group { name: "Everyone", id: "00gxW0Ckv17XnURPjf3f" },
    Group { name: "Engineering", id: "00gUAY55KvQ4MyN88GuY" },
    Group { name: "Sales", id: "00gzagxTCrZdXyMKIcJj" },
    Group { name: "Okta Administrators", id: "00gpGFnsVxs7fe4l1Bze" },
    Group { name: "VPN Users", id: "00gBe04JE3e4V2Tl4wfh" },
    Group { name: "Contractors", id: "00gGvdy8KXUAAufOuPqc" },
    Group { name: "Slack Power Users", id: "00g66GrmrqtTK3HFF63p" },
];

/// A user agent as Okta splits it.
pub struct Agent {
    pub raw: &'static str,
    pub os: &'static str,
    pub browser: &'static str,
}

const fn agent(raw: &'static str, os: &'static str, browser: &'static str) -> Agent {
    Agent { raw, os, browser }
}

#[rustfmt::skip]
pub static MAC_BROWSERS: &[Agent] = &[
    agent("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36", "Mac OS X", "CHROME"),
    agent("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/121.0.0.0 Safari/537.36", "Mac OS X", "CHROME"),
    agent("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.3.1 Safari/605.1.15", "Mac OS X", "SAFARI"),
    agent("Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:123.0) Gecko/20100101 Firefox/123.0", "Mac OS X", "FIREFOX"),
];

#[rustfmt::skip]
pub static WINDOWS_BROWSERS: &[Agent] = &[
    agent("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36", "Windows 10", "CHROME"),
    agent("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36 Edg/122.0.2365.80", "Windows 10", "EDGE_CHROMIUM"),
];

pub static LINUX_BROWSERS: &[Agent] = &[agent(
    "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:123.0) Gecko/20100101 Firefox/123.0",
    "Linux",
    "FIREFOX",
)];

/// Jamf Connect's background check of the Okta password and session.
pub static JAMF_AGENT: Agent = agent(
    "JamfConnect/2.32.0 CFNetwork/1494.0.7 Darwin/23.4.0",
    "Mac OS X",
    "UNKNOWN",
);

#[rustfmt::skip]
pub static AUTOMATION_AGENTS: &[Agent] = &[
    agent("okta-sdk-python/2.9.5 python/3.11.8 Linux/5.10.210-201.852.amzn2.x86_64", "Linux", "UNKNOWN"),
    agent("terraform-provider-okta/4.8.0 go/1.21.6 linux/amd64", "Linux", "UNKNOWN"),
    agent("python-requests/2.31.0", "Unknown", "UNKNOWN"),
];
