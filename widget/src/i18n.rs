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
