//! Marketer accounts, sessions and staff roles, kept by the directory (one writer for the
//! whole deployment, so emails and community slugs stay unique).
//!
//! Password hashing is here as pure functions, but the worker calls them outside the
//! directory object: hashing is deliberately slow and must not serialise every login of the
//! deployment behind one object. Salts and session tokens come in from the caller's random
//! source; nothing here draws randomness.
//!
//! Storage (directory object):
//! * `account/{email}` → [`Account`]
//! * `session/{sha256(token) hex}` → [`Session`]
//! * `staff/{email}/{slug}` → [`Role`]: an index of the communities a marketer can open, for
//!   the dashboard. The community's own object is the authority on its staff (see `app`); this
//!   index is written after it and only lists.

use std::fmt;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::{ApiError, ErrorCode};
use crate::ids::{BoundedText, CommunitySlug, ParseError, string_newtype};
use crate::store::{Batch, Store, get_json};
use crate::time::Timestamp;

string_newtype! {
    /// A marketer's email, trimmed and lower-cased: the account's identity.
    #[derive(PartialOrd, Ord)]
    pub struct Email;
}

impl Email {
    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        const WHAT: &str = "the email address";
        let email = raw.trim().to_lowercase();
        ParseError::check_length(WHAT, email.len(), 3..=254)?;
        let Some((local, domain)) = email.split_once('@') else {
            return Err(ParseError::Invalid {
                what: WHAT,
                why: "it needs an @",
            });
        };
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && domain
                .chars()
                .all(|c| c.is_alphanumeric() || c == '-' || c == '.');
        let local_ok = !local.is_empty()
            && !local
                .chars()
                .any(|c| c.is_whitespace() || c.is_control() || c == '/');
        if !domain_ok || !local_ok || domain.contains('@') {
            return Err(ParseError::Invalid {
                what: WHAT,
                why: "it should look like name@brand.com",
            });
        }
        Ok(Self(email))
    }
}

/// A password as typed: 10–200 characters. Never stored, never logged, never serialised.
#[derive(Clone, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "String")]
pub struct Password(String);

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(…)")
    }
}

impl Password {
    pub const MIN_CHARS: usize = 10;
    pub const MAX_CHARS: usize = 200;

    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        ParseError::check_length(
            "the password",
            raw.chars().count(),
            Self::MIN_CHARS..=Self::MAX_CHARS,
        )?;
        Ok(Self(raw.to_owned()))
    }

    fn as_bytes(&self) -> &[u8] {
        self.0.as_bytes()
    }
}

impl TryFrom<String> for Password {
    type Error = ParseError;
    fn try_from(raw: String) -> Result<Self, Self::Error> {
        Self::parse(&raw)
    }
}

pub type DisplayName = BoundedText<1, 60>;

/// Password hashing: Argon2id, 19 MiB of memory, 2 passes, 1 lane (the OWASP minimum for
/// Argon2id), as a PHC string. About 50–100 ms of CPU in a worker: slow for guessing,
/// within a paid worker's CPU budget, and run in the stateless worker, not in an object.
pub mod password {
    use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
    use argon2::{Algorithm, Argon2, Params, Version};

    use super::Password;

    pub const MEMORY_KIB: u32 = 19 * 1024;

    /// A well-formed hash of a password nobody has. Login verifies against it when the
    /// email is unknown, so a wrong email and a wrong password take the same time.
    pub const DECOY_PHC: &str = "$argon2id$v=19$m=19456,t=2,p=1$AAAAAAAAAAAAAAAAAAAAAA$KJ0eX1HfCQZ/LDd5Wr2eEmE06O+t5YyuQ5KqXi2E4bI";
    pub const PASSES: u32 = 2;
    pub const LANES: u32 = 1;

