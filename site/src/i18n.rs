//! Every word the dashboard shows, in Chinese and English side by side, and what to say
//! about each error code the API answers.

use quanzi_client::ContentDecision;
use quanzi_core::accounts::Role;
use quanzi_core::community::Locale;
use quanzi_core::error::{ApiError, ErrorCode};
use quanzi_core::events::TicketView;
use quanzi_core::moderation::{Decision, ReasonCounts};

use crate::route::{ModTab, Step};
use crate::snippets::EmbedView;

/// The dashboard's words in one language.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Text(pub Locale);

macro_rules! phrases {
    ($($name:ident => $zh:literal, $en:literal;)*) => {
        impl Text {
            $(pub fn $name(self) -> &'static str {
                match self.0 {
                    Locale::ZhCn => $zh,
                    Locale::En => $en,
                }
            })*
        }

        #[cfg(test)]
        const ALL: &[(&str, &str)] = &[$(($zh, $en)),*];
    };
}

phrases! {
    page_title => "Quanzi 圈子 · 管理后台", "Quanzi dashboard";
    skip_to_content => "跳到主要内容", "Skip to content";
    loading => "加载中…", "Loading…";
    unreachable => "连不上 Quanzi 服务。请确认服务正在运行，然后刷新页面。",
        "The Quanzi API cannot be reached. Check that the worker is running, then reload.";
    retry => "重试", "Retry";
    refresh => "刷新", "Refresh";
    load_more => "加载更多", "Load more";
    not_found_title => "这里什么也没有", "Nothing here";
    back_to_communities => "返回我的社区", "Back to your communities";
    breadcrumbs => "位置", "You are here";
    account => "账户", "Account";
    sign_out => "退出登录", "Sign out";
    copy => "复制", "Copy";
    copied => "已复制 ✓", "Copied ✓";
    copy_failed => "无法复制，请手动选中", "Couldn't copy: select it by hand";
    soon => "即将推出", "Soon";
    soon_title => "正在建设中", "Coming soon";
    members_soon => "成员列表、标签和分群将出现在这里。", "Members, their tags and segments will be here.";
    insight_soon => "活跃、留存和流失风险等数据将出现在这里。", "Activity, retention and churn risk will be here.";
    save_and_continue => "保存并继续", "Save and continue";
    save_changes => "保存修改", "Save changes";
    saving => "保存中…", "Saving…";
    continue_ => "继续", "Continue";
    back => "上一步", "Back";
    skip_for_now => "先跳过", "Skip for now";
    please_wait => "请稍候…", "Please wait…";
    remove => "删除", "Remove";
    edit => "编辑", "Edit";
    actions => "操作", "Actions";
    reason => "原因", "Reason";
    reason_optional => "原因（可选，会记入审计日志）", "Reason (optional, goes in the audit log)";
    reason_rule => "原因最多 500 个字。", "The reason can be at most 500 characters.";
    by => "操作人", "By";
    when => "时间", "When";
    action => "动作", "Action";
    target => "对象", "Target";
    until => "截止", "Until";
    forever => "永久", "For good";
    required => "必填", "Required";

    // Signing in.
    tagline => "品牌自己的会员社区", "Your brand's member community, on your own site";
    sign_in_title => "登录 Quanzi", "Sign in to Quanzi";
    create_account_title => "创建 Quanzi 账户", "Create your Quanzi account";
    email => "邮箱", "Email";
    your_name => "你的名字", "Your name";
    password => "密码", "Password";
    sign_in => "登录", "Sign in";
    create_account => "创建账户", "Create account";
    create_an_account => "注册新账户", "Create an account";
    have_account => "已有账户？", "Already have an account?";
    new_here => "第一次使用 Quanzi？", "New to Quanzi?";
    other_language_hint => "Switch to English at the top right.", "界面可切换为中文（右上角）。";
    bad_email => "请填写有效的邮箱，例如 name@brand.com。", "Enter an email address like name@brand.com.";
    name_needed => "请填写你的名字。", "Enter your name.";
    password_rule => "密码需要 10 到 200 个字符。", "Passwords are 10 to 200 characters long.";

    // Account.
    change_password => "修改密码", "Change password";
    change_password_intro => "修改后，其他设备上的登录会全部退出。", "Changing it signs you out on every other device.";
    current_password => "当前密码", "Current password";
    new_password => "新密码", "New password";
    repeat_password => "再输入一次新密码", "New password again";
    current_password_needed => "请填写当前密码。", "Enter your current password.";
    current_password_wrong => "当前密码不对。", "The current password is not right.";
    passwords_differ => "两次输入的新密码不一致。", "The two new passwords differ.";
    password_changed => "密码已修改，其他设备已退出登录。", "Password changed. Other devices are signed out.";

    // Communities.
    your_communities => "我的社区", "Your communities";
    no_communities => "你还没有社区。在下面创建第一个：一分钟就好。",
        "You don't run a community yet. Create your first one below: it takes a minute.";
    community_sections => "社区栏目", "Community sections";
    copy_embed => "复制嵌入代码", "Copy the embed code";
    create_community => "创建社区", "Create a community";
    create_intro => "先起个名字和地址；接下来我们一步步完成设置。",
        "Pick a name and an address; the setup then walks you through the rest.";
    community_name => "社区名称", "Community name";
    community_address => "社区地址（用于嵌入代码）", "Address (used in the embed code)";
    community_name_rule => "名称需要 1 到 60 个字。", "The name must be 1 to 60 characters.";
    slug_rule => "3–32 个小写字母、数字或连字符，例如 acme-tea。",
        "3–32 lowercase letters, digits or single hyphens, like acme-tea.";
    creating => "创建中…", "Creating…";
    create_and_set_up => "创建并开始设置", "Create and set up";
    no_access_title => "你不在这个社区的团队里", "You are not on this community's team";
    no_access_body => "只有社区的所有者、管理员和版主可以打开它。请联系社区所有者邀请你。",
        "Only its owner, admins and moderators can open it. Ask its owner to add you.";

    // Sections.
    setup => "设置", "Setup";
    moderation => "内容审核", "Moderation";
    events => "活动", "Events";
    members => "成员", "Members";
    insight => "数据洞察", "Insight";

    // Setup.
    setup_title => "设置你的社区", "Set up your community";
    setup_steps => "设置步骤", "Setup steps";
    setup_owners_only => "只有社区所有者和管理员可以修改设置。", "Only the community's owner and admins can change its setup.";
    done_suffix => "（已完成）", " (done)";
    slogan => "一句话介绍", "Slogan";
    slogan_placeholder => "每天一杯好茶", "A cup of good tea every day";
    slogan_rule => "一句话介绍最多 140 个字。", "The slogan can be at most 140 characters.";
    logo_url => "Logo 图片地址", "Logo URL";
    logo_hint => "以 https:// 开头的图片地址。可以留空。", "An image address starting with https://. Optional.";
    logo_rule => "Logo 地址需要以 https:// 开头，且不含空格或引号。", "The logo URL must start with https:// and contain no spaces or quotes.";
    logo_preview_alt => "Logo 预览", "Logo preview";
    time_zone => "时区", "Time zone";
    time_zone_hint => "签到的“今天”和活动时间都按这个时区计算。", "Check-in days and event times follow this time zone.";
    time_zone_rule => "请填写 IANA 时区名，例如 Asia/Shanghai。", "Enter an IANA time zone such as Asia/Shanghai.";
    community_language => "社区默认语言", "Community language";
    rules => "社区公约", "Community rules";
    rules_placeholder => "1. 友善交流\n2. 不发广告\n3. 尊重隐私", "1. Be kind\n2. No advertising\n3. Respect privacy";
    rules_rule => "社区公约最多 5000 个字。", "The rules can be at most 5,000 characters.";
    join_mode => "成员如何加入", "How members join";
    join_open => "直接加入", "Open";
    join_open_hint => "品牌账号登录的用户接受公约后即可加入。", "Anyone signed in by your site joins once they accept the rules.";
    join_screening => "审核加入", "Screening";
    join_screening_hint => "用户回答问题后，由你或版主审核通过。", "Members answer your questions and wait for approval.";
    screening_questions => "入群问题", "Screening questions";
    question_placeholder => "例如：你最喜欢哪款茶？", "e.g. Which of our teas do you like best?";
    add_question => "添加问题", "Add a question";
    question_rule => "每个问题需要 1 到 200 个字。", "Each question must be 1 to 200 characters.";
    screening_needs_question => "审核加入至少需要一个问题。", "Screening needs at least one question.";
    welcome_message => "欢迎语", "Welcome message";
    welcome_placeholder => "欢迎加入！先去签个到吧。", "Welcome! Start with today's check-in.";
    welcome_rule => "欢迎语最多 500 个字。", "The welcome message can be at most 500 characters.";
    allowed_origins => "允许嵌入的网站（每行一个）", "Websites allowed to embed it (one per line)";
    origins_hint => "写网站的来源：协议加域名（和端口），不含路径，例如 https://www.brand.example。本后台始终可以预览。",
        "Write each site's origin: scheme and host (and port), no path, like https://www.brand.example. This dashboard can always preview.";
    origins_understood => "识别结果", "What we read";
    active_keys => "正在使用的密钥", "Active keys";
    no_keys => "还没有密钥。创建一个，你的网站就能让会员登录社区。", "No key yet. Create one so your site can sign members in.";
    create_key => "创建登录密钥", "Create a sign-in key";
    rotate_key => "轮换：再添加一个新密钥", "Rotate: add a new key";
    rotate_hint => "最多同时有两个密钥生效；添加第三个时最旧的会停用。", "Two keys can be active at once; adding a third retires the oldest.";
    secret_once => "密钥只显示这一次。请立即复制，保存在你的服务器上（例如环境变量 QUANZI_SECRET），不要放进网页。",
        "The secret is shown this once. Copy it now and keep it on your server (e.g. in QUANZI_SECRET), never in a web page.";
    copy_secret => "复制密钥", "Copy the secret";
    signing_code => "在你的服务器上签发登录令牌", "Sign members in from your server";
    signing_code_intro => "会员登录你的网站后，服务器用密钥签发一个令牌：", "After your own login, your server signs a token with the secret:";
    server_language => "服务器语言", "Server language";
    copy_signing_code => "复制服务器代码", "Copy the server code";
    page_sign_in_intro => "然后在页面上把令牌交给组件：", "Then hand the token to the widget on the page:";
    copy_page_code => "复制页面代码", "Copy the page code";
    accent_colour => "主题色", "Accent colour";
    pick_colour => "选择颜色", "Pick a colour";
    accent_hex => "主题色（#rrggbb）", "Accent colour (#rrggbb)";
    suggested_colours => "推荐颜色", "Suggested colours";
    colour_rule => "颜色请用 #rrggbb 格式，例如 #e8553d。", "Use the #rrggbb form for the colour, like #e8553d.";
    colour_scheme => "明暗模式", "Light or dark";
    scheme_light => "浅色", "Light";
    scheme_dark => "深色", "Dark";
    scheme_auto => "跟随系统", "Automatic";
    live_preview => "实时预览", "Live preview";
    preview_width => "预览宽度", "Preview width";
    laptop => "电脑", "Laptop";
    phone => "手机", "Phone";
    preview_frame_title => "组件实时预览（未保存的主题）", "Live preview of the widget (unsaved theme)";
    preview_hint => "这是真实的社区组件。保存后，你网站上的组件也会这样显示。",
        "This is the real widget. Once saved, it looks like this on your site.";
    comments_page_url => "文章页面地址", "Address of the article";
    embed_needs_origins => "还没有允许嵌入的网站，组件在你的网站上会被拒绝。先去：",
        "No website is allowed yet, so the widget will refuse to run on your site. First:";
    finish_setup => "完成设置", "Finish setup";
    setup_finished => "社区已经准备好了 🎉", "Your community is ready 🎉";
    next_steps => "把嵌入代码粘贴到你的网站。接下来可以发布第一个活动，或者看看审核队列。",
        "Paste the embed code into your site. Next, publish a first event or look at the moderation queue.";
    create_first_event => "创建第一个活动", "Create a first event";
    open_moderation => "打开审核", "Open moderation";

    // Moderation.
    queue_intro => "被举报的内容和等待审核的新帖。处理后会记入审计日志。",
        "Reported content and posts waiting for review. Every decision goes in the audit log.";
    queue_empty => "队列是空的，没有需要处理的内容。", "The queue is empty: nothing needs you now.";
    awaiting_review => "待审核", "Awaiting review";
    target_post => "帖子", "Post";
    target_reply => "回复", "Reply";
    target_member => "成员", "Member";
    approve => "通过", "Approve";
    reject => "拒绝", "Reject";
    hide => "隐藏", "Hide";
    keep_dismiss => "保留（驳回举报）", "Keep (dismiss reports)";
    reports_dismissed => "举报已驳回，内容保留。", "Reports dismissed; the content stays.";
    ban => "封禁", "Ban";
    ban_for => "封禁时长", "Ban for";
    ban_a_member => "封禁成员", "Ban a member";
    ban_days_rule => "封禁天数需要在 1 到 3650 之间。", "A ban lasts 1 to 3,650 days.";
    bans_in_force => "生效中的封禁", "Bans in force";
    no_bans => "目前没有被封禁的成员。", "Nobody is banned.";
    member_id => "成员 ID", "Member id";
    member_id_hint => "你网站上的用户 ID（登录令牌里的 sub）。", "Your site's user id (the sub of their sign-in token).";
    member_id_rule => "成员 ID 是 1–64 个字母、数字或 _ . : @ -。", "A member id is 1–64 letters, digits or _ . : @ -.";
    unban => "解除封禁", "Lift ban";
    audit_intro => "所有审核操作，最新的在前。", "Every moderation action, newest first.";
    audit_empty => "还没有审核记录。", "No moderation actions yet.";
    audit_hide => "隐藏", "Hid";
    audit_restore => "恢复", "Restored";
    audit_approve => "审核通过", "Approved";
    audit_reject => "审核拒绝", "Rejected";
    audit_ban => "限期封禁", "Banned for a while";
    audit_ban_forever => "永久封禁", "Banned for good";
    audit_unban => "解除封禁", "Lifted a ban";
    audit_role => "调整角色", "Changed a role";
    audit_settings => "修改审核设置", "Changed moderation settings";
    role_owner => "所有者", "Owner";
    role_admin => "管理员", "Admin";
    role_moderator => "版主", "Moderator";
    role_member_moderator => "成员版主", "Member moderator";
    role_member => "成员", "Member";

    // Events.
    new_event => "新建活动", "New event";
    edit_event => "编辑活动", "Edit event";
    no_events => "还没有活动。线下品鉴会、线上直播，都可以在这里发布并管理报名。",
        "No events yet. Publish tastings, livestreams or meet-ups here and manage sign-ups.";
    event_title => "活动名称", "Title";
    event_description => "活动介绍", "Description";
    starts_at => "开始时间", "Starts";
    ends_at => "结束时间", "Ends";
    signup_closes => "报名截止（可选）", "Sign-up closes (optional)";
    signup_closes_hint => "留空则在活动开始时截止。", "Empty: sign-up closes when the event starts.";
    times_fixed => "活动时间发布后不能修改；如需改期，请取消后重新发布。",
        "Times are fixed once published; to reschedule, cancel and publish again.";
    where_ => "地点", "Where";
    offline => "线下", "In person";
    online => "线上", "Online";
    place => "地址", "Place";
    place_placeholder => "上海市静安区南京西路 1 号 Acme 茶室", "Acme Tea Room, 1 Main Street";
    event_link => "线上链接", "Link";
    event_link_hint => "只有报名成功的成员能看到。编辑线上活动时需要重新填写。",
        "Only confirmed attendees see it. When editing an online event, enter it again.";
    capacity => "名额", "Capacity";
    capacity_hint => "留空表示不限；名额满后自动进入候补。", "Empty: no limit. When full, members join a waitlist.";
    signup_questions => "报名问题", "Sign-up questions";
    question_prompt => "问题", "Question";
    answer_kind => "回答方式", "Answer";
    answer_text => "简短文字", "Short text";
    answer_one => "单选", "One choice";
    answer_many => "多选", "Several choices";
    options => "选项", "Options";
    options_placeholder => "用逗号分隔：S, M, L", "Comma-separated: S, M, L";
    publish_event => "发布活动", "Publish event";
    cancel_editing => "返回", "Back";
    event_title_rule => "活动名称需要 1 到 120 个字。", "The title must be 1 to 120 characters.";
    event_description_rule => "活动介绍最多 10000 个字。", "The description can be at most 10,000 characters.";
    event_starts_rule => "请填写开始时间。", "Enter when the event starts.";
    event_ends_rule => "请填写结束时间。", "Enter when the event ends.";
    event_order_rule => "结束时间要晚于开始时间。", "The event must end after it starts.";
    signup_closes_rule => "报名截止时间需要是有效时间，且不晚于活动结束。", "Sign-up must close at a valid time no later than the end.";
    place_rule => "请填写活动地址（最多 300 字）。", "Enter the place (at most 300 characters).";
    event_url_rule => "线上链接需要以 https:// 开头。", "The link must start with https://.";
    capacity_rule => "名额需要是 1 到 5000 之间的数字，或留空。", "Capacity is a number from 1 to 5,000, or empty.";
    too_many_questions => "最多 10 个报名问题。", "At most 10 sign-up questions.";
    phase_not_open => "未开放报名", "Sign-up not open";
    phase_open => "报名中", "Sign-up open";
    phase_closed => "报名已截止", "Sign-up closed";
    phase_ongoing => "进行中", "Happening now";
    phase_ended => "已结束", "Ended";
    phase_cancelled => "已取消", "Cancelled";
    cancel_event => "取消活动", "Cancel event";
    cancel_event_confirm => "确定取消这个活动吗？所有报名的成员都会收到通知。", "Cancel this event? Everyone signed up is told.";
    keep_event => "不取消", "Keep it";
    event_cancelled => "活动已取消，报名成员已收到通知。", "The event is cancelled; everyone signed up was told.";
    seats_label => "名额", "Seats";
    attended => "已签到", "Checked in";
    attendance_code => "签到码", "Attendance code";
    new_code => "换一个签到码", "New code";
    new_code_made => "已生成新的签到码，旧的不再有效。", "A new code is set; the old one no longer works.";
    attendees => "报名名单", "Attendees";
    export_csv => "导出 CSV", "Export CSV";
    no_attendees => "还没有人报名。", "Nobody has signed up yet.";
    member => "成员", "Member";
    status => "状态", "Status";
    signed_up => "报名时间", "Signed up";
    mark_present => "标记到场", "Mark present";
    check_in_opens_later => "签到在活动开始前 1 小时开放，届时可以在这里标记到场。",
        "Check-in opens an hour before the start; then you can mark people present here.";
    event_embed => "在页面上嵌入这个活动", "Embed this event in a page";
    event_embed_hint => "把这段代码放在活动介绍页，会员就能直接报名。", "Put this on the event's page so members sign up right there.";
}

