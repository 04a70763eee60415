//! The directory: one Durable Object for the deployment holding marketer accounts, sessions
//! and the index of which communities each marketer can open. It also counts failed
//! sign-ins in memory (`/login`, see `quanzi_core::login_limit`).

use std::cell::RefCell;

use quanzi_core::accounts::{DirectoryCommand, DirectoryReply, handle_directory};
use quanzi_core::error::ApiError;
use quanzi_core::login_limit::{LoginCheck, LoginLimiter};
use quanzi_core::time::Timestamp;
use worker::{Date, DurableObject, Env, Request, Response, Result, State, durable_object};

use crate::store::DurableStore;
use crate::{http, rpc};

pub const BINDING: &str = "DIRECTORY";
const NAME: &str = "directory";
const LOGIN_PATH: &str = "/login";

#[durable_object]
pub struct DirectoryObject {
    state: State,
    logins: RefCell<LoginLimiter>,
}

impl DurableObject for DirectoryObject {
    fn new(state: State, _env: Env) -> Self {
        Self {
            state,
            logins: RefCell::new(LoginLimiter::default()),
        }
    }

    async fn fetch(&self, mut req: Request) -> Result<Response> {
        if req.path() == LOGIN_PATH {
            let result = async {
                let check: LoginCheck = rpc::command(&mut req).await?;
                let now = Timestamp(Date::now().as_millis() as i64);
                self.logins.borrow_mut().handle(&check, now)
            }
            .await;
            return rpc::answer(result);
        }
        if req.path() != "/command" {
            return http::not_found();
        }
        let store = DurableStore::new(self.state.storage());
        let result = async {
            let command: DirectoryCommand = rpc::command(&mut req).await?;
            let now = Timestamp(Date::now().as_millis() as i64);
            handle_directory(&store, command, now).await
        }
        .await;
        rpc::answer(result)
    }
}

pub async fn call(
    env: &Env,
    command: &DirectoryCommand,
) -> std::result::Result<DirectoryReply, ApiError> {
    rpc::call(env, BINDING, NAME, "/command", command).await
}

/// Asks the directory about a sign-in: `rate_limited` when `Allow` is refused.
pub async fn login_check(env: &Env, check: &LoginCheck) -> std::result::Result<(), ApiError> {
    rpc::call(env, BINDING, NAME, LOGIN_PATH, check).await
}
