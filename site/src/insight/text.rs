//! The insight section's words, in Chinese and English, and how its numbers and days are
//! written in each.

use chrono::NaiveDate;
use quanzi_core::community::Locale;

use crate::i18n::{Text, phrases};

phrases! {
    insight_intro => "社区的活跃、留存和流失风险。日期按社区所在时区计算。",
        "How active the community is, who stays and who drifts away. Days follow the community's time zone.";
    insight_period => "时间范围", "Period";
    insight_dau => "今日活跃", "Active today";
    insight_wau => "本周活跃", "Active this week";
    insight_mau => "本月活跃", "Active this month";
    insight_new_members => "新成员", "New members";
    insight_at_risk => "流失风险", "At risk of churning";
    insight_at_risk_hint => "之前活跃、之后一段时间没有动静的成员", "Members who were active, then went quiet";
    insight_quiet_for => "沉默多久算流失风险", "Quiet for";
    insight_empty_title => "还没有活动", "No activity yet";
    insight_empty_body => "第一位成员行动之后，这里就会出现数据。",
        "Numbers appear here after the first member acts.";
    insight_activity => "每日动态", "Activity per day";
    insight_posts => "发帖", "Posts";
    insight_replies => "回复", "Replies";
    insight_checkins => "签到", "Check-ins";
    insight_signups => "活动报名", "Event sign-ups";
    insight_active_members => "活跃成员", "Active members";
    insight_active_per_day => "每日活跃成员", "Active members per day";
    insight_retention => "按加入周的留存", "Retention by join week";
    insight_retention_hint => "每周加入的成员里，第 2 周仍活跃的比例，以及之后 4 周内回来过的比例。带 * 的数字还可能增长。",
        "Of the members who joined each week: active in week 2, and back at least once in the four weeks after. Numbers marked * may still grow.";
    insight_join_week => "加入周", "Joined in week";
    insight_joined => "加入人数", "Joined";
    insight_week2 => "第 2 周", "Week 2";
    insight_month1 => "之后 4 周", "Next 4 weeks";
    insight_no_cohorts => "这段时间没有新成员加入。", "Nobody joined in these weeks.";
    insight_tiers => "贡献分层", "Contribution tiers";
    insight_tiers_hint => "按累计积分：前 1%、前 10%（不含前 1%）和其余成员。",
        "By points earned: the top 1 %, the rest of the top 10 %, everyone else.";
    insight_tier => "分层", "Tier";
    insight_tier_top1 => "前 1%", "Top 1 %";
    insight_tier_top10 => "前 10%", "Top 10 %";
    insight_tier_rest => "其余", "The rest";
    insight_top => "本周最活跃", "Most engaged this week";
    insight_top_threads => "帖子", "Threads";
    insight_top_topics => "话题", "Topics";
    insight_top_events => "活动", "Events";
    insight_top_none => "本周还没有。", "None this week yet.";
    insight_score => "互动", "Actions";
    insight_streaks => "签到连续天数分布", "Check-in streaks";
    insight_streaks_hint => "这段时间的签到按达到的连续天数分组。", "Check-ins in the period by the streak they reached.";
    insight_streak_days => "连续天数", "Streak (days)";
    insight_churn => "流失风险", "Churn risk";
    insight_churn_per_day => "每日流失风险人数", "Members at risk per day";
    insight_churn_list => "最近安静下来的成员", "Members who went quiet most recently";
    insight_churn_none => "没有流失风险的成员。", "Nobody is at risk.";
    insight_last_active => "最近活跃", "Last active";
    insight_quiet_days => "安静天数", "Days quiet";
    insight_download_csv => "下载 CSV", "Download CSV";
    insight_reload => "重新加载", "Reload";
    members_export => "导出成员（CSV）", "Export members (CSV)";
    chart_day => "日期", "Day";
    chart_keys_hint => "用左右方向键逐日查看。", "Use the arrow keys to go day by day.";
}

impl Text {
    /// "Last 7 days".
    pub fn insight_last_days(self, days: u32) -> String {
        match self.0 {
            Locale::ZhCn => format!("最近 {days} 天"),
            Locale::En => format!("Last {days} days"),
        }
    }

    /// "14 days" (how long a member has been quiet).
    pub fn insight_days(self, days: u32) -> String {
        match self.0 {
            Locale::ZhCn => format!("{days} 天"),
            Locale::En => format!("{days} days"),
        }
    }

    /// The accessible name of a CSV link: which chart it downloads.
    pub fn insight_csv_of(self, what: &str) -> String {
        match self.0 {
            Locale::ZhCn => format!("下载 CSV：{what}"),
            Locale::En => format!("Download CSV: {what}"),
        }
    }

    /// The accessible name of a member in the churn list.
    pub fn insight_open_member(self, name: &str) -> String {
        match self.0 {
            Locale::ZhCn => format!("打开 {name}"),
            Locale::En => format!("Open {name}"),
        }
    }
}

/// A whole number with thousands grouped (`12,345`: both languages write it so), as the
/// widget writes it.
pub use quanzi_shell::number;

/// A percentage with one decimal, `—` when there is nothing to divide.
pub fn percent(part: u32, whole: u32) -> Option<f64> {
    (whole > 0).then(|| f64::from(part) * 100.0 / f64::from(whole))
}

/// A day on an axis: `11月23日`, `Nov 23`.
pub fn day_tick(locale: Locale, day: NaiveDate) -> String {
    match locale {
        Locale::ZhCn => day.format("%-m月%-d日").to_string(),
        Locale::En => day.format("%b %-d").to_string(),
    }
}

/// A day in full: `2026年11月23日`, `Nov 23, 2026`.
pub fn day_long(locale: Locale, day: NaiveDate) -> String {
    match locale {
        Locale::ZhCn => day.format("%Y年%-m月%-d日").to_string(),
        Locale::En => day.format("%b %-d, %Y").to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_days_read_as_each_language_writes_them() {
        assert_eq!(number(0), "0");
        assert_eq!(number(999), "999");
        assert_eq!(number(1000), "1,000");
        assert_eq!(number(1_234_567), "1,234,567");
        let day = NaiveDate::from_ymd_opt(2026, 11, 3).unwrap();
        assert_eq!(day_tick(Locale::ZhCn, day), "11月3日");
        assert_eq!(day_tick(Locale::En, day), "Nov 3");
        assert_eq!(day_long(Locale::ZhCn, day), "2026年11月3日");
        assert_eq!(day_long(Locale::En, day), "Nov 3, 2026");
        assert_eq!(percent(1, 4), Some(25.0));
        assert_eq!(percent(1, 0), None);
    }

    #[test]
    fn every_phrase_has_both_languages() {
        for (zh, en) in ALL {
            assert!(!zh.trim().is_empty() && !en.trim().is_empty());
            assert_ne!(zh, en);
        }
    }
}
