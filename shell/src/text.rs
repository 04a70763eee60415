//! Every string the widget shows, in each language, side by side.

use quanzi_core::community::Locale;
use quanzi_core::error::ErrorCode;

/// The widget's words in one language.
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
    loading => "正在加载社区…", "Loading the community…";
    community_not_found => "没有找到这个社区。请检查嵌入代码中的 data-community。",
        "This community does not exist. Check data-community in the embed code.";
    origin_not_allowed => "这个网站还不能嵌入该社区。请在管理后台把本站加入允许的来源。",
        "This site may not embed this community yet. Add it to the allowed origins in the dashboard.";
    network_error => "暂时连不上社区，请稍后重试。", "The community can't be reached right now. Please try again.";
    session_expired => "登录已过期，请重新登录后再试。", "Your sign-in has expired. Please sign in again.";
    banned => "你暂时不能在这个社区发言或签到。", "You can't post or check in here for now.";
    retry => "重试", "Retry";
    powered_by => "由 Quanzi 圈子提供", "Powered by Quanzi";
    check_in => "签到", "Check in";
    checking_in => "签到中…", "Checking in…";
    checked_in_today => "今日已签到", "Checked in today";
    sign_in_to_check_in => "登录后即可每日签到、累计积分。", "Sign in to check in daily and collect points.";
    sign_in => "登录", "Sign in";
    daily_check_in => "每日签到", "Daily check-in";
    calendar_label => "本月签到日历", "This month's check-ins";
    remind_me_daily => "每日签到提醒", "Remind me daily";
    // Talk and joining: the feed, threads, replies, page comments, the join flow.
    talk_loading => "加载中…", "Loading…";
    discussions => "讨论", "Discussions";
    new_thread => "发新帖", "New thread";
    all_threads => "全部", "All";
    feed_featured => "精选", "Featured";
    talk_topics => "话题", "Topics";
    threads_label => "帖子列表", "Threads";
    badge_pinned => "置顶", "Pinned";
    badge_answered => "已解决", "Answered";
    badge_question => "问答", "Question";
    badge_locked => "已锁定", "Locked";
    awaiting_review => "审核中", "Awaiting review";
    talk_sending => "发送中…", "Sending…";
    no_threads => "这里还没有帖子", "No threads here yet";
    no_threads_hint => "来开启第一个话题吧：分享心得，或者提个问题。", "Start the first one: share a tip or ask a question.";
    feed_more => "加载更多", "Load more";
    sign_in_to_post => "登录后即可发帖、回复和互动。", "Sign in to start threads, reply and react.";
    sign_in_to_reply => "登录后即可参与讨论。", "Sign in to join the conversation.";
    sign_in_to_react => "登录后才能表态。", "Sign in to react.";
    topic_join => "加入", "Join";
    topic_joined => "已加入", "Joined";
    sign_in_to_join_topic => "登录后加入这个话题", "Sign in to join this topic";
    composer_topic => "话题", "Topic";
    choose_topic => "请选择一个话题", "Choose a topic";
    ask_question => "这是一个提问", "This is a question";
    composer_title => "标题", "Title";
    composer_body => "正文", "Body";
    composer_post => "发布", "Post";
    composer_edit => "编辑", "Edit";
    composer_preview => "预览", "Preview";
    nothing_to_preview => "还没有内容可以预览。", "Nothing to preview yet.";
    markdown_hint => "支持 Markdown：**粗体**、*斜体*、`代码`、- 列表、> 引用", "Markdown works: **bold**, *italic*, `code`, - lists, > quotes";
    title_rule => "请填写标题（最多 120 个字）。", "Give your thread a title (up to 120 characters).";
    body_rule => "请先写点内容（最多 20000 个字）。", "Write something first (up to 20,000 characters).";
    thread_posted => "已发布。", "Posted.";
    posted_for_review => "已提交，审核通过后大家就能看到。", "Sent. Others will see it once a moderator approves it.";
    not_posted => "没有发布成功，内容已保留。", "Not posted; your draft is kept.";
    back_to_threads => "返回讨论列表", "All discussions";
    post_edited => "已编辑", "edited";
    post_deleted => "该内容已被删除。", "This was deleted.";
    talk_you => "我", "you";
    replies_heading => "回复", "Replies";
    no_replies => "还没有回复，来说第一句吧。", "No replies yet. Be the first to answer.";
    more_replies => "查看更多回复", "Show more replies";
    your_reply => "写下你的回复", "Your reply";
    send_reply => "回复", "Reply";
    reply_to_this => "回复", "Reply";
    talk_cancel => "取消", "Cancel";
    locked_note => "该帖已锁定，不能再回复。", "This thread is locked: no new replies.";
    accept_answer => "采纳为答案", "Accept answer";
    unaccept_answer => "取消采纳", "Unaccept";
    accepted_answer_mark => "✓ 最佳答案", "✓ Accepted answer";
    reactions_label => "表态", "Reactions";
    more_reactions => "更多表态", "More reactions";
    comments_heading => "评论", "Comments";
    no_comments => "还没有评论，来抢沙发吧。", "No comments yet. Start the conversation.";
    report_open => "举报", "Report";
    report_done => "已举报", "Reported";
    report_why => "哪里有问题？", "What's wrong?";
    report_note => "补充说明（选填）", "Anything to add? (optional)";
    report_send => "提交举报", "Send report";
    report_thanks => "谢谢，管理员会尽快处理。", "Thanks. A moderator will take a look.";
    report_already => "你已经举报过了，管理员会处理。", "You already reported this; a moderator will look at it.";
    report_needs_note => "选择“其他”时请说明原因。", "Say what is wrong when you choose Other.";
    report_note_too_long => "说明最多 500 个字。", "Keep the note under 500 characters.";
    welcome_dismiss => "知道了", "Dismiss";
    join_title => "加入社区", "Join the community";
    join_open_intro => "接受社区公约后，即可发帖和回复。", "Accept the community's rules to post and reply.";
    join_screening_intro => "回答几个问题，管理员审核通过后即可发帖。", "Answer a few questions; once a moderator approves, you can post.";
    join_button => "加入", "Join";
    join_apply => "提交申请", "Apply to join";
    joining => "提交中…", "Sending…";
    join_rules_title => "社区公约", "Community rules";
    join_accept => "我已阅读并同意社区公约", "I have read and accept the rules";
    join_accept_rules_first => "请先同意社区公约。", "Please accept the rules first.";
    join_answer_each => "请回答每个问题（最多 1000 个字）。", "Please answer each question (up to 1,000 characters).";
    join_pending => "申请已提交，管理员审核通过后你就可以发帖了。", "Thanks for applying! You can post once a moderator approves you.";
    join_check_again => "刷新状态", "Check again";
    field_required => "（必填）", " (required)";
    join_welcome_default => "欢迎加入！现在就可以发帖和回复了。", "Welcome! You can post and reply now.";
    talk_not_a_member => "请先加入社区再进行此操作。", "Join the community first to do this.";
    thread_locked => "该帖已锁定，不能再回复。", "This thread is locked: no new replies.";
    phone_required => "请先在品牌账号中验证手机号，再来发帖。", "Verify your phone number with the brand to post here.";
    talk_disabled => "这个社区暂时关闭了讨论。", "Discussions are switched off in this community.";
    talk_rate_limited => "操作太快了，请稍等片刻再试。", "You're going a bit fast. Wait a moment and try again.";
    talk_forbidden => "你没有权限这样做。", "You can't do that here.";
    talk_not_found => "内容不存在或已被移除。", "This was removed, or never existed.";
    talk_invalid => "提交的内容不符合要求，请检查后再试。", "That didn't go through: check what you wrote and try again.";
    talk_conflict => "这件事已经处理过了。", "That was already done.";
    // Me and events: profile, leaderboard, rewards, events and tickets, notifications, tabs.
    me_loading => "正在加载…", "Loading…";
    me_load_more => "加载更多", "Load more";
    me_loading_more => "加载中…", "Loading more…";
    me_sending => "提交中…", "Sending…";
    me_you => "我", "You";
    me_a_member => "社区成员", "A member";
    tab_home => "社区", "Home";
    tab_events => "活动", "Events";
    tab_leaderboard => "排行", "Ranks";
    tab_rewards => "兑换", "Rewards";
    tab_profile => "我的", "Me";
    sections_label => "社区导航", "Community sections";
    my_profile => "我的主页", "My profile";
    sign_in_for_profile => "登录后查看你的积分、等级和徽章。", "Sign in to see your points, level and badges.";
    points_available => "可用积分", "Points";
    points_earned_total => "累计获得", "Earned in total";
    badges_heading => "徽章", "Badges";
    level_heading => "等级", "Level";
    top_level => "你已是最高等级，继续保持！", "You're at the top level. Keep it up!";
    perks_now => "当前特权", "Your perks";
    badges_and_titles => "徽章与头衔", "Badges and titles";
    no_badges_yet => "还没有徽章。坚持签到、发帖、参加活动都能解锁徽章。",
        "No badges yet. Check in, post and come to events to earn them.";
    show_as_title => "设为头衔", "Show as title";
    title_showing => "展示中", "Shown";
    title_hidden => "已取消展示头衔。", "Your title is hidden now.";
    ledger_heading => "积分明细", "Points history";
    my_data_heading => "我的数据", "Your data";
    my_data_note => "下载社区为你保存的全部数据（资料、积分明细、签到、徽章、报名、通知以及你发的帖子），保存为一个 JSON 文件。",
        "Download everything the community keeps about you (profile, points history, check-ins, badges, sign-ups, notifications and your posts) as one JSON file.";
    my_data_download => "下载我的数据", "Download my data";
    my_data_saved => "已保存为文件。", "Saved as a file.";
    my_data_failed => "浏览器没能保存文件，请重试。", "The browser could not save the file. Try again.";
    no_ledger_yet => "还没有积分记录。每日签到就能获得积分。", "No points yet. Check in daily to start collecting.";
    leaderboard_heading => "积分排行", "Leaderboard";
    leaderboard_periods => "排行周期", "Leaderboard period";
    this_week => "本周", "This week";
    this_month => "本月", "This month";
    all_time => "总榜", "All time";
    board_empty => "还没有人上榜，快去签到抢第一吧！", "Nobody is on this board yet. Check in to be first!";
    sign_in_for_rank => "登录后查看你的排名。", "Sign in to see your rank.";
    not_ranked_yet => "你在这个榜单上还没有积分，签到、发帖都能上榜。",
        "You have no points on this board yet. Check in or post to get on it.";
    points_unit => "积分", "points";
    rewards_heading => "积分兑换", "Rewards";
    no_rewards_yet => "还没有可兑换的奖品，敬请期待。", "No rewards to redeem yet. Stay tuned.";
    sign_in_to_redeem => "登录后兑换", "Sign in to redeem";
    redeem => "兑换", "Redeem";
    redeeming => "兑换中…", "Redeeming…";
    sold_out => "已兑完", "Sold out";
    not_enough_points => "积分不足", "Not enough points";
    confirm_redeem_label => "确认兑换", "Confirm redemption";
    confirm_redeem_button => "确认兑换", "Redeem now";
    think_again => "再想想", "Not now";
    events_heading => "近期活动", "Upcoming events";
    no_events_yet => "近期没有活动，敬请期待。", "No upcoming events. Stay tuned.";
    all_events => "全部活动", "All events";
    online_event => "线上活动", "Online";
    join_online => "进入线上活动", "Join online";
    event_cancelled => "已取消", "Cancelled";
    event_ended => "已结束", "Ended";
    event_ongoing => "进行中", "Happening now";
    signup_not_open => "即将开放报名", "Sign-up opens soon";
    signup_open => "报名中", "Sign-up open";
    signup_closed => "报名已截止", "Sign-up closed";
    full_waitlist_open => "已满 · 可候补", "Full · join the waitlist";
    signed_up => "已报名", "Signed up";
    attended => "已签到", "Checked in";
    signup_not_open_long => "报名还未开始，开始后即可在这里报名。", "Sign-up hasn't opened yet. Come back when it does.";
    signup_closed_long => "报名已截止。", "Sign-up has closed.";
    event_ended_long => "活动已结束，感谢关注。", "This event has ended. Thanks for your interest.";
    sign_in_to_sign_up => "登录后即可报名。", "Sign in to sign up.";
    sign_up_heading => "报名", "Sign up";
    join_waitlist_heading => "加入候补", "Join the waitlist";
    full_explained => "名额已满。提交后进入候补名单，有人取消时按顺序递补，递补成功会通知你。",
        "The event is full. Join the waitlist: when someone cancels, the first in line gets the seat, and we'll let you know.";
    sign_up_now => "立即报名", "Sign up now";
    join_waitlist => "加入候补", "Join the waitlist";
    seat_confirmed => "报名成功，你的名额已确认！", "You're in: your seat is confirmed!";
    promoted => "候补成功！你已获得名额。", "Good news: a seat came free and it's yours.";
    my_ticket => "我的入场券", "My ticket";
    seat_confirmed_short => "名额已确认", "Seat confirmed";
    attendance_code_label => "现场签到码", "Attendance code";
    attendance_code_help => "签到码由主办方在现场或直播中公布。", "The organiser gives out the code at the event or on the stream.";
    check_in_at_event => "到场签到", "Check in";
    enter_the_code => "请输入现场公布的签到码。", "Enter the code given out at the event.";
    check_in_opens_later => "活动开始前 1 小时开放到场签到，届时在这里输入签到码。",
        "Check-in opens an hour before the start: enter the code here then.";
    attended_long => "你已到场签到，玩得开心！", "You're checked in. Enjoy!";
    waitlist_explained => "有人取消时按顺序递补，递补成功会通知你。", "When someone cancels, the first in line gets the seat. We'll let you know.";
    cancel_sign_up => "取消报名", "Cancel sign-up";
    leave_waitlist => "退出候补", "Leave the waitlist";
    cancel_sign_up_question => "确定要放弃你的位置吗？名额会让给候补中的下一位。",
        "Give up your place? It goes to the next person waiting.";
    yes_cancel => "确定放弃", "Yes, give it up";
    keep_my_place => "保留", "Keep my place";
    sign_up_cancelled => "已取消报名。", "Your sign-up is cancelled.";
    left_waitlist => "已退出候补。", "You left the waitlist.";
    notifications_heading => "通知", "Notifications";
    mark_all_read => "全部已读", "Mark all read";
    mark_read => "标为已读", "Mark read";
    all_read => "已全部标为已读。", "All marked as read.";
    no_notifications => "暂时没有通知。", "No notifications yet.";
    unread_prefix => "未读：", "Unread: ";
    view_event => "查看活动", "View event";
    me_insufficient_points => "积分不够兑换这个奖品。", "You don't have enough points for this.";
    me_out_of_stock => "这个奖品刚刚兑完了。", "This reward just ran out.";
    me_event_closed => "这个活动现在不能报名或取消。", "This event isn't taking sign-ups or changes right now.";
    me_already_signed_up => "你已经报过名了。", "You're already signed up.";
    me_not_signed_up => "你还没有报名这个活动。", "You're not signed up for this event.";
    me_wrong_code => "签到码不对，请核对现场公布的签到码。", "That code isn't right. Check the code given out at the event.";
    me_feature_disabled => "社区暂时关闭了这项功能。", "The community has switched this off for now.";
    me_not_found => "没有找到，可能已被删除。", "Not found. It may have been removed.";
    me_rate_limited => "操作太频繁了，请稍后再试。", "That's a lot at once. Please try again in a moment.";
    me_invalid => "填写的内容有误，请检查后再试。", "Something in the form isn't right. Please check it.";
    me_forbidden => "你没有权限这样做。", "You're not allowed to do that.";
    me_not_a_member => "请先加入社区。", "Join the community first.";
}

