//! Places and networks: the static tables every generated IP points into.
//!
//! Coordinates are city centres; offsets are the ones in force in March
//! (when the default period falls), held fixed because a tenant spanning a
//! DST change would only shift working hours by an hour.

pub struct City {
    pub name: &'static str,
    pub state: &'static str,
    pub country: &'static str,
    pub postal: &'static str,
    pub lat: f64,
    pub lon: f64,
    /// Local time minus UTC, in minutes.
    pub utc_offset_min: i64,
    /// Residential ISPs people here use (indexes into `ISPS`).
    pub isps: &'static [usize],
}

// A table row constructor: one argument per column reads best here.
#[allow(clippy::too_many_arguments)]
const fn city(
    name: &'static str,
    state: &'static str,
    country: &'static str,
    postal: &'static str,
    lat: f64,
    lon: f64,
    utc_offset_min: i64,
    isps: &'static [usize],
) -> City {
    City {
        name,
        state,
        country,
        postal,
        lat,
        lon,
        utc_offset_min,
        isps,
    }
}

const US: &str = "United States";
const US_ISPS: &[usize] = &[COMCAST, VERIZON, ATT, CHARTER];

pub const SAN_FRANCISCO: usize = 0;
pub const NEW_YORK: usize = 1;
pub const AUSTIN: usize = 2;
pub const CHICAGO: usize = 3;
pub const SEATTLE: usize = 4;
pub const DENVER: usize = 5;
pub const BOSTON: usize = 6;
pub const TORONTO: usize = 7;
pub const LONDON: usize = 8;
pub const DUBLIN: usize = 9;
pub const BERLIN: usize = 10;
pub const BENGALURU: usize = 11;
pub const MOUNTAIN_VIEW: usize = 12;
pub const THE_DALLES: usize = 13;
pub const ASHBURN: usize = 14;
pub const BOARDMAN: usize = 15;
pub const COUNCIL_BLUFFS: usize = 16;
pub const BOYDTON: usize = 17;
pub const BUCHAREST: usize = 18;
pub const FRANKFURT: usize = 19;
pub const SAN_JOSE_CR: usize = 20;

#[rustfmt::skip]
pub static CITIES: &[City] = &[
    city("San Francisco", "California", US, "94107", 37.7697, -122.3933, -420, US_ISPS),
    city("New York", "New York", US, "10001", 40.7484, -73.9967, -240, US_ISPS),
    city("Austin", "Texas", US, "78701", 30.2713, -97.7426, -300, US_ISPS),
    city("Chicago", "Illinois", US, "60601", 41.8858, -87.6181, -300, US_ISPS),
    city("Seattle", "Washington", US, "98101", 47.6101, -122.3344, -420, US_ISPS),
    city("Denver", "Colorado", US, "80202", 39.7525, -104.9995, -360, US_ISPS),
    city("Boston", "Massachusetts", US, "02108", 42.3576, -71.0636, -240, US_ISPS),
    city("Toronto", "Ontario", "Canada", "M5H", 43.6497, -79.3843, -240, &[ROGERS]),
    city("London", "England", "United Kingdom", "EC2V", 51.5142, -0.0931, 0, &[BT, VIRGIN]),
    city("Dublin", "Leinster", "Ireland", "D02", 53.3382, -6.2591, 0, &[EIR]),
    city("Berlin", "Land Berlin", "Germany", "10117", 52.5166, 13.3833, 60, &[TELEKOM]),
    city("Bengaluru", "Karnataka", "India", "560001", 12.9719, 77.5937, 330, &[JIO]),
    city("Mountain View", "California", US, "94043", 37.4043, -122.0748, -420, &[GOOGLE]),
    city("The Dalles", "Oregon", US, "97058", 45.5946, -121.1787, -420, &[GOOGLE]),
    city("Ashburn", "Virginia", US, "20149", 39.0481, -77.4728, -240, &[AWS]),
    city("Boardman", "Oregon", US, "97818", 45.8399, -119.7006, -420, &[AWS]),
    city("Council Bluffs", "Iowa", US, "51501", 41.2619, -95.8608, -300, &[GCP]),
    city("Boydton", "Virginia", US, "23917", 36.6676, -78.3875, -240, &[AZURE]),
    city("Bucharest", "Bucuresti", "Romania", "010011", 44.4354, 26.1033, 120, &[M247]),
    city("Frankfurt am Main", "Hesse", "Germany", "60313", 50.1155, 8.6842, 60, &[DIGITALOCEAN]),
    city("San Jose", "Provincia de San Jose", "Costa Rica", "10101", 9.9334, -84.0845, -360, &[ICE]),
];

