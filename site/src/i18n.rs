//! Every word the dashboard shows, in Chinese and English side by side, and what to say
//! about each error code the API answers.

use quanzi_client::ContentDecision;
use quanzi_core::accounts::Role;
use quanzi_core::community::Locale;
use quanzi_core::error::{ApiError, ErrorCode};
use quanzi_core::events::TicketView;
use quanzi_core::moderation::{Decision, MemberRole, ReasonCounts};
use quanzi_core::points::Action;
use quanzi_core::webhook::AttemptOutcome;

use crate::route::{GameTab, ModTab, Step};
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
// Sections with many words keep them in their own module (`insight::text`).
pub(crate) use phrases;

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
    colour_rule => "颜色请用 #rrggbb 格式，例如 #c8432b。", "Use the #rrggbb form for the colour, like #c8432b.";
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
    audit_by_rules => "社区规则", "Community rules";
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

    // Gamification.
    game_section => "积分与成长", "Gamification";
    game_points_intro => "成员每次做这些事可以得到的积分，以及每天最多能得到多少（每日上限按社区时区计算）。",
        "The points members earn for each action, and the most each action can earn per day (days follow the community's time zone).";
    game_action => "行为", "Action";
    game_points => "积分", "Points";
    game_daily_cap => "每日上限", "Daily cap";
    game_no_cap => "不限", "No cap";
    game_cap_hint => "留空表示不限。", "Empty: no cap.";
    game_action_post => "发帖", "Posting a thread";
    game_action_reply => "回复", "Replying";
    game_action_reaction => "收到点赞", "Receiving a reaction";
    game_action_checkin => "每日签到", "Daily check-in";
    game_action_event => "参加活动", "Attending an event";
    game_action_answer => "回答被采纳", "An accepted answer";
    game_checkin_title => "签到奖励", "Check-in rewards";
    game_checkin_intro => "每日签到得到上表中“每日签到”的积分；连续签到达到以下天数时再奖励一次。",
        "A check-in earns the “Daily check-in” points above; a streak reaching these lengths earns a bonus once per run.";
    game_streak_days => "连续天数", "Streak (days)";
    game_bonus_points => "奖励积分", "Bonus points";
    game_add_bonus => "添加连续签到奖励", "Add a streak bonus";
    game_no_bonuses => "还没有连续签到奖励。", "No streak bonuses yet.";
    game_streak_cap => "连续签到奖励的每日上限", "Daily cap on streak bonuses";
    game_makeup => "允许使用补签卡", "Allow make-up cards";
    game_makeup_hint => "成员可以用补签卡补上最近几天漏签的日子。", "Members may fill a recently missed day with a make-up card.";
    game_makeup_window => "补签可追溯的天数", "Make-up reaches back (days)";
    game_rules_saved => "积分和签到规则已保存，新的规则立即生效。", "Points and check-in rules saved; they apply from now on.";
    game_points_rule => "积分需要是 0 到 1,000,000 之间的整数。", "Points are a whole number from 0 to 1,000,000.";
    game_cap_rule => "每日上限需要是 1 到 1,000,000 之间的整数，或留空。", "A daily cap is a whole number from 1 to 1,000,000, or empty.";
    game_streak_rule => "连续天数需要是 1 到 3650 之间的整数，且不能重复。", "Streak lengths are whole numbers from 1 to 3,650, each used once.";
    game_streak_limit => "最多 20 个连续签到奖励。", "At most 20 streak bonuses.";
    game_window_rule => "补签天数需要是 1 到 31 之间的整数。", "The make-up window is a whole number from 1 to 31 days.";
    game_levels_intro => "成员累计获得的积分达到门槛即升级（兑换消耗积分不会降级）。第一级从 0 分开始。",
        "Members reach a level when the points they have earned pass its threshold (spending points never lowers it). Level 1 starts at 0.";
    game_threshold => "门槛（累计积分）", "Threshold (points earned)";
    game_name_zh => "中文名称", "Chinese name";
    game_name_en => "英文名称", "English name";
    game_perks => "等级权益（每行一条）", "Perks (one per line)";
    game_add_level => "添加等级", "Add a level";
    game_levels_saved => "等级已保存。", "Levels saved.";
    game_level_limit => "最多 20 个等级。", "At most 20 levels.";
    game_threshold_first => "第一级的门槛必须是 0。", "Level 1 must start at 0 points.";
    game_threshold_order => "每一级的门槛都要比上一级高。", "Each level needs more points than the one before.";
    game_threshold_rule => "门槛需要是不小于 0 的整数。", "A threshold is a whole number, 0 or more.";
    game_level_name_rule => "等级名称需要 1 到 24 个字（中英文都要填）。", "Level names are 1 to 24 characters, in both languages.";
    game_perk_rule => "每条权益 1 到 80 个字，每级最多 10 条。", "Each perk is 1 to 80 characters; at most 10 per level.";
    game_badges_intro => "自动徽章在成员达到条件时颁发；手动徽章由你在成员页颁发。可设为头衔的徽章会显示在成员名字旁。",
        "Automatic badges are given when a member meets the rule; manual ones only staff give. A badge marked as a title can be shown beside the member's name.";
    game_badge_id => "徽章 ID", "Badge id";
    game_badge_how => "获得方式", "How it is earned";
    game_badge_manual => "手动颁发", "Given by staff";
    game_badge_first_post => "第一次发帖", "First thread";
    game_badge_posts => "发帖数达到", "Threads posted";
    game_badge_replies => "回复数达到", "Replies written";
    game_badge_reactions => "收到点赞达到", "Reactions received";
    game_badge_answers => "回答被采纳达到", "Accepted answers";
    game_badge_events => "参加活动达到", "Events attended";
    game_badge_streak => "最长连续签到达到（天）", "Longest check-in streak (days)";
    game_badge_checkin_days => "累计签到达到（天）", "Days checked in";
    game_badge_points => "累计积分达到", "Points earned";
    game_badge_count => "数量", "Count";
    game_badge_title => "可设为头衔", "Can be a title";
    game_add_badge => "添加徽章", "Add a badge";
    game_no_badges => "还没有徽章。", "No badges yet.";
    game_badges_saved => "徽章已保存。", "Badges saved.";
    game_badge_id_rule => "徽章 ID 是 1–40 个小写字母、数字、- 或 _，且不能重复。", "A badge id is 1–40 lowercase letters, digits, - or _, each used once.";
    game_badge_name_rule => "徽章名称需要 1 到 40 个字（中英文都要填）。", "Badge names are 1 to 40 characters, in both languages.";
    game_badge_count_rule => "数量需要是 1 到 1,000,000 之间的整数。", "The count is a whole number from 1 to 1,000,000.";
    game_badge_limit => "最多 100 个徽章。", "At most 100 badges.";
    game_rewards_intro => "成员可以用积分兑换的礼品。库存为 0 时不能兑换；下架的礼品保留在历史记录中。",
        "What members can spend points on. Nothing is redeemable at stock 0; withdrawn rewards stay in old ledgers.";
    game_reward_id => "礼品 ID", "Reward id";
    game_reward_id_hint => "用于地址，创建后不能修改，例如 tote-bag。", "Used in addresses and fixed once created, like tote-bag.";
    game_reward_name => "礼品名称", "Name";
    game_reward_cost => "所需积分", "Cost (points)";
    game_reward_stock => "库存", "Stock";
    game_reward_stock_hint => "留空表示不限量。", "Empty: unlimited.";
    game_reward_active => "上架（成员可以兑换）", "Offered (members can redeem it)";
    game_unlimited => "不限", "Unlimited";
    game_offered => "上架中", "Offered";
    game_withdrawn => "已下架", "Withdrawn";
    game_new_reward => "新建礼品", "New reward";
    game_edit_reward => "编辑礼品", "Edit reward";
    game_create_reward => "创建礼品", "Create reward";
    game_no_rewards => "还没有礼品。创建第一个，让积分有处可花。", "No rewards yet. Create one so points have something to buy.";
    game_reward_created => "礼品已创建，成员现在可以兑换。", "Reward created; members can redeem it now.";
    game_reward_saved => "礼品已保存。", "Reward saved.";
    game_reward_id_rule => "礼品 ID 是 1–40 个小写字母、数字、- 或 _。", "A reward id is 1–40 lowercase letters, digits, - or _.";
    game_reward_name_rule => "礼品名称需要 1 到 60 个字。", "The name must be 1 to 60 characters.";
    game_reward_cost_rule => "所需积分需要是 1 到 1,000,000 之间的整数。", "The cost is a whole number from 1 to 1,000,000.";
    game_reward_stock_rule => "库存需要是不小于 0 的整数，或留空。", "Stock is a whole number, 0 or more, or empty.";
    game_cancel_edit => "取消编辑", "Cancel editing";

    // Topics.
    topics_section => "话题", "Topics";
    topics_intro => "话题是社区里的兴趣小组。持有指定品牌标签的成员会自动加入。",
        "Topics are the community's interest groups. Members holding one of a topic's brand tags join it automatically.";
    topic_new => "新建话题", "New topic";
    topic_edit => "编辑话题", "Edit topic";
    topic_id => "话题 ID（可选）", "Topic id (optional)";
    topic_id_hint => "用于地址，例如 running-club；留空则自动生成。", "Used in addresses, like running-club; empty: one is made for you.";
    topic_name => "话题名称", "Name";
    topic_description => "话题介绍", "Description";
    topic_tags => "自动加入的品牌标签（用逗号分隔）", "Brand tags that join members automatically (comma-separated)";
    topic_tags_hint => "与登录令牌中的 tags 对应，例如 gold, vip。", "Matched against the tags in the sign-in token, like gold, vip.";
    topic_create => "创建话题", "Create topic";
    topic_created => "话题已创建。", "Topic created.";
    topic_saved => "话题已保存。", "Topic saved.";
    topic_no_topics => "还没有话题。先创建一个，例如“新手报到”。", "No topics yet. Create one first, like “Say hello”.";
    topic_members => "成员数", "Members";
    topic_id_rule => "话题 ID 是 1–40 个小写字母、数字或 -。", "A topic id is 1–40 lowercase letters, digits or -.";
    topic_name_rule => "话题名称需要 1 到 60 个字。", "The name must be 1 to 60 characters.";
    topic_description_rule => "话题介绍最多 500 个字。", "The description can be at most 500 characters.";
    topic_tags_rule => "每个标签 1 到 40 个字，不含 /，最多 20 个。", "Each tag is 1 to 40 characters without /; at most 20 tags.";
    threads_title => "置顶和精选", "Pinned and featured threads";
    threads_intro => "置顶的帖子排在讨论列表最前面；精选的帖子出现在“精选”栏目。",
        "Pinned threads come first in the feed; featured ones appear under Featured.";
    threads_empty => "还没有帖子。", "No threads yet.";
    thread_title => "标题", "Title";
    thread_flags => "标记", "Flags";
    pinned => "置顶", "Pinned";
    featured => "精选", "Featured";
    locked => "已锁定", "Locked";
    pin => "置顶", "Pin";
    unpin => "取消置顶", "Unpin";
    feature => "设为精选", "Feature";
    unfeature => "取消精选", "Unfeature";
    untitled => "（无标题）", "(untitled)";

    // Webhooks.
    webhooks_section => "Webhooks", "Webhooks";
    webhooks_intro => "社区里发生事件时，Quanzi 会把它以签名的 POST 请求发送到你的服务器。",
        "When something happens in the community, Quanzi sends it to your server as a signed POST.";
    webhook_add => "添加 Webhook", "Add a webhook";
    webhook_url => "接收地址", "Receiver URL";
    webhook_url_hint => "以 https:// 开头的公网地址。", "A public address starting with https://.";
    webhook_events => "订阅的事件", "Events";
    webhook_description => "备注（可选）", "Note (optional)";
    webhook_url_rule => "请填写以 https:// 开头的地址。", "Enter an address starting with https://.";
    webhook_events_rule => "至少选择一个事件。", "Choose at least one event.";
    webhook_description_rule => "备注最多 200 个字。", "The note can be at most 200 characters.";
    webhook_secret_title => "签名密钥", "Signing secret";
    webhook_secret_once => "签名密钥只显示这一次。请立即复制并保存在你的服务器上，用它校验 Quanzi-Signature 请求头。",
        "The signing secret is shown this once. Copy it now and keep it on your server to check the Quanzi-Signature header.";
    webhook_copy_secret => "复制签名密钥", "Copy the signing secret";
    webhook_secret_done => "我已保存，隐藏密钥", "I saved it: hide the secret";
    webhook_none => "还没有 Webhook。", "No webhooks yet.";
    webhook_delete => "删除", "Delete";
    webhook_delete_confirm => "确定删除这个 Webhook 吗？它的投递记录和待发送的事件也会一并删除。",
        "Delete this webhook? Its delivery log and queued events go with it.";
    webhook_keep => "不删除", "Keep it";
    webhook_deleted => "Webhook 已删除。", "Webhook deleted.";
    webhook_created => "Webhook 已添加。", "Webhook added.";
    webhook_show_log => "投递记录", "Delivery log";
    webhook_hide_log => "收起记录", "Hide log";
    webhook_log_empty => "还没有投递记录。", "Nothing delivered yet.";
    webhook_attempt => "第几次", "Attempt";
    webhook_outcome_heading => "结果", "Result";
    webhook_next_retry => "下次重试", "Next retry";
    webhook_event => "事件", "Event";

    // Automations.
    automations_section => "自动化", "Automations";
    auto_intro => "当成员发生某件事（加入、参加活动、升级、获得徽章、一段时间没来）时，自动为符合条件的成员做一件事：发消息、送积分、授予徽章、打标签、邀请参加活动或通知你的 Webhook。",
        "When something happens to a member (they join, attend, level up, earn a badge, go quiet), do something for those in a segment: send a message, give points, grant a badge, tag them, invite them to an event or tell your webhooks.";
    auto_owners_only => "只有社区的所有者和管理员可以查看和管理自动化。", "Only the community's owners and admins see and manage automations.";
    auto_saved => "自动化已保存（尚未开启）。先预览它会触达谁，再开启。", "Automation saved (off). Preview whom it reaches, then switch it on.";
    auto_deleted => "自动化已删除。", "Automation deleted.";
    auto_new => "新建自动化", "New automation";
    auto_edit_title => "编辑自动化", "Edit automation";
    auto_empty_title => "还没有自动化", "No automations yet";
    auto_empty_body => "让社区自己运转：新成员加入时发一句欢迎并送积分，召回 14 天没来的成员，在成员升级时送上徽章。",
        "Let the community run itself: welcome new members with a message and points, recall members quiet for 14 days, hand out a badge when someone levels up.";
    auto_name => "名称", "Name";
    auto_when => "何时触发", "When";
    auto_trigger => "触发条件", "Trigger";
    auto_which_event => "活动", "Event";
    auto_any_event => "任意活动", "Any event";
    auto_level => "达到等级", "Level reached";
    auto_which_badge => "徽章", "Badge";
    auto_any_badge => "任意徽章", "Any badge";
    auto_choose => "请选择", "Choose one";
    auto_quiet_days => "连续未活跃天数", "Days without activity";
    auto_hour => "每天几点检查（社区时区，0–23）", "Hour of the day (community time, 0–23)";
    auto_who => "对哪些成员（可选）", "For which members (optional)";
    auto_who_hint => "留空表示所有成员；填写多项时须全部满足。", "Leave empty for every member; several conditions must all hold.";
    auto_seg_tag => "带有标签", "Has the tag";
    auto_seg_level => "等级不低于", "Level at least";
    auto_seg_points => "累计积分不少于", "Points earned at least";
    auto_seg_quiet => "已连续未活跃天数", "Quiet for days";
    auto_seg_active => "最近几天内活跃过", "Active within days";
    auto_seg_joined => "最近几天内加入", "Joined within days";
    auto_seg_other => "另有通过 API 设置的条件（保留）：", "Also conditions set through the API (kept):";
    auto_then => "做什么", "Then";
    auto_action => "动作", "Action";
    auto_message => "消息内容", "Message";
    auto_message_optional => "附言（可选）", "Message (optional)";
    auto_points => "积分", "Points";
    auto_tag => "标签", "Tag";
    auto_webhook_hint => "向社区的 Webhook 发送 automation.fired 事件。接收地址在这里设置：",
        "Sends an automation.fired event to the community's webhooks, set up here:";
    auto_saved_off => "保存后处于关闭状态：先预览，再开启。", "It is saved switched off: preview it, then switch it on.";
    auto_save => "保存", "Save";
    auto_cancel => "取消", "Cancel";
    auto_never_fired => "还没有触发过。", "Not fired yet.";
    auto_on => "已开启", "On";
    auto_off => "已关闭", "Off";
    auto_switch => "开启", "Switch on";
    auto_switch_off => "关闭", "Switch off";
    auto_switch_on => "确认开启", "Switch on";
    auto_in_segment => "（限指定成员）", " (members in its segment)";
    auto_preview => "预览", "Preview";
    auto_close_preview => "收起预览", "Close preview";
    auto_first_members => "最先触达的成员", "The first members it reaches";
    auto_log => "运行记录", "Run log";
    auto_hide_log => "收起记录", "Hide log";
    auto_delete => "删除", "Delete";
    auto_delete_confirm => "确定删除这个自动化吗？它的运行记录也会一并删除。", "Delete this automation? Its run log goes with it.";
    auto_keep => "不删除", "Keep it";
    auto_done => "已完成", "Done";
    auto_skipped => "已跳过", "Skipped";
    auto_member => "成员", "Member";
    auto_occurrence => "触发事由", "Occurrence";
    auto_outcome => "结果", "Outcome";
    auto_name_rule => "请填写 1–60 个字的名称。", "Give it a name of 1–60 characters.";
    auto_message_rule => "请填写 1–280 个字的消息。", "Write a message of 1–280 characters.";
    auto_hour_rule => "时间请填 0 到 23 之间的整数。", "The hour must be a whole number from 0 to 23.";
    auto_days_rule => "天数请填 1 到 3650 之间的整数。", "Days must be a whole number from 1 to 3650.";
    auto_level_rule => "等级请填 2 到 100 之间的整数。", "The level must be a whole number from 2 to 100.";
    auto_points_rule => "积分请填 1 到 10000 之间的整数。", "Points must be a whole number from 1 to 10000.";
    auto_badge_rule => "请选择一个徽章。", "Choose a badge.";
    auto_event_rule => "请选择一个活动。", "Choose an event.";
    auto_tag_rule => "标签为 1–40 个字，不能包含 /。", "A tag has 1–40 characters and no /.";
    auto_number_rule => "请填写整数，或留空。", "Enter a whole number, or leave it empty.";

    // Posting rule.
    phone_rule_label => "发帖前需要验证手机号", "Posting needs a verified phone";
    phone_rule_hint => "开启后，只有登录令牌中带有 phone_verified: true 的成员可以发帖和回复。",
        "When on, only members whose sign-in token carries phone_verified: true may post and reply.";

    // Members.
    members_intro => "搜索成员，查看他们的动态，调整积分，授予徽章，打标签。",
        "Find members, see what they did, adjust points, grant badges and tag them.";
    members_search_label => "名字或成员 ID", "Name or member id";
    members_search => "搜索", "Search";
    members_clear => "清除筛选", "Clear filters";
    members_filters => "筛选", "Filters";
    members_level => "等级", "Level";
    members_tag => "标签", "Tag";
    members_activity => "活跃情况", "Activity";
    members_activity_any => "不限", "Any time";
    members_min_points => "累计积分不少于", "Earned at least";
    members_max_points => "累计积分不超过", "Earned at most";
    members_results => "成员", "Members";
    members_none => "没有符合条件的成员。换个搜索词或清除筛选试试。", "No member matches. Try other words or clear the filters.";
    members_name => "成员", "Member";
    members_points => "累计积分", "Points earned";
    members_balance => "可用积分", "Balance";
    members_last_active => "最近活跃", "Last active";
    members_joined => "加入于", "Joined";
    members_tags => "标签", "Tags";
    members_search_rule => "搜索词最多 64 个字。", "Search for at most 64 characters.";
    members_level_rule => "等级是 1–255 的整数。", "A level is a whole number from 1 to 255.";
    members_points_rule => "积分是不小于 0 的整数。", "Points are a whole number, 0 or more.";
    members_points_order => "“不少于”不能大于“不超过”。", "“At least” must not be above “at most”.";
    members_tag_rule => "标签是 1–40 个字，不能含 /。", "A tag is 1–40 characters, without /.";
    member_close => "关闭", "Close";
    member_brand_tags => "品牌标签（来自登录令牌）", "Brand tags (from the sign-in token)";
    member_staff_tags => "社区标签（由员工添加）", "Staff tags (added by your team)";
    member_no_tags => "暂无", "None";
    member_new_tag => "新标签", "New tag";
    member_add_tag => "添加标签", "Add tag";
    member_badges => "徽章", "Badges";
    member_no_badges => "还没有徽章。", "No badges yet.";
    member_badge_choice => "要授予的徽章", "Badge to grant";
    member_grant => "授予", "Grant";
    member_revoke => "收回", "Revoke";
    member_adjust => "调整积分", "Adjust points";
    member_delta => "增减积分（负数为扣除）", "Points to add (negative takes away)";
    member_delta_rule => "请输入 -1000000 到 1000000 之间、不为 0 的整数。", "Enter a whole number from -1000000 to 1000000, not 0.";
    member_adjust_reason => "原因（会显示在积分明细里）", "Reason (shown in the ledger)";
    member_adjust_reason_rule => "原因必填，最多 200 个字。", "A reason is required, at most 200 characters.";
    member_adjust_button => "调整", "Adjust";
    member_timeline => "动态", "Timeline";
    member_timeline_empty => "还没有动态。", "Nothing yet.";
    member_manage_note => "只有所有者和管理员可以调整积分和徽章。", "Only owners and admins adjust points and grant badges.";
    member_role => "社区角色", "Community role";
    member_role_note => "成员版主可以在社区里隐藏帖子、处理举报，但不能封禁成员或修改设置。",
        "A member moderator hides posts and handles reports in the community, but cannot ban people or change settings.";
    member_make_moderator => "设为成员版主", "Make member moderator";
    member_remove_moderator => "取消成员版主", "Remove moderator role";
    member_remove_moderator_confirm => "取消后，TA 不能再隐藏帖子或处理举报。确定取消吗？",
        "They will no longer hide posts or handle reports. Remove the role?";
    member_keep_moderator => "保留", "Keep";
    member_made_moderator => "已设为成员版主。", "Now a member moderator.";
    member_moderator_removed => "已取消成员版主。", "No longer a member moderator.";
    member_role_forbidden => "只有所有者和管理员可以任免成员版主。", "Only owners and admins appoint or remove member moderators.";
    member_role_unchanged => "TA 已经是这个角色了，面板已刷新。", "They already have this role; the panel is up to date now.";
    member_role_no_member => "没有找到这个成员。", "This member was not found.";
    game_rewards_owners_only => "礼品目录（包括已下架的）只有所有者和管理员可以查看和修改；成员在社区里看到正在兑换的礼品。",
        "The rewards catalogue (withdrawn rewards too) is for owners and admins; members see the rewards on offer in the community.";
    game_read_only => "这里只能查看：只有所有者和管理员可以修改积分规则、等级、徽章和礼品。",
        "You can view this but not change it: only owners and admins change point rules, levels, badges and rewards.";
    team_section => "团队", "Team";
    team_intro => "运营这个社区的人和他们的角色。所有者可以做一切；管理员管理设置、活动、积分和团队（所有者除外）；版主处理审核。",
        "The people who run this community and their roles. Owners can do everything; admins run settings, events, points and the team (owners aside); moderators moderate.";
    team_members => "团队成员", "Teammates";
    team_role => "角色", "Role";
    team_you => "（你）", "(you)";
    team_managers_only => "只有所有者和管理员可以邀请成员和调整角色。", "Only owners and admins invite teammates and change roles.";
    team_remove => "移出团队", "Remove";
    team_keep => "不移出", "Keep";
    team_removed => "已移出团队。", "Removed from the team.";
    team_role_changed => "角色已更新。", "Role changed.";
    invite_someone => "邀请成员", "Invite a teammate";
    invite_hint => "Quanzi 不会发送邮件：创建后复制链接，自己发给对方。链接 7 天内有效，只能使用一次，且只能用这个邮箱的账户接受。",
        "Quanzi sends no email: copy the link it makes and send it yourself. It works once, for 7 days, for an account with this email.";
    invite_create => "创建邀请链接", "Create invite link";
    invite_created => "邀请已创建。", "Invite created.";
    invite_link_title => "邀请链接", "Invite link";
    invite_copy_link => "复制邀请链接", "Copy the invite link";
    invite_link_done => "我已发送，隐藏链接", "I sent it: hide the link";
    invites_pending => "待接受的邀请", "Pending invites";
    invites_none => "没有待接受的邀请。", "No pending invites.";
    invite_revoke => "撤销", "Revoke";
    invite_revoked => "邀请已撤销。", "Invite revoked.";
    invite_sign_in_first => "请先登录；还没有账户的话，用收到邀请的邮箱注册一个。然后就可以接受邀请。",
        "Sign in first, or create an account with the email the invite was sent to; then accept it.";
    invite_accept => "接受邀请", "Accept the invite";
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

    /// Why a post waits for review.
    pub fn held_for(self, why: quanzi_core::moderation::spam::HeldFor) -> &'static str {
        use quanzi_core::moderation::spam::HeldFor as H;
        match (why, self.0) {
            (H::PreModeration, Locale::ZhCn) => "先审后发",
            (H::PreModeration, Locale::En) => "Posts are reviewed first",
            (H::LinkFromNewMember, Locale::ZhCn) => "新成员发布了链接",
            (H::LinkFromNewMember, Locale::En) => "A link from a new member",
            (H::RepeatedText, Locale::ZhCn) => "一天内重复发布相同内容",
            (H::RepeatedText, Locale::En) => "The same text again within a day",
            (H::Reports, Locale::ZhCn) => "多人举报，已暂时隐藏",
            (H::Reports, Locale::En) => "Hidden after several reports",
        }
    }

    pub fn audit_hold(self, reports: u32) -> String {
        match self.0 {
            Locale::ZhCn => format!("被 {reports} 人举报，转入待审核"),
            Locale::En => format!("Sent back to review after {reports} reports"),
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

/// Gamification, topics and webhooks.
impl Text {
    pub fn game_tab(self, tab: GameTab) -> &'static str {
        let zh = self.0 == Locale::ZhCn;
        match (tab, zh) {
            (GameTab::Points, true) => "积分与签到",
            (GameTab::Points, false) => "Points & check-in",
            (GameTab::Levels, true) => "等级",
            (GameTab::Levels, false) => "Levels",
            (GameTab::Badges, true) => "徽章",
            (GameTab::Badges, false) => "Badges",
            (GameTab::Rewards, true) => "积分兑换",
            (GameTab::Rewards, false) => "Rewards",
        }
    }

    pub fn game_action_name(self, action: Action) -> &'static str {
        match action {
            Action::Post => self.game_action_post(),
            Action::Reply => self.game_action_reply(),
            Action::ReactionReceived => self.game_action_reaction(),
            Action::CheckIn => self.game_action_checkin(),
            Action::EventAttended => self.game_action_event(),
            Action::AcceptedAnswer => self.game_action_answer(),
        }
    }

    /// "Daily check-in: points are …": a rule's message naming the row it is about.
    pub fn about(self, what: &str, rule: &str) -> String {
        match self.0 {
            Locale::ZhCn => format!("{what}：{rule}"),
            Locale::En => format!("{what}: {rule}"),
        }
    }

    pub fn level_n(self, n: usize) -> String {
        match self.0 {
            Locale::ZhCn => format!("等级 {n}"),
            Locale::En => format!("Level {n}"),
        }
    }

    pub fn badge_n(self, n: usize) -> String {
        match self.0 {
            Locale::ZhCn => format!("徽章 {n}"),
            Locale::En => format!("Badge {n}"),
        }
    }

    pub fn streak_bonus_n(self, n: usize) -> String {
        match self.0 {
            Locale::ZhCn => format!("连续签到奖励 {n}"),
            Locale::En => format!("Streak bonus {n}"),
        }
    }

    pub fn remove_named(self, what: &str) -> String {
        match self.0 {
            Locale::ZhCn => format!("删除{what}"),
            Locale::En => format!("Remove {what}"),
        }
    }

    pub fn edit_named(self, what: &str) -> String {
        match self.0 {
            Locale::ZhCn => format!("编辑“{what}”"),
            Locale::En => format!("Edit {what}"),
        }
    }

    pub fn webhook_outcome(self, outcome: AttemptOutcome) -> &'static str {
        let zh = self.0 == Locale::ZhCn;
        match (outcome, zh) {
            (AttemptOutcome::Delivered, true) => "已送达",
            (AttemptOutcome::Delivered, false) => "Delivered",
            (AttemptOutcome::Retrying, true) => "失败，将重试",
            (AttemptOutcome::Retrying, false) => "Failed, will retry",
            (AttemptOutcome::GaveUp, true) => "失败，已放弃",
            (AttemptOutcome::GaveUp, false) => "Failed, gave up",
        }
    }

    pub fn delete_webhook_of(self, url: &str) -> String {
        match self.0 {
            Locale::ZhCn => format!("删除发往 {url} 的 Webhook"),
            Locale::En => format!("Delete the webhook to {url}"),
        }
    }

    pub fn deliveries_of(self, url: &str) -> String {
        match self.0 {
            Locale::ZhCn => format!("{url} 的投递记录"),
            Locale::En => format!("Delivery log of {url}"),
        }
    }

    pub fn flag_thread(self, action: &str, title: &str) -> String {
        match self.0 {
            Locale::ZhCn => format!("{action}：{title}"),
            Locale::En => format!("{action}: {title}"),
        }
    }
}