impl Text {
    /// A sentence for a member about an error code.
    pub fn error(self, code: ErrorCode) -> &'static str {
        match code {
            ErrorCode::CommunityNotFound => self.community_not_found(),
            ErrorCode::OriginNotAllowed => self.origin_not_allowed(),
            ErrorCode::Unauthenticated => self.session_expired(),
            ErrorCode::Banned => self.banned(),
            _ => self.network_error(),
        }
    }

    pub fn streak(self, days: u32) -> String {
        match self.0 {
            Locale::ZhCn => format!("已连续签到 {days} 天"),
            Locale::En if days == 1 => "1-day streak".to_owned(),
            Locale::En => format!("{days}-day streak"),
        }
    }

    pub fn points_awarded(self, points: i64) -> String {
        match self.0 {
            Locale::ZhCn => format!("+{points} 积分"),
            Locale::En => format!("+{points} points"),
        }
    }

    pub fn balance(self, points: u64) -> String {
        match self.0 {
            Locale::ZhCn => format!("积分 {points}"),
            Locale::En => format!("{points} points"),
        }
    }

    pub fn next_bonus(self, days: u32, points: u32) -> String {
        match self.0 {
            Locale::ZhCn => format!("再签 {days} 天，额外奖励 {points} 积分"),
            Locale::En if days == 1 => format!("1 more day for a {points}-point bonus"),
            Locale::En => format!("{days} more days for a {points}-point bonus"),
        }
    }

    /// Column heads of the calendar, Monday first.
    pub fn weekdays(self) -> [&'static str; 7] {
        match self.0 {
            Locale::ZhCn => ["一", "二", "三", "四", "五", "六", "日"],
            Locale::En => ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"],
        }
    }
}

