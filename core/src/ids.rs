//! Identifiers that are parsed once at the boundary and trusted afterwards.
//!
//! Three macros declare them, so every newtype has the same shape:
//! `string_newtype!` (any text made only by its `parse`), `short_id!` (1–40 characters
//! of `a-z 0-9 -`, safe in storage keys) and `bounded_u32!` (a number in `MIN..=MAX`).

use std::ops::RangeInclusive;

/// Why a string was refused as an identifier or bounded text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    #[error("{what} must be between {min} and {max} characters")]
    Length {
        what: &'static str,
        min: usize,
        max: usize,
    },
    #[error("{what} may only contain {allowed}")]
    Charset {
        what: &'static str,
        allowed: &'static str,
    },
    #[error("{what} is not valid: {why}")]
    Invalid {
        what: &'static str,
        why: &'static str,
    },
}

impl ParseError {
    /// `Ok` when `len` (in the unit the caller counts: bytes or characters) is within
    /// `allowed`, else a [`ParseError::Length`] naming its bounds.
    pub(crate) fn check_length(
        what: &'static str,
        len: usize,
        allowed: RangeInclusive<usize>,
    ) -> Result<(), Self> {
        if allowed.contains(&len) {
            Ok(())
        } else {
            Err(Self::Length {
                what,
                min: *allowed.start(),
                max: *allowed.end(),
            })
        }
    }

    /// `Ok` for a shared signing secret: `allowed` bytes of printable ASCII without spaces.
    pub(crate) fn check_secret(
        what: &'static str,
        raw: &str,
        allowed: RangeInclusive<usize>,
    ) -> Result<(), Self> {
        Self::check_length(what, raw.len(), allowed)?;
        if raw.bytes().all(|b| b.is_ascii_graphic()) {
            Ok(())
        } else {
            Err(Self::Charset {
                what,
                allowed: "printable ASCII without spaces",
            })
        }
    }
}

/// The characters of [`MemberId`] and other values named in storage keys.
pub(crate) const KEY_SAFE_CHARS: &str = "letters, digits and _ . : @ -";

/// Whether `b` is one of [`KEY_SAFE_CHARS`]: `A-Z a-z 0-9 _ . : @ -`, never `/`.
pub(crate) fn is_key_safe(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b':' | b'@' | b'-')
}