/// The members directory's words that take a value.
impl Text {
    pub fn members_active_within(self, days: u32) -> String {
        match self.0 {
            Locale::ZhCn => format!("近 {days} 天活跃"),
            Locale::En => format!("Active in the last {days} days"),
        }
    }

    pub fn members_inactive_for(self, days: u32) -> String {
        match self.0 {
            Locale::ZhCn => format!("{days} 天以上未活跃"),
            Locale::En => format!("Quiet for {days} days or more"),
        }
    }

    pub fn members_open(self, name: &str) -> String {
        match self.0 {
            Locale::ZhCn => format!("查看成员 {name}"),
            Locale::En => format!("Open {name}"),
        }
    }

    pub fn member_level(self, level: u8) -> String {
        format!("Lv.{level}")
    }

    pub fn member_role_name(self, role: MemberRole) -> &'static str {
        match role {
            MemberRole::Member => self.role_member(),
            MemberRole::MemberModerator => self.role_member_moderator(),
        }
    }

    /// A refused role change, by the API's error code.
    pub fn member_role_error(self, err: &ApiError) -> String {
        match err.code {
            ErrorCode::Forbidden => self.member_role_forbidden().to_owned(),
            ErrorCode::Conflict => self.member_role_unchanged().to_owned(),
            ErrorCode::NotFound => self.member_role_no_member().to_owned(),
            _ => self.error(err),
        }
    }

    pub fn member_remove_tag(self, tag: &str) -> String {
        match self.0 {
            Locale::ZhCn => format!("删除标签 {tag}"),
            Locale::En => format!("Remove tag {tag}"),
        }
    }

    pub fn member_revoke_badge(self, badge: &str) -> String {
        match self.0 {
            Locale::ZhCn => format!("收回徽章 {badge}"),
            Locale::En => format!("Revoke the badge {badge}"),
        }
    }

    pub fn member_tag_added(self, tag: &str) -> String {
        match self.0 {
            Locale::ZhCn => format!("已添加标签 {tag}。"),
            Locale::En => format!("Tagged {tag}."),
        }
    }

    pub fn member_tag_removed(self, tag: &str) -> String {
        match self.0 {
            Locale::ZhCn => format!("已删除标签 {tag}。"),
            Locale::En => format!("Took the tag {tag} off."),
        }
    }

    pub fn member_adjusted(self, delta: i64, balance: u64) -> String {
        match self.0 {
            Locale::ZhCn => format!("积分已调整 {delta:+}，现有 {balance}。"),
            Locale::En => format!("Points adjusted by {delta:+}; the balance is {balance}."),
        }
    }

    pub fn member_badge_granted(self, badge: &str) -> String {
        match self.0 {
            Locale::ZhCn => format!("已授予徽章 {badge}。"),
            Locale::En => format!("Granted the badge {badge}."),
        }
    }

    pub fn member_badge_revoked(self, badge: &str) -> String {
        match self.0 {
            Locale::ZhCn => format!("已收回徽章 {badge}。"),
            Locale::En => format!("Revoked the badge {badge}."),
        }
    }

    /// Why points moved, for the timeline.
    pub fn ledger_reason(self, reason: &quanzi_core::points::Reason) -> String {
        use quanzi_core::points::{Action, Reason};
        let zh = self.0 == Locale::ZhCn;
        match reason {
            Reason::Action { action } => {
                let (zh_text, en_text) = match action {
                    Action::Post => ("发帖", "Posted"),
                    Action::Reply => ("回复", "Replied"),
                    Action::ReactionReceived => ("收到点赞", "Got a reaction"),
                    Action::CheckIn => ("签到", "Checked in"),
                    Action::EventAttended => ("参加活动", "Attended an event"),
                    Action::AcceptedAnswer => ("回答被采纳", "Answer accepted"),
                };
                if zh { zh_text } else { en_text }.to_owned()
            }
            Reason::StreakBonus { days } if zh => format!("连续签到 {days} 天奖励"),
            Reason::StreakBonus { days } => format!("{days}-day streak bonus"),
            Reason::Adjustment { note, by } if zh => format!("员工调整：{note}（{by}）"),
            Reason::Adjustment { note, by } => format!("Adjusted by staff: {note} ({by})"),
            Reason::Redemption { reward_name, .. } if zh => format!("兑换 {reward_name}"),
            Reason::Redemption { reward_name, .. } => format!("Redeemed {reward_name}"),
        }
    }

    /// What a member did, for the timeline.
    pub fn activity(self, kind: quanzi_core::notify::ActivityKind) -> &'static str {
        use quanzi_core::notify::ActivityKind as K;
        let (zh, en) = match kind {
            K::Joined => ("加入社区", "Joined"),
            K::CheckedIn => ("签到", "Checked in"),
            K::Posted => ("发帖", "Posted"),
            K::Replied => ("回复", "Replied"),
            K::Reacted => ("点赞", "Reacted"),
            K::AnswerAccepted => ("回答被采纳", "Had an answer accepted"),
            K::SignedUp => ("报名活动", "Signed up for an event"),
            K::CancelledSignUp => ("取消报名", "Cancelled a sign-up"),
            K::Attended => ("参加活动", "Attended an event"),
            K::Redeemed => ("兑换奖励", "Redeemed a reward"),
            K::Reported => ("举报", "Reported something"),
        };
        match self.0 {
            Locale::ZhCn => zh,
            Locale::En => en,
        }
    }

    pub fn member_badge_line(self, badge: &str, granted: bool) -> String {
        match (self.0, granted) {
            (Locale::ZhCn, true) => format!("获授徽章 {badge}"),
            (Locale::ZhCn, false) => format!("获得徽章 {badge}"),
            (Locale::En, true) => format!("Was granted the badge {badge}"),
            (Locale::En, false) => format!("Earned the badge {badge}"),
        }
    }

    pub fn audit_tag(self, tag: &str, added: bool) -> String {
        match (self.0, added) {
            (Locale::ZhCn, true) => format!("添加标签 {tag}"),
            (Locale::ZhCn, false) => format!("删除标签 {tag}"),
            (Locale::En, true) => format!("Tagged {tag}"),
            (Locale::En, false) => format!("Took the tag {tag} off"),
        }
    }
}