/// Talk and joining: error codes in members' words, counts and times.
impl Text {
    /// A sentence about an error code, for talk and joining.
    pub fn talk_error(self, code: ErrorCode) -> &'static str {
        match code {
            ErrorCode::NotAMember => self.talk_not_a_member(),
            ErrorCode::ThreadLocked => self.thread_locked(),
            ErrorCode::PhoneVerificationRequired => self.phone_required(),
            ErrorCode::FeatureDisabled => self.talk_disabled(),
            ErrorCode::RateLimited => self.talk_rate_limited(),
            ErrorCode::Forbidden => self.talk_forbidden(),
            ErrorCode::NotFound => self.talk_not_found(),
            ErrorCode::InvalidInput => self.talk_invalid(),
            ErrorCode::Conflict => self.talk_conflict(),
            other => self.error(other),
        }
    }

    /// How long ago `then` was (both in ms since the epoch); a date after a week.
    pub fn ago(self, now: i64, then: i64) -> String {
        let minutes = (now - then).max(0) / 60_000;
        let zh = self.0 == Locale::ZhCn;
        match minutes {
            0 => (if zh { "刚刚" } else { "just now" }).to_owned(),
            m @ 1..60 => {
                if zh {
                    format!("{m} 分钟前")
                } else {
                    format!("{m} min ago")
                }
            }
            m @ 60..1440 => {
                if zh {
                    format!("{} 小时前", m / 60)
                } else {
                    format!("{} h ago", m / 60)
                }
            }
            m @ 1440..10080 => {
                if zh {
                    format!("{} 天前", m / 1440)
                } else {
                    format!("{} d ago", m / 1440)
                }
            }
            // Formatted by hand: chrono's formatter would add kilobytes of wasm.
            _ => chrono::DateTime::from_timestamp_millis(then)
                .map(|d| {
                    use chrono::Datelike;
                    let day = d.date_naive();
                    format!("{}-{:02}-{:02}", day.year(), day.month(), day.day())
                })
                .unwrap_or_default(),
        }
    }

    pub fn replies_count(self, n: u32) -> String {
        match self.0 {
            Locale::ZhCn => format!("{n} 条回复"),
            Locale::En if n == 1 => "1 reply".to_owned(),
            Locale::En => format!("{n} replies"),
        }
    }

    pub fn topic_members(self, n: u32) -> String {
        match self.0 {
            Locale::ZhCn => format!("{n} 位成员"),
            Locale::En if n == 1 => "1 member".to_owned(),
            Locale::En => format!("{n} members"),
        }
    }

    pub fn reactions_count(self, n: u32) -> String {
        match self.0 {
            Locale::ZhCn => format!("{n} 个表态"),
            Locale::En if n == 1 => "1 reaction".to_owned(),
            Locale::En => format!("{n} reactions"),
        }
    }

    /// A reaction button's name for screen readers: the kind and how many left it.
    pub fn reaction_label(self, kind: quanzi_core::talk::ReactionKind, n: u32) -> String {
        use quanzi_core::talk::ReactionKind as K;
        let (zh, en) = match kind {
            K::Like => ("赞", "Like"),
            K::Heart => ("爱心", "Love"),
            K::Laugh => ("哈哈", "Haha"),
            K::Wow => ("哇", "Wow"),
            K::Thanks => ("感谢", "Thanks"),
        };
        match self.0 {
            Locale::ZhCn => format!("{zh}（{n}）"),
            Locale::En => format!("{en} ({n})"),
        }
    }

    pub fn report_reason(self, reason: quanzi_core::moderation::ReportReason) -> &'static str {
        use quanzi_core::moderation::ReportReason as R;
        let zh = self.0 == Locale::ZhCn;
        match reason {
            R::Spam => {
                if zh {
                    "垃圾广告"
                } else {
                    "Spam"
                }
            }
            R::Abuse => {
                if zh {
                    "辱骂或骚扰"
                } else {
                    "Abuse or harassment"
                }
            }
            R::OffTopic => {
                if zh {
                    "与主题无关"
                } else {
                    "Off topic"
                }
            }
            R::Other => {
                if zh {
                    "其他"
                } else {
                    "Other"
                }
            }
        }
    }

    pub fn replying_to(self, name: &str) -> String {
        match self.0 {
            Locale::ZhCn => format!("回复 {name}"),
            Locale::En => format!("Replying to {name}"),
        }
    }
}

