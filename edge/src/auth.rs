//! Marketer sign-up, login, logout and sessions for the dashboard.
//!
//! The session is an HttpOnly, Secure, SameSite=Lax cookie holding a random token (stored
//! only as its SHA-256 in the directory). Cookie-authenticated writes must also carry the
//! session's CSRF token in `x-csrf-token` and come from this worker's own origin. A password
//! change ends every other session of the account.

use quanzi_core::accounts::{
    ChangePasswordRequest, DirectoryCommand, DirectoryReply, LoginRequest, Me, NewSession,
    SESSION_MILLIS, SignUpRequest, password,
};
use quanzi_core::error::{ApiError, ErrorCode};
use quanzi_core::login_limit::LoginCheck;
use worker::{Env, Request, Response, Result};

use crate::http::{self, internal, read_json};
use crate::{cors, directory_object, protection, random};

const COOKIE: &str = "qz_session";

fn new_session() -> std::result::Result<NewSession, ApiError> {
    Ok(NewSession {
        token: random::hex::<32>()?,
        csrf: random::hex::<16>()?,
    })
}

fn session_cookie(token: &str, max_age_secs: i64) -> String {
    format!("{COOKIE}={token}; Path=/api/; HttpOnly; Secure; SameSite=Lax; Max-Age={max_age_secs}")
}

fn token_of(req: &Request) -> Option<String> {
    let header = req.headers().get("cookie").ok().flatten()?;
    header.split(';').find_map(|part| {
        let (name, value) = part.trim().split_once('=')?;
        (name == COOKIE && !value.is_empty()).then(|| value.to_owned())
    })
}

/// Dashboard routes are for this origin only.
fn same_origin_only(req: &Request) -> std::result::Result<(), ApiError> {
    match cors::request_origin(req) {
        Some(origin) if !cors::is_same_origin(req, &origin) => Err(ApiError::new(
            ErrorCode::OriginNotAllowed,
            "the dashboard API answers its own pages only",
        )),
        _ => Ok(()),
    }
}

fn me_of(reply: DirectoryReply) -> std::result::Result<Me, ApiError> {
    match reply {
        DirectoryReply::Me(me) => Ok(me),
        _ => Err(internal("directory", "unexpected reply")),
    }
}

fn signed_in(status: u16, me: &Me, token: &str) -> Result<Response> {
    let mut res = http::json(status, me)?;
    res.headers_mut()
        .append("set-cookie", &session_cookie(token, SESSION_MILLIS / 1000))?;
    Ok(res)
}

fn respond(result: std::result::Result<Response, ApiError>) -> Result<Response> {
    result.or_else(|err| http::error(&err))
}

/// `POST /api/v1/auth/signup`
pub async fn sign_up(mut req: Request, env: &Env) -> Result<Response> {
    respond(
        async {
            same_origin_only(&req)?;
            let body: SignUpRequest = read_json(&mut req).await?;
            let salt = random::bytes::<16>()?;
            let password_hash =
                password::hash(&body.password, &salt).map_err(|e| internal("hash", e))?;
            let session = new_session()?;
            let token = session.token.clone();
            let command = DirectoryCommand::SignUp {
                email: body.email,
                name: body.name,
                password_hash,
                session,
            };
            let me = me_of(directory_object::call(env, &command).await?)?;
            signed_in(201, &me, &token).map_err(|e| internal("response", e))
        }
        .await,
    )
}

/// `POST /api/v1/auth/login`
pub async fn login(mut req: Request, env: &Env) -> Result<Response> {
    respond(
        async {
            same_origin_only(&req)?;
            let body: LoginRequest = read_json(&mut req).await?;
            // Password guessing: refused before any hash is computed (see `login_limit`).
            let address = protection::client_ip(&req);
            let email = body.email.clone();
            directory_object::login_check(env, &LoginCheck::Allow { email, address }).await?;
            let stored = directory_object::call(
                env,
                &DirectoryCommand::PasswordHash {
                    email: body.email.clone(),
                },
            )
            .await?;
            let phc = match stored {
                DirectoryReply::PasswordHash(phc) => phc,
                _ => return Err(internal("directory", "unexpected reply")),
            };
            let matches = password::verify(
                &body.password,
                phc.as_deref().unwrap_or(password::DECOY_PHC),
            );
            if phc.is_none() || !matches {
                let email = body.email;
                directory_object::login_check(env, &LoginCheck::Failed { email, address }).await?;
                return Err(ApiError::new(
                    ErrorCode::Unauthenticated,
                    "wrong email or password",
                ));
            }
            let session = new_session()?;
            let token = session.token.clone();
            let me = me_of(
                directory_object::call(
                    env,
                    &DirectoryCommand::StartSession {
                        email: body.email,
                        session,
                    },
                )
                .await?,
            )?;
            signed_in(200, &me, &token).map_err(|e| internal("response", e))
        }
        .await,
    )
}