/// The team, invites, and the audit lines of staff changes to points and badges.
impl Text {
    pub fn audit_points(self, delta: i64) -> String {
        match self.0 {
            Locale::ZhCn => format!("调整积分 {delta:+}"),
            Locale::En => format!("Adjusted points by {delta:+}"),
        }
    }

    pub fn audit_badge(self, badge: &str, granted: bool) -> String {
        match (self.0, granted) {
            (Locale::ZhCn, true) => format!("授予徽章 {badge}"),
            (Locale::ZhCn, false) => format!("收回徽章 {badge}"),
            (Locale::En, true) => format!("Granted the badge {badge}"),
            (Locale::En, false) => format!("Took back the badge {badge}"),
        }
    }

    pub fn audit_invite(self, role: Role) -> String {
        match self.0 {
            Locale::ZhCn => format!("邀请加入团队（{}）", self.role(role)),
            Locale::En => format!("Invited to the team as {}", self.role(role)),
        }
    }

    pub fn audit_invite_revoked(self, role: Role) -> String {
        match self.0 {
            Locale::ZhCn => format!("撤销团队邀请（{}）", self.role(role)),
            Locale::En => format!("Revoked an invite as {}", self.role(role)),
        }
    }

    pub fn audit_invite_accepted(self, role: Role) -> String {
        match self.0 {
            Locale::ZhCn => format!("接受邀请加入团队（{}）", self.role(role)),
            Locale::En => format!("Joined the team as {}", self.role(role)),
        }
    }