#[cfg(test)]
mod talk_tests {
    use super::*;

    #[test]
    fn times_read_as_members_say_them() {
        const MIN: i64 = 60_000;
        let (zh, en) = (Text(Locale::ZhCn), Text(Locale::En));
        let now = 1_780_000_000_000;
        let cases = [
            (0, "just now", "刚刚"),
            (-5 * MIN, "just now", "刚刚"),
            (5 * MIN, "5 min ago", "5 分钟前"),
            (3 * 60 * MIN, "3 h ago", "3 小时前"),
            (2 * 1440 * MIN, "2 d ago", "2 天前"),
        ];
        for (age, want_en, want_zh) in cases {
            assert_eq!(en.ago(now, now - age), want_en);
            assert_eq!(zh.ago(now, now - age), want_zh);
        }
        assert_eq!(en.ago(now, 1_700_000_000_000), "2023-11-14");
    }

    #[test]
    fn talk_errors_are_specific_and_fall_back() {
        let en = Text(Locale::En);
        assert_eq!(en.talk_error(ErrorCode::ThreadLocked), en.thread_locked());
        assert_eq!(en.talk_error(ErrorCode::NotAMember), en.talk_not_a_member());
        assert_eq!(
            en.talk_error(ErrorCode::Unauthenticated),
            en.session_expired()
        );
        assert_eq!(en.talk_error(ErrorCode::Unknown), en.network_error());
        assert_eq!(en.replies_count(1), "1 reply");
        assert_eq!(Text(Locale::ZhCn).replies_count(3), "3 条回复");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_phrase_exists_in_both_languages() {
        for (zh, en) in ALL {
            assert!(!zh.trim().is_empty() && !en.trim().is_empty());
            assert_ne!(zh, en, "{en} is not translated");
        }
    }

    #[test]
    fn counted_phrases_read_naturally() {
        let (zh, en) = (Text(Locale::ZhCn), Text(Locale::En));
        assert_eq!(zh.streak(3), "已连续签到 3 天");
        assert_eq!(en.streak(1), "1-day streak");
        assert_eq!(en.streak(7), "7-day streak");
        assert_eq!(en.points_awarded(5), "+5 points");
        assert_eq!(en.next_bonus(1, 20), "1 more day for a 20-point bonus");
    }
}

/// Me and events: sentences with numbers, names and dates in them.
impl Text {
    fn zh(self) -> bool {
        self.0 == Locale::ZhCn
    }

