//! The directory: one Durable Object for the deployment holding marketer accounts, sessions
//! and the index of which communities each marketer can open.

use quanzi_core::accounts::{DirectoryCommand, DirectoryReply, handle_directory};
use quanzi_core::error::ApiError;
use quanzi_core::time::Timestamp;
use worker::{Date, DurableObject, Env, Request, Response, Result, State, durable_object};

use crate::store::DurableStore;
use crate::{http, rpc};

pub const BINDING: &str = "DIRECTORY";
const NAME: &str = "directory";

#[durable_object]
pub struct DirectoryObject {
    state: State,
}

impl DurableObject for DirectoryObject {
    fn new(state: State, _env: Env) -> Self {
        Self { state }
    }

    async fn fetch(&self, mut req: Request) -> Result<Response> {
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