/// The signed-in marketer of `req`, or `unauthenticated`.
pub async fn session(req: &Request, env: &Env) -> std::result::Result<(Me, String), ApiError> {
    let token =
        token_of(req).ok_or_else(|| ApiError::new(ErrorCode::Unauthenticated, "please sign in"))?;
    let me = me_of(
        directory_object::call(
            env,
            &DirectoryCommand::WhoIs {
                token: token.clone(),
            },
        )
        .await?,
    )?;
    Ok((me, token))
}

/// The signed-in marketer of a cookie-authenticated write: same origin, valid CSRF token.
pub async fn session_for_write(req: &Request, env: &Env) -> std::result::Result<Me, ApiError> {
    same_origin_only(req)?;
    let (me, _) = session(req, env).await?;
    let given = req
        .headers()
        .get("x-csrf-token")
        .ok()
        .flatten()
        .unwrap_or_default();
    if given.is_empty() || given != me.csrf {
        return Err(ApiError::new(
            ErrorCode::Forbidden,
            "missing or stale x-csrf-token; reload the page",
        ));
    }
    Ok(me)
}

/// `GET /api/v1/auth/me`
pub async fn me(req: Request, env: &Env) -> Result<Response> {
    respond(
        async {
            same_origin_only(&req)?;
            let (me, _) = session(&req, env).await?;
            http::json(200, &me).map_err(|e| internal("response", e))
        }
        .await,
    )
}

/// `POST /api/v1/auth/logout`
pub async fn logout(req: Request, env: &Env) -> Result<Response> {
    respond(
        async {
            session_for_write(&req, env).await?;
            let token = token_of(&req).unwrap_or_default();
            directory_object::call(env, &DirectoryCommand::EndSession { token }).await?;
            let mut res = Response::empty()
                .map_err(|e| internal("response", e))?
                .with_status(204);
            res.headers_mut()
                .append("set-cookie", &session_cookie("", 0))
                .map_err(|e| internal("response", e))?;
            Ok(res)
        }
        .await,
    )
}

/// `POST /api/v1/auth/password` `{"current", "new"}`: a signed-in marketer (CSRF token)
/// changes their password. Every other session of the account ends; this one continues
/// under a new cookie and CSRF token (in the answer).
pub async fn change_password(mut req: Request, env: &Env) -> Result<Response> {
    respond(
        async {
            let me = session_for_write(&req, env).await?;
            let token = token_of(&req).unwrap_or_default();
            let body: ChangePasswordRequest = read_json(&mut req).await?;
            let stored = directory_object::call(
                env,
                &DirectoryCommand::PasswordHash {
                    email: me.email.clone(),
                },
            )
            .await?;
            let DirectoryReply::PasswordHash(Some(phc)) = stored else {
                return Err(ApiError::new(ErrorCode::Unauthenticated, "please sign in"));
            };
            if !password::verify(&body.current, &phc) {
                return Err(ApiError::new(
                    ErrorCode::Forbidden,
                    "the current password is not right",
                ));
            }
            let salt = random::bytes::<16>()?;
            let password_hash =
                password::hash(&body.new, &salt).map_err(|e| internal("hash", e))?;
            let session = new_session()?;
            let new_token = session.token.clone();
            let command = DirectoryCommand::ChangePassword {
                email: me.email,
                password_hash,
                token,
                session,
            };
            let me = me_of(directory_object::call(env, &command).await?)?;
            signed_in(200, &me, &new_token).map_err(|e| internal("response", e))
        }
        .await,
    )
}