    /// A sentence for a member about an error code, for their points, rewards and events.
    pub fn me_explain(self, code: ErrorCode) -> &'static str {
        match code {
            ErrorCode::InsufficientPoints => self.me_insufficient_points(),
            ErrorCode::OutOfStock => self.me_out_of_stock(),
            ErrorCode::EventClosed => self.me_event_closed(),
            ErrorCode::AlreadySignedUp => self.me_already_signed_up(),
            ErrorCode::NotSignedUp => self.me_not_signed_up(),
            ErrorCode::WrongAttendanceCode => self.me_wrong_code(),
            ErrorCode::FeatureDisabled => self.me_feature_disabled(),
            ErrorCode::NotFound => self.me_not_found(),
            ErrorCode::RateLimited => self.me_rate_limited(),
            ErrorCode::InvalidInput => self.me_invalid(),
            ErrorCode::Forbidden => self.me_forbidden(),
            ErrorCode::NotAMember => self.me_not_a_member(),
            other => self.error(other),
        }
    }

    /// `5 积分` / `5 points`.
    pub fn points_count(self, n: u64) -> String {
        let n_text = crate::number(n);
        match (self.zh(), n) {
            (true, _) => format!("{n_text} 积分"),
            (false, 1) => "1 point".to_owned(),
            (false, _) => format!("{n_text} points"),
        }
    }