    fn hasher() -> Result<Argon2<'static>, String> {
        let params = Params::new(MEMORY_KIB, PASSES, LANES, None).map_err(|e| e.to_string())?;
        Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
    }

    /// The PHC string of `password` with `salt` (16 random bytes from the caller).
    pub fn hash(password: &Password, salt: &[u8; 16]) -> Result<String, String> {
        let salt = SaltString::encode_b64(salt).map_err(|e| e.to_string())?;
        hasher()?
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| e.to_string())
    }

    /// Whether `password` matches the stored PHC string (in constant time).
    pub fn verify(password: &Password, phc: &str) -> bool {
        let Ok(parsed) = PasswordHash::new(phc) else {
            return false;
        };
        hasher().is_ok_and(|h| h.verify_password(password.as_bytes(), &parsed).is_ok())
    }
}

/// A staff role in one community.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Owner,
    Admin,
    Moderator,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    pub email: Email,
    pub name: DisplayName,
    pub password_hash: String,
    pub created_at: Timestamp,
    /// Raised by each password change: sessions of an older epoch are no longer valid.
    #[serde(default)]
    pub session_epoch: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    pub email: Email,
    pub csrf: String,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
    /// The account's [`Account::session_epoch`] when the session started.
    #[serde(default)]
    pub epoch: u32,
}

/// How long a dashboard session lasts.
pub const SESSION_MILLIS: i64 = 14 * Timestamp::DAY;

/// Session tokens are stored only as their SHA-256, so a storage leak yields no sessions.
pub fn token_digest(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Random values the caller drew for this command.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewSession {
    /// The session token handed to the browser in an HttpOnly cookie (hex of 32 random bytes).
    pub token: String,
    /// The CSRF token the dashboard echoes in `x-csrf-token` (hex of 16 random bytes).
    pub csrf: String,
}

/// What the dashboard learns about who is signed in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Me {
    pub email: Email,
    pub name: String,
    pub csrf: String,
    pub communities: Vec<StaffOf>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffOf {
    pub slug: CommunitySlug,
    pub role: Role,
}

/// `POST /api/v1/auth/signup`.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(
    feature = "openapi",
    derive(utoipa::ToSchema),
    schema(as = MarketerSignUpRequest)
)]
#[serde(deny_unknown_fields)]
pub struct SignUpRequest {
    pub email: Email,
    pub name: DisplayName,
    pub password: Password,
}

/// `POST /api/v1/auth/login`.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub email: Email,
    pub password: Password,
}

/// `POST /api/v1/auth/password`: the current password (checked by the worker) and the new one.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ChangePasswordRequest {
    pub current: Password,
    pub new: Password,
}

/// Everything the directory object can be asked to do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum DirectoryCommand {
    /// Create an account (the worker hashed the password) and sign it in.
    SignUp {
        email: Email,
        name: DisplayName,
        password_hash: String,
        session: NewSession,
    },
    /// The stored hash, so the worker can verify a password outside the object.
    PasswordHash {
        email: Email,
    },
    /// Sign in an account whose password the worker verified.
    StartSession {
        email: Email,
        session: NewSession,
    },
    /// Who holds this session token.
    WhoIs {
        token: String,
    },
    EndSession {
        token: String,
    },
    /// Store a new password hash (the worker verified the current password and hashed the
    /// new one), end every session of the account, and start `session` in place of the
    /// session `token` that asked.
    ChangePassword {
        email: Email,
        password_hash: String,
        token: String,
        session: NewSession,
    },
    /// Record in the index that `email` is staff of `slug` (after the community agreed).
    IndexStaff {
        email: Email,
        slug: CommunitySlug,
        role: Role,
    },
    /// Drop `slug` from `email`'s index (after the community removed them from its team).
    UnindexStaff {
        email: Email,
        slug: CommunitySlug,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "body", rename_all = "snake_case")]
pub enum DirectoryReply {
    Me(Me),
    PasswordHash(Option<String>),
    Done,
}

fn unauthenticated() -> ApiError {
    ApiError::new(ErrorCode::Unauthenticated, "please sign in again")
}