/// Declares a newtype over `String` that is made only by its `parse` fn, which the caller
/// writes next to it: `impl Name { pub fn parse(raw: &str) -> Result<Self, ParseError> }`.
///
/// ```text
/// string_newtype! {
///     /// Docs, and any extra attributes such as #[derive(PartialOrd, Ord)].
///     pub struct Name;    // or: pub struct Name<const MIN: usize, const MAX: usize>;
/// }
/// ```
///
/// The struct derives `Debug, Clone, PartialEq, Eq, Hash` and serde as a string
/// (`try_from = "String", into = "String"`, so deserialising parses), and gets `as_str`,
/// `TryFrom<String>` (through `parse`), `From<Name> for String` and `Display`.
macro_rules! string_newtype {
    // With const parameters (`BoundedText`): its API schema is written by hand, bounds and all.
    (
        $(#[$meta:meta])*
        $vis:vis struct $name:ident<$(const $param:ident: $pty:ty),+>;
    ) => {
        $crate::ids::string_newtype! {
            @define []
            $(#[$meta])*
            $vis struct $name<$(const $param: $pty),+>;
        }
    };
    (
        $(#[$meta:meta])*
        $vis:vis struct $name:ident;
    ) => {
        $crate::ids::string_newtype! {
            @define [#[cfg_attr(feature = "openapi", derive(::utoipa::ToSchema))]]
            $(#[$meta])*
            $vis struct $name;
        }
    };
    (
        @define [$($schema:tt)*]
        $(#[$meta:meta])*
        $vis:vis struct $name:ident $(<$(const $param:ident: $pty:ty),+>)?;
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, ::serde::Serialize, ::serde::Deserialize)]
        $($schema)*
        #[serde(try_from = "String", into = "String")]
        $vis struct $name$(<$(const $param: $pty),+>)?(String);

        impl$(<$(const $param: $pty),+>)? $name$(<$($param),+>)? {
            /// The text, as parsed.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl$(<$(const $param: $pty),+>)? ::std::convert::TryFrom<String>
            for $name$(<$($param),+>)?
        {
            type Error = $crate::ids::ParseError;
            fn try_from(raw: String) -> Result<Self, Self::Error> {
                Self::parse(&raw)
            }
        }

        impl$(<$(const $param: $pty),+>)? ::std::convert::From<$name$(<$($param),+>)?>
            for String
        {
            fn from(value: $name$(<$($param),+>)?) -> Self {
                value.0
            }
        }

        impl$(<$(const $param: $pty),+>)? ::std::fmt::Display for $name$(<$($param),+>)? {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}
pub(crate) use string_newtype;

/// The longest `short_id!`, in characters.
pub const SHORT_ID_MAX_LEN: usize = 40;

/// What a `short_id!` may contain besides `a-z` and `0-9`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum IdChars {
    /// `-` (the default).
    Hyphens,
    /// `_` and `-`.
    HyphensAndUnderscores,
}

/// The checks of every `short_id!`: 1–`SHORT_ID_MAX_LEN` characters of `a-z`, `0-9`
/// and what `chars` allows.
pub(crate) fn parse_short_id(
    raw: &str,
    what: &'static str,
    chars: IdChars,
) -> Result<String, ParseError> {
    ParseError::check_length(what, raw.len(), 1..=SHORT_ID_MAX_LEN)?;
    let (underscore, allowed) = match chars {
        IdChars::Hyphens => (false, "lowercase letters, digits and hyphens"),
        IdChars::HyphensAndUnderscores => (true, "lowercase letters, digits, _ and -"),
    };
    let ok = |b: u8| {
        b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || (underscore && b == b'_')
    };
    if !raw.bytes().all(ok) {
        return Err(ParseError::Charset { what, allowed });
    }
    Ok(raw.to_owned())
}

/// Declares a short id: a `string_newtype!` of 1–40 characters of `a-z`, `0-9` and `-`
/// (and `_` with `IdChars::HyphensAndUnderscores`), safe in storage keys and URLs, ordered,
/// with `MAX_LEN` and `parse`.
///
/// `short_id!(/// docs
///     Name, "a name id" [, HyphensAndUnderscores]);` where the string names the id in errors.
macro_rules! short_id {
    ($(#[$meta:meta])* $name:ident, $what:literal, $chars:ident) => {
        $crate::ids::string_newtype! {
            $(#[$meta])*
            #[derive(PartialOrd, Ord)]
            pub struct $name;
        }

        impl $name {
            pub const MAX_LEN: usize = $crate::ids::SHORT_ID_MAX_LEN;

            pub fn parse(raw: &str) -> Result<Self, $crate::ids::ParseError> {
                $crate::ids::parse_short_id(raw, $what, $crate::ids::IdChars::$chars).map(Self)
            }
        }
    };
    ($(#[$meta:meta])* $name:ident, $what:literal) => {
        $crate::ids::short_id!($(#[$meta])* $name, $what, Hyphens);
    };
}
pub(crate) use short_id;

/// The API document's schema of a type that travels as a string (see `openapi/`).
#[cfg(feature = "openapi")]
pub(crate) fn string_schema(
    description: &str,
    example: &str,
) -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
    utoipa::openapi::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::String)
        .description(Some(description))
        .examples([example])
        .into()
}

/// Declares a `u32` newtype bounded to `MIN..=MAX`, parsed through `new`/`TryFrom<u32>`
/// (and so through serde).
macro_rules! bounded_u32 {
    ($(#[$meta:meta])* $name:ident, $min:expr, $max:expr, $what:literal, $why:literal) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash,
            ::serde::Serialize, ::serde::Deserialize,
        )]
        #[serde(try_from = "u32", into = "u32")]
        pub struct $name(u32);

        impl $name {
            pub const MIN: u32 = $min;
            pub const MAX: u32 = $max;

            pub fn new(n: u32) -> Result<Self, $crate::ids::ParseError> {
                if (Self::MIN..=Self::MAX).contains(&n) {
                    Ok(Self(n))
                } else {
                    Err($crate::ids::ParseError::Invalid { what: $what, why: $why })
                }
            }

            pub fn get(self) -> u32 {
                self.0
            }
        }

        /// In the API document: an integer in `MIN..=MAX`.
        #[cfg(feature = "openapi")]
        impl ::utoipa::PartialSchema for $name {
            fn schema() -> ::utoipa::openapi::RefOr<::utoipa::openapi::schema::Schema> {
                ::utoipa::openapi::ObjectBuilder::new()
                    .schema_type(::utoipa::openapi::schema::Type::Integer)
                    .minimum(Some($min))
                    .maximum(Some($max))
                    .description(Some(format!("{}: {} to {}", $what, $min, $max)))
                    .into()
            }
        }

        #[cfg(feature = "openapi")]
        impl ::utoipa::ToSchema for $name {}

        impl ::std::convert::TryFrom<u32> for $name {
            type Error = $crate::ids::ParseError;
            fn try_from(n: u32) -> Result<Self, Self::Error> {
                Self::new(n)
            }
        }

        impl ::std::convert::From<$name> for u32 {
            fn from(v: $name) -> u32 {
                v.0
            }
        }
    };
}
pub(crate) use bounded_u32;

string_newtype! {
    /// The short name of a community, used in URLs, the embed tag and storage names:
    /// 3–32 characters of `a-z`, `0-9` and single inner hyphens (`acme`, `pop-mart-cn`).
    #[derive(PartialOrd, Ord)]
    pub struct CommunitySlug;
}

impl CommunitySlug {
    pub const MIN_LEN: usize = 3;
    pub const MAX_LEN: usize = 32;

    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        const WHAT: &str = "a community slug";
        ParseError::check_length(WHAT, raw.len(), Self::MIN_LEN..=Self::MAX_LEN)?;
        if !raw
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        {
            return Err(ParseError::Charset {
                what: WHAT,
                allowed: "lowercase letters, digits and hyphens",
            });
        }
        if raw.starts_with('-') || raw.ends_with('-') || raw.contains("--") {
            return Err(ParseError::Invalid {
                what: WHAT,
                why: "hyphens go between letters or digits, one at a time",
            });
        }
        Ok(Self(raw.to_owned()))
    }
}

string_newtype! {
    /// A member, as the brand's SSO token names them (`sub`): 1–64 characters of
    /// `A-Z a-z 0-9 _ . : @ -`. Never contains `/`, so it is safe inside storage keys.
    #[derive(PartialOrd, Ord)]
    pub struct MemberId;
}

impl MemberId {
    pub const MAX_LEN: usize = 64;

    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        const WHAT: &str = "a member id";
        ParseError::check_length(WHAT, raw.len(), 1..=Self::MAX_LEN)?;
        if !raw.bytes().all(is_key_safe) {
            return Err(ParseError::Charset {
                what: WHAT,
                allowed: KEY_SAFE_CHARS,
            });
        }
        Ok(Self(raw.to_owned()))
    }
}

string_newtype! {
    /// One of the brand's own member segments, as its SSO token's `tags` carry them (`vip`,
    /// `高级会员`): 1–40 characters, trimmed and lower-cased, no `/` or control characters.
    /// Lower-casing at the boundary makes matching case-insensitive.
    #[derive(PartialOrd, Ord)]
    pub struct BrandTag;
}

impl BrandTag {
    pub const MAX_LEN: usize = 40;

    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        const WHAT: &str = "a brand tag";
        let tag = raw.trim().to_lowercase();
        ParseError::check_length(WHAT, tag.chars().count(), 1..=Self::MAX_LEN)?;
        if tag.chars().any(|c| c.is_control() || c == '/') {
            return Err(ParseError::Invalid {
                what: WHAT,
                why: "it contains `/` or control characters",
            });
        }
        Ok(Self(tag))
    }
}

string_newtype! {
    /// Trimmed text of a bounded length in characters (not bytes: 圈子 is two).
    /// `MIN` of 0 allows empty text.
    pub struct BoundedText<const MIN: usize, const MAX: usize>;
}

impl<const MIN: usize, const MAX: usize> BoundedText<MIN, MAX> {
    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        let text = raw.trim();
        ParseError::check_length("the text", text.chars().count(), MIN..=MAX)?;
        if text
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t')
        {
            return Err(ParseError::Invalid {
                what: "the text",
                why: "it contains control characters",
            });
        }
        Ok(Self(text.to_owned()))
    }
}

/// In the API document: `Text_{MIN}_{MAX}`, a string of `MIN..=MAX` characters.
#[cfg(feature = "openapi")]
impl<const MIN: usize, const MAX: usize> utoipa::PartialSchema for BoundedText<MIN, MAX> {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .min_length(Some(MIN))
            .max_length(Some(MAX))
            .description(Some(format!(
                "Text of {MIN} to {MAX} characters (not bytes), trimmed; no control characters but newlines and tabs."
            )))
            .into()
    }
}

#[cfg(feature = "openapi")]
impl<const MIN: usize, const MAX: usize> utoipa::ToSchema for BoundedText<MIN, MAX> {
    fn name() -> std::borrow::Cow<'static, str> {
        std::borrow::Cow::Owned(format!("Text_{MIN}_{MAX}"))
    }
}

/// Text that may be empty defaults to empty.
impl<const MAX: usize> Default for BoundedText<0, MAX> {
    fn default() -> Self {
        Self(String::new())
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn community_slug_table() {
        let cases: &[(&str, bool)] = &[
            ("demo", true),
            ("pop-mart-cn", true),
            ("a1b", true),
            ("abcdefghijklmnopqrstuvwxyz012345", true),
            ("ab", false),
            ("abcdefghijklmnopqrstuvwxyz0123456", false),
            ("Demo", false),
            ("-demo", false),
            ("demo-", false),
            ("de--mo", false),
            ("de mo", false),
            ("圈子圈子", false),
            ("demo/../x", false),
        ];
        for &(raw, ok) in cases {
            assert_eq!(CommunitySlug::parse(raw).is_ok(), ok, "{raw:?}");
        }
    }

    #[test]
    fn member_id_table() {
        let cases: &[(&str, bool)] = &[
            ("u_42", true),
            ("wx:oA1b2C3", true),
            ("a@b.example", true),
            ("", false),
            ("a/b", false),
            ("with space", false),
            ("会员", false),
        ];
        for &(raw, ok) in cases {
            assert_eq!(MemberId::parse(raw).is_ok(), ok, "{raw:?}");
        }
        assert!(MemberId::parse(&"x".repeat(64)).is_ok());
        assert!(MemberId::parse(&"x".repeat(65)).is_err());
    }

    #[test]
    fn brand_tags_are_trimmed_and_lower_cased() {
        let cases: &[(&str, Option<&str>)] = &[
            (" VIP ", Some("vip")),
            ("高级会员", Some("高级会员")),
            ("Gold Member", Some("gold member")),
            ("", None),
            ("   ", None),
            ("a/b", None),
            ("a\u{7}", None),
            (&"x".repeat(41), None),
        ];
        for &(raw, want) in cases {
            assert_eq!(
                BrandTag::parse(raw).ok().as_ref().map(BrandTag::as_str),
                want,
                "{raw:?}"
            );
        }
    }

    #[test]
    fn community_slug_deserialises_only_when_valid() {
        assert!(serde_json::from_str::<CommunitySlug>("\"demo\"").is_ok());
        assert!(serde_json::from_str::<CommunitySlug>("\"NO\"").is_err());
    }

    #[test]
    fn bounded_text_counts_characters_and_trims() {
        type Name = BoundedText<1, 4>;
        assert_eq!(
            Name::parse("  圈子圈子 ").map(String::from),
            Ok("圈子圈子".to_owned())
        );
        assert!(Name::parse("圈子圈子圈").is_err());
        assert!(Name::parse("   ").is_err());
        assert!(Name::parse("a\u{0}b").is_err());
    }

    proptest! {
        #[test]
        fn parsed_slugs_round_trip(raw in "[a-z0-9-]{0,40}") {
            if let Ok(slug) = CommunitySlug::parse(&raw) {
                prop_assert_eq!(slug.as_str(), raw.as_str());
                let json = serde_json::to_string(&slug).unwrap();
                prop_assert_eq!(serde_json::from_str::<CommunitySlug>(&json).unwrap(), slug);
            }
        }

        /// Any text at all (URL paths carry whatever a client sends): a slug exactly when
        /// the documented rule holds, never a panic.
        #[test]
        fn slugs_are_exactly_the_rule(raw in prop_oneof!["[a-z0-9-]{0,40}", "[a-zA-Z0-9_.-]{0,40}", ".{0,40}", any::<String>()]) {
            let rule = (3..=32).contains(&raw.len())
                && raw.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                && !raw.starts_with('-')
                && !raw.ends_with('-')
                && !raw.contains("--");
            prop_assert_eq!(CommunitySlug::parse(&raw).is_ok(), rule, "{:?}", raw);
        }

        /// A member id (the brand's `sub`) is 1–64 key-safe bytes: never `/`, never a
        /// character that could reach outside its storage key.
        #[test]
        fn member_ids_are_key_safe(raw in prop_oneof!["[A-Za-z0-9_.:@-]{0,70}", ".{0,70}", any::<String>()]) {
            let rule = (1..=MemberId::MAX_LEN).contains(&raw.len()) && raw.bytes().all(is_key_safe);
            prop_assert_eq!(MemberId::parse(&raw).is_ok(), rule, "{:?}", raw);
            if let Ok(id) = MemberId::parse(&raw) {
                prop_assert!(!id.as_str().contains('/'));
            }
        }

        /// Bounded text counts characters of the trimmed text (圈 is one, not three bytes),
        /// refuses control characters but newlines and tabs, and parses its own output again.
        #[test]
        fn bounded_text_counts_trimmed_characters(
            raw in prop_oneof!["[ \\t\\n]{0,3}[a-z圈😀\\n]{0,70}[ \\t\\n]{0,3}", any::<String>()],
        ) {
            type Text = BoundedText<1, 60>;
            let trimmed = raw.trim();
            let rule = (1..=60).contains(&trimmed.chars().count())
                && !trimmed.chars().any(|c| c.is_control() && c != '\n' && c != '\t');
            let parsed = Text::parse(&raw);
            prop_assert_eq!(parsed.is_ok(), rule, "{:?}", raw);
            if let Ok(text) = parsed {
                prop_assert_eq!(text.as_str(), trimmed);
                prop_assert_eq!(Text::parse(text.as_str()), Ok(text.clone()));
            }
        }
    }
}