    pub fn balance_after(self, n: u64) -> String {
        let n = crate::number(n);
        if self.zh() {
            format!("余额 {n}")
        } else {
            format!("balance {n}")
        }
    }

    pub fn points_to_next_level(self, to_go: u64, level: u8, name: &str) -> String {
        let n = crate::number(to_go);
        if self.zh() {
            format!("还差 {n} 积分升到 Lv{level} {name}")
        } else {
            format!("{n} more points to Lv{level} {name}")
        }
    }

    pub fn perks_of_level(self, level: u8, name: &str) -> String {
        if self.zh() {
            format!("Lv{level} {name} 特权")
        } else {
            format!("Lv{level} {name} perks")
        }
    }

    pub fn earned_on(self, day: &str) -> String {
        if self.zh() {
            format!("{day} 获得")
        } else {
            format!("Earned {day}")
        }
    }

    pub fn title_shown(self, name: &str) -> String {
        if self.zh() {
            format!("已将「{name}」设为头衔。")
        } else {
            format!("“{name}” is now your title.")
        }
    }

    /// What a ledger line was for.
    pub fn ledger_reason(self, reason: &quanzi_core::points::Reason) -> String {
        use quanzi_core::points::{Action as A, Reason as R};
        let zh = self.zh();
        let pick = |z: &str, e: &str| if zh { z.to_owned() } else { e.to_owned() };
        match reason {
            R::Action { action } => match action {
                A::Post => pick("发帖", "Posted"),
                A::Reply => pick("回复", "Replied"),
                A::ReactionReceived => pick("获得点赞", "Got a reaction"),
                A::CheckIn => pick("每日签到", "Daily check-in"),
                A::EventAttended => pick("参加活动", "Came to an event"),
                A::AcceptedAnswer => pick("回答被采纳", "Answer accepted"),
            },
            R::StreakBonus { days } if zh => format!("连续签到 {days} 天奖励"),
            R::StreakBonus { days } => format!("{days}-day streak bonus"),
            R::Adjustment { note, .. } if zh => format!("积分调整：{note}"),
            R::Adjustment { note, .. } => format!("Adjustment: {note}"),
            R::Redemption { reward_name, .. } if zh => format!("兑换「{reward_name}」"),
            R::Redemption { reward_name, .. } => format!("Redeemed “{reward_name}”"),
        }
    }

    pub fn my_rank(self, rank: u32, points: u64) -> String {
        let p = crate::number(points);
        if self.zh() {
            format!("我的排名：第 {rank} 名 · {p} 积分")
        } else {
            format!("You're #{rank} with {p} points")
        }
    }