    pub fn invite_title(self, community: &str) -> String {
        match self.0 {
            Locale::ZhCn => format!("邀请你加入「{community}」的团队"),
            Locale::En => format!("You are invited to the team of {community}"),
        }
    }

    pub fn invite_signed_in_as(self, email: &str) -> String {
        match self.0 {
            Locale::ZhCn => format!("你当前登录的账户是 {email}。邀请只能由收到它的邮箱接受。"),
            Locale::En => {
                format!("You are signed in as {email}. Only the invited email can accept it.")
            }
        }
    }

    pub fn invite_send_to(self, email: &str) -> String {
        match self.0 {
            Locale::ZhCn => {
                format!("把这个链接发给 {email}。它只显示这一次，7 天内有效，只能使用一次。")
            }
            Locale::En => format!(
                "Send this link to {email}. It is shown only now, works for 7 days, and only once."
            ),
        }
    }

    pub fn invite_expires(self, when: &str) -> String {
        match self.0 {
            Locale::ZhCn => format!("有效期至 {when}"),
            Locale::En => format!("Valid until {when}"),
        }
    }

    pub fn invite_revoke_of(self, email: &str) -> String {
        match self.0 {
            Locale::ZhCn => format!("撤销给 {email} 的邀请"),
            Locale::En => format!("Revoke the invite to {email}"),
        }
    }