impl Text {
    /// What to tell the marketer about a refused request.
    pub fn error(self, err: &ApiError) -> String {
        let zh = self.0 == Locale::ZhCn;
        let headline = match (err.code, zh) {
            (ErrorCode::InvalidInput, true) => "填写的内容有误",
            (ErrorCode::InvalidInput, false) => "Something in the form is not right",
            (ErrorCode::Unauthenticated, true) => "登录已过期，请重新登录",
            (ErrorCode::Unauthenticated, false) => "Your session has ended; please sign in again",
            (ErrorCode::Forbidden, true) => "你的角色不能进行这个操作",
            (ErrorCode::Forbidden, false) => "Your role does not allow this",
            (ErrorCode::CommunityNotFound, true) => "没有这个社区",
            (ErrorCode::CommunityNotFound, false) => "There is no such community",
            (ErrorCode::NotFound, true) => "没有找到",
            (ErrorCode::NotFound, false) => "Not found",
            (ErrorCode::Conflict, true) => "和现有内容冲突",
            (ErrorCode::Conflict, false) => "That clashes with what is there",
            (ErrorCode::EventClosed, true) => "活动现在不开放这个操作",
            (ErrorCode::EventClosed, false) => "The event is not open for that now",
            (ErrorCode::FeatureDisabled, true) => "这个社区关闭了该功能",
            (ErrorCode::FeatureDisabled, false) => "This community has turned that off",
            (ErrorCode::RateLimited, true) => "操作太频繁，请稍后再试",
            (ErrorCode::RateLimited, false) => "Too many requests; try again in a moment",
            (_, true) => "出了点问题，请稍后重试",
            (_, false) => "Something went wrong; please try again",
        };
        let detail = err.message.trim();
        let specific = matches!(
            err.code,
            ErrorCode::InvalidInput
                | ErrorCode::Forbidden
                | ErrorCode::Conflict
                | ErrorCode::NotFound
                | ErrorCode::EventClosed
        );
        match (specific && !detail.is_empty(), zh) {
            (true, true) => format!("{headline}：{detail}"),
            (true, false) => format!("{headline}: {detail}."),
            (false, true) => format!("{headline}。"),
            (false, false) => format!("{headline}."),
        }
    }