    /// How many of a reward are left.
    pub fn stock_left(self, stock: Option<u32>) -> String {
        match (self.zh(), stock) {
            (true, None) => "不限量".to_owned(),
            (false, None) => "Unlimited".to_owned(),
            (true, Some(0)) => "已兑完".to_owned(),
            (false, Some(0)) => "None left".to_owned(),
            (true, Some(n)) => format!("剩余 {n} 件"),
            (false, Some(n)) => format!("{n} left"),
        }
    }

    pub fn confirm_redeem(self, name: &str, cost: u32, left: Option<u64>) -> String {
        let cost = crate::number(u64::from(cost));
        let left = left.map(crate::number).unwrap_or_default();
        if self.zh() {
            format!("用 {cost} 积分兑换「{name}」？兑换后剩余 {left} 积分。")
        } else {
            format!("Redeem “{name}” for {cost} points? You'll have {left} left.")
        }
    }

    pub fn redeemed(self, name: &str, cost: u32, balance: u64) -> String {
        let cost = crate::number(u64::from(cost));
        let balance = crate::number(balance);
        if self.zh() {
            format!("兑换成功！「{name}」已扣除 {cost} 积分，剩余 {balance} 积分。")
        } else {
            format!("Redeemed “{name}” for {cost} points. {balance} points left.")
        }
    }

    pub fn signup_open_seats(self, n: u32) -> String {
        match (self.zh(), n) {
            (true, _) => format!("报名中 · 剩 {n} 席"),
            (false, 1) => "Open · 1 seat left".to_owned(),
            (false, _) => format!("Open · {n} seats left"),
        }
    }

    pub fn waitlist_position(self, position: u32) -> String {
        if self.zh() {
            format!("候补第 {position} 位")
        } else {
            format!("Waitlist #{position}")
        }
    }

    pub fn joined_waitlist(self, position: u32) -> String {
        if self.zh() {
            format!("已加入候补，你排在第 {position} 位。")
        } else {
            format!("You're on the waitlist at #{position}.")
        }
    }

    /// Seats, sign-ups and the waitlist in one line.
    pub fn seats_summary(self, capacity: Option<u32>, confirmed: u32, waiting: u32) -> String {
        let mut line = match (self.zh(), capacity) {
            (true, Some(c)) => format!("{c} 个名额 · 已报名 {confirmed}"),
            (false, Some(1)) => format!("1 seat · {confirmed} signed up"),
            (false, Some(c)) => format!("{c} seats · {confirmed} signed up"),
            (true, None) => format!("不限名额 · 已报名 {confirmed}"),
            (false, None) => format!("No limit · {confirmed} signed up"),
        };
        if waiting > 0 {
            line.push_str(&if self.zh() {
                format!(" · 候补 {waiting}")
            } else {
                format!(" · {waiting} waiting")
            });
        }
        line
    }

    pub fn signup_opens_on(self, when: &str) -> String {
        if self.zh() {
            format!("{when} 开放报名")
        } else {
            format!("Sign-up opens {when}")
        }
    }

    pub fn signup_closes_on(self, when: &str) -> String {
        if self.zh() {
            format!("报名截止：{when}")
        } else {
            format!("Sign-up closes {when}")
        }
    }

    pub fn cancelled_because(self, why: &str) -> String {
        if self.zh() {
            format!("活动已取消：{why}")
        } else {
            format!("Cancelled: {why}")
        }
    }

    pub fn answer_needed(self, prompt: &str) -> String {
        if self.zh() {
            format!("请回答：{prompt}")
        } else {
            format!("Please answer: {prompt}")
        }
    }

    pub fn attendance_recorded(self, points: i64) -> String {
        match (self.zh(), points > 0) {
            (true, true) => format!("签到成功，+{points} 积分！"),
            (false, true) => format!("You're checked in: +{points} points!"),
            (true, false) => "签到成功！".to_owned(),
            (false, false) => "You're checked in!".to_owned(),
        }
    }

    /// The bell's name for screen readers, with the unread count.
    pub fn bell_label(self, unread: u32) -> String {
        match (self.zh(), unread) {
            (true, 0) => "通知".to_owned(),
            (false, 0) => "Notifications".to_owned(),
            (true, n) => format!("通知，{n} 条未读"),
            (false, n) => format!("Notifications, {n} unread"),
        }
    }