    pub fn team_role_of(self, email: &str) -> String {
        match self.0 {
            Locale::ZhCn => format!("{email} 的角色"),
            Locale::En => format!("Role of {email}"),
        }
    }

    pub fn team_remove_of(self, email: &str) -> String {
        match self.0 {
            Locale::ZhCn => format!("把 {email} 移出团队"),
            Locale::En => format!("Remove {email} from the team"),
        }
    }

    pub fn team_remove_confirm(self, email: &str) -> String {
        match self.0 {
            Locale::ZhCn => format!("确定把 {email} 移出团队吗？对方将无法再打开这个社区。"),
            Locale::En => {
                format!("Remove {email} from the team? They will no longer open this community.")
            }
        }
    }
}

/// Automations.
impl Text {
    /// A kind of trigger, as the form's select names it.
    pub fn auto_trigger_kind(self, kind: &str) -> &'static str {
        let zh = self.0 == Locale::ZhCn;
        match (kind, zh) {
            ("event_attended", true) => "成员参加了活动（签到）",
            ("event_attended", false) => "A member attends an event (checks in)",
            ("level_reached", true) => "成员达到某个等级",
            ("level_reached", false) => "A member reaches a level",
            ("badge_earned", true) => "成员获得徽章",
            ("badge_earned", false) => "A member earns a badge",
            ("inactive", true) => "成员一段时间没有活跃",
            ("inactive", false) => "A member has been quiet for some days",
            ("daily", true) => "每天定时",
            ("daily", false) => "Every day at an hour",
            (_, true) => "成员加入社区",
            (_, false) => "A member joins",
        }
    }

    /// A kind of action, as the form's select names it.
    pub fn auto_action_kind(self, kind: &str) -> &'static str {
        let zh = self.0 == Locale::ZhCn;
        match (kind, zh) {
            ("grant_points", true) => "送积分",
            ("grant_points", false) => "Give points",
            ("grant_badge", true) => "授予徽章",
            ("grant_badge", false) => "Grant a badge",
            ("add_tag", true) => "打标签",
            ("add_tag", false) => "Add a tag",
            ("invite_to_event", true) => "邀请参加活动",
            ("invite_to_event", false) => "Invite to an event",
            ("webhook", true) => "通知 Webhook",
            ("webhook", false) => "Tell the webhooks",
            (_, true) => "发送站内消息",
            (_, false) => "Send a message",
        }
    }

    /// What sets an automation off, in a line.
    pub fn auto_trigger_summary(self, trigger: &quanzi_core::automation::Trigger) -> String {
        use quanzi_core::automation::Trigger;
        let zh = self.0 == Locale::ZhCn;
        match (trigger, zh) {
            (Trigger::MemberJoined {}, true) => "成员加入时".to_owned(),
            (Trigger::MemberJoined {}, false) => "When a member joins".to_owned(),
            (Trigger::EventAttended { event: None }, true) => "成员参加任意活动时".to_owned(),
            (Trigger::EventAttended { event: None }, false) => {
                "When a member attends any event".to_owned()
            }
            (Trigger::EventAttended { event: Some(e) }, true) => format!("成员参加活动 {e} 时"),
            (Trigger::EventAttended { event: Some(e) }, false) => {
                format!("When a member attends event {e}")
            }
            (Trigger::LevelReached { level }, true) => format!("成员达到 Lv{} 时", level.get()),
            (Trigger::LevelReached { level }, false) => {
                format!("When a member reaches level {}", level.get())
            }
            (Trigger::BadgeEarned { badge: None }, true) => "成员获得任意徽章时".to_owned(),
            (Trigger::BadgeEarned { badge: None }, false) => {
                "When a member earns any badge".to_owned()
            }
            (Trigger::BadgeEarned { badge: Some(b) }, true) => format!("成员获得徽章 {b} 时"),
            (Trigger::BadgeEarned { badge: Some(b) }, false) => {
                format!("When a member earns the badge {b}")
            }
            (Trigger::Inactive { days, hour }, true) => format!(
                "成员连续 {} 天未活跃时（每天 {}:00 检查）",
                days.get(),
                hour.get()
            ),
            (Trigger::Inactive { days, hour }, false) => format!(
                "When a member has been quiet for {} days (checked daily at {}:00)",
                days.get(),
                hour.get()
            ),
            (Trigger::Daily { hour }, true) => format!("每天 {}:00", hour.get()),
            (Trigger::Daily { hour }, false) => format!("Every day at {}:00", hour.get()),
        }
    }

    /// What an automation does, in a line.
    pub fn auto_action_summary(self, action: &quanzi_core::automation::AutomationAction) -> String {
        use quanzi_core::automation::AutomationAction as A;
        let zh = self.0 == Locale::ZhCn;
        match (action, zh) {
            (A::Notify { message }, true) => format!("发送消息「{message}」"),
            (A::Notify { message }, false) => format!("send the message “{message}”"),
            (A::GrantPoints { points }, true) => format!("送 {} 积分", points.get()),
            (A::GrantPoints { points }, false) => format!("give {} points", points.get()),
            (A::GrantBadge { badge }, true) => format!("授予徽章 {badge}"),
            (A::GrantBadge { badge }, false) => format!("grant the badge {badge}"),
            (A::AddTag { tag }, true) => format!("打上标签 {tag}"),
            (A::AddTag { tag }, false) => format!("tag them {tag}"),
            (A::InviteToEvent { event, .. }, true) => format!("邀请参加活动 {event}"),
            (A::InviteToEvent { event, .. }, false) => format!("invite them to event {event}"),
            (A::Webhook {}, true) => "通知 Webhook".to_owned(),
            (A::Webhook {}, false) => "tell the webhooks".to_owned(),
        }
    }

    pub fn auto_last_fired(self, when: &str, logged: usize) -> String {
        match self.0 {
            Locale::ZhCn => format!("最近一次触发：{when}（记录中共 {logged} 次）"),
            Locale::En => format!("Last fired {when} ({logged} in the log)"),
        }
    }

    pub fn auto_reach_now(self, count: u32) -> String {
        match self.0 {
            Locale::ZhCn => format!("现在运行会触达 {count} 位成员。"),
            Locale::En if count == 1 => "A run now would reach 1 member.".to_owned(),
            Locale::En => format!("A run now would reach {count} members."),
        }
    }

    pub fn auto_reach_on_event(self, count: u32) -> String {
        match self.0 {
            Locale::ZhCn => format!(
                "目前有 {count} 位成员符合条件；之后每当触发条件在某位成员身上发生，就对其执行一次。"
            ),
            Locale::En if count == 1 => {
                "1 member is in its segment now; it acts for each member when the trigger happens to them.".to_owned()
            }
            Locale::En => format!(
                "{count} members are in its segment now; it acts for each member when the trigger happens to them."
            ),
        }
    }

    pub fn auto_log_summary(self, total: usize, done: usize) -> String {
        match self.0 {
            Locale::ZhCn => format!("最近 {total} 次触发，其中 {done} 次已完成。"),
            Locale::En if total == 1 => format!("Fired 1 time, {done} done."),
            Locale::En => format!("Fired {total} times, {done} done."),
        }
    }

    pub fn auto_switch_of(self, name: &str) -> String {
        match self.0 {
            Locale::ZhCn => format!("开启「{name}」"),
            Locale::En => format!("{name} on"),
        }
    }

    pub fn auto_preview_of(self, name: &str) -> String {
        match self.0 {
            Locale::ZhCn => format!("预览「{name}」"),
            Locale::En => format!("Preview {name}"),
        }
    }

    pub fn auto_log_of(self, name: &str) -> String {
        match self.0 {
            Locale::ZhCn => format!("「{name}」的运行记录"),
            Locale::En => format!("Run log of {name}"),
        }
    }

    pub fn auto_edit_of(self, name: &str) -> String {
        match self.0 {
            Locale::ZhCn => format!("编辑「{name}」"),
            Locale::En => format!("Edit {name}"),
        }
    }

    pub fn auto_delete_of(self, name: &str) -> String {
        match self.0 {
            Locale::ZhCn => format!("删除「{name}」"),
            Locale::En => format!("Delete {name}"),
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
    fn role_changes_are_refused_in_words_for_each_code() {
        let table = [
            (
                ErrorCode::Forbidden,
                "Only owners and admins appoint or remove member moderators.",
            ),
            (
                ErrorCode::Conflict,
                "They already have this role; the panel is up to date now.",
            ),
            (ErrorCode::NotFound, "This member was not found."),
            (
                ErrorCode::RateLimited,
                "Too many requests; try again in a moment.",
            ),
        ];
        for (code, want) in table {
            let err = ApiError::new(code, "from the API");
            assert_eq!(Text(Locale::En).member_role_error(&err), want, "{code:?}");
        }
        let forbidden = ApiError::new(ErrorCode::Forbidden, "no");
        assert_eq!(
            Text(Locale::ZhCn).member_role_error(&forbidden),
            "只有所有者和管理员可以任免成员版主。"
        );
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
