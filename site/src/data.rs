//! The community's data, for its owner: everything it holds as one JSON file (read page by
//! page, with progress), and that file imported into a freshly created community (a move
//! between workers, or a copy for testing). A member's own data is exported and erased from
//! their panel under Members.

use leptos::prelude::*;
use quanzi_core::app::data::{ExportDocument, FORMAT, VERSION};
use quanzi_core::error::{ApiError, ErrorCode};
use wasm_bindgen_futures::JsFuture;

use crate::community_page::community;
use crate::ui::{ErrorNote, Saved};
use crate::{client, ctx};

/// Where an export is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Progress {
    Idle,
    /// Entries read so far.
    Reading(usize),
    /// The file was handed to the browser, with this many entries.
    Done(usize),
}

#[component]
pub fn Data(
    /// Only the owner exports and imports a whole community.
    #[prop(into)]
    owner: Signal<bool>,
) -> impl IntoView {
    let ctx = ctx();
    let t = move || ctx.t();
    let community = community();
    let progress = RwSignal::new(Progress::Idle);
    let export_error = RwSignal::new(None::<String>);

    let export = move |_| {
        if matches!(progress.get_untracked(), Progress::Reading(_)) {
            return;
        }
        export_error.set(None);
        progress.set(Progress::Reading(0));
        let slug = community.slug();
        leptos::task::spawn_local(async move {
            match export_all(slug.as_str(), progress).await {
                Ok(document) => {
                    let entries = document.entries.len();
                    let file = format!("quanzi-{slug}-{}.json", document.exported_at.0);
                    let saved = serde_json::to_string(&document)
                        .is_ok_and(|text| quanzi_client::save_json_file(&text, &file));
                    match saved {
                        true => progress.set(Progress::Done(entries)),
                        false => {
                            progress.set(Progress::Idle);
                            export_error.set(Some(ctx.t().data_export_failed().to_owned()));
                        }
                    }
                }
                Err(err) => {
                    progress.set(Progress::Idle);
                    export_error.set(Some(ctx.fail(&err)));
                }
            }
        });
    };

    let file_input = NodeRef::<leptos::html::Input>::new();
    let importing = RwSignal::new(false);
    let import_error = RwSignal::new(None::<String>);
    let imported = RwSignal::new(None::<String>);
    let import = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if importing.get_untracked() {
            return;
        }
        import_error.set(None);
        imported.set(None);
        let Some(file) = file_input
            .get_untracked()
            .and_then(|input| input.files())
            .and_then(|files| files.get(0))
        else {
            import_error.set(Some(ctx.t().data_import_choose().to_owned()));
            return;
        };
        importing.set(true);
        let (csrf, slug) = (ctx.csrf(), community.slug());
        leptos::task::spawn_local(async move {
            let result = async {
                let text = JsFuture::from(file.text())
                    .await
                    .ok()
                    .and_then(|v| v.as_string())
                    .ok_or_else(|| ctx.t().data_import_unreadable().to_owned())?;
                let document: ExportDocument = serde_json::from_str(&text)
                    .map_err(|_| ctx.t().data_import_not_export().to_owned())?;
                client()
                    .import_community(&csrf, slug.as_str(), &document)
                    .await
                    .map_err(|err| import_refusal(ctx, &err))
            }
            .await;
            importing.set(false);
            match result {
                Ok(done) => {
                    imported.set(Some(ctx.t().data_imported(done.entries)));
                    if let Some(input) = file_input.get_untracked() {
                        input.set_value("");
                    }
                }
                Err(message) => import_error.set(Some(message)),
            }
        });
    };

    view! {
        <h2 class="qd-section-title">{move || t().data_section()}</h2>
        <Show
            when=move || owner.get()
            fallback=move || view! { <p class="qd-note" data-testid="data-owner-only">{move || ctx.t().data_owner_only()}</p> }
        >
            <section class="qd-card" aria-labelledby="data-export-title">
                <h3 id="data-export-title">{move || t().data_export_title()}</h3>
                <p class="qd-muted">{move || t().data_export_intro()}</p>
                <button type="button" class="qd-button" data-testid="data-export"
                    aria-busy=move || matches!(progress.get(), Progress::Reading(_)).to_string()
                    disabled=move || matches!(progress.get(), Progress::Reading(_))
                    on:click=export>
                    {move || t().data_export()}
                </button>
                <p role="status" class="qd-muted" data-testid="data-export-progress">
                    {move || match progress.get() {
                        Progress::Idle => String::new(),
                        Progress::Reading(n) => ctx.t().data_export_reading(n),
                        Progress::Done(n) => ctx.t().data_export_done(n),
                    }}
                </p>
                <ErrorNote message=export_error testid="data-export-error"/>
            </section>
            <section class="qd-card" aria-labelledby="data-import-title">
                <h3 id="data-import-title">{move || t().data_import_title()}</h3>
                <p class="qd-muted">{move || t().data_import_intro()}</p>
                <form on:submit=import>
                    <label>
                        {move || t().data_import_file()}
                        <input type="file" accept="application/json,.json" node_ref=file_input data-testid="data-import-file"/>
                    </label>
                    <div class="qd-actions">
                        <button type="submit" class="qd-button qd-secondary" data-testid="data-import"
                            disabled=move || importing.get() aria-busy=move || importing.get().to_string()>
                            {move || if importing.get() { t().data_importing() } else { t().data_import() }}
                        </button>
                    </div>
                </form>
                <Saved message=imported/>
                <ErrorNote message=import_error testid="data-import-error"/>
            </section>
        </Show>
    }
}