    /// What a notification says (`level` and `badge` from its target).
    pub fn notification(
        self,
        kind: quanzi_core::notify::NotificationKind,
        level: Option<u8>,
        badge: Option<&str>,
        message: Option<&str>,
    ) -> String {
        use quanzi_core::notify::NotificationKind as K;
        let zh = self.zh();
        let pick = |z: &str, e: &str| if zh { z.to_owned() } else { e.to_owned() };
        match kind {
            K::ReplyToYourThread => pick("有人回复了你的帖子", "Someone replied to your thread"),
            K::ReplyToYourReply => pick("有人回复了你的评论", "Someone replied to your reply"),
            K::Mention => pick("有人提到了你", "Someone mentioned you"),
            K::AnswerAccepted => pick("你的回答被采纳了", "Your answer was accepted"),
            K::ThreadFeatured => pick("你的帖子被设为精选", "Your thread was featured"),
            K::BadgeEarned => match (zh, badge) {
                (true, Some(b)) => format!("你获得了新徽章「{b}」"),
                (false, Some(b)) => format!("You earned a new badge: {b}"),
                _ => pick("你获得了一枚新徽章", "You earned a new badge"),
            },
            K::LevelUp => match (zh, level) {
                (true, Some(l)) => format!("恭喜升级到 Lv{l}！"),
                (false, Some(l)) => format!("You reached Lv{l}!"),
                _ => pick("恭喜升级！", "You levelled up!"),
            },
            K::EventPromoted => pick("候补成功！你获得了活动名额", "A seat came free: you're in"),
            K::EventReminder => pick("你报名的活动即将开始", "Your event starts soon"),
            K::EventCancelled => pick(
                "你报名的活动已取消",
                "An event you signed up for was cancelled",
            ),
            K::JoinApproved => pick(
                "你的入会申请已通过",
                "Your application to join was approved",
            ),
            K::JoinRejected => pick(
                "你的入会申请未通过",
                "Your application to join was declined",
            ),
            K::PointsAdjusted => pick("你的积分有变动", "Your points were adjusted"),
            K::Message => match message {
                Some(m) => m.to_owned(),
                None => pick("社区给你发来一条消息", "A message from the community"),
            },
            K::EventInvite => match message {
                Some(m) => m.to_owned(),
                None => pick("你受邀参加一场活动", "You're invited to an event"),
            },
            K::CheckinReminder => pick(
                "今天还没签到哦，别让连续签到断了",
                "You haven't checked in today: keep your streak going",
            ),
        }
    }

    pub fn new_badge(self, name: &str) -> String {
        if self.zh() {
            format!("新徽章：{name}")
        } else {
            format!("New badge: {name}")
        }
    }
}

#[cfg(test)]
mod me_tests {
    use super::*;
    use quanzi_core::notify::NotificationKind;
    use quanzi_core::points::{Action, Reason};

    #[test]
    fn counts_and_sums_read_naturally_in_both_languages() {
        let (zh, en) = (Text(Locale::ZhCn), Text(Locale::En));
        let cases: [(String, &str); 12] = [
            (zh.points_count(1_234), "1,234 积分"),
            (en.points_count(1), "1 point"),
            (en.points_count(12_000), "12,000 points"),
            (
                zh.points_to_next_level(180, 3, "达人"),
                "还差 180 积分升到 Lv3 达人",
            ),
            (en.my_rank(2, 1_500), "You're #2 with 1,500 points"),
            (zh.stock_left(Some(3)), "剩余 3 件"),
            (en.stock_left(None), "Unlimited"),
            (
                en.seats_summary(Some(1), 1, 2),
                "1 seat · 1 signed up · 2 waiting",
            ),
            (zh.seats_summary(None, 4, 0), "不限名额 · 已报名 4"),
            (
                en.confirm_redeem("Tote bag", 40, Some(60)),
                "Redeem “Tote bag” for 40 points? You'll have 60 left.",
            ),
            (zh.bell_label(3), "通知，3 条未读"),
            (en.bell_label(0), "Notifications"),
        ];
        for (said, expected) in cases {
            assert_eq!(said, expected);
        }
    }

    #[test]
    fn ledger_lines_and_notifications_say_what_happened() {
        let (zh, en) = (Text(Locale::ZhCn), Text(Locale::En));
        let check_in = Reason::Action {
            action: Action::CheckIn,
        };
        assert_eq!(zh.ledger_reason(&check_in), "每日签到");
        assert_eq!(
            en.ledger_reason(&Reason::StreakBonus { days: 7 }),
            "7-day streak bonus"
        );
        assert_eq!(
            en.notification(
                NotificationKind::BadgeEarned,
                None,
                Some("Early bird"),
                None
            ),
            "You earned a new badge: Early bird"
        );
        assert_eq!(
            zh.notification(NotificationKind::LevelUp, Some(2), None, None),
            "恭喜升级到 Lv2！"
        );
        assert_eq!(
            zh.me_explain(ErrorCode::WrongAttendanceCode),
            "签到码不对，请核对现场公布的签到码。"
        );
        assert_eq!(
            en.me_explain(ErrorCode::Banned),
            en.banned(),
            "other codes fall back to the shared sentences"
        );
    }
}