/// Where human users live, with a weight: most of Acme is in the US.
pub static HOME_CITIES: &[(usize, u32)] = &[
    (SAN_FRANCISCO, 22),
    (NEW_YORK, 16),
    (AUSTIN, 12),
    (CHICAGO, 8),
    (SEATTLE, 8),
    (DENVER, 5),
    (BOSTON, 5),
    (TORONTO, 4),
    (LONDON, 10),
    (DUBLIN, 3),
    (BERLIN, 4),
    (BENGALURU, 3),
];

pub struct Isp {
    pub as_number: u32,
    pub as_org: &'static str,
    pub isp: &'static str,
    pub domain: &'static str,
    /// First two octets of the ranges this network's addresses come from.
    pub prefixes: &'static [(u8, u8)],
}

pub const COMCAST: usize = 0;
pub const VERIZON: usize = 1;
pub const ATT: usize = 2;
pub const CHARTER: usize = 3;
pub const ROGERS: usize = 4;
pub const BT: usize = 5;
pub const VIRGIN: usize = 6;
pub const EIR: usize = 7;
pub const TELEKOM: usize = 8;
pub const JIO: usize = 9;
pub const ZAYO: usize = 10;
pub const GOOGLE: usize = 11;
pub const AWS: usize = 12;
pub const GCP: usize = 13;
pub const AZURE: usize = 14;
pub const M247: usize = 15;
pub const DIGITALOCEAN: usize = 16;
pub const ICE: usize = 17;

const fn isp(
    as_number: u32,
    as_org: &'static str,
    isp: &'static str,
    domain: &'static str,
    prefixes: &'static [(u8, u8)],
) -> Isp {
    Isp {
        as_number,
        as_org,
        isp,
        domain,
        prefixes,
    }
}

#[rustfmt::skip]
pub static ISPS: &[Isp] = &[
    isp(7922, "comcast", "comcast cable communications llc", "comcast.net", &[(73, 15), (73, 92), (98, 207), (24, 5), (67, 180)]),
    isp(701, "verizon", "verizon business", "verizon.net", &[(71, 105), (108, 46), (96, 255), (100, 8)]),
    isp(7018, "at&t services inc.", "at&t internet services", "sbcglobal.net", &[(99, 18), (107, 77), (104, 5), (76, 212)]),
    isp(20115, "charter communications", "spectrum", "rr.com", &[(66, 75), (174, 106), (97, 93)]),
    isp(812, "rogers communications canada inc.", "rogers", "rogers.com", &[(99, 226), (174, 112)]),
    isp(2856, "british telecommunications plc", "bt", "btcentralplus.com", &[(86, 150), (81, 151), (109, 148)]),
    isp(5089, "virgin media limited", "virgin media", "virginm.net", &[(82, 13), (80, 194)]),
    isp(5466, "eircom limited", "eir", "eircom.net", &[(86, 40), (79, 97)]),
    isp(3320, "deutsche telekom ag", "deutsche telekom ag", "t-ipconnect.de", &[(79, 214), (91, 40), (87, 160)]),
    isp(55836, "reliance jio infocomm limited", "reliance jio", "jio.com", &[(49, 36), (49, 204), (106, 205)]),
    isp(6461, "zayo bandwidth", "zayo bandwidth", "zayo.com", &[(64, 125), (208, 185)]),
    isp(15169, "google llc", "google llc", "google.com", &[(74, 125), (209, 85)]),
    isp(16509, "amazon.com, inc.", "amazon.com", "amazonaws.com", &[(3, 84), (3, 91), (54, 87), (34, 212), (52, 19)]),
    isp(396982, "google llc", "google cloud", "googleusercontent.com", &[(34, 123), (35, 192), (35, 226)]),
    isp(8075, "microsoft corporation", "microsoft azure", "microsoft.com", &[(20, 42), (40, 76), (52, 168)]),
    isp(9009, "m247 europe srl", "m247 europe srl", "m247.com", &[(185, 247)]),
    isp(14061, "digitalocean, llc", "digitalocean", "digitalocean.com", &[(164, 92), (46, 101)]),
    isp(11830, "instituto costarricense de electricidad y telecom", "ice", "ice.go.cr", &[(201, 194)]),
];