/// Every page of the community's export, as one document without `next` (what an import
/// takes), counting entries into `progress` as pages arrive.
async fn export_all(slug: &str, progress: RwSignal<Progress>) -> Result<ExportDocument, ApiError> {
    let mut page = client().export_community(slug, None).await?;
    let mut entries = std::mem::take(&mut page.entries);
    progress.set(Progress::Reading(entries.len()));
    let mut next = page.next.take();
    while let Some(cursor) = next {
        let mut more = client().export_community(slug, Some(&cursor)).await?;
        entries.append(&mut more.entries);
        progress.set(Progress::Reading(entries.len()));
        next = more.next;
    }
    Ok(ExportDocument {
        format: FORMAT.to_owned(),
        version: VERSION,
        entries,
        next: None,
        ..page
    })
}

fn import_refusal(ctx: crate::Ctx, err: &ApiError) -> String {
    match err.code {
        ErrorCode::CommunityNotEmpty => ctx.t().data_import_not_empty().to_owned(),
        ErrorCode::InvalidInput => ctx.t().data_import_invalid(&err.message),
        _ => ctx.fail(err),
    }
}

// The words of this section and of a member's data in their panel.
use crate::i18n::{Text, phrases};
use quanzi_core::community::Locale;

phrases! {
    data_section => "数据", "Data";
    data_owner_only => "只有社区所有者可以导出或导入整个社区的数据。成员个人数据的导出和删除在「成员」里。",
        "Only the community's owner exports or imports all of its data. A member's own data is exported and erased under Members.";
    data_export_title => "导出社区数据", "Export the community";
    data_export_intro => "把社区保存的一切（帖子、积分流水、活动、报名、设置……）下载为一个 JSON 文件。成员登录密钥、团队、Webhook 和它们的密钥不会导出。",
        "Download everything the community holds (posts, points ledgers, events, sign-ups, settings…) as one JSON file. Member sign-in keys, the team and webhooks with their secrets are never exported.";
    data_export => "导出 JSON", "Export as JSON";
    data_export_failed => "浏览器没能保存文件，请重试。", "The browser could not save the file. Try again.";
    data_import_title => "导入到这个社区", "Import into this community";
    data_import_intro => "导入另一个社区的导出文件。只能导入到刚创建、还没有内容的社区；文件会先整体检查，有问题就什么都不写入。",
        "Import another community's export file. Only a freshly created community with no content yet takes one; the file is checked whole first, and nothing is written if anything is wrong.";
    data_import_file => "导出文件（JSON）", "Export file (JSON)";
    data_import => "导入", "Import";
    data_importing => "导入中…", "Importing…";
    data_import_choose => "请先选择一个导出文件。", "Choose an export file first.";
    data_import_unreadable => "读不了这个文件。", "The file could not be read.";
    data_import_not_export => "这不是 Quanzi 的导出文件。", "This is not a Quanzi export file.";
    data_import_not_empty => "这个社区已经有内容了：请导入到一个新创建的社区。", "This community already has content: import into a freshly created community.";
    member_data => "个人数据", "Personal data";
    member_data_note => "应成员本人的要求（《个人信息保护法》/GDPR）导出或删除其数据。删除后，帖子以化名保留，积分流水和报名名额保持一致；资料、通知、报名答案等被移除，无法恢复。",
        "On the member's own request (PIPL / GDPR), export or erase their data. Erasure keeps their posts under a pseudonym and their ledger and seats consistent; their profile, notifications, sign-up answers and the like are removed for good.";
    member_export => "下载个人数据", "Download their data";
    member_erase => "删除该成员的数据", "Erase this member";
    member_keep => "保留", "Keep";
}

impl Text {
    pub fn data_export_reading(self, n: usize) -> String {
        match self.0 {
            Locale::ZhCn => format!("已读取 {n} 条…"),
            Locale::En => format!("{n} entries read…"),
        }
    }

    pub fn data_export_done(self, n: usize) -> String {
        match self.0 {
            Locale::ZhCn => format!("已导出 {n} 条，文件已保存。"),
            Locale::En => format!("Exported {n} entries; the file is saved."),
        }
    }

    pub fn data_imported(self, n: u64) -> String {
        match self.0 {
            Locale::ZhCn => format!("已导入 {n} 条。"),
            Locale::En => format!("Imported {n} entries."),
        }
    }

    pub fn data_import_invalid(self, why: &str) -> String {
        match self.0 {
            Locale::ZhCn => format!("文件有问题，没有导入：{why}"),
            Locale::En => format!("The file was not imported: {why}"),
        }
    }

    pub fn member_erase_confirm(self, name: &str) -> String {
        match self.0 {
            Locale::ZhCn => format!(
                "删除「{name}」的数据？其帖子改用化名保留，资料、通知和报名答案等将被移除。此操作无法撤销。"
            ),
            Locale::En => format!(
                "Erase {name}? Their posts stay under a pseudonym; their profile, notifications, sign-up answers and the like are removed. This cannot be undone."
            ),
        }
    }

    pub fn member_erased(self, pseudonym: &str) -> String {
        match self.0 {
            Locale::ZhCn => format!("已删除。其帖子现在显示为 {pseudonym}。"),
            Locale::En => format!("Erased. Their posts now show as {pseudonym}."),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_phrase_has_both_languages() {
        for (zh, en) in ALL {
            assert!(!zh.trim().is_empty() && !en.trim().is_empty());
            assert_ne!(zh, en);
        }
    }
}
