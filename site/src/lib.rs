//! The marketer dashboard. For now the shell that the worker serves at `/dashboard/`;
//! sign-in and community management arrive with the account API.

use leptos::prelude::*;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(start)]
pub fn start() {
    leptos::mount::mount_to_body(Dashboard);
}

#[component]
fn Dashboard() -> impl IntoView {
    view! {
        <main class="qd-shell" data-testid="dashboard">
            <h1>"Quanzi 圈子"</h1>
            <p>"The community dashboard. Sign-in arrives with marketer accounts."</p>
            <p>"社区管理后台。营销人员账户上线后即可登录。"</p>
        </main>
    }
}