async fn me(store: &impl Store, email: &Email, csrf: String) -> Result<Me, ApiError> {
    let account = get_json::<Account>(store, &format!("account/{email}"))
        .await?
        .ok_or_else(unauthenticated)?;
    let prefix = format!("staff/{email}/");
    let page = store.list(&prefix, None, 200).await?;
    let mut communities = Vec::with_capacity(page.entries.len());
    for (key, value) in page.entries {
        let slug = CommunitySlug::parse(&key[prefix.len()..]);
        let role = serde_json::from_str::<Role>(&value);
        if let (Ok(slug), Ok(role)) = (slug, role) {
            communities.push(StaffOf { slug, role });
        }
    }
    Ok(Me {
        email: account.email,
        name: account.name.to_string(),
        csrf,
        communities,
    })
}

fn session_batch(
    batch: &mut Batch,
    account: &Account,
    session: &NewSession,
    now: Timestamp,
) -> Result<(), ApiError> {
    let record = Session {
        email: account.email.clone(),
        csrf: session.csrf.clone(),
        created_at: now,
        expires_at: now.plus_millis(SESSION_MILLIS),
        epoch: account.session_epoch,
    };
    batch.put_json(format!("session/{}", token_digest(&session.token)), &record)?;
    Ok(())
}

/// Runs one directory command.
pub async fn handle_directory(
    store: &impl Store,
    command: DirectoryCommand,
    now: Timestamp,
) -> Result<DirectoryReply, ApiError> {
    match command {
        DirectoryCommand::SignUp {
            email,
            name,
            password_hash,
            session,
        } => {
            let key = format!("account/{email}");
            if store.get(&key).await?.is_some() {
                return Err(ApiError::new(
                    ErrorCode::Conflict,
                    "an account with this email already exists; sign in instead",
                ));
            }
            let account = Account {
                email: email.clone(),
                name,
                password_hash,
                created_at: now,
                session_epoch: 0,
            };
            let mut batch = Batch::new();
            batch.put_json(key, &account)?;
            session_batch(&mut batch, &account, &session, now)?;
            store.commit(batch).await?;
            Ok(DirectoryReply::Me(me(store, &email, session.csrf).await?))
        }
        DirectoryCommand::PasswordHash { email } => {
            let account = get_json::<Account>(store, &format!("account/{email}")).await?;
            Ok(DirectoryReply::PasswordHash(
                account.map(|a| a.password_hash),
            ))
        }
        DirectoryCommand::StartSession { email, session } => {
            let account = get_json::<Account>(store, &format!("account/{email}"))
                .await?
                .ok_or_else(unauthenticated)?;
            let mut batch = Batch::new();
            session_batch(&mut batch, &account, &session, now)?;
            store.commit(batch).await?;
            Ok(DirectoryReply::Me(me(store, &email, session.csrf).await?))
        }
        DirectoryCommand::WhoIs { token } => {
            let key = format!("session/{}", token_digest(&token));
            let session = get_json::<Session>(store, &key)
                .await?
                .ok_or_else(unauthenticated)?;
            let epoch = get_json::<Account>(store, &format!("account/{}", session.email))
                .await?
                .map(|a| a.session_epoch);
            if session.expires_at <= now || epoch != Some(session.epoch) {
                let mut batch = Batch::new();
                batch.delete(key);
                store.commit(batch).await?;
                return Err(unauthenticated());
            }
            Ok(DirectoryReply::Me(
                me(store, &session.email, session.csrf).await?,
            ))
        }
        DirectoryCommand::EndSession { token } => {
            let mut batch = Batch::new();
            batch.delete(format!("session/{}", token_digest(&token)));
            store.commit(batch).await?;
            Ok(DirectoryReply::Done)
        }
        DirectoryCommand::ChangePassword {
            email,
            password_hash,
            token,
            session,
        } => {
            let key = format!("account/{email}");
            let mut account = get_json::<Account>(store, &key)
                .await?
                .ok_or_else(unauthenticated)?;
            account.password_hash = password_hash;
            account.session_epoch = account.session_epoch.saturating_add(1);
            let mut batch = Batch::new();
            batch.put_json(key, &account)?;
            batch.delete(format!("session/{}", token_digest(&token)));
            session_batch(&mut batch, &account, &session, now)?;
            store.commit(batch).await?;
            Ok(DirectoryReply::Me(me(store, &email, session.csrf).await?))
        }
        DirectoryCommand::IndexStaff { email, slug, role } => {
            let mut batch = Batch::new();
            batch.put_json(format!("staff/{email}/{slug}"), &role)?;
            store.commit(batch).await?;
            Ok(DirectoryReply::Done)
        }
        DirectoryCommand::UnindexStaff { email, slug } => {
            let mut batch = Batch::new();
            batch.delete(format!("staff/{email}/{slug}"));
            store.commit(batch).await?;
            Ok(DirectoryReply::Done)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{MemoryStore, block_on};

    const NOW: Timestamp = Timestamp(1_790_000_000_000);

    fn email(s: &str) -> Email {
        Email::parse(s).unwrap()
    }

    fn session(n: u8) -> NewSession {
        NewSession {
            token: format!("token-{n}"),
            csrf: format!("csrf-{n}"),
        }
    }

    fn sign_up(store: &MemoryStore, who: &str, n: u8) -> Result<DirectoryReply, ApiError> {
        block_on(handle_directory(
            store,
            DirectoryCommand::SignUp {
                email: email(who),
                name: DisplayName::parse("Mia").unwrap(),
                password_hash: "phc".into(),
                session: session(n),
            },
            NOW,
        ))
    }

    #[test]
    fn email_table() {
        let cases: &[(&str, Option<&str>)] = &[
            (" Mia@Brand.Example ", Some("mia@brand.example")),
            ("a@b.cn", Some("a@b.cn")),
            ("no-at.example", None),
            ("a@b", None),
            ("a@.b.c", None),
            ("a b@c.de", None),
            ("a@b@c.de", None),
            ("@b.de", None),
        ];
        for &(raw, want) in cases {
            assert_eq!(
                Email::parse(raw).ok().map(String::from).as_deref(),
                want,
                "{raw:?}"
            );
        }
    }

    #[test]
    fn passwords_are_bounded_and_never_printed() {
        assert!(Password::parse("short").is_err());
        assert!(Password::parse("long enough pass").is_ok());
        assert!(Password::parse(&"x".repeat(201)).is_err());
        assert_eq!(
            format!("{:?}", Password::parse("long enough pass").unwrap()),
            "Password(…)"
        );
    }

    #[test]
    fn a_password_verifies_against_its_hash_only() {
        let right = Password::parse("correct horse battery").unwrap();
        let wrong = Password::parse("correct horse battery!").unwrap();
        let phc = password::hash(&right, &[7; 16]).unwrap();
        assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{phc}");
        assert!(password::verify(&right, &phc));
        assert!(!password::verify(&wrong, &phc));
        assert!(!password::verify(&right, "not a phc string"));
        assert_ne!(
            phc,
            password::hash(&right, &[8; 16]).unwrap(),
            "the salt matters"
        );
    }

    #[test]
    fn sign_up_creates_a_session_and_refuses_a_second_account() {
        let store = MemoryStore::new();
        let DirectoryReply::Me(me) = sign_up(&store, "mia@brand.example", 1).unwrap() else {
            panic!()
        };
        assert_eq!(me.csrf, "csrf-1");
        assert!(me.communities.is_empty());
        let err = sign_up(&store, "MIA@brand.example", 2).unwrap_err();
        assert_eq!(err.code, ErrorCode::Conflict);
        let who = block_on(handle_directory(
            &store,
            DirectoryCommand::WhoIs {
                token: "token-1".into(),
            },
            NOW,
        ))
        .unwrap();
        assert!(matches!(who, DirectoryReply::Me(m) if m.email.as_str() == "mia@brand.example"));
        let nobody = block_on(handle_directory(
            &store,
            DirectoryCommand::WhoIs {
                token: "token-2".into(),
            },
            NOW,
        ));
        assert_eq!(nobody.unwrap_err().code, ErrorCode::Unauthenticated);
    }

    #[test]
    fn sessions_expire_and_end() {
        let store = MemoryStore::new();
        sign_up(&store, "mia@brand.example", 1).unwrap();
        let later = NOW.plus_millis(SESSION_MILLIS);
        let expired = block_on(handle_directory(
            &store,
            DirectoryCommand::WhoIs {
                token: "token-1".into(),
            },
            later,
        ));
        assert_eq!(expired.unwrap_err().code, ErrorCode::Unauthenticated);

        sign_up(&store, "leo@brand.example", 2).unwrap();
        block_on(handle_directory(
            &store,
            DirectoryCommand::EndSession {
                token: "token-2".into(),
            },
            NOW,
        ))
        .unwrap();
        let ended = block_on(handle_directory(
            &store,
            DirectoryCommand::WhoIs {
                token: "token-2".into(),
            },
            NOW,
        ));
        assert_eq!(ended.unwrap_err().code, ErrorCode::Unauthenticated);
    }

    #[test]
    fn the_staff_index_lists_a_marketers_communities() {
        let store = MemoryStore::new();
        sign_up(&store, "mia@brand.example", 1).unwrap();
        let slug = CommunitySlug::parse("tea-club").unwrap();
        let index = DirectoryCommand::IndexStaff {
            email: email("mia@brand.example"),
            slug: slug.clone(),
            role: Role::Owner,
        };
        block_on(handle_directory(&store, index, NOW)).unwrap();
        let who = block_on(handle_directory(
            &store,
            DirectoryCommand::WhoIs {
                token: "token-1".into(),
            },
            NOW,
        ))
        .unwrap();
        let DirectoryReply::Me(me) = who else {
            panic!()
        };
        assert_eq!(
            me.communities,
            vec![StaffOf {
                slug: slug.clone(),
                role: Role::Owner
            }]
        );
        let unindex = DirectoryCommand::UnindexStaff {
            email: email("mia@brand.example"),
            slug,
        };
        block_on(handle_directory(&store, unindex, NOW)).unwrap();
        let DirectoryReply::Me(me) = who_is(&store, "token-1").unwrap() else {
            panic!()
        };
        assert!(me.communities.is_empty());
    }

    fn who_is(store: &MemoryStore, token: &str) -> Result<DirectoryReply, ApiError> {
        block_on(handle_directory(
            store,
            DirectoryCommand::WhoIs {
                token: token.into(),
            },
            NOW,
        ))
    }

    #[test]
    fn a_password_change_ends_every_other_session() {
        let store = MemoryStore::new();
        sign_up(&store, "mia@brand.example", 1).unwrap();
        let login = DirectoryCommand::StartSession {
            email: email("mia@brand.example"),
            session: session(2),
        };
        block_on(handle_directory(&store, login, NOW)).unwrap();
        assert!(who_is(&store, "token-2").is_ok());
        let change = DirectoryCommand::ChangePassword {
            email: email("mia@brand.example"),
            password_hash: "new phc".into(),
            token: "token-1".into(),
            session: session(3),
        };
        let DirectoryReply::Me(me) = block_on(handle_directory(&store, change, NOW)).unwrap()
        else {
            panic!()
        };
        assert_eq!(me.csrf, "csrf-3");
        for old in ["token-1", "token-2"] {
            assert_eq!(
                who_is(&store, old).unwrap_err().code,
                ErrorCode::Unauthenticated,
                "{old}"
            );
        }
        assert!(who_is(&store, "token-3").is_ok());
        let stored = block_on(handle_directory(
            &store,
            DirectoryCommand::PasswordHash {
                email: email("mia@brand.example"),
            },
            NOW,
        ))
        .unwrap();
        assert_eq!(stored, DirectoryReply::PasswordHash(Some("new phc".into())));
        // A later sign-in starts a session of the new epoch.
        let again = DirectoryCommand::StartSession {
            email: email("mia@brand.example"),
            session: session(4),
        };
        block_on(handle_directory(&store, again, NOW)).unwrap();
        assert!(who_is(&store, "token-4").is_ok());
    }

    #[test]
    fn session_tokens_are_stored_as_digests() {
        let store = MemoryStore::new();
        sign_up(&store, "mia@brand.example", 1).unwrap();
        assert!(block_on(store.get("session/token-1")).unwrap().is_none());
        assert!(
            block_on(store.get(&format!("session/{}", token_digest("token-1"))))
                .unwrap()
                .is_some()
        );
    }
}