    /// Signing in or up went wrong.
    pub fn auth_error(self, err: &ApiError) -> String {
        let zh = self.0 == Locale::ZhCn;
        match (err.code, zh) {
            (ErrorCode::Unauthenticated, true) => "邮箱或密码不对。".to_owned(),
            (ErrorCode::Unauthenticated, false) => "Wrong email or password.".to_owned(),
            (ErrorCode::Conflict, true) => "这个邮箱已经注册过了，请直接登录。".to_owned(),
            (ErrorCode::Conflict, false) => {
                "An account with this email already exists; sign in instead.".to_owned()
            }
            _ => self.error(err),
        }
    }

    pub fn welcome(self, name: &str) -> String {
        match self.0 {
            Locale::ZhCn => format!("你好，{name}"),
            Locale::En => format!("Welcome, {name}"),
        }
    }

    pub fn role(self, role: Role) -> &'static str {
        match role {
            Role::Owner => self.role_owner(),
            Role::Admin => self.role_admin(),
            Role::Moderator => self.role_moderator(),
        }
    }

    pub fn step_name(self, step: Step) -> &'static str {
        let zh = self.0 == Locale::ZhCn;
        match (step, zh) {
            (Step::Basics, true) => "基本信息",
            (Step::Basics, false) => "Basics",
            (Step::Joining, true) => "加入方式",
            (Step::Joining, false) => "Joining",
            (Step::Origins, true) => "允许嵌入的网站",
            (Step::Origins, false) => "Websites",
            (Step::Keys, true) => "会员登录",
            (Step::Keys, false) => "Member sign-in",
            (Step::Theme, true) => "外观",
            (Step::Theme, false) => "Look",
            (Step::Embed, true) => "嵌入代码",
            (Step::Embed, false) => "Embed code",
        }
    }

    pub fn step_intro(self, step: Step) -> &'static str {
        let zh = self.0 == Locale::ZhCn;
        match (step, zh) {
            (Step::Basics, true) => "会员在组件里看到的名称和介绍，以及社区所在的时区。",
            (Step::Basics, false) => {
                "What members see at the top of the widget, and the time zone the community lives in."
            }
            (Step::Joining, true) => "写下社区公约，并决定新成员是直接加入还是回答问题后审核。",
            (Step::Joining, false) => {
                "Write the rules, and choose whether members join at once or answer questions first."
            }
            (Step::Origins, true) => "只有这里列出的网站能显示你的社区，其他网站会被拒绝。",
            (Step::Origins, false) => {
                "Only the sites listed here can show your community; any other site is refused."
            }
            (Step::Keys, true) => {
                "会员用你网站的账号登录社区：你的服务器用密钥签发一个短期令牌，无需另设密码。"
            }
            (Step::Keys, false) => {
                "Members sign in with your site's accounts: your server signs a short-lived token with a secret key. No new passwords."
            }
            (Step::Theme, true) => "选择颜色、圆角和明暗，右边是真实组件的实时预览。",
            (Step::Theme, false) => {
                "Choose the colour, corners and light or dark; the real widget shows each change on the right."
            }
            (Step::Embed, true) => "把代码粘贴到网页中想显示社区的位置。每种视图一段代码。",
            (Step::Embed, false) => {
                "Paste a tag where the community should appear. One tag per view."
            }
        }
    }

    pub fn step_of(self, n: usize, total: usize) -> String {
        match self.0 {
            Locale::ZhCn => format!("第 {n} 步，共 {total} 步"),
            Locale::En => format!("Step {n} of {total}"),
        }
    }

    pub fn setup_progress(self, done: usize, total: usize) -> String {
        match self.0 {
            Locale::ZhCn => format!("已完成 {done}/{total} 步"),
            Locale::En => format!("{done} of {total} steps done"),
        }
    }

    pub fn origin_rule(self, bad: &str) -> String {
        match self.0 {
            Locale::ZhCn => format!(
                "“{bad}”不是有效的来源：需要以 https:// 或 http:// 开头，只有域名（和端口），不含路径。"
            ),
            Locale::En => format!(
                "“{bad}” is not an origin: it starts with https:// or http:// and has a host (and port), no path."
            ),
        }
    }

    pub fn too_many_origins(self, max: usize) -> String {
        match self.0 {
            Locale::ZhCn => format!("最多 {max} 个网站。"),
            Locale::En => format!("At most {max} websites."),
        }
    }

    pub fn question_n(self, n: usize) -> String {
        match self.0 {
            Locale::ZhCn => format!("问题 {n}"),
            Locale::En => format!("Question {n}"),
        }
    }

    pub fn remove_question_n(self, n: usize) -> String {
        match self.0 {
            Locale::ZhCn => format!("删除问题 {n}"),
            Locale::En => format!("Remove question {n}"),
        }
    }

    pub fn questions_limit(self, max: usize) -> String {
        match self.0 {
            Locale::ZhCn => format!("最多 {max} 个问题。"),
            Locale::En => format!("Up to {max} questions."),
        }
    }

    pub fn created_at(self, at: &str) -> String {
        match self.0 {
            Locale::ZhCn => format!("创建于 {at}"),
            Locale::En => format!("created {at}"),
        }
    }

    pub fn new_secret_title(self, kid: &str) -> String {
        match self.0 {
            Locale::ZhCn => format!("新密钥 {kid}"),
            Locale::En => format!("New key {kid}"),
        }
    }

    pub fn corner_radius(self, px: u8) -> String {
        match self.0 {
            Locale::ZhCn => format!("圆角：{px} 像素"),
            Locale::En => format!("Corner radius: {px} px"),
        }
    }

    pub fn embed_view_name(self, view: EmbedView) -> &'static str {
        let zh = self.0 == Locale::ZhCn;
        match (view, zh) {
            (EmbedView::Home, true) => "完整社区",
            (EmbedView::Home, false) => "The whole community",
            (EmbedView::Checkin, true) => "每日签到",
            (EmbedView::Checkin, false) => "Daily check-in",
            (EmbedView::Profile, true) => "我的（积分、等级、徽章）",
            (EmbedView::Profile, false) => "Member profile (points, level, badges)",
            (EmbedView::Events, true) => "活动列表",
            (EmbedView::Events, false) => "Events",
            (EmbedView::Comments, true) => "文章评论",
            (EmbedView::Comments, false) => "Comments under a page",
        }
    }

    pub fn embed_view_hint(self, view: EmbedView) -> &'static str {
        let zh = self.0 == Locale::ZhCn;
        match (view, zh) {
            (EmbedView::Home, true) => "讨论、签到、活动和个人页都在一起，适合“社区”栏目页。",
            (EmbedView::Home, false) => {
                "Talk, check-in, events and the member's page together: for a community page."
            }
            (EmbedView::Checkin, true) => "只显示签到卡片，适合放在首页或会员中心。",
            (EmbedView::Checkin, false) => {
                "Just the check-in card: for the home page or account area."
            }
            (EmbedView::Profile, true) => "会员自己的积分、等级和徽章。",
            (EmbedView::Profile, false) => "The member's own points, level and badges.",
            (EmbedView::Events, true) => "即将开始的活动，会员可以直接报名。",
            (EmbedView::Events, false) => "Upcoming events, with sign-up right there.",
            (EmbedView::Comments, true) => "每篇文章下面一个讨论串。data-page 填这篇文章的地址。",
            (EmbedView::Comments, false) => {
                "A thread under each article. Set data-page to the article's address."
            }
        }
    }

    pub fn copy_embed_of(self, view: EmbedView) -> String {
        match self.0 {
            Locale::ZhCn => format!("复制“{}”的嵌入代码", self.embed_view_name(view)),
            Locale::En => format!("Copy the embed code: {}", self.embed_view_name(view)),
        }
    }

    pub fn mod_tab(self, tab: ModTab) -> &'static str {
        let zh = self.0 == Locale::ZhCn;
        match (tab, zh) {
            (ModTab::Queue, true) => "待处理",
            (ModTab::Queue, false) => "Queue",
            (ModTab::Bans, true) => "封禁",
            (ModTab::Bans, false) => "Bans",
            (ModTab::Audit, true) => "审计日志",
            (ModTab::Audit, false) => "Audit log",
        }
    }

    pub fn decided(self, decision: ContentDecision) -> &'static str {
        let zh = self.0 == Locale::ZhCn;
        match (decision, zh) {
            (ContentDecision::Hide, true) => "已隐藏，成员不再能看到这条内容。",
            (ContentDecision::Hide, false) => "Hidden: members no longer see it.",
            (ContentDecision::Restore, true) => "已恢复显示。",
            (ContentDecision::Restore, false) => "Restored: members see it again.",
            (ContentDecision::Approve, true) => "已通过，内容已发布。",
            (ContentDecision::Approve, false) => "Approved: it is published.",
            (ContentDecision::Reject, true) => "已拒绝，内容不会发布。",
            (ContentDecision::Reject, false) => "Rejected: it stays unpublished.",
        }
    }

    pub fn member_banned(self, member: &str) -> String {
        match self.0 {
            Locale::ZhCn => format!("已封禁 {member}。"),
            Locale::En => format!("{member} is banned."),
        }
    }

    pub fn member_unbanned(self, member: &str) -> String {
        match self.0 {
            Locale::ZhCn => format!("已解除对 {member} 的封禁。"),
            Locale::En => format!("{member} may post again."),
        }
    }

    pub fn unban_member(self, member: &str) -> String {
        match self.0 {
            Locale::ZhCn => format!("解除对 {member} 的封禁"),
            Locale::En => format!("Lift the ban on {member}"),
        }
    }

    pub fn reports_count(self, n: u32) -> String {
        match self.0 {
            Locale::ZhCn => format!("{n} 次举报"),
            Locale::En if n == 1 => "1 report".to_owned(),
            Locale::En => format!("{n} reports"),
        }
    }

    pub fn report_reasons(self, r: ReasonCounts) -> String {
        let zh = self.0 == Locale::ZhCn;
        let names: [(&str, &str, u32); 4] = [
            ("垃圾广告", "spam", r.spam),
            ("辱骂攻击", "abuse", r.abuse),
            ("跑题", "off topic", r.off_topic),
            ("其他", "other", r.other),
        ];
        let parts: Vec<String> = names
            .iter()
            .filter(|(_, _, n)| *n > 0)
            .map(|(z, e, n)| {
                if zh {
                    format!("{z} {n}")
                } else {
                    format!("{e} {n}")
                }
            })
            .collect();
        parts.join(" · ")
    }

    pub fn by_member(self, member: &str) -> String {
        match self.0 {
            Locale::ZhCn => format!("作者：{member}"),
            Locale::En => format!("by {member}"),
        }
    }

    pub fn days(self, n: u32) -> String {
        match self.0 {
            Locale::ZhCn => format!("{n} 天"),
            Locale::En if n == 1 => "1 day".to_owned(),
            Locale::En => format!("{n} days"),
        }
    }

    pub fn audit_resolve(self, decision: Decision, reports: u32) -> String {
        match (decision, self.0) {
            (Decision::Dismissed, Locale::ZhCn) => format!("驳回 {reports} 次举报"),
            (Decision::Dismissed, Locale::En) => format!("Dismissed {reports} report(s)"),
            (Decision::ActionTaken, Locale::ZhCn) => format!("处理了 {reports} 次举报"),
            (Decision::ActionTaken, Locale::En) => format!("Acted on {reports} report(s)"),
        }
    }

    pub fn seats(self, confirmed: u32, capacity: Option<u32>, waiting: u32) -> String {
        let base = match (capacity, self.0) {
            (Some(c), Locale::ZhCn) => format!("已报名 {confirmed}/{c}"),
            (Some(c), Locale::En) => format!("{confirmed}/{c} signed up"),
            (None, Locale::ZhCn) => format!("已报名 {confirmed}（不限名额）"),
            (None, Locale::En) => format!("{confirmed} signed up (no limit)"),
        };
        match (waiting, self.0) {
            (0, _) => base,
            (w, Locale::ZhCn) => format!("{base}，候补 {w}"),
            (w, Locale::En) => format!("{base}, {w} waiting"),
        }
    }

    pub fn ticket(self, ticket: &TicketView) -> String {
        match (ticket, self.0) {
            (TicketView::Confirmed { attended: true }, Locale::ZhCn) => "已到场".to_owned(),
            (TicketView::Confirmed { attended: true }, Locale::En) => "Checked in".to_owned(),
            (TicketView::Confirmed { attended: false }, Locale::ZhCn) => "已确认".to_owned(),
            (TicketView::Confirmed { attended: false }, Locale::En) => "Confirmed".to_owned(),
            (TicketView::Waitlisted { position }, Locale::ZhCn) => format!("候补第 {position} 位"),
            (TicketView::Waitlisted { position }, Locale::En) => format!("Waitlist #{position}"),
        }
    }

    pub fn marked_present(self, member: &str) -> String {
        match self.0 {
            Locale::ZhCn => format!("已标记 {member} 到场。"),
            Locale::En => format!("{member} is marked present."),
        }
    }

    pub fn mark_present_of(self, name: &str) -> String {
        match self.0 {
            Locale::ZhCn => format!("标记 {name} 到场"),
            Locale::En => format!("Mark {name} present"),
        }
    }

    pub fn question_prompt_rule(self, n: usize) -> String {
        match self.0 {
            Locale::ZhCn => format!("报名问题 {n} 需要 1 到 200 个字。"),
            Locale::En => format!("Sign-up question {n} must be 1 to 200 characters."),
        }
    }

    pub fn question_options_rule(self, n: usize) -> String {
        match self.0 {
            Locale::ZhCn => {
                format!("报名问题 {n} 需要 2 到 20 个不重复的选项（每个最多 100 字）。")
            }
            Locale::En => format!(
                "Sign-up question {n} needs 2 to 20 different options (100 characters each at most)."
            ),
        }
    }

    pub fn times_in_zone(self, zone: &str) -> String {
        match self.0 {
            Locale::ZhCn => format!("时间按社区时区 {zone} 填写。"),
            Locale::En => format!("Times are in the community's time zone, {zone}."),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_phrase_has_both_languages() {
        for (zh, en) in ALL {
            assert!(
                !zh.trim().is_empty() && !en.trim().is_empty(),
                "{zh} / {en}"
            );
        }
    }

    #[test]
    fn errors_say_what_the_api_said_in_the_chosen_language() {
        let err = ApiError::new(
            ErrorCode::Conflict,
            "the address `acme` is taken; pick another",
        );
        assert_eq!(
            Text(Locale::En).error(&err),
            "That clashes with what is there: the address `acme` is taken; pick another."
        );
        assert!(
            Text(Locale::ZhCn)
                .error(&err)
                .starts_with("和现有内容冲突：")
        );
        let internal = ApiError::new(ErrorCode::Internal, "do not show this");
        assert!(!Text(Locale::En).error(&internal).contains("do not show"));
        let wrong = ApiError::new(ErrorCode::Unauthenticated, "wrong email or password");
        assert_eq!(
            Text(Locale::En).auth_error(&wrong),
            "Wrong email or password."
        );
    }
}
