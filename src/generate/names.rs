//! Names for the generated people (the story's cast is fixed in story.rs).

pub static FIRST: &[&str] = &[
    "aaron", "abigail", "adam", "aisha", "alan", "alice", "amir", "ana", "andrew", "angela", "ben",
    "bianca", "carlos", "carmen", "chen", "chloe", "daniel", "diana", "dmitri", "elena", "emily",
    "eric", "fatima", "felix", "grace", "hannah", "hiro", "isaac", "ivan", "jack", "james",
    "jasmine", "jon", "julia", "karen", "kenji", "laura", "leo", "lina", "lucas", "maria", "mark",
    "maya", "mei", "michael", "nadia", "nathan", "nina", "noah", "olivia", "oscar", "paul",
    "rachel", "rahul", "rosa", "ryan", "sara", "sean", "sofia", "steven", "tara", "victor", "wei",
    "yusuf", "zoe",
];

pub static LAST: &[&str] = &[
    "adams", "ahmed", "alvarez", "anderson", "baker", "bauer", "bennett", "brown", "campbell",
    "carter", "chen", "clark", "collins", "cooper", "davis", "diaz", "edwards", "evans", "fischer",
    "flores", "garcia", "gonzalez", "gupta", "hall", "harris", "hughes", "ito", "jackson",
    "johnson", "kelly", "khan", "kim", "klein", "kowalski", "lee", "lopez", "martin", "mehta",
    "miller", "moore", "murphy", "nguyen", "novak", "obrien", "park", "perez", "price", "rossi",
    "russo", "sanchez", "schmidt", "singh", "smith", "sullivan", "tanaka", "taylor", "thomas",
    "turner", "walker", "wang", "watson", "weber", "white", "wilson", "wright", "young", "zhang",
];

/// `jane` -> `Jane`.
pub fn capitalize(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
